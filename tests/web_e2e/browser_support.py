"""What the browser tests share: a live `fanpin serve` in its own process group, screenshots at the
office PCs' 1366×768, and reading a table on the page by its column headers."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

REBOUND_HOST = "rebound.example"  # Chromium resolves it to 127.0.0.1 (--host-resolver-rules)
VIEWPORT = {"width": 1366, "height": 768}
SCREENSHOTS = Path(os.environ.get("FANPIN_SCREENSHOTS") or Path(__file__).parent / "screenshots")
ADDRESS = re.compile(r"工作台已启动：(http://[^/\s（]+/)")
START_TIMEOUT = 30.0  # seconds for `fanpin serve` to print its address
STOP_TIMEOUT = 15.0


@dataclass
class Server:
    """A running `fanpin serve`: its address, workspace, process and what it printed so far."""

    url: str
    workspace: Path
    process: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)

    @property
    def host(self) -> str:
        """host:port, as a browser sends it in the Host header."""
        return self.url.split("//", 1)[1].rstrip("/")

    def stop(self) -> None:
        """Ctrl+C to the server's process group (a run in progress stops as the CLI's does), then
        SIGKILL to anything still there that the server started (runs live in process groups of
        their own, so they are found by parentage)."""
        started = descendants(self.process.pid)
        if self.process.poll() is None:
            _signal_group(self.process.pid, signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=STOP_TIMEOUT)
        _signal_group(self.process.pid, signal.SIGKILL)
        for pid in started:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.wait(timeout=5)
        if self.process.stdout is not None:
            self.process.stdout.close()


def descendants(pid: int) -> list[int]:
    """The processes below `pid` (Linux /proc; nothing elsewhere)."""
    found: list[int] = []
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    below = [int(child) for child in children.read().split()]
                found += below
                stack += below
        except OSError:
            continue
    return found


def _signal_group(pid: int, number: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, number)


def start_server(workspace: Path, *extra: str) -> Server:
    """`fanpin serve WORKSPACE --no-browser --port 0` in its own process group, returned once it has
    printed its address (the socket is bound before that line, so it answers from then on)."""
    environment = dict(os.environ, COLUMNS="400", PYTHONUNBUFFERED="1", NO_COLOR="1")
    command = [sys.executable, "-c", "from fanpin_docs.cli import main; main()", "serve", str(workspace)]
    process = subprocess.Popen(
        [*command, "--no-browser", "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        env=environment,
        start_new_session=True,
    )
    server = Server("", workspace, process)
    deadline = time.monotonic() + START_TIMEOUT
    assert process.stdout is not None
    try:
        while not server.url:
            line = process.stdout.readline()
            if not line:
                raise AssertionError("fanpin serve 没有启动 / did not start:\n" + "".join(server.output))
            server.output.append(line)
            found = ADDRESS.search(line)
            if found:
                server.url = found.group(1)
            elif time.monotonic() > deadline:
                raise AssertionError(
                    "fanpin serve 没有打印地址 / printed no address:\n" + "".join(server.output)
                )
    except BaseException:
        server.stop()
        raise
    return server


def screenshot(page: Page, name: str) -> Path:
    """The page as a clerk first sees it at 1366×768 (`name`.png) and scrolled whole
    (`name`-全页.png), in the screenshots folder; returns the first."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    page.screenshot(path=str(SCREENSHOTS / f"{name}-全页.png"), full_page=True)
    return path


def table_rows(table: Locator) -> list[dict[str, str]]:
    """The rows of a table as the reader sees them, each as {column header: cell text}."""
    rows: list[dict[str, str]] = table.evaluate(
        """table => {
            const headers = [...table.querySelectorAll('thead th')].map(th => th.innerText.trim());
            return [...table.querySelectorAll('tbody tr')]
                .filter(row => row.offsetParent !== null)
                .map(row => Object.fromEntries([...row.children].map(
                    (cell, i) => [headers[i] ?? String(i), cell.innerText.trim()])));
        }"""
    )
    return rows
