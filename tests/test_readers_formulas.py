"""Formulas saved without their result (openpyxl writes `=B3+C3` and no value): computed when they are
simple arithmetic over the same sheet, refused with their place otherwise — never read as empty."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from fanpin_docs.cellrefs import column_letters
from fanpin_docs.errors import InputError
from fanpin_docs.readers import load_roster
from fanpin_docs.readers.formulas import CellError, UnevaluatedFormula, evaluate, fill_formulas
from fanpin_docs.readers.workbook import open_workbook
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx

HEAD = make_id("19700101", 11)
TRANSFER = ROSTER_HEADER.index("转移性收入")


def roster_with_transfer(tmp_path: Path, transfer: object, extra: tuple[object, ...] = ()) -> Path:
    header = [*ROSTER_HEADER, "养老金", "低保金"]
    row = roster_row("001", "张三", HEAD, "户主", size=1, income=(6000, 0, 0, 0, 0))
    row[TRANSFER] = transfer
    return write_xlsx(tmp_path / "名单.xlsx", [header, [*row, *extra]])


def test_simple_formula_without_result_is_computed(tmp_path: Path) -> None:
    # 转移性收入 = 养老金 + 低保金 (columns Z and AA), saved by a script without the result
    path = roster_with_transfer(tmp_path, "=Z2+AA2", (1740, 375))
    household = load_roster(path).households[0]
    assert household.income is not None and household.income.transfer == Decimal("2115")
    assert household.income.net == Decimal("8115")


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=SUM(Z2:AA2)", "2115"),
        ("=(Z2+AA2)*2-100/4", "4205"),
        ("=$Z$2 + 0.5", "1740.5"),
        ("=-Z2+SUM(Z2,AA2,10)", "385"),
    ],
)
def test_arithmetic_and_sum(tmp_path: Path, formula: str, expected: str) -> None:
    sheets = open_workbook(roster_with_transfer(tmp_path, formula, (1740, 375)))
    assert next(iter(sheets.values()))[1][TRANSFER] == Decimal(expected)


def test_formula_that_cannot_be_computed_is_refused_with_its_place(tmp_path: Path) -> None:
    path = roster_with_transfer(tmp_path, "=VLOOKUP(A2,Sheet2!A:B,2,0)")
    with pytest.raises(InputError) as caught:
        load_roster(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.sheet, problem.row, problem.column) == (
        "名单.xlsx",
        "Sheet1",
        2,
        "转移性收入",
    )
    assert "=VLOOKUP(A2,Sheet2!A:B,2,0)" in problem.message and "没有保存它的计算结果" in problem.message
    assert "保存一次" in problem.hint and "WPS" in problem.hint


def test_unknown_function_is_named() -> None:
    with pytest.raises(ValueError, match="ROUND"):
        evaluate("=ROUND(A1,2)", lambda row, column: 1)


def test_formula_in_a_recomputed_column_is_ignored(tmp_path: Path) -> None:
    header = [*ROSTER_HEADER, "家庭纯收入"]
    row = [*roster_row("001", "张三", HEAD, "户主", size=1), "=LOOKUP(1,2)"]
    roster = load_roster(write_xlsx(tmp_path / "名单.xlsx", [header, row]))
    assert roster.households[0].income is not None and not roster.warnings


def test_text_cell_in_arithmetic_and_cycles_are_not_computed() -> None:
    rows: list[list[object]] = [["甲", 5, ""]]
    fill_formulas(rows, {(0, 2): "A1+B1", (0, 3): "D1+1"})
    assert isinstance(rows[0][2], UnevaluatedFormula) and "不是数字" in rows[0][2].reason
    assert isinstance(rows[0][3], UnevaluatedFormula)
    rows = [["甲", 5, ""]]
    fill_formulas(rows, {(0, 2): "SUM(A1:B1)", (0, 4): "C1*2"})
    assert rows[0][2] == Decimal(5) and rows[0][4] == Decimal(10)  # SUM skips text; chains are followed


def test_sum_over_a_range_skips_numbers_stored_as_text_as_excel_does() -> None:
    """Excel's SUM(A1:B1) leaves out a number stored as text (what it shows: 5); =A1+B1 converts it."""
    rows: list[list[object]] = [["15000", 5]]
    fill_formulas(rows, {(0, 2): "SUM(A1:B1)", (0, 3): "A1+B1"})
    assert rows[0][2] == Decimal(5) and rows[0][3] == Decimal(15005)


def test_a_formula_using_an_error_value_is_not_computed() -> None:
    rows: list[list[object]] = [[CellError("#N/A"), 5]]
    fill_formulas(rows, {(0, 2): "SUM(A1:B1)", (0, 3): "A1+B1"})
    for cell in rows[0][2:]:
        assert isinstance(cell, UnevaluatedFormula) and "#N/A" in cell.reason


def test_a_cell_with_commas_that_do_not_group_thousands_is_not_computed_with() -> None:
    # neither read as 1500 (the commas dropped) nor as 15: which number it is is unknown (Excel: #VALUE!)
    rows: list[list[object]] = [["15,00", 5, ""]]
    fill_formulas(rows, {(0, 2): "A1+B1"})
    assert isinstance(rows[0][2], UnevaluatedFormula)
    assert "「15,00」中逗号的位置不是千位分隔" in rows[0][2].reason
    rows = [["1,500", 5, ""]]
    fill_formulas(rows, {(0, 2): "A1+B1"})
    assert rows[0][2] == Decimal(1505)
    for text in ("15,00", "1,500"):  # text in a range: SUM leaves it out, as Excel does
        rows = [[text, 5, ""]]
        fill_formulas(rows, {(0, 2): "SUM(A1:B1)"})
        assert rows[0][2] == Decimal(5)


def test_a_formula_whose_stored_result_is_empty_text_is_not_recomputed(tmp_path: Path) -> None:
    """Excel stores =IF(A2="","",A2) resulting in "" as <c t="str"><f>…</f><v></v></c>: a result."""
    import zipfile

    path = roster_with_transfer(tmp_path, "=Z2+AA2", (1740, 375))
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    cell = f'<c r="{chr(65 + TRANSFER)}2">'
    assert cell in sheet
    parts["xl/worksheets/sheet1.xml"] = (
        sheet.replace(cell, cell[:-1] + ' t="str">')
        .replace("<f>Z2+AA2</f>", '<f>IF(Z2="","",Z2)</f>')
        .encode()
    )
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    household = load_roster(path).households[0]
    assert household.income is not None and household.income.transfer == 0


def test_a_formula_in_a_row_written_with_a_namespace_prefix_is_seen(tmp_path: Path) -> None:
    """A row written `<x:row><x:c><x:f>…` after plainly written rows (the reader takes both): its formula
    without a result is found as a plain one is, not read as empty."""
    path = roster_with_transfer(tmp_path, 0, (1740, 375))
    column = column_letters(TRANSFER + 1)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    def prefixed(xml: str) -> str:
        row = re.search(r'<row r="2"[^>]*>.*?</row>', xml, flags=re.DOTALL)
        assert row is not None
        text = re.sub(rf'<c r="{column}2"[^>]*>.*?</c>', f'<c r="{column}2"><f>Z2+AA2</f></c>', row.group(0))
        text = re.sub(r"<(/?)(row|c|v|f|is|t)([\s>/])", r"<\1x:\2\3", text)
        text = text.replace("<x:row ", f'<x:row xmlns:x="{main}" ', 1)
        return xml.replace(row.group(0), text)

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = prefixed(parts["xl/worksheets/sheet1.xml"].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    household = load_roster(path).households[0]
    assert household.income is not None and household.income.transfer == Decimal("2115")
