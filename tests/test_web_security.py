"""The 工作台's guards: Host check, session cookie, CSRF token, paths kept inside the workspace, and
`fanpin serve`'s refusals."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from fastapi import APIRouter, Depends, HTTPException
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from fanpin_docs.cli import app as cli
from fanpin_docs.web.app import ServerConfig, create_app
from fanpin_docs.web.security import SESSION_COOKIE, check_csrf, inside_workspace

HOST = "127.0.0.1:8765"


def client_for(workspace: Path, **config: object) -> TestClient:
    app = create_app(ServerConfig(workspace=workspace, **config))  # type: ignore[arg-type]
    probe = APIRouter()

    @probe.post("/api/probe")
    def changed() -> dict[str, bool]:
        return {"changed": True}

    app.include_router(probe, dependencies=[Depends(check_csrf)])
    return TestClient(app, base_url=f"http://{HOST}", raise_server_exceptions=False)


def csrf_of(page: str) -> str:
    marker = '<meta name="csrf-token" content="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_first_page_sets_an_http_only_same_site_session(tmp_path: Path) -> None:
    client = client_for(tmp_path)
    response = client.get("/")
    assert response.status_code == 200
    assert "工作区" in response.text
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie


@pytest.mark.parametrize("host", ["evil.example:8765", "127.0.0.1:9999", "attacker.test"])
def test_a_foreign_host_is_refused(tmp_path: Path, host: str) -> None:
    response = client_for(tmp_path).get("/", headers={"Host": host})
    assert response.status_code == 400
    assert "Host" in response.text and "拒绝" in response.text
    assert "set-cookie" not in response.headers


def test_localhost_is_the_same_server(tmp_path: Path) -> None:
    assert client_for(tmp_path).get("/", headers={"Host": "localhost:8765"}).status_code == 200


def test_a_change_needs_the_session_csrf_token(tmp_path: Path) -> None:
    client = client_for(tmp_path)
    token = csrf_of(client.get("/").text)
    missing = client.post("/api/probe")
    assert missing.status_code == 403
    assert "CSRF" in missing.json()["error"]
    wrong = client.post("/api/probe", headers={"X-CSRF-Token": token[:-1] + "x"})
    assert wrong.status_code == 403
    assert client.post("/api/probe", headers={"X-CSRF-Token": token}).json() == {"changed": True}
    form = client.post("/api/probe", data={"csrf_token": token})
    assert form.status_code == 200


def test_another_browser_cannot_use_a_token_it_did_not_get(tmp_path: Path) -> None:
    app_client = client_for(tmp_path)
    token = csrf_of(app_client.get("/").text)
    stranger = TestClient(app_client.app, base_url=f"http://{HOST}", raise_server_exceptions=False)
    assert stranger.post("/api/probe", headers={"X-CSRF-Token": token}).status_code == 403


def test_errors_are_chinese_pages(tmp_path: Path) -> None:
    response = client_for(tmp_path).get("/no-such-page")
    assert response.status_code == 404
    assert "没有这个页面" in response.text and "Traceback" not in response.text
    assert "<title>找不到 · 防返贫文书工作台</title>" in response.text  # the tab says what happened


def test_paths_stay_inside_the_workspace(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    (workspace / "output").mkdir(parents=True)
    (workspace / "output" / "a.docx").write_bytes(b"x")
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    (workspace / "link").symlink_to(outside)
    assert inside_workspace(workspace, "output/a.docx") == (workspace / "output" / "a.docx").resolve()
    for name in ("../secret.txt", "output/../../secret.txt", str(outside), "link", "", "a\x00b"):
        with pytest.raises(HTTPException) as refused:
            inside_workspace(workspace, name)
        assert refused.value.status_code == 404


def test_serve_refuses_another_host_without_a_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FANPIN_PASSWORD", raising=False)
    result = CliRunner().invoke(cli, ["serve", str(tmp_path), "--host", "0.0.0.0", "--no-browser"])
    assert result.exit_code == 1
    assert "必须设置登录密码" in result.output
    assert not (tmp_path / "fanpin.toml").exists()


def test_serve_says_when_the_port_is_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", str(tmp_path), "--port", str(port), "--no-browser"])
    assert result.exit_code == 1
    assert f"端口 {port} 已被占用" in result.output
    assert not (tmp_path / "fanpin.toml").exists()


def test_every_route_that_changes_something_refuses_a_request_without_the_token(tmp_path: Path) -> None:
    """Every POST/PUT/PATCH/DELETE route of every page module, called without the token: refused."""
    import re

    from fastapi.routing import APIRoute

    from fanpin_docs.web.app import ROUTERS

    client = client_for(tmp_path)
    client.get("/")
    unsafe = [
        (method, re.sub(r"\{[^}]+\}", "x", route.path))
        for module in ROUTERS
        for route in module.router.routes
        if isinstance(route, APIRoute)
        for method in route.methods - {"GET", "HEAD", "OPTIONS"}
    ] + [("POST", "/api/probe")]
    for method, path in unsafe:
        response = client.request(method, path)
        assert response.status_code == 403, f"{method} {path}: {response.status_code}"


def test_no_page_can_be_framed_by_another_site(tmp_path: Path) -> None:
    response = client_for(tmp_path).get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_a_request_from_another_site_leaves_no_session_behind(tmp_path: Path) -> None:
    client = client_for(tmp_path)
    sessions = client.app.state.sessions  # type: ignore[attr-defined]
    for _ in range(20):
        refused = client.post("/api/probe", headers={"X-CSRF-Token": "guess"})
        assert refused.status_code == 403
        assert "set-cookie" not in refused.headers
        client.cookies.clear()
    assert len(sessions) == 0


def test_sessions_are_capped_least_recently_used_first(monkeypatch: pytest.MonkeyPatch) -> None:
    from fanpin_docs.web import security

    monkeypatch.setattr(security, "KEPT_SESSIONS", 3)
    sessions = security.Sessions(clock=lambda: 0.0)
    first, _ = sessions.new()
    second, _ = sessions.new()
    third, _ = sessions.new()
    assert sessions.get(first) is not None  # used again: now the most recent
    sessions.new()
    assert len(sessions) == 3
    assert sessions.get(second) is None  # the least recently used went
    assert sessions.get(first) is not None and sessions.get(third) is not None


def test_a_token_is_read_only_from_a_small_plain_form(tmp_path: Path) -> None:
    client = client_for(tmp_path)
    token = csrf_of(client.get("/").text)
    as_upload = client.post("/api/probe", files={"f": ("a.txt", b"x")}, data={"csrf_token": token})
    assert as_upload.status_code == 403  # uploads send the header; their bodies are not parsed for it
    padded = client.post("/api/probe", data={"csrf_token": token, "pad": "x" * 70_000})
    assert padded.status_code == 403
    assert client.post("/api/probe", data={"csrf_token": token}).status_code == 200
