"""误工补贴发放花名册 (domain.md §4.2): one workbook per class, printed after the class and signed by
every trainee who receives money. Ineligible trainees stay on the sheet with 0.00 and the reason."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ..money import amount_in_words, format_amount
from ..policy import describe_eligibility, describe_standard
from ..settings import Settings
from ..xlsx import (
    HEADER_FONT,
    LEFT,
    MONEY_FORMAT,
    RIGHT,
    CachedFormulas,
    put_text,
    setup_sheet,
    write_header,
    write_title,
)
from .common import (
    DAYS_FORMAT,
    ColumnSpec,
    class_period,
    planned_text,
    signature_text,
    style_body,
    widths_for,
    write_line,
    write_row,
)
from .payments import ClassPayments

COLUMNS = (
    ColumnSpec("序号", 5, 6, kind="count"),
    ColumnSpec("姓名", 8, 14),
    ColumnSpec("身份证号", 20, 22),
    ColumnSpec("人员类别", 9, 10),
    ColumnSpec("应出勤天数", 7, 8, kind="days"),
    ColumnSpec("实际出勤天数", 7, 8, kind="days"),
    ColumnSpec("考核结果", 7, 8),
    ColumnSpec("补贴标准", 9, 14),
    ColumnSpec("补贴金额", 11, 14, kind="money"),
    ColumnSpec("开户银行", 10, 20),
    ColumnSpec("银行卡号", 12, 24),
    ColumnSpec("领取人签字", 12, 14),
    ColumnSpec("备注", 16, 36, LEFT),
)
HEADER_ROW = 4
_HEADERS = [c.header for c in COLUMNS]
_ATTENDED = _HEADERS.index("实际出勤天数") + 1
_AMOUNT = _HEADERS.index("补贴金额") + 1
_RESULTS = {True: "合格", False: "不合格", None: "未填写"}


def build_payroll(class_payments: ClassPayments, settings: Settings) -> tuple[Workbook, CachedFormulas]:
    """The payment roster of one class and the cached values of its total formulas."""
    training_class = class_payments.training_class
    rule = class_payments.rule
    standard = describe_standard(rule)
    book = Workbook()
    ws = book.active
    ws.title = "误工补贴发放花名册"
    width = len(COLUMNS)

    write_title(ws, 1, f"{training_class.name}误工补贴发放花名册", width)
    write_line(ws, 2, "　　".join(part for part in (
        f"培训班：{training_class.name}",
        f"培训项目：{training_class.project}" if training_class.project else "",
        f"培训地点：{training_class.place}" if training_class.place else "",
    ) if part), width)
    write_line(ws, 3, f"培训时间：{class_period(training_class)}　　应出勤天数：{planned_text(training_class)}　　"
                      f"补贴标准：{standard}（{describe_eligibility(rule)}）", width, height=30)
    write_header(ws, HEADER_ROW, [c.header for c in COLUMNS])

    first = HEADER_ROW + 1
    rows = [
        write_row(ws, first + index, COLUMNS, [
            index + 1, payment.trainee.name, payment.trainee.id_number, payment.trainee.category or "未填写",
            training_class.planned_days, payment.trainee.attended_days, _RESULTS[payment.trainee.passed],
            standard, payment.amount, payment.trainee.bank, payment.trainee.card_number, "", payment.remark,
        ])
        for index, payment in enumerate(class_payments.payments)
    ]
    last = first + len(rows) - 1

    cached = CachedFormulas()
    total_row = last + 1
    ws.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=4)
    put_text(ws.cell(row=total_row, column=1), "合计")
    for column in (_ATTENDED, _AMOUNT):
        letter = get_column_letter(column)
        value = class_payments.attended_total if column == _ATTENDED else class_payments.total
        cell = cached.put(ws.cell(row=total_row, column=column), f"=SUM({letter}{first}:{letter}{last})", value,
                          number_format=DAYS_FORMAT if column == _ATTENDED else MONEY_FORMAT)
        if column == _ATTENDED:
            cell.alignment = RIGHT
    style_body(ws, first, total_row, COLUMNS, height=28)
    ws.cell(row=total_row, column=1).font = HEADER_FONT

    people = len(class_payments.payments)
    write_line(ws, total_row + 1, f"合计人数：{people} 人，其中发放补贴 {class_payments.paid_count} 人；"
                                  f"补贴金额合计：{format_amount(class_payments.total)} 元，"
                                  f"大写：{amount_in_words(class_payments.total)}", width, height=26)
    write_line(ws, total_row + 3, signature_text(settings), width, height=30)

    setup_sheet(ws, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", widths=widths_for(COLUMNS, rows))
    return book, cached
