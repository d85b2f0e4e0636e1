"""fanpin notice training | industry | allowance"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._common import (
    DateOption,
    ForceOption,
    MeasuresOption,
    OutOption,
    PolicyOption,
    RosterOption,
    TrainingOption,
    console,
    date_option,
    handle_errors,
    print_notes,
)
from ._pdf import PdfOption, check_pdf_tools, write_pdfs

if TYPE_CHECKING:
    from ..context import RunContext
    from ..documents import Report

notice_app = typer.Typer(
    help="生成通知和公示（公文格式）：培训班通知、产业补助公示、培训误工补贴公示。", no_args_is_help=True
)

StartOption = Annotated[
    str | None,
    typer.Option(
        "--start",
        help="公示开始日期（也是成文日期），如 2024-05-10（默认：fanpin.toml [documents] date，"
        "否则所依据的最晚日期当天或之后的第一个工作日）",
        show_default=False,
    ),
]
TemplateOption = Annotated[
    Path | None,
    typer.Option(
        "--template",
        help="文字模板（默认：工作区 templates/ 中的同名模板，否则内置模板）",
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(notice_app, name="notice")


def _report(context: RunContext, written: Report[Any], pdf: bool) -> None:
    from rich.markup import escape

    print_notes(context.notes + list(written.notes))
    for path in written.files:
        console.print(f"[green]已生成[/]「{escape(str(path))}」")
    if pdf:
        write_pdfs(context, written.files)


@notice_app.command("training")
@handle_errors
def training(
    training: TrainingOption = None,
    roster: RosterOption = None,
    policy: PolicyOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    template: TemplateOption = None,
    date: DateOption = None,
    pdf: PdfOption = False,
) -> None:
    """培训班开班通知：每个培训班一份，附参训学员名单（培训考勤表中的培训班信息）。"""
    from .. import notices
    from ..context import resolve

    context = resolve(training=training, roster=roster, policy=policy, out=out, force=force)
    check_pdf_tools(pdf)
    options = notices.NoticeOptions("training", template=template, dated=date_option(date, "--date"))
    _report(context, notices.run(context, options, None), pdf)


@notice_app.command("industry")
@handle_errors
def industry(
    roster: RosterOption = None,
    measures: MeasuresOption = None,
    policy: PolicyOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    start: StartOption = None,
    township: Annotated[
        str | None, typer.Option("--township", help="乡镇（名单含多个乡镇时必须指定）", show_default=False)
    ] = None,
    template: TemplateOption = None,
    pdf: PdfOption = False,
) -> None:
    """产业到户补助公示：金额按政策文件的产业补助规则计算，身份证号打码，公示期按工作日计算。"""
    from .. import notices
    from ..context import resolve

    context = resolve(roster=roster, measures=measures, policy=policy, out=out, force=force)
    check_pdf_tools(pdf)
    options = notices.NoticeOptions(
        "industry", township=township, start=date_option(start), template=template
    )
    _report(context, notices.run(context, options, None), pdf)


@notice_app.command("allowance")
@handle_errors
def allowance(
    training: TrainingOption = None,
    roster: RosterOption = None,
    policy: PolicyOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    start: StartOption = None,
    date: DateOption = None,
    pdf: PdfOption = False,
) -> None:
    """培训误工补贴公示：金额与误工补贴发放花名册一致，身份证号和银行卡号打码。"""
    from ..context import resolve
    from ..training import TrainingOptions
    from ..training import run as run_training

    context = resolve(training=training, roster=roster, policy=policy, out=out, force=force)
    check_pdf_tools(pdf)
    options = TrainingOptions(
        publicity_start=date_option(start), dated=date_option(date, "--date"), publicity_only=True
    )
    _report(context, run_training(context, options, None), pdf)
