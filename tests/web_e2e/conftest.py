"""The 工作台 in a real browser: a live `fanpin serve` in its own process, Debian's headless Chromium
driven by Playwright (`executable_path`; Playwright's own browser download is not used), and a
screenshot of every page the tests visit (browser_support.screenshot).

Every test here is marked `browser` and skips when Chromium or Playwright is missing, the way the
LibreOffice tests skip without soffice; CI has both (scripts/setup-system.sh and the test extra).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browser_support import REBOUND_HOST, VIEWPORT, Server, start_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HERE = Path(__file__).parent


def _missing() -> str | None:
    if CHROMIUM is None:
        return "没有安装 Chromium（bash scripts/setup-system.sh）/ chromium is not installed"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "没有安装 playwright（pip install -e '.[test]'）/ playwright is not installed"
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    reason = _missing()
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture()
def serve(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Starts `fanpin serve` on a folder (by default a new one, which `fanpin serve` makes a
    workspace); every server started is stopped when the test ends, passed or failed."""
    started: list[Server] = []

    def start(workspace: Path | None = None, *extra: str) -> Server:
        server = start_server(workspace or tmp_path / "工作区", *extra)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)  # a busy two-core machine: checks and runs take seconds

    # a name that resolves to this machine, as DNS rebinding would make it; the sandbox refuses root
    arguments = [f"--host-resolver-rules=MAP {REBOUND_HOST} 127.0.0.1"]
    if os.geteuid() == 0:
        arguments.append("--no-sandbox")
    # the browser's own words in Chinese (选择文件); LANG stays, or file names outside ASCII break
    chinese = dict(os.environ, LANGUAGE="zh_CN")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=arguments, env=chinese, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile (its own session cookie) at 1366×768, in Chinese, downloads allowed."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(20_000)
    try:
        yield context.new_page()
    finally:
        context.close()
