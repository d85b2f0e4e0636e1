"""误工补贴发放花名册: one workbook per class, printed after the class and signed by
every trainee who receives money. Trainees paid nothing are not dropped: they are listed with the
reason on a second sheet, 未发放人员, so that the rows people sign on hold only payments.

Written with the fast writer (`sheetxml`): 200 classes with openpyxl took 4.5 s of CPU for this file
alone. The totals are live SUM formulas whose values are stored with them."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from ..money import amount_in_words, format_amount
from ..policy import describe_eligibility, describe_standard
from ..printing import MM, POINTS_PER_WIDTH, READABLE
from ..settings import Settings
from ..sheetxml import Formula, Sheet
from ..xlsx import LEFT
from .common import ColumnSpec, class_period, fit_rows, planned_text, signature_text, table_row, widths_for
from .payments import ClassPayments, Payment

SIGNATURE_WIDTH_MM = 28  # 领取人签字 at least 25 mm wide on paper, with room to spare

COLUMNS = (
    ColumnSpec("序号", 4.5, 6, kind="count"),
    ColumnSpec("姓名", 8, 12),
    ColumnSpec("身份证号", 19, 21),
    ColumnSpec("人员类别", 7, 10),
    ColumnSpec("应出勤天数", 5.5, 6, kind="days"),
    ColumnSpec("实际出勤天数", 5.5, 6, kind="days"),
    ColumnSpec("考核结果", 5.5, 6),
    ColumnSpec("补贴标准", 8, 10),
    ColumnSpec("补贴金额", 10, 13, kind="money"),
    ColumnSpec("开户银行", 8, 12),
    ColumnSpec("银行卡号", 12, 21),
    ColumnSpec("领取人签字", 14, 14),
    ColumnSpec("备注", 9, 14, LEFT),
)
UNPAID_COLUMNS = (
    ColumnSpec("序号", 4.5, 6, kind="count"),
    ColumnSpec("姓名", 7, 12),
    ColumnSpec("身份证号", 19, 21),
    ColumnSpec("人员类别", 8, 12),
    ColumnSpec("实际出勤天数", 6, 8, kind="days"),
    ColumnSpec("考核结果", 6, 8),
    ColumnSpec("未发放原因", 22, 28, LEFT),
)
HEADER_ROW = 4
ROW_HEIGHT = 36  # a signature cell at least 10 mm tall on paper (36 pt × 83 %, the smallest scale)
_HEADERS = [c.header for c in COLUMNS]
_ATTENDED = _HEADERS.index("实际出勤天数") + 1
_AMOUNT = _HEADERS.index("补贴金额") + 1
_SIGNATURE = _HEADERS.index("领取人签字")
_RESULTS = {True: "合格", False: "不合格", None: "未填写"}
UNPAID_SHEET = "未发放人员"


def build_payroll(class_payments: ClassPayments, settings: Settings) -> list[Sheet]:
    """The payment roster of one class: everyone paid signs on the first sheet, whose totals are SUM
    formulas that carry their values; trainees paid nothing are listed with the reason on a second."""
    training_class = class_payments.training_class
    rule = class_payments.rule
    standard = describe_standard(rule)
    width = len(COLUMNS)
    sheet = Sheet("误工补贴发放花名册", width, landscape=True, title_rows=(1, HEADER_ROW), key_columns=2)
    sheet.line(1, f"{training_class.name}误工补贴发放花名册", "title", height=30)
    sheet.line(
        2,
        "　　".join(
            part
            for part in (
                f"培训班：{training_class.name}",
                f"培训项目：{training_class.project}" if training_class.project else "",
                f"培训地点：{training_class.place}" if training_class.place else "",
            )
            if part
        ),
    )
    sheet.line(
        3,
        f"培训时间：{class_period(training_class)}　　应出勤天数：{planned_text(training_class)}　　"
        f"补贴标准：{standard}（{describe_eligibility(rule)}）",
        height=30,
    )
    sheet.cells(HEADER_ROW, list(_HEADERS), ["header"] * width, height=32)

    first = HEADER_ROW + 1
    paid = [payment for payment in class_payments.payments if payment.paid]
    unpaid = [payment for payment in class_payments.payments if not payment.paid]
    rows = {
        first + index: table_row(
            sheet,
            first + index,
            COLUMNS,
            [
                index + 1,
                payment.trainee.name,
                payment.trainee.id_number,
                payment.trainee.category or "未填写",
                training_class.planned_days,
                payment.trainee.attended_days,
                _RESULTS[payment.trainee.passed],
                standard,
                payment.amount,
                payment.trainee.bank,
                payment.trainee.card_number,
                "",
                payment.remark,
            ],
        )
        for index, payment in enumerate(paid)
    }
    last = first + len(paid) - 1

    total_row = last + 1
    totals: list[object] = ["合计", *[None] * (width - 1)]
    styles = ["total"] * 4 + ["center"] * (width - 4)
    for column, value, style in (
        (_ATTENDED, class_payments.paid_days, "number_right"),
        (_AMOUNT, class_payments.total, "money"),
    ):
        letter = get_column_letter(column)
        totals[column - 1] = Formula(f"SUM({letter}{first}:{letter}{last})", value) if paid else value
        styles[column - 1] = style
    sheet.cells(total_row, totals, styles, height=28)
    sheet.merge(total_row, 1, total_row, 4)

    people = len(class_payments.payments)
    not_paid = f"，{len(unpaid)} 人未发放（见「{UNPAID_SHEET}」表）" if unpaid else ""
    sheet.line(
        total_row + 1,
        f"参训人数：{people} 人，其中发放补贴 {class_payments.paid_count} 人{not_paid}；"
        f"补贴金额合计：{format_amount(class_payments.total)} 元，"
        f"大写：{amount_in_words(class_payments.total)}",
        height=26,
    )
    widths = widths_for(COLUMNS, list(rows.values()))
    widths[_SIGNATURE] = max(widths[_SIGNATURE], SIGNATURE_WIDTH_MM * MM / POINTS_PER_WIDTH * 100 / READABLE)
    sheet.line(total_row + 3, "\n".join(signature_text(settings, width=sum(widths))), height=30)
    sheet.widths = widths
    sheet.last_table_row = last
    fit_rows(sheet, rows, minimum=ROW_HEIGHT)
    return [sheet, *([_unpaid_sheet(class_payments, unpaid)] if unpaid else [])]


def _unpaid_sheet(class_payments: ClassPayments, unpaid: list[Payment]) -> Sheet:
    """未发放人员: the trainees paid nothing and why, apart from the rows people sign on."""
    training_class = class_payments.training_class
    width = len(UNPAID_COLUMNS)
    sheet = Sheet(UNPAID_SHEET, width, landscape=False, title_rows=(1, 3), key_columns=2)
    sheet.line(1, f"{training_class.name}未发放误工补贴人员名单", "title", height=30)
    sheet.line(2, f"培训时间：{class_period(training_class)}　　共 {len(unpaid)} 人")
    sheet.cells(3, [c.header for c in UNPAID_COLUMNS], ["header"] * width, height=32)
    rows = {
        4 + index: table_row(
            sheet,
            4 + index,
            UNPAID_COLUMNS,
            [
                index + 1,
                payment.trainee.name,
                payment.trainee.id_number,
                payment.trainee.category or "未填写",
                payment.trainee.attended_days,
                _RESULTS[payment.trainee.passed],
                payment.remark,
            ],
        )
        for index, payment in enumerate(unpaid)
    }
    sheet.widths = widths_for(UNPAID_COLUMNS, list(rows.values()))
    fit_rows(sheet, rows, minimum=24)
    return sheet
