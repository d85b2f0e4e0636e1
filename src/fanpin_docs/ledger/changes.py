"""What changed between two stored periods (动态监测变化表): who entered monitoring, whose risk was
eliminated, whose category changed, whose income fell under the line or by more than the policy's
share, which members were added, removed or moved, and which households are gone from the export.
Every change carries the values before and after."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..money import format_amount
from ..policy import Policy
from .snapshot import HouseholdState, MemberState, Snapshot

KINDS = (
    "新纳入监测",
    "风险消除",
    "监测类别变化",
    "收入低于监测线",
    "收入大幅下降",
    "新增成员",
    "减少成员",
    "成员迁移",
    "新增户",
    "户不在本期名单",
)


@dataclass(frozen=True)
class Change:
    kind: str
    household_id: str
    village: str
    head: str
    before: str
    after: str
    person: str = ""  # the member a member change is about
    note: str = ""


@dataclass
class ChangeReport:
    first: str  # the earlier period
    second: str
    changes: list[Change]
    notes: list[str] = field(default_factory=list)  # what could not be compared, and why

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    def summary(self) -> str:
        counts = [f"{kind} {n} 户" for kind in KINDS if (n := self.count(kind))]
        counts = [
            c.replace(" 户", " 人") if c.startswith(("新增成员", "减少成员", "成员迁移")) else c
            for c in counts
        ]
        return "；".join(counts) if counts else "没有变化"


def compare(
    before: Snapshot, after: Snapshot, policy: Policy | None, *, first: str, second: str
) -> ChangeReport:
    """The changes from `before` (period `first`) to `after` (period `second`); without a policy
    (no monitoring line) the income rows are left out and the report says so."""
    line = policy.monitoring_line if policy else None
    drop = policy.changes.income_drop if policy else None
    changes: list[Change] = []
    for household in after.households.values():
        old = before.households.get(household.household_id)
        if old is None:
            changes.append(_row("新增户", household, "上期名单中没有这一户", _describe(household)))
            if household.monitored:
                changes.append(_row("新纳入监测", household, "上期名单中没有这一户", _monitoring(household)))
            continue
        changes += _household_changes(old, household, line, drop)
    for household in before.households.values():
        if household.household_id not in after.households:
            changes.append(_row("户不在本期名单", household, _describe(household), "本期名单中没有这一户"))
    changes += _member_changes(before, after)
    changes.sort(key=lambda c: (KINDS.index(c.kind), c.village, c.household_id, c.person))
    notes = []
    if policy is None:
        notes.append("没有指定政策文件（--policy），不知道监测线，变化表未列出收入的变化")
    elif drop is None:
        notes.append("政策文件没有设定 [changes] income_drop（收入下降比例），变化表未列出收入大幅下降的户")
    return ChangeReport(first, second, changes, notes)


def _household_changes(
    old: HouseholdState, new: HouseholdState, line: Decimal | None, drop: Decimal | None
) -> list[Change]:
    changes = []
    if new.monitored and not old.monitored:
        changes.append(_row("新纳入监测", new, "未纳入监测", _monitoring(new)))
    if new.monitored and old.monitored and new.resolved is True and old.resolved is not True:
        eliminated = f"，{_month(new)}" if new.eliminated else ""
        changes.append(
            _row(
                "风险消除",
                new,
                f"风险未消除（{old.category or old.household_type}）",
                f"风险已消除：{new.method or '未填写消除方式'}{eliminated}",
            )
        )
    if old.monitored and (old.category or "") != (new.category or "") and (new.monitored or old.category):
        changes.append(
            _row(
                "监测类别变化", new, old.category or "未填写类别", new.category or "未纳入监测（类别已清空）"
            )
        )
    if line is not None and old.per_capita is not None and new.per_capita is not None:
        if new.per_capita < line <= old.per_capita:
            changes.append(
                _row(
                    "收入低于监测线",
                    new,
                    f"人均纯收入 {format_amount(old.per_capita)} 元",
                    f"人均纯收入 {format_amount(new.per_capita)} 元",
                    note=f"监测线 {format_amount(line)} 元",
                )
            )
        if drop is not None and old.per_capita > 0 and new.per_capita < old.per_capita * (1 - drop):
            share = (old.per_capita - new.per_capita) / old.per_capita * 100
            changes.append(
                _row(
                    "收入大幅下降",
                    new,
                    f"人均纯收入 {format_amount(old.per_capita)} 元",
                    f"人均纯收入 {format_amount(new.per_capita)} 元",
                    note=f"下降 {share.quantize(Decimal('0.1'))}%（超过 {drop * 100:.0f}%）",
                )
            )
    return changes


def _member_changes(before: Snapshot, after: Snapshot) -> list[Change]:
    changes = []
    for member in after.members.values():
        household = after.households[member.household_id]
        old = before.members.get(member.id_number)
        if old is None:
            if member.household_id in before.households:
                changes.append(
                    _member("新增成员", household, member, "—", f"{member.name}（{member.relation}）")
                )
            continue
        if old.household_id != member.household_id:
            source = before.households.get(old.household_id)
            changes.append(
                _member(
                    "成员迁移",
                    household,
                    member,
                    _where(old, source),
                    _where(member, household),
                )
            )
    for old in before.members.values():
        if old.id_number not in after.members and old.household_id in after.households:
            household = after.households[old.household_id]
            changes.append(
                _member("减少成员", household, old, f"{old.name}（{old.relation}）", "本期名单中没有此人")
            )
    return changes


def _where(member: MemberState, household: HouseholdState | None) -> str:
    if household is None:
        return f"户编号 {member.household_id}（{member.relation}）"
    return f"{household.village} 户编号 {household.household_id}（户主 {household.head}，{member.relation}）"


def _row(kind: str, household: HouseholdState, before: str, after: str, *, note: str = "") -> Change:
    return Change(kind, household.household_id, household.village, household.head, before, after, note=note)


def _member(kind: str, household: HouseholdState, member: MemberState, before: str, after: str) -> Change:
    return Change(kind, household.household_id, household.village, household.head, before, after, member.name)


def _describe(household: HouseholdState) -> str:
    kind = household.category or household.household_type or "农户"
    return f"{kind}，{household.size} 人"


def _monitoring(household: HouseholdState) -> str:
    parts = [household.category or "监测户"]
    if household.risks:
        parts.append(f"风险：{household.risks}")
    parts.append("风险已消除" if household.resolved else "风险未消除")
    if household.identified:
        parts.append(f"识别 {household.identified.year}年{household.identified.month}月")
    return "；".join(parts)


def _month(household: HouseholdState) -> str:
    day = household.eliminated
    return "" if day is None else f"{day.year}年{day.month}月消除"
