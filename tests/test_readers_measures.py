"""The measures ledger reader."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from fanpin_docs.errors import InputError
from fanpin_docs.models import Roster
from fanpin_docs.readers import load_measures, load_roster
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx

HEAD_1 = make_id("19700101", 11)
SPOUSE_1 = make_id("19720101", 22)
HEAD_2 = make_id("19650505", 33)


@pytest.fixture
def roster(tmp_path: Path) -> Roster:
    rows = [
        ROSTER_HEADER,
        roster_row("H1", "张三", HEAD_1, "户主", size=2),
        roster_row("H1", "李四", SPOUSE_1, "配偶"),
        roster_row("H2", "王五", HEAD_2, "户主", size=1, category="边缘易致贫户"),
    ]
    return load_roster(write_xlsx(tmp_path / "名单.xlsx", rows))


def ledger(tmp_path: Path, rows: list[list[object]], name: str = "台账.xlsx") -> Path:
    return write_xlsx(tmp_path / name, rows, sheet="帮扶措施台账")


def refused(path: Path, roster: Roster | None) -> InputError:
    with pytest.raises(InputError) as caught:
        load_measures(path, roster)
    return caught.value


def test_ledger_with_aliases_and_title_row(tmp_path: Path, roster: Roster) -> None:
    rows = [
        ["2024年帮扶措施台账"],
        ["户编号", "政策名称", "投入金额", "月数", "补助金额", "是否验收合格", "兑现日期", "备注"],
        ["H1", "产业到户补助", "３，０００", "", "", "合格", "2024年6月1日", "养牛"],
        ["H1", "低保金", "", "", "1,200.50", "", "2024.5.20", ""],
        [" H2 ", " 孝扶共助 ", 500, 12, None, "", "", ""],
        ["H2", "产业到户补助", 1500, "", 1200, "不合格", "", ""],
    ]
    records = load_measures(ledger(tmp_path, rows), roster)
    assert [(r.household_id, r.name, r.source_row) for r in records] == [
        ("H1", "产业到户补助", 3),
        ("H1", "低保金", 4),
        ("H2", "孝扶共助", 5),
        ("H2", "产业到户补助", 6),
    ]
    first, allowance, elderly, failed = records
    assert first.base == Decimal(3000) and first.accepted is True and first.on == date(2024, 6, 1)
    assert first.note == "养牛" and first.given_amount is None
    assert (
        allowance.given_amount == Decimal("1200.50") and allowance.base is None and allowance.accepted is None
    )
    assert elderly.base == Decimal(500) and elderly.quantity == Decimal(12)
    assert failed.accepted is False and failed.given_amount == Decimal(1200)


def test_unknown_household_refused(tmp_path: Path, roster: Roster) -> None:
    rows = [["户编号", "措施名称", "金额"], ["H1", "低保金", 100], ["H9", "低保金", 100]]
    error = refused(ledger(tmp_path, rows), roster)
    assert len(error.problems) == 1
    problem = error.problems[0]
    assert (problem.row, problem.column, problem.value) == (3, "户编号", "H9")
    assert "找不到" in problem.message and problem.hint


def test_without_roster_any_household_code_is_taken(tmp_path: Path) -> None:
    rows = [["户编号", "措施名称", "金额"], ["H9", "低保金", 100]]
    assert load_measures(ledger(tmp_path, rows))[0].household_id == "H9"


def test_rows_found_by_the_heads_id(tmp_path: Path, roster: Roster) -> None:
    rows = [
        ["户主身份证号", "措施名称", "计算基数", "验收结果"],
        [HEAD_1.lower(), "产业到户补助", 3000, "合格"],
        [HEAD_2, "医疗救助一事一议", 25000, ""],
    ]
    records = load_measures(ledger(tmp_path, rows), roster)
    assert [r.household_id for r in records] == ["H1", "H2"]


def test_head_id_not_in_roster_refused_and_masked(tmp_path: Path, roster: Roster) -> None:
    rows = [["户主证件号码", "措施名称", "金额"], [SPOUSE_1, "低保金", 100]]
    error = refused(ledger(tmp_path, rows), roster)
    problem = error.problems[0]
    assert problem.column == "户主证件号码" and problem.row == 2 and "找不到" in problem.message
    assert SPOUSE_1 not in str(error) and problem.value == SPOUSE_1[:6] + "********" + SPOUSE_1[-4:]


def test_bad_head_id_refused(tmp_path: Path, roster: Roster) -> None:
    bad = HEAD_1[:17] + ("1" if HEAD_1[17] != "1" else "2")
    rows = [["户主证件号码", "措施名称", "金额"], [bad, "低保金", 100]]
    error = refused(ledger(tmp_path, rows), roster)
    assert [p.message for p in error.problems] == ["身份证号校验位不正确（按 GB 11643 计算），号码有录入错误"]
    assert bad not in str(error)


def test_blank_head_id_refused_once_on_its_own_column(tmp_path: Path, roster: Roster) -> None:
    rows = [["户主证件号码", "措施名称", "金额"], ["", "低保金", 100]]
    error = refused(ledger(tmp_path, rows), roster)
    assert [(p.row, p.column) for p in error.problems] == [(2, "户主证件号码")]


def test_head_id_without_roster_says_a_roster_is_needed(tmp_path: Path) -> None:
    rows = [["户主证件号码", "措施名称", "金额"], [HEAD_1, "低保金", 100]]
    error = refused(ledger(tmp_path, rows), None)
    problem = error.problems[0]
    assert problem.row == 2 and "户籍" in (problem.message + problem.hint)


def test_ledger_without_household_column_refused(tmp_path: Path, roster: Roster) -> None:
    rows = [["措施名称", "金额"], ["低保金", 100]]
    error = refused(ledger(tmp_path, rows), roster)
    assert "户编号" in error.problems[0].message and error.problems[0].row == 1


def test_blank_household_code_refused(tmp_path: Path, roster: Roster) -> None:
    rows = [["户编号", "措施名称", "金额"], ["", "低保金", 100]]
    problem = refused(ledger(tmp_path, rows), roster).problems[0]
    assert (problem.row, problem.column) == (2, "户编号") and "没有填写户编号" in problem.message


def test_missing_measure_name_column_refused(tmp_path: Path, roster: Roster) -> None:
    rows = [["户编号", "金额"], ["H1", 100]]
    problem = refused(ledger(tmp_path, rows), roster).problems[0]
    assert "措施名称" in problem.message


def test_every_bad_cell_reported_together(tmp_path: Path, roster: Roster) -> None:
    rows = [
        ["户编号", "措施名称", "计算基数", "金额", "验收结果", "落实日期"],
        ["H1", "产业到户补助", "三千", "", "合格", ""],
        ["H1", "", 100, "", "", ""],
        ["H2", "低保金", "", -5, "", ""],
        ["H2", "产业到户补助", 100, "", "还行", "2024-02-30"],
    ]
    error = refused(ledger(tmp_path, rows), roster)
    located = sorted((p.row, p.column) for p in error.problems)
    assert located == [(2, "计算基数"), (3, "措施名称"), (4, "金额"), (5, "落实日期"), (5, "验收结果")]
    assert all(p.file == "台账.xlsx" and p.sheet == "帮扶措施台账" and p.hint for p in error.problems)
