"""Pages: the Jinja2 templates under web/templates, rendered with what every page shows (the workspace,
the navigation, the CSRF token its forms and scripts send back)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from .. import __version__
from .security import CSRF_FIELD, CSRF_HEADER, session_of

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

# (path, label): the pages in the navigation bar, in the order a clerk uses them
NAVIGATION = (
    ("/", "工作区"),
    ("/check", "检查"),
    ("/runs", "生成"),
    ("/results", "结果"),
    ("/ledger", "台账"),
)

templates = Jinja2Templates(directory=str(TEMPLATES))


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
    """The page `name` with `context` and what the base layout needs."""
    server = request.app.state.server
    session = session_of(request)
    return templates.TemplateResponse(
        request,
        name,
        {
            "workspace": server.workspace,
            "navigation": NAVIGATION,
            "current": request.url.path,
            "csrf_token": session.csrf,
            # with a password: 退出登录 once signed in; before that, nothing of the workspace shown
            "signin_required": server.password is not None,
            "signed_in": session.signed_in,
            "csrf_field": CSRF_FIELD,
            "csrf_header": CSRF_HEADER,
            "version": __version__,
            **context,
        },
        status_code=status_code,
    )
