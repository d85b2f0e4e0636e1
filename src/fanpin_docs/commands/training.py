"""fanpin training"""

from __future__ import annotations

from typing import Annotated

import typer

from ._common import (
    DateOption,
    ForceOption,
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

StartOption = Annotated[
    str | None,
    typer.Option(
        "--start",
        help="误工补贴公示开始日期，如 2023-06-19（默认：--date 或 fanpin.toml 的 [documents] date，"
        "否则最后一个培训班结业当天或之后的第一个工作日）",
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    app.command("training")(handle_errors(training))


def training(
    training: TrainingOption = None,
    roster: RosterOption = None,
    policy: PolicyOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    start: StartOption = None,
    date: DateOption = None,
    pdf: PdfOption = False,
) -> None:
    """生成培训文书：每个培训班的花名册、签到表、误工补贴发放花名册，以及补贴汇总表和误工补贴公示。"""
    from ..context import resolve
    from ..money import format_amount
    from ..training import TrainingOptions, run

    context = resolve(training=training, roster=roster, policy=policy, out=out, force=force)
    check_pdf_tools(pdf)
    ran = run(
        context, TrainingOptions(publicity_start=date_option(start), dated=date_option(date, "--date")), None
    )
    result = ran.detail
    assert result is not None  # only a publicity_only run has no detail
    print_notes(list(ran.notes))
    console.print(
        f"已生成 {result.classes} 个培训班的文书，共 {len(result.files)} 个文件，在「{result.output_root}」："
    )
    console.print(
        f"  学员 {result.enrolments} 人次，发放误工补贴 {result.paid} 人次，"
        f"合计 {format_amount(result.total)} 元"
    )
    if ran.outdated.removed:
        console.print(f"  {ran.outdated.summary()}", markup=False)
    if pdf:
        write_pdfs(context, ran.files)
