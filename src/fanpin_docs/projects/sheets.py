"""What the project workbooks share: the heading of a batch, an info line, totals rows, signatures."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..xlsx import BODY_FONT, FONT_NAME, RIGHT, CachedFormulas, put_text, text_width

BOLD = Font(name=FONT_NAME, size=11, bold=True)
INFO_FONT = Font(name=FONT_NAME, size=11)
WRAP_FACTOR = 0.9  # xlsx.text_width is generous for Chinese; rows measured in LibreOffice need ~90% of it


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


def info_line(ws: Worksheet, row: int, left: str, right: str, columns: int, split: int | None = None) -> None:
    """`left` over the first columns and `right` flush right over the rest, on one row."""
    split = split or max(columns - 3, 1)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=split)
    put_text(ws.cell(row=row, column=1), left).font = INFO_FONT
    ws.cell(row=row, column=1).alignment = Alignment(horizontal="left", vertical="center")
    if split < columns:
        ws.merge_cells(start_row=row, start_column=split + 1, end_row=row, end_column=columns)
    cell = put_text(ws.cell(row=row, column=split + 1 if split < columns else 1), right)
    cell.font = INFO_FONT
    cell.alignment = RIGHT
    ws.row_dimensions[row].height = 20


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
    """制表人 / 审核人 / 负责人 and the date under a table, spread over the width."""
    parts = [
        f"制表人：{heading.prepared_by}",
        f"审核人：{heading.reviewed_by}",
        f"负责人：{heading.responsible}",
        f"日期：{date_text}",
    ]
    step = max(columns // len(parts), 1)
    for index, text in enumerate(parts):
        column = 1 + index * step
        if column > columns:
            break
        cell = put_text(ws.cell(row=row, column=column), text)
        cell.font = BODY_FONT
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=False)
    ws.row_dimensions[row].height = 28


def fit_heights(
    ws: Worksheet,
    first_row: int,
    last_row: int,
    widths: Sequence[float],
    *,
    line_height: float = 14.5,
    minimum: float = 20,
) -> None:
    """Row heights for wrapped text (LibreOffice and WPS do not grow rows of a generated file).

    The lines a cell needs are estimated from its text width against its column width (the merged
    width for a merged cell).
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
        lines = 1
        for column in range(1, len(widths) + 1):
            cell = ws.cell(row=row, column=column)
            value = cell.value
            if (row, column) in covered or cell.data_type != "s" or not isinstance(value, str):
                continue
            room = max(spans.get((row, column), widths[column - 1]) - 1.5, 1.0)
            needed = sum(
                max(1, math.ceil(text_width(part) * WRAP_FACTOR / room)) for part in value.split("\n")
            )
            lines = max(lines, needed)
        ws.row_dimensions[row].height = max(minimum, lines * line_height + 4)
