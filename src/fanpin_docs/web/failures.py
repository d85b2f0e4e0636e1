"""What a failed request shows: the CLI's Chinese message (`fanpin_docs.failures.describe_failure`,
a bug's advice worded for the page: `wording.page_failure`), as a page for a browser's navigation or
as JSON for the page's scripts; never a traceback."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, PlainTextResponse, Response

from ..errors import FanpinError
from .rendering import render
from .wording import page_failure

log = logging.getLogger("fanpin.web")

STATUS_TEXT = {404: "没有这个页面或文件。", 405: "这个地址不接受这种请求。"}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def error_response(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    if getattr(request.state, "sessions", None) is None:  # refused before the guard gave it a session
        return PlainTextResponse(message, status_code=status)
    title = "找不到" if status == 404 else "出错了"
    return render(request, "error.html", status_code=status, message=message, title=title)


def install(app: FastAPI) -> None:
    """Every error a request can meet answered in Chinese."""

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        detail = error.detail if isinstance(error.detail, str) and not error.detail.isascii() else None
        return error_response(
            request, error.status_code, detail or STATUS_TEXT.get(error.status_code, "请求有误。")
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        return error_response(request, 422, "请求的内容不完整或格式不对，请刷新页面后重试。")

    @app.exception_handler(FanpinError)
    @app.exception_handler(OSError)
    @app.exception_handler(Exception)
    async def failure(request: Request, error: Exception) -> Response:
        described = page_failure(error)
        if described.is_bug:
            log.exception("工作台内部错误")
        return error_response(request, 500 if described.is_bug else 400, described.text)
