"""The two ledger workbooks: 动态监测变化表.xlsx (every change with the values before and after) and
疑点数据清单.xlsx (every finding with the rule, what was found, what was expected and the rule's
source), printed like the other workbooks through the shared `xlsx` helpers."""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from ..xlsx import (
    BODY_FONT,
    CENTER,
    FONT_NAME,
    LEFT,
    fit_heights,
    frame,
    keep_closing_block,
    put_number,
    put_text,
    setup_sheet,
    write_header,
    write_title,
)
from .audit import AuditReport
from .changes import KINDS, ChangeReport

CHANGE_HEADERS = ("序号", "变化类型", "行政村", "户编号", "户主", "人员", "变化前", "变化后", "说明")
CHANGE_WIDTHS = (5, 11, 8, 17, 7, 7, 26, 28, 19)  # about 128 characters: 9 pt or more on A4 landscape
AUDIT_HEADERS = ("序号", "核查规则", "行政村", "户编号", "户主", "人员", "发现情况", "应当", "依据")
AUDIT_WIDTHS = (5, 12, 8, 17, 7, 7, 28, 24, 20)
HEADER_ROW = 3
BOLD = Font(name=FONT_NAME, size=11, bold=True)


def build_changes_book(report: ChangeReport, *, unit: str, basis: str) -> Workbook:
    book = Workbook()
    ws = book.active
    ws.title = "动态监测变化表"
    write_title(ws, 1, f"{unit}动态监测变化表（{report.first} 至 {report.second}）", len(CHANGE_HEADERS))
    _info(ws, f"{basis}。共 {len(report.changes)} 条变化：{report.summary()}", CHANGE_WIDTHS)
    rows = [
        (c.kind, c.village, c.household_id, c.head, c.person, c.before, c.after, c.note)
        for c in report.changes
    ]
    row = table_end = _table(ws, CHANGE_HEADERS, CHANGE_WIDTHS, rows, "两期之间没有变化")
    counts = [(kind, report.count(kind)) for kind in KINDS if report.count(kind)]
    row = _notes(ws, row, "各类变化", [f"{kind}：{n} 条" for kind, n in counts], CHANGE_WIDTHS)
    _notes(ws, row, "说明", report.notes, CHANGE_WIDTHS)
    _print_setup(ws, table_end, CHANGE_WIDTHS)
    return book


def build_audit_book(report: AuditReport, *, unit: str, basis: str) -> Workbook:
    book = Workbook()
    ws = book.active
    ws.title = "疑点数据清单"
    write_title(ws, 1, f"{unit}防返贫监测疑点数据清单（{report.period}）", len(AUDIT_HEADERS))
    _info(ws, f"{basis}。共 {len(report.findings)} 条疑点", AUDIT_WIDTHS)
    rows = [
        (f.rule.name, f.village, f.household_id, f.head, f.person, f.found, f.expected, f.rule.source)
        for f in report.findings
    ]
    row = table_end = _table(ws, AUDIT_HEADERS, AUDIT_WIDTHS, rows, "未发现疑点数据")
    counts = [
        f"{rule.name}：{report.count(rule)} 条（{rule.description or rule.check}）" for rule in report.rules
    ]
    row = _notes(ws, row, "各规则疑点数", counts, AUDIT_WIDTHS)
    _notes(ws, row, "未执行的检查", report.skipped, AUDIT_WIDTHS)
    _print_setup(ws, table_end, AUDIT_WIDTHS)
    return book


def _info(ws: Worksheet, text: str, widths: Sequence[float]) -> None:
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(widths))
    cell = put_text(ws.cell(row=2, column=1), text)
    cell.font = BODY_FONT
    cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _table(
    ws: Worksheet, headers: Sequence[str], widths: Sequence[float], rows: Sequence[Sequence[str]], empty: str
) -> int:
    write_header(ws, HEADER_ROW, headers)
    row = HEADER_ROW
    for number, values in enumerate(rows, start=1):
        row += 1
        cell = ws.cell(row=row, column=1)
        cell.value = number
        if number == 1:
            put_number(cell, number, "0")
        for column, value in enumerate(values, start=2):
            cell = put_text(ws.cell(row=row, column=column), value)
            if number == 1 and column in (2, 3, 4, 5, 6):
                cell.alignment = CENTER
    if not rows:
        row += 1
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(headers))
        put_text(ws.cell(row=row, column=1), empty).alignment = CENTER
        frame(ws, row, row, len(headers))
        return row
    # the shared look (xlsx.frame) on the first row, copied to the others: openpyxl's style setters
    # cost a hash per cell and would take seconds on a few thousand rows
    first = HEADER_ROW + 1
    frame(ws, first, first, len(headers))
    styles = [ws.cell(row=first, column=column)._style for column in range(1, len(headers) + 1)]
    for number in range(first + 1, row + 1):
        for column, style in enumerate(styles, start=1):
            ws.cell(row=number, column=column)._style = copy(style)
    return row


def _notes(ws: Worksheet, row: int, title: str, lines: Sequence[str], widths: Sequence[float]) -> int:
    columns = len(widths)
    if not lines:
        return row
    row += 2
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    put_text(ws.cell(row=row, column=1), title).font = BOLD
    for line in lines:
        row += 1
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        cell = put_text(ws.cell(row=row, column=1), f"· {line}")
        cell.font = BODY_FONT
        cell.alignment = LEFT
    return row


def _print_setup(ws: Worksheet, table_end: int, widths: Sequence[float]) -> None:
    """Rows tall enough for their wrapped text, the form's page setup, and the notes under the table kept
    with its last rows (the shared `xlsx` helpers every workbook uses)."""
    fit_heights(ws, 2, ws.max_row, widths)
    fit = setup_sheet(ws, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", widths=widths)
    keep_closing_block(ws, table_end, fit)
