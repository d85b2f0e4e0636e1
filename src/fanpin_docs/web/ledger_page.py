"""台账: the workspace's 动态监测台账 — the stored periods, storing a new one from an upload (what
`fanpin ledger add` does, in `ledger_adding`), and the changes between two periods and the audit
findings of one as tables, each with its workbook written as `fanpin ledger changes` / `fanpin ledger
audit` write it."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import FileResponse, Response

from ..context import RunContext, resolve
from ..errors import FanpinError
from ..failures import describe_failure
from ..ledger import (
    LedgerOptions,
    LedgerStore,
    StoredPeriod,
    audit_report,
    changes_report,
    database_path,
    run,
)
from ..ledger.books import AUDIT_HEADERS, CHANGE_HEADERS
from ..policy import Policy
from . import ledger_adding
from .ledger_adding import UPLOAD_FOLDER
from .rendering import render
from .uploads import XLSX

router = APIRouter()
router.include_router(ledger_adding.router)


def _context(request: Request) -> RunContext:
    return resolve(workspace=request.app.state.server.workspace)


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

    def get(self, key: tuple[Any, ...], policy: Policy | None, make: Callable[[], Any]) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == policy:
                self._entries.move_to_end(key)
                return entry[1]
        made = make()
        with self._lock:
            self._entries[key] = (policy, made)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return made


REPORTS = ReportCache()


def _attempt(key: tuple[Any, ...], context: RunContext, make: Callable[[], Any]) -> tuple[Any, str | None]:
    """The report, or the Chinese message of why it cannot be made (shown in its place on the page)."""
    try:
        return REPORTS.get(key, context.policy, make), None
    except FanpinError as error:
        return None, describe_failure(error).text


@router.get("/ledger")
def ledger(
    request: Request,
    first: Annotated[str | None, Query(alias="from")] = None,
    second: Annotated[str | None, Query(alias="to")] = None,
    period: str | None = None,
) -> Response:
    context = _context(request)
    db = database_path(context.settings)
    periods = stored_periods(db)
    labels = [p.period for p in periods]
    changes = audit = None
    changes_problem = audit_problem = None
    if periods:
        state = (str(db), *((p.period, p.roster_fingerprint, p.measures_fingerprint) for p in periods))
        first, second, period = first or None, second or None, period or None
        changes, changes_problem = _attempt(
            ("changes", first, second, *state),
            context,
            lambda: changes_report(context, db, first=first, second=second),
        )
        audit, audit_problem = _attempt(
            ("audit", period, *state), context, lambda: audit_report(context, db, period=period)
        )
    return render(
        request,
        "ledger.html",
        title="台账",
        db=db,
        periods=periods,
        labels=labels,
        chosen_from=changes.first if changes else first or (labels[-2] if len(labels) > 1 else ""),
        chosen_to=changes.second if changes else second or (labels[-1] if labels else ""),
        chosen_period=audit.period if audit else period or (labels[-1] if labels else ""),
        changes=changes,
        changes_problem=changes_problem,
        change_headers=CHANGE_HEADERS[1:],
        audit=audit,
        audit_problem=audit_problem,
        audit_headers=AUDIT_HEADERS[1:],
        upload_folder=UPLOAD_FOLDER,
    )


@router.post("/ledger/download/changes")
def download_changes(
    request: Request,
    first: Annotated[str, Form(alias="from")] = "",
    second: Annotated[str, Form(alias="to")] = "",
) -> Response:
    """动态监测变化表.xlsx of the two periods, written into the output folder as the command writes it."""
    context = _context(request)
    options = LedgerOptions(
        "changes", database_path(context.settings), first=first or None, second=second or None
    )
    return _workbook(run(context, options, None).files[0])


@router.post("/ledger/download/audit")
def download_audit(request: Request, period: Annotated[str, Form()] = "") -> Response:
    """疑点数据清单.xlsx of the period, written into the output folder as the command writes it."""
    context = _context(request)
    options = LedgerOptions("audit", database_path(context.settings), period=period or None)
    return _workbook(run(context, options, None).files[0])


def _workbook(path: Path) -> Response:
    return FileResponse(path, media_type=XLSX, filename=path.name)
