"""One period's state as the ledger keeps it: households, members and measures, taken from the
validated roster and measures ledger (`load_roster`, `load_measures`), with a fingerprint of the content
so that adding the same data twice is recognised whatever the file looks like."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..models import MeasureRecord, Roster


@dataclass(frozen=True)
class HouseholdState:
    household_id: str
    township: str
    village: str
    head: str
    household_type: str = ""
    category: str = ""  # 监测对象类别; empty: not monitored
    resolved: bool | None = None  # 风险是否已消除
    identified: date | None = None
    eliminated: date | None = None
    method: str = ""  # 风险消除方式
    risks: str = ""  # 致贫返贫风险, joined with 、
    size: int = 0
    per_capita: Decimal | None = None  # None: the export has no income
    phone: str | None = None  # the household's phone as the roster reads it (None: blank or unreadable)

    @property
    def monitored(self) -> bool:
        return bool(self.category) or self.household_type == "监测户"

    @property
    def unresolved(self) -> bool:
        return self.monitored and self.resolved is not True


@dataclass(frozen=True)
class MemberState:
    id_number: str
    household_id: str
    name: str
    relation: str


@dataclass(frozen=True)
class MeasureState:
    household_id: str
    name: str
    amount: Decimal | None = None
    on: date | None = None
    note: str = ""
    plan_date: date | None = None  # 一户一策日期


@dataclass
class Snapshot:
    households: dict[str, HouseholdState]
    members: dict[str, MemberState]  # by ID number
    measures: list[MeasureState] | None  # None: no measures ledger stored for the period

    def measures_by_household(self) -> dict[str, list[MeasureState]]:
        grouped: dict[str, list[MeasureState]] = {}
        for measure in self.measures or ():
            grouped.setdefault(measure.household_id, []).append(measure)
        return grouped


def snapshot_of(roster: Roster, measures: list[MeasureRecord] | None) -> Snapshot:
    households: dict[str, HouseholdState] = {}
    members: dict[str, MemberState] = {}
    for household in roster.households:
        households[household.household_id] = HouseholdState(
            household_id=household.household_id,
            township=household.township,
            village=household.village,
            head=household.head.name,
            household_type=household.household_type,
            category=household.monitoring_category,
            resolved=household.risk_resolved,
            identified=household.identified_month,
            eliminated=household.eliminated_month,
            method=household.elimination_method,
            risks="、".join(household.risks),
            size=household.size,
            per_capita=household.per_capita_income,
            phone=household.phone,
        )
        for person in household.members:
            members[person.id_number] = MemberState(
                person.id_number, household.household_id, person.name, person.relation
            )
    stored = None
    if measures is not None:
        stored = [
            MeasureState(
                m.household_id,
                m.name,
                m.given_amount if m.given_amount is not None else m.base,
                m.on,
                m.note,
                m.plan_date,
            )
            for m in measures
        ]
    return Snapshot(households, members, stored)


def fingerprint(rows: Iterable[object]) -> str:
    """A hash of the records' content, independent of their order (a dataclass's repr names every
    field and value: text, Decimal and date reprs are exact)."""
    lines = sorted(map(repr, rows))
    lines.append("")  # every line ends with a newline
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def roster_fingerprint(snapshot: Snapshot) -> str:
    return fingerprint([*snapshot.households.values(), *snapshot.members.values()])


def measures_fingerprint(snapshot: Snapshot) -> str | None:
    return None if snapshot.measures is None else fingerprint(snapshot.measures)


def fingerprints(snapshot: Snapshot) -> tuple[str, str | None]:
    """The roster's and the measures' fingerprints."""
    return roster_fingerprint(snapshot), measures_fingerprint(snapshot)
