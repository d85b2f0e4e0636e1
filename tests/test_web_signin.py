"""Signing in to a 工作台 started with a password: everything but the sign-in page and the shared assets
needs a signed-in session; a wrong password is refused and, repeated, throttled per address; signing
in gives a new session id; `next` stays on the site; signing out ends the session. Without a password
nothing of this applies."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from fanpin_docs.web import security
from fanpin_docs.web.app import ServerConfig, create_app
from fanpin_docs.web.security import SESSION_COOKIE, SIGNED_IN_IDLE
from fanpin_docs.web.signin import FIRST_WAIT, FREE_ATTEMPTS, safe_next, wait_text

HOST = "127.0.0.1:8765"
PASSWORD = "春耕-2024 秘密"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def client_for(workspace: Path, password: str | None = PASSWORD) -> TestClient:
    app = create_app(ServerConfig(workspace=workspace, password=password))
    return TestClient(app, base_url=f"http://{HOST}", raise_server_exceptions=False, follow_redirects=False)


def csrf_of(page: str) -> str:
    marker = '<meta name="csrf-token" content="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def sign_in(client: TestClient, password: str = PASSWORD, target: str = "/") -> httpx.Response:
    token = csrf_of(client.get("/signin").text)
    return client.post("/signin", data={"password": password, "next": target, "csrf_token": token})


def test_pages_send_a_browser_that_has_not_signed_in_to_the_sign_in_page(tmp_path: Path) -> None:
    client = client_for(tmp_path)
    for path, target in (
        ("/", "/signin"),
        ("/ledger", "/signin?next=%2Fledger"),
        ("/ledger?from=2023Q1&to=2023Q2", "/signin?next=%2Fledger%3Ffrom%3D2023Q1%26to%3D2023Q2"),
    ):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"] == target
    page = client.get("/signin")
    assert page.status_code == 200
    assert '<label for="password">密码</label>' in page.text
    assert ">登录</button>" in page.text
    assert 'name="csrf_token"' in page.text
    # nothing of the workspace before signing in: no navigation, no folder, no 退出登录
    assert str(tmp_path) not in page.text and 'aria-label="主导航"' not in page.text
    assert "退出登录" not in page.text
    assert client.get("/static/app.css").status_code == 200


def test_the_api_answers_401_in_chinese(tmp_path: Path) -> None:
    client = client_for(tmp_path)
    token = csrf_of(client.get("/signin").text)
    for method, path in (("GET", "/api/anything"), ("POST", "/api/ledger/periods")):
        response = client.request(method, path, headers={"X-CSRF-Token": token})
        assert response.status_code == 401, path
        assert response.json() == {"error": "请先登录工作台（输入密码），再进行操作。"}
    # a page's form posted without signing in stores nothing: it is sent to sign in
    refused = client.post("/ledger/download/changes", data={"csrf_token": token})
    assert refused.status_code == 303 and refused.headers["location"] == "/signin"


def test_signing_in_opens_the_pages_with_a_new_session_id(tmp_path: Path) -> None:
    client = client_for(tmp_path)
    client.get("/signin")
    before = client.cookies[SESSION_COOKIE]
    response = sign_in(client, target="/ledger?from=2023Q1")
    assert response.status_code == 303
    assert response.headers["location"] == "/ledger?from=2023Q1"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    after = client.cookies[SESSION_COOKIE]
    assert after != before
    page = client.get("/")
    assert page.status_code == 200 and "退出登录" in page.text
    # the id known before signing in (session fixation) is worth nothing now
    stranger = TestClient(client.app, base_url=f"http://{HOST}", follow_redirects=False)
    stranger.cookies.set(SESSION_COOKIE, before)
    assert stranger.get("/").status_code == 303


def test_a_wrong_password_is_refused(tmp_path: Path) -> None:
    client = client_for(tmp_path)
    response = sign_in(client, password=PASSWORD + "x")
    assert response.status_code == 401
    assert "密码不对" in response.text and 'role="alert"' in response.text
    assert client.get("/").status_code == 303
    assert sign_in(client, password="").status_code == 401


def test_the_sign_in_form_needs_its_csrf_token(tmp_path: Path) -> None:
    client = client_for(tmp_path)
    client.get("/signin")
    response = client.post("/signin", data={"password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/").status_code == 303


def test_repeated_wrong_passwords_are_throttled_per_address(tmp_path: Path) -> None:
    client = client_for(tmp_path)
    clock = Clock()
    client.app.state.signin_throttle.clock = clock  # type: ignore[attr-defined]
    for _ in range(FREE_ATTEMPTS - 1):
        assert sign_in(client, password="猜一猜").status_code == 401
    last = sign_in(client, password="猜一猜")
    assert last.status_code == 401 and f"请 {wait_text(FIRST_WAIT)}后再试" in last.text
    # while it waits even the right password is refused, and says how long is left
    clock.now += 10
    waiting = sign_in(client)
    assert waiting.status_code == 429
    assert "请 20 秒后再试" in waiting.text
    assert client.get("/").status_code == 303
    # another address is not held up by this one's failures
    other = TestClient(
        client.app, base_url=f"http://{HOST}", client=("192.0.2.7", 50000), follow_redirects=False
    )
    assert sign_in(other).status_code == 303
    # the wait doubles with each further failure
    clock.now += 21
    doubled = sign_in(client, password="再猜")
    assert doubled.status_code == 401 and f"请 {wait_text(2 * FIRST_WAIT)}后再试" in doubled.text
    clock.now += 2 * FIRST_WAIT + 1
    assert sign_in(client).status_code == 303
    # a success forgets the failures
    client.post("/signout", data={"csrf_token": csrf_of(client.get("/").text)})
    forgotten = sign_in(client, password="错")
    assert forgotten.status_code == 401 and "后再试" not in forgotten.text


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "\\\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "/\r\nSet-Cookie: x=1",
        "evil.example",
        "/signin",
        "",
    ],
)
def test_next_cannot_leave_the_site(tmp_path: Path, target: str) -> None:
    assert safe_next(target) == "/"
    client = client_for(tmp_path)
    response = sign_in(client, target=target)
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_next_keeps_a_path_on_the_site() -> None:
    assert safe_next("/ledger?from=2023Q1&to=2023Q2") == "/ledger?from=2023Q1&to=2023Q2"
    assert safe_next("/results") == "/results"


def test_signing_out_ends_the_session(tmp_path: Path) -> None:
    client = client_for(tmp_path)
    sign_in(client)
    page = client.get("/")
    assert page.status_code == 200
    signed_in = client.cookies[SESSION_COOKIE]
    assert client.post("/signout").status_code == 403  # needs the page's token like every change
    response = client.post("/signout", data={"csrf_token": csrf_of(page.text)})
    assert response.status_code == 303 and response.headers["location"] == "/signin"
    assert client.get("/").status_code == 303
    stranger = TestClient(client.app, base_url=f"http://{HOST}", follow_redirects=False)
    stranger.cookies.set(SESSION_COOKIE, signed_in)
    assert stranger.get("/").status_code == 303


def test_without_a_password_nothing_changes(tmp_path: Path) -> None:
    client = client_for(tmp_path, password=None)
    page = client.get("/")
    assert page.status_code == 200
    assert "退出登录" not in page.text and 'aria-label="主导航"' in page.text
    assert client.get("/signin?next=/ledger").headers["location"] == "/ledger"


def test_wait_text() -> None:
    assert wait_text(30) == "30 秒"
    assert wait_text(29.2) == "30 秒"
    assert wait_text(60) == "1 分钟"
    assert wait_text(96) == "1 分 36 秒"


def test_a_signed_in_browser_left_alone_signs_in_again(tmp_path: Path) -> None:
    client = client_for(tmp_path)
    clock = Clock()
    client.app.state.sessions.clock = clock  # type: ignore[attr-defined]
    sign_in(client)
    clock.now += SIGNED_IN_IDLE - 60
    assert client.get("/").status_code == 200  # in use: the idle time starts again
    clock.now += SIGNED_IN_IDLE - 60
    assert client.get("/").status_code == 200
    clock.now += SIGNED_IN_IDLE + 1
    assert client.get("/").headers["location"] == "/signin"


def test_unused_sessions_are_forgotten_when_there_are_many(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(security, "KEPT_SESSIONS", 3)
    sessions = security.Sessions(clock=Clock())
    ids = [sessions.new()[0] for _ in range(3)]
    sessions.clock.now += security.UNUSED + 1  # type: ignore[attr-defined]
    assert sessions.get(ids[0]) is not None  # still in use
    sessions.new()
    assert len(sessions) == 2 and sessions.get(ids[1]) is None and sessions.get(ids[0]) is not None
