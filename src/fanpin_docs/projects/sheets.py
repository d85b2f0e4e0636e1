"""What the project workbooks share: the heading of a batch, an info line, totals rows, signatures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..dates import BLANK_DATE
from ..printing import row_height, signature_parts, wrapped_lines
from ..xlsx import BODY_FONT, FONT_NAME, RIGHT, CachedFormulas, put_text

BOLD = Font(name=FONT_NAME, size=11, bold=True)
INFO_FONT = Font(name=FONT_NAME, size=11)


@dataclass(frozen=True)
class BatchHeading:
    """Who files and for which year: printed in titles and info lines."""

    county: str
    township: str
    year: int
    policy_title: str
    prepared_by: str = ""
    reviewed_by: str = ""
    responsible: str = ""

    @property
    def unit(self) -> str:
        return self.township or self.county


def info_line(
    ws: Worksheet,
    row: int,
    left: str,
    right: str,
    columns: int,
    widths: Sequence[float],
    split: int | None = None,
) -> None:
    """`left` over the first columns and `right` flush right over the rest, on one row.

    `left` spans more columns than `split` when it needs them to stay on one line and `right` still
    fits in the rest; when no split holds it on one line, it wraps in a row tall enough for its lines
    (a cell that does not wrap is cut at its edge on paper)."""
    split = split or max(columns - 3, 1)

    def one_line(text: str, first: int, last: int) -> bool:
        return wrapped_lines(text, sum(widths[first:last])) == 1

    while not one_line(left, 0, split) and split + 1 < columns and one_line(right, split + 1, columns):
        split += 1
    wrap = not one_line(left, 0, split)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=split)
    put_text(ws.cell(row=row, column=1), left).font = INFO_FONT
    ws.cell(row=row, column=1).alignment = Alignment(horizontal="left", vertical="center", wrap_text=wrap)
    if split < columns:
        ws.merge_cells(start_row=row, start_column=split + 1, end_row=row, end_column=columns)
    cell = put_text(ws.cell(row=row, column=split + 1 if split < columns else 1), right)
    cell.font = INFO_FONT
    cell.alignment = RIGHT
    ws.row_dimensions[row].height = row_height([(left, sum(widths[:split]))]) if wrap else 20


def label_row(ws: Worksheet, row: int, text: str, last_label_column: int) -> None:
    """A subtotal/total row's caption merged over the first columns, in bold."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_label_column)
    cell = put_text(ws.cell(row=row, column=1), text)
    cell.font = BOLD
    cell.alignment = Alignment(horizontal="center", vertical="center")


def sum_cells(
    cached: CachedFormulas,
    ws: Worksheet,
    row: int,
    column: int,
    source_rows: Sequence[int],
    value: Decimal | int,
    *,
    money: bool,
) -> None:
    """=SUM over `source_rows` of `column` (a range when contiguous), with its value cached."""
    letter = get_column_letter(column)
    rows = sorted(source_rows)
    if not rows:
        formula = "=0"
    elif rows == list(range(rows[0], rows[-1] + 1)):
        formula = f"=SUM({letter}{rows[0]}:{letter}{rows[-1]})"
    else:
        formula = "=SUM(" + ",".join(f"{letter}{r}" for r in rows) + ")"
    cell = cached.put(ws.cell(row=row, column=column), formula, value, "#,##0.00" if money else "0")
    cell.font = BOLD


def bold_row(ws: Worksheet, row: int, columns: int) -> None:
    for column in range(1, columns + 1):
        ws.cell(row=row, column=column).font = BOLD


def signatures(ws: Worksheet, row: int, heading: BatchHeading, columns: int, date_text: str = "") -> None:
    """制表人 / 审核人 / 负责人, each with a line to sign on, and the date: one line under a table."""
    parts = signature_parts(
        heading.prepared_by, heading.reviewed_by, heading.responsible, date_text or BLANK_DATE
    )
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    cell = put_text(ws.cell(row=row, column=1), "　　　".join(parts))
    cell.font = BODY_FONT
    cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.row_dimensions[row].height = 28
