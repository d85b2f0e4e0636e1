"""fanpin policies"""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import console, handle_errors


def register(app: typer.Typer) -> None:
    app.command("policies")(handle_errors(policies))


def policies(
    name: Annotated[
        str | None,
        typer.Argument(help="要查看的政策：内置名称或 .toml 文件路径；不填则列出全部", show_default=False),
    ] = None,
) -> None:
    """列出内置和工作区中的政策文件，或显示一个政策的全部规则（标准、条件、牵头单位、补充设定）。"""
    from rich.markup import escape
    from rich.table import Table

    from ..policy import load_policy, shipped_policies
    from ..policy.summary import RULE_HEADERS, summarize
    from ..settings import load_settings

    settings = load_settings()
    if name is None:
        table = Table("名称", "标题", "来源")
        for key, title in shipped_policies().items():
            table.add_row(key, escape(title), "内置")
        for folder in settings.policy_dirs():
            for path in sorted(folder.glob("*.toml")):
                table.add_row(path.stem, escape(load_policy(path).title), escape(str(folder)))
        console.print(table)
        console.print("查看某个政策的规则：fanpin policies 名称")
        return
    summary = summarize(load_policy(name, search_dirs=settings.policy_dirs()))
    console.print(f"[bold]{escape(summary.title)}[/]（{escape(summary.county)}，{summary.year} 年）")
    console.print(
        f"监测范围：人均纯收入 {summary.monitoring_line} 元（{escape(summary.monitoring_line_basis)}）"
    )
    for label, day in summary.deadlines:
        console.print(f"{label}：{day}")
    table = Table()
    for header in RULE_HEADERS:
        table.add_column(header, overflow="fold")
    for rule in summary.rules:
        table.add_row(
            escape(rule.name), escape(rule.standard), escape(rule.eligibility or "—"), escape(rule.lead_unit)
        )
    console.print(table)
    for note in summary.assumptions:
        console.print(f"[yellow]补充设定：[/]{escape(note)}")
