"""Running the 工作台: bind the socket first (so a port in use is told in Chinese, and port 0 gets a
free one we can print), then hand it to uvicorn; open the browser once the server answers."""

from __future__ import annotations

import errno
import socket
import threading
import webbrowser
from dataclasses import dataclass
from pathlib import Path

from ..errors import SettingsError
from .app import ServerConfig


@dataclass
class Listening:
    socket: socket.socket
    host: str

    @property
    def port(self) -> int:
        return int(self.socket.getsockname()[1])

    def config(self, workspace: Path, password: str | None) -> ServerConfig:
        return ServerConfig(workspace=workspace, host=self.host, port=self.port, password=password)


def bind(host: str, port: int) -> Listening:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as error:
        listener.close()
        if error.errno == errno.EADDRINUSE:
            raise SettingsError(
                f"端口 {port} 已被占用（可能已经打开了一个工作台）",
                hint="用 --port 换一个端口，如 --port 8766；或先关闭另一个工作台",
            ) from None
        raise SettingsError(
            f"无法在 {host}:{port} 上启动工作台：{error.strerror or error}",
            hint="检查 --host 是不是本机的地址，或换一个 --port",
        ) from None
    listener.listen(64)
    return Listening(listener, host)


def run_server(listening: Listening, config: ServerConfig, *, open_browser: bool) -> None:
    """Serve until Ctrl+C."""
    import uvicorn

    from .app import create_app

    server = uvicorn.Server(
        uvicorn.Config(create_app(config), log_level="warning", access_log=False, lifespan="on")
    )
    if open_browser:
        threading.Thread(target=_open_when_started, args=(server, config.address), daemon=True).start()
    server.run(sockets=[listening.socket])


def _open_when_started(server: object, address: str) -> None:
    import time

    for _ in range(200):
        if getattr(server, "started", False):
            webbrowser.open(address)
            return
        time.sleep(0.05)
