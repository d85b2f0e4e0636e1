"""What the training workbooks share: their columns, the class's dates in words, the township and
year of titles, the signature line and column widths that fit Chinese text."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.styles import Alignment

from ..dates import BLANK_DATE, chinese_date
from ..gongwen.issuer import township_of
from ..models import TrainingClass
from ..money import format_amount, format_number
from ..printing import POINTS_PER_WIDTH, row_height, signature_parts, text_points, wrapped_lines
from ..settings import Settings
from ..sheetxml import Sheet
from ..xlsx import CENTER, LEFT
from .payments import NO_ROSTER, NOT_IN_ROSTER, ClassPayments

DAYS_FORMAT = "General"  # 7 → 7, 6.5 → 6.5
CELL_PADDING = 1.5  # width units a cell needs besides its text


@dataclass(frozen=True)
class ColumnSpec:
    header: str
    minimum: float  # width in Excel character units
    maximum: float = 40
    align: Alignment = CENTER
    kind: str = "text"  # text (always stored as text), count (integer), days (number), money


def class_period(training_class: TrainingClass) -> str:
    """「2023年3月6日至2023年3月12日」, one date when start and end agree, 「未填写」 when unknown."""
    start, end = training_class.start, training_class.end
    if start and end:
        return chinese_date(start) if start == end else f"{chinese_date(start)}至{chinese_date(end)}"
    if start or end:
        return (
            f"{chinese_date(start) if start else '（未填写）'}至{chinese_date(end) if end else '（未填写）'}"
        )
    return "未填写"


def planned_text(training_class: TrainingClass) -> str:
    days = training_class.planned_days
    return f"{format_number(days)} 天" if days is not None else "未填写"


def township_name(settings: Settings, all_payments: Sequence[ClassPayments]) -> str:
    """The township: fanpin.toml's, else the one township all trainees live in (from the roster), else ''."""
    found = {p.township for c in all_payments for p in c.payments} - {NO_ROSTER, NOT_IN_ROSTER}
    return township_of(settings, found)


def signature_text(settings: Settings, *, lines: int = 1, width: float | None = None) -> list[str]:
    """制表人 / 审核人 / 负责人, each with a line to sign on (after the name when fanpin.toml [documents]
    gives one), and the date; on `lines` lines (2 for a narrow portrait sheet, so the date is not broken).

    With `width` (the units of the cell it goes in), on one line when it fits there, else the date on a
    line of its own rather than 「日期：」 left at the end of a line and the date wrapped under it."""
    documents = settings.documents
    when = chinese_date(documents.date) if documents.date else BLANK_DATE
    parts = signature_parts(documents.prepared_by, documents.reviewed_by, documents.responsible, when)
    if width is not None:
        one = "　　　".join(parts)
        if wrapped_lines(one, width) == 1:
            return [one]
        signers = "　　　".join(parts[:-1])
        if wrapped_lines(signers, width) == 1:
            return [signers, parts[-1]]
        lines = 2
    per_line = math.ceil(len(parts) / lines)
    return ["　　　".join(parts[i : i + per_line]) for i in range(0, len(parts), per_line)]


def table_row(
    sheet: Sheet,
    row: int,
    specs: Sequence[ColumnSpec],
    values: Sequence[object],
    *,
    height: float | None = None,
) -> list[str]:
    """`write_row` for the fast writer: each value stored as its column's kind, text always as text."""
    cells: list[object] = []
    styles: list[str] = []
    shown: list[str] = []
    for spec, value in zip(specs, values, strict=True):
        if spec.kind == "money":
            cells.append(value)
            styles.append("money")
            shown.append(format_amount(value))  # type: ignore[arg-type]
        elif spec.kind in ("days", "count"):
            cells.append(value)
            styles.append("number" if spec.kind == "days" else "center")
            shown.append("" if value is None else format_number(Decimal(value)))  # type: ignore[arg-type]
        else:
            text = "" if value is None else str(value)
            cells.append(text)
            styles.append("left" if spec.align is LEFT else "center")
            shown.append(text)
    sheet.cells(row, cells, styles, height=height)
    return shown


def widths_for(specs: Sequence[ColumnSpec], rows: Sequence[Sequence[object]]) -> list[float]:
    """Each column as wide as its longest value prints (`fanpin_docs.printing.text_points`), within its
    limits; headers wrap, so they only set the minimum through the spec."""
    widths = []
    for index, spec in enumerate(specs):
        values = {str(row[index]) for row in rows if row[index] not in (None, "")}
        longest = max(map(text_points, values), default=0) / POINTS_PER_WIDTH
        widths.append(round(min(max(longest + CELL_PADDING, spec.minimum), spec.maximum), 1))
    return widths


def within(widths: list[float], specs: Sequence[ColumnSpec], room: float) -> list[float]:
    """`widths` narrowed to fit `room` (one page wide): what the wrapping text columns (left-aligned
    or centred text, not numbers) have beyond their minimum is shared out in proportion; their cells
    then wrap, in rows made tall enough (`printing.row_height`)."""
    excess = sum(widths) - (room - 1)  # a unit to spare: the widths are rounded to tenths
    spare = {
        i: w - spec.minimum
        for i, (w, spec) in enumerate(zip(widths, specs, strict=True))
        if spec.kind == "text"
    }
    available = sum(max(0.0, v) for v in spare.values())
    if excess <= 0 or available <= 0:
        return widths
    share = min(1.0, excess / available)
    return [round(w - max(0.0, spare[i]) * share, 1) if i in spare else w for i, w in enumerate(widths)]


def fit_rows(sheet: Sheet, rows: Mapping[int, Sequence[str]], *, minimum: float) -> None:
    """Rows tall enough for their wrapped text at the sheet's column widths (set the widths first)."""
    for number, shown in rows.items():
        sheet.set_height(number, row_height(list(zip(shown, sheet.widths, strict=True)), minimum=minimum))
