"""The household roster (户籍/监测名单): one row per person, grouped into households."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from ..errors import Problem
from ..example_household import EXAMPLE_HOUSEHOLD, EXAMPLE_ID
from ..masking import mask_id
from ..models import (
    ELIMINATION_METHODS,
    HEAD_RELATION,
    HOUSEHOLD_TYPES,
    MONITORING_CATEGORIES,
    Helper,
    Household,
    Person,
    Roster,
)
from .collect import Problems, summarized
from .gcpause import without_gc
from .income import (
    INCOME_COLUMNS,
    check_declared_income,
    check_member_incomes,
    household_income,
    income_kind,
    income_source,
    missing_income_columns,
)
from .income_period import ALIASES as PERIOD_ALIASES
from .income_period import COLUMN as PERIOD_COLUMN
from .income_period import read_income_period
from .rows import RowReader, example_row, iter_rows, raise_if_errors, row_place
from .workbook import Column, read_tables

RISK_COLUMNS = tuple(f"致贫返贫风险{i}" for i in range(1, 6))

SHEET_NAMES = ("户籍监测名单", "花名册", "监测名单")  # read just this sheet when a workbook has one
COLUMNS: tuple[Column, ...] = (
    Column("户编号", ("户码", "户编码"), required=True),
    Column("县(市、区、旗)", ("县", "区县", "县(区)", "县(市、区)")),
    Column("乡(镇)", ("乡镇", "乡镇(街道)", "镇", "乡(镇、街道)"), required=True),
    Column("行政村", ("村", "村(社区)"), required=True),
    Column("自然村", ("组", "村民小组")),
    Column("姓名", required=True),
    Column("证件号码", ("身份证号", "身份证号码", "公民身份号码"), required=True, is_id=True),
    Column("与户主关系", required=True),
    Column("人数", ("家庭人口数", "家庭人口")),
    Column("户类型", ()),
    Column("监测对象类别", ("易返贫致贫户(监测对象)类型", "监测对象类型")),
    Column("风险是否已消除", ("风险是否消除",)),
    Column("识别监测时间", ("风险识别时间",)),
    Column("消除监测时间", ("风险消除时间",)),
    Column("风险消除方式", ("消除方式",)),
    Column("数据日期", ("导出日期",)),
    Column("致贫返贫风险1", ("风险类型", "主要致贫原因")),
    *(Column(name) for name in RISK_COLUMNS[1:]),
    Column("健康状况"),
    Column("劳动技能"),
    Column("在校生状况"),
    Column("联系电话", ("户联系电话", "人联系电话")),
    Column("帮扶联系人", ("帮扶责任人",)),
    Column("帮扶联系人电话", ("帮扶责任人电话",)),
    Column("帮扶联系人单位", ("帮扶责任人单位",)),
    *(Column(name) for name in INCOME_COLUMNS),
    Column("家庭纯收入"),
    Column("人均纯收入", ("家庭人均纯收入",)),
    Column(PERIOD_COLUMN, PERIOD_ALIASES),
)


@without_gc
def load_roster(path: str | Path) -> Roster:
    """Read and validate a roster workbook; raise InputError listing every problem in it.

    A workbook split into one sheet per village is read sheet by sheet, as one roster.
    """
    path = Path(path)
    tables = read_tables(path, COLUMNS, sheet_names=SHEET_NAMES)
    problems: list[Problem] = Problems()
    rows_by_household: dict[str, list[RowReader]] = defaultdict(list)
    people: dict[RowReader, Person] = {}
    seen_ids: dict[str, tuple[str, int]] = {}  # ID → the sheet and row it was first seen on
    several = len(tables) > 1
    problems.extend(tables[0].notes)

    for table in tables:
        for reader in iter_rows(table, problems):
            household_id = household_key(reader)
            name = reader.text("姓名", required=True)
            id_number = reader.id_number("证件号码")
            relation = reader.text("与户主关系", required=True)
            if household_id == EXAMPLE_HOUSEHOLD and id_number == EXAMPLE_ID:
                problems.append(example_row(table, reader.row))
            if id_number:
                first = seen_ids.get(id_number)
                if first is not None:
                    where = row_place(first[0] if several else None, first[1])
                    problems.append(
                        table.problem(
                            f"身份证号 {mask_id(id_number)} 与{where}重复",
                            hint="同一人只能出现一次，删除重复行或核对号码",
                            row=reader.row,
                            column="证件号码",
                        )
                    )
                else:
                    seen_ids[id_number] = (table.sheet, reader.row)
            if household_id:
                rows_by_household[household_id].append(reader)
            if name and id_number and relation:
                people[reader] = Person(
                    name=name,
                    id_number=id_number,
                    relation=relation,
                    source_row=reader.row,
                    health=reader.text("健康状况"),
                    labour_skill=reader.text("劳动技能"),
                    school_status=reader.text("在校生状况"),
                    phone=reader.phone("联系电话"),
                )

    income_mode = income_kind(tables[0])
    if income_mode == "breakdown":
        problems.extend(p for table in tables if (p := missing_income_columns(table)) is not None)
    households = [
        household
        for household_id, readers in rows_by_household.items()
        if (household := _build_household(household_id, readers, people, problems, income_mode)) is not None
    ]
    if not any(table.rows for table in tables):
        problems.append(
            tables[0].problem(
                "表头下面没有任何人员数据",
                row=tables[0].header_row,
                hint="在表头下逐行填写每个家庭成员（一人一行）",
            )
        )
    elif income_mode == "none":
        problems.append(
            tables[0].problem(
                "名单中没有收入列（工资性收入等四项收入和生产经营性支出，或家庭纯收入、人均纯收入），"
                "明白卡的收入部分将印为「未提供」，实施方案不统计低于监测范围的户数",
                row=tables[0].header_row,
                hint="从监测系统导出时选上收入信息，或补上这些列",
                severity="warning",
            )
        )
    raise_if_errors(problems)
    warnings = tuple(p for p in summarized(problems) if not p.is_error)
    return Roster(source=str(path), households=tuple(households), warnings=warnings)


def household_key(reader: RowReader) -> str:
    """户编号 as text. A long 户编号 stored as a number has lost its last digits (Excel keeps 15)."""
    raw = reader.raw("户编号")
    text = reader.text("户编号", required=True)
    scientific = ("E" in text or "e" in text) and _SCIENTIFIC.match(text) is not None  # 1.2E+17
    if isinstance(raw, float) and abs(raw) >= 1e15 or scientific:
        reader.problems.append(
            reader.table.problem(
                "户编号被存成了数字（或显示为科学计数法），Excel 只保留 15 位有效数字，后几位已经丢失",
                hint="把该列设为「文本」格式后重新粘贴或录入完整的户编号",
                row=reader.row,
                column="户编号",
                value=raw,
            )
        )
        return ""
    return text


_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)


def _build_household(
    household_id: str,
    readers: list[RowReader],
    people: dict[RowReader, Person],
    problems: list[Problem],
    income_mode: str,
) -> Household | None:
    heads = [r for r in readers if r.text("与户主关系") == HEAD_RELATION]
    table = (heads or readers)[0].table
    rows = [r.row for r in readers]
    if len(heads) != 1:
        if heads:
            listed = "、".join(f"第 {r.row} 行" for r in heads)
            message = f"一户只能有一个户主，这一户有 {len(heads)} 个（{listed}）"
            hint = "把其中不是户主的人改为 配偶/之子 等实际关系"
        else:
            message = f"这一户（第 {rows[0]}–{rows[-1]} 行中的 {len(rows)} 人）没有户主"
            hint = "在「与户主关系」列把户主填为「户主」"
        problems.append(
            table.problem(
                message, hint=hint, row=(heads or readers)[0].row, column="与户主关系", household=household_id
            )
        )
        _check_household_cells((heads or readers)[0], readers, income_mode)
        return None
    head_reader = heads[0]
    head = people.get(head_reader)
    members = [people[r] for r in readers if r in people]
    if head is None or len(members) != len(readers):
        _check_household_cells(head_reader, readers, income_mode)  # the bad person cells are already reported
        return None
    members.sort(key=lambda p: not p.is_head)

    def first_text(column: str) -> str:
        for reader in (head_reader, *readers):
            text = reader.text(column)
            if text:
                return text
        return ""

    refused_before_size = head_reader.refused
    declared_size = head_reader.integer("人数")
    size_read = head_reader.refused == refused_before_size  # else per capita is over the rows counted
    if declared_size is not None:
        if declared_size < len(members):
            problems.append(
                table.problem(
                    f"家庭人口数填的是 {declared_size}，但名单里这一户有 {len(members)} 人",
                    hint="核对「人数」列，或删除不属于这一户的成员行",
                    row=head_reader.row,
                    column="人数",
                    household=household_id,
                )
            )
        elif declared_size > len(members):
            problems.append(
                table.problem(
                    f"家庭人口数为 {declared_size}，名单里只有 {len(members)} 人（可能有成员未导出），人均收入按 {declared_size} 人计算",
                    row=head_reader.row,
                    column="人数",
                    household=household_id,
                    severity="warning",
                )
            )
        elif declared_size == 0:
            declared_size = None

    _check_same_place(head_reader, readers, household_id, problems)
    source = income_source(head_reader, readers, income_mode)
    refused_before_income = source.refused
    income = household_income(source, income_mode, declared_size or len(members))
    # a refused income cell counts as 0 here: totals recomputed without it would only seem to disagree
    income_read = source.refused == refused_before_income
    if income_mode != "none" and len(readers) > 1:
        check_member_incomes(readers, source, income_mode, household_id, problems)
    household = Household(
        household_id=household_id,
        county=first_text("县(市、区、旗)"),
        township=head_reader.text("乡(镇)", required=True),
        village=head_reader.text("行政村", required=True),
        group=first_text("自然村"),
        head=head,
        members=tuple(members),
        income=income,
        source_rows=tuple(rows),
        declared_size=declared_size,
        household_type=head_reader.choice("户类型", HOUSEHOLD_TYPES),
        monitoring_category=head_reader.choice("监测对象类别", MONITORING_CATEGORIES),
        risk_resolved=head_reader.yes_no("风险是否已消除", ("是",), ("否",)),
        identified_month=head_reader.date("识别监测时间"),
        eliminated_month=head_reader.date("消除监测时间"),
        elimination_method=head_reader.choice("风险消除方式", ELIMINATION_METHODS),
        data_date=head_reader.date("数据日期"),
        risks=tuple(t for c in RISK_COLUMNS if (t := head_reader.text(c))),
        phone=head.phone or next((p.phone for p in members if p.phone), None),
        helper=_helper(head_reader, readers),
        income_period=read_income_period(head_reader, readers),
    )
    if household.size > 0 and income_mode == "breakdown" and income_read:
        check_declared_income(table, head_reader, household, problems, per_capita=size_read)
    return household


def _check_same_place(
    head_reader: RowReader, readers: list[RowReader], household_id: str, problems: list[Problem]
) -> None:
    """Members listed under another 乡镇 or 行政村 than their head: a typo or a wrong 户编号."""
    for column in ("乡(镇)", "行政村"):
        expected = head_reader.text(column)
        for reader in readers:
            found = reader.text(column)
            if found and expected and found != expected:
                problems.append(
                    reader.table.problem(
                        f"同一户的成员填写的{column}与户主（第 {head_reader.row} 行：{expected}）不同，按户主的处理",
                        hint="核对这一行的户编号和所在村",
                        row=reader.row,
                        column=column,
                        value=found,
                        household=household_id,
                        severity="warning",
                    )
                )


def _check_household_cells(head_reader: RowReader, readers: list[RowReader], income_mode: str) -> None:
    """Read the household-level cells of a household that cannot be built (no or two heads, a bad member
    row), so that their problems are reported in the same run as the others."""
    household_income(income_source(head_reader, readers, income_mode), income_mode, 1)
    head_reader.integer("人数")
    head_reader.text("乡(镇)", required=True)
    head_reader.text("行政村", required=True)
    head_reader.choice("户类型", HOUSEHOLD_TYPES)
    head_reader.choice("监测对象类别", MONITORING_CATEGORIES)
    head_reader.yes_no("风险是否已消除", ("是",), ("否",))
    head_reader.date("识别监测时间")
    head_reader.date("消除监测时间")
    head_reader.choice("风险消除方式", ELIMINATION_METHODS)
    head_reader.date("数据日期")
    _helper(head_reader, readers)
    read_income_period(head_reader, readers)


def _helper(head_reader: RowReader, readers: list[RowReader]) -> Helper | None:
    for reader in (head_reader, *readers):
        name = reader.text("帮扶联系人")
        if name:
            return Helper(
                name=name, phone=reader.phone("帮扶联系人电话"), unit=reader.prose("帮扶联系人单位")
            )
    return None
