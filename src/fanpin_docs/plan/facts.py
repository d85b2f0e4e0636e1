"""What the roster says about a township, counted once for the 实施方案 (目标任务, 对象范围)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from ..models import MONITORING_CATEGORIES, RISK_TYPES, Household


@dataclass(frozen=True)
class VillageCount:
    village: str
    households: int
    people: int
    monitored: int  # 监测对象户数
    unresolved: int  # of them, risk not yet eliminated
    below_line: int  # households whose 人均纯收入 is under the monitoring line


@dataclass(frozen=True)
class RosterFacts:
    """Counts of one township's roster. Every number in the plan's text comes from here."""

    households: int
    people: int
    poverty_alleviated: int  # 脱贫户
    monitored: int  # 监测对象户 (a 监测对象类别, or 户类型 监测户)
    monitored_people: int
    unresolved: int  # monitored, risk not eliminated
    resolved: int
    below_line: int  # every household under the line
    below_line_monitored: int
    monitoring_line: Decimal
    villages: tuple[VillageCount, ...]
    by_category: tuple[tuple[str, int], ...]  # 监测对象类别 → monitored households, the standard's order
    by_risk: tuple[tuple[str, int], ...]  # 风险类型 → monitored households with that risk, most first

    @property
    def village_count(self) -> int:
        return len(self.villages)


def _below(household: Household, monitoring_line: Decimal) -> bool:
    """Under the line; a household whose income the roster does not give is not counted."""
    per_capita = household.per_capita_income
    return per_capita is not None and per_capita < monitoring_line


def count_roster(
    households: tuple[Household, ...] | list[Household], monitoring_line: Decimal
) -> RosterFacts:
    """Count households, people, monitored households by village, category and risk type, and the
    households below the monitoring line (人均纯收入 < line)."""
    monitored = [h for h in households if h.is_monitored]
    below = [h for h in households if _below(h, monitoring_line)]
    villages: dict[str, list[Household]] = {}
    for household in households:
        villages.setdefault(household.village, []).append(household)
    village_counts = tuple(
        VillageCount(
            village=name,
            households=len(members),
            people=sum(h.size for h in members),
            monitored=sum(1 for h in members if h.is_monitored),
            unresolved=sum(1 for h in members if h.risk_unresolved),
            below_line=sum(1 for h in members if _below(h, monitoring_line)),
        )
        for name, members in villages.items()
    )
    categories = Counter(h.monitoring_category or "未填写类别" for h in monitored)
    category_order = [
        *MONITORING_CATEGORIES,
        *sorted(c for c in categories if c not in MONITORING_CATEGORIES),
    ]
    risks = Counter(risk for h in monitored for risk in dict.fromkeys(h.risks))
    risk_rank = {name: index for index, name in enumerate(RISK_TYPES)}
    by_risk = sorted(
        risks.items(), key=lambda item: (-item[1], risk_rank.get(item[0], len(risk_rank)), item[0])
    )
    return RosterFacts(
        households=len(households),
        people=sum(h.size for h in households),
        poverty_alleviated=sum(1 for h in households if h.household_type == "脱贫户"),
        monitored=len(monitored),
        monitored_people=sum(h.size for h in monitored),
        unresolved=sum(1 for h in monitored if h.risk_unresolved),
        resolved=sum(1 for h in monitored if not h.risk_unresolved),
        below_line=len(below),
        below_line_monitored=sum(1 for h in below if h.is_monitored),
        monitoring_line=monitoring_line,
        villages=village_counts,
        by_category=tuple((c, categories[c]) for c in category_order if categories[c]),
        by_risk=tuple(by_risk),
    )
