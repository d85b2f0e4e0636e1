"""The 台账 page's two tables — the changes between two periods and the audit findings of one — made
by the ledger's own `changes_report` / `audit_report` and kept for the next look.

Comparing two 10,000-household periods takes seconds, so the page never waits for it: `cached` answers
only from what is already made, `compute` makes what is missing (one computation at a time per
database, so two tabs asking at once compute once), and `Warmer` computes the newest pair in a
background thread after a period was stored, so the next look is instant."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..context import RunContext, resolve
from ..errors import FanpinError
from ..ledger import AuditReport, ChangeReport, LedgerStore, StoredPeriod, database_path
from ..ledger import audit_report as _audit_report
from ..ledger import changes_report as _changes_report
from ..policy import Policy
from .wording import page_failure

log = logging.getLogger("fanpin.web")

# what the tables are made with (tests count the calls through these names)
changes_report = _changes_report
audit_report = _audit_report


def stored_periods(db: Path) -> list[StoredPeriod]:
    """The periods in the ledger; none when the workspace has no ledger yet."""
    if not db.exists():
        return []
    with LedgerStore.open(db, create=False) as store:
        return store.periods()


class ReportCache:
    """The last reports the page made, by what they were made from (the database, the periods asked
    for, every stored period's fingerprints, the policy): looking again at an unchanged ledger answers
    at once instead of comparing 10,000 households anew; storing or replacing a period changes the
    fingerprints, and so the answer."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[Any, ...], tuple[Policy | None, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def peek(self, key: tuple[Any, ...], policy: Policy | None) -> tuple[bool, Any]:
        """(True, the report) when one made from the same ledger and policy is kept; else (False, None)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == policy:
                self._entries.move_to_end(key)
                return True, entry[1]
        return False, None

    def get(self, key: tuple[Any, ...], policy: Policy | None, make: Callable[[], Any]) -> Any:
        found, made = self.peek(key, policy)
        if found:
            return made
        made = make()
        with self._lock:
            self._entries[key] = (policy, made)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return made


@dataclass(frozen=True)
class Tables:
    """What the page shows below its forms; a table that cannot be made is a Chinese message instead."""

    changes: ChangeReport | None
    changes_problem: str | None
    audit: AuditReport | None
    audit_problem: str | None


@dataclass(frozen=True)
class Asked:
    """The periods the page was asked for (None: the ledger's default, as the commands choose it)."""

    first: str | None = None
    second: str | None = None
    period: str | None = None

    def resolved(self, labels: list[str]) -> Asked:
        """The same question with each default spelled out as the period the ledger picks for it
        (`ledger.run`: to the last period, from the one before `to`, the audit of the last); a default
        the ledger cannot fill stays None."""
        second = self.second or (labels[-1] if labels else None)
        first = self.first
        if first is None and second in labels:
            earlier = [label for label in labels if label < second]
            first = earlier[-1] if earlier else None
        return Asked(first, second, self.period or (labels[-1] if labels else None))

    def query(self) -> dict[str, str]:
        """The question as the page's address asks it."""
        given = {"from": self.first, "to": self.second, "period": self.period}
        return {name: value for name, value in given.items() if value}


class LedgerReports:
    """The tables of every database the server shows, made once per state of the ledger."""

    def __init__(self, size: int = 8) -> None:
        self.cache = ReportCache(size)
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def cached(
        self, context: RunContext, db: Path, periods: list[StoredPeriod], asked: Asked
    ) -> Tables | None:
        """The tables when both are already made for this state of the ledger, else None (nothing computed)."""
        changes_key, audit_key = _keys(db, periods, asked)
        found_changes, changes = self.cache.peek(changes_key, context.policy)
        found_audit, audit = self.cache.peek(audit_key, context.policy)
        if found_changes and found_audit:
            return Tables(changes, None, audit, None)
        return None

    def compute(self, context: RunContext, db: Path, periods: list[StoredPeriod], asked: Asked) -> Tables:
        """The tables, made now unless kept; while one request computes for `db`, another waits and
        then takes what the first made."""
        changes_key, audit_key = _keys(db, periods, asked)
        with self._lock_for(db):
            changes, changes_problem = self._attempt(
                changes_key,
                context,
                lambda: changes_report(context, db, first=asked.first, second=asked.second),
            )
            audit, audit_problem = self._attempt(
                audit_key, context, lambda: audit_report(context, db, period=asked.period)
            )
        return Tables(changes, changes_problem, audit, audit_problem)

    def _attempt(
        self, key: tuple[Any, ...], context: RunContext, make: Callable[[], Any]
    ) -> tuple[Any, str | None]:
        """The report, or the Chinese message of why it cannot be made (shown in its place on the page)."""
        try:
            return self.cache.get(key, context.policy, make), None
        except FanpinError as error:
            return None, page_failure(error).text

    def _lock_for(self, db: Path) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(str(db), threading.Lock())


def _keys(db: Path, periods: list[StoredPeriod], asked: Asked) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """What each table is kept under: the database, the periods asked for (a default spelled out as
    the period the ledger picks for it, so asking by name finds the same table) and every stored
    period's fingerprints."""
    state = (str(db), *((p.period, p.roster_fingerprint, p.measures_fingerprint) for p in periods))
    spelled = asked.resolved([p.period for p in periods])
    return ("changes", spelled.first, spelled.second, *state), ("audit", spelled.period, *state)


class Warmer:
    """Makes the newest pair's tables in a background thread of the server, never two at once: a
    period stored while it works is taken up when it is done."""

    def __init__(self, reports: LedgerReports, workspace: Path) -> None:
        self.reports = reports
        self.workspace = workspace
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._done.set()
        self._running = False
        self._again = False

    def start(self) -> None:
        with self._lock:
            if self._running:
                self._again = True
                return
            self._running, self._again = True, False
            self._done.clear()
        threading.Thread(target=self._work, name="fanpin-ledger-warm", daemon=True).start()

    def wait(self, timeout: float | None = None) -> bool:
        """Whether the background work is done (within `timeout` seconds)."""
        return self._done.wait(timeout)

    def _work(self) -> None:
        while True:
            try:
                context = resolve(workspace=self.workspace)
                db = database_path(context.settings)
                self.reports.compute(context, db, stored_periods(db), Asked())
            except FanpinError as error:  # the page says it in Chinese when it is looked at
                log.info("台账页没有预先计算：%s", page_failure(error).text)
            except Exception:  # a failed warm-up only means the page computes when it is looked at
                log.exception("台账页预先计算没有完成")
            with self._lock:
                if not self._again:
                    self._running = False
                    self._done.set()
                    return
                self._again = False
