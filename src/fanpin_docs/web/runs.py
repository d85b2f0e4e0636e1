"""生成: the 生成 buttons' runs — start one, follow it, cancel it (`/runs`, `/api/runs/…`).

Every run goes through the run manager (`jobs.RunManager`, on `app.state.runs`), which makes it in a
child process with the commands' own library calls; these routes only check the options
(`generate.request_from`) and show what the manager knows.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import JSONResponse, Response

from ..errors import OutputError
from ..generate import GENERATORS, request_from
from .jobs import KEPT, RUNNING, Run, RunManager, RunRefused
from .outputs import OutputOutside
from .rendering import render
from .wording import page_failure

router = APIRouter()


def manager(request: Request) -> RunManager:
    runs: RunManager = request.app.state.runs
    return runs


def _run(request: Request, run_id: str) -> Run:
    run = manager(request).get(run_id)
    if run is None:
        raise HTTPException(404, f"没有这次生成的记录（只保留最近 {KEPT} 次生成的记录）。")
    return run


@router.get("/runs")
def runs_page(request: Request) -> Response:
    return render(
        request,
        "runs.html",
        title="生成",
        runs=[run.to_json() for run in manager(request).runs()],
        generators=GENERATORS,
    )


@router.post("/api/runs", status_code=202)
async def start_run(request: Request) -> dict[str, Any]:
    """Start a run: JSON or form fields `kind`, `dated`, `pdf`, `villages`, `force`."""
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = await request.json()
        except ValueError:
            raise HTTPException(400, "请求的内容不是有效的 JSON，请刷新页面后重试。") from None
        if not isinstance(data, dict):
            raise HTTPException(400, "请求的内容不完整，请刷新页面后重试。")
    else:
        data = dict(await request.form())
    wanted = request_from(data)  # a wrong option: 400, told as the command line tells it
    try:
        return manager(request).start(wanted).to_json()
    except (RunRefused, OutputError, OutputOutside) as error:  # another run or a `fanpin` command
        raise HTTPException(409, page_failure(error).text) from None  # writes, or not our folder


@router.get("/api/runs")
def list_runs(request: Request) -> dict[str, Any]:
    """The running run (if any) and the others, newest first: what a reopened page shows."""
    runs = manager(request).runs()
    current = next((run for run in runs if run.state == RUNNING), runs[0] if runs else None)
    return {
        "current": current.to_json() if current else None,
        "runs": [run.to_json() for run in runs],
    }


@router.get("/api/runs/{run_id}")
def show_run(request: Request, run_id: str) -> dict[str, Any]:
    return _run(request, run_id).to_json()


@router.post("/api/runs/{run_id}/cancel")
def cancel_run(request: Request, run_id: str) -> Response:
    run = _run(request, run_id)
    manager(request).cancel(run)
    return JSONResponse(run.to_json(), status_code=202)
