"""--pdf for the commands: check LibreOffice before anything is written, convert what was written."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import console, err_console

if TYPE_CHECKING:
    from ..context import RunContext

PdfOption = Annotated[
    bool, typer.Option("--pdf", help="同时把生成的 Word/Excel 文件转为 PDF（需要 LibreOffice）")
]


def check_pdf_tools(pdf: bool) -> None:
    """With --pdf: LibreOffice and its Python bridge are installed (else nothing is written)."""
    if pdf:
        from ..pdf import require_pdf_tools

        require_pdf_tools()


def write_pdfs(context: RunContext, files: Iterable[Path | str]) -> None:
    """A PDF beside each written document, through the warm LibreOffice pool."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..pdf import convert_outputs

    with Progress(
        TextColumn("转换 PDF"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("PDF", total=None)
        report = convert_outputs(
            context.output, files, done=lambda done, total: bar.update(task, completed=done, total=total)
        )
    console.print(
        f"[green]✓[/] PDF {len(report.pdfs)} 个（{report.instances} 个 LibreOffice 同时转换，"
        f"用时 {report.seconds:.1f} 秒）"
    )
