"""The training workbooks as an office prints them, read back with openpyxl."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from fanpin_docs.context import resolve
from fanpin_docs.errors import InputError
from fanpin_docs.money import format_amount, format_number
from fanpin_docs.printing import MM, POINTS_PER_WIDTH
from fanpin_docs.training import generate_training
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx
from print_checks import printed_scale
from training_data import CLASS, DONE_WHEN, DONE_WHEN_AMOUNTS, HEADER, card, trainee_rows, write_training

FOLDER = "培训/2023年第一期电工培训班"


def _run(tmp_path: Path, rows: list[list[object]], **kwargs: object) -> Path:
    source = write_training(tmp_path / "in" / "考勤.xlsx", rows, **kwargs)
    out = tmp_path / "out"
    context = resolve(training=source, policy="qianjiang-2023", out=out, workspace=tmp_path)
    generate_training(context)
    return out


def _rows_until_blank(ws, first: int, column: int = 1) -> list[tuple]:  # type: ignore[no-untyped-def]
    rows = []
    for row in ws.iter_rows(min_row=first, values_only=True):
        if row[column - 1] is None or not isinstance(row[column - 1], int):
            break
        rows.append(row)
    return rows


def _find(ws, text: str):  # type: ignore[no-untyped-def]
    return [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and text in c.value]


def test_done_when_payment_roster(tmp_path: Path) -> None:
    out = _run(tmp_path, trainee_rows(DONE_WHEN))
    path = out / FOLDER / "误工补贴发放花名册.xlsx"
    ws = load_workbook(path).active
    header = [c.value for c in ws[4]]
    assert header == [
        "序号",
        "姓名",
        "身份证号",
        "人员类别",
        "应出勤天数",
        "实际出勤天数",
        "考核结果",
        "补贴标准",
        "补贴金额",
        "开户银行",
        "银行卡号",
        "领取人签字",
        "备注",
    ]
    amount, remark = header.index("补贴金额"), header.index("备注")
    rows = _rows_until_blank(ws, 5)
    paid = [(p[0], a) for p, a in zip(DONE_WHEN, DONE_WHEN_AMOUNTS, strict=True) if a]
    # only the people paid sign on the roster, numbered 1, 2, 3 …
    assert [(r[1], Decimal(str(r[amount]))) for r in rows] == [(n, Decimal(a)) for n, a in paid]
    assert [r[0] for r in rows] == [1, 2, 3]
    assert not any(r[remark] for r in rows)  # nobody capped, no notes
    assert rows[2][header.index("实际出勤天数")] == 6.5
    for row in range(5, 8):
        cell = ws.cell(row=row, column=amount + 1)
        assert cell.number_format == "#,##0.00" and cell.data_type == "n"

    total_row = 8
    assert ws.cell(row=total_row, column=1).value == "合计"
    assert ws.cell(row=total_row, column=amount + 1).value == "=SUM(I5:I7)"
    assert ws.cell(row=total_row, column=header.index("实际出勤天数") + 1).value == "=SUM(F5:F7)"
    cached = load_workbook(path, data_only=True).active
    assert cached.cell(row=total_row, column=amount + 1).value == 740
    assert cached.cell(row=total_row, column=header.index("实际出勤天数") + 1).value == 18.5
    [words] = _find(ws, "人民币柒佰肆拾元整")
    assert "740.00" in words.value and "6 人" in words.value and "发放补贴 3 人" in words.value
    assert "3 人未发放（见「未发放人员」表）" in words.value
    [signatures] = _find(ws, "制表人")
    for role in ("制表人", "审核人", "负责人"):  # a line to sign on, whether or not a name is set
        assert f"{role}（签字）：____" in signatures.value
    [info] = _find(ws, "培训时间")
    assert "2023年3月6日至2023年3月12日" in info.value and "7 天" in info.value and "40 元/天" in info.value

    # the people paid nothing: on their own sheet, each with the reason, not between the signatures
    unpaid = load_workbook(path)["未发放人员"]
    assert [c.value for c in unpaid[3]] == [
        "序号",
        "姓名",
        "身份证号",
        "人员类别",
        "实际出勤天数",
        "考核结果",
        "未发放原因",
    ]
    listed = _rows_until_blank(unpaid, 4)
    assert [r[1] for r in listed] == ["王三", "钱五", "孙六"]
    assert "低保对象" in listed[0][6] and "63 周岁" in listed[1][6] and "考核不合格" in listed[2][6]
    assert unpaid.print_title_rows == "$1:$3"


def test_payment_roster_signature_cells_are_big_enough_to_sign(tmp_path: Path) -> None:
    """领取人签字 at least 25 mm wide and 10 mm tall on paper, at the scale the sheet prints at."""
    out = _run(tmp_path, trainee_rows(DONE_WHEN))
    ws = load_workbook(out / FOLDER / "误工补贴发放花名册.xlsx").active
    scale = printed_scale(ws) / 100
    column = [c.value for c in ws[4]].index("领取人签字") + 1
    width_mm = ws.column_dimensions[get_column_letter(column)].width * POINTS_PER_WIDTH * scale / MM
    assert width_mm >= 25
    for row in range(5, 8):
        assert ws.row_dimensions[row].height * scale / MM >= 10


def test_payment_roster_print_settings_and_text_types(tmp_path: Path) -> None:
    out = _run(tmp_path, trainee_rows(DONE_WHEN))
    ws = load_workbook(out / FOLDER / "误工补贴发放花名册.xlsx").active
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$4"  # the class and its dates on every page
    assert printed_scale(ws) * 11 >= 900
    assert "&P" in ws.oddFooter.center.text
    id_cell, card_cell = ws.cell(row=5, column=3), ws.cell(row=5, column=11)
    assert (id_cell.value, id_cell.data_type) == (DONE_WHEN[0][1], "s")
    assert (card_cell.value, card_cell.data_type) == (card(1), "s")
    assert all(ws.cell(row=5, column=c).border.left.style == "thin" for c in range(1, 14))
    assert ws.column_dimensions["C"].width >= 19  # 18 digits of 7 pt and the cell's padding
    assert ws.column_dimensions["B"].width >= 8


def test_value_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    people = [('=HYPERLINK("http://x")', make_id("19800101", 1), "脱贫人口", 7, "合格")]
    rows = trainee_rows(people, klass=("+班", "@项目", "-地点", "2023-03-06", "2023-03-12", 7))
    source = write_training(tmp_path / "t.xlsx", rows)
    typed = load_workbook(source)  # as a user would type them: text, not formulas
    for row in typed.active.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                cell.data_type = "s"
    typed.save(source)
    out = tmp_path / "out"
    generate_training(resolve(training=source, policy="qianjiang-2023", out=out, workspace=tmp_path))
    files = sorted((out / "培训").rglob("*.xlsx"))
    assert len(files) == 4
    for path in files:
        for ws in load_workbook(path).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        assert str(cell.value).startswith("=SUM("), (path.name, cell.coordinate, cell.value)
    payroll = load_workbook(out / "培训/+班/误工补贴发放花名册.xlsx").active
    assert payroll.cell(row=5, column=2).value == '=HYPERLINK("http://x")'
    assert payroll.cell(row=5, column=2).data_type == "s"


def test_namelist_columns_and_roster_fallbacks(tmp_path: Path) -> None:
    head = make_id("19700101", 1)
    roster = write_xlsx(
        tmp_path / "roster.xlsx",
        [ROSTER_HEADER, roster_row("H1", "户主甲", head, "户主", size=1, category="边缘易致贫户")],
    )
    header = [h for h in HEADER if h not in ("人员类别", "户籍地址", "联系电话")]
    row = [*CLASS, "户主甲", head, 7, "合格", "农商行", card(1)]
    source = write_training(tmp_path / "t.xlsx", [row], header=header)
    context = resolve(
        training=source, roster=roster, policy="qianjiang-2023", out=tmp_path / "out", workspace=tmp_path
    )
    result = generate_training(context)
    assert result.total == Decimal("280.00")  # 人员类别 derived from the roster: 监测对象
    ws = load_workbook(tmp_path / "out" / FOLDER / "花名册.xlsx").active
    assert [c.value for c in ws[3]] == [
        "序号",
        "姓名",
        "性别",
        "身份证号",
        "户籍地址",
        "人员类别",
        "联系电话",
        "培训项目",
        "备注",
    ]
    assert [c.value for c in ws[4]][:8] == [
        1,
        "户主甲",
        "男",
        head,
        "黔江区城东街道红岩村一组",
        "监测对象",
        "13812345678",
        "电工",
    ]
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) and ws.print_title_rows == "$1:$3"


def test_signin_has_one_sheet_per_day_with_dates(tmp_path: Path) -> None:
    out = _run(tmp_path, trainee_rows(DONE_WHEN))
    book = load_workbook(out / FOLDER / "签到表.xlsx")
    assert book.sheetnames == [f"第{i}天 3月{5 + i}日" for i in range(1, 8)]
    ws = book.worksheets[2]
    assert [c.value for c in ws[3]] == ["序号", "姓名", "性别", "身份证号", "上午签到", "下午签到", "备注"]
    assert "2023年3月8日（第 3 天，共 7 天）" in ws.cell(row=2, column=1).value
    assert ws.cell(row=4, column=2).value == "张一"
    assert ws.cell(row=4, column=4).value == DONE_WHEN[0][1][:6] + "********" + DONE_WHEN[0][1][-4:]
    assert ws.cell(row=9, column=5).border.bottom.style == "thin"
    assert ws.page_setup.orientation == "portrait"
    assert ws.print_title_rows == "$1:$3"  # a second page of the day still shows its date


def test_signin_skips_weekends_when_the_planned_days_say_so(tmp_path: Path) -> None:
    # 2023-03-06 (Mon) … 2023-03-14 (Tue): 9 calendar days, 7 working days
    klass = ("周末休息班", "电工", "职教中心", "2023-03-06", "2023-03-14", 7)
    out = _run(tmp_path, trainee_rows(DONE_WHEN[:1], klass=klass))
    names = load_workbook(out / "培训/周末休息班/签到表.xlsx").sheetnames
    assert names == [
        "第1天 3月6日",
        "第2天 3月7日",
        "第3天 3月8日",
        "第4天 3月9日",
        "第5天 3月10日",
        "第6天 3月13日",
        "第7天 3月14日",
    ]


def test_signin_leaves_dates_to_fill_in_when_data_does_not_fix_them(tmp_path: Path) -> None:
    klass = ("日期不定班", "电工", "职教中心", "2023-03-06", "2023-03-30", 4.5)
    out = _run(tmp_path, trainee_rows([("甲", make_id("19800101", 1), "脱贫人口", 4, "合格")], klass=klass))
    book = load_workbook(out / "培训/日期不定班/签到表.xlsx")
    assert book.sheetnames == ["第1天", "第2天", "第3天", "第4天", "第5天"]
    assert "年　　月　　日（第 5 天，共 5 天）" in book.worksheets[4].cell(row=2, column=1).value


def test_summary_by_class_and_by_village(tmp_path: Path) -> None:
    ids = [make_id("19700101", i) for i in range(1, 5)]
    roster = write_xlsx(
        tmp_path / "roster.xlsx",
        [
            ROSTER_HEADER,
            roster_row("H1", "甲", ids[0], "户主", size=2, village="红岩村"),
            roster_row("H1", "乙", ids[1], "配偶", village="红岩村"),
            roster_row("H2", "丙", ids[2], "户主", size=1, village="白石村"),
        ],
    )
    second = ("第二期种养殖班", "种养殖", "村活动室", "2023-04-03", "2023-04-07", 5)
    rows = trainee_rows(
        [
            ("甲", ids[0], "脱贫人口", 7, "合格"),
            ("乙", ids[1], "脱贫人口", 3, "合格"),
            ("丙", ids[2], "低保对象", 7, "合格"),
        ]
    )
    rows += trainee_rows(
        [("甲", ids[0], "脱贫人口", 5, "合格"), ("丁", ids[3], "监测对象", 4.5, "合格")],
        klass=second,
        first_card=10,
    )
    source = write_training(tmp_path / "t.xlsx", rows)
    context = resolve(
        training=source, roster=roster, policy="qianjiang-2023", out=tmp_path / "out", workspace=tmp_path
    )
    generate_training(context)
    path = tmp_path / "out" / "培训" / "培训补贴汇总表.xlsx"
    book, cached = load_workbook(path), load_workbook(path, data_only=True)
    assert book.sheetnames == ["按培训班", "按乡镇村"]
    by_class = book["按培训班"]
    assert [by_class.cell(row=r, column=2).value for r in (4, 5)] == [
        "2023年第一期电工培训班",
        "第二期种养殖班",
    ]
    assert [cached["按培训班"].cell(row=r, column=11).value for r in (4, 5, 6)] == [400, 380, 780]
    assert by_class.cell(row=6, column=11).value == "=SUM(K4:K5)"
    assert cached["按培训班"].cell(row=6, column=7).value == 5  # 人次
    assert _find(by_class, "人民币柒佰捌拾元整")
    assert _find(by_class, "参训 5 人次（4 人）")

    places = book["按乡镇村"]
    values = [[c.value for c in row] for row in cached["按乡镇村"].iter_rows(min_row=4, max_row=9)]
    assert values[0][1:] == ["城东街道", "白石村", 1, 1, 0, 0]
    assert values[1][1:] == ["城东街道", "红岩村", 3, 2, 3, 600]
    assert values[2][0] == "城东街道 小计" and values[2][3:] == [4, 3, 3, 600]
    assert values[3][1:] == ["未在户籍名单中", "—", 1, 1, 1, 180]
    assert values[4][0] == "未在户籍名单中 小计" and values[4][3:] == [1, 1, 1, 180]
    assert values[5][0] == "总计" and values[5][3:] == [5, 4, 4, 780]
    assert [places.cell(row=r, column=7).value for r in (6, 8, 9)] == [
        "=SUM(G4:G5)",
        "=SUM(G7)",
        "=SUM(G6,G8)",
    ]
    for ws in (by_class, places):
        assert int(ws.page_setup.paperSize) == 9 and ws.print_title_rows == "$3:$3"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and "&P" in ws.oddFooter.center.text
    assert by_class.page_setup.orientation == "landscape"
    assert by_class.cell(row=4, column=11).number_format == "#,##0.00"


def _table(ws, header_row: int = 3) -> tuple[list[str], list[tuple], tuple]:  # type: ignore[no-untyped-def]
    """(headers, body rows, 合计 row) of a sheet's table as Excel shows it (cached values)."""
    header = [c.value for c in ws[header_row]]
    body, total = [], None
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if isinstance(row[0], int):
            body.append(row)
        elif row[0] == "合计":
            total = row
            break
    assert total is not None
    return header, body, total


def test_the_summary_reconciles_with_the_payment_rosters_and_the_publicity(tmp_path: Path) -> None:
    """What a checker does on paper: each class's days paid × 40 is its amount, and the days, people and
    money match its payment roster's 合计 row and the 公示; the days of all trainees stand apart."""
    import docx

    from fanpin_docs.demo import build_demo_workspace

    workspace = build_demo_workspace(tmp_path / "demo", households=40).root
    generate_training(resolve(workspace=workspace))
    output = workspace / "output"
    summary = load_workbook(output / "培训/培训补贴汇总表.xlsx", data_only=True)["按培训班"]
    header, body, total = _table(summary)
    assert header[6:] == ["参训人数", "参训学员出勤天数", "发放人数", "发放人员补贴天数", "补贴金额"]
    column = {name: header.index(name) for name in header}
    standard = Decimal(40)
    assert "补贴标准：40 元/天" in summary["A2"].value

    publicity = docx.Document(next((output / "公示").glob("*培训误工补贴发放公示.docx")))
    headings = [p.text for p in publicity.paragraphs if p.text.startswith("（")]
    listed_rows = [
        [cell.text for cell in row.cells]
        for table in publicity.tables
        for row in table.rows
        if row.cells[0].text.isdigit()
    ]
    listed_header = [cell.text for cell in publicity.tables[0].rows[0].cells]
    days_at, amount_at = listed_header.index("实际出勤天数"), listed_header.index("补贴金额（元）")

    first = 0
    for row in body:
        name = row[column["培训班"]]
        paid, paid_days = row[column["发放人数"]], Decimal(str(row[column["发放人员补贴天数"]]))
        amount = Decimal(str(row[column["补贴金额"]]))
        assert paid_days * standard == amount  # the amount follows from the days paid
        roster = load_workbook(output / "培训" / name / "误工补贴发放花名册.xlsx", data_only=True)
        r_header, signers, r_total = _table(roster.worksheets[0], header_row=4)
        assert len(signers) == paid
        assert Decimal(str(r_total[r_header.index("实际出勤天数")])) == paid_days
        assert Decimal(str(r_total[r_header.index("补贴金额")])) == amount
        unpaid = roster["未发放人员"]
        u_header = [c.value for c in unpaid[3]]
        unpaid_rows = [r for r in unpaid.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]
        unpaid_days = sum((Decimal(str(r[u_header.index("实际出勤天数")])) for r in unpaid_rows), Decimal(0))
        assert unpaid_rows and unpaid_days > 0  # some trainees are not paid: the two day counts differ
        assert row[column["参训人数"]] == paid + len(unpaid_rows)
        assert Decimal(str(row[column["参训学员出勤天数"]])) == paid_days + unpaid_days
        # the 公示 lists the same people, days and money under the class's heading
        assert f"{name}（{paid}人）" in headings[body.index(row)]
        rows = listed_rows[first : first + paid]
        first += paid
        assert sum((Decimal(r[days_at]) for r in rows), Decimal(0)) == paid_days
        assert sum((Decimal(r[amount_at].replace(",", "")) for r in rows), Decimal(0)) == amount
    assert first == len(listed_rows)

    paid_days = Decimal(str(total[column["发放人员补贴天数"]]))
    amount = Decimal(str(total[column["补贴金额"]]))
    assert paid_days * standard == amount > 0
    assert paid_days == sum((Decimal(str(r[column["发放人员补贴天数"]])) for r in body), Decimal(0))
    assert Decimal(str(total[column["参训学员出勤天数"]])) > paid_days
    lines = [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(
        f"{format_number(paid_days)} 天 × 40 元/天 = {format_amount(amount)} 元" in line for line in lines
    )
    text = "\n".join(p.text for p in publicity.paragraphs)
    assert f"合计：{len(listed_rows)} 人，{format_amount(amount)} 元" in text


def test_the_summary_says_what_an_annual_limit_held_back(tmp_path: Path) -> None:
    """Days paid × 40 is more than the amount when the annual per-person limit cut a payment: the
    line under the table says by how much and why."""
    from fanpin_docs.policy import load_policy
    from fanpin_docs.settings import load_settings
    from fanpin_docs.training import compute_payments
    from fanpin_docs.training.summary import build_summary

    text = (Path(__file__).parents[1] / "src/fanpin_docs/policies/qianjiang-2023.toml").read_text(
        encoding="utf-8"
    )
    (tmp_path / "cap.toml").write_text(
        text.replace('cap_label = "每人"\n', 'cap_label = "每人"\nannual_person_cap = 400\n', 1),
        encoding="utf-8",
    )
    person = make_id("19800101", 1)
    may = ("五月班", "电工", "职教中心", "2023-05-08", "2023-05-14", 7)
    rows = [
        *trainee_rows([("甲", person, "脱贫人口", 7, "合格")]),
        *trainee_rows([("甲", person, "脱贫人口", 7, "合格")], klass=may),
    ]
    from fanpin_docs.readers import load_training

    classes, trainees = load_training(write_training(tmp_path / "t.xlsx", rows))
    payments = compute_payments(load_policy(tmp_path / "cap.toml"), classes, trainees)
    book, _ = build_summary(payments, load_settings(tmp_path), title_prefix="")
    lines = [c.value for row in book["按培训班"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(
        "14 天 × 40 元/天 = 560.00 元，实发 400.00 元（其中 1 人次按补贴上限发放" in line for line in lines
    ), lines


def test_summary_without_roster_says_so(tmp_path: Path) -> None:
    out = _run(tmp_path, trainee_rows(DONE_WHEN))
    ws = load_workbook(out / "培训" / "培训补贴汇总表.xlsx", data_only=True)["按乡镇村"]
    assert [c.value for c in ws[4]][1:] == ["未提供户籍名单", "—", 6, 6, 3, 740]


def test_attendance_over_planned_days_names_the_row(tmp_path: Path) -> None:
    rows = trainee_rows([("甲", make_id("19800101", 1), "脱贫人口", 8, "合格")])
    with pytest.raises(InputError) as caught:
        _run(tmp_path, rows)
    problem = caught.value.problems[0]
    assert problem.row == 2 and problem.column == "实际出勤天数" and "超过" in problem.message
    assert not (tmp_path / "out").exists()


def test_duplicate_trainee_in_a_class_names_both_rows(tmp_path: Path) -> None:
    person = make_id("19800101", 1)
    rows = trainee_rows([("甲", person, "脱贫人口", 7, "合格"), ("甲", person, "脱贫人口", 6, "合格")])
    with pytest.raises(InputError) as caught:
        _run(tmp_path, rows)
    assert "第 2 行和第 3 行" in caught.value.problems[0].message


def test_class_data_on_a_separate_sheet(tmp_path: Path) -> None:
    header = ["培训班", "姓名", "证件号码", "人员类别", "实际出勤天数", "考核结果", "银行卡号"]
    rows = [["电工班", "甲", make_id("19800101", 1), "脱贫人口", 6, "合格", card(1)]]
    classes = [
        ["培训班", "培训项目", "培训地点", "开班日期", "结业日期", "应出勤天数"],
        ["电工班", "电工", "职教中心", "2023-03-06", "2023-03-11", 6],
    ]
    out = _run(tmp_path, rows, header=header, extra_sheets={"培训班": classes})
    ws = load_workbook(out / "培训/电工班/误工补贴发放花名册.xlsx", data_only=True).active
    assert ws.cell(row=5, column=9).value == 240
    assert "培训地点：职教中心" in ws.cell(row=2, column=1).value


def test_same_input_gives_same_bytes_serial_or_parallel(tmp_path: Path) -> None:
    rows = []
    for number in range(1, 5):
        klass = (f"第{number}期班", "电工", "职教中心", "2023-03-06", "2023-03-10", 5)
        rows += trainee_rows(
            [
                (f"学员{number}{i}", make_id("19800101", number * 10 + i), "脱贫人口", 5, "合格")
                for i in range(3)
            ],
            klass=klass,
        )
    source = write_training(tmp_path / "t.xlsx", rows)
    digests = []
    for label, workers in (("a", 1), ("b", 2)):
        context = resolve(training=source, policy="qianjiang-2023", out=tmp_path / label, workspace=tmp_path)
        digests.append(generate_training(context, workers=workers))
    first = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*.xlsx")}
    second = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*.xlsx")}
    assert len(first) == 4 * 3 + 1
    assert first == second
    manifest = (tmp_path / "b" / ".fanpin-manifest.json").read_text(encoding="utf-8")
    assert all(str(path) in manifest for path in second)
