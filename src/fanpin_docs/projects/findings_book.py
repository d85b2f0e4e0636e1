"""审核问题清单.xlsx: every finding with its project, rule, what was found and what was expected,
then the checks that could not be made and why."""

from __future__ import annotations

from openpyxl import Workbook

from ..xlsx import (
    CENTER,
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
from .checks import Review
from .sheets import BOLD, BatchHeading, info_line

HEADERS = ("序号", "项目名称", "所在行", "审核规则", "发现情况", "应当", "处理建议")
WIDTHS = (5, 16, 5.5, 10, 32, 22, 22)  # wide text wraps in tall rows; one page wide at 100 %
HEADER_ROW = 3


def build_findings(review: Review, heading: BatchHeading) -> Workbook:
    book = Workbook()
    ws = book.active
    ws.title = "审核问题清单"
    width = len(HEADERS)
    write_title(ws, 1, f"{heading.unit}{heading.year}年度项目申报审核问题清单", width)
    flagged = len(review.flagged_rows)
    info_line(
        ws,
        2,
        f"审核依据：{heading.policy_title}",
        f"共 {review.project_count} 个项目：{review.passed_count} 个通过，{flagged} 个有问题，"
        f"问题 {len(review.findings)} 条",
        width,
        WIDTHS,
        split=3,
    )
    write_header(ws, HEADER_ROW, HEADERS)
    row = HEADER_ROW
    for number, finding in enumerate(review.findings, start=1):
        row += 1
        put_number(ws.cell(row=row, column=1), number, "0")
        put_text(ws.cell(row=row, column=2), finding.project)
        if finding.row is not None and finding.sheet:  # projects on several sheets: the sheet too
            put_text(ws.cell(row=row, column=3), f"{finding.sheet} 第 {finding.row} 行")
        elif finding.row is not None:
            put_number(ws.cell(row=row, column=3), finding.row, "0")
        else:
            put_text(ws.cell(row=row, column=3), "—").alignment = CENTER
        put_text(ws.cell(row=row, column=4), finding.rule.title).alignment = CENTER
        put_text(ws.cell(row=row, column=5), finding.found)
        put_text(ws.cell(row=row, column=6), finding.expected)
        put_text(ws.cell(row=row, column=7), finding.rule.hint)
    if not review.findings:
        row += 1
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        put_text(ws.cell(row=row, column=1), "未发现问题").alignment = CENTER
    frame(ws, HEADER_ROW + 1, row, width)
    last_finding = row

    if review.skipped:
        row += 2
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        put_text(ws.cell(row=row, column=1), "未执行的检查").font = BOLD
        for note in review.skipped:
            row += 1
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            cell = put_text(ws.cell(row=row, column=1), f"· {note}")
            cell.alignment = LEFT
    fit_heights(ws, HEADER_ROW + 1, row, WIDTHS)
    fit = setup_sheet(
        ws, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", widths=WIDTHS, key_columns=2
    )
    keep_closing_block(ws, last_finding, fit)
    return book
