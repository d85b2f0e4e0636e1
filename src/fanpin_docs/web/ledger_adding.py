"""Storing a period from the 台账 page: what `fanpin ledger add` does, with files the browser uploads.

Each file comes as its own request body (`uploads.received`: at most 50 MB, streamed into the
workspace). The measures ledger, when there is one, comes first and waits in a temporary upload folder
(`uploads.UPLOAD_PREFIX`, removed after an hour if no roster follows); the roster's request names it.
Both are kept in the workspace's 台账导入 folder under names the server chooses, and only when the
period was stored: a refused upload leaves nothing behind. Which workbook a file is, is decided by its
content (`check.detect_kind`; the readers refuse a file that is no workbook whatever its name)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from ..check import detect_kind
from ..context import resolve
from ..errors import FanpinError, InputError, Problem, counted
from ..inputs import KINDS
from ..ledger import AddResult, add_to_ledger, database_path
from ..ledger.wording import added_line, change_line
from .checking import problem_json
from .inputs import WORKBOOK_SUFFIXES
from .security import inside_workspace
from .uploads import UPLOAD_PREFIX, received, sent_name
from .wording import for_the_page

router = APIRouter()

UPLOAD_FOLDER = "台账导入"  # inside the workspace: every export stored through the page
SHOWN_WARNINGS = 10  # the warnings of the files stored, each with its place
SHOWN_CHANGES = 200  # lines of what a corrected export changed, in the answer to an upload
_WAITING = re.compile(re.escape(UPLOAD_PREFIX) + r"[A-Za-z0-9_]+")


def _folder(request: Request) -> Path:
    workspace: Path = request.app.state.server.workspace
    return workspace / UPLOAD_FOLDER


@router.post("/api/ledger/measures")
async def measures_upload(request: Request) -> Response:
    """A measures ledger, held until the roster of the same period comes (`/api/ledger/periods`)."""
    folder = _folder(request)
    name = sent_name(request, WORKBOOK_SUFFIXES, f"{KINDS['measures'].label}.xlsx")
    try:
        async with received(request, folder, name) as upload:
            await run_in_threadpool(_expect, upload, name, "measures")
            waiting = Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX, dir=folder))
            os.replace(upload, waiting / name)
    except InputError as error:
        return _refused(error, "这个文件没有保存")
    return JSONResponse({"measures": waiting.name})


@router.post("/api/ledger/periods")
async def add_period(
    request: Request,
    period: Annotated[str, Query()] = "",
    measures: Annotated[str, Query()] = "",
) -> Response:
    """Store the uploaded roster export as a period (with the measures ledger sent before, if any)."""
    folder = _folder(request)
    waiting = _waiting(request, measures) if measures else None
    try:
        name = sent_name(request, WORKBOOK_SUFFIXES, f"{KINDS['roster'].label}.xlsx")
        async with received(request, folder, name) as upload:
            results = await run_in_threadpool(
                _add, request.app.state.server.workspace, upload, waiting, period.strip() or None
            )
    except InputError as error:
        return _refused(error, "这一期没有存入台账")
    finally:
        if waiting is not None:
            shutil.rmtree(waiting.parent, ignore_errors=True)
    request.app.state.ledger_warmer.start()  # the newest pair's tables, ready before the page asks
    return JSONResponse({"results": [_told(result) for result in results]})


def _waiting(request: Request, token: str) -> Path:
    """The measures ledger `measures_upload` holds under `token`."""
    workspace: Path = request.app.state.server.workspace
    if _WAITING.fullmatch(token):
        found = inside_workspace(workspace, f"{UPLOAD_FOLDER}/{token}")
        files = [path for path in found.iterdir() if path.is_file()] if found.is_dir() else []
        if len(files) == 1:
            return files[0]
    raise HTTPException(400, "先前上传的帮扶措施台账已不在（超过一小时或已用过），请重新选择后再存入。")


def _expect(path: Path, name: str, kind: str) -> None:
    try:
        found = detect_kind(path)
    except InputError as error:
        raise _renamed(error, {path.name: name}) from None
    if found != kind:
        raise _wrong_kind(name, found, kind)


def _add(workspace: Path, roster: Path, measures: Path | None, period: str | None) -> list[AddResult]:
    """Keep the uploads in 台账导入 under the server's names and store them as `fanpin ledger add`
    does; when they cannot be stored, they are not kept either."""
    context = resolve(workspace=workspace)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    uploads = {"roster": roster, "measures": measures}
    kept: dict[str, Path] = {}
    shown: dict[str, str] = {}
    try:
        for kind, upload in uploads.items():
            if upload is not None:
                # the clerk's own file name after the time it came: what the periods table shows
                kept[kind] = _keep(upload, workspace / UPLOAD_FOLDER, f"{stamp}-{Path(upload.name).stem}")
                shown[kept[kind].name] = upload.name
        try:
            return add_to_ledger(
                context,
                database_path(context.settings),
                [kept["roster"]],
                period=period,
                measures=kept.get("measures"),
            )
        except InputError as error:
            raise _explained(error, kept, shown) from None
    except BaseException:
        for path in kept.values():
            path.unlink(missing_ok=True)
        raise


def _keep(upload: Path, folder: Path, stem: str) -> Path:
    """Move `upload` to `folder/stem` with its extension; a file already there is never replaced."""
    suffix = upload.suffix.lower()
    target, number = folder / f"{stem}{suffix}", 1
    while True:
        try:  # claim the name first
            os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            break
        except FileExistsError:
            number += 1
            target = folder / f"{stem}({number}){suffix}"
    try:
        os.replace(upload, target)
    except OSError:
        target.unlink(missing_ok=True)
        raise
    return target


def _explained(error: InputError, kept: dict[str, Path], shown: dict[str, str]) -> InputError:
    """The problems of uploads that could not be stored, naming the files as the browser sent them;
    a workbook given in the wrong place (a measures ledger as the roster) said as such."""
    for kind, path in kept.items():
        if not any(p.file == path.name for p in error.problems):
            continue
        try:
            found = detect_kind(path)
        except FanpinError:
            continue
        if found != kind:
            return _wrong_kind(shown[path.name], found, kind)
    return _renamed(error, shown)


def _renamed(error: InputError, shown: dict[str, str]) -> InputError:
    return InputError(
        [Problem(**{**asdict(p), "file": shown.get(p.file, p.file)}) for p in error.problems + error.warnings]
    )


def _wrong_kind(name: str, found: str, kind: str) -> InputError:
    label, expected = KINDS[found].label, KINDS[kind].label
    return InputError(
        [Problem(name, f"这是{label}，不是{expected}", hint=f"在「{expected}」一栏选{expected}的文件")]
    )


def _refused(error: InputError, outcome: str) -> Response:
    """The problems as a table the page shows: file, sheet, row and column each in its own cell."""
    return JSONResponse(
        {
            "error": f"上传的文件有 {counted(error.problems):,} 处问题需要修改，{outcome}。",
            "problems": [problem_json(p) for p in error.problems],
        },
        status_code=400,
    )


def _told(result: AddResult) -> dict[str, Any]:
    changes = result.changes.changes if result.changes else []
    lines = [change_line(change) for change in changes[:SHOWN_CHANGES]]
    if len(changes) > SHOWN_CHANGES:
        lines.append(f"…… 共 {len(changes)} 条")
    notes = [for_the_page(note) for note in result.notes]
    notes += [for_the_page(warning.describe()) for warning in result.warnings[:SHOWN_WARNINGS]]
    if len(result.warnings) > SHOWN_WARNINGS:
        notes.append(f"…… 名单和台账共有 {len(result.warnings)} 处提醒，以上是前 {SHOWN_WARNINGS} 处")
    return {
        "period": result.period,
        "status": result.status,
        "line": added_line(result),
        "changes": lines,
        "notes": notes,
    }
