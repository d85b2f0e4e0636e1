"""What national exports and hand-made sheets really look like: merged cells, two-row headers, 合计
rows, one sheet per village, income given only as totals or not at all, long 户编号 turned into numbers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from fanpin_docs.errors import InputError
from fanpin_docs.models import Household
from fanpin_docs.policy import compare_with_line, load_policy
from fanpin_docs.readers import load_measures, load_roster
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx

A, B, C, D = (
    make_id("19700101", 11),
    make_id("19720101", 22),
    make_id("19800101", 33),
    make_id("19820101", 44),
)


def test_merged_household_cells_and_a_two_row_header_with_income_group(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    ws.append(["某某镇监测对象收入情况"])
    ws.merge_cells("A1:H1")
    ws.append(["户编号", "乡镇", "村", "姓名", "身份证号", "与户主关系", "收入情况（元）", None])
    ws.append([None, None, None, None, None, None, "工资性收入", "转移性收入"])
    for column in "ABCDEF":  # the plain columns span both header rows
        ws.merge_cells(f"{column}2:{column}3")
    ws.merge_cells("G2:H2")
    ws.append(["001", "城东街道", "红岩村", "张三", A, "户主", 20000, 4000])
    ws.append([None, None, None, "李四", B, "配偶", None, None])
    for column in "ABC":  # 户编号, 乡镇, 村 merged down the household's rows
        ws.merge_cells(f"{column}4:{column}5")
    ws.append(["合计", None, None, None, None, None, 20000, 4000])
    ws.append(["制表人：王五", None, None, "审核人：赵六"])
    path = tmp_path / "名单.xlsx"
    book.save(path)

    roster = load_roster(path)
    (household,) = roster.households
    assert household.household_id == "001" and household.village == "红岩村"
    assert [m.name for m in household.members] == ["张三", "李四"]
    assert household.income is not None and household.income.net == Decimal("24000.00")
    assert household.per_capita_income == Decimal("12000.00")
    # the export gives two of the breakdown's five columns: the other three count as 0, and it says so
    (warning,) = roster.warnings
    assert (
        not warning.is_error and "「生产经营性收入」、「财产性收入」、「生产经营性支出」列" in warning.message
    )


def test_a_two_row_header_with_an_income_group_per_year_is_refused_saying_so(tmp_path: Path) -> None:
    """「2022年收入情况」 and 「2023年收入情况」 each over 工资性收入 and 转移性收入: which year is meant
    cannot be told. One problem saying so, not the second header row read as a household."""
    book = Workbook()
    ws = book.active
    ws.append(
        [
            "户编号",
            "乡镇",
            "村",
            "姓名",
            "身份证号",
            "与户主关系",
            "2022年收入情况（元）",
            None,
            "2023年收入情况（元）",
            None,
        ]
    )
    ws.append([None] * 6 + ["工资性收入", "转移性收入"] * 2)
    for column in "ABCDEF":
        ws.merge_cells(f"{column}1:{column}2")
    ws.merge_cells("G1:H1")
    ws.merge_cells("I1:J1")
    ws.append(["001", "城东街道", "红岩村", "张三", A, "户主", 18000, 4000, 20000, 4000])
    path = tmp_path / "名单.xlsx"
    book.save(path)
    with pytest.raises(InputError) as caught:
        load_roster(path)
    (problem,) = caught.value.problems
    assert problem.row == 2 and "「工资性收入」、「转移性收入」列出现了不止一次" in problem.message
    assert "「2022年收入情况(元)」、「2023年收入情况(元)」" in problem.message
    assert "删除其他年份的列" in problem.hint


def test_one_sheet_per_village_is_read_as_one_roster(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "名单.xlsx",
        [ROSTER_HEADER, roster_row("001", "张三", A, "户主", size=1)],
        sheet="红岩村",
        extra_sheets={
            "青山村": [ROSTER_HEADER, roster_row("002", "王五", C, "户主", size=1, village="青山村")]
        },
    )
    roster = load_roster(path)
    assert sorted((h.household_id, h.village) for h in roster.households) == [
        ("001", "红岩村"),
        ("002", "青山村"),
    ]


def test_problems_on_a_second_sheet_name_that_sheet(tmp_path: Path) -> None:
    bad = C[:17] + ("1" if C[17] != "1" else "2")
    path = write_xlsx(
        tmp_path / "名单.xlsx",
        [ROSTER_HEADER, roster_row("001", "张三", A, "户主", size=1)],
        sheet="红岩村",
        extra_sheets={"青山村": [ROSTER_HEADER, roster_row("002", "王五", bad, "户主", size=1)]},
    )
    with pytest.raises(InputError) as caught:
        load_roster(path)
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("青山村", 2, "证件号码")


def test_income_given_only_as_totals_is_used_not_taken_as_zero(tmp_path: Path) -> None:
    header = ["户编号", "乡镇", "村", "姓名", "证件号码", "与户主关系", "人数", "家庭纯收入", "人均纯收入"]
    rows = [
        header,
        ["001", "城东街道", "红岩村", "张三", A, "户主", 2, "25,000", 12500],
        ["001", "城东街道", "红岩村", "李四", B, "配偶", None, None, None],
        ["002", "城东街道", "红岩村", "王五", C, "户主", 2, None, 4000],
        ["002", "城东街道", "红岩村", "赵六", D, "配偶", None, None, None],
    ]
    households = {h.household_id: h for h in load_roster(write_xlsx(tmp_path / "名单.xlsx", rows)).households}
    first, second = households["001"], households["002"]
    assert first.income is not None and not first.income.has_breakdown
    assert first.income.net == Decimal("25000.00") and first.per_capita_income == Decimal("12500.00")
    assert second.per_capita_income == Decimal("4000.00")  # 人均纯收入 × 人数


def test_no_income_columns_is_a_warning_and_income_stays_unknown(tmp_path: Path) -> None:
    header = ["户编号", "乡镇", "村", "姓名", "证件号码", "与户主关系"]
    roster = load_roster(
        write_xlsx(tmp_path / "名单.xlsx", [header, ["001", "城东街道", "红岩村", "张三", A, "户主"]])
    )
    (household,) = roster.households
    assert household.income is None and household.per_capita_income is None
    assert any("没有收入列" in w.message for w in roster.warnings)
    comparison = compare_with_line(load_policy("qianjiang-2023"), household)
    assert comparison.below is False and "未提供收入" in comparison.explanation


@pytest.mark.parametrize("household_id", [5001140010010001.0, "5.00114001001E+15"])
def test_household_id_stored_as_a_long_number_is_refused(tmp_path: Path, household_id: object) -> None:
    row = roster_row("x", "张三", A, "户主", size=1)
    row[0] = household_id
    with pytest.raises(InputError) as caught:
        load_roster(write_xlsx(tmp_path / "名单.xlsx", [ROSTER_HEADER, row]))
    problem = caught.value.problems[0]
    assert (problem.row, problem.column) == (2, "户编号") and "15 位" in problem.message


def test_money_is_read_to_the_fen_as_excel_shows_it(tmp_path: Path) -> None:
    roster_path = write_xlsx(
        tmp_path / "名单.xlsx",
        [ROSTER_HEADER, roster_row("001", "张三", A, "户主", size=1, income=(100.335, 0, 0, 0, 0))],
    )
    roster = load_roster(roster_path)
    assert roster.households[0].income is not None and roster.households[0].income.wage == Decimal("100.34")
    ledger = write_xlsx(
        tmp_path / "台账.xlsx",
        [
            ["户编号", "措施名称", "计算基数", "金额"],
            ["001", "产业到户补助", 2001.005, None],
            ["001", "低保金", None, 100.335],
        ],
    )
    base, given = load_measures(ledger, roster)
    assert base.base == Decimal("2001.01") and given.given_amount == Decimal("100.34")


def test_control_characters_are_dropped(tmp_path: Path) -> None:
    """An ESC or BEL copied in from another system cannot go into a Word or Excel file."""
    path = tmp_path / "名单.csv"
    header = "户编号,乡镇,村,姓名,证件号码,与户主关系,帮扶联系人,帮扶联系人单位\n"
    path.write_text(
        header + f"001,城东街道,红岩村,张\x1b三,{A},户主,王干部,城东\x07街道办事处\n", encoding="utf-8"
    )
    household: Household = load_roster(path).households[0]
    assert household.head.name == "张三"
    assert household.helper is not None and household.helper.unit == "城东街道办事处"


def test_csv_with_odd_line_separators_inside_cells(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    text = f'户编号,乡镇,村,姓名,证件号码,与户主关系\n001,城东街道,"红岩\u2028村",张三,{A},户主\n'
    path.write_text(text, encoding="utf-8")
    (household,) = load_roster(path).households
    assert household.head.name == "张三"


def test_a_member_listed_under_another_village_is_a_warning(tmp_path: Path) -> None:
    rows = [
        ROSTER_HEADER,
        roster_row("001", "张三", A, "户主"),
        roster_row("001", "李四", B, "配偶", village="青山村"),
    ]
    roster = load_roster(write_xlsx(tmp_path / "名单.xlsx", rows))
    assert roster.households[0].village == "红岩村"
    (warning,) = roster.warnings
    assert (warning.row, warning.column, warning.value) == (3, "行政村", "青山村")


@pytest.mark.pdf
def test_an_xls_written_by_libreoffice_and_renamed_to_xlsx_is_read(tmp_path: Path) -> None:
    """After a WeChat transfer an old-format .xls often arrives named .xlsx: read it by its content."""
    import subprocess

    from typer.testing import CliRunner

    from fanpin_docs.cli import app
    from fanpin_docs.pdf import find_soffice

    soffice = find_soffice()
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    source = write_xlsx(
        tmp_path / "src" / "名单.xlsx",
        [ROSTER_HEADER, roster_row("001", "张三", A, "户主", size=2), roster_row("001", "李四", B, "配偶")],
    )
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "xls",
            "--outdir",
            str(tmp_path / "xls"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    renamed = tmp_path / "微信收到的名单.xlsx"
    (tmp_path / "xls" / "名单.xls").rename(renamed)
    assert renamed.read_bytes().startswith(bytes.fromhex("D0CF11E0A1B11AE1"))

    roster = load_roster(renamed)
    assert [p.name for p in roster.households[0].members] == ["张三", "李四"]
    runner = CliRunner()
    checked = runner.invoke(app, ["check", "--roster", str(renamed)])
    assert checked.exit_code == 0 and "没有发现问题" in checked.output and "密码" not in checked.output
    out = tmp_path / "out"
    made = runner.invoke(
        app, ["cards", "--roster", str(renamed), "--policy", "qianjiang-2023", "--out", str(out)]
    )
    assert made.exit_code == 0, made.output
    assert any(out.rglob("*.docx"))
