"""Stopping a 工作台 run: 取消 and the server stopping send SIGINT to the run's process group, as Ctrl-C
does to a command — the batch stops part way, only complete files stay, the manifest knows them,
no process is left; a second run meanwhile is refused, naming the first."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from cards_support import many_households, write_inputs
from fanpin_docs.output import MANIFEST, TEMP_MARK, sha256
from web_support import csrf_of, make_workspace, start, wait_for, workbench

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="process groups and POSIX signals"),
    pytest.mark.slow,
]

HOUSEHOLDS = 2500


@pytest.fixture(scope="module")
def big_inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A roster of 2,500 households in 6 villages (made once for the module) and an empty ledger."""
    folder = tmp_path_factory.mktemp("inputs")
    write_inputs(folder, households=many_households(HOUSEHOLDS, villages=6), ledger=[])
    return folder


def assert_only_complete_files(output: Path) -> int:
    """No temporary file, every card a whole .docx recorded in the manifest; how many cards there are."""
    files = [p for p in output.rglob("*") if p.is_file()]
    assert not [p for p in files if p.name.startswith(TEMP_MARK)]
    cards = [p for p in files if p.suffix == ".docx"]
    recorded = json.loads((output / MANIFEST).read_text(encoding="utf-8"))["files"]
    for card in cards:
        with zipfile.ZipFile(card) as archive:
            assert archive.testzip() is None
            assert b"</w:document>" in archive.read("word/document.xml")
        assert recorded[card.relative_to(output).as_posix()] == sha256(card.read_bytes())
    return len(cards)


def assert_group_gone(process_group: int) -> None:
    deadline = time.monotonic() + 10
    while True:
        try:
            os.killpg(process_group, 0)
        except ProcessLookupError:
            return
        assert time.monotonic() < deadline, "a process of the run outlived it"
        time.sleep(0.05)


def test_cancel_stops_the_run_as_ctrl_c_does(big_inputs: Path, tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws", inputs=big_inputs)
    with workbench(workspace) as (client, token):
        run_id = start(client, token, kind="cards").json()["id"]
        wait_for(client, run_id, until=lambda r: r["done"] > 0)
        group = client.app.state.runs.get(run_id).process.pid  # type: ignore[attr-defined]

        second = start(client, token, kind="plan")
        assert second.status_code == 409
        assert re.search(r"生成明白卡（\d\d:\d\d:\d\d 开始）还在进行", second.json()["error"])

        cancelled = client.post(f"/api/runs/{run_id}/cancel", headers={"X-CSRF-Token": token})
        assert cancelled.status_code == 202
        run = wait_for(client, run_id)
        page = client.get("/runs").text
    assert run["state"] == "cancelled" and run["state_text"] == "已取消", run
    assert run["error"] == "已取消：已写完的文件保留（记入清单），未写完的文件没有留下。"
    assert "已取消" in page
    assert_group_gone(group)
    assert 0 < assert_only_complete_files(workspace / "output") < HOUSEHOLDS  # stopped part way


def test_a_killed_child_ends_its_run_and_its_workers(big_inputs: Path, tmp_path: Path) -> None:
    """kill -9 of the child (as the out-of-memory killer does) while its card workers write: the run
    ends as failed with a Chinese message, no process of its group is left, and a new run may start."""
    workspace = make_workspace(tmp_path / "ws", inputs=big_inputs)
    with workbench(workspace) as (client, token):
        run_id = start(client, token, kind="cards").json()["id"]
        wait_for(client, run_id, until=lambda r: r["done"] > 0)
        group = client.app.state.runs.get(run_id).process.pid  # type: ignore[attr-defined]
        workers = subprocess.run(["pgrep", "-g", str(group)], capture_output=True, text=True).stdout.split()
        assert len(workers) > 1, workers  # the child and its card workers

        os.kill(group, signal.SIGKILL)
        run = wait_for(client, run_id, timeout=30)
        assert run["state"] == "failed" and run["state_text"] == "出错", run
        assert run["error"].startswith("生成进程意外退出（被系统强行结束（SIGKILL）"), run
        assert_group_gone(group)

        again = start(client, token, kind="plan")
        assert again.status_code == 202, again.text
        assert wait_for(client, again.json()["id"])["state"] == "done"


def test_a_second_run_may_start_once_the_first_has_ended(tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws")
    with workbench(workspace) as (client, token):
        first = wait_for(client, start(client, token, kind="plan").json()["id"])
        second = start(client, token, kind="plan")
        assert second.status_code == 202
        assert wait_for(client, second.json()["id"])["state"] == "done"
    assert first["state"] == "done"


def test_the_server_stopping_cancels_its_run(big_inputs: Path, tmp_path: Path) -> None:
    workspace = make_workspace(tmp_path / "ws", inputs=big_inputs)
    with workbench(workspace) as (client, token):
        run_id = start(client, token, kind="cards").json()["id"]
        wait_for(client, run_id, until=lambda r: r["done"] > 0)
        manager = client.app.state.runs  # type: ignore[attr-defined]
        group = manager.get(run_id).process.pid
    run = manager.get(run_id)  # the lifespan has ended: the server stopped
    assert run.state == "cancelled"
    assert_group_gone(group)
    assert 0 < assert_only_complete_files(workspace / "output") < HOUSEHOLDS


def test_ctrl_c_on_fanpin_serve_stops_its_run(big_inputs: Path, tmp_path: Path) -> None:
    """The real server: `fanpin serve` started as from a terminal, a run started over HTTP, then Ctrl-C."""
    workspace = make_workspace(tmp_path / "ws", inputs=big_inputs)
    command = [sys.executable, "-c", "from fanpin_docs.cli import main; main()", "serve", str(workspace)]
    server = subprocess.Popen(
        [*command, "--port", "0", "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert server.stdout is not None
        address = re.search(r"http://127\.0\.0\.1:\d+/", server.stdout.readline())
        assert address, server.stderr.read() if server.stderr else ""
        with httpx.Client(base_url=address.group(0), timeout=30) as http:
            token = _page_token(http)
            run = http.post("/api/runs", json={"kind": "cards"}, headers={"X-CSRF-Token": token}).json()
            deadline = time.monotonic() + 120
            while http.get(f"/api/runs/{run['id']}").json()["done"] == 0:
                assert time.monotonic() < deadline
                time.sleep(0.05)
        os.killpg(server.pid, signal.SIGINT)  # Ctrl-C reaches the terminal's process group: the server's
        server.wait(timeout=60)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    assert 0 < assert_only_complete_files(workspace / "output") < HOUSEHOLDS
    leftover = subprocess.run(["pgrep", "-f", f"fanpin_docs.web.child {workspace}"], capture_output=True)
    assert leftover.stdout == b""


def _page_token(http: httpx.Client) -> str:
    deadline = time.monotonic() + 30
    while True:
        try:
            return csrf_of(http.get("/runs").text)
        except httpx.TransportError:
            assert time.monotonic() < deadline
            time.sleep(0.1)
