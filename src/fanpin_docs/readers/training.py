"""Training attendance (培训考勤): one row per trainee and class, class data per row or on 培训班."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from ..dates import chinese_date
from ..errors import InputError, Problem
from ..example_household import EXAMPLE_ID
from ..idcard import sex_of
from ..models import TRAINEE_CATEGORIES, Roster, Trainee, TrainingClass
from ..money import format_number
from .collect import Problems, summarized
from .gcpause import without_gc
from .rows import RowReader, example_row, iter_rows, raise_if_errors, row_place
from .workbook import Column, Table, hidden_notes, open_workbook, read_table, read_tables

SHEET_NAMES = ("培训考勤", "考勤")  # the trainees' sheet when a workbook has several
CLASS_SHEET = "培训班"  # the classes, one row each (optional: class data may be on each trainee's row)
CLASS_COLUMNS: tuple[Column, ...] = (
    Column("培训班", ("培训班名称", "班级"), required=True),
    Column("培训项目", ("工种", "培训专业")),
    Column("培训地点"),
    Column("开班日期", ("开班时间", "开始日期")),
    Column("结业日期", ("结业时间", "结束日期")),
    Column("应出勤天数", ("计划天数", "培训天数")),
    Column("考核日期", ("结业考核日期", "考核时间")),
)
TRAINEE_COLUMNS: tuple[Column, ...] = (
    *CLASS_COLUMNS,
    Column("姓名", required=True),
    Column("证件号码", ("身份证号", "身份证号码", "公民身份号码"), required=True, is_id=True),
    Column("性别"),
    Column("人员类别"),
    Column("实际出勤天数", ("出勤天数", "考勤天数"), required=True),
    Column("考核结果", ("是否合格", "结业考核")),
    Column("开户银行"),
    Column("银行卡号", ("社保卡号", "一卡通账号"), is_id=True),
    Column("联系电话"),
    Column("户籍地址"),
    Column("备注"),
)
PASSED = ("合格", "是", "通过")
FAILED = ("不合格", "否", "未通过")


@without_gc
def load_training(
    path: str | Path, roster: Roster | None = None, *, warnings: list[Problem] | None = None
) -> tuple[list[TrainingClass], list[Trainee]]:
    """Classes and trainees. A missing 人员类别 is taken from the roster by ID when a roster is given.

    Warnings (problems that do not refuse the file) are appended to `warnings` when a list is given.
    """
    path = Path(path)
    sheets = open_workbook(path)
    class_sheet, trainee_sheets = sheets.apart(CLASS_SHEET)
    # the trainees: every sheet with their header (one per village or class), never the class sheet
    tables = read_tables(path, TRAINEE_COLUMNS, sheet_names=SHEET_NAMES, sheets=trainee_sheets or sheets)
    problems: list[Problem] = Problems(tables[0].notes)
    classes: dict[str, TrainingClass] = {}
    class_rows: dict[str, tuple[Table, int]] = {}  # where each class's data was read, for messages
    if not class_sheet:  # a hidden one is not read (its classes come from the trainees' rows): say so
        problems.extend(hidden_notes(path.name, class_sheet, CLASS_COLUMNS))
    if class_sheet:
        class_table = read_table(path, CLASS_COLUMNS, sheets=class_sheet)
        for reader in iter_rows(class_table, problems):
            training_class = _class_from_row(reader)
            if training_class.name in classes:
                problems.append(
                    class_table.problem(
                        "培训班名称重复",
                        row=reader.row,
                        column="培训班",
                        value=training_class.name,
                        hint="每个培训班只写一行",
                    )
                )
            classes[training_class.name] = training_class
            class_rows.setdefault(training_class.name, (class_table, reader.row))

    people = roster.person_index() if roster else {}
    trainees: list[Trainee] = []
    read_on: list[Table] = []  # the sheet each trainee was read on
    first_row: dict[tuple[str, str], tuple[Table, int]] = {}
    several = len(tables) > 1
    for table, reader in ((t, r) for t in tables for r in iter_rows(t, problems)):
        class_name = reader.text("培训班", required=True)
        if class_name and class_name not in classes:
            classes[class_name] = _class_from_row(reader)
            class_rows[class_name] = (table, reader.row)
        elif class_name and not class_sheet:
            classes[class_name] = _merge_class_data(table, reader, classes[class_name], problems)
        id_number = reader.id_number("证件号码")
        if id_number == EXAMPLE_ID:
            problems.append(example_row(table, reader.row))
        category = reader.choice("人员类别", TRAINEE_CATEGORIES)
        if not category and id_number and id_number in people:
            category = _category_from_roster(*people[id_number])
        attended = reader.decimal("实际出勤天数", required=True)
        if attended is not None and (attended * 2) != (attended * 2).to_integral_value():
            problems.append(
                table.problem(
                    "出勤天数只能是整天或半天（如 6 或 6.5）",
                    row=reader.row,
                    column="实际出勤天数",
                    value=reader.raw("实际出勤天数"),
                    hint="按半天为最小单位填写",
                )
            )
            attended = None
        if not (class_name and id_number and attended is not None):
            reader.text("姓名", required=True)
            continue
        key = (class_name, id_number)
        if key in first_row:
            first_table, first = first_row[key]
            where = row_place(first_table.sheet if several else None, first)
            problems.append(
                table.problem(
                    f"同一人在培训班「{class_name}」中出现两次（{where}和第 {reader.row} 行）",
                    row=reader.row,
                    column="证件号码",
                    value=id_number,
                    hint="删除重复的一行",
                )
            )
            continue
        first_row[key] = (table, reader.row)
        read_on.append(table)
        trainees.append(
            Trainee(
                class_name=class_name,
                name=reader.text("姓名", required=True),
                id_number=id_number,
                source_row=reader.row,
                sex=reader.choice("性别", ("男", "女")) or sex_of(id_number),
                category=category,
                attended_days=attended,
                passed=reader.yes_no("考核结果", PASSED, FAILED),
                bank=reader.text("开户银行"),
                card_number=_card_number(reader),
                phone=reader.phone("联系电话"),
                address=reader.prose("户籍地址"),
                note=reader.prose("备注"),
            )
        )
    _check_attendance(tables[0], classes, class_rows, list(zip(trainees, read_on, strict=True)), problems)
    raise_if_errors(problems)
    if warnings is not None:
        warnings.extend(p for p in summarized(problems) if not p.is_error)
    if not trainees:
        raise InputError(
            [tables[0].problem("没有任何学员数据", row=tables[0].header_row, hint="在表头下逐行填写学员")]
        )
    return list(classes.values()), trainees


def _class_from_row(reader: RowReader) -> TrainingClass:
    return TrainingClass(
        name=reader.text("培训班", required=True),
        project=reader.text("培训项目"),
        place=reader.prose("培训地点"),
        start=reader.date("开班日期", month_only_ok=False),
        end=reader.date("结业日期", month_only_ok=False),
        planned_days=reader.decimal("应出勤天数"),
        assessed_on=reader.date("考核日期", month_only_ok=False),
    )


_CLASS_FIELDS = (
    ("project", "培训项目"),
    ("place", "培训地点"),
    ("start", "开班日期"),
    ("end", "结业日期"),
    ("planned_days", "应出勤天数"),
    ("assessed_on", "考核日期"),
)


def _merge_class_data(
    table: Table, reader: RowReader, known: TrainingClass, problems: list[Problem]
) -> TrainingClass:
    """Class data repeated on each row must agree; a field left blank on earlier rows is taken from a
    later one."""
    row = _class_from_row(reader)
    fills: dict[str, object] = {}
    for field, column in _CLASS_FIELDS:
        earlier, here = getattr(known, field), getattr(row, field)
        if here in (None, ""):
            continue
        if earlier in (None, ""):
            fills[field] = here
        elif earlier != here:
            shown = chinese_date(earlier) if isinstance(earlier, date) else str(earlier)
            problems.append(
                table.problem(
                    f"同一培训班「{known.name}」的{column}前后不一致（此前的行为 {shown}）",
                    row=reader.row,
                    column=column,
                    value=reader.raw(column),
                    hint=f"同一培训班各行的{column}填写相同的内容",
                )
            )
    return replace(known, **fills) if fills else known  # type: ignore[arg-type]


def _card_number(reader: RowReader) -> str:
    text = reader.text("银行卡号").replace(" ", "").replace("-", "")
    if text and not text.isdigit():
        reader.problems.append(
            reader.table.problem(
                "银行卡号只能由数字组成",
                row=reader.row,
                column="银行卡号",
                value=text,
                hint="去掉字母和符号；卡号若被存成数字（科学计数法），请把列设为文本后重新录入",
            )
        )
        return ""
    if isinstance(reader.raw("银行卡号"), float):
        reader.problems.append(
            reader.table.problem(
                "银行卡号被存成了数字，超过 15 位的部分已经丢失",
                row=reader.row,
                column="银行卡号",
                value=text,
                hint="把该列设为「文本」格式后重新录入完整卡号",
            )
        )
        return ""
    return text


def _category_from_roster(household, person) -> str:
    categories = household.categories()
    if "监测对象" in categories:
        return "监测对象"
    if household.household_type == "脱贫户":
        return "脱贫人口"
    return "其他"


def _check_attendance(
    table: Table,
    classes: dict[str, TrainingClass],
    class_rows: dict[str, tuple[Table, int]],
    trainees: list[tuple[Trainee, Table]],
    problems: list[Problem],
) -> None:
    for trainee, read_on in trainees:
        planned = classes[trainee.class_name].planned_days
        if planned is None:
            continue
        if trainee.attended_days > planned:
            problems.append(
                read_on.problem(
                    f"实际出勤 {format_number(trainee.attended_days)} 天，超过该班应出勤天数 {format_number(planned)} 天",
                    row=trainee.source_row,
                    column="实际出勤天数",
                    value=str(trainee.attended_days),
                    hint="核对考勤，实际出勤不能多于应出勤天数",
                )
            )
    for training_class in classes.values():
        source, row = class_rows.get(training_class.name, (table, None))
        if training_class.planned_days is None:
            problems.append(
                source.problem(
                    f"培训班「{training_class.name}」没有应出勤天数",
                    column="应出勤天数",
                    row=row,
                    hint="在每行或「培训班」工作表中填写应出勤天数",
                )
            )
        start, end, planned = training_class.start, training_class.end, training_class.planned_days
        if start and end and end < start:
            problems.append(
                source.problem(
                    f"培训班「{training_class.name}」的结业日期早于开班日期",
                    column="结业日期",
                    row=row,
                    hint="核对日期",
                )
            )
        elif start and end and planned is not None and planned > (end - start).days + 1:
            span = (end - start).days + 1
            problems.append(
                source.problem(
                    f"培训班「{training_class.name}」应出勤 {format_number(planned)} 天，但开班到结业只有 {span} 天",
                    column="应出勤天数",
                    row=row,
                    value=format_number(planned),
                    hint="核对应出勤天数或开班、结业日期",
                )
            )
        if start and training_class.assessed_on and training_class.assessed_on < start:
            problems.append(
                source.problem(
                    f"培训班「{training_class.name}」的考核日期早于开班日期",
                    column="考核日期",
                    row=row,
                    hint="核对日期：结业考核在培训开始之后",
                )
            )
