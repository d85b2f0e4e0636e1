"""fanpin init"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..constants import SETTINGS_FILE
from ._common import console, handle_errors, print_notes


def register(app: typer.Typer) -> None:
    app.command("init")(handle_errors(init))


def init(
    folder: Annotated[Path, typer.Argument(help="工作区文件夹（不存在时新建）")] = Path("."),
    township: Annotated[str, typer.Option("--township", help="乡镇（街道）名称，如 城东街道")] = "",
    county: Annotated[str, typer.Option("--county", help="区县全称（默认取政策文件中的区县）")] = "",
    year: Annotated[
        int | None, typer.Option("--year", help="工作年度（默认取政策文件的年度）", show_default=False)
    ] = None,
    policy: Annotated[
        str | None,
        typer.Option(
            "--policy", help="政策：内置名称（如 qianjiang-2023）或 .toml 文件路径", show_default=False
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help=f"已有 {SETTINGS_FILE} 时重写它（其他已有文件一律不覆盖）")
    ] = False,
) -> None:
    """新建工作区：设置文件 fanpin.toml、四种空白输入工作簿（含示例行、说明和下拉选项）、模板和政策文件的副本。"""
    from ..workspace import init_workspace

    result = init_workspace(folder, township=township, county=county, year=year, policy=policy, force=force)
    console.print(f"已在「{result.root}」建立工作区：")
    for path in result.written:
        console.print(f"  [green]+[/] {path.relative_to(result.root)}", markup=True)
    for path in result.kept:
        console.print(f"  [yellow]=[/] {path.relative_to(result.root)}（已存在，未覆盖）")
    print_notes(result.notes)
    console.print(
        f"下一步：在工作簿中填入本乡镇的数据（先删除示例行），核对 {SETTINGS_FILE}，然后运行 fanpin check。"
    )
