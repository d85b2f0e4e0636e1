"""动态监测台账: the quarterly memory of the roster and measures ledger, and what it answers.

Stages, one module each: `periods` (2023Q2) → `snapshot` (a period's state from
the validated readers) → `store` (the SQLite file: one transaction per import; its tables and their
migrations in `schema`) → `importing` (`fanpin ledger add`: the measures ledger parsed in a second
process while the roster is read — `readers.together` — and the fingerprints worked out in one while
the rows are stored) → `changes` and `audit` (the comparisons and the county's data checks, from the
policy's `[[audit]]` rules) → `books` (the two workbooks) → `run` (the commands as library calls,
writing through the output folder); `history` gives the 明白卡 each household's stored incomes;
`unusable` says why a database cannot be used.
"""

from .audit import AuditInput, AuditReport, Finding, audit
from .changes import Change, ChangeReport, compare
from .history import income_source
from .importing import AddResult, Export, add_export, read_export, store_export
from .periods import Period
from .run import (
    AUDIT_FILE,
    CHANGES_FILE,
    LedgerOptions,
    add_to_ledger,
    audit_report,
    changes_report,
    database_path,
    run,
    run_audit,
    run_changes,
)
from .schema import SCHEMA_VERSION
from .snapshot import Snapshot, snapshot_of
from .store import DB_NAME, LedgerStore, StoredPeriod
from .unusable import LedgerError

__all__ = [
    "AUDIT_FILE",
    "CHANGES_FILE",
    "DB_NAME",
    "SCHEMA_VERSION",
    "AddResult",
    "AuditInput",
    "AuditReport",
    "Change",
    "Export",
    "ChangeReport",
    "Finding",
    "LedgerError",
    "LedgerOptions",
    "LedgerStore",
    "Period",
    "Snapshot",
    "StoredPeriod",
    "add_export",
    "add_to_ledger",
    "audit",
    "audit_report",
    "changes_report",
    "compare",
    "database_path",
    "income_source",
    "read_export",
    "run",
    "run_audit",
    "run_changes",
    "snapshot_of",
    "store_export",
]
