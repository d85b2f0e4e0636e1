"""The household roster reader: every accepted shape and every refusal."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from fanpin_docs.errors import InputError, Problem
from fanpin_docs.readers import load_roster
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx

# --- building inputs ----------------------------------------------------------------------------

NATIONAL_HEADER = [
    "户码",
    "县（市、区、旗）",
    " 乡镇 ",
    "村",
    "组",
    "姓  名",
    "身份证号码",
    "与户主关系",
    "家庭人口数",
    "户类型",
    "易返贫致贫户（监测对象）类型",
    "风险是否消除",
    "风险识别时间",
    "风险类型",
    "联系电话",
    "帮扶责任人",
    "帮扶责任人电话",
    "帮扶责任人单位",
    "工资性收入（元）",
    "生产经营性收入（元）",
    "财产性收入（元）",
    "转移性收入（元）",
    "生产经营性支出（元）",
    "家庭纯收入（元）",
    "人均纯收入（元）",
]


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "0" <= c <= "9" or c in "Xx" else c for c in text)


def id_ending_in_x(birth: str = "19650312") -> str:
    for sequence in range(1000):
        candidate = make_id(birth, sequence)
        if candidate.endswith("X"):
            return candidate
    raise AssertionError("no X check digit found")


HEAD_X = id_ending_in_x("19650312")
SPOUSE = make_id("19680520", 124)
CHILD = make_id("19950101", 131)
HEAD_2 = make_id("19580808", 215)
HEAD_3 = make_id("19800101", 315)


def national_rows() -> list[list[object]]:
    """A national-system export as offices get it: a title row, aliases, full-width brackets, stray
    spaces, full-width digits, a lowercase x, numbers as text with separators, YYYYMM text."""
    return [
        ["重庆市黔江区防止返贫监测对象信息表（导出日期：2024年4月1日）"],
        NATIONAL_HEADER,
        [
            "0012",
            "黔江区",
            "城东街道",
            " 红岩村 ",
            "一组",
            " 张三 ",
            " " + HEAD_X.lower() + " ",
            "户主",
            "３",
            "脱贫户",
            "脱贫不稳定户",
            "否",
            "202303",
            "因病",
            "138 1234 5678",
            "王干部",
            "139-0000-1111",
            "街道办事处",
            "２０，０００",
            "5,000.00",
            "0",
            "3000.0",
            1000,
            "27000",
            "9000",
        ],
        [
            "0012",
            "黔江区",
            "城东街道",
            "红岩村",
            "一组",
            "李四",
            full_width(SPOUSE),
            " 配偶 ",
            "3",
            "脱贫户",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "0012",
            "黔江区",
            "城东街道",
            "红岩村",
            "一组",
            "张小",
            CHILD,
            "之子",
            "3",
            "脱贫户",
            "",
            "",
            "",
            "",
            "13912345678",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "0013",
            "黔江区",
            "城东街道",
            "红岩村",
            "二组",
            "赵六",
            HEAD_2,
            "户主",
            1,
            "一般农户",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            12000,
            0,
            0,
            2400.5,
            0,
            14400.5,
            14400.5,
        ],
    ]


def roster_file(tmp_path: Path, rows: list[list[object]], name: str = "名单.xlsx") -> Path:
    return write_xlsx(tmp_path / name, rows, sheet="户籍监测名单")


def simple_rows(*people: list[object], header: list[str] | None = None) -> list[list[object]]:
    return [header or ROSTER_HEADER, *people]


def load_problems(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        load_roster(path)
    return caught.value


def only(problems: list[Problem], text: str) -> Problem:
    found = [p for p in problems if text in p.message]
    assert len(found) == 1, (text, [p.message for p in problems])
    return found[0]


# --- the national export reads without a problem ------------------------------------------------


def test_national_export_reads_cleanly(tmp_path: Path) -> None:
    roster = load_roster(roster_file(tmp_path, national_rows()))
    assert roster.warnings == ()
    assert [h.household_id for h in roster.households] == ["0012", "0013"]
    first = roster.by_id()["0012"]
    assert first.head.name == "张三"
    assert first.head.id_number == HEAD_X  # lowercase x upper-cased, spaces gone
    assert [p.name for p in first.members] == ["张三", "李四", "张小"]
    assert first.members[1].id_number == SPOUSE  # full-width digits read
    assert first.members[1].relation == "配偶"
    assert (first.county, first.township, first.village, first.group) == (
        "黔江区",
        "城东街道",
        "红岩村",
        "一组",
    )
    assert first.size == 3
    assert first.household_type == "脱贫户"
    assert first.monitoring_category == "脱贫不稳定户"
    assert first.risk_resolved is False
    assert first.risk_unresolved
    assert first.identified_month == date(2023, 3, 1)
    assert first.risks == ("因病",)
    assert first.helper is not None
    assert (first.helper.name, first.helper.phone, first.helper.unit) == (
        "王干部",
        "13900001111",
        "街道办事处",
    )
    assert first.phone == "13812345678"
    assert first.members[2].phone == "13912345678"
    assert first.source_rows == (3, 4, 5)
    income = first.income
    assert (
        income.wage,
        income.business,
        income.property_income,
        income.transfer,
        income.business_expense,
    ) == (Decimal(20000), Decimal(5000), Decimal(0), Decimal(3000), Decimal(1000))
    assert income.net == Decimal("27000.00")
    assert first.per_capita_income == Decimal("9000.00")
    second = roster.by_id()["0013"]
    assert second.income.net == Decimal("14400.50")
    assert not second.is_monitored
    assert second.head.source_row == 6


def test_person_index_finds_everyone(tmp_path: Path) -> None:
    roster = load_roster(roster_file(tmp_path, national_rows()))
    index = roster.person_index()
    assert set(index) == {HEAD_X, SPOUSE, CHILD, HEAD_2}
    household, person = index[CHILD]
    assert household.household_id == "0012" and person.name == "张小"


def test_header_found_under_several_title_rows_and_rows_numbered_as_excel_shows(tmp_path: Path) -> None:
    rows = [
        ["标题"],
        ["填报单位：城东街道", None, "填报日期：2024-04-01"],
        [],
        *simple_rows(roster_row("H1", "张三", HEAD_3, "户主", size=1)),
    ]
    roster = load_roster(roster_file(tmp_path, rows))
    assert roster.households[0].source_rows == (5,)


def test_column_order_does_not_matter(tmp_path: Path) -> None:
    rows = simple_rows(
        roster_row("H1", "张三", HEAD_3, "户主", size=2), roster_row("H1", "李四", SPOUSE, "配偶")
    )
    reversed_rows = [list(reversed(row)) for row in rows]
    roster = load_roster(roster_file(tmp_path, reversed_rows))
    household = roster.households[0]
    assert [p.name for p in household.members] == ["张三", "李四"]
    assert household.income.net == Decimal("27000.00")
    assert household.village == "红岩村"


def test_unknown_columns_are_ignored(tmp_path: Path) -> None:
    header = [*ROSTER_HEADER, "备注说明", "其他"]
    rows = [header, [*roster_row("H1", "张三", HEAD_3, "户主", size=1), "随便写", 42]]
    assert len(load_roster(roster_file(tmp_path, rows)).households) == 1


def test_head_is_listed_first_even_when_not_first_in_the_sheet(tmp_path: Path) -> None:
    rows = simple_rows(
        roster_row("H1", "李四", SPOUSE, "配偶"), roster_row("H1", "张三", HEAD_3, "户主", size=2)
    )
    household = load_roster(roster_file(tmp_path, rows)).households[0]
    assert household.head.name == "张三"
    assert [p.name for p in household.members] == ["张三", "李四"]
    assert household.income.net == Decimal("27000.00")  # from the head's row, not the first row


def test_rows_of_a_household_need_not_be_adjacent(tmp_path: Path) -> None:
    rows = simple_rows(
        roster_row("H1", "张三", HEAD_3, "户主", size=2),
        roster_row("H2", "赵六", HEAD_2, "户主", size=1),
        roster_row("H1", "李四", SPOUSE, "配偶"),
    )
    roster = load_roster(roster_file(tmp_path, rows))
    assert [p.name for p in roster.by_id()["H1"].members] == ["张三", "李四"]
    assert roster.by_id()["H1"].source_rows == (2, 4)


# --- income ---------------------------------------------------------------------------------------


def test_income_from_first_non_empty_row_when_the_head_row_has_none(tmp_path: Path) -> None:
    head = roster_row("H1", "张三", HEAD_3, "户主", size=2, income=("", "", "", "", ""))
    spouse = roster_row("H1", "李四", SPOUSE, "配偶")
    spouse[-5:] = [10000, 2000, 0, 0, 500]
    household = load_roster(roster_file(tmp_path, simple_rows(head, spouse))).households[0]
    assert household.income.net == Decimal("11500.00")
    assert household.per_capita_income == Decimal("5750.00")


def test_household_without_any_income_has_zero(tmp_path: Path) -> None:
    head = roster_row("H1", "张三", HEAD_3, "户主", size=1, income=("", "", "", "", ""))
    household = load_roster(roster_file(tmp_path, simple_rows(head))).households[0]
    assert household.income.net == Decimal("0.00")


@pytest.mark.parametrize(
    "wage", ["1,500", "１５００", "1500.0", 1500, 1500.0, " 1500 ", "1500元", "１，５００"]
)
def test_numbers_in_every_typed_form(tmp_path: Path, wage: object) -> None:
    head = roster_row("H1", "张三", HEAD_3, "户主", size=1, income=(wage, 0, 0, 0, 0))
    household = load_roster(roster_file(tmp_path, simple_rows(head))).households[0]
    assert household.income.wage == Decimal(1500)


def test_fractional_income_is_kept_exactly(tmp_path: Path) -> None:
    head = roster_row("H1", "张三", HEAD_3, "户主", size=3, income=(1000.1, 0.2, 0, 0, 0))
    rows = simple_rows(
        head, roster_row("H1", "李四", SPOUSE, "配偶"), roster_row("H1", "张小", CHILD, "之子")
    )
    household = load_roster(roster_file(tmp_path, rows)).households[0]
    assert household.income.net == Decimal("1000.30")
    assert household.per_capita_income == Decimal("333.43")


@pytest.mark.parametrize(
    ("value", "message"),
    [(-500, "不能为负数"), ("-500", "不能为负数"), ("三千", "不是数字"), ("约2000", "不是数字")],
)
def test_negative_or_textual_income_refused(tmp_path: Path, value: object, message: str) -> None:
    head = roster_row("H1", "张三", HEAD_3, "户主", size=1, income=(value, 0, 0, 0, 0))
    error = load_problems(roster_file(tmp_path, simple_rows(head)))
    problem = only(error.problems, message)
    assert (problem.row, problem.column, problem.sheet) == (2, "工资性收入", "户籍监测名单")
    assert problem.value == str(value)
    assert problem.hint


@pytest.mark.parametrize("value", ["1.500,00", "15,00", "2,0000"])
def test_income_with_commas_that_do_not_group_thousands_refused(tmp_path: Path, value: str) -> None:
    # read with the commas dropped these were 1.5, 1500 and 20000 yuan
    head = roster_row("H1", "张三", HEAD_3, "户主", size=1, income=(value, 0, 0, 0, 0))
    error = load_problems(roster_file(tmp_path, simple_rows(head)))
    problem = only(error.problems, "逗号的位置不是千位分隔")
    assert (problem.row, problem.column, problem.sheet, problem.value) == (
        2,
        "工资性收入",
        "户籍监测名单",
        value,
    )
    assert "1,500" in problem.hint and "1500.00" in problem.hint


def test_declared_net_and_per_capita_disagreeing_by_more_than_one_yuan_warn(tmp_path: Path) -> None:
    header = [*ROSTER_HEADER, "家庭纯收入", "人均纯收入（元）"]
    head = [*roster_row("H1", "张三", HEAD_3, "户主", size=2), "27002", "13500.5"]
    spouse = [*roster_row("H1", "李四", SPOUSE, "配偶"), "", ""]
    roster = load_roster(roster_file(tmp_path, [header, head, spouse]))
    assert len(roster.warnings) == 1
    warning = roster.warnings[0]
    assert warning.severity == "warning" and warning.column == "家庭纯收入" and warning.row == 2
    assert "27,002.00" in warning.message and "27,000.00" in warning.message


def test_declared_income_within_one_yuan_is_not_reported(tmp_path: Path) -> None:
    header = [*ROSTER_HEADER, "家庭纯收入", "家庭人均纯收入"]
    head = [*roster_row("H1", "张三", HEAD_3, "户主", size=2), 27001, 13499]
    spouse = [*roster_row("H1", "李四", SPOUSE, "配偶"), "", ""]
    assert load_roster(roster_file(tmp_path, [header, head, spouse])).warnings == ()


@pytest.mark.parametrize("wage", ["三千", -500, "=A1/0"])
def test_an_unreadable_income_cell_is_not_also_told_as_a_declared_total_that_disagrees(
    tmp_path: Path, wage: object
) -> None:
    # recomputed without the refused 工资性收入 (as 0), the totals would seem to disagree with the
    # declared ones: that says nothing true, the refused cell is the one thing to fix
    header = [*ROSTER_HEADER, "家庭纯收入", "人均纯收入"]
    head = [*roster_row("H1", "张三", HEAD_3, "户主", size=2, income=(wage, 3000, 0, 0, 0)), 6000, 3000]
    spouse = [*roster_row("H1", "李四", SPOUSE, "配偶"), "", ""]
    error = load_problems(roster_file(tmp_path, [header, head, spouse]))
    assert [(p.row, p.column) for p in error.problems] == [(2, "工资性收入")]
    assert error.warnings == []


def test_a_refused_household_size_leaves_the_declared_net_income_checked_but_not_the_per_capita(
    tmp_path: Path,
) -> None:
    # with 人数 refused, per capita is worked out over the two rows listed: 6,000 / 2 against a declared
    # 2,000 would only seem to disagree; 家庭纯收入 does not depend on the size and is still checked
    header = [*ROSTER_HEADER, "家庭纯收入", "人均纯收入"]
    head = [*roster_row("H1", "张三", HEAD_3, "户主", size=None, income=(6000, 0, 0, 0, 0)), 9000, 2000]
    head[ROSTER_HEADER.index("人数")] = "三"
    spouse = [*roster_row("H1", "李四", SPOUSE, "配偶"), "", ""]
    error = load_problems(roster_file(tmp_path, [header, head, spouse]))
    assert [(p.row, p.column) for p in error.problems] == [(2, "人数")]
    assert [(p.row, p.column) for p in error.warnings] == [(2, "家庭纯收入")]


def test_the_declared_totals_are_still_checked_when_another_household_has_an_unreadable_cell(
    tmp_path: Path,
) -> None:
    header = [*ROSTER_HEADER, "家庭纯收入", "人均纯收入"]
    bad = [*roster_row("H1", "张三", HEAD_3, "户主", size=1, income=("三千", 0, 0, 0, 0)), "", ""]
    other = [*roster_row("H2", "李四", SPOUSE, "户主", size=1, income=(3000, 0, 0, 0, 0)), 9000, ""]
    error = load_problems(roster_file(tmp_path, [header, bad, other]))
    assert [(p.row, p.column) for p in error.problems] == [(2, "工资性收入")]
    assert [(p.row, p.column) for p in error.warnings] == [(3, "家庭纯收入")]


def test_declared_per_capita_disagreeing_warns(tmp_path: Path) -> None:
    header = [*ROSTER_HEADER, "人均纯收入"]
    head = [*roster_row("H1", "张三", HEAD_3, "户主", size=2), 27000]
    spouse = [*roster_row("H1", "李四", SPOUSE, "配偶"), ""]
    roster = load_roster(roster_file(tmp_path, [header, head, spouse]))
    assert [w.column for w in roster.warnings] == ["人均纯收入"]
    assert "13,500.00" in roster.warnings[0].message


# --- households and their heads ------------------------------------------------------------------


def test_household_without_head_refused_naming_rows_and_household(tmp_path: Path) -> None:
    rows = simple_rows(roster_row("H7", "李四", SPOUSE, "配偶"), roster_row("H7", "张小", CHILD, "之子"))
    error = load_problems(roster_file(tmp_path, rows))
    problem = only(error.problems, "没有户主")
    assert problem.household == "H7"
    assert "第 2–3 行" in problem.message
    assert problem.column == "与户主关系"
    assert "户编号 H7" in problem.describe()


def test_household_with_two_heads_refused_naming_both_rows(tmp_path: Path) -> None:
    rows = simple_rows(
        roster_row("H7", "张三", HEAD_3, "户主", size=2), roster_row("H7", "李四", SPOUSE, "户主")
    )
    error = load_problems(roster_file(tmp_path, rows))
    problem = only(error.problems, "只能有一个户主")
    assert problem.household == "H7"
    assert "第 2 行" in problem.message and "第 3 行" in problem.message
    assert problem.row == 2


def test_missing_household_code_refused(tmp_path: Path) -> None:
    rows = simple_rows(roster_row("", "张三", HEAD_3, "户主", size=1))
    error = load_problems(roster_file(tmp_path, rows))
    problem = only(error.problems, "必填项为空")
    assert (problem.row, problem.column) == (2, "户编号")


def test_household_codes_keep_leading_zeros(tmp_path: Path) -> None:
    rows = simple_rows(roster_row("000123", "张三", HEAD_3, "户主", size=1))
    assert load_roster(roster_file(tmp_path, rows)).households[0].household_id == "000123"


def test_fewer_declared_than_rows_is_an_error(tmp_path: Path) -> None:
    rows = simple_rows(
        roster_row("H1", "张三", HEAD_3, "户主", size=1), roster_row("H1", "李四", SPOUSE, "配偶")
    )
    error = load_problems(roster_file(tmp_path, rows))
    problem = only(error.problems, "家庭人口数填的是 1")
    assert (problem.row, problem.column, problem.household) == (2, "人数", "H1")
    assert "2 人" in problem.message


def test_a_member_row_giving_other_income_figures_is_named(tmp_path: Path) -> None:
    """Income is the household's, read from the head's row; a member's row with other figures is named
    (one of them is wrong, and only the head's is counted); a row repeating the head's is fine."""
    head = roster_row("H1", "张三", HEAD_3, "户主", size=3)
    spouse = roster_row("H1", "李四", SPOUSE, "配偶")
    child = roster_row("H1", "张小", make_id("20100101", 77), "之子")
    income = slice(len(head) - 5, len(head))
    spouse[income] = head[income]  # exports repeat the household's income on each row
    child[income] = [1, 2, 3, "", ""]
    roster = load_roster(roster_file(tmp_path, simple_rows(head, spouse, child)))
    household = roster.households[0]
    assert household.income is not None and household.income.wage == Decimal(20000)
    warning = only(list(roster.warnings), "与同户第 2 行不同")
    assert (warning.row, warning.column, warning.household, warning.is_error) == (
        4,
        "工资性收入",
        "H1",
        False,
    )
    assert "「工资性收入」、「生产经营性收入」、「财产性收入」" in warning.message


def test_more_declared_than_rows_is_a_warning_and_counts_for_per_capita(tmp_path: Path) -> None:
    rows = simple_rows(
        roster_row("H1", "张三", HEAD_3, "户主", size=4), roster_row("H1", "李四", SPOUSE, "配偶")
    )
    roster = load_roster(roster_file(tmp_path, rows))
    household = roster.households[0]
    assert household.size == 4 and len(household.members) == 2
    assert household.per_capita_income == Decimal("6750.00")
    warning = only(list(roster.warnings), "家庭人口数为 4")
    assert warning.severity == "warning" and warning.household == "H1" and warning.column == "人数"


def test_a_household_size_in_words_is_told_with_a_count_as_its_example(tmp_path: Path) -> None:
    rows = simple_rows(roster_row("H1", "张三", HEAD_3, "户主", size="三人"))
    problem = only(load_problems(roster_file(tmp_path, rows)).problems, "不是数字")
    assert problem.column == "人数" and "如 3，" in problem.hint and "1,500.50" not in problem.hint


def test_household_size_from_rows_when_not_declared(tmp_path: Path) -> None:
    rows = simple_rows(
        roster_row("H1", "张三", HEAD_3, "户主", size=None), roster_row("H1", "李四", SPOUSE, "配偶")
    )
    household = load_roster(roster_file(tmp_path, rows)).households[0]
    assert household.size == 2 and household.declared_size is None


# --- IDs -------------------------------------------------------------------------------------------


def assert_never_shows(error: InputError, full_id: str) -> None:
    assert full_id not in str(error)
    for problem in error.problems + error.warnings:
        assert full_id not in problem.describe()
        assert all(full_id not in str(v) for v in asdict(problem).values())


def test_bad_check_digit_refused_and_masked(tmp_path: Path) -> None:
    bad = HEAD_3[:17] + ("1" if HEAD_3[17] != "1" else "2")
    error = load_problems(roster_file(tmp_path, simple_rows(roster_row("H1", "张三", bad, "户主", size=1))))
    problem = only(error.problems, "校验位")
    assert (problem.row, problem.column) == (2, "证件号码")
    assert problem.value == bad[:6] + "********" + bad[-4:]
    assert_never_shows(error, bad)


def test_id_stored_as_a_number_refused_with_the_explanation(tmp_path: Path) -> None:
    numeric = int(HEAD_3[:17] + "1" if HEAD_3[17] == "X" else HEAD_3)
    error = load_problems(
        roster_file(tmp_path, simple_rows(roster_row("H1", "张三", numeric, "户主", size=1)))
    )
    problem = only(error.problems, "存成了数字")
    assert "丢失" in problem.message and "文本" in problem.hint
    assert (problem.row, problem.column) == (2, "证件号码")
    assert_never_shows(error, str(numeric))


def test_id_in_scientific_notation_refused(tmp_path: Path) -> None:
    error = load_problems(
        roster_file(tmp_path, simple_rows(roster_row("H1", "张三", "5.00114E+17", "户主", size=1)))
    )
    problem = only(error.problems, "科学计数法")
    assert problem.column == "证件号码" and "文本" in problem.hint


def test_id_of_wrong_length_refused(tmp_path: Path) -> None:
    error = load_problems(
        roster_file(tmp_path, simple_rows(roster_row("H1", "张三", HEAD_3[:17], "户主", size=1)))
    )
    assert only(error.problems, "18 位").column == "证件号码"
    assert_never_shows(error, HEAD_3[:17])


def test_duplicate_id_refused_naming_both_rows(tmp_path: Path) -> None:
    rows = simple_rows(
        roster_row("H1", "张三", HEAD_3, "户主", size=1), roster_row("H2", "张三", HEAD_3, "户主", size=1)
    )
    error = load_problems(roster_file(tmp_path, rows))
    problem = only(error.problems, "重复")
    assert problem.row == 3 and "第 2 行" in problem.message and problem.column == "证件号码"
    assert_never_shows(error, HEAD_3)


def test_empty_id_refused(tmp_path: Path) -> None:
    error = load_problems(roster_file(tmp_path, simple_rows(roster_row("H1", "张三", "", "户主", size=1))))
    assert only(error.problems, "身份证号为空").row == 2


# --- other cells -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "when",
    [
        "202303",
        202303,
        "2023-03-15",
        "2023年3月15日",
        "2023.3.15",
        datetime(2023, 3, 15),
        "2023/3/15",
        44999.35,  # an Excel serial with a time of day (2023-03-15 08:24) as a plain number
    ],
)
def test_identification_month_in_every_typed_form(tmp_path: Path, when: object) -> None:
    head = roster_row("H1", "张三", HEAD_3, "户主", size=1, category="边缘易致贫户")
    head[ROSTER_HEADER.index("识别监测时间")] = when
    household = load_roster(roster_file(tmp_path, simple_rows(head))).households[0]
    assert household.identified_month is not None
    assert (household.identified_month.year, household.identified_month.month) == (2023, 3)


@pytest.mark.parametrize("when", ["2023-02-30", "202313", "去年三月"])
def test_impossible_identification_date_refused(tmp_path: Path, when: str) -> None:
    head = roster_row("H1", "张三", HEAD_3, "户主", size=1, category="边缘易致贫户")
    head[ROSTER_HEADER.index("识别监测时间")] = when
    error = load_problems(roster_file(tmp_path, simple_rows(head)))
    problem = only(error.problems, "日期无法识别")
    assert (problem.row, problem.column, problem.value) == (2, "识别监测时间", when)


@pytest.mark.parametrize("when", [2023.1, 2023.5, 2023.12])
def test_identification_year_month_typed_as_a_number_refused(tmp_path: Path, when: float) -> None:
    # 2023.10 typed into a General cell is the number 2023.1: read as an Excel serial it was 1905-07-15
    head = roster_row("H1", "张三", HEAD_3, "户主", size=1, category="边缘易致贫户")
    head[ROSTER_HEADER.index("识别监测时间")] = when
    error = load_problems(roster_file(tmp_path, simple_rows(head)))
    problem = only(error.problems, "像是把「年.月」当作数字录入的")
    assert (problem.row, problem.column, problem.value) == (2, "识别监测时间", str(when))
    assert "2023-10-01" in problem.hint and "202310" in problem.hint and "文本" in problem.hint
    assert "名单.xlsx" in str(error) and "户籍监测名单" in str(error)


def test_phones_normalised_and_a_bad_phone_warns(tmp_path: Path) -> None:
    rows = simple_rows(
        roster_row("H1", "张三", HEAD_3, "户主", size=2, phone="１３８ ９９９９ ８８８８"),
        roster_row("H1", "李四", SPOUSE, "配偶", phone="12345"),
    )
    roster = load_roster(roster_file(tmp_path, rows))
    household = roster.households[0]
    assert household.phone == "13899998888"
    assert household.members[1].phone is None
    warning = only(list(roster.warnings), "电话号码格式不对")
    assert (warning.row, warning.column, warning.value) == (3, "联系电话", "***45")  # masked like an ID


def test_code_list_values_checked(tmp_path: Path) -> None:
    head = roster_row(
        "H1", "张三", HEAD_3, "户主", size=1, household_type="贫困户", category="监测户", resolved="未知"
    )
    error = load_problems(roster_file(tmp_path, simple_rows(head)))
    columns = {p.column for p in error.problems if "不是规定的选项" in p.message}
    assert columns == {"户类型", "监测对象类别", "风险是否已消除"}


def test_monitored_household_categories(tmp_path: Path) -> None:
    head = roster_row(
        "H1",
        "张三",
        HEAD_3,
        "户主",
        size=1,
        household_type="一般农户",
        category="边缘易致贫户",
        resolved="是",
    )
    household = load_roster(roster_file(tmp_path, simple_rows(head))).households[0]
    assert household.is_monitored and not household.risk_unresolved
    assert {"边缘易致贫户", "监测对象", "监测户", "一般农户"} <= household.categories()
    assert "未消除风险监测对象" not in household.categories()


# --- the whole file's problems at once -------------------------------------------------------------


def test_all_problems_of_a_file_reported_together_with_location_value_and_hint(tmp_path: Path) -> None:
    bad_check = HEAD_2[:17] + ("1" if HEAD_2[17] != "1" else "2")
    rows = [
        ["标题行"],
        *simple_rows(
            roster_row("H1", "张三", HEAD_3, "户主", size=1, income=(-1, 0, 0, 0, 0)),
            roster_row("H2", "赵六", bad_check, "户主", size=1),
            roster_row("H3", "钱七", CHILD, "户主", size=1, income=("三千", 0, 0, 0, 0)),
            roster_row("H4", "孙八", SPOUSE, "配偶", size=1),
        ),
    ]
    error = load_problems(roster_file(tmp_path, rows, name="城东街道名单.xlsx"))
    assert len(error.problems) == 4
    assert {p.row for p in error.problems} == {3, 4, 5, 6}
    for problem in error.problems:
        assert problem.file == "城东街道名单.xlsx"
        assert problem.sheet == "户籍监测名单"
        assert problem.column
        assert problem.hint
    text = str(error)
    assert "4 处问题" in text and "城东街道名单.xlsx" in text
    for fragment in (
        "第 3 行",
        "第 4 行",
        "第 5 行",
        "第 6 行",
        "工资性收入",
        "证件号码",
        "与户主关系",
        "户编号 H4",
    ):
        assert fragment in text
    assert_never_shows(error, bad_check)


def test_household_cells_checked_even_when_the_household_cannot_be_built(tmp_path: Path) -> None:
    bad_member = SPOUSE[:17] + ("1" if SPOUSE[17] != "1" else "2")
    headless = roster_row("H2", "赵六", HEAD_2, "配偶")
    headless[-5:] = [-5, 0, 0, 0, 0]
    rows = simple_rows(
        roster_row(
            "H1", "张三", HEAD_3, "户主", size=2, income=("三千", 0, 0, 0, 0), household_type="贫困户"
        ),
        roster_row("H1", "李四", bad_member, "配偶"),
        headless,
    )
    error = load_problems(roster_file(tmp_path, rows))
    located = sorted((p.row, p.column) for p in error.problems)
    assert located == [
        (2, "工资性收入"),
        (2, "户类型"),
        (3, "证件号码"),
        (4, "与户主关系"),
        (4, "工资性收入"),
    ]


# --- columns and sheets ----------------------------------------------------------------------------


def test_missing_required_column_refused_naming_it(tmp_path: Path) -> None:
    header = [h for h in ROSTER_HEADER if h != "行政村"]
    row = roster_row("H1", "张三", HEAD_3, "户主", size=1)
    del row[ROSTER_HEADER.index("行政村")]
    error = load_problems(roster_file(tmp_path, [["标题"], header, row]))
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert "行政村" in problem.message and "村(社区)" in problem.message
    assert problem.row == 2 and problem.sheet == "户籍监测名单"
    assert "行政村" in str(error)


def test_several_missing_columns_all_named(tmp_path: Path) -> None:
    header = [h for h in ROSTER_HEADER if h not in ("行政村", "与户主关系")]
    error = load_problems(roster_file(tmp_path, [header]))
    message = error.problems[0].message
    assert "行政村" in message and "与户主关系" in message


def test_duplicated_header_refused(tmp_path: Path) -> None:
    header = [*ROSTER_HEADER, "身份证号"]
    row = [*roster_row("H1", "张三", HEAD_3, "户主", size=1), HEAD_3]
    error = load_problems(roster_file(tmp_path, [header, row]))
    problem = only(error.problems, "重复出现")
    assert problem.column == "身份证号" and "证件号码" in problem.message and problem.row == 1


def test_empty_sheet_refused(tmp_path: Path) -> None:
    error = load_problems(roster_file(tmp_path, []))
    assert "空" in error.problems[0].message
    assert error.problems[0].sheet == "户籍监测名单"


def test_header_without_data_rows_refused(tmp_path: Path) -> None:
    error = load_problems(roster_file(tmp_path, [["标题"], ROSTER_HEADER]))
    problem = error.problems[0]
    assert "没有" in problem.message
    assert problem.row == 2


def test_the_roster_sheet_is_found_among_others(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "多表.xlsx",
        [["说明：本工作簿第二张表是名单"]],
        sheet="说明",
        extra_sheets={"数据": simple_rows(roster_row("H1", "张三", HEAD_3, "户主", size=1))},
    )
    roster = load_roster(path)
    assert roster.households[0].head.name == "张三"


def test_blank_rows_between_data_are_skipped(tmp_path: Path) -> None:
    rows = simple_rows(
        roster_row("H1", "张三", HEAD_3, "户主", size=1),
        [None] * len(ROSTER_HEADER),
        ["  "] * len(ROSTER_HEADER),
        roster_row("H2", "赵六", HEAD_2, "户主", size=1),
    )
    roster = load_roster(roster_file(tmp_path, rows))
    assert [h.head.source_row for h in roster.households] == [2, 5]


def test_csv_roster_in_gb18030(tmp_path: Path) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in simple_rows(roster_row("H1", "张三", HEAD_3, "户主", size=1)):
        writer.writerow(["" if v is None else v for v in row])
    path = tmp_path / "名单.csv"
    path.write_bytes(buffer.getvalue().encode("gb18030"))
    roster = load_roster(path)
    assert roster.households[0].village == "红岩村"
    assert roster.households[0].income.net == Decimal("27000.00")
