"""Print-ready workbooks as an office prints them: A4, repeated header rows, page numbers, borders,
money as numbers with two decimals, totals as live formulas that also carry their cached values,
and no value from the data ever written as a formula.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from .printing import (
    BODY_SIZE,
    DEFAULT_ROW_POINTS,
    FONT_NAME,
    FOOTER_TEXT,
    HEADER_FILL_RGB,
    MARGINS,
    MONEY_FORMAT,
    TITLE_FONT_NAME,
    TITLE_SIZE,
    PrintFit,
    closing_break,
    print_fit,
    row_height,
)

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TITLE_FONT = Font(name=TITLE_FONT_NAME, size=TITLE_SIZE, bold=False)
HEADER_FONT = Font(name=FONT_NAME, size=BODY_SIZE, bold=True)
BODY_FONT = Font(name=FONT_NAME, size=BODY_SIZE)
HEADER_FILL = PatternFill("solid", fgColor=HEADER_FILL_RGB)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")


def put_text(cell: Cell, value: object) -> Cell:
    """Text as given: a value starting with = + - @ stays text, never a formula; control characters
    (which a workbook cannot hold) are dropped."""
    text = "" if value is None else str(value)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)  # control characters a workbook cannot hold
    cell.data_type = "s"
    return cell


def put_money(cell: Cell, value: Decimal) -> Cell:
    cell.value = value
    cell.number_format = MONEY_FORMAT
    cell.alignment = RIGHT
    return cell


def put_number(cell: Cell, value: Decimal | int | None, number_format: str = "0.0#") -> Cell:
    cell.value = value
    cell.number_format = number_format
    cell.alignment = CENTER
    return cell


def text_width(text: str) -> float:
    """Display width in Excel character units: a Chinese character is about two."""
    return sum(2.1 if ord(ch) > 0x2E80 else 1.1 for ch in text)


@dataclass
class CachedFormulas:
    """Formulas written by the tool and the values they evaluate to, for readers that do not recalculate."""

    values: dict[tuple[str, str], Decimal | int] = field(default_factory=dict)

    def put(self, cell: Cell, formula: str, value: Decimal | int, number_format: str = MONEY_FORMAT) -> Cell:
        cell.value = formula
        cell.number_format = number_format
        cell.alignment = RIGHT
        self.values[(cell.parent.title, cell.coordinate)] = value
        return cell


def setup_sheet(
    ws: Worksheet,
    *,
    landscape: bool,
    title_rows: str | None,
    widths: Sequence[float],
    key_columns: int = 0,
    print_columns: int | None = None,
) -> PrintFit:
    """A form's page setup (see `fanpin_docs.printing`): A4, orientation, header rows repeated on every
    page, one page wide only at a readable scale, page numbers in a footer that fits its margin.

    `print_columns`: only the first columns go on paper (the rest stay in the workbook);
    `key_columns`: repeated on the left of every page when the table is too wide for one page.
    """
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    paper = list(widths[:print_columns] if print_columns else widths)
    fit = print_fit(paper, landscape=landscape, smallest_font=smallest_font(ws, len(paper)))
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    if fit.one_page_wide:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        ws.page_setup.scale = fit.scale
        if key_columns:
            ws.print_title_cols = f"A:{get_column_letter(key_columns)}"
    if title_rows:
        ws.print_title_rows = title_rows
    if print_columns:
        ws.print_area = f"A1:{get_column_letter(print_columns)}{ws.max_row}"
    ws.print_options.horizontalCentered = True
    for side, inches in MARGINS.items():
        setattr(ws.page_margins, side, inches)
    ws.oddFooter.center.text = FOOTER_TEXT
    ws.oddFooter.center.font = FONT_NAME
    return fit


def smallest_font(ws: Worksheet, columns: int) -> float:
    """The smallest font size of the non-empty cells in the first `columns` columns (11 when none)."""
    sizes = [
        float(cell.font.sz)
        for row in ws.iter_rows(max_col=columns)
        for cell in row
        if cell.value not in (None, "") and cell.font is not None and cell.font.sz
    ]
    return min(sizes, default=BODY_SIZE)


def write_title(
    ws: Worksheet, row: int, text: str, columns: int, font: Font = TITLE_FONT, height: float = 30
) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    cell = put_text(ws.cell(row=row, column=1), text)
    cell.font = font
    cell.alignment = CENTER
    ws.row_dimensions[row].height = height


def write_header(ws: Worksheet, row: int, headers: Sequence[str]) -> None:
    for column, header in enumerate(headers, start=1):
        cell = put_text(ws.cell(row=row, column=column), header)
        cell.font = HEADER_FONT
        cell.alignment = CENTER
        cell.border = BORDER
        cell.fill = HEADER_FILL
    ws.row_dimensions[row].height = 32


def frame(ws: Worksheet, first_row: int, last_row: int, columns: int) -> None:
    """Borders and the body font on a block of cells (text cells left-aligned unless already set)."""
    for row in ws.iter_rows(min_row=first_row, max_row=last_row, min_col=1, max_col=columns):
        for cell in row:
            cell.border = BORDER
            if cell.font is None or cell.font.name != FONT_NAME or not cell.font.b:
                cell.font = BODY_FONT
            if cell.alignment.horizontal is None:
                cell.alignment = LEFT


def fitting_widths(
    headers: Sequence[str], rows: Sequence[Sequence[object]], minimum: float = 6, maximum: float = 40
) -> list[float]:
    widths = []
    for index, header in enumerate(headers):
        longest = max(
            [text_width(header)] + [text_width(str(r[index])) for r in rows if r[index] is not None]
        )
        widths.append(min(max(longest + 2, minimum), maximum))
    return widths


def workbook_bytes(workbook: Workbook, cached: CachedFormulas | None = None) -> bytes:
    """The saved workbook with each tool-written formula's cached value filled in."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if not cached or not cached.values:
        return data
    by_sheet: dict[int, dict[str, Decimal | int]] = {}
    titles = [ws.title for ws in workbook.worksheets]
    for (title, coordinate), value in cached.values.items():
        by_sheet.setdefault(titles.index(title) + 1, {})[coordinate] = value
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if match and int(match.group(1)) in by_sheet:
                content = _fill_cached(content, by_sheet[int(match.group(1))])
            target.writestr(info, content)
    return out.getvalue()


def _fill_cached(xml: bytes, values: dict[str, Decimal | int]) -> bytes:
    def replace(match: re.Match[bytes]) -> bytes:
        coordinate = match.group(1).decode()
        if coordinate not in values:
            return match.group(0)
        return match.group(0).replace(b"<v></v>", b"<v>" + str(values[coordinate]).encode() + b"</v>")

    return re.sub(rb'<c r="([A-Z]+\d+)"[^>]*><f>[^<]*</f><v></v></c>', replace, xml)


def fit_heights(
    ws: Worksheet, first_row: int, last_row: int, widths: Sequence[float], *, minimum: float = 20
) -> None:
    """Row heights for wrapped text (LibreOffice and WPS do not grow rows of a generated file).

    The lines a cell needs are estimated from its text against its column width (the merged width
    for a merged cell), as `fanpin_docs.printing.row_height` does.
    """
    spans: dict[tuple[int, int], float] = {}
    covered: set[tuple[int, int]] = set()
    for merged in ws.merged_cells.ranges:
        spans[(merged.min_row, merged.min_col)] = sum(
            widths[c - 1] for c in range(merged.min_col, merged.max_col + 1) if c - 1 < len(widths)
        )
        covered |= {
            (r, c)
            for r in range(merged.min_row, merged.max_row + 1)
            for c in range(merged.min_col, merged.max_col + 1)
        } - {(merged.min_row, merged.min_col)}
    for row in range(first_row, last_row + 1):
        texts = []
        for column in range(1, len(widths) + 1):
            cell = ws.cell(row=row, column=column)
            if (row, column) in covered or cell.data_type != "s" or not isinstance(cell.value, str):
                continue
            texts.append((cell.value, spans.get((row, column), widths[column - 1])))
        ws.row_dimensions[row].height = row_height(texts, minimum=minimum)


def keep_closing_block(ws: Worksheet, last_table_row: int, fit: PrintFit) -> None:
    """A page break before the table's last rows when the rows after `last_table_row` (totals, notes,
    signatures) would otherwise stand alone on a last page (`fanpin_docs.printing.closing_break`)."""
    last = ws.max_row
    heights = [ws.row_dimensions[r].height or DEFAULT_ROW_POINTS for r in range(1, last + 1)]
    titles = ws.print_title_rows
    span = None
    if titles:
        first, _, second = titles.replace("$", "").partition(":")
        span = (int(first), int(second))
    after = closing_break(
        heights,
        first_row=1,
        title_rows=span,
        last_table_row=last_table_row,
        scale=fit.scale,
        landscape=ws.page_setup.orientation == "landscape",
    )
    if after is not None:
        ws.row_breaks.append(Break(id=after))
