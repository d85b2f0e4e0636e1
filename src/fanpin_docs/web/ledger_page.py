"""台账: the workspace's 动态监测台账 — the stored periods, storing a new one from an upload (what
`fanpin ledger add` does, in `ledger_adding`), and the changes between two periods and the audit
findings of one as tables (made and kept by `ledger_reports`; the page answers at once and its script
fetches tables not yet made), each with its workbook written as `fanpin ledger changes` / `fanpin
ledger audit` write it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import FileResponse, JSONResponse, Response

from ..context import RunContext, resolve
from ..ledger import LedgerOptions, database_path, run
from ..ledger.books import AUDIT_HEADERS, CHANGE_HEADERS
from . import ledger_adding
from .ledger_adding import UPLOAD_FOLDER
from .ledger_reports import Asked, LedgerReports, ReportCache, Tables, stored_periods
from .rendering import render, templates
from .security import CSRF_FIELD, session_of
from .uploads import XLSX

__all__ = ["ReportCache", "router", "stored_periods"]

router = APIRouter()
router.include_router(ledger_adding.router)


def _context(request: Request) -> RunContext:
    return resolve(workspace=request.app.state.server.workspace)


def _asked(first: str | None, second: str | None, period: str | None) -> Asked:
    return Asked(first or None, second or None, period or None)


From = Annotated[str | None, Query(alias="from")]
To = Annotated[str | None, Query(alias="to")]


@router.get("/ledger")
def ledger(request: Request, first: From = None, second: To = None, period: str | None = None) -> Response:
    """The periods and the forms at once; the tables too when they are already made for this state
    of the ledger, else a placeholder the page's script fills from `/api/ledger/tables`."""
    context = _context(request)
    db = database_path(context.settings)
    periods = stored_periods(db)
    asked = _asked(first, second, period)
    reports: LedgerReports = request.app.state.ledger_reports
    tables = reports.cached(context, db, periods, asked) if periods else None
    return _page(request, db, periods, asked, tables)


@router.get("/ledger/tables")
def ledger_tables(
    request: Request, first: From = None, second: To = None, period: str | None = None
) -> Response:
    """The same page with its tables made before it answers: for a browser without scripts."""
    context = _context(request)
    db = database_path(context.settings)
    periods = stored_periods(db)
    asked = _asked(first, second, period)
    reports: LedgerReports = request.app.state.ledger_reports
    tables = reports.compute(context, db, periods, asked) if periods else None
    return _page(request, db, periods, asked, tables)


@router.get("/api/ledger/tables")
def api_tables(
    request: Request, first: From = None, second: To = None, period: str | None = None
) -> Response:
    """The tables the page shows below its forms, as HTML for the page's script to put in place."""
    context = _context(request)
    db = database_path(context.settings)
    periods = stored_periods(db)
    asked = _asked(first, second, period)
    reports: LedgerReports = request.app.state.ledger_reports
    tables = reports.compute(context, db, periods, asked)
    fragment = templates.get_template("_ledger_tables.html").render(
        csrf_field=CSRF_FIELD,
        csrf_token=session_of(request).csrf,
        **_shown(asked, [p.period for p in periods], tables),
    )
    return JSONResponse({"html": fragment})


def _page(request: Request, db: Path, periods: list[Any], asked: Asked, tables: Tables | None) -> Response:
    labels = [p.period for p in periods]
    query = urlencode(asked.query())
    return render(
        request,
        "ledger.html",
        title="台账",
        db=db,
        periods=periods,
        labels=labels,
        pending=tables is None,
        tables_api=f"/api/ledger/tables?{query}",
        tables_page=f"/ledger/tables?{query}",
        upload_folder=UPLOAD_FOLDER,
        **_shown(asked, labels, tables),
    )


def _shown(asked: Asked, labels: list[str], tables: Tables | None) -> dict[str, Any]:
    """What the tables' template shows: the reports (or why not), the periods chosen in the form."""
    spelled = asked.resolved(labels)
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
