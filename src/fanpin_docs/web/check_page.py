"""检查: every problem `fanpin check` finds in the workspace's input workbooks, as a table (文件, 工作表,
行, 列, 原值, 问题, 怎么改) the page filters in the browser, and each workbook's marked-up copy (the
cells in red with the problem as a comment: what `fanpin check --mark` writes) as a download.

POST /api/check checks what changed since the last check (`{"force": true}`: everything) and answers
each workbook's state; the 工作区 and 检查 pages call it when they show a stale state.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Body, HTTPException, Request
from starlette.responses import Response

from ..check import mark_workbook
from ..inputs import KINDS
from .checking import checks_of
from .rendering import render
from .uploads import XLSX, download

router = APIRouter()


@router.get("/check")
def check_page(request: Request) -> Response:
    state = checks_of(request.app.state).state()
    problems = [problem for kind in state.kinds for problem in kind.problems]
    return render(request, "check.html", title="检查", state=state, problems=problems)


@router.post("/api/check")
def check_now(request: Request, force: bool = Body(False, embed=True)) -> dict[str, Any]:
    state = checks_of(request.app.state).refresh(force=force)
    template = state.template
    return {
        "kinds": [kind.as_json() for kind in state.kinds],
        "template": None if template is None else {"state": template.state, "text": template.text},
        "problems": state.problems,
    }


@router.get("/api/check/{kind}/marked")
def marked(kind: str, request: Request) -> Response:
    """The workbook of `kind` with its problems marked (the same `mark_workbook` as `check --mark`)."""
    if kind not in KINDS:
        raise HTTPException(404, "没有这种工作簿。")
    report = checks_of(request.app.state).report_of(kind)
    if report is None:
        raise HTTPException(404, f"工作区中还没有{KINDS[kind].label}，无法标注。")
    if not report.problems:
        raise HTTPException(404, f"{KINDS[kind].label}「{report.path.name}」没有发现问题，不需要标注。")
    name = f"{report.path.stem}-标注.xlsx"
    workspace: Path = request.app.state.server.workspace
    with tempfile.TemporaryDirectory(prefix=".fanpin-mark-", dir=workspace) as folder:  # stays on the PC
        target = Path(folder) / name
        mark_workbook(report.path, report.problems, target)
        data = target.read_bytes()
    return download(data, name, XLSX)
