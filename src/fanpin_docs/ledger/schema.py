"""The ledger database's tables, as numbered migrations from the first version: a database made by
an older version is brought up to date by running the steps it has not had, in order
(`LedgerStore.open`); the version it has is its `PRAGMA user_version`."""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: periods, households, members and measures
    """
    CREATE TABLE periods (
        id INTEGER PRIMARY KEY,
        period TEXT NOT NULL UNIQUE,
        roster_source TEXT NOT NULL,
        roster_fingerprint TEXT NOT NULL,
        measures_source TEXT,
        measures_fingerprint TEXT,
        households INTEGER NOT NULL,
        people INTEGER NOT NULL
    );
    CREATE TABLE households (
        period_id INTEGER NOT NULL,
        household_id TEXT NOT NULL,
        township TEXT NOT NULL,
        village TEXT NOT NULL,
        head TEXT NOT NULL,
        household_type TEXT NOT NULL,
        category TEXT NOT NULL,
        resolved INTEGER,
        identified TEXT,
        eliminated TEXT,
        method TEXT NOT NULL,
        risks TEXT NOT NULL,
        size INTEGER NOT NULL,
        per_capita TEXT,
        phone TEXT,
        PRIMARY KEY (period_id, household_id)
    ) WITHOUT ROWID;
    CREATE TABLE members (
        period_id INTEGER NOT NULL,
        id_number TEXT NOT NULL,
        household_id TEXT NOT NULL,
        name TEXT NOT NULL,
        relation TEXT NOT NULL,
        PRIMARY KEY (period_id, id_number)
    ) WITHOUT ROWID;
    CREATE TABLE measures (
        period_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        household_id TEXT NOT NULL,
        name TEXT NOT NULL,
        amount TEXT,
        on_date TEXT,
        note TEXT NOT NULL,
        PRIMARY KEY (period_id, seq)
    ) WITHOUT ROWID;
    """,
    # 2: the 一户一策日期 of the measures ledger (checked by the plan_overdue audit rule)
    """
    ALTER TABLE measures ADD COLUMN plan_date TEXT;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def statements(script: str) -> list[str]:
    """The statements of a migration step, one by one."""
    return [s.strip() for s in script.split(";") if s.strip()]
