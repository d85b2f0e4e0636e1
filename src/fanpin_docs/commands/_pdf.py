"""--pdf for the commands: check LibreOffice before anything is written, convert what was written."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import console, progress_bar

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
    from ..pdf import convert_outputs

    with progress_bar("转换 PDF") as done:
        report = convert_outputs(context.output, files, done=done)
    console.print(
        f"[green]✓[/] PDF {len(report.pdfs)} 个（{report.instances} 个 LibreOffice 同时转换，"
        f"用时 {report.seconds:.1f} 秒）"
    )
