"""台账: the workspace's 动态监测台账 — the stored periods, storing a new one from an upload (what
`fanpin ledger add` does), and the changes between two periods and the audit findings of one as
tables, each with its workbook written as `fanpin ledger changes` / `fanpin ledger audit` write it."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.responses import FileResponse, JSONResponse, Response

from ..check import detect_kind
from ..context import RunContext, resolve
from ..errors import FanpinError, InputError, Problem
from ..failures import describe_failure
from ..inputs import KINDS
from ..ledger import (
    AddResult,
    LedgerOptions,
    LedgerStore,
    StoredPeriod,
    add_to_ledger,
    audit_report,
    changes_report,
    database_path,
    run,
)
from ..ledger.books import AUDIT_HEADERS, CHANGE_HEADERS
from ..ledger.wording import added_line, change_line
from ..policy import Policy
from .ledger_uploads import refuse_oversized, shown_name, store_upload
from .rendering import render

router = APIRouter()

UPLOAD_FOLDER = "台账导入"  # inside the workspace: every export stored through the page, as uploaded
SHOWN_CHANGES = 200  # lines of what a corrected export changed, in the answer to an upload
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


@router.post("/api/ledger/periods")
async def add_period(request: Request) -> Response:
    """Store an uploaded roster export (and, optionally, its measures ledger) as a period."""
    refuse_oversized(request, files=2)
    form = await request.form(max_files=2, max_fields=10)
    roster, measures = form.get("roster"), form.get("measures")
    if not isinstance(roster, UploadFile) or not roster.filename:
        raise HTTPException(400, "请选择要存入的户籍监测名单（国家系统导出的名单）。")
    if not isinstance(measures, UploadFile) or not measures.filename:
        measures = None
    text = form.get("period")
    period = text.strip() if isinstance(text, str) and text.strip() else None
    workspace: Path = request.app.state.server.workspace
    try:
        results = await run_in_threadpool(_add, workspace, roster, measures, period)
    except InputError as error:
        return JSONResponse(
            {
                "error": f"上传的文件有 {len(error.problems)} 处问题需要修改，这一期没有存入台账。",
                "problems": [_problem(p) for p in error.problems],
            },
            status_code=400,
        )
    return JSONResponse({"results": [_told(result) for result in results]})


def _add(
    workspace: Path, roster: UploadFile, measures: UploadFile | None, period: str | None
) -> list[AddResult]:
    """Keep the uploads in the workspace's 台账导入 folder and store them as `fanpin ledger add` does;
    when they cannot be stored, they are not kept either."""
    context = resolve(workspace=workspace)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = workspace / UPLOAD_FOLDER
    uploads = {"roster": roster, "measures": measures}
    saved: dict[str, Path] = {}
    shown: dict[str, str] = {}
    try:
        for kind, upload in uploads.items():
            if upload is None:
                continue
            path = store_upload(upload.file, upload.filename, folder, f"{stamp}-{KINDS[kind].label}")
            saved[kind], shown[path.name] = path, shown_name(upload.filename)
        try:
            return add_to_ledger(
                context,
                database_path(context.settings),
                [saved["roster"]],
                period=period,
                measures=saved.get("measures"),
            )
        except InputError as error:
            raise _named(error, saved, shown) from None
    except BaseException:
        for path in saved.values():
            path.unlink(missing_ok=True)
        raise


def _named(error: InputError, saved: dict[str, Path], shown: dict[str, str]) -> InputError:
    """The problems of an upload that could not be stored, naming the files as the browser chose
    them; an upload of the wrong workbook (a measures ledger given as the roster) said as such."""
    for kind, path in saved.items():
        if not any(p.file == path.name for p in error.problems):
            continue
        try:
            found = detect_kind(path)
        except FanpinError:
            continue
        if found != kind:
            return InputError(
                [
                    Problem(
                        shown[path.name],
                        f"这是{KINDS[found].label}，不是{KINDS[kind].label}",
                        hint=f"在「{KINDS[kind].label}」一栏选{KINDS[kind].label}的文件",
                    )
                ]
            )
    problems = [
        Problem(**{**asdict(p), "file": shown.get(p.file, p.file)}) for p in error.problems + error.warnings
    ]
    return InputError(problems)


def _problem(problem: Problem) -> dict[str, str]:
    return {
        "file": problem.file,
        "sheet": problem.sheet or "",
        "row": "" if problem.row is None else str(problem.row),
        "column": problem.column or "",
        "value": problem.value or "",
        "message": problem.message,
        "hint": problem.hint,
    }


def _told(result: AddResult) -> dict[str, Any]:
    changes = result.changes.changes if result.changes else []
    lines = [change_line(change) for change in changes[:SHOWN_CHANGES]]
    if len(changes) > SHOWN_CHANGES:
        lines.append(f"…… 共 {len(changes)} 条")
    notes = list(result.notes)
    if result.warnings:
        notes.append(f"名单和台账有 {len(result.warnings)} 处提醒，在「检查」页可看详情")
    return {
        "period": result.period,
        "status": result.status,
        "line": added_line(result),
        "changes": lines,
        "notes": notes,
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
