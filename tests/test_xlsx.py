"""Print-ready workbooks: text stays text, formulas carry cached values, A4 page setup."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import python_calamine
from openpyxl import Workbook, load_workbook

from fanpin_docs.xlsx import (
    BORDER,
    MONEY_FORMAT,
    CachedFormulas,
    fitting_widths,
    frame,
    put_money,
    put_number,
    put_text,
    setup_sheet,
    text_width,
    workbook_bytes,
    write_header,
    write_title,
)


def saved(book: Workbook, tmp_path: Path, cached: CachedFormulas | None = None) -> Path:
    path = tmp_path / "表.xlsx"
    path.write_bytes(workbook_bytes(book, cached))
    return path


def sheet_xml(path: Path, number: int = 1) -> str:
    return zipfile.ZipFile(path).read(f"xl/worksheets/sheet{number}.xml").decode()


@pytest.mark.parametrize(
    "value",
    ["=1+1", '=HYPERLINK("http://x","点我")', "+8613812345678", "-5", "@SUM(A1)", "=cmd|' /C calc'!A0"],
)
def test_put_text_never_makes_a_formula(tmp_path: Path, value: str) -> None:
    book = Workbook()
    put_text(book.active["A1"], value)
    path = saved(book, tmp_path)
    assert "<f>" not in sheet_xml(path)
    cell = load_workbook(path).active["A1"]
    assert cell.value == value and cell.data_type == "s"
    assert (
        python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[0][0] == value
    )


def test_put_text_keeps_ids_and_codes_as_text(tmp_path: Path) -> None:
    book = Workbook()
    put_text(book.active["A1"], "500114199001011234")
    put_text(book.active["A2"], "0012")
    put_text(book.active["A3"], None)
    put_text(book.active["A4"], 42)
    sheet = load_workbook(saved(book, tmp_path)).active
    assert sheet["A1"].value == "500114199001011234" and sheet["A2"].value == "0012"
    assert sheet["A3"].value in ("", None) and sheet["A4"].value == "42"


def test_put_money_and_put_number(tmp_path: Path) -> None:
    book = Workbook()
    put_money(book.active["A1"], Decimal("1234.5"))
    put_number(book.active["A2"], Decimal("4.5"))
    sheet = load_workbook(saved(book, tmp_path)).active
    assert sheet["A1"].value == 1234.5 and sheet["A1"].number_format == MONEY_FORMAT
    assert sheet["A2"].value == 4.5


def test_cached_formula_values_are_in_the_saved_xml(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "补贴"
    for row, amount in enumerate((Decimal("240.00"), Decimal("180.50")), start=1):
        put_money(sheet.cell(row=row, column=1), amount)
    cached = CachedFormulas()
    cached.put(sheet["A3"], "=SUM(A1:A2)", Decimal("420.50"))
    second = book.create_sheet("汇总")
    cached.put(second["B2"], "=补贴!A3*2", Decimal("841.00"))
    path = saved(book, tmp_path, cached)

    assert re.search(r'<c r="A3"[^>]*><f>SUM\(A1:A2\)</f><v>420\.50</v></c>', sheet_xml(path, 1))
    assert re.search(r'<c r="B2"[^>]*><f>[^<]*!A3\*2</f><v>841\.00</v></c>', sheet_xml(path, 2))
    values = load_workbook(path, data_only=True)
    assert values["补贴"]["A3"].value == 420.5 and values["汇总"]["B2"].value == 841
    formulas = load_workbook(path)
    assert formulas["补贴"]["A3"].value == "=SUM(A1:A2)"
    calamine = python_calamine.CalamineWorkbook.from_path(str(path))
    assert calamine.get_sheet_by_name("补贴").to_python()[2][0] == 420.5


def test_formulas_not_written_through_cached_formulas_are_left_alone(tmp_path: Path) -> None:
    book = Workbook()
    book.active["A1"] = "=1+2"
    cached = CachedFormulas()
    cached.put(book.active["A2"], "=A1*2", 6)
    xml = sheet_xml(saved(book, tmp_path, cached))
    assert "<v>6</v>" in xml
    assert re.search(r'<c r="A1"[^>]*><f>1\+2</f><v\s*/?>(</v>)?</c>', xml)


def test_workbook_bytes_without_formulas_is_a_plain_save(tmp_path: Path) -> None:
    book = Workbook()
    book.active["A1"] = "x"
    assert load_workbook(io.BytesIO(workbook_bytes(book))).active["A1"].value == "x"


def test_setup_sheet_for_printing(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    write_title(sheet, 1, "误工补贴发放花名册", 5)
    write_header(sheet, 2, ["序号", "姓名", "身份证号", "补贴金额", "签字"])
    frame(sheet, 2, 4, 5)
    setup_sheet(sheet, landscape=True, title_rows="1:2", widths=[6, 10, 22, 12, 12])
    reopened = load_workbook(saved(book, tmp_path)).active
    assert int(reopened.page_setup.paperSize) == int(reopened.PAPERSIZE_A4) == 9
    assert reopened.page_setup.orientation == "landscape"
    assert reopened.print_title_rows.replace("$", "") == "1:2"
    assert reopened.sheet_properties.pageSetUpPr.fitToPage
    assert reopened.page_setup.fitToWidth == 1 and reopened.page_setup.fitToHeight == 0
    assert "&P" in reopened.oddFooter.center.text and "&N" in reopened.oddFooter.center.text
    assert reopened.column_dimensions["C"].width == 22
    assert "A1:E1" in {str(r) for r in reopened.merged_cells.ranges}
    assert reopened["A1"].value == "误工补贴发放花名册"
    assert [reopened.cell(row=2, column=c).value for c in range(1, 6)] == [
        "序号",
        "姓名",
        "身份证号",
        "补贴金额",
        "签字",
    ]
    assert reopened["B2"].font.b
    assert reopened["C4"].border.left.style == BORDER.left.style == "thin"


def test_widths_count_chinese_characters_double() -> None:
    assert text_width("张三") > 1.8 * text_width("ab")
    widths = fitting_widths(["姓名", "身份证号"], [["欧阳娜娜", "500114199001011234"], ["张三", None]])
    assert widths[0] == pytest.approx(text_width("欧阳娜娜") + 2)
    assert widths[1] == pytest.approx(text_width("500114199001011234") + 2)
    assert fitting_widths(["x"], [["甲" * 100]]) == [40]
    assert fitting_widths(["x"], [["y"]]) == [6]


def test_put_text_drops_control_characters_a_workbook_cannot_hold() -> None:
    from openpyxl import Workbook

    from fanpin_docs.xlsx import put_text

    cell = put_text(Workbook().active["A1"], "张\x01三\x0b")
    assert cell.value == "张三"
