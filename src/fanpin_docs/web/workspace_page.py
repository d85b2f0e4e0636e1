"""工作区: the first page — the workspace the server works on."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from .rendering import render

router = APIRouter()


@router.get("/")
def workspace(request: Request) -> Response:
    return render(request, "workspace.html", title="工作区")
