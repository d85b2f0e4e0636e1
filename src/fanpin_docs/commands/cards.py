"""fanpin cards"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._common import (
    ForceOption,
    MeasuresOption,
    OutOption,
    PolicyOption,
    RosterOption,
    console,
    err_console,
    handle_errors,
    print_notes,
    progress_bar,
)


def register(app: typer.Typer) -> None:
    app.command("cards")(handle_errors(cards))


def cards(
    roster: RosterOption = None,
    measures: MeasuresOption = None,
    policy: PolicyOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    village: Annotated[
        list[str] | None,
        typer.Option(
            "--village",
            help="只生成这个行政村（可重复使用，如 --village 红岩村 --village 石门村）",
            show_default=False,
        ),
    ] = None,
    household: Annotated[
        list[str] | None,
        typer.Option("--household", help="只生成这一户（户编号，可重复使用）", show_default=False),
    ] = None,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="同时把全村打印文件转为 PDF（需要 LibreOffice）")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=1, help="同时工作的进程数（默认：户数多时用全部 CPU 核）", show_default=False
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            help="明白卡模板 .docx（默认：工作区 templates/明白卡.docx，否则内置模板）",
            show_default=False,
        ),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="动态监测台账数据库，明白卡的「收入变化」一行取自其中的往期（默认：工作区的 台账.sqlite，"
            "不在工作区时在输出文件夹旁边；没有时不印这一行）",
            show_default=False,
        ),
    ] = None,
) -> None:
    """生成明白卡：每户一张（政策落实情况和收入明细），每村一个打印文件，以及明白卡清单。"""
    from rich.markup import escape

    from ..cards import CardsOptions, run
    from ..context import resolve
    from ..ledger import income_source
    from ..summaries import cards_summary

    context = resolve(roster=roster, measures=measures, policy=policy, out=out, force=force)
    with progress_bar("生成明白卡") as done:
        ran = run(
            context,
            CardsOptions(
                villages=village or (),
                households=household or (),
                pdf=pdf,
                workers=workers,
                template=template,
                income_source=income_source(context, db),
            ),
            done,
        )
    report = ran.detail
    assert report is not None  # make_cards' report, always given by cards.run
    for note in report.repairs:
        err_console.print(f"[yellow]模板修复：[/]{escape(note.describe())}")
    print_notes(list(report.notes))
    written, amounts = cards_summary(report, pdf=pdf)
    console.print(f"[green]✓[/] {escape(written)}")
    console.print(f"  {escape(amounts)}")
    if report.outdated.removed:
        console.print(f"  {escape(report.outdated.summary())}")
    phases = "，".join(f"{name} {seconds:.1f}" for name, seconds in report.timings.items())
    console.print(
        f"  用时 {report.seconds:.1f} 秒（{phases}；{report.workers} 个进程），输出文件夹：{context.output.root}"
    )
