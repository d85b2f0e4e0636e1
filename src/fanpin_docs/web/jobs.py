"""The run manager: each 生成 run in a child process of its own, outside any request.

`RunManager.start` refuses a run while another one of this server is going (naming it), and one the
output folder's lock refuses (a `fanpin` command writing there: the lock's own message); else it starts
`child.py` in a new process group and a thread that reads the child's events into the `Run`. The page
polls the run (`Run.to_json`), so closing the tab does not stop it, and reopening shows it.
`cancel` is Ctrl-C: SIGINT to the child's process group; `stop` (the server shutting down) does the
same to every run, waits for them, and kills what is still there after `STOP_WAIT` seconds.

A child that dies without ending its workers (killed, out of memory) would leave them holding its
output pipe and the output folder's lock: so a thread waits for the child's exit and then kills what
is left of its process group, and the run ends (as failed, unless it finished or was cancelled).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..errors import FanpinError
from ..generate import GenerateRequest, request_from
from ..outputlock import FolderLock
from .outputs import output_folder
from .runlog import read_records, write_records

log = logging.getLogger("fanpin.web")

STOP_WAIT = 30.0  # seconds a cancelled run gets to stop before it is killed
KEPT = 20  # finished runs remembered (newest first on the page)
FILES_SHOWN = 200  # file names of a finished run sent to the page

RUNNING, DONE, FAILED, CANCELLED = "running", "done", "failed", "cancelled"
STATE_TEXT = {RUNNING: "正在生成", DONE: "已完成", FAILED: "出错", CANCELLED: "已取消"}
CANCELLED_TEXT = "已取消：已写完的文件保留（记入清单），未写完的文件没有留下。"


class RunRefused(FanpinError):
    """A run cannot start now (another one is going)."""


@dataclass
class Run:
    """One press of a 生成 button, as the page shows it."""

    id: str
    request: GenerateRequest
    started: float = field(default_factory=time.time)
    state: str = RUNNING
    phase: str = "启动"
    done: int = 0
    total: int = 0
    summary: dict[str, Any] | None = None
    error: str | None = None
    finished: float | None = None
    cancelling: bool = False
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return f"生成{self.request.generator.label}"

    def describe(self) -> str:
        """「生成明白卡（10:32:05 开始）」"""
        return f"{self.label}（{time.strftime('%H:%M:%S', time.localtime(self.started))} 开始）"

    def record(self) -> dict[str, Any]:
        """A finished run as `runlog` keeps it."""
        return {
            "id": self.id,
            "request": self.request.to_json(),
            "started": self.started,
            "finished": self.finished,
            "state": self.state,
            "phase": self.phase,
            "done": self.done,
            "total": self.total,
            "summary": self.summary,
            "error": self.error,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Run | None:
        """A run `runlog` kept; None for one that cannot be read back (a file edited by hand, or kept by
        a version that recorded other things)."""
        try:
            state = str(record["state"])
            if state not in (DONE, FAILED, CANCELLED):
                return None
            summary = record.get("summary")
            return cls(
                id=str(record["id"]),
                request=request_from(record["request"]),
                started=float(record["started"]),
                state=state,
                phase=str(record.get("phase", "")),
                done=int(record.get("done", 0)),
                total=int(record.get("total", 0)),
                summary=summary if isinstance(summary, dict) else None,
                error=None if record.get("error") is None else str(record["error"]),
                finished=float(record["finished"]),
            )
        except (KeyError, TypeError, ValueError, FanpinError):
            return None

    def to_json(self) -> dict[str, Any]:
        end = self.finished or time.time()
        return {
            "id": self.id,
            "kind": self.request.kind,
            "label": self.label,
            "state": self.state,
            "state_text": "正在取消" if self.cancelling and self.state == RUNNING else STATE_TEXT[self.state],
            "phase": self.phase,
            "done": self.done,
            "total": self.total,
            "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.started)),
            "seconds": round(end - self.started, 1),
            "summary": _shown_summary(self.summary),
            "error": self.error,
            "request": self.request.to_json(),
        }


class RunManager:
    """The runs of one server (one workspace): at most one at a time."""

    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace
        self._lock = threading.Lock()
        kept = (Run.from_record(record) for record in read_records(workspace))
        self._runs: deque[Run] = deque((run for run in kept if run is not None), maxlen=KEPT)
        self._threads: list[threading.Thread] = []

    def runs(self) -> list[Run]:
        with self._lock:
            return list(reversed(self._runs))

    def get(self, run_id: str) -> Run | None:
        with self._lock:
            return next((run for run in self._runs if run.id == run_id), None)

    def active(self) -> Run | None:
        with self._lock:
            return next((run for run in self._runs if run.state == RUNNING), None)

    def start(self, request: GenerateRequest) -> Run:
        with self._lock:
            going = next((run for run in self._runs if run.state == RUNNING), None)
            if going is not None:
                raise RunRefused(
                    f"{going.describe()}还在进行，两次生成不能同时写入输出文件夹",
                    hint="等它结束，或按「取消」停止它后再生成",
                )
            self._probe_output_lock()
            run = Run(id=secrets.token_hex(8), request=request)
            run.process = self._spawn(request)
            self._runs.append(run)
        thread = threading.Thread(target=self._follow, args=(run,), name=f"run-{run.id}", daemon=True)
        self._threads.append(thread)
        thread.start()
        return run

    def _probe_output_lock(self) -> None:
        """Refuse now, with the lock's message, when a `fanpin` command writes into the output folder
        (and when that folder is not inside the workspace)."""
        root = output_folder(self.workspace)  # OutputOutside when not inside the workspace
        if not root.is_dir():
            return
        probe = FolderLock(root)
        probe.acquire()  # OutputError naming the process that writes there
        probe.release()

    def _spawn(self, request: GenerateRequest) -> subprocess.Popen[bytes]:
        command = [
            sys.executable,
            "-m",
            "fanpin_docs.web.child",
            str(self.workspace),
            json.dumps(request.to_json(), ensure_ascii=False),
        ]
        return subprocess.Popen(
            command,
            cwd=self.workspace,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            **_own_group(),
        )

    def _follow(self, run: Run) -> None:
        process = run.process
        assert process is not None and process.stdout is not None and process.stderr is not None
        errors: list[bytes] = []
        stderr = process.stderr
        drain = threading.Thread(target=lambda: errors.extend(_tail(stderr)), daemon=True)
        drain.start()
        reaper = threading.Thread(target=_reap, args=(process,), name=f"reap-{run.id}", daemon=True)
        reaper.start()  # the pipe ends once the child and every worker of its group are gone
        for line in process.stdout:
            with contextlib.suppress(ValueError):
                self._event(run, json.loads(line))
        reaper.join()
        code = process.wait()
        drain.join(timeout=5)
        with self._lock:
            run.finished = time.time()
            if run.summary is not None:
                run.state = DONE
            elif run.cancelling:
                run.state = CANCELLED
                run.error = run.error or CANCELLED_TEXT
            else:
                run.state = FAILED
                run.error = run.error or unexpected_exit(code)
            finished = [kept.record() for kept in self._runs if kept.state != RUNNING]
        write_records(self.workspace, finished)  # a 工作台 started again shows them
        if run.state == FAILED and errors:
            log.warning("生成进程的错误输出：\n%s", b"".join(errors).decode("utf-8", "replace"))

    def _event(self, run: Run, event: dict[str, Any]) -> None:
        with self._lock:
            if "phase" in event:
                run.phase = str(event["phase"])
                run.done, run.total = 0, 0
            if "done" in event:
                run.done, run.total = int(event["done"]), int(event["total"])
            if "summary" in event:
                run.summary = event["summary"]
            if "error" in event:
                run.error = str(event["error"])
                if event.get("kind") == "interrupted":
                    run.cancelling = True  # stopped by a SIGINT, whoever sent it
                    run.error = CANCELLED_TEXT  # the page's word for it, as its state says

    def cancel(self, run: Run) -> None:
        """Ctrl-C for the run: SIGINT to its process group (the child and its workers)."""
        with self._lock:
            if run.state != RUNNING or run.process is None:
                return
            run.cancelling = True
            _interrupt(run.process)

    def stop(self, wait: float = STOP_WAIT) -> None:
        """The server is stopping: cancel every run, wait for them, kill what is left (each run's
        reaper then ends whatever its child left behind)."""
        going = [run for run in self.runs() if run.state == RUNNING and run.process is not None]
        for run in going:
            self.cancel(run)
        deadline = time.monotonic() + wait
        for run in going:
            assert run.process is not None
            try:
                run.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _kill(run.process)
        for thread in self._threads:
            thread.join(timeout=5)


def _shown_summary(summary: dict[str, Any] | None) -> dict[str, Any] | None:
    """The summary as the page polls it: the file count, and the first `FILES_SHOWN` names only (a
    run of 10,000 cards names them all on the 结果 page, not in every poll)."""
    if summary is None:
        return None
    files = list(summary.get("files", []))
    return {**summary, "files": files[:FILES_SHOWN], "file_count": len(files)}


def _own_group() -> dict[str, Any]:
    """A process group of its own, so a signal reaches the child and its workers, and only them."""
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def _interrupt(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        if sys.platform == "win32":
            os.kill(process.pid, signal.CTRL_BREAK_EVENT)  # type: ignore[attr-defined,unused-ignore]
        else:
            os.killpg(process.pid, signal.SIGINT)


def unexpected_exit(code: int) -> str:
    """What the page says of a child that ended without a word (killed, out of memory, crashed)."""
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"信号 {-code}"
        cause = f"被系统强行结束（{name}），常见原因是内存不足或进程被结束"
    else:
        cause = f"退出码 {code}"
    return (
        f"生成进程意外退出（{cause}），这次生成没有完成。已写完的文件留在输出文件夹里，"
        "没写完的文件不会显示，下次生成时清除。请再生成一次；"
        "若又出现，请把工作台窗口（命令行）里显示的内容发给维护人员。"
    )


def _reap(process: subprocess.Popen[bytes]) -> None:
    """Wait for the child to end, then end whatever is left of its process group (workers it did not
    stop because it was killed), so they neither hold its pipe and the folder's lock nor outlive it."""
    process.wait()
    _kill(process)


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        if sys.platform == "win32":
            process.kill()
        else:
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


def _tail(stream: IO[bytes], limit: int = 20_000) -> list[bytes]:
    """The last `limit` bytes of what the child wrote to stderr (read to the end, so it never blocks)."""
    kept: deque[bytes] = deque()
    size = 0
    for chunk in iter(lambda: stream.read(4096), b""):
        kept.append(chunk)
        size += len(chunk)
        while size > limit and len(kept) > 1:
            size -= len(kept.popleft())
    return list(kept)
