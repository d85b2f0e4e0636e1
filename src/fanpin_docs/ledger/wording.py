"""How a stored export is told to the user, the same in the terminal (`fanpin ledger add`) and on the
工作台's 台账 page: one line for the period, and one line per change a replacement made."""

from __future__ import annotations

from .changes import Change
from .importing import AddResult


def added_line(result: AddResult) -> str:
    """`2023Q2：已存入「名单.xlsx」（320 户 1,203 人，帮扶措施 410 条）`, or what happened instead."""
    what = f"{result.households} 户 {result.people} 人" + (
        f"，帮扶措施 {result.measures} 条" if result.measures is not None else ""
    )
    if result.status == "unchanged":
        return f"{result.period}：「{result.source}」与台账中这一期相同，没有改变（{what}）"
    if result.status == "replaced":
        assert result.changes is not None
        return (
            f"{result.period}：已用「{result.source}」替换这一期（{what}）。改动：{result.changes.summary()}"
        )
    return f"{result.period}：已存入「{result.source}」（{what}）"


def change_line(change: Change) -> str:
    """One change a corrected export made to its period: `收入低于监测线：户编号 户主 人员：前 → 后`."""
    person = f" {change.person}" if change.person else ""
    return f"{change.kind}：{change.household_id} {change.head}{person}：{change.before} → {change.after}"
