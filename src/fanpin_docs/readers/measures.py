"""The measures ledger (帮扶措施台账): one row per policy item a household received (inputs.md §2)."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..models import MeasureRecord, Roster
from .workbook import Column, iter_rows, raise_if_errors, read_table

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


def load_measures(
    path: str | Path, roster: Roster | None = None, *, warnings: list[Problem] | None = None
) -> list[MeasureRecord]:
    """Read the ledger; with a roster, every row must name a household of it (by 户编号 or the head's ID).

    Warnings (problems that do not refuse the file) are appended to `warnings` when a list is given.
    """
    path = Path(path)
    table = read_table(path, COLUMNS, sheet_names=("帮扶措施台账", "措施台账"))
    problems: list[Problem] = []
    if not table.has("户编号") and not table.has("户主证件号码"):
        problems.append(
            table.problem(
                "找不到「户编号」列（或「户主证件号码」列），无法知道措施属于哪一户",
                hint="加上「户编号」列",
                row=table.header_row,
            )
        )
        raise_if_errors(problems)
    by_head_id = {h.head.id_number: h.household_id for h in roster.households} if roster else {}
    known = {h.household_id for h in roster.households} if roster else None
    records: list[MeasureRecord] = []
    for reader in iter_rows(table, problems):
        household_id = reader.text("户编号") if table.has("户编号") else ""
        if not household_id and table.has("户主证件号码") and reader.text("户主证件号码"):
            head_id = reader.id_number("户主证件号码")
            if head_id is None:
                continue  # the bad ID is already reported
            if roster is None:
                problems.append(
                    table.problem(
                        "只填了户主证件号码，没有户籍名单无法知道是哪一户",
                        row=reader.row,
                        column="户主证件号码",
                        value=head_id,
                        hint="同时给出户籍监测名单（--roster），或在台账中填写「户编号」",
                    )
                )
                continue
            household_id = by_head_id.get(head_id, "")
            if not household_id:
                problems.append(
                    table.problem(
                        "户主证件号码在户籍名单中找不到",
                        row=reader.row,
                        column="户主证件号码",
                        value=head_id,
                        hint="核对号码，或改填「户编号」",
                    )
                )
                continue
        if not household_id:
            problems.append(
                table.problem(
                    "没有填写户编号",
                    row=reader.row,
                    column="户编号" if table.has("户编号") else "户主证件号码",
                    hint="填写这条措施所属户的户编号（或户主证件号码）",
                )
            )
            continue
        if known is not None and household_id not in known:
            problems.append(
                table.problem(
                    "户编号在户籍名单中找不到",
                    row=reader.row,
                    column="户编号",
                    value=household_id,
                    hint="核对户编号，与户籍名单保持一致",
                )
            )
        accepted = reader.yes_no("验收结果", ("合格", "是", "验收合格", "达标"), ("不合格", "否", "未验收"))
        records.append(
            MeasureRecord(
                household_id=household_id,
                name=reader.text("措施名称", required=True),
                source_row=reader.row,
                base=reader.money("计算基数"),
                quantity=reader.decimal("数量"),
                given_amount=reader.money("金额"),
                accepted=accepted,
                on=reader.date("落实日期"),
                note=reader.prose("备注"),
                plan_date=reader.date("一户一策日期"),
            )
        )
    raise_if_errors(problems)
    if warnings is not None:
        warnings.extend(p for p in problems if not p.is_error)
    return records
