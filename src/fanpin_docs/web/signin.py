"""Signing in to a 工作台 started with a password (`fanpin serve --password-file`, required for a host
other than this computer): the sign-in page, signing out, and the throttle on wrong passwords.

The password is compared as hashes (`secrets.compare_digest` of two SHA-256 digests, so neither the
time taken nor the comparison depends on its length). Signing in gives the browser a new session (a
session id known before signing in is worth nothing afterwards). After `FREE_ATTEMPTS` wrong
passwords from one address, that address is refused for a wait that doubles with each further
failure; the page says how long. Nothing here sleeps: a refused attempt is answered at once.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from .rendering import render
from .security import SESSION_COOKIE, SIGNIN_PATH, session_of

router = APIRouter()

FREE_ATTEMPTS = 5  # wrong passwords from one address before it has to wait
FIRST_WAIT = 30.0  # seconds, after the FREE_ATTEMPTS-th failure; doubled for each one after it
LONGEST_WAIT = 15 * 60.0
FORGET_AFTER = 60 * 60.0  # an address with no failure for this long starts again from nothing
KEPT_ADDRESSES = 10_000  # above this, addresses that are neither waiting nor recent are forgotten


@dataclass
class _Failures:
    count: int = 0
    until: float = 0.0  # refused before this moment
    last: float = 0.0


class SignInThrottle:
    """Wrong passwords counted per client address (in memory: a restart forgets them)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._by_address: dict[str, _Failures] = {}
        self._lock = threading.Lock()

    def wait(self, address: str) -> float:
        """Seconds this address must still wait before it may try again (0: it may try now)."""
        with self._lock:
            failures = self._by_address.get(address)
            return max(0.0, failures.until - self.clock()) if failures else 0.0

    def failed(self, address: str) -> float:
        """Count a wrong password; the wait it earns (0 while the address has attempts left)."""
        now = self.clock()
        with self._lock:
            failures = self._by_address.get(address)
            if failures is None or now - failures.last > FORGET_AFTER:
                if len(self._by_address) >= KEPT_ADDRESSES:
                    self._forget_old(now)
                failures = self._by_address[address] = _Failures()
            failures.count += 1
            failures.last = now
            if failures.count < FREE_ATTEMPTS:
                return 0.0
            wait = min(FIRST_WAIT * 2 ** (failures.count - FREE_ATTEMPTS), LONGEST_WAIT)
            failures.until = now + wait
            return wait

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._by_address.pop(address, None)

    def _forget_old(self, now: float) -> None:
        for address, failures in list(self._by_address.items()):
            if failures.until <= now and now - failures.last > FIRST_WAIT:
                del self._by_address[address]


def password_matches(given: str, password: str) -> bool:
    def digest(text: str) -> bytes:
        return hashlib.sha256(text.encode("utf-8")).digest()

    return secrets.compare_digest(digest(given), digest(password))


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site, never another site (an open redirect)."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(character) < 32 or ord(character) == 127 for character in target)
    ):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path in (SIGNIN_PATH, "/signout"):
        return "/"
    return target


def wait_text(seconds: float) -> str:
    """`95.2` → `1 分 36 秒`: a wait as the page says it (rounded up)."""
    whole = int(-(-seconds // 1))
    minutes, rest = divmod(whole, 60)
    if not minutes:
        return f"{rest} 秒"
    return f"{minutes} 分" + (f" {rest} 秒" if rest else "钟")


def _password(request: Request) -> str | None:
    password: str | None = request.app.state.server.password
    return password


def _throttle(request: Request) -> SignInThrottle:
    throttle: SignInThrottle = request.app.state.signin_throttle
    return throttle


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get(SIGNIN_PATH)
def signin_page(request: Request, target: Annotated[str | None, Query(alias="next")] = None) -> Response:
    if _password(request) is None or session_of(request).signed_in:
        return RedirectResponse(safe_next(target), status_code=303)
    return render(request, "signin.html", title="登录", next=safe_next(target), message=None)


@router.post(SIGNIN_PATH)
def signin(
    request: Request,
    password: Annotated[str, Form()] = "",
    target: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    expected = _password(request)
    target = safe_next(target)
    if expected is None:
        return RedirectResponse(target, status_code=303)
    throttle, address = _throttle(request), _address(request)
    wait = throttle.wait(address)
    if wait:
        message = f"密码连续输错次数过多，请 {wait_text(wait)}后再试。"
        return render(request, "signin.html", 429, title="登录", next=target, message=message)
    if not password_matches(password, expected):
        wait = throttle.failed(address)
        message = "密码不对，请重新输入。" + (f"因连续输错，请 {wait_text(wait)}后再试。" if wait else "")
        return render(request, "signin.html", 401, title="登录", next=target, message=message)
    throttle.succeeded(address)
    sessions = request.app.state.sessions
    sessions.drop(request.state.session_id)
    session_id, session = sessions.new()  # a new id: one known before signing in is now worthless
    session.signed_in = True
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, session_id, httponly=True, samesite="strict", path="/")
    return response


@router.post("/signout")
def signout(request: Request) -> Response:
    request.app.state.sessions.drop(request.state.session_id)
    response = RedirectResponse(SIGNIN_PATH if _password(request) else "/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response
