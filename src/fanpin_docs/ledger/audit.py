"""The county's data checks (疑点数据核查) on one stored period, as the policy's `[[audit]]` rules state
them. Each finding names the household (and the person, when it is about one), the rule, what was
found and what was expected; a check that the stored data cannot answer is listed as skipped, with
the reason, never passed silently."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from ..idcard import age_on
from ..money import format_amount
from ..policy import Policy
from ..policy.audit import AuditRule
from .periods import Period
from .snapshot import HouseholdState, Snapshot


@dataclass(frozen=True)
class Finding:
    rule: AuditRule
    household_id: str
    village: str
    head: str
    found: str
    expected: str
    person: str = ""


@dataclass
class AuditReport:
    period: str
    findings: list[Finding]
    skipped: list[str] = field(default_factory=list)
    rules: tuple[AuditRule, ...] = ()

    def count(self, rule: AuditRule) -> int:
        return sum(1 for f in self.findings if f.rule is rule)


@dataclass(frozen=True)
class AuditInput:
    period: Period
    snapshot: Snapshot
    history: list[tuple[str, Snapshot]]  # the earlier stored periods, oldest first
    policy: Policy

    @property
    def on(self) -> date:
        return self.period.end


def audit(inputs: AuditInput) -> AuditReport:
    findings: list[Finding] = []
    skipped: list[str] = []
    for rule in inputs.policy.audit:
        check = CHECKS[rule.check]
        result = check(rule, inputs)
        if isinstance(result, str):
            skipped.append(f"「{rule.name}」未检查：{result}")
            continue
        if isinstance(result, tuple):
            result, partly = result
            skipped.append(f"「{rule.name}」部分未检查：{partly}")
        findings += result
    order = {rule.name: index for index, rule in enumerate(inputs.policy.audit)}
    findings.sort(key=lambda f: (order[f.rule.name], f.village, f.household_id, f.person))
    return AuditReport(inputs.period.label, findings, skipped, inputs.policy.audit)


# the findings; or why the check could not be made; or the findings and what could not be checked
Result = list[Finding] | str | tuple[list[Finding], str]


def _finding(rule: AuditRule, h: HouseholdState, found: str, expected: str, person: str = "") -> Finding:
    return Finding(rule, h.household_id, h.village, h.head, found, expected, person)


def _months(first: date, second: date) -> int:
    return (second.year - first.year) * 12 + second.month - first.month


def _ym(day: date) -> str:
    return f"{day.year}年{day.month}月"


def _ymd(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


_NO_MEASURES = "这一期没有存入帮扶措施台账（fanpin ledger add 名单.xlsx --measures 台账.xlsx）"


def _no_measure(rule: AuditRule, inputs: AuditInput) -> Result:
    if inputs.snapshot.measures is None:
        return _NO_MEASURES
    assert rule.months is not None
    grouped = inputs.snapshot.measures_by_household()
    findings = []
    for h in inputs.snapshot.households.values():
        if not h.monitored or h.identified is None or grouped.get(h.household_id):
            continue
        if h.resolved and h.method == "自然消除":
            continue
        elapsed = _months(h.identified, inputs.on)
        if elapsed >= rule.months:
            findings.append(
                _finding(
                    rule,
                    h,
                    f"{_ym(h.identified)}识别，至{_ymd(inputs.on)}已 {elapsed} 个月，台账中没有帮扶措施",
                    f"识别后 {rule.months} 个月内落实帮扶措施",
                )
            )
    return findings


def _quick_elimination(rule: AuditRule, inputs: AuditInput) -> Result:
    assert rule.months is not None
    findings = []
    for h in inputs.snapshot.households.values():
        if not (h.monitored and h.resolved and h.method == "帮扶消除" and h.identified and h.eliminated):
            continue
        gap = _months(h.identified, h.eliminated)
        if gap <= rule.months:
            findings.append(
                _finding(
                    rule,
                    h,
                    f"{_ym(h.identified)}识别，{_ym(h.eliminated)}帮扶消除（相隔 {gap} 个月）",
                    f"帮扶消除距识别应超过 {rule.months} 个月（不超过的需核实帮扶成效）",
                )
            )
    return findings


def _short_monitoring(rule: AuditRule, inputs: AuditInput) -> Result:
    assert rule.months is not None
    findings = []
    for h in inputs.snapshot.households.values():
        if not (h.monitored and h.resolved and h.identified and h.eliminated):
            continue
        gap = _months(h.identified, h.eliminated)
        if gap < rule.months:
            findings.append(
                _finding(
                    rule,
                    h,
                    f"{_ym(h.identified)}识别，{_ym(h.eliminated)}{h.method or '消除'}（监测 {gap} 个月）",
                    f"从识别到消除不少于 {rule.months} 个月",
                )
            )
    return findings


def _high_income_new(rule: AuditRule, inputs: AuditInput) -> Result:
    assert rule.amount is not None
    findings = []
    for h in inputs.snapshot.households.values():
        if not h.monitored or h.identified is None or h.identified.year != inputs.on.year:
            continue
        if h.per_capita is not None and h.per_capita > rule.amount:
            findings.append(
                _finding(
                    rule,
                    h,
                    f"{_ym(h.identified)}识别，人均纯收入 {format_amount(h.per_capita)} 元",
                    f"当年识别户人均纯收入不超过 {format_amount(rule.amount)} 元（超过的需核实识别依据）",
                )
            )
    return findings


def _poor_under_line(rule: AuditRule, inputs: AuditInput) -> Result:
    line = inputs.policy.monitoring_line
    findings = []
    for h in inputs.snapshot.households.values():
        if h.household_type != "脱贫户" or h.monitored or h.per_capita is None or h.per_capita >= line:
            continue
        findings.append(
            _finding(
                rule,
                h,
                f"脱贫户，人均纯收入 {format_amount(h.per_capita)} 元，未纳入监测",
                f"人均纯收入低于监测范围 {format_amount(line)} 元的脱贫户应纳入监测（或核实收入）",
            )
        )
    return findings


def _elderly_public_post(rule: AuditRule, inputs: AuditInput) -> Result:
    if inputs.snapshot.measures is None:
        return _NO_MEASURES
    assert rule.age is not None
    names = set(rule.measures)
    for name in rule.measures:
        if (policy_rule := inputs.policy.rule(name)) is not None:
            names |= policy_rule.names()
    by_household: dict[str, list] = {}
    for member in inputs.snapshot.members.values():
        by_household.setdefault(member.household_id, []).append(member)
    findings = []
    unnamed = 0
    for measure in inputs.snapshot.measures:
        if measure.name not in names:
            continue
        household = inputs.snapshot.households.get(measure.household_id)
        members = by_household.get(measure.household_id, [])
        named = [m for m in members if m.name and m.name in measure.note]
        if household is None or not named:
            unnamed += 1
            continue
        holder = max(named, key=lambda m: len(m.name))
        age = age_on(holder.id_number, inputs.on)
        if age >= rule.age:
            findings.append(
                _finding(
                    rule,
                    household,
                    f"{holder.name}，{age} 岁，{measure.name}（{measure.note}）",
                    f"公益性岗位人员应未满 {rule.age} 周岁",
                    person=holder.name,
                )
            )
    if unnamed:
        return findings, f"{unnamed} 条公益性岗位记录的备注没有写明在岗人员（家庭成员）姓名，无法判断年龄"
    return findings


def _phone_not_mobile(rule: AuditRule, inputs: AuditInput) -> Result:
    findings = []
    for h in inputs.snapshot.households.values():
        if not (h.monitored or h.household_type == "脱贫户"):
            continue
        if h.phone is not None and len(h.phone) == 11 and h.phone.isdigit():
            continue
        found = "未填写，或格式不对" if h.phone is None else f"{h.phone}（固定电话）"
        findings.append(_finding(rule, h, f"户联系电话：{found}", "11 位手机号"))
    return findings


def _elimination_candidate(rule: AuditRule, inputs: AuditInput) -> Result:
    assert rule.periods is not None
    needed = rule.periods - 1
    if len(inputs.history) < needed:
        return f"需要连续 {rule.periods} 期的数据，台账中本期之前只有 {len(inputs.history)} 期"
    line = inputs.policy.monitoring_line
    earlier = inputs.history[-needed:]
    findings = []
    for h in inputs.snapshot.households.values():
        if not h.unresolved or h.per_capita is None or h.per_capita <= line:
            continue
        series: list[tuple[str, Decimal]] = []
        for label, snapshot in earlier:
            old = snapshot.households.get(h.household_id)
            if old is None or not old.unresolved or old.per_capita is None or old.per_capita <= line:
                break
            series.append((label, old.per_capita))
        else:
            series.append((inputs.period.label, h.per_capita))
            shown = "、".join(f"{label} {format_amount(value)} 元" for label, value in series)
            findings.append(
                _finding(
                    rule,
                    h,
                    f"风险未消除，人均纯收入 {shown}",
                    f"连续 {rule.periods} 期高于监测范围 {format_amount(line)} 元的，应评估是否消除风险",
                )
            )
    return findings


def _plan_overdue(rule: AuditRule, inputs: AuditInput) -> Result:
    if inputs.snapshot.measures is None:
        return _NO_MEASURES
    plans: dict[str, date] = {}
    for measure in inputs.snapshot.measures:
        if measure.plan_date is not None:
            latest = plans.get(measure.household_id)
            plans[measure.household_id] = max(measure.plan_date, latest or measure.plan_date)
    if not plans:
        return "帮扶措施台账没有「一户一策日期」列（或全部为空）"
    findings = []
    for h in inputs.snapshot.households.values():
        if not h.unresolved:
            continue
        due = _latest_due(rule, h.identified, inputs.on)
        if due is None:
            continue
        what, window_start, deadline = due
        latest = plans.get(h.household_id)
        if latest is not None and latest >= window_start:
            continue
        found = f"最近的一户一策日期为 {_ymd(latest)}" if latest else "台账中没有这一户的一户一策日期"
        findings.append(_finding(rule, h, found, f"{what}：应在 {_ymd(window_start)}至{_ymd(deadline)}之间"))
    return findings


def _latest_due(rule: AuditRule, identified: date | None, on: date) -> tuple[str, date, date] | None:
    """The last deadline on or before `on` that applies to a household identified on `identified`:
    (what is due, from when, by when)."""
    assert rule.new_days is not None and rule.draw_month and rule.review_month
    dues: list[tuple[str, date, date]] = []
    start = identified or date(on.year, 1, 1)
    if identified is not None:
        month_end = date(
            identified.year, identified.month, calendar.monthrange(identified.year, identified.month)[1]
        )
        dues.append(
            (f"新识别户 {rule.new_days} 天内制定", identified, month_end + timedelta(days=rule.new_days))
        )
    for year in range(start.year, on.year + 1):
        for month, what in (
            (rule.draw_month, f"每年{rule.draw_month}月制定"),
            (rule.review_month, f"每年{rule.review_month}月核查"),
        ):
            window = date(year, month, 1)
            if identified is not None and window <= identified:
                continue
            dues.append((what, window, date(year, month, calendar.monthrange(year, month)[1])))
    past = [d for d in dues if d[2] <= on]
    return max(past, key=lambda d: d[2]) if past else None


CHECKS: dict[str, Callable[[AuditRule, AuditInput], Result]] = {
    "no_measure": _no_measure,
    "quick_assisted_elimination": _quick_elimination,
    "short_monitoring": _short_monitoring,
    "high_income_new": _high_income_new,
    "poor_under_line": _poor_under_line,
    "elderly_public_post": _elderly_public_post,
    "phone_not_mobile": _phone_not_mobile,
    "elimination_candidate": _elimination_candidate,
    "plan_overdue": _plan_overdue,
}
