"""培训补贴汇总表: every class on one sheet, and the same money by township and village on another,
with live SUM totals whose values are also cached for readers that do not recalculate.

The class sheet reconciles on paper with the payment rosters and the 公示: beside the days attended by
all trainees it shows the days paid (补贴天数, the days of the trainees paid: each roster's 合计 row),
and the amount is those days × the standard, as a line under the table works out (less what an annual
limit held back, said there too)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..money import ZERO, amount_in_words, format_amount, format_number, yuan
from ..policy import Rule, describe_standard
from ..printing import row_height, width_room
from ..settings import Settings
from ..xlsx import (
    BODY_FONT,
    BORDER,
    CENTER,
    HEADER_FONT,
    LEFT,
    MONEY_FORMAT,
    CachedFormulas,
    keep_closing_block,
    put_money,
    put_number,
    put_text,
    setup_sheet,
    write_header,
    write_title,
)
from .common import DAYS_FORMAT, ColumnSpec, class_period, signature_text, widths_for, within
from .payments import ClassPayments

ATTENDED_HEADER = "参训学员出勤天数"  # every trainee, paid or not
PAID_DAYS_HEADER = "发放人员补贴天数"  # the trainees paid: the payment rosters' 合计 rows
CLASS_COLUMNS = (
    ColumnSpec("序号", 5, 6, kind="count"),
    ColumnSpec("培训班", 14, 30, LEFT),
    ColumnSpec("培训项目", 10, 20),
    ColumnSpec("培训地点", 10, 24),
    ColumnSpec("培训时间", 14, 34),
    ColumnSpec("应出勤天数", 7, 8, kind="days"),
    ColumnSpec("参训人数", 7, 8, kind="count"),
    ColumnSpec(ATTENDED_HEADER, 8, 10, kind="days"),  # 8: the header on two lines of four
    ColumnSpec("发放人数", 7, 8, kind="count"),
    ColumnSpec(PAID_DAYS_HEADER, 8, 10, kind="days"),
    ColumnSpec("补贴金额", 12, 16, kind="money"),
)
PLACE_COLUMNS = (
    ColumnSpec("序号", 5, 6, kind="count"),
    ColumnSpec("乡镇（街道）", 12, 20),
    ColumnSpec("行政村", 12, 20),
    ColumnSpec("参训人次", 8, 10, kind="count"),
    ColumnSpec("参训人数", 8, 10, kind="count"),
    ColumnSpec("发放人次", 8, 10, kind="count"),
    ColumnSpec("补贴金额", 12, 16, kind="money"),
)
HEADER_ROW = 3
_CLASS_SUMMED = (7, 8, 9, 10, 11)  # columns totalled on the class sheet
_PLACE_SUMMED = (4, 5, 6, 7)


@dataclass
class _Place:
    enrolments: int = 0
    people: set[str] = field(default_factory=set)
    paid: int = 0
    amount: Decimal = ZERO

    def values(self) -> list[object]:
        return [self.enrolments, len(self.people), self.paid, self.amount]


def build_summary(
    all_payments: Sequence[ClassPayments], settings: Settings, *, title_prefix: str
) -> tuple[Workbook, CachedFormulas]:
    """`title_prefix` is e.g. 「城东街道2023年」."""
    book = Workbook()
    cached = CachedFormulas()
    _class_sheet(book.active, all_payments, settings, title_prefix, cached)
    _place_sheet(book.create_sheet(), all_payments, settings, title_prefix, cached)
    return book, cached


def _class_sheet(
    ws: Worksheet,
    all_payments: Sequence[ClassPayments],
    settings: Settings,
    title_prefix: str,
    cached: CachedFormulas,
) -> None:
    ws.title = "按培训班"
    width = len(CLASS_COLUMNS)
    rule = all_payments[0].rule  # one training rule pays every class
    write_title(ws, 1, f"{title_prefix}培训误工补贴汇总表（按培训班）", width)
    write_line(ws, 2, f"单位：人、天、元　　补贴标准：{describe_standard(rule)}", width)
    write_header(ws, HEADER_ROW, [c.header for c in CLASS_COLUMNS])
    first = HEADER_ROW + 1
    rows = []
    for index, class_payments in enumerate(all_payments):
        training_class = class_payments.training_class
        rows.append(
            write_row(
                ws,
                first + index,
                CLASS_COLUMNS,
                [
                    index + 1,
                    training_class.name,
                    training_class.project,
                    training_class.place,
                    class_period(training_class),
                    training_class.planned_days,
                    len(class_payments.payments),
                    class_payments.attended_total,
                    class_payments.paid_count,
                    class_payments.paid_days,
                    class_payments.total,
                ],
            )
        )
    last = first + len(rows) - 1
    enrolments = sum(len(c.payments) for c in all_payments)
    paid = sum(c.paid_count for c in all_payments)
    attended = sum((c.attended_total for c in all_payments), ZERO)
    paid_days = sum((c.paid_days for c in all_payments), ZERO)
    total = sum((c.total for c in all_payments), ZERO)
    totals: list[Decimal | int] = [enrolments, attended, paid, paid_days, total]
    _total_row(ws, last + 1, "合计", 1, 6, _CLASS_SUMMED, totals, [(first, last)], cached)
    style_body(ws, first, last + 1, CLASS_COLUMNS, height=24)
    ws.cell(row=last + 1, column=1).font = HEADER_FONT
    people = len({p.trainee.id_number for c in all_payments for p in c.payments})
    # one page wide at a readable size: long names and places wrap, in rows tall enough for them
    widths = within(widths_for(CLASS_COLUMNS, rows), CLASS_COLUMNS, width_room(landscape=True))
    for number, shown in enumerate(rows, start=first):
        texts = [
            (text, w)
            for text, w, spec in zip(shown, widths, CLASS_COLUMNS, strict=True)
            if spec.kind == "text"
        ]
        ws.row_dimensions[number].height = row_height(texts, minimum=24)
    closing = [
        f"共 {len(all_payments)} 个培训班，参训 {enrolments} 人次（{people} 人），发放补贴 "
        f"{paid} 人次，补贴金额合计 {format_amount(total)} 元，大写：{amount_in_words(total)}",
        _reconciliation(all_payments, rule),
    ]
    for row, text in zip((last + 2, last + 3), closing, strict=True):
        write_line(ws, row, text, width, height=row_height([(text, sum(widths))], minimum=26))
    write_line(ws, last + 5, signature_text(settings)[0], width, height=30)
    fit = setup_sheet(
        ws,
        landscape=True,
        title_rows=f"{HEADER_ROW}:{HEADER_ROW}",
        widths=widths,
        key_columns=2,
    )
    keep_closing_block(ws, last, fit)


def _reconciliation(all_payments: Sequence[ClassPayments], rule: Rule) -> str:
    """How the amount follows from the days paid, and why the days attended are more: 「补贴金额 =
    发放人员补贴天数 × 补贴标准：341.5 天 × 40 元/天 = 13,660.00 元……」."""
    paid = [p for c in all_payments for p in c.payments if p.paid]
    unpaid = [p for c in all_payments for p in c.payments if not p.paid]
    days = sum((p.trainee.attended_days for p in paid), ZERO)
    total = sum((p.amount for p in paid), ZERO)
    parts = []
    if rule.formula == "per_unit" and rule.unit_amount is not None:
        standard = format_number(rule.unit_amount)
        by_standard = yuan(days * rule.unit_amount)
        formula = (
            f"补贴金额 = {PAID_DAYS_HEADER} × 补贴标准：{format_number(days)} 天 × {standard} 元/{rule.unit} = "
            f"{format_amount(by_standard)} 元"
        )
        capped = sum(1 for p in paid if p.calculation.capped)
        if by_standard != total:
            why = f"其中 {capped} 人次按补贴上限发放，见各班花名册备注" if capped else "每人金额按政策取整"
            formula += f"，实发 {format_amount(total)} 元（{why}）"
        parts.append(formula)
    parts.append(f"{PAID_DAYS_HEADER}只计发放补贴的学员，与各班误工补贴发放花名册的合计行一致")
    if unpaid:
        unpaid_days = sum((p.trainee.attended_days for p in unpaid), ZERO)
        parts.append(
            f"{ATTENDED_HEADER}还含未发放补贴的 {len(unpaid)} 人次（{format_number(unpaid_days)} 天），"
            "原因见各班花名册的「未发放人员」表"
        )
    return "说明：" + "；".join(parts) + "。"


def _place_sheet(
    ws: Worksheet,
    all_payments: Sequence[ClassPayments],
    settings: Settings,
    title_prefix: str,
    cached: CachedFormulas,
) -> None:
    ws.title = "按乡镇村"
    width = len(PLACE_COLUMNS)
    places: dict[tuple[str, str], _Place] = {}
    for class_payments in all_payments:
        for payment in class_payments.payments:
            place = places.setdefault((payment.township, payment.village), _Place())
            place.enrolments += 1
            place.people.add(payment.trainee.id_number)
            place.paid += payment.paid
            place.amount += payment.amount
    write_title(ws, 1, f"{title_prefix}培训误工补贴汇总表（按乡镇村）", width)
    write_line(ws, 2, "单位：人次、人、元（乡镇村按户籍名单中的家庭住址）", width)
    write_header(ws, HEADER_ROW, [c.header for c in PLACE_COLUMNS])
    row = HEADER_ROW + 1
    rows: list[list[str]] = []
    subtotal_rows: list[tuple[int, int]] = []
    number = 0
    for township in sorted({t for t, _ in places}):
        villages = sorted(v for t, v in places if t == township)
        block_first = row
        for village in villages:
            number += 1
            rows.append(
                write_row(
                    ws,
                    row,
                    PLACE_COLUMNS,
                    [number, township, village or "—", *places[(township, village)].values()],
                )
            )
            row += 1
        subtotal = _column_sums([places[(township, v)].values() for v in villages])
        _total_row(
            ws, row, f"{township} 小计", 1, 3, _PLACE_SUMMED, subtotal, [(block_first, row - 1)], cached
        )
        subtotal_rows.append((row, row))
        row += 1
    grand = _column_sums([place.values() for place in places.values()])
    _total_row(ws, row, "总计", 1, 3, _PLACE_SUMMED, grand, subtotal_rows, cached)
    style_body(ws, HEADER_ROW + 1, row, PLACE_COLUMNS, height=22)
    for subtotal_row, _ in [*subtotal_rows, (row, row)]:
        ws.cell(row=subtotal_row, column=1).font = HEADER_FONT
    for offset, line in enumerate(signature_text(settings, lines=2), start=2):
        write_line(ws, row + offset, line, width, height=26)
    fit = setup_sheet(
        ws, landscape=False, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", widths=widths_for(PLACE_COLUMNS, rows)
    )
    keep_closing_block(ws, row - 1, fit)


def _column_sums(rows: Sequence[Sequence[object]]) -> list[object]:
    """What SUM over these rows gives, column by column (the cached value of a total formula)."""
    return [sum(column, start=type(column[0])(0)) for column in zip(*rows, strict=True)]


def _total_row(
    ws: Worksheet,
    row: int,
    label: str,
    first_column: int,
    last_column: int,
    summed: Sequence[int],
    values: Sequence[object],
    ranges: Sequence[tuple[int, int]],
    cached: CachedFormulas,
) -> None:
    """A labelled row whose `summed` columns are SUM formulas over `ranges`, with cached `values`."""
    ws.merge_cells(start_row=row, start_column=first_column, end_row=row, end_column=last_column)
    put_text(ws.cell(row=row, column=first_column), label)
    for column, value in zip(summed, values, strict=True):
        letter = get_column_letter(column)
        parts = ",".join(f"{letter}{a}" if a == b else f"{letter}{a}:{letter}{b}" for a, b in ranges)
        money = column == summed[-1]  # the last summed column is the amount on both sheets
        cell = cached.put(
            ws.cell(row=row, column=column),
            f"=SUM({parts})",
            value,  # type: ignore[arg-type]
            number_format=MONEY_FORMAT if money else DAYS_FORMAT,
        )
        if not money:
            cell.alignment = CENTER  # as the counts above it


# --- openpyxl helpers (this workbook goes through fanpin_docs.xlsx and CachedFormulas) ---------


def write_row(ws: Worksheet, row: int, specs: Sequence[ColumnSpec], values: Sequence[object]) -> list[str]:
    """One table row, each value stored as its column's kind; returns the row as displayed, for widths."""
    shown = []
    for column, (spec, value) in enumerate(zip(specs, values, strict=True), start=1):
        cell = ws.cell(row=row, column=column)
        if spec.kind == "money":
            put_money(cell, value)  # type: ignore[arg-type]
            shown.append(format_amount(value))  # type: ignore[arg-type]
        elif spec.kind == "days":
            put_number(cell, value, DAYS_FORMAT)  # type: ignore[arg-type]
            shown.append("" if value is None else format_number(value))  # type: ignore[arg-type]
        elif spec.kind == "count":
            cell.value = value
            shown.append(str(value))
        else:
            put_text(cell, value)
            shown.append("" if value is None else str(value))
    return shown


def write_line(
    ws: Worksheet, row: int, text: str, columns: int, *, height: float = 22, align: Alignment = LEFT
) -> None:
    """A line of text across the whole table width (header block, footer)."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    cell = put_text(ws.cell(row=row, column=1), text)
    cell.font = BODY_FONT
    cell.alignment = align
    ws.row_dimensions[row].height = height


def style_body(
    ws: Worksheet, first_row: int, last_row: int, specs: Sequence[ColumnSpec], *, height: float | None = None
) -> None:
    """Borders, body font and each column's alignment on rows first..last (cells whose alignment was
    already set, such as money and totals, keep it)."""
    for row in range(first_row, last_row + 1):
        for column, spec in enumerate(specs, start=1):
            _style_cell(ws.cell(row=row, column=column), spec)
        if height:
            ws.row_dimensions[row].height = height


def _style_cell(cell, spec: ColumnSpec) -> None:
    keep_alignment = cell.has_style and cell.alignment.horizontal is not None
    cell.border = BORDER
    cell.font = BODY_FONT
    if not keep_alignment:
        cell.alignment = spec.align
