"""The fast SpreadsheetML writer of the training workbooks, read back with openpyxl and calamine."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import python_calamine
from openpyxl import load_workbook

from fanpin_docs.sheetxml import Formula, Sheet, workbook_bytes

STAMP = "2023-03-20T00:00:00Z"


def _book(tmp_path: Path, *sheets: Sheet) -> Path:
    path = tmp_path / "book.xlsx"
    path.write_bytes(workbook_bytes(list(sheets), STAMP))
    return path


def test_text_stays_text_whatever_it_looks_like(tmp_path: Path) -> None:
    values = [
        "=1+1",
        "+86",
        "-3",
        "@SUM(A1)",
        "<b>&amp;</b>",
        "  空格  ",
        "_x0041_",
        "a\x01b",
        "500114199001011234",
    ]
    sheet = Sheet("表", len(values))
    sheet.cells(1, values, ["left"] * len(values))
    book = load_workbook(_book(tmp_path, sheet))
    cells = book.active[1]
    assert [c.data_type for c in cells] == ["s"] * len(values)
    assert [c.value for c in cells][:6] == values[:6]
    # "_x0041_" and the control character are written with Excel's _xHHHH_ escapes, which Excel,
    # LibreOffice and calamine undo (openpyxl shows the escaped form)
    raw = (
        python_calamine.CalamineWorkbook.from_path(str(tmp_path / "book.xlsx"))
        .get_sheet_by_name("表")
        .to_python()
    )
    assert raw[0] == values


def test_numbers_formulas_and_cached_values(tmp_path: Path) -> None:
    sheet = Sheet("钱", 2)
    sheet.cells(1, [Decimal("200.00"), 5], ["money", "number"])
    sheet.cells(2, [Decimal("60.50"), Decimal("6.5")], ["money", "number"])
    sheet.cells(
        3,
        [Formula("SUM(A1:A2)", Decimal("260.50")), Formula("SUM(B1:B2)", Decimal("11.5"))],
        ["money", "number_right"],
    )
    path = _book(tmp_path, sheet)
    ws = load_workbook(path).active
    assert ws["A3"].value == "=SUM(A1:A2)" and ws["A3"].number_format == "#,##0.00"
    assert ws["A1"].data_type == "n" and ws["A1"].value == 200
    cached = load_workbook(path, data_only=True).active
    assert (cached["A3"].value, cached["B3"].value) == (260.5, 11.5)


def test_page_setup_merges_widths_and_styles(tmp_path: Path) -> None:
    first = Sheet("第1天 3月6日", 3, landscape=True, widths=[6, 12.5, 20], title_rows=(3, 3))
    first.line(1, "标题", "title", height=30)
    first.cells(3, ["序号", "姓名", "签到"], ["header"] * 3, height=32)
    first.cells(4, [1, "张三", None], ["center", "center", "center"])
    second = Sheet("O'Brien", 3, title_rows=(2, 3))
    second.reuse_rows(first, range(4, 5))
    book = load_workbook(_book(tmp_path, first, second))
    ws = book["第1天 3月6日"]
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$3"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:C1"]
    assert ws.column_dimensions["B"].width == 12.5
    assert ws.row_dimensions[3].height == 32
    assert ws["A3"].font.b and ws["A3"].fill.fgColor.rgb.endswith("F2F2F2")
    assert ws["C4"].border.left.style == "thin" and ws["C4"].value is None
    assert ws["A1"].font.name == "黑体" and ws["B4"].font.name == "宋体"
    other = book["O'Brien"]
    assert other.page_setup.orientation == "portrait" and other.print_title_rows == "$2:$3"
    assert other["B4"].value == "张三"


def test_same_sheets_same_bytes() -> None:
    def make() -> bytes:
        sheet = Sheet("表", 2, widths=[8, 8])
        sheet.cells(1, ["甲", Decimal("1.50")], ["left", "money"])
        return workbook_bytes([sheet], STAMP)

    assert make() == make()
    assert STAMP.encode() in __import__("zipfile").ZipFile(__import__("io").BytesIO(make())).read(
        "docProps/core.xml"
    )
