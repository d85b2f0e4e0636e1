"""`--pdf` for every command: the documents a run wrote → a PDF beside each, through the warm pool.

    from fanpin_docs.pdf import convert_outputs, require_pdf_tools

    require_pdf_tools()                       # before writing anything: LibreOffice and its bridge
    written = write_plan(context)             # any command's library call
    report = convert_outputs(context.output, written.paths)

PDFs are converted into a private folder and then written through `OutputDir` (atomically, listed in
the manifest), so neither Ctrl-C nor a failed conversion leaves a partial PDF under a final name.
A document that fails (even after its instance was restarted and it was tried again) is named in a
`ConversionError` raised after the rest of the batch is written.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..documents import writing
from ..errors import FanpinError
from ..output import OutputDir
from .fonts import check_fonts
from .office import OfficeTools, require_office_tools
from .pool import DOCUMENT_TIMEOUT, Failure, PdfPool

CONVERTIBLE = (".docx", ".xlsx")


class ConversionError(FanpinError):
    """Some documents could not be converted to PDF; the others were."""

    def __init__(self, failures: list[Failure], written: int) -> None:
        shown = "；".join(f"「{f.name}」（{f.reason}）" for f in failures[:10])
        more = f" 等 {len(failures)} 个" if len(failures) > 10 else ""
        super().__init__(
            f"{len(failures)} 个文件没能转换为 PDF：{shown}{more}；其余 {written} 个 PDF 已生成",
            hint="用 Word/WPS 或 LibreOffice 打开这些文件确认能正常显示，然后重新运行",
        )
        self.failures = failures


@dataclass(frozen=True)
class PdfReport:
    pdfs: tuple[str, ...]  # written, relative to the output folder
    instances: int
    seconds: float


_warm: list[PdfPool] = []


@contextlib.contextmanager
def keep_warm(pool: PdfPool) -> Iterator[PdfPool]:
    """Within the block, every `convert_outputs` without its own `pool` uses this started one (several
    commands in one process, or the web workbench, start LibreOffice once)."""
    _warm.append(pool)
    try:
        yield pool
    finally:
        _warm.remove(pool)


def require_pdf_tools() -> OfficeTools:
    """Check, before a command writes anything, that --pdf can work; DependencyError says what to install."""
    return require_office_tools()


def pdf_name(relative: str) -> str:
    return str(PurePosixPath(relative).with_suffix(".pdf"))


def convert_outputs(
    output: OutputDir,
    files: Iterable[Path | str],
    *,
    instances: int | None = None,
    pool: PdfPool | None = None,
    timeout: float = DOCUMENT_TIMEOUT,
    done: Callable[[int, int], None] | None = None,
) -> PdfReport:
    """Write `<name>.pdf` beside every .docx/.xlsx of `files` (paths in, or relative to, the output
    folder). Uses `pool` when given (or the one of an enclosing `keep_warm`), else starts one for this
    batch and stops it afterwards."""
    import time

    started = time.perf_counter()
    relatives = [_relative(output, file) for file in files]
    relatives = [r for r in dict.fromkeys(relatives) if PurePosixPath(r).suffix.lower() in CONVERTIBLE]
    if not relatives:
        return PdfReport((), 0, 0.0)
    targets = [pdf_name(r) for r in relatives]
    check_fonts([output.path(r) for r in relatives])
    written: list[str] = []
    with writing(output, targets), tempfile.TemporaryDirectory(prefix="fanpin-pdf-") as folder:
        jobs = [(output.path(r), Path(folder) / f"{n:06d}.pdf") for n, r in enumerate(relatives)]
        pool = pool or (_warm[-1] if _warm else None)
        if pool is None:
            count = min(instances or PdfPool().size, len(jobs))
            with PdfPool(count, timeout=timeout) as own:
                failures = own.convert(jobs, names=relatives, done=done)
                used = own.size
        else:
            failures = pool.convert(jobs, names=relatives, done=done)
            used = pool.size
        failed = {f.name for f in failures}
        for (_, produced), relative, target in zip(jobs, relatives, targets, strict=True):
            if relative not in failed:
                output.write_bytes(target, produced.read_bytes())
                written.append(target)
    if failures:
        raise ConversionError(failures, len(written))
    return PdfReport(tuple(written), used, time.perf_counter() - started)


def preview_png(document: Path, *, pool: PdfPool | None = None) -> bytes:
    """One document (a card, a 申报表, a workbook) → PNG of its first page, through `pool`, the pool of
    an enclosing `keep_warm` (warm: well under a second for a card), or else a pool started for it."""
    pool = pool or (_warm[-1] if _warm else None)
    if pool is not None:
        return pool.preview(document)
    with PdfPool(1) as own:
        return own.preview(document)


def _relative(output: OutputDir, file: Path | str) -> str:
    path = Path(file)
    for base in (output.root, output.root.absolute()):
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            continue
    return path.as_posix()
