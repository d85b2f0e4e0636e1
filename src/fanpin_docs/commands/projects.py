"""fanpin projects"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import (
    ForceOption,
    OutOption,
    PolicyOption,
    ProjectsOption,
    console,
    handle_errors,
    print_notes,
)
from ._pdf import PdfOption, check_pdf_tools, write_pdfs

if TYPE_CHECKING:
    from ..projects import FilingResult

StrictOption = Annotated[bool, typer.Option("--strict", help="审核发现任何问题时退出码为 1（文书照常生成）")]
CategoryRosterOption = Annotated[
    Path | None,
    typer.Option(
        "--roster",
        help="户籍/监测名单（可选）：核对到户明细中的户是否在名单中（不在的不计补助）；"
        "政策的产业到户补助限定户类别时，也用来判断各户的类别",
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    app.command("projects")(handle_errors(projects))


def projects(
    projects: ProjectsOption = None,
    policy: PolicyOption = None,
    roster: CategoryRosterOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    strict: StrictOption = False,
    pdf: PdfOption = False,
) -> None:
    """生成项目申报表（每个项目一份）、项目库汇总表、审核问题清单和产业到户补助明细，并列出审核发现的问题。"""
    from ..context import resolve
    from ..projects import ProjectsOptions, run

    context = resolve(projects=projects, policy=policy, roster=roster, out=out, force=force)
    check_pdf_tools(pdf)
    ran = run(context, ProjectsOptions(), None)
    result = ran.detail
    assert result is not None  # run_filing's result, always given by projects.run
    show(result)
    console.print(
        f"已生成 {len(result.files)} 个文件，在「{context.output.root / '项目申报'}」。", markup=False
    )
    if result.outdated.removed:
        console.print(result.outdated.summary(), markup=False)
    if pdf:
        write_pdfs(context, result.files)
    if strict and result.review.findings:
        raise typer.Exit(1)


def show(result: FilingResult) -> None:
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    from ..summaries import projects_summary

    review = result.review
    if review.findings:
        table = Table(title="审核问题清单", show_lines=True)
        for header in ("序号", "项目（行）", "规则", "发现情况", "应当"):
            table.add_column(header, overflow="fold")
        for number, finding in enumerate(review.findings, start=1):
            table.add_row(
                *(
                    Text(cell)
                    for cell in (
                        str(number),
                        finding.place,
                        finding.rule.title,
                        finding.found,
                        finding.expected,
                    )
                )
            )
        console.print(table)
    status = "[green]✓[/]" if not review.findings else "[yellow]![/]"
    console.print(f"{status} {escape(projects_summary(review))}。")
    print_notes([*review.skipped, *result.notes])
