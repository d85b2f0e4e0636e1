"""培训花名册: the list of trainees of one class, printed before the class starts."""

from __future__ import annotations

from ..settings import Settings
from ..sheetxml import Sheet
from ..xlsx import LEFT
from .common import ColumnSpec, class_period, fit_rows, planned_text, signature_text, table_row, widths_for
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


def build_namelist(class_payments: ClassPayments, settings: Settings) -> list[Sheet]:
    training_class = class_payments.training_class
    sheet = Sheet("花名册", len(COLUMNS), landscape=True, title_rows=(1, HEADER_ROW), key_columns=2)
    sheet.line(1, f"{training_class.name}学员花名册", "title", height=30)
    sheet.line(
        2,
        "　　".join(
            part
            for part in (
                f"培训项目：{training_class.project}" if training_class.project else "",
                f"培训地点：{training_class.place}" if training_class.place else "",
                f"培训时间：{class_period(training_class)}",
                f"应出勤天数：{planned_text(training_class)}",
                f"学员人数：{len(class_payments.payments)} 人",
            )
            if part
        ),
    )
    sheet.cells(HEADER_ROW, [c.header for c in COLUMNS], ["header"] * len(COLUMNS), height=32)
    first = HEADER_ROW + 1
    rows = {
        first + index: table_row(
            sheet,
            first + index,
            COLUMNS,
            [
                index + 1,
                payment.trainee.name,
                payment.trainee.sex,
                payment.trainee.id_number,
                payment.address,
                payment.trainee.category or "未填写",
                payment.phone,
                training_class.project,
                payment.trainee.note,
            ],
        )
        for index, payment in enumerate(class_payments.payments)
    }
    sheet.widths = widths_for(COLUMNS, list(rows.values()))
    signature = signature_text(settings, width=sum(sheet.widths))
    sheet.line(first + len(rows) + 1, "\n".join(signature), height=30)
    fit_rows(sheet, rows, minimum=24)
    sheet.last_table_row = first + len(rows) - 1
    return [sheet]
