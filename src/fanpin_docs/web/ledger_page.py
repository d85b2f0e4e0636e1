"""台账: the workspace's 动态监测台账 — the stored periods, storing a new one from an upload (what
`fanpin ledger add` does, in `ledger_adding`), and the changes between two periods and the audit
findings of one as tables (made and kept by `ledger_reports`; the page answers at once and its script
fetches tables not yet made), each with its workbook written as `fanpin ledger changes` / `fanpin
ledger audit` write it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import FileResponse, JSONResponse, Response

from ..context import RunContext, resolve
from ..ledger import LedgerOptions, StoredPeriod, database_path, run
from ..ledger.audit import AuditReport
from ..ledger.books import AUDIT_HEADERS, CHANGE_HEADERS
from ..ledger.changes import ChangeReport
from . import ledger_adding
from .downloads import attachment
from .ledger_adding import UPLOAD_FOLDER
from .ledger_reports import Asked, LedgerReports, Tables, stored_periods
from .rendering import render, templates
from .security import CSRF_FIELD, session_of
from .uploads import XLSX

router = APIRouter()
router.include_router(ledger_adding.router)


def _context(request: Request) -> RunContext:
    return resolve(workspace=request.app.state.server.workspace)


From = Annotated[str | None, Query(alias="from")]
To = Annotated[str | None, Query(alias="to")]


@dataclass(frozen=True)
class _Look:
    """One look at the ledger: the workspace's settings and policy, its database and stored periods,
    and the periods asked for."""

    context: RunContext
    db: Path
    periods: list[StoredPeriod]
    asked: Asked

    @property
    def labels(self) -> list[str]:
        return [p.period for p in self.periods]


def _look(request: Request, first: str | None, second: str | None, period: str | None) -> _Look:
    context = _context(request)
    db = database_path(context.settings)
    return _Look(context, db, stored_periods(db), Asked(first or None, second or None, period or None))


def _reports(request: Request) -> LedgerReports:
    reports: LedgerReports = request.app.state.ledger_reports
    return reports


@router.get("/ledger")
def ledger(request: Request, first: From = None, second: To = None, period: str | None = None) -> Response:
    """The periods and the forms at once; the tables too when they are already made for this state
    of the ledger, else a placeholder the page's script fills from `/api/ledger/tables`."""
    look = _look(request, first, second, period)
    reports = _reports(request)
    return _page(request, look, reports.cached(look.context, look.db, look.periods, look.asked))


@router.get("/ledger/tables")
def ledger_tables(
    request: Request, first: From = None, second: To = None, period: str | None = None
) -> Response:
    """The same page with its tables made before it answers: for a browser without scripts."""
    look = _look(request, first, second, period)
    reports = _reports(request)
    made = reports.compute(look.context, look.db, look.periods, look.asked) if look.periods else None
    return _page(request, look, made)


@router.get("/api/ledger/tables")
def api_tables(
    request: Request, first: From = None, second: To = None, period: str | None = None
) -> Response:
    """The tables the page shows below its forms, as HTML for the page's script to put in place."""
    look = _look(request, first, second, period)
    made = _reports(request).compute(look.context, look.db, look.periods, look.asked)
    fragment = templates.get_template("_ledger_tables.html").render(
        csrf_field=CSRF_FIELD, csrf_token=session_of(request).csrf, **_shown(look, made)
    )
    return JSONResponse({"html": fragment})


def _page(request: Request, look: _Look, tables: Tables | None) -> Response:
    query = urlencode(look.asked.query())
    return render(
        request,
        "ledger.html",
        title="台账",
        db=look.db,
        periods=look.periods,
        labels=look.labels,
        pending=tables is None,
        tables_api=f"/api/ledger/tables?{query}",
        tables_page=f"/ledger/tables?{query}",
        upload_folder=UPLOAD_FOLDER,
        **_shown(look, tables),
    )


def _shown(look: _Look, tables: Tables | None) -> dict[str, Any]:
    """What the tables' template shows: the reports (or why not), the periods chosen in the form."""
    spelled = look.asked.resolved(look.labels)
    changes = tables.changes if tables else None
    audit = tables.audit if tables else None
    return {
        "chosen_from": changes.first if changes else spelled.first or "",
        "chosen_to": changes.second if changes else spelled.second or "",
        "chosen_period": audit.period if audit else spelled.period or "",
        "changes": changes,
        "changes_problem": tables.changes_problem if tables else None,
        "change_headers": CHANGE_HEADERS[1:],
        "audit": audit,
        "audit_problem": tables.audit_problem if tables else None,
        "audit_headers": AUDIT_HEADERS[1:],
    }


@router.post("/ledger/download/changes")
def download_changes(
    request: Request,
    first: Annotated[str, Form(alias="from")] = "",
    second: Annotated[str, Form(alias="to")] = "",
) -> Response:
    """动态监测变化表.xlsx of the two periods, written into the output folder as the command writes it;
    downloaded under a name with the periods (动态监测变化表（2023Q1至2023Q2）.xlsx)."""
    context = _context(request)
    options = LedgerOptions(
        "changes", database_path(context.settings), first=first or None, second=second or None
    )
    written = run(context, options, None)
    assert isinstance(written.detail, ChangeReport)
    return _workbook(written.files[0], f"{written.detail.first}至{written.detail.second}")


@router.post("/ledger/download/audit")
def download_audit(request: Request, period: Annotated[str, Form()] = "") -> Response:
    """疑点数据清单.xlsx of the period, written into the output folder as the command writes it;
    downloaded under a name with the period (疑点数据清单（2023Q2）.xlsx)."""
    context = _context(request)
    options = LedgerOptions("audit", database_path(context.settings), period=period or None)
    written = run(context, options, None)
    assert isinstance(written.detail, AuditReport)
    return _workbook(written.files[0], written.detail.period)


def _workbook(path: Path, periods: str) -> Response:
    """The workbook, named for its periods: a clerk downloads several quarters' into one folder."""
    name = f"{path.stem}（{periods}）{path.suffix}"
    return FileResponse(path, media_type=XLSX, headers={"Content-Disposition": attachment(name)})
