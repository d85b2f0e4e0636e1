"""The ledger's commands as library calls: where the database is, storing exports as periods, which
periods to compare or audit, the reports alone (for the 工作台) and the workbooks written through
the run's output folder (atomic, in the manifest)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ..context import RunContext
from ..documents import Progress, Report, writing
from ..errors import SettingsError
from ..gongwen.issuer import township_of
from ..money import format_amount
from ..policy import Policy
from ..settings import Settings
from .audit import AuditInput, AuditReport, audit
from .changes import ChangeReport, compare
from .importing import AddResult, read_export, store_export
from .periods import Period
from .snapshot import Snapshot
from .store import DB_NAME, LedgerStore
from .unusable import LedgerError

if TYPE_CHECKING:
    from openpyxl import Workbook

FOLDER = "动态监测台账"
CHANGES_FILE = f"{FOLDER}/动态监测变化表.xlsx"
AUDIT_FILE = f"{FOLDER}/疑点数据清单.xlsx"


def database_path(settings: Settings, *, out: Path | None = None, db: Path | None = None) -> Path:
    """`--db`, else `台账.sqlite` in the workspace, else beside the output folder."""
    if db is not None:
        return db
    if settings.root is not None:
        return settings.root / DB_NAME
    return settings.output_dir(out).parent / DB_NAME


@dataclass
class ChangesWritten:
    path: Path
    report: ChangeReport


@dataclass
class AuditWritten:
    path: Path
    report: AuditReport


@dataclass(frozen=True)
class LedgerOptions:
    """What `fanpin ledger changes` / `fanpin ledger audit` are asked for (`ledger add` and `ledger list`
    write no documents)."""

    kind: Literal["changes", "audit"]
    db: Path  # the ledger's database (`database_path`)
    first: str | None = None  # --from (changes)
    second: str | None = None  # --to (changes)
    period: str | None = None  # --period (audit)


def run(
    context: RunContext, options: LedgerOptions, progress: Progress | None = None
) -> Report[ChangeReport | AuditReport]:
    """The ledger's document entry point: the 动态监测变化表 or the 疑点数据清单, its report in `detail`."""
    if options.kind == "changes":
        changes = run_changes(context, options.db, first=options.first, second=options.second)
        return Report(files=(changes.path,), notes=tuple(changes.report.notes), detail=changes.report)
    audited = run_audit(context, options.db, period=options.period)
    return Report(files=(audited.path,), notes=tuple(audited.report.skipped), detail=audited.report)


def run_changes(
    context: RunContext, db: Path, *, first: str | None = None, second: str | None = None
) -> ChangesWritten:
    from .books import build_changes_book  # openpyxl: imported when a workbook is written

    policy = context.require_policy()
    report, after = _compare(policy, db, first, second)
    book = build_changes_book(report, unit=_unit(context, after), basis=_basis(policy))
    path = _write(context, CHANGES_FILE, book)
    return ChangesWritten(path, report)


def run_audit(context: RunContext, db: Path, *, period: str | None = None) -> AuditWritten:
    from .books import build_audit_book

    policy = context.require_policy()
    report, snapshot = _audit(policy, db, period)
    book = build_audit_book(report, unit=_unit(context, snapshot), basis=_basis(policy))
    path = _write(context, AUDIT_FILE, book)
    return AuditWritten(path, report)


def changes_report(
    context: RunContext, db: Path, *, first: str | None = None, second: str | None = None
) -> ChangeReport:
    """What `fanpin ledger changes` reports, without writing the workbook (the 工作台 shows it)."""
    return _compare(context.require_policy(), db, first, second)[0]


def audit_report(context: RunContext, db: Path, *, period: str | None = None) -> AuditReport:
    """What `fanpin ledger audit` reports, without writing the workbook (the 工作台 shows it)."""
    return _audit(context.require_policy(), db, period)[0]


def add_to_ledger(
    context: RunContext,
    db: Path,
    rosters: Sequence[Path] = (),
    *,
    period: str | None = None,
    measures: Path | None = None,
    stored: Callable[[AddResult], None] | None = None,
) -> list[AddResult]:
    """`fanpin ledger add`: every roster (default: the workspace's roster and measures ledger) read and
    checked before anything is stored, then each stored as its period in its own transaction;
    `stored` hears of each one as soon as it is in the database."""
    if len(rosters) > 1 and (period is not None or measures is not None):
        raise SettingsError(
            "给出几个名单时不能用 --period 或 --measures（每个名单是一期，按各自的「数据日期」确定）",
            hint="一次存一个名单：fanpin ledger add 名单.xlsx --period 2023Q2 --measures 台账.xlsx",
        )
    if not rosters:
        rosters = [context.require("roster")]
        measures = context.inputs.get("measures")
        if measures is not None and not measures.exists():
            measures = None
    exports = [read_export(roster, period=period, measures_path=measures) for roster in rosters]
    results = []
    with LedgerStore.open(db) as store:
        for export in exports:
            results.append(store_export(store, export, policy=context.policy))
            if stored is not None:
                stored(results[-1])
    return results


def _compare(
    policy: Policy, db: Path, first: str | None, second: str | None
) -> tuple[ChangeReport, Snapshot]:
    """The changes between two stored periods (default: the last two), and the later period's households."""
    with LedgerStore.open(db, create=False) as store:
        labels = _labels(store)
        if len(labels) < 2 and first is None:
            raise LedgerError(
                f"台账中只有 {len(labels)} 期（{'、'.join(labels)}），比较需要两期",
                hint="用 fanpin ledger add 存入另一期的名单",
            )
        to = _pick(labels, second, "--to") if second else labels[-1]
        start = _pick(labels, first, "--from") if first else _before(labels, to)
        if start >= to:
            raise LedgerError(f"--from {start} 应早于 --to {to}", hint="交换两个期间，或改用更早的 --from")
        # households in full; of the people only those added, removed or moved (the rest cannot change)
        before, after = store.load(start, people=False), store.load(to, people=False)
        before.members, after.members = store.moved_members(start, to)
    return compare(before, after, policy, first=start, second=to), after


def _audit(policy: Policy, db: Path, period: str | None) -> tuple[AuditReport, Snapshot]:
    """The audit findings of a stored period (default: the last), and that period's data."""
    if not policy.audit:
        raise LedgerError(
            f"政策文件「{policy.title}」没有疑点核查规则（[[audit]]）",
            hint="在政策文件中加上 [[audit]] 规则（见内置政策 qianjiang-2023 的写法）",
        )
    needed = max((rule.periods or 1) - 1 for rule in policy.audit)
    with LedgerStore.open(db, create=False) as store:
        labels = _labels(store)
        chosen = _pick(labels, period, "--period") if period else labels[-1]
        earlier = [label for label in labels if label < chosen][-needed:] if needed else []
        snapshot = store.load(chosen)
        history: list[tuple[str, Snapshot]] = [(label, store.load(label, people=False)) for label in earlier]
    return audit(AuditInput(Period.parse(chosen), snapshot, history, policy)), snapshot


def _write(context: RunContext, relative: str, book: Workbook) -> Path:
    """Write one workbook into the run's output folder: checked first, the manifest saved (and the
    folder's lock released) whatever happens."""
    with writing(context.output, [relative]) as output:
        return output.write_workbook(relative, book)


def _labels(store: LedgerStore) -> list[str]:
    labels = [p.period for p in store.periods()]
    if not labels:
        raise LedgerError(
            f"动态监测台账「{store.path}」中还没有任何一期", hint="先用 fanpin ledger add 名单.xlsx 存入一期"
        )
    return labels


def _pick(labels: list[str], text: str, option: str) -> str:
    label = Period.parse(text, option=option).label
    if label not in labels:
        raise LedgerError(
            f"{option} {label}：台账中没有这一期",
            hint=f"已存入的期间：{'、'.join(labels)}（fanpin ledger list）",
        )
    return label


def _before(labels: list[str], label: str) -> str:
    earlier = [other for other in labels if other < label]
    if not earlier:
        raise LedgerError(f"台账中没有比 {label} 更早的一期", hint="用 --from 指定要比较的期间")
    return earlier[-1]


def _unit(context: RunContext, snapshot: Snapshot) -> str:
    return township_of(context.settings, (h.township for h in snapshot.households.values()))


def _basis(policy: Policy) -> str:
    return f"依据：{policy.title}（监测范围：人均纯收入 {format_amount(policy.monitoring_line)} 元）"
