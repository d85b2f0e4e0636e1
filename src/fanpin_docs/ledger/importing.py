"""`fanpin ledger add`: read an export with the ordinary readers (every validation applies), decide its
period, and store it — unchanged when the same data is already there, replaced (saying what changed)
when a corrected file comes for a stored period."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..aside import Aside
from ..errors import Problem
from ..policy import Policy
from ..readers.gcpause import without_gc
from ..readers.together import load_roster_and_measures
from .changes import ChangeReport, compare
from .periods import Period
from .snapshot import Snapshot, fingerprints, measures_fingerprint, roster_fingerprint, snapshot_of
from .store import Fingerprints, LedgerStore
from .unusable import LedgerError

# a period of this many people has its fingerprints worked out in another process while it is stored
# (≈ 0.1 s of work here; a fork costs ≈ 10 ms)
FINGERPRINTS_ASIDE_FROM = 20_000


@dataclass
class AddResult:
    period: str
    status: str  # "added", "unchanged" or "replaced"
    households: int
    people: int
    measures: int | None  # None: no measures ledger stored for the period
    source: str
    changes: ChangeReport | None = None  # what a replacement changed
    notes: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class Export:
    """A roster export (and its measures ledger) read, validated and assigned to a period, not yet stored."""

    period: str
    snapshot: Snapshot
    source: str
    measures_source: str | None
    notes: list[str]
    warnings: list[Problem]


@without_gc
def read_export(roster_path: Path, *, period: str | None = None, measures_path: Path | None = None) -> Export:
    """Read the roster (and measures ledger) with the ordinary readers and decide the period; raises
    before anything is stored when the files or the period are wrong.

    A large measures ledger is parsed in another process while this one reads the roster
    (`readers.together`)."""
    measures_warnings: list[Problem] = []
    roster, measures = load_roster_and_measures(roster_path, measures_path, warnings=measures_warnings)
    warnings = list(roster.warnings) + measures_warnings
    notes: list[str] = []
    chosen = _period(roster_path, [h.data_date for h in roster.households], period, notes)
    return Export(
        chosen.label,
        snapshot_of(roster, measures),
        roster_path.name,
        measures_path.name if measures_path is not None else None,
        notes,
        warnings,
    )


def store_export(store: LedgerStore, export: Export, *, policy: Policy | None = None) -> AddResult:
    """Store the export as its period: unchanged when the same data is there (known by the fingerprints,
    without loading the stored period), else in one transaction. A new period's fingerprints are worked
    out in another process while its rows are inserted, when it is large (`FINGERPRINTS_ASIDE_FROM`)."""
    label, snapshot = export.period, export.snapshot
    notes = list(export.notes)
    stored = store.stored(label)
    if stored is None:
        result = _result(export, notes)
        with _fingerprints_aside(snapshot) as aside:

            def worked_out() -> Fingerprints:
                return (aside.result() if aside is not None else None) or fingerprints(snapshot)

            store.save(
                label,
                snapshot,
                roster_source=export.source,
                measures_source=export.measures_source,
                fingerprints=worked_out,
            )
        return result
    roster_print = roster_fingerprint(snapshot)
    measures_source = export.measures_source
    if snapshot.measures is None and stored.measures_fingerprint is not None:
        snapshot.measures = store.load_measures(label)  # a roster alone keeps the period's stored measures
        measures_source = stored.measures_source
        notes.append(f"{label} 保留上次存入的帮扶措施台账「{measures_source}」")
    measures_print = measures_fingerprint(snapshot)
    result = _result(export, notes)
    if stored.roster_fingerprint == roster_print and stored.measures_fingerprint == measures_print:
        result.status = "unchanged"
        return result
    previous = store.load(label)
    result.status = "replaced"
    result.changes = compare(previous, snapshot, policy, first=f"{label}（原）", second=f"{label}（新）")
    if stored.measures_fingerprint != measures_print:
        before = "没有" if stored.measures_fingerprint is None else f"{_count(previous)} 条"
        result.notes.append(f"帮扶措施台账：原 {before}，现 {_count(snapshot)} 条")
    store.save(
        label,
        snapshot,
        roster_source=export.source,
        measures_source=measures_source,
        fingerprints=(roster_print, measures_print),
    )
    return result


def _result(export: Export, notes: list[str]) -> AddResult:
    """What storing the export says (as "added"; the caller changes the status)."""
    snapshot = export.snapshot
    return AddResult(
        export.period,
        "added",
        len(snapshot.households),
        len(snapshot.members),
        None if snapshot.measures is None else len(snapshot.measures),
        export.source,
        notes=notes,
        warnings=export.warnings,
    )


def add_export(
    store: LedgerStore,
    roster_path: Path,
    *,
    period: str | None = None,
    measures_path: Path | None = None,
    policy: Policy | None = None,
) -> AddResult:
    """Read and store one export (`read_export` then `store_export`)."""
    export = read_export(roster_path, period=period, measures_path=measures_path)
    return store_export(store, export, policy=policy)


@contextmanager
def _fingerprints_aside(snapshot: Snapshot) -> Iterator[Aside[Fingerprints] | None]:
    """The snapshot's fingerprints being worked out in another process, when that process is a fork
    (it has the snapshot without copying it), the machine has more than one core and the snapshot at
    least `FINGERPRINTS_ASIDE_FROM` people; else None."""
    if not Aside.forks() or (os.cpu_count() or 1) < 2 or len(snapshot.members) < FINGERPRINTS_ASIDE_FROM:
        yield None
        return
    with Aside(fingerprints, snapshot) as aside:
        yield aside


def _count(snapshot: Snapshot) -> int:
    return len(snapshot.measures or ())


def _period(path: Path, dates: list, option: str | None, notes: list[str]) -> Period:
    """The option's period, else the quarter of the export's 数据日期; a clear error when neither."""
    quarters = sorted({Period.of(d) for d in dates if d is not None})
    if option is not None:
        chosen = Period.parse(option)
        if quarters and quarters != [chosen]:
            shown = "、".join(q.label for q in quarters)
            notes.append(f"「{path.name}」的数据日期属于 {shown}，按 --period 存为 {chosen.label}")
        return chosen
    if len(quarters) == 1:
        return quarters[0]
    if quarters:
        shown = "、".join(q.chinese for q in quarters)
        raise LedgerError(
            f"「{path.name}」的「数据日期」分属几个季度（{shown}），无法确定这份名单是哪一期",
            hint="核对数据日期，或用 --period 指定，如 --period 2023Q2",
        )
    raise LedgerError(
        f"无法确定「{path.name}」是哪一期：名单中没有「数据日期」列（或全部为空），也没有给出 --period",
        hint="用 --period 指定季度，如 fanpin ledger add 名单.xlsx --period 2023Q2",
    )
