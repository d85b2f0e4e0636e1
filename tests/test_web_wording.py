"""What the 工作台 says of a bug (the page asks for what its window shows, not for `--debug`, which
the command line keeps), and the run's child taking Windows' 取消 (SIGBREAK) as Ctrl-C."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fanpin_docs.failures import describe_failure
from fanpin_docs.web.app import ServerConfig, create_app
from fanpin_docs.web.child import take_break_as_ctrl_c
from fanpin_docs.web.wording import BUG_ADVICE, page_failure
from web_support import HOST, make_workspace

PAGE_BUG = f"程序内部错误（RuntimeError）。{BUG_ADVICE}"


def test_a_bug_is_told_for_the_page_and_the_command_line_keeps_its_words() -> None:
    assert page_failure(RuntimeError("x")).text == PAGE_BUG
    assert "工作台窗口" in BUG_ADVICE and "--debug" not in BUG_ADVICE
    assert describe_failure(RuntimeError("x")).text == (
        "程序内部错误（RuntimeError）。请加 --debug 重新运行，把输出发给维护人员。"
    )
    user = describe_failure(FileNotFoundError(2, "No such file", "名单.xlsx"))
    assert page_failure(FileNotFoundError(2, "No such file", "名单.xlsx")) == user  # only bugs differ


def test_a_request_meeting_a_bug_says_what_helps_in_a_browser(tmp_path: Path) -> None:
    app = create_app(ServerConfig(workspace=make_workspace(tmp_path / "ws")))

    def broken() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/api/broken", broken)
    app.add_api_route("/broken", broken)
    with TestClient(app, base_url=f"http://{HOST}", raise_server_exceptions=False) as client:
        client.get("/")  # a session, so the error comes as a page
        answer = client.get("/api/broken")
        page = client.get("/broken")
    assert answer.status_code == 500 and answer.json() == {"error": PAGE_BUG}
    assert page.status_code == 500 and PAGE_BUG in page.text
    for text in (answer.text, page.text):
        assert "--debug" not in text and "secret internals" not in text and "Traceback" not in text


def test_a_run_meeting_a_bug_says_what_helps_in_a_browser(tmp_path: Path) -> None:
    """The child process itself, with the library's `generate` broken: its error event is the page's."""
    workspace = make_workspace(tmp_path / "ws")
    script = (
        "import sys, fanpin_docs.generate as g\n"
        "def broken(*a, **k): raise RuntimeError('secret internals')\n"
        "g.generate = broken\n"
        "from fanpin_docs.web.child import main\n"
        "sys.exit(main(sys.argv))\n"
    )
    request = json.dumps({"kind": "plan"})
    done = subprocess.run(
        [sys.executable, "-c", script, str(workspace), request], capture_output=True, text=True, timeout=120
    )
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert events[-1] == {"error": PAGE_BUG, "kind": "internal"}
    assert done.returncode == 2
    assert "secret internals" in done.stderr  # the details go to the server's window, not the page


@pytest.mark.skipif(not hasattr(signal, "SIGUSR1"), reason="a spare signal to stand in for SIGBREAK")
def test_the_child_takes_sigbreak_as_ctrl_c(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the platform has SIGBREAK (Windows), 取消's CTRL_BREAK_EVENT raises KeyboardInterrupt in
    the child as Ctrl-C does; here SIGUSR1 stands in for it."""
    monkeypatch.setattr(signal, "SIGBREAK", signal.SIGUSR1, raising=False)
    before = signal.getsignal(signal.SIGUSR1)
    try:
        take_break_as_ctrl_c()
        assert signal.getsignal(signal.SIGUSR1) is signal.default_int_handler
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGUSR1)
    finally:
        signal.signal(signal.SIGUSR1, before)


def test_without_sigbreak_the_child_changes_no_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(signal, "SIGBREAK", raising=False)
    before = {number: signal.getsignal(number) for number in signal.valid_signals()}
    take_break_as_ctrl_c()
    assert {number: signal.getsignal(number) for number in signal.valid_signals()} == before
