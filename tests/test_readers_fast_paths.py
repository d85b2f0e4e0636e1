"""The readers' shortcuts for ordinary cells read exactly as the general path: a canonical ID number, a
plain mobile number, a positive amount, a repeated text, an ordinary data row. Each test puts the
ordinary cell beside the unusual ones the shortcut must leave to the general path."""

from __future__ import annotations

import gc
import random
from decimal import Decimal
from pathlib import Path

import pytest

from fanpin_docs.errors import InputError, Problem
from fanpin_docs.idcard import IdNumberProblem, check_digit, validate_id_number
from fanpin_docs.readers import load_roster
from fanpin_docs.readers.gcpause import without_gc
from fanpin_docs.readers.rows import RowReader
from fanpin_docs.readers.workbook import Column, read_table
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx

WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]


def by_hand(first17: str) -> str:
    """GB 11643 written out independently: check = (12 - Σ digit × 2^(17-i) mod 11) mod 11, 10 → X."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def test_check_digit_matches_the_standard_for_many_numbers() -> None:
    rng = random.Random(3)
    numbers = [f"{rng.randrange(10**17):017d}" for _ in range(2000)] + ["0" * 17, "9" * 17]
    assert [check_digit(n) for n in numbers] == [by_hand(n) for n in numbers]


def test_check_digit_of_other_digits_and_of_non_digits() -> None:
    first17 = "50011419900215456"
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in first17)  # int() reads these digits too
    assert check_digit(full_width) == check_digit(first17) == by_hand(first17)
    with pytest.raises(ValueError):
        check_digit("5001141990021545a")


def test_canonical_id_is_returned_as_it_is_and_still_checked() -> None:
    good = make_id("19900215", 456)
    assert validate_id_number(good) is good
    with pytest.raises(IdNumberProblem, match="校验位"):
        validate_id_number(good[:17] + ("0" if good[17] != "0" else "1"))
    with pytest.raises(IdNumberProblem, match="出生日期"):
        validate_id_number(make_id("19900231", 456))


def test_ids_needing_normalisation_still_read() -> None:
    with_x = "11010519491231002X"
    assert validate_id_number(with_x.lower()) == with_x
    assert validate_id_number(f"'{with_x}") == with_x
    arabic_indic = "".join(chr(0x0660 + int(c)) for c in make_id()[:17]) + "0"
    with pytest.raises(IdNumberProblem):  # not an ASCII number: the general path decides, as before
        validate_id_number(arabic_indic)


COLUMNS = (
    Column("姓名", required=True),
    Column("证件号码", required=True, is_id=True),
    Column("金额"),
    Column("电话"),
)


def readers(tmp_path: Path, rows: list[list[object]]) -> tuple[list[RowReader], list[Problem]]:
    table = read_table(
        write_xlsx(tmp_path / "t.xlsx", [["姓名", "证件号码", "金额", "电话"], *rows]), COLUMNS
    )
    problems: list[Problem] = []
    return [RowReader(table, row, values, problems) for row, values in table.rows], problems


def test_repeated_text_is_read_the_same_and_each_bad_cell_is_reported(tmp_path: Path) -> None:
    names = ["王 五"] * 3 + ["王\x07五"] * 2 + ["ＡＢ"] * 2  # a control character: a CSV can hold one
    lines = ["姓名,证件号码,金额,电话", *(f"{n},{make_id(sequence=i)},," for i, n in enumerate(names))]
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = read_table(path, COLUMNS)
    problems: list[Problem] = []
    found = [RowReader(table, row, values, problems) for row, values in table.rows]
    assert [r.text("姓名") for r in found] == ["王 五"] * 3 + ["王五", "王五", "AB", "AB"]
    assert [r.text("姓名") for r in found][:1] == ["王 五"]  # a second read of the same cell
    assert [(p.row, p.severity) for p in problems] == [(5, "warning"), (6, "warning")]
    assert all("U+0007" in p.message for p in problems)


def test_amounts_read_once_per_value_are_the_same_amounts(tmp_path: Path) -> None:
    values: list[object] = [1500, 1500.0, 100.335, 100.335, 0.3, 0, -0.0, -5, 10**12, 999999999999.99]
    rows = [["张三", make_id(sequence=i), value, None] for i, value in enumerate(values)]
    found, problems = readers(tmp_path, rows)
    amounts = [r.money("金额") for r in found]
    assert [str(a) for a in amounts] == [
        "1500.00",
        "1500.00",
        "100.34",
        "100.34",
        "0.30",
        "0.00",
        "-0.00",  # as before: a negative zero is read by the general path, not taken for 0.00
        "None",
        "None",
        "999999999999.99",
    ]
    assert [(p.row, p.message) for p in problems] == [
        (9, "不能为负数"),
        (10, "金额大得不合常理（一万亿元以上）"),
    ]
    assert all(isinstance(a, Decimal) for a in amounts if a is not None)


def test_phone_shortcut_keeps_the_general_rules(tmp_path: Path) -> None:
    phones = ["13812345678", "１３８１２３４５６７８", "138 1234 5678", "12812345678", "+8613812345678"]
    rows = [["张三", make_id(sequence=i), None, phone] for i, phone in enumerate(phones)]
    found, problems = readers(tmp_path, rows)
    assert [r.phone("电话") for r in found] == [
        "13812345678",
        "13812345678",
        "13812345678",
        None,
        "13812345678",
    ]
    assert [(p.row, p.message) for p in problems] == [(5, "电话号码格式不对，将不打印")]


def test_rows_with_an_ascii_first_cell_are_still_skipped_when_empty_or_a_footer(tmp_path: Path) -> None:
    header = ["序号", "姓名", "证件号码", "金额", "电话"]
    rows = [
        header,
        ["1", "张三", make_id(sequence=1), 10, None],
        ["2", None, None, None, None],  # a numbered row with nothing in the table's columns
        ["3", "李四", make_id(sequence=3), 20, None],
        ["合计", None, None, 30, None],
        ["Total:", "制表人：王", None, None, None],
    ]
    table = read_table(write_xlsx(tmp_path / "t.xlsx", rows), COLUMNS)
    assert [row for row, _ in table.rows] == [2, 4, 6]


def test_roster_reads_the_same_with_the_collector_paused(tmp_path: Path) -> None:
    rows = [ROSTER_HEADER]
    for number in range(30):
        rows.append(roster_row(f"H{number:03d}", "户主", make_id(sequence=2 * number), "户主"))
        rows.append(roster_row(f"H{number:03d}", "之子", make_id(sequence=2 * number + 1), "之子"))
    path = write_xlsx(tmp_path / "名单.xlsx", rows)
    roster = load_roster(path)
    assert gc.isenabled()
    gc.disable()
    try:
        assert load_roster(path) == roster
        assert not gc.isenabled()  # a read inside a caller that paused the collector leaves it paused
    finally:
        gc.enable()
    assert len(roster.households) == 30 and all(h.size == 2 for h in roster.households)


def test_collector_turned_back_on_after_a_refusal(tmp_path: Path) -> None:
    @without_gc
    def refuse() -> None:
        assert not gc.isenabled()
        raise InputError([Problem("x.xlsx", "坏")])

    with pytest.raises(InputError):
        refuse()
    assert gc.isenabled()


def test_repeated_dates_read_the_same_and_the_month_only_rule_still_applies(tmp_path: Path) -> None:
    texts = ["2023-06-30", "2023-06-30", "202303", "202303", "2023-02-30", "2023-02-30", "2023\x07-06-30"]
    lines = [
        "姓名,证件号码,金额,电话,日期",
        *(f"张三,{make_id(sequence=i)},,,{t}" for i, t in enumerate(texts)),
    ]
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = read_table(path, (*COLUMNS, Column("日期")))
    problems: list[Problem] = []
    found = [RowReader(table, row, values, problems) for row, values in table.rows]
    assert [str(r.date("日期")) for r in found] == [
        "2023-06-30",
        "2023-06-30",
        "2023-03-01",
        "2023-03-01",
        "None",
        "None",
        "2023-06-30",
    ]
    assert found[3].date("日期", month_only_ok=False) is None  # a month alone, where a day is needed
    assert [(p.row, p.severity) for p in problems] == [
        (6, "error"),
        (7, "error"),
        (8, "warning"),
        (5, "error"),
    ]
    assert "不是实际存在的日期" in problems[0].message and "U+0007" in problems[2].message


def _book(path: Path, cells: dict[str, object]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for coordinate, value in cells.items():
        sheet[coordinate] = value
    book.save(path)
    return path


@pytest.mark.parametrize(
    "cells",
    [
        {"A1": "户编号", "B1": "姓名", "A2": "H1", "B2": "张三", "A3": "H1", "B3": "张三"},
        {"C5": "x", "D6": "y", "E7": 3},  # the data area starts away from A1
        {"B1": "一", "B9": "一", "F4": 2.5, "A12": ""},  # blank rows inside, a blank cell last
        {"D3": "只有一格"},
    ],
)
def test_large_sheet_read_row_by_row_gives_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cells: dict[str, object]
) -> None:
    import python_calamine

    from fanpin_docs.readers import sources

    path = _book(tmp_path / "t.xlsx", cells)
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    expected = sheet.to_python(skip_empty_area=False)
    monkeypatch.setattr(sources, "SHARED_TEXT_CELLS", 0)  # every sheet counts as large
    rows = sources._sheet_rows(sheet)
    assert rows == expected
    texts = [cell for row in rows for cell in row if isinstance(cell, str) and cell]
    assert len({id(t) for t in texts}) == len(set(texts))  # each repeated text held once


def test_large_roster_reads_the_same_as_a_small_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fanpin_docs.readers import sources

    rows = [["黔江区防返贫监测对象信息"], ROSTER_HEADER]
    for number in range(20):
        rows.append(roster_row(f"H{number:03d}", "户主", make_id(sequence=2 * number), "户主"))
        rows.append(roster_row(f"H{number:03d}", "之子", make_id(sequence=2 * number + 1), "之子"))
    path = write_xlsx(tmp_path / "名单.xlsx", rows)
    small = load_roster(path)
    monkeypatch.setattr(sources, "SHARED_TEXT_CELLS", 0)
    assert load_roster(path) == small
