"""产业到户补助明细.xlsx: each household's subsidy by the policy's industry rule, with the rule's
explanation, a subtotal per project, the grand total in figures and in 大写, and signature lines."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..money import ZERO, amount_in_words, yuan
from ..policy import describe_eligibility, describe_standard
from ..printing import POINTS_PER_WIDTH, text_points
from ..xlsx import (
    CENTER,
    LEFT,
    CachedFormulas,
    fit_heights,
    frame,
    keep_closing_block,
    put_money,
    put_number,
    put_text,
    setup_sheet,
    write_header,
    write_title,
)
from .sheets import BatchHeading, bold_row, info_line, label_row, signatures, sum_cells
from .subsidies import SubsidySheet, over_cap

HEADERS = ("序号", "项目名称", "户编号", "户主姓名", "投入金额", "验收结果", "补助金额", "计算说明", "备注")
TEXT_WIDTHS = {2: 14.0, 4: 7.5, 6: 7.5, 8: 30.0, 9: 16.0}  # columns whose text wraps in tall rows
HEADER_ROW = 3
INVESTMENT_COLUMN, AMOUNT_COLUMN = 5, 7
ACCEPTANCE = {True: "合格", False: "不合格", None: "未填写"}


def build_subsidy_book(
    sheet: SubsidySheet, heading: BatchHeading, project_order: Sequence[str], date_text: str = ""
) -> tuple[Workbook, CachedFormulas]:
    book = Workbook()
    ws = book.active
    ws.title = "产业到户补助明细"
    cached = CachedFormulas()
    width = len(HEADERS)
    rule = sheet.rule
    widths = _widths(sheet)
    write_title(ws, 1, f"{heading.unit}{heading.year}年度产业到户补助明细表", width)
    info_line(
        ws,
        2,
        f"补助依据：{rule.name}（{describe_standard(rule)}；{describe_eligibility(rule) or '无其他条件'}）",
        "金额单位：元",
        width,
        widths,
        split=6,
    )
    write_header(ws, HEADER_ROW, HEADERS)

    flagged = over_cap(sheet)
    row = HEADER_ROW
    subtotal_rows: list[int] = []
    number = 0
    last_line = HEADER_ROW  # the last household row: the subtotal and closing rows keep it company
    for project_name, lines in sheet.by_project(project_order):
        data_rows = []
        for line in lines:
            row += 1
            number += 1
            data_rows.append(row)
            last_line = row
            subsidy = line.subsidy
            put_number(ws.cell(row=row, column=1), number, "0")
            put_text(ws.cell(row=row, column=2), project_name)
            put_text(ws.cell(row=row, column=3), subsidy.household_id)
            put_text(ws.cell(row=row, column=4), subsidy.head_name)
            put_money(ws.cell(row=row, column=INVESTMENT_COLUMN), yuan(subsidy.investment))
            put_text(ws.cell(row=row, column=6), ACCEPTANCE[subsidy.accepted]).alignment = CENTER
            put_money(ws.cell(row=row, column=AMOUNT_COLUMN), line.amount)
            put_text(ws.cell(row=row, column=8), line.calculation.explanation)
            put_text(ws.cell(row=row, column=9), _remark(line.note, subsidy.household_id, flagged))
        row += 1
        _totals(
            ws,
            cached,
            row,
            f"{project_name} 小计（{len(lines)} 户次）",
            data_rows,
            sum((line.subsidy.investment for line in lines), ZERO),
            sum((line.amount for line in lines), ZERO),
        )
        subtotal_rows.append(row)
    row += 1
    total_investment = sum((line.subsidy.investment for line in sheet.lines), ZERO)
    _totals(ws, cached, row, f"合计（{len(sheet.lines)} 户次）", subtotal_rows, total_investment, sheet.total)
    row += 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    put_text(
        ws.cell(row=row, column=1), f"补助金额合计（大写）：{amount_in_words(sheet.total)}"
    ).alignment = LEFT
    frame(ws, HEADER_ROW + 1, row, width)
    for line_note in _notes(sheet):
        row += 1
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        put_text(ws.cell(row=row, column=1), line_note).alignment = LEFT
        ws.row_dimensions[row].height = 30
    fit_heights(ws, HEADER_ROW + 1, row, widths)
    signatures(ws, row + 2, heading, width, date_text)
    fit = setup_sheet(
        ws, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", widths=widths, key_columns=4
    )
    keep_closing_block(ws, last_line, fit)
    return book, cached


def _widths(sheet: SubsidySheet) -> list[float]:
    """Numbers as wide as the longest one prints (户编号 on one line, the total never ####), text
    columns fixed."""
    ids = [line.subsidy.household_id for line in sheet.lines]
    investment = sum((line.subsidy.investment for line in sheet.lines), ZERO)
    numbers = {
        1: [str(len(sheet.lines))],
        3: ids,
        INVESTMENT_COLUMN: [f"{yuan(investment):,.2f}"],
        AMOUNT_COLUMN: [f"{yuan(sheet.total):,.2f}"],
    }
    widths = []
    for column in range(1, len(HEADERS) + 1):
        if column in TEXT_WIDTHS:
            widths.append(TEXT_WIDTHS[column])
        else:
            longest = max((text_points(text) for text in numbers[column]), default=0)
            widths.append(max(round(longest / POINTS_PER_WIDTH + 1.5, 1), 5.0 if column == 1 else 10.0))
    return widths


def _remark(note: str, household_id: str, flagged: dict[str, Decimal]) -> str:
    parts = [note] if note else []
    if household_id in flagged:
        parts.append(f"该户逐笔合计 {flagged[household_id]:,.2f} 元，超过每户上限，已核减，见审核问题清单")
    return "；".join(parts)


def _totals(
    ws: Worksheet,
    cached: CachedFormulas,
    row: int,
    caption: str,
    source_rows: Sequence[int],
    investment: Decimal,
    amount: Decimal,
) -> None:
    label_row(ws, row, caption, 4)
    sum_cells(cached, ws, row, INVESTMENT_COLUMN, source_rows, yuan(investment), money=True)
    sum_cells(cached, ws, row, AMOUNT_COLUMN, source_rows, yuan(amount), money=True)
    bold_row(ws, row, len(HEADERS))


def _notes(sheet: SubsidySheet) -> list[str]:
    rule = sheet.rule
    notes = [f"注：依据{rule.source}：{rule.description.rstrip('。')}。"]
    if rule.assumed:
        notes.append(f"注：{rule.assumption_note()}")
    return notes
