"""What the 工作台's route tests share: a workspace with inputs, a client with its CSRF token, waiting
for a run, and the fingerprints of an output folder."""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from cards_support import write_inputs
from fanpin_docs.web.app import ServerConfig, create_app
from fanpin_docs.workspace import init_workspace

HOST = "127.0.0.1:8765"
BOOKKEEPING = (".fanpin-",)


def make_workspace(folder: Path, *, households: dict | None = None, inputs: Path | None = None) -> Path:
    """`fanpin init` (its example workbooks), then the test roster and ledger in place of theirs
    (or the roster and ledger prepared in `inputs`, copied)."""
    init_workspace(folder, township="城东街道", policy="qianjiang-2023")
    if inputs is not None:
        for name in ("户籍监测名单.xlsx", "帮扶措施台账.xlsx"):
            shutil.copyfile(inputs / name, folder / name)
    elif households is not None:
        write_inputs(folder, households=households, ledger=[])
    else:
        write_inputs(folder)
    return folder.resolve()


@contextmanager
def workbench(workspace: Path) -> Iterator[tuple[TestClient, str]]:
    """A started server (lifespan included) for `workspace`, and this browser's CSRF token."""
    app = create_app(ServerConfig(workspace=workspace))
    with TestClient(app, base_url=f"http://{HOST}", raise_server_exceptions=False) as client:
        yield client, csrf_of(client.get("/runs").text)


def csrf_of(page: str) -> str:
    marker = '<meta name="csrf-token" content="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def start(client: TestClient, token: str, **fields: Any) -> Any:
    return client.post("/api/runs", json=fields, headers={"X-CSRF-Token": token})


def wait_for(client: TestClient, run_id: str, *, until: Any = None, timeout: float = 120) -> dict[str, Any]:
    """Poll the run as the page does until `until(run)` (default: it has ended); every state seen is
    checked to move forward only."""
    deadline = time.monotonic() + timeout
    last_done = 0
    while True:
        run = client.get(f"/api/runs/{run_id}").json()
        assert run["done"] >= last_done or run["done"] == 0, run  # a new phase starts again from 0
        last_done = run["done"]
        if (until or (lambda r: r["state"] != "running"))(run):
            return dict(run)
        assert time.monotonic() < deadline, f"run still {run['state']} after {timeout} s: {run}"
        time.sleep(0.02)


def digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file the tool wrote under `folder` (its own bookkeeping files left out)."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(BOOKKEEPING)
    }
