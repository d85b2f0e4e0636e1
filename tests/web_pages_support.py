"""A workspace made by `fanpin init`, a client of its 工作台, and reading what its pages show."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from fastapi.testclient import TestClient

from fanpin_docs.web.app import ServerConfig, create_app
from fanpin_docs.workspace import init_workspace
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx

HOST = "127.0.0.1:8765"
GOOD_IDS = (make_id("19700101", 11), make_id("19720202", 12), make_id("19800303", 13))
BAD_ID = GOOD_IDS[2][:-1] + ("0" if GOOD_IDS[2][-1] != "0" else "1")  # wrong check digit


def new_workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "城东街道"
    init_workspace(folder, township="城东街道", county="重庆市黔江区", policy="qianjiang-2023")
    return folder


class Page:
    """A browser on one workspace's 工作台: its session cookie and the CSRF token its pages carry."""

    def __init__(self, workspace: Path) -> None:
        self.workspace = workspace
        self.client = TestClient(
            create_app(ServerConfig(workspace=workspace)),
            base_url=f"http://{HOST}",
            raise_server_exceptions=False,
        )
        self.token = re.search(r'name="csrf-token" content="([^"]+)"', self.client.get("/").text).group(1)  # type: ignore[union-attr]
        self.texts: list[str] = []  # every response body, to look for full ID numbers

    def _keep(self, response):  # type: ignore[no-untyped-def]
        self.texts.append(response.content.decode("utf-8", "replace"))
        return response

    def get(self, url: str):  # type: ignore[no-untyped-def]
        return self._keep(self.client.get(url))

    def post(self, url: str, **kwargs: object):  # type: ignore[no-untyped-def]
        headers = {"X-CSRF-Token": self.token, **kwargs.pop("headers", {})}  # type: ignore[dict-item]
        return self._keep(self.client.post(url, headers=headers, **kwargs))  # type: ignore[arg-type]

    def upload(self, url: str, data: bytes, name: str):  # type: ignore[no-untyped-def]
        from urllib.parse import quote

        return self.post(url, content=data, headers={"X-File-Name": quote(name)})

    def check(self) -> dict[str, dict[str, str]]:
        answer = self.post("/api/check")
        assert answer.status_code == 200, answer.text
        return {kind["kind"]: kind for kind in answer.json()["kinds"]}

    def html(self, url: str) -> lxml.html.HtmlElement:
        response = self.get(url)
        assert response.status_code in (200, 422), response.text
        return lxml.html.fromstring(response.text)


def text_of(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def roster_bytes(tmp_path: Path, *, bad: bool) -> bytes:
    """A roster of two households; with `bad`, the third person's ID (row 4) has a wrong check digit."""
    rows = [
        ROSTER_HEADER,
        roster_row("001", "张大山", GOOD_IDS[0], "户主", size=1),
        roster_row("002", "李二", GOOD_IDS[1], "户主"),
        roster_row("002", "李小妹", BAD_ID if bad else GOOD_IDS[2], "之女"),
    ]
    path = write_xlsx(tmp_path / ("bad.xlsx" if bad else "good.xlsx"), rows)
    return path.read_bytes()


def leftovers(workspace: Path) -> list[str]:
    """Temporary upload or mark folders left in the workspace."""
    return [p.name for p in workspace.rglob(".fanpin-*")]
