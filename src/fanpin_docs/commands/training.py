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
    from ..summaries import training_summary
    from ..training import TrainingOptions, run

    context = resolve(training=training, roster=roster, policy=policy, out=out, force=force)
    check_pdf_tools(pdf)
    ran = run(
        context, TrainingOptions(publicity_start=date_option(start), dated=date_option(date, "--date")), None
    )
    result = ran.detail
    assert result is not None  # only a publicity_only run has no detail
    print_notes(list(ran.notes))
    written, payments = training_summary(result)
    console.print(f"已生成 {written}，在「{result.output_root}」：", markup=False)
    console.print(f"  {payments}", markup=False)
    if ran.outdated.removed:
        console.print(f"  {ran.outdated.summary()}", markup=False)
    if pdf:
        write_pdfs(context, ran.files)
