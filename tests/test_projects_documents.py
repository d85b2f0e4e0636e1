"""The filing documents as a reviewer opens them: forms with python-docx, workbooks with openpyxl."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from fanpin_docs.context import resolve
from fanpin_docs.projects import run_filing
from print_checks import paper_columns
from test_projects_inputs import SIX, project_row, write_projects, write_six

FOLDER = "项目申报"
DETAILS = [
    ["红岩村柑橘产业园", "001", "张三", 3000, "合格"],
    ["红岩村柑橘产业园", "002", "李四", 1500, "合格"],
    ["青杠村蜂蜜加工坊", "001", "张三", 1000, "合格"],
    ["青杠村蜂蜜加工坊", "003", "王五", 2000, None],
]


def run(tmp_path: Path, source: Path, out: str = "out", **settings: str):  # type: ignore[no-untyped-def]
    if settings:
        (tmp_path / "fanpin.toml").write_text("\n".join(settings.values()), encoding="utf-8")
    context = resolve(projects=source, policy="qianjiang-2023", out=tmp_path / out, workspace=tmp_path)
    return run_filing(context), tmp_path / out / FOLDER


def form_rows(path: Path) -> list[list[str]]:
    """The form's table as a reader sees it: each row's distinct cells (merged cells once)."""
    (table,) = Document(str(path)).tables
    rows = []
    for row in table.rows:
        seen: list[object] = []
        texts = []
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.append(cell._tc)
            texts.append(cell.text)
        rows.append(texts)
    return rows


def after(rows: list[list[str]], label: str) -> str:
    """The cell to the right of `label` in the form."""
    for texts in rows:
        if label in texts and texts.index(label) + 1 < len(texts):
            return texts[texts.index(label) + 1]
    raise AssertionError(f"{label} not in form")


def test_one_form_per_project_with_every_field(tmp_path: Path) -> None:
    result, folder = run(tmp_path, write_six(tmp_path / "projects.xlsx"))
    forms = sorted((folder / "项目申报表").glob("*.docx"))
    assert [f.name for f in forms] == [f"{i:02d}_{name}.docx" for i, (name, _, _) in enumerate(SIX, start=1)]
    document = Document(str(forms[0]))
    lines = [p.text for p in document.paragraphs if p.text]
    assert lines[:2] == ["巩固拓展脱贫攻坚成果和乡村振兴项目申报表", "（重庆市黔江区　2023年度）"]
    assert lines[2] == "申报单位（盖章）：城东街道办事处\t申报日期：2023年4月20日"
    rows = form_rows(forms[0])
    assert after(rows, "项目名称") == "红岩村柑橘产业园"
    assert (after(rows, "项目类型"), after(rows, "建设性质"), after(rows, "实施地点")) == (
        "产业发展",
        "新建",
        "城东街道红岩村",
    )
    assert after(rows, "建设内容及规模").startswith("新建柑橘标准化种植基地200亩")
    assert after(rows, "补助标准") == "按农户投入的80%以奖代补，每户最高2000元"
    assert rows[5][0] == "资金规模（元）"
    assert (after(rows, "总投资"), after(rows, "财政衔接资金")) == ("500,000.00", "450,000.00")
    assert (
        after(rows, "中央衔接资金"),
        after(rows, "市级衔接资金"),
        after(rows, "区县级衔接资金"),
        after(rows, "其他资金"),
    ) == ("300,000.00", "100,000.00", "50,000.00", "50,000.00")
    assert (
        after(rows, "受益户数"),
        after(rows, "受益人口"),
        after(rows, "其中脱贫户"),
        after(rows, "其中监测户"),
    ) == ("120 户", "410 人", "45 户", "6 户")
    assert after(rows, "联农带农机制").startswith("务工带动")
    assert (after(rows, "产出指标"), after(rows, "效益指标"), after(rows, "满意度指标")) == (
        "新建基地200亩，验收合格率100%",
        "带动120户增收，户均增收1500元",
        "受益群众满意度≥95%",
    )
    assert after(rows, "实施期限") == "2023年5月1日 至 2023年8月31日"
    assert (after(rows, "责任单位"), after(rows, "项目负责人")) == (
        "城东街道农业服务中心",
        "李明（13812345678）",
    )
    for caption, signer in (
        ("村（社区）意见", "村（社区）负责人（签字）："),
        ("乡镇（街道）意见", "乡镇（街道）负责人（签字）："),
        ("行业主管部门意见", "主管部门负责人（签字）："),
    ):
        box = after(rows, caption)
        assert "（盖章）" in box and signer in box and box.rstrip().endswith("年\u3000\u3000月\u3000\u3000日")
    assert result.review.findings  # the forms were written although five projects have findings


def test_form_is_bordered_and_names_chinese_fonts_for_east_asian_text(tmp_path: Path) -> None:
    _, folder = run(tmp_path, write_projects(tmp_path / "p.xlsx", [project_row("甲")]))
    document = Document(str(folder / "项目申报表" / "01_甲.docx"))
    borders = document.tables[0]._tbl.tblPr.find(qn("w:tblBorders"))
    assert {child.tag.split("}")[1]: child.get(qn("w:val")) for child in borders} == {
        edge: "single" for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    }
    east_asian = set()
    for element in document.element.body.iter(qn("w:r")):
        fonts = element.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia"))
        east_asian.add(fonts.get(qn("w:eastAsia")))
    assert {"宋体", "黑体", "方正小标宋简体"} <= east_asian
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_missing_fields_print_as_missing_not_blank(tmp_path: Path) -> None:
    row = project_row("乙", 补助标准=None, 受益监测户数=None, 总投资=None, 开工时间=None, 项目负责人=None)
    _, folder = run(tmp_path, write_projects(tmp_path / "p.xlsx", [row]))
    rows = form_rows(folder / "项目申报表" / "01_乙.docx")
    assert after(rows, "补助标准") == "（未填写）" and after(rows, "其中监测户") == "（未填写）"
    assert after(rows, "项目负责人") == "（未填写）"
    assert after(rows, "实施期限") == "（未填写） 至 2023年8月31日"
    assert after(rows, "总投资") == "500,000.00（按各项资金合计）"


def test_an_empty_linkage_box_prints_blank_and_is_a_finding(tmp_path: Path) -> None:
    row = project_row("乙", 联农带农机制=None)
    result, folder = run(tmp_path, write_projects(tmp_path / "p.xlsx", [row]))
    rows = form_rows(folder / "项目申报表" / "01_乙.docx")
    assert after(rows, "联农带农机制") == ""
    assert "（未填写）" not in after(rows, "联农带农机制")
    assert any(f.rule.code == "linkage" and f.project == "乙" for f in result.review.findings)


def header_columns(ws: Worksheet) -> dict[str, int]:
    """Column number of each header (the lower header row, else the merged upper one)."""
    columns = {}
    for column in range(1, ws.max_column + 1):
        text = ws.cell(row=4, column=column).value or ws.cell(row=3, column=column).value
        columns[str(text).replace("\n", "")] = column
    return columns


def test_summary_subtotals_by_type_and_by_source(tmp_path: Path) -> None:
    rows = [
        project_row("甲"),
        project_row(
            "乙",
            项目类型="乡村建设",
            中央衔接资金=200000,
            市级衔接资金=None,
            区县级衔接资金=None,
            其他资金=0,
            总投资=200000,
        ),
        project_row(
            "丙", 中央衔接资金=100000, 市级衔接资金=50000, 区县级衔接资金=0, 其他资金=10000, 总投资=160000
        ),
    ]
    _, folder = run(tmp_path, write_projects(tmp_path / "p.xlsx", rows))
    path = folder / "项目库汇总表.xlsx"
    formulas, values = load_workbook(path), load_workbook(path, data_only=True)
    assert formulas.sheetnames == ["项目库汇总表", "分类汇总"]
    ws, cached = formulas["项目库汇总表"], values["项目库汇总表"]
    columns = header_columns(ws)
    total, central, households = columns["总投资"], columns["中央衔接资金"], columns["受益户数"]
    # 产业发展: 甲 and 丙 then their subtotal; 乡村建设: 乙 then its subtotal; the grand total last
    assert [ws.cell(row=r, column=2).value for r in (5, 6, 8)] == ["甲", "丙", "乙"]
    assert [ws.cell(row=r, column=1).value for r in (5, 6, 8)] == [1, 2, 3]
    assert ws["A7"].value == "产业发展 小计（2 个）" and ws["A9"].value == "乡村建设 小计（1 个）"
    assert ws["A10"].value == "合计（3 个项目）"
    letter = get_column_letter(total)
    assert ws.cell(row=7, column=total).value == f"=SUM({letter}5:{letter}6)"
    assert ws.cell(row=10, column=total).value == f"=SUM({letter}7,{letter}9)"
    assert [cached.cell(row=r, column=total).value for r in (7, 9, 10)] == [660000, 200000, 860000]
    assert [cached.cell(row=r, column=central).value for r in (7, 9, 10)] == [400000, 200000, 600000]
    assert [cached.cell(row=r, column=households).value for r in (7, 9, 10)] == [240, 120, 360]
    money = ws.cell(row=5, column=total)
    assert money.data_type == "n" and money.number_format == "#,##0.00"
    assert ws.cell(row=5, column=columns["审核情况"]).value == "通过"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows == "$3:$4" and "&P" in ws.oddFooter.center.text

    by_source = values["分类汇总"]
    table = {r[0]: r[1:4] for r in by_source.iter_rows(values_only=True) if r[0]}
    assert table["产业发展"] == (2, 660000, 600000) and table["乡村建设"] == (1, 200000, 200000)
    # projects with money from the source, the amount, and its share of 860,000
    shares = {name: row[2] for name, row in table.items() if name.endswith("资金")}
    assert table["中央衔接资金"][:2] == (3, 600000)
    assert table["市级衔接资金"][:2] == (2, 150000) and table["区县级衔接资金"][:2] == (1, 50000)
    assert table["其他资金"][:2] == (2, 60000)  # 乙 has 0 of it
    assert {name: round(share, 4) for name, share in shares.items()} == {
        "中央衔接资金": 0.6977,
        "市级衔接资金": 0.1744,
        "区县级衔接资金": 0.0581,
        "其他资金": 0.0698,
    }
    totals = [r for r in by_source.iter_rows(values_only=True) if r[0] == "合计"]
    assert [t[1:3] for t in totals] == [(3, 860000), ("—", 860000)]
    # the shares are formulas over the amounts and their total, shown with a % number format
    sheet = formulas["分类汇总"]
    [central] = [row for row in sheet.iter_rows() if row[0].value == "中央衔接资金"]
    [total_row] = [row for row in sheet.iter_rows() if row[0].value == "合计" and row[1].value == "—"]
    share = central[3]
    assert share.value == f"=IF(C{total_row[0].row}=0,0,C{central[0].row}/C{total_row[0].row})"
    assert share.number_format == "0.00%" and share.data_type == "f"

    # on paper: the 衔接资金 by level stays in the workbook, after the printed columns
    assert central_column_off_paper(ws, central_header="中央衔接资金")


def central_column_off_paper(ws: Worksheet, central_header: str) -> bool:
    return header_columns(ws)[central_header] > paper_columns(ws) >= header_columns(ws)["审核情况"]


def test_findings_workbook_lists_found_and_expected(tmp_path: Path) -> None:
    result, folder = run(tmp_path, write_six(tmp_path / "six.xlsx"))
    ws = load_workbook(folder / "审核问题清单.xlsx").active
    assert [c.value for c in ws[3]] == [
        "序号",
        "项目名称",
        "所在行",
        "审核规则",
        "发现情况",
        "应当",
        "处理建议",
    ]
    listed = [r for r in ws.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in listed] == [
        (f.project, f.row, f.rule.title, f.found, f.expected) for f in result.review.findings
    ]
    assert [r[3] for r in listed] == ["申报时限", "联农带农", "资金构成", "受益对象", "实施期限"]
    assert "共 6 个项目：1 个通过，5 个有问题，问题 5 条" in " ".join(str(c.value) for c in ws[2] if c.value)
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "未执行的检查" in texts and any("未检查衔接资金总额" in t for t in texts)


def test_allocation_from_settings_is_checked(tmp_path: Path) -> None:
    result, folder = run(tmp_path, write_six(tmp_path / "six.xlsx"), funds="[funds]\nallocation = 2000000")
    (finding,) = [f for f in result.review.findings if f.rule.code == "allocation"]
    assert "2,700,000.00" in finding.found and "2,000,000.00" in finding.expected
    ws = load_workbook(folder / "审核问题清单.xlsx").active
    assert any(r[1] == "（全部项目）" and r[3] == "资金额度" for r in ws.iter_rows(values_only=True))
    assert not any("未检查衔接资金总额" in note for note in result.review.skipped)


def test_subsidy_workbook_with_explanations_and_totals_per_project(tmp_path: Path) -> None:
    result, folder = run(tmp_path, write_six(tmp_path / "six.xlsx", DETAILS))
    path = folder / "产业到户补助明细.xlsx"
    ws, cached = load_workbook(path).active, load_workbook(path, data_only=True).active
    assert [c.value for c in ws[3]] == [
        "序号",
        "项目名称",
        "户编号",
        "户主姓名",
        "投入金额",
        "验收结果",
        "补助金额",
        "计算说明",
        "备注",
    ]
    rows = {r: [c.value for c in ws[r]] for r in range(4, 11)}
    assert rows[4][:7] == [1, "红岩村柑橘产业园", "001", "张三", 3000, "合格", 2000]
    assert rows[4][7] == "投入 3,000.00 元 × 80% = 2,400.00 元，超过每户每年上限 2,000 元，按 2,000.00 元补助"
    assert "已核减" in rows[4][8] and "已核减" in rows[7][8] and not rows[5][8]
    # 张三's second row: 800.00 alone, but the 2,000 per household and year are used up by the first
    assert rows[7][:7] == [3, "青杠村蜂蜜加工坊", "001", "张三", 1000, "合格", 0]
    assert "本户已享受产业到户补助 2,000.00 元" in rows[7][7] and rows[7][7].endswith("本次按 0.00 元补助")
    assert rows[6][0] == "红岩村柑橘产业园 小计（2 户次）" and rows[6][6] == "=SUM(G4:G5)"
    assert rows[8][:7] == [4, "青杠村蜂蜜加工坊", "003", "王五", 2000, "未填写", 0]
    assert "未验收" in rows[8][7]
    assert rows[10][0] == "合计（4 户次）" and rows[10][6] == "=SUM(G6,G9)"
    assert [cached.cell(row=r, column=7).value for r in (6, 9, 10)] == [3200, 0, 3200]
    assert ws["C4"].data_type == "s"  # 户编号 as text, leading zeros kept
    assert ws["A11"].value == "补助金额合计（大写）：人民币叁仟贰佰元整"
    assert result.subsidies is not None and result.subsidies.total == Decimal("3200.00")
    assert [f.rule.code for f in result.review.findings if f.project == "青杠村蜂蜜加工坊"] == [
        "filing_deadline",
        "subsidy_cap",
    ]


def test_no_subsidy_workbook_without_details(tmp_path: Path) -> None:
    result, folder = run(tmp_path, write_six(tmp_path / "six.xlsx"))
    assert not (folder / "产业到户补助明细.xlsx").exists() and result.subsidies is None
    assert any("未检查到户补助上限" in note for note in result.review.skipped)


def as_typed_text(path: Path) -> Path:
    """The workbook with every cell that looks like a formula stored as the text a user typed ('=1+1)."""
    book = load_workbook(path)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    book.save(path)
    return path


def test_values_from_data_never_become_formulas(tmp_path: Path) -> None:
    rows = [
        project_row(
            '=HYPERLINK("http://x","点我")', 责任单位="@SUM(A1)", 建设内容及规模="+1+1", 项目类型="-产业"
        )
    ]
    details = [['=HYPERLINK("http://x","点我")', "=1+1", "-张三", 100, "合格"]]
    _, folder = run(tmp_path, as_typed_text(write_projects(tmp_path / "p.xlsx", rows, details)))
    for name in ("项目库汇总表.xlsx", "审核问题清单.xlsx", "产业到户补助明细.xlsx"):
        for ws in load_workbook(folder / name).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value[:1] in "=+-@" and cell.data_type == "f":
                        assert cell.value.startswith(("=SUM(", "=IF(C")), (name, cell.coordinate, cell.value)
    summary = load_workbook(folder / "项目库汇总表.xlsx").active
    assert summary["B5"].value == '=HYPERLINK("http://x","点我")' and summary["B5"].data_type == "s"
    assert list((folder / "项目申报表").glob("*.docx"))


def test_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    source = write_six(tmp_path / "six.xlsx", DETAILS)
    _, first = run(tmp_path, source, "first")
    _, second = run(tmp_path, source, "second")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert len(files) == 9
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative


def test_an_interrupted_run_leaves_whole_files_and_can_be_rerun(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import fanpin_docs.projects.filing as filing

    source = write_six(tmp_path / "six.xlsx")

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(filing, "build_summary", interrupted)
    try:
        run(tmp_path, source)
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the run was not interrupted")
    folder = tmp_path / "out" / FOLDER
    forms = sorted((folder / "项目申报表").glob("*"))
    assert len(forms) == len(SIX) and all(Document(str(f)).tables for f in forms)  # whole files only
    assert not (folder / "项目库汇总表.xlsx").exists()
    assert not [p for p in (tmp_path / "out").rglob("*") if ".fanpin-tmp-" in p.name]
    monkeypatch.undo()
    result, _ = run(tmp_path, source)  # the forms are known as the tool's: no --force needed
    assert len(result.files) == len(SIX) + 2


def test_a_policy_of_another_year_is_pointed_out(tmp_path: Path) -> None:
    source = write_six(tmp_path / "six.xlsx")
    (tmp_path / "y2024").mkdir()
    result, _ = run(tmp_path / "y2024", source, township="[township]\nyear = 2024")
    note = next(note for note in result.notes if "工作年度为 2024 年" in note)
    assert "2023 年" in note and "2024年4月30日" in note and "2024年8月31日" in note
    (tmp_path / "y2023").mkdir()
    same_year, _ = run(tmp_path / "y2023", source, township="[township]\nyear = 2023")
    assert not any("工作年度" in note for note in same_year.notes)


def test_deadlines_are_those_of_the_working_year_as_in_the_plan(tmp_path: Path) -> None:
    """fanpin.toml year = 2024 with the 2023 policy: the review checks against 2024-04-30 and
    2024-08-31, the dates the 实施方案 of the same workspace names."""
    from fanpin_docs.plan import build_plan
    from fanpin_docs.readers import load_roster
    from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx

    rows = [
        project_row("按时", 申报日期="2024-04-30", 开工时间="2024-05-10", 完工时间="2024-08-31"),
        project_row("逾期", 申报日期="2024-05-06", 开工时间="2024-05-10", 完工时间="2024-09-01"),
    ]
    source = write_projects(tmp_path / "p.xlsx", rows)
    result, _ = run(tmp_path, source, township='[township]\ntownship = "城东街道"\nyear = 2024')
    assert [(f.project, f.rule.code) for f in result.review.findings] == [
        ("逾期", "filing_deadline"),
        ("逾期", "implementation_deadline"),
    ]
    late, unfinished = result.review.findings
    assert late.found == "申报日期2024年5月6日，逾期 6 天" and late.expected == "不晚于2024年4月30日"
    assert unfinished.expected == "完工时间不晚于2024年8月31日"

    context = resolve(policy="qianjiang-2023", workspace=tmp_path)
    roster = write_xlsx(tmp_path / "r.xlsx", [ROSTER_HEADER, roster_row("001", "张三", make_id(), "户主")])
    plan = build_plan(context.require_policy(), load_roster(roster), context.settings)
    text = "\n".join(p.text for p in plan.document.paragraphs)
    assert "2024年4月30日前完成项目申报" in text and "2024年8月31日前完成项目实施" in text
