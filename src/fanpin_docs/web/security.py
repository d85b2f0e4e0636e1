"""What keeps a server holding every household's ID number to its user: the Host check (against DNS
rebinding), one session per browser (an HttpOnly, SameSite cookie) carrying a CSRF token that every
state-changing request must send back, and the rule that a path a request names stays inside the
workspace."""

from __future__ import annotations

import ipaddress
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from fastapi import HTTPException, Request
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp

SESSION_COOKIE = "fanpin_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, port: int) -> frozenset[str] | None:
    """The Host headers the server answers: its own address (and `localhost` when bound to loopback);
    None when bound to every interface (0.0.0.0), where the password is what protects it."""
    if host in ("0.0.0.0", "::"):
        return None
    names = {host, f"[{host}]"} if ":" in host else {host}
    if is_loopback(host):
        names |= {"localhost", "127.0.0.1", "[::1]"}
    return frozenset(f"{name}:{port}" for name in names) | frozenset(names if port == 80 else ())


@dataclass
class Session:
    """One browser's session: its CSRF token and whether it has signed in (when a password is set)."""

    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    signed_in: bool = False
    created: float = field(default_factory=time.monotonic)
    seen: float = field(default_factory=time.monotonic)  # the last request that brought it


SIGNED_IN_IDLE = 8 * 3600.0  # seconds: a signed-in browser left alone this long signs in again
KEPT_SESSIONS = 10_000  # at most this many; sessions unused for an hour are forgotten sooner
UNUSED = 3600.0


class Sessions:
    """Sessions by their cookie value, kept in memory, least recently used first: restarting the server
    signs everyone out; past KEPT_SESSIONS the least recently used is forgotten (in constant time, so
    requests from another site — which carry no cookie — cannot make the table slow or grow without end)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._by_id: OrderedDict[str, Session] = OrderedDict()

    def get(self, session_id: str | None) -> Session | None:
        session = self._by_id.get(session_id) if session_id else None
        if session is None or session_id is None:
            return None
        now = self.clock()
        if session.signed_in and now - session.seen > SIGNED_IN_IDLE:
            self.drop(session_id)
            return None
        session.seen = now
        self._by_id.move_to_end(session_id)
        return session

    def new(self) -> tuple[str, Session]:
        now = self.clock()
        while self._by_id:
            oldest = next(iter(self._by_id.values()))
            if len(self._by_id) < KEPT_SESSIONS and now - oldest.seen <= UNUSED:
                break
            self._by_id.popitem(last=False)
        session_id = secrets.token_urlsafe(32)
        session = Session(created=now, seen=now)
        self._by_id[session_id] = session
        return session_id, session

    def drop(self, session_id: str) -> None:
        self._by_id.pop(session_id, None)

    def __len__(self) -> int:
        return len(self._by_id)


class GuardMiddleware(BaseHTTPMiddleware):
    """Refuses a request whose Host is not the server's; gives every browser a session; with a password
    (`signin_required`), sends a browser that has not signed in to the sign-in page."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        hosts: frozenset[str] | None,
        sessions: Sessions,
        signin_required: bool = False,
    ) -> None:
        super().__init__(app)
        self.hosts = hosts
        self.sessions = sessions
        self.signin_required = signin_required

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        host = request.headers.get("host", "")
        if self.hosts is not None and host.lower() not in self.hosts:
            return PlainTextResponse(
                "拒绝访问：请求的地址（Host）不是本工作台的地址。请用 fanpin serve 显示的地址打开。",
                status_code=400,
            )
        session_id = request.cookies.get(SESSION_COOKIE)
        session = self.sessions.get(session_id)
        # a browser without a session gets one when a page needs it (`session_of`), not on every request
        request.state.sessions = self.sessions
        request.state.session = session
        request.state.session_id = session_id if session is not None else None
        request.state.new_session = False
        signed_in = session is not None and session.signed_in
        if self.signin_required and not signed_in and not open_without_signin(request.url.path):
            response = signin_first(request)
        else:
            response = await call_next(request)
        if request.state.new_session:
            response.set_cookie(
                SESSION_COOKIE, request.state.session_id, httponly=True, samesite="strict", path="/"
            )
        # never inside another site's frame (a framed page could be clicked into 生成 or 恢复)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


SIGNIN_PATH = "/signin"


def open_without_signin(path: str) -> bool:
    """The sign-in page and the shared assets are the only things a browser sees before signing in."""
    return path == SIGNIN_PATH or path.startswith("/static/")


def signin_first(request: Request) -> Response:
    """A request from a browser that has not signed in: the page scripts get 401 in Chinese; a page
    visit goes to the sign-in page, which comes back here afterwards (`next`, a path on this site)."""
    path = request.url.path
    if path.startswith("/api/") or "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"error": "请先登录工作台（输入密码），再进行操作。"}, status_code=401)
    target = SIGNIN_PATH
    if request.method in SAFE_METHODS and path != "/":
        query = f"?{request.url.query}" if request.url.query else ""
        target += "?" + urlencode({"next": path + query})
    return RedirectResponse(target, status_code=303)


def session_of(request: Request) -> Session:
    """The browser's session, made now (and its cookie set on the response) if it has none."""
    session: Session | None = request.state.session
    if session is None:
        request.state.session_id, session = request.state.sessions.new()
        request.state.session = session
        request.state.new_session = True
    return session


FORM_TOKEN_LIMIT = 64 * 1024  # a plain form carrying the token is small; uploads send the header


async def check_csrf(request: Request) -> None:
    """A dependency of every router: a POST/PUT/PATCH/DELETE must carry the session's CSRF token, in the
    `X-CSRF-Token` header (the page's JavaScript) or the `csrf_token` form field (a plain form)."""
    if request.method in SAFE_METHODS:
        return
    session: Session | None = request.state.session
    given = request.headers.get(CSRF_HEADER)
    if (
        given is None
        and session is not None
        and request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded")
        and _declared_length(request) <= FORM_TOKEN_LIMIT
    ):
        form = await request.form(max_files=0, max_fields=100)
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if session is None or not given or not secrets.compare_digest(given, session.csrf):
        raise HTTPException(403, "请求缺少有效的安全令牌（CSRF），已拒绝。请刷新页面后再操作。")


def _declared_length(request: Request) -> int:
    try:
        return int(request.headers.get("content-length", ""))
    except ValueError:
        return FORM_TOKEN_LIMIT + 1  # a streamed body of unknown length is not read for a token


def inside_workspace(workspace: Path, relative: str) -> Path:
    """The file a request names, resolved inside the workspace (links followed); anything that would
    leave it is refused as not found, so the answer says nothing about what lies outside."""
    root = workspace.resolve()
    if not relative or "\x00" in relative or Path(relative).is_absolute():
        raise HTTPException(404, "没有这个文件。")
    candidate = (root / relative).resolve()
    if candidate != root and root not in candidate.parents:
        raise HTTPException(404, "没有这个文件。")
    return candidate
