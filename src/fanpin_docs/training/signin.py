"""培训签到表: one sheet per training day, morning and afternoon sign-in columns.

The days are the class's dates when the data fixes them: every calendar day from 开班日期 to 结业日期
when their number equals the planned days, else the working days in that span when those match
(the official holidays and 调休, `fanpin_docs.holidays`, with fanpin.toml's local changes). Otherwise each sheet carries a date line to fill in
by hand rather than a guessed date. The sheet passes from hand to hand, so IDs are masked.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta

from ..dates import BLANK_DATE, chinese_date
from ..holidays import is_working_day
from ..models import TrainingClass
from ..policy import Policy
from ..sheetxml import Sheet
from .common import ColumnSpec, fit_rows, table_row, widths_for
from .payments import ClassPayments

COLUMNS = (
    ColumnSpec("序号", 5, 6, kind="count"),
    ColumnSpec("姓名", 10, 14),
    ColumnSpec("性别", 5, 6),
    ColumnSpec("身份证号", 20, 22),
    ColumnSpec("上午签到", 16, 18),
    ColumnSpec("下午签到", 16, 18),
    ColumnSpec("备注", 10, 16),
)
HEADER_ROW = 3


def training_days(
    training_class: TrainingClass, holidays: Iterable[date] = (), workdays: Iterable[date] = ()
) -> list[date | None]:
    """The date of each training day, or None for each day when the data does not fix the dates."""
    planned = training_class.planned_days
    start, end = training_class.start, training_class.end
    span = [start + timedelta(days=i) for i in range((end - start).days + 1)] if start and end else []
    count = math.ceil(planned) if planned is not None else len(span) or 1
    if len(span) == count:
        return list(span)
    off, on = set(holidays), set(workdays)
    working = [d for d in span if is_working_day(d, off, on)]
    if working and len(working) == count:
        return list(working)
    return [None] * count


def build_signin(
    class_payments: ClassPayments,
    policy: Policy,
    *,
    holidays: Iterable[date] = (),
    workdays: Iterable[date] = (),
) -> list[Sheet]:
    training_class = class_payments.training_class
    days = training_days(training_class, holidays, workdays)
    masks = policy.masks()
    people = [
        (p.trainee.name, p.trainee.sex, masks.id_number(p.trainee.id_number)) for p in class_payments.payments
    ]
    where = f"　　培训地点：{training_class.place}" if training_class.place else ""
    first = HEADER_ROW + 1
    body = range(first, first + len(people))
    sheets: list[Sheet] = []
    widths: list[float] = []
    for number, day in enumerate(days, start=1):
        # the title rows repeat on every page, so a second page still shows the day and date
        sheet = Sheet(
            f"第{number}天" + (f" {day.month}月{day.day}日" if day else ""),
            len(COLUMNS),
            title_rows=(1, HEADER_ROW),
            key_columns=2,
        )
        sheet.line(1, f"{training_class.name}签到表", "title", height=30)
        sheet.line(
            2,
            f"培训日期：{chinese_date(day) if day else BLANK_DATE}（第 {number} 天，共 {len(days)} 天）{where}",
        )
        sheet.cells(HEADER_ROW, [c.header for c in COLUMNS], ["header"] * len(COLUMNS), height=32)
        if sheets:  # every day lists the same people in the same order
            sheet.reuse_rows(sheets[0], body)
        else:
            rows = {
                row: table_row(sheet, row, COLUMNS, [index + 1, name, sex, masked, "", "", ""])
                for index, (row, (name, sex, masked)) in enumerate(zip(body, people, strict=True))
            }
            widths = widths_for(COLUMNS, list(rows.values()))
            sheet.widths = widths
            fit_rows(sheet, rows, minimum=26)
        sheet.line(
            body.stop + 1,
            f"应到 {len(people)} 人，上午实到 ______ 人，下午实到 ______ 人　　　　"
            "班主任（签字）：__________",
            height=28,
        )
        sheet.widths = widths
        sheet.last_table_row = body.stop - 1
        sheets.append(sheet)
    return sheets
