"""The measures ledger (帮扶措施台账): one row per policy item a household received."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path

from ..errors import Problem
from ..example_household import EXAMPLE_HOUSEHOLD
from ..models import MeasureRecord, Roster
from .collect import Problems, summarized
from .gcpause import without_gc
from .rows import RowReader, example_row, raise_if_errors, report_masked_columns
from .workbook import Column, Table, read_tables

SHEET_NAMES = ("帮扶措施台账", "措施台账")  # the sheet to read when a workbook has several
COLUMNS: tuple[Column, ...] = (
    Column("户编号"),
    Column("户主证件号码", ("户主身份证号", "户主身份证号码"), is_id=True),
    Column("措施名称", ("政策名称", "帮扶措施", "项目"), required=True),
    Column("计算基数", ("投入金额", "自付费用", "基数")),
    Column("数量", ("月数", "天数", "人数")),
    Column("金额", ("补助金额", "兑现金额")),
    Column("验收结果", ("是否验收合格",)),
    Column("落实日期", ("兑现日期", "日期")),
    Column("一户一策日期", ("一户一策制定日期", "一户一策时间")),
    Column("备注"),
)


@dataclass(slots=True)
class MeasureRow:
    """One row of the ledger read without the roster: its cells parsed, the household it names not yet
    looked up. Problems are kept in the order the row's cells are read, in two parts, so that the
    roster's own problems about the row (`check_measures`) come between them as in a one-pass read."""

    row: int
    found: Sequence[Problem]  # problems met while finding whose row it is (户编号, 户主证件号码)
    household_id: str  # "" when the row names its household by the head's ID only
    head_id: str | None  # that ID, to look up in the roster
    record: MeasureRecord | None  # None: whose row it is cannot be known (already in `found`)
    fields: Sequence[Problem] = ()  # problems of the row's other cells
    sheet: int = 0  # the row's sheet: its position in `ParsedMeasures.tables`


@dataclass
class ParsedMeasures:
    """The ledger read and parsed without the roster (`parse_measures`); `check_measures` finishes it."""

    tables: list[Table]  # each sheet's file, name and headers (for the roster's problems about a row)
    leading: list[Problem]  # problems of whole columns, found before the rows (an ID column exported masked)
    rows: Iterable[MeasureRow]


@without_gc
def load_measures(
    path: str | Path, roster: Roster | None = None, *, warnings: list[Problem] | None = None
) -> list[MeasureRecord]:
    """Read the ledger; with a roster, every row must name a household of it (by 户编号 or the head's ID).

    Warnings (problems that do not refuse the file) are appended to `warnings` when a list is given.
    """
    return check_measures(parse_measures(path), roster, warnings=warnings)


def parse_measures(path: str | Path) -> ParsedMeasures:
    """Read the ledger's sheets (one, or one per village with the same header) and parse their rows,
    everything that does not need the roster; raises InputError when a sheet cannot be a measures
    ledger. The rows are parsed as they are iterated."""
    path = Path(path)
    tables = read_tables(path, COLUMNS, sheet_names=SHEET_NAMES)
    problems: list[Problem] = Problems()
    for table in tables:
        if not table.has("户编号") and not table.has("户主证件号码"):
            problems.append(
                table.problem(
                    "找不到「户编号」列（或「户主证件号码」列），无法知道措施属于哪一户",
                    hint="加上「户编号」列",
                    row=table.header_row,
                )
            )
    raise_if_errors(problems)
    leading: list[Problem] = list(tables[0].notes)
    for table in tables:
        report_masked_columns(table, leading)
    rows = (item for number, table in enumerate(tables) for item in _parse_rows(table, number))
    return ParsedMeasures(tables, leading, rows)


@without_gc
def parse_measures_in_full(path: str | Path, *, most_problems: int = 1000) -> ParsedMeasures | None:
    """`parse_measures` with every row parsed into a list, keeping of the sheet only what the roster's
    problems about a row need (to be sent from another process); None when the rows have more than
    `most_problems` problems: a read in one pass holds no more than a bounded number of them."""
    parsed = parse_measures(path)
    rows: list[MeasureRow] = []
    count = len(parsed.leading)
    for item in parsed.rows:
        count += len(item.found) + len(item.fields)
        if count > most_problems:
            return None
        rows.append(item)
    return ParsedMeasures([_bare(table) for table in parsed.tables], parsed.leading, rows)


def _bare(table: Table) -> Table:
    """The table without its rows and the conversions it remembered while they were read (the fields
    that take no part in comparing tables)."""
    emptied = {
        f.name: f.default_factory() for f in fields(Table) if not f.compare and callable(f.default_factory)
    }
    return replace(table, rows=[], **emptied)


def _parse_rows(table: Table, sheet: int) -> Iterator[MeasureRow]:
    by_number, by_head = table.has("户编号"), table.has("户主证件号码")
    for row, values in table.rows:
        found: list[Problem] = []
        reader = RowReader(table, row, values, found)
        household_id = reader.text("户编号") if by_number else ""
        head_id = None
        if not household_id and by_head and reader.text("户主证件号码"):
            head_id = reader.id_number("户主证件号码")
            if head_id is None:
                yield MeasureRow(row, found, "", None, None, sheet=sheet)  # the bad ID is already reported
                continue
        elif not household_id:
            found.append(
                table.problem(
                    "没有填写户编号",
                    row=row,
                    column="户编号" if by_number else "户主证件号码",
                    hint="填写这条措施所属户的户编号（或户主证件号码）",
                )
            )
            yield MeasureRow(row, found, "", None, None, sheet=sheet)
            continue
        if household_id == EXAMPLE_HOUSEHOLD:
            found.append(example_row(table, row))
        fields: list[Problem] = []
        reader.problems = fields
        accepted = reader.yes_no("验收结果", ("合格", "是", "验收合格", "达标"), ("不合格", "否", "未验收"))
        record = MeasureRecord(
            household_id=household_id,
            name=reader.text("措施名称", required=True),
            source_row=row,
            base=reader.money("计算基数"),
            quantity=reader.decimal("数量"),
            given_amount=reader.money("金额"),
            accepted=accepted,
            on=reader.date("落实日期"),
            note=reader.prose("备注"),
            plan_date=reader.date("一户一策日期"),
        )
        yield MeasureRow(row, found or (), household_id, head_id, record, fields or (), sheet)


def check_measures(
    parsed: ParsedMeasures, roster: Roster | None = None, *, warnings: list[Problem] | None = None
) -> list[MeasureRecord]:
    """The parsed rows checked against the roster (every row must name one of its households); raises
    InputError with every problem of the file, in the order of its rows."""
    problems: list[Problem] = Problems(parsed.leading)
    by_head_id = {h.head.id_number: h.household_id for h in roster.households} if roster else {}
    known = {h.household_id for h in roster.households} if roster else None
    without_zeros: dict[str, list[str]] = {}
    for household_id in sorted(known or ()):
        if household_id.isdigit() and household_id.startswith("0"):
            without_zeros.setdefault(household_id.lstrip("0"), []).append(household_id)
    records: list[MeasureRecord] = []
    # a ledger split by sheet (one per village) holds each measure once: the same row on two sheets is a
    # copied sheet (Excel's 「移动或复制」) that would pay it twice
    first_seen: dict[MeasureRecord, tuple[int, int]] | None = {} if len(parsed.tables) > 1 else None
    for item in parsed.rows:
        if item.found:
            problems.extend(item.found)
        record = item.record
        if record is None:
            continue
        table = parsed.tables[item.sheet]
        household_id = item.household_id
        if item.head_id is not None:
            if roster is None:
                problems.append(
                    table.problem(
                        "只填了户主证件号码，没有户籍名单无法知道是哪一户",
                        row=item.row,
                        column="户主证件号码",
                        value=item.head_id,
                        hint="同时给出户籍监测名单（--roster），或在台账中填写「户编号」",
                    )
                )
                continue
            household_id = by_head_id.get(item.head_id, "")
            if not household_id:
                problems.append(
                    table.problem(
                        "户主证件号码在户籍名单中找不到",
                        row=item.row,
                        column="户主证件号码",
                        value=item.head_id,
                        hint="核对号码，或改填「户编号」",
                    )
                )
                continue
            record = replace(record, household_id=household_id)
        if known is not None and household_id not in known:
            problems.append(_unknown_household(table, item.row, household_id, without_zeros))
        if item.fields:
            problems.extend(item.fields)
        if first_seen is not None:
            key = replace(record, source_row=0)
            seen = first_seen.setdefault(key, (item.sheet, item.row))
            if seen[0] != item.sheet:
                problems.append(_copied_row(parsed.tables, table, item.row, seen))
        records.append(record)
    raise_if_errors(problems)
    if warnings is not None:
        warnings.extend(p for p in summarized(problems) if not p.is_error)
    return records


def _copied_row(tables: Sequence[Table], table: Table, row: int, seen: tuple[int, int]) -> Problem:
    other, other_row = tables[seen[0]], seen[1]
    return table.problem(
        f"这条措施与工作表「{other.sheet}」第 {other_row} 行完全相同（同一户、同一措施、同样的金额和日期），"
        "是复制出来的工作表吗？照读会重复计算",
        row=row,
        hint="删除复制出来的工作表（或这一行）；按村分表时，每条措施只写在一个工作表里",
    )


def _unknown_household(
    table: Table, row: int, household_id: str, without_zeros: dict[str, list[str]]
) -> Problem:
    """户编号 not in the roster; when it is the roster's number without its leading zeros (a number cell
    drops them: 001503 → 1503), say so and name the roster household it matches."""
    matches = without_zeros.get(household_id.lstrip("0"), []) if household_id.isdigit() else []
    if len(matches) == 1:
        return table.problem(
            f"户编号在户籍名单中找不到；名单里有户编号 {matches[0]}，"
            "很可能是台账里的户编号丢掉了开头的 0（数字格式的单元格会去掉开头的 0）",
            row=row,
            column="户编号",
            value=household_id,
            hint=f"把台账的户编号列设为「文本」格式，再把这一格改为 {matches[0]}，与户籍名单一致",
        )
    if matches:
        return table.problem(
            f"户编号在户籍名单中找不到；去掉开头的 0 后与名单中 {'、'.join(matches[:5])} 都相同，"
            "很可能是台账里的户编号丢掉了开头的 0",
            row=row,
            column="户编号",
            value=household_id,
            hint="把台账的户编号列设为「文本」格式，按户籍名单重新填写完整的户编号",
        )
    return table.problem(
        "户编号在户籍名单中找不到",
        row=row,
        column="户编号",
        value=household_id,
        hint="核对户编号，与户籍名单保持一致",
    )
