"""培训花名册 (domain.md §4.2): the list of trainees of one class, printed before the class starts."""

from __future__ import annotations

from openpyxl import Workbook

from ..settings import Settings
from ..xlsx import LEFT, setup_sheet, write_header, write_title
from .common import (
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
    ColumnSpec("性别", 5, 6),
    ColumnSpec("身份证号", 20, 22),
    ColumnSpec("户籍地址", 16, 36, LEFT),
    ColumnSpec("人员类别", 9, 10),
    ColumnSpec("联系电话", 13, 16),
    ColumnSpec("培训项目", 10, 20),
    ColumnSpec("备注", 10, 30, LEFT),
)
HEADER_ROW = 3


def build_namelist(class_payments: ClassPayments, settings: Settings) -> Workbook:
    training_class = class_payments.training_class
    book = Workbook()
    ws = book.active
    ws.title = "花名册"
    width = len(COLUMNS)
    write_title(ws, 1, f"{training_class.name}学员花名册", width)
    write_line(ws, 2, "　　".join(part for part in (
        f"培训项目：{training_class.project}" if training_class.project else "",
        f"培训地点：{training_class.place}" if training_class.place else "",
        f"培训时间：{class_period(training_class)}",
        f"应出勤天数：{planned_text(training_class)}",
        f"学员人数：{len(class_payments.payments)} 人",
    ) if part), width)
    write_header(ws, HEADER_ROW, [c.header for c in COLUMNS])
    first = HEADER_ROW + 1
    rows = [
        write_row(ws, first + index, COLUMNS, [
            index + 1, payment.trainee.name, payment.trainee.sex, payment.trainee.id_number, payment.address,
            payment.trainee.category or "未填写", payment.phone, training_class.project, payment.trainee.note,
        ])
        for index, payment in enumerate(class_payments.payments)
    ]
    last = first + len(rows) - 1
    style_body(ws, first, last, COLUMNS, height=24)
    write_line(ws, last + 2, signature_text(settings), width, height=30)
    setup_sheet(ws, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", widths=widths_for(COLUMNS, rows))
    return book
