"""A pool of warm LibreOffice instances converting documents in parallel.

Each instance is `worker.py` run by a Python that imports uno (see `office.find_uno_python`), in a
process group of its own with its own LibreOffice profile; it keeps one soffice open and converts
what it is sent through LibreOffice's UNO bridge. Documents are taken from one queue by as many threads
as instances. A document that takes longer than `timeout`, or whose instance crashed or refused it,
gets its instance killed and restarted and is tried once more; if that fails too it is reported by
name and the batch goes on. `close()` (also on Ctrl-C or an error, through `with`) kills every
process group, so no soffice outlives the pool::

    with PdfPool() as pool:
        failures = pool.convert([(Path("a.docx"), Path("a.pdf")), (Path("b.xlsx"), Path("b.pdf"))])
        png = pool.preview(Path("a.docx"))
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import DependencyError
from .fonts import all_stand_ins, fontconfig_file
from .office import OfficeTools, require_office_tools

DOCUMENT_TIMEOUT = 300.0  # seconds for one document (a village print file of 200 households: ~10 s)
START_TIMEOUT = 120.0  # seconds for an instance to start and accept requests
WORKER = Path(__file__).with_name("worker.py")


@dataclass(frozen=True)
class Failure:
    """A document that could not be converted, even after a restart and a second try."""

    name: str
    reason: str


class _InstanceFailed(Exception):
    """The instance hung, crashed or could not convert a document."""


class _Instance:
    """One worker process (and its soffice)."""

    def __init__(
        self, number: int, tools: OfficeTools, root: Path, env: dict[str, str], stopping: threading.Event
    ) -> None:
        self.number = number
        self.stopping = stopping  # set by PdfPool.close(): start nothing new
        self.tools = tools
        self.root = root
        self.env = env
        self.generation = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.replies: queue.Queue[dict[str, Any] | None] = queue.Queue()

    def start(self) -> None:
        if self.stopping.is_set():
            raise _InstanceFailed("转换已停止")
        self.generation += 1
        profile = self.root / f"profile-{self.number}-{self.generation}"
        self.replies = queue.Queue()
        self.process = subprocess.Popen(
            [self.tools.python, "-I", str(WORKER), self.tools.soffice, profile.as_uri()],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=self.env,
            cwd=self.root,
            **_own_group(),
        )
        if self.stopping.is_set():  # the pool was closed while this one was being started
            self.kill()
            raise _InstanceFailed("转换已停止")
        assert self.process.stdout is not None
        threading.Thread(target=_read_lines, args=(self.process.stdout, self.replies), daemon=True).start()
        reply = self._reply(START_TIMEOUT)
        if not reply or not reply.get("ready"):
            self.kill()
            why = (reply or {}).get("error") or "没有响应"
            raise _InstanceFailed(f"LibreOffice 无法启动：{why}")

    def _reply(self, timeout: float) -> dict[str, Any] | None:
        try:
            return self.replies.get(timeout=timeout)
        except queue.Empty:
            raise _InstanceFailed(f"超过 {timeout:g} 秒没有完成（LibreOffice 无响应）") from None

    def convert(self, source: Path, target: Path, timeout: float) -> None:
        process = self.process
        if process is None or process.poll() is not None or process.stdin is None:
            raise _InstanceFailed("LibreOffice 已退出")
        kind = "calc" if source.suffix.lower() in (".xlsx", ".xls", ".ods") else "writer"
        # absolute: the worker runs in the pool's own folder
        message = {
            "in": str(source.absolute()),
            "out": str(target.absolute()),
            "filter": f"{kind}_pdf_Export",
        }
        request = json.dumps(message, ensure_ascii=False) + "\n"
        try:
            process.stdin.write(request.encode("utf-8"))
            process.stdin.flush()
        except OSError:
            raise _InstanceFailed("LibreOffice 已退出") from None
        reply = self._reply(timeout)
        if reply is None:
            raise _InstanceFailed("LibreOffice 意外退出")
        if not reply.get("ok"):
            raise _InstanceFailed(str(reply.get("error") or "转换失败"))
        if not target.is_file() or target.stat().st_size == 0:
            raise _InstanceFailed("LibreOffice 没有写出文件")

    def kill(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        _kill_group(process)
        for stream in (process.stdin, process.stdout):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()

    def restart(self) -> None:
        self.kill()
        self.start()


class PdfPool:
    """N warm LibreOffice instances (default: the number of cores); use as a context manager."""

    def __init__(self, instances: int | None = None, *, timeout: float = DOCUMENT_TIMEOUT) -> None:
        self.size = max(1, instances or os.cpu_count() or 1)
        self.timeout = timeout
        self._instances: list[_Instance] = []
        self._idle: queue.Queue[_Instance] = queue.Queue()
        self._root: Path | None = None
        self._stopping = threading.Event()

    def __enter__(self) -> PdfPool:
        try:
            self.start()
        except BaseException:  # Ctrl-C while starting, too
            self.close()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def instances(self) -> list[_Instance]:
        return list(self._instances)

    def start(self) -> None:
        """Start every instance (in parallel); DependencyError if LibreOffice cannot be used."""
        tools = require_office_tools()
        self._root = Path(tempfile.mkdtemp(prefix="fanpin-pool-"))
        atexit.register(self.close)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        env.update(
            HOME=str(self._root),
            FONTCONFIG_FILE=str(fontconfig_file(self._root, all_stand_ins())),
        )
        self._stopping.clear()
        self._idle = queue.Queue()
        self._instances = [_Instance(n, tools, self._root, env, self._stopping) for n in range(self.size)]
        errors: list[str] = []

        def start_one(instance: _Instance) -> None:
            try:
                instance.start()
            except _InstanceFailed as error:
                errors.append(str(error))

        _run_threads([lambda i=i: start_one(i) for i in self._instances])  # type: ignore[misc]
        if errors:
            self.close()
            raise DependencyError(
                errors[0], hint="确认 LibreOffice 能正常运行（soffice --headless --version）"
            )
        for instance in self._instances:
            self._idle.put(instance)

    def close(self) -> None:
        """Kill every instance and remove the profiles; safe to call twice."""
        self._stopping.set()
        atexit.unregister(self.close)
        for instance in self._instances:
            instance.kill()
        self._instances = []
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = None

    def convert(
        self,
        jobs: Sequence[tuple[Path, Path]],
        *,
        names: Sequence[str] | None = None,
        done: Callable[[int, int], None] | None = None,
    ) -> list[Failure]:
        """Convert each (source, target) in parallel; the failures, by name (default: source file name)."""
        shown = list(names) if names is not None else [source.name for source, _ in jobs]
        work: queue.Queue[int] = queue.Queue()
        for index in range(len(jobs)):
            work.put(index)
        failures: dict[int, Failure] = {}
        finished = [0]
        lock = threading.Lock()

        def drive(instance: _Instance) -> None:
            while True:
                try:
                    index = work.get_nowait()
                except queue.Empty:
                    return
                source, target = jobs[index]
                reason = self._convert_with_retry(instance, source, target)
                with lock:
                    if reason:
                        failures[index] = Failure(shown[index], reason)
                    finished[0] += 1
                    if done:
                        done(finished[0], len(jobs))
                if reason and instance.process is None:  # it could not be restarted: leave the rest
                    return

        _run_threads([lambda i=i: drive(i) for i in self._instances])  # type: ignore[misc]
        while not work.empty():  # every instance is gone
            index = work.get_nowait()
            failures[index] = Failure(shown[index], "LibreOffice 无法启动")
        return [failures[index] for index in sorted(failures)]

    def _convert_with_retry(self, instance: _Instance, source: Path, target: Path) -> str:
        """'' when converted; else why the second try failed."""
        reason = ""
        for _ in range(2):
            try:
                instance.convert(source, target, self.timeout)
                return ""
            except _InstanceFailed as error:
                reason = str(error)
            try:
                instance.restart()
            except _InstanceFailed as error:
                return f"{reason}；重新启动也失败：{error}"
        return reason

    def preview(self, document: Path, *, resolution: int = 96) -> bytes:
        """The first page of `document` (.docx or .xlsx) as PNG: a PDF from an idle warm instance,
        rasterized by poppler's pdftoppm (or PyMuPDF when installed)."""
        if self._root is None:
            raise RuntimeError("PdfPool.preview() needs a started pool")
        instance = self._idle.get()
        try:
            with tempfile.TemporaryDirectory(dir=self._root) as folder:
                pdf = Path(folder) / "preview.pdf"
                if self._convert_with_retry(instance, document, pdf):
                    raise DependencyError(
                        f"无法预览「{document.name}」", hint="确认文件能在 LibreOffice 中打开"
                    )
                return first_page_png(pdf, resolution)
        finally:
            self._idle.put(instance)

    def soffice_pids(self) -> list[int]:
        """The LibreOffice processes of the running instances (soffice.bin and its launcher), found by
        process group on Linux; for measuring memory and for tests."""
        groups = {i.process.pid for i in self._instances if i.process is not None}
        return [pid for pid, name in _processes_in(groups) if "soffice" in name or "oosplash" in name]

    def process_ids(self) -> list[int]:
        """Every process of the running instances (workers and LibreOffice), found by process group."""
        groups = {i.process.pid for i in self._instances if i.process is not None}
        return [pid for pid, _ in _processes_in(groups)]


def _processes_in(groups: set[int]) -> list[tuple[int, str]]:
    """(pid, name) of the live processes in these process groups (Linux /proc; elsewhere none)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.find("(") + 1 : stat.rfind(")")]
        fields = stat.rpartition(")")[2].split()
        if fields[0] != "Z" and int(fields[2]) in groups:
            found.append((int(entry.name), name))
    return sorted(found)


def _read_lines(stream: IO[bytes], replies: queue.Queue[dict[str, Any] | None]) -> None:
    for line in stream:
        with contextlib.suppress(ValueError):
            replies.put(json.loads(line))
    replies.put(None)  # the worker exited


def _run_threads(tasks: Sequence[Callable[[], None]]) -> None:
    """Run the tasks on threads; the main thread keeps waking up so that Ctrl-C reaches it."""
    threads = [threading.Thread(target=task, daemon=True) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(0.2)


def _own_group() -> dict[str, Any]:
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    return {"start_new_session": True}


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the worker and everything it started (soffice, oosplash, soffice.bin)."""
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False)
    else:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


def first_page_png(pdf: Path, resolution: int = 96) -> bytes:
    """Page 1 of a PDF as PNG bytes."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is not None:
        stem = pdf.with_name(pdf.stem + "-page")
        command = [pdftoppm, "-png", "-r", str(resolution), "-f", "1", "-l", "1", "-singlefile"]
        subprocess.run([*command, str(pdf), str(stem)], capture_output=True, check=True, timeout=60)
        return stem.with_suffix(".png").read_bytes()
    try:
        import pymupdf
    except ImportError:
        raise DependencyError(
            "没有找到 pdftoppm，无法生成预览图", hint="安装 poppler（Linux：apt-get install poppler-utils）"
        ) from None
    with pymupdf.open(pdf) as opened:
        return bytes(opened[0].get_pixmap(dpi=resolution).tobytes("png"))
