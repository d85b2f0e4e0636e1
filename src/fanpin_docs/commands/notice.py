"""fanpin notice training | industry | allowance"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ..context import RunContext, resolve
from ..documents import WrittenDocuments
from ..notices import write_class_notices, write_industry_publicity
from ..training import write_allowance_publicity
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


def _report(context: RunContext, written: WrittenDocuments, pdf: bool) -> None:
    print_notes(context.notes + list(written.notes))
    for path in written.paths:
        console.print(f"[green]已生成[/]「{escape(str(path))}」")
    if pdf:
        write_pdfs(context, written.paths)


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
    context = resolve(training=training, roster=roster, policy=policy, out=out, force=force)
    check_pdf_tools(pdf)
    _report(context, write_class_notices(context, template=template, dated=date_option(date, "--date")), pdf)


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
    context = resolve(roster=roster, measures=measures, policy=policy, out=out, force=force)
    check_pdf_tools(pdf)
    written = write_industry_publicity(
        context, township=township, start=date_option(start), template=template
    )
    _report(context, written, pdf)


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
    context = resolve(training=training, roster=roster, policy=policy, out=out, force=force)
    check_pdf_tools(pdf)
    written = write_allowance_publicity(context, start=date_option(start), dated=date_option(date, "--date"))
    _report(context, written, pdf)
