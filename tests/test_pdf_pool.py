"""The warm LibreOffice pool: a killed or hung instance is restarted and its document retried, a document
that cannot be converted is reported by name while the rest goes on, previews come out as PNG, and no
soffice outlives the pool."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pymupdf
import pytest
from docx import Document
from openpyxl import Workbook

from fanpin_docs.output import MANIFEST, OutputDir
from fanpin_docs.pdf import (
    ConversionError,
    PdfPool,
    convert_outputs,
    find_soffice,
    find_uno_python,
    keep_warm,
    preview_png,
)

pytestmark = [
    pytest.mark.pdf,
    pytest.mark.skipif(
        sys.platform == "win32" or find_soffice() is None or find_uno_python(find_soffice() or "") is None,
        reason="needs LibreOffice with python3-uno, and POSIX signals",
    ),
]


@pytest.fixture(scope="module")
def pool():
    with PdfPool(1, timeout=60) as started:
        yield started


def _documents(folder: Path, count: int) -> list[tuple[Path, Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    jobs = []
    for number in range(count):
        source = folder / f"文书{number}.docx"
        document = Document()
        document.add_paragraph(f"第{number}号文书")
        document.save(source)
        jobs.append((source, folder / f"文书{number}.pdf"))
    return jobs


def _text(pdf: Path) -> str:
    with pymupdf.open(pdf) as opened:
        return "".join("".join(page.get_text().split()) for page in opened)  # without spaces


def _office(pool: PdfPool) -> int:
    """The soffice.bin of the pool's only instance."""
    names = {pid: Path(f"/proc/{pid}/comm").read_text().strip() for pid in pool.soffice_pids()}
    return next(pid for pid, name in names.items() if name == "soffice.bin")


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def test_killed_instance_is_restarted_and_the_batch_completes(pool: PdfPool, tmp_path: Path) -> None:
    jobs = _documents(tmp_path, 4)
    killed: list[int] = []

    def kill_after_first(done: int, total: int) -> None:
        if done == 1:
            pid = _office(pool)
            os.kill(pid, signal.SIGKILL)  # LibreOffice crashes between two documents
            killed.append(pid)

    generation = pool.instances[0].generation
    failures = pool.convert(jobs, done=kill_after_first)
    assert failures == []
    assert killed and pool.instances[0].generation == generation + 1  # restarted once
    assert killed[0] not in pool.soffice_pids()
    for number, (_, pdf) in enumerate(jobs):
        assert f"第{number}号文书" in _text(pdf)


def test_hung_instance_is_killed_after_the_timeout_and_the_document_retried(
    pool: PdfPool, tmp_path: Path
) -> None:
    jobs = _documents(tmp_path, 2)
    stopped: list[int] = []

    def hang(done: int, total: int) -> None:
        if done == 1:
            pid = _office(pool)
            os.kill(pid, signal.SIGSTOP)  # LibreOffice stops answering
            stopped.append(pid)

    pool.timeout = 10
    try:
        failures = pool.convert(jobs, done=hang)
    finally:
        pool.timeout = 60
    assert failures == []
    assert stopped and not _alive(stopped[0])  # the hung soffice was killed, not left behind
    assert "第1号文书" in _text(jobs[1][1])


def test_a_document_that_fails_twice_is_named_and_the_rest_goes_on(pool: PdfPool, tmp_path: Path) -> None:
    good = _documents(tmp_path, 2)
    missing = (tmp_path / "已删除的花名册.xlsx", tmp_path / "已删除的花名册.pdf")
    failures = pool.convert([good[0], missing, good[1]])
    assert [failure.name for failure in failures] == ["已删除的花名册.xlsx"]
    assert failures[0].reason
    assert all(pdf.read_bytes().startswith(b"%PDF") for _, pdf in good)
    assert not missing[1].exists()


def test_workbooks_convert_as_well_as_documents(pool: PdfPool, tmp_path: Path) -> None:
    book = Workbook()
    book.active["A1"] = "误工补贴发放花名册"
    book.save(tmp_path / "花名册.xlsx")
    assert pool.convert([(tmp_path / "花名册.xlsx", tmp_path / "花名册.pdf")]) == []
    assert "误工补贴发放花名册" in _text(tmp_path / "花名册.pdf")


def test_preview_is_a_png_of_the_first_page(pool: PdfPool, tmp_path: Path) -> None:
    source, _ = _documents(tmp_path, 1)[0]
    png = pool.preview(source)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = pymupdf.Pixmap(png)
    assert 800 <= image.width <= 830 and 1.25 < image.height / image.width < 1.35  # Letter at 96 dpi
    assert len(set(image.samples)) > 1  # not a blank image


def test_closing_the_pool_leaves_no_soffice(tmp_path: Path) -> None:
    started = PdfPool(2)
    with started:
        pids = started.process_ids()
        assert len(started.soffice_pids()) >= 2 and all(_alive(pid) for pid in pids)
        root = started._root
    assert not any(_alive(pid) for pid in pids)
    assert root is not None and not root.exists()  # the private profiles are removed


def test_output_pdfs_are_written_through_the_output_folder_and_a_failure_is_named(
    pool: PdfPool, tmp_path: Path
) -> None:
    output = OutputDir(tmp_path / "输出", timestamp="2023-01-01T00:00:00Z")
    ((source, _),) = _documents(tmp_path / "文书", 1)
    output.write_bytes("通知/开班通知.docx", source.read_bytes())
    output.write_bytes("通知/损坏的通知.docx", b"\x00\x01 not a document" * 20)
    with pytest.raises(ConversionError) as raised:
        convert_outputs(output, [output.path("通知/开班通知.docx"), "通知/损坏的通知.docx"], pool=pool)
    message = str(raised.value)
    assert "1 个文件没能转换为 PDF" in message and "通知/损坏的通知.docx" in message
    assert "其余 1 个 PDF 已生成" in message
    written = output.path("通知/开班通知.pdf")
    assert "第0号文书" in _text(written)
    assert not output.path("通知/损坏的通知.pdf").exists()
    manifest = json.loads(output.path(MANIFEST).read_text(encoding="utf-8"))["files"]
    assert "通知/开班通知.pdf" in manifest and "通知/损坏的通知.pdf" not in manifest


def test_preview_png_uses_the_warm_pool(pool: PdfPool, tmp_path: Path) -> None:
    ((source, _),) = _documents(tmp_path, 1)
    with keep_warm(pool):
        assert preview_png(source).startswith(b"\x89PNG")
