"""The 工作台 application: one workspace, its pages and the guards in front of them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from . import (
    check_page,
    failures,
    inputs,
    ledger_page,
    results,
    runs,
    settings_form,
    signin,
    workspace_page,
)
from .checking import CheckCache
from .jobs import RunManager
from .ledger_reports import LedgerReports, Warmer
from .outputs import Previews
from .rendering import STATIC
from .security import GuardMiddleware, Sessions, allowed_hosts, check_csrf


@dataclass(frozen=True)
class ServerConfig:
    """What `fanpin serve` was started with."""

    workspace: Path
    host: str = "127.0.0.1"
    port: int = 8765
    password: str | None = None  # required when `host` is not loopback

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"


# every page's router; each module's `router` carries its own routes
ROUTERS = (workspace_page, settings_form, inputs, check_page, runs, results, signin, ledger_page)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """What the server stops with it: its runs (as Ctrl-C stops a command) and its preview instance."""
    yield
    await asyncio.to_thread(app.state.runs.stop)
    app.state.previews.close()


def create_app(config: ServerConfig) -> FastAPI:
    app = FastAPI(
        title="防返贫文书 工作台", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.server = config
    app.state.runs = RunManager(config.workspace)  # 生成: one run at a time, each in its own process
    app.state.previews = Previews()  # 结果: page images through one warm LibreOffice, on first use
    app.state.sessions = Sessions()
    app.state.checks = CheckCache(config.workspace)  # the input workbooks' last check (工作区, 检查)
    app.state.signin_throttle = signin.SignInThrottle()
    app.state.ledger_reports = LedgerReports()  # 台账: the tables, made once per state of the ledger
    app.state.ledger_warmer = Warmer(app.state.ledger_reports, config.workspace)
    app.add_middleware(
        GuardMiddleware,
        hosts=allowed_hosts(config.host, config.port),
        sessions=app.state.sessions,
        signin_required=config.password is not None,
    )
    failures.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in ROUTERS:
        app.include_router(module.router, dependencies=[Depends(check_csrf)])
    return app
