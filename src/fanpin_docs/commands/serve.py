"""fanpin serve"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ..errors import SettingsError
from ._common import console, handle_errors, print_notes

PASSWORD_VARIABLE = "FANPIN_PASSWORD"


def register(app: typer.Typer) -> None:
    app.command("serve")(handle_errors(serve))


def serve(
    folder: Annotated[Path, typer.Argument(help="工作区文件夹（新文件夹会先建成工作区）")] = Path("."),
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="端口（0：任选一个空闲端口）")] = 8765,
    host: Annotated[
        str, typer.Option("--host", help="监听地址（默认只允许本机访问；其他地址必须设置密码）")
    ] = "127.0.0.1",
    no_browser: Annotated[bool, typer.Option("--no-browser", help="不自动打开浏览器")] = False,
    password_file: Annotated[
        Path | None,
        typer.Option(
            "--password-file",
            help=f"登录密码所在的文本文件（也可用环境变量 {PASSWORD_VARIABLE}）；--host 不是本机地址时必需",
            show_default=False,
        ),
    ] = None,
) -> None:
    """打开工作台：在浏览器中上传工作簿、检查、生成和下载文书（只在本机运行，数据不出本机）。"""
    from ..constants import SETTINGS_FILE
    from ..web.security import is_loopback
    from ..web.server import bind, run_server

    password = _password(password_file)
    if not is_loopback(host) and not password:
        raise SettingsError(
            f"--host {host} 会让其他电脑也能访问工作台，必须设置登录密码",
            hint=f"用 --password-file 给出密码文件，或设置环境变量 {PASSWORD_VARIABLE}；只在本机使用时去掉 --host",
        )
    folder = folder.resolve()
    listening = bind(host, port)  # first: a port in use leaves no new workspace behind
    if not (folder / SETTINGS_FILE).is_file():
        from ..workspace import init_workspace

        result = init_workspace(folder)
        console.print(f"「{folder}」还不是工作区，已新建（fanpin.toml、空白工作簿和模板）。")
        print_notes(result.notes)
    config = listening.config(folder, password)
    console.print(f"工作台已启动：{config.address}（工作区：{folder}）")
    console.print("在浏览器中打开上面的地址；按 Ctrl+C 停止。")
    run_server(listening, config, open_browser=not no_browser)


def _password(path: Path | None) -> str | None:
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8").strip()
        except OSError as error:
            raise SettingsError(
                f"无法读取密码文件「{path}」：{error.strerror or error}", hint="检查 --password-file 的路径"
            ) from None
        if not text:
            raise SettingsError(f"密码文件「{path}」是空的", hint="在文件第一行写上密码")
        return text
    return os.environ.get(PASSWORD_VARIABLE) or None
