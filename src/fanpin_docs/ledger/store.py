"""The ledger's storage: one SQLite file in the workspace (plain `sqlite3`, nothing to install).

The schema version is recorded in the database (`PRAGMA user_version`); `schema.MIGRATIONS` are
numbered steps from the first version, run in order when an older database is opened. Every import is one
transaction (`BEGIN IMMEDIATE` … `COMMIT`): a crash or a kill in the middle leaves the previous
periods as they were. The journal is in WAL mode, so a reader (the web workbench) can read while a
command writes.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import starmap
from pathlib import Path

from ..models import IncomeHistory, StoredIncome
from .schema import MIGRATIONS, SCHEMA_VERSION, statements
from .snapshot import HouseholdState, MeasureState, MemberState, Snapshot
from .unusable import LedgerError, newer_schema, unusable

DB_NAME = "台账.sqlite"

# the connection's page cache: a period of 100,000 people is ≈ 13 MB of pages, more than SQLite's
# default 2 MB, which makes the import put pages out of the cache and read them back while it inserts
CACHE_KIB = 64 * 1024


Fingerprints = tuple[str, str | None]  # the roster's and the measures' (None: no measures stored)


@dataclass(frozen=True)
class StoredPeriod:
    period: str
    roster_source: str
    roster_fingerprint: str
    measures_source: str | None
    measures_fingerprint: str | None
    households: int
    people: int


class LedgerStore:
    """An open ledger database. Use as a context manager: `with LedgerStore.open(path) as store:`."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._db = connection

    @classmethod
    def open(cls, path: Path, *, create: bool = True, upto: int = SCHEMA_VERSION) -> LedgerStore:
        """Open (or create) the database and bring its schema up to `upto` (tests build old versions)."""
        if not path.exists() and not create:
            raise LedgerError(
                f"还没有动态监测台账「{path}」", hint="先用 fanpin ledger add 名单.xlsx 存入一期数据"
            )
        if path.is_dir():
            raise LedgerError(f"「{path}」是一个文件夹，不是台账数据库", hint="用 --db 指定一个文件路径")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, timeout=15, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise unusable(path, exc) from None
        store = cls(path, connection)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            store._migrate(upto)
        except sqlite3.Error as exc:
            connection.close()
            raise unusable(path, exc) from None
        return store

    @classmethod
    def read_only(cls, path: Path) -> LedgerStore:
        """The database as it is, for reading alone: never created, migrated or written to (a 明白卡 run
        reads the stored incomes; every schema version has them)."""
        try:
            connection = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=15, isolation_level=None
            )
        except (OSError, sqlite3.Error) as exc:
            raise unusable(path, exc) from None
        store = cls(path, connection)
        try:
            version = store.version
        except sqlite3.Error as exc:
            connection.close()
            raise unusable(path, exc) from None
        if version == 0 or version > SCHEMA_VERSION:
            connection.close()
            if version:
                raise newer_schema(path, version)
            raise LedgerError(
                f"「{path}」里还没有动态监测台账", hint="先用 fanpin ledger add 名单.xlsx 存入一期数据"
            )
        return store

    def __enter__(self) -> LedgerStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    @property
    def version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self, upto: int) -> None:
        current = self.version
        if current > SCHEMA_VERSION:
            raise newer_schema(self.path, current)
        for number in range(current + 1, upto + 1):
            with self.transaction():
                for statement in statements(MIGRATIONS[number - 1]):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything in the block is stored, or nothing."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise unusable(self.path, exc) from None
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException as exc:
            self._rollback()
            if isinstance(exc, sqlite3.Error):  # disk full, read-only, locked at COMMIT…
                raise unusable(self.path, exc) from None
            raise

    def _rollback(self) -> None:
        """Undo the open transaction; SQLite may already have rolled it back itself (e.g. disk full)."""
        if self._db.in_transaction:
            # if even that fails the connection is unusable; SQLite discards the transaction when it closes
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")

    # --- reading ---------------------------------------------------------------------------

    def periods(self) -> list[StoredPeriod]:
        rows = self._db.execute(
            "SELECT period, roster_source, roster_fingerprint, measures_source, measures_fingerprint,"
            " households, people FROM periods ORDER BY period"
        ).fetchall()
        return [StoredPeriod(*row) for row in rows]

    def stored(self, period: str) -> StoredPeriod | None:
        return next((p for p in self.periods() if p.period == period), None)

    def load(self, period: str, *, people: bool = True) -> Snapshot:
        """A stored period; with `people=False` only its households (no members, no measures)."""
        row = self._db.execute(
            "SELECT id, measures_fingerprint FROM periods WHERE period = ?", (period,)
        ).fetchone()
        if row is None:
            raise LedgerError(f"台账中没有 {period} 这一期", hint="用 fanpin ledger list 查看已存入的各期")
        period_id, measures_print = row
        households = {
            r[0]: HouseholdState(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                r[5],
                None if r[6] is None else bool(r[6]),
                None if r[7] is None else date.fromisoformat(r[7]),
                None if r[8] is None else date.fromisoformat(r[8]),
                r[9],
                r[10],
                r[11],
                None if r[12] is None else Decimal(r[12]),
                r[13],
            )
            for r in self._db.execute(
                "SELECT household_id, township, village, head, household_type, category, resolved,"
                " identified, eliminated, method, risks, size, per_capita, phone"
                " FROM households WHERE period_id = ?",
                (period_id,),
            )
        }
        if not people:
            return Snapshot(households, {}, None)
        cursor = self._db.execute(
            "SELECT id_number, household_id, name, relation FROM members WHERE period_id = ?", (period_id,)
        )
        members = {member.id_number: member for member in starmap(MemberState, cursor)}
        measures = None if measures_print is None else self._measures(period_id)
        return Snapshot(households, members, measures)

    def per_capita_history(self, before: str | None = None, quarters: int = -1) -> IncomeHistory:
        """Every household's stored per-capita income in the last `quarters` stored periods before
        `before` (None: the last ones; -1: all), oldest first; a household whose export had no income
        that quarter has none for it."""
        history: dict[str, list[StoredIncome]] = defaultdict(list)
        for period, household_id, per_capita in self._db.execute(
            "SELECT p.period, h.household_id, h.per_capita FROM households h JOIN periods p ON p.id = h.period_id"
            " WHERE h.per_capita IS NOT NULL AND p.id IN (SELECT id FROM periods"
            " WHERE ?1 IS NULL OR period < ?1 ORDER BY period DESC LIMIT ?2) ORDER BY p.period",
            (before, quarters),
        ):
            try:
                amount = Decimal(per_capita)
            except ArithmeticError:  # changed by hand in the database file
                raise LedgerError(
                    f"台账「{self.path}」中 {period} 户编号 {household_id} 的人均纯收入「{per_capita}」不是数字",
                    hint="用 fanpin ledger add 重新存入这一期的名单",
                ) from None
            history[household_id].append(StoredIncome(period, amount))
        return {household_id: tuple(stored) for household_id, stored in history.items()}

    def load_measures(self, period: str) -> list[MeasureState] | None:
        """A stored period's measures alone (None: no measures ledger stored for it)."""
        row = self._db.execute(
            "SELECT id, measures_fingerprint FROM periods WHERE period = ?", (period,)
        ).fetchone()
        if row is None:
            raise LedgerError(f"台账中没有 {period} 这一期", hint="用 fanpin ledger list 查看已存入的各期")
        return None if row[1] is None else self._measures(row[0])

    def _measures(self, period_id: int) -> list[MeasureState]:
        return [
            MeasureState(r[0], r[1], None if r[2] is None else Decimal(r[2]), _day(r[3]), r[4], _day(r[5]))
            for r in self._db.execute(
                "SELECT household_id, name, amount, on_date, note, plan_date FROM measures"
                " WHERE period_id = ? ORDER BY seq",
                (period_id,),
            )
        ]

    def moved_members(self, first: str, second: str) -> tuple[dict[str, MemberState], dict[str, MemberState]]:
        """The members of `first` that `second` does not have in the same household, and the other way
        round (added, removed and moved people), found by the database rather than by loading everyone."""
        ids = []
        for period in (first, second):
            row = self._db.execute("SELECT id FROM periods WHERE period = ?", (period,)).fetchone()
            if row is None:
                raise LedgerError(
                    f"台账中没有 {period} 这一期", hint="用 fanpin ledger list 查看已存入的各期"
                )
            ids.append(row[0])
        query = (
            "SELECT a.id_number, a.household_id, a.name, a.relation FROM members a WHERE a.period_id = ?"
            " AND NOT EXISTS (SELECT 1 FROM members b WHERE b.period_id = ? AND b.id_number = a.id_number"
            " AND b.household_id = a.household_id)"
        )
        only = []
        for this, other in ((ids[0], ids[1]), (ids[1], ids[0])):
            only.append(
                {m.id_number: m for m in starmap(MemberState, self._db.execute(query, (this, other)))}
            )
        return only[0], only[1]

    # --- writing ---------------------------------------------------------------------------

    def save(
        self,
        period: str,
        snapshot: Snapshot,
        *,
        roster_source: str,
        measures_source: str | None,
        fingerprints: Fingerprints | Callable[[], Fingerprints],
    ) -> None:
        """Store `snapshot` as `period`, replacing what the period held, in one transaction.

        `fingerprints` (the roster's and the measures') may be a function: it is called once the rows
        are inserted, so that they can be worked out elsewhere meanwhile."""
        with self.transaction() as db:
            old = db.execute("SELECT id FROM periods WHERE period = ?", (period,)).fetchone()
            if old is not None:
                for table in ("households", "members", "measures", "periods"):
                    key = "id" if table == "periods" else "period_id"
                    db.execute(f"DELETE FROM {table} WHERE {key} = ?", (old[0],))
            # the id SQLite would give the period's row, which is inserted last (after its fingerprints)
            period_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM periods").fetchone()[0]
            db.executemany(
                "INSERT INTO households VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        period_id,
                        h.household_id,
                        h.township,
                        h.village,
                        h.head,
                        h.household_type,
                        h.category,
                        None if h.resolved is None else int(h.resolved),
                        _iso(h.identified),
                        _iso(h.eliminated),
                        h.method,
                        h.risks,
                        h.size,
                        None if h.per_capita is None else str(h.per_capita),
                        h.phone,
                    )
                    for h in snapshot.households.values()
                ),
            )
            db.executemany(
                "INSERT INTO members VALUES (?, ?, ?, ?, ?)",
                (
                    (period_id, m.id_number, m.household_id, m.name, m.relation)
                    for m in snapshot.members.values()
                ),
            )
            db.executemany(
                "INSERT INTO measures (period_id, seq, household_id, name, amount, on_date, note, plan_date)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        period_id,
                        seq,
                        m.household_id,
                        m.name,
                        None if m.amount is None else str(m.amount),
                        _iso(m.on),
                        m.note,
                        _iso(m.plan_date),
                    )
                    for seq, m in enumerate(snapshot.measures or ())
                ),
            )
            roster_print, measures_print = fingerprints() if callable(fingerprints) else fingerprints
            db.execute(
                "INSERT INTO periods (id, period, roster_source, roster_fingerprint, measures_source,"
                " measures_fingerprint, households, people) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    period_id,
                    period,
                    roster_source,
                    roster_print,
                    measures_source,
                    measures_print,
                    len(snapshot.households),
                    len(snapshot.members),
                ),
            )


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)
