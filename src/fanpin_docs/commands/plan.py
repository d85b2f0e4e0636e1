"""fanpin plan"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import (
    DateOption,
    ForceOption,
    OutOption,
    PolicyOption,
    ProjectsOption,
    RosterOption,
    console,
    date_option,
    handle_errors,
    print_notes,
)


def register(app: typer.Typer) -> None:
    app.command("plan")(handle_errors(plan))


def plan(
    roster: RosterOption = None,
    projects: ProjectsOption = None,
    policy: PolicyOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    township: Annotated[
        str | None, typer.Option("--township", help="乡镇（名单含多个乡镇时必须指定）", show_default=False)
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help="方案年度（默认：fanpin.toml，否则政策文件的年度）",
            show_default=False,
            min=2015,
            max=2100,
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            help="实施方案文字模板（默认：工作区 templates/实施方案.txt，否则内置模板）",
            show_default=False,
        ),
    ] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help="同时转换为 PDF（需要 LibreOffice）")] = False,
    date: DateOption = None,
) -> None:
    """编写实施方案：以「关于印发《……实施方案》的通知」印发（GB/T 9704-2012 公文格式），户数等数字取自名单，
    衔接资金取自项目申报表，措施、标准和时间节点取自政策文件。"""
    from rich.markup import escape

    from ..context import resolve
    from ..plan import PlanOptions, run
    from ..summaries import plan_summary

    context = resolve(roster=roster, projects=projects, policy=policy, out=out, force=force)
    written = run(
        context,
        PlanOptions(
            township=township, year=year, template=template, pdf=pdf, dated=date_option(date, "--date")
        ),
        None,
    )
    result = written.detail
    assert result is not None  # the plan, always given by plan.run
    print_notes(context.notes + list(written.notes))
    for line in result.defaulted:
        console.print(f"[yellow]默认设置：[/]{escape(line)}")
    console.print(plan_summary(result), markup=False)
    for path in written.files:
        console.print(f"[green]已生成[/]「{escape(str(path))}」")
