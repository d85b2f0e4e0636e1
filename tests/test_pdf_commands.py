"""--pdf on every document command: a PDF beside each document (listed in the manifest), LibreOffice
started and stopped by the run, Ctrl-C leaving no soffice and no partial PDF, and without LibreOffice
every command still works while --pdf says what to install."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pymupdf
import pytest
from typer.testing import CliRunner

from fanpin_docs.cli import app
from fanpin_docs.demo import build_demo_workspace
from fanpin_docs.output import MANIFEST, TEMP_MARK, sha256
from fanpin_docs.pdf import PdfPool, find_soffice, find_uno_python, keep_warm

runner = CliRunner()
COMMANDS = (
    ["cards"],
    ["training"],
    ["projects"],
    ["plan"],
    ["notice", "training"],
    ["notice", "industry"],
    ["notice", "allowance"],
)
needs_office = pytest.mark.skipif(
    find_soffice() is None or find_uno_python(find_soffice() or "") is None,
    reason="needs LibreOffice with python3-uno",
)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = build_demo_workspace(tmp_path / "青山镇", households=30).root
    monkeypatch.chdir(root)
    return root


def _office_processes(marker: str) -> list[str]:
    """Command lines of live processes that mention `marker` (a private temporary folder)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = (entry / "stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            continue
        if marker in command and state != "Z":
            found.append(command)
    return found


def _documents(output: Path) -> list[Path]:
    return sorted(p for p in output.rglob("*") if p.suffix in (".docx", ".xlsx"))


@pytest.mark.pdf
@needs_office
def test_every_command_writes_a_pdf_beside_each_document(workspace: Path) -> None:
    output = workspace / "output"
    with PdfPool(2) as pool, keep_warm(pool):  # one LibreOffice start for the seven runs
        for command in COMMANDS:
            result = runner.invoke(app, [*command, "--pdf"])
            assert result.exit_code == 0, (command, result.output)
    manifest = json.loads((output / MANIFEST).read_text(encoding="utf-8"))["files"]
    documents = _documents(output)
    print_files = [d for d in documents if d.name.endswith("_全村明白卡.docx")]
    expected = print_files + [d for d in documents if d.relative_to(output).parts[0] != "明白卡"]
    assert print_files and len(expected) > 20
    for document in expected:
        pdf = document.with_suffix(".pdf")
        assert pdf.is_file(), pdf
        assert manifest[pdf.relative_to(output).as_posix()] == sha256(pdf.read_bytes())
        with pymupdf.open(pdf) as opened:
            assert opened.page_count >= 1
            assert "".join(opened[0].get_text().split()), f"{pdf.name}: the first page is empty"
    single_cards = [d for d in documents if d.parent.parent.parent.name == "明白卡"]
    assert single_cards and not any(d.with_suffix(".pdf").exists() for d in single_cards)


@pytest.mark.pdf
@needs_office
def test_a_run_starts_and_stops_its_own_libreoffice(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private = tmp_path / "private-tmp"  # ASCII: it appears in command lines as a file URI
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    result = runner.invoke(app, ["plan", "--pdf"])
    assert result.exit_code == 0, result.output
    pdf = workspace / "output" / "实施方案.pdf"
    with pymupdf.open(pdf) as opened:
        assert "实施方案" in "".join(opened[0].get_text().split())
    assert _office_processes(str(private)) == []
    assert list(private.iterdir()) == []  # profiles and staged PDFs removed


@pytest.mark.pdf
@pytest.mark.slow
@needs_office
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_during_conversion_leaves_no_soffice_and_no_partial_pdf(tmp_path: Path) -> None:
    root = build_demo_workspace(tmp_path / "青山镇", households=400).root
    private = tmp_path / "private-tmp"  # ASCII: it appears in command lines as a file URI
    private.mkdir()
    env = dict(os.environ, TMPDIR=str(private))
    process = subprocess.Popen(
        [sys.executable, "-c", "from fanpin_docs.cli import main; main()", "cards", "--pdf"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        while not any("soffice" in c for c in _office_processes(str(private))):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "LibreOffice never started"
            time.sleep(0.05)
        time.sleep(2)  # converting by now
        process.send_signal(signal.SIGINT)  # Ctrl-C, delivered to fanpin only
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    message = stderr.decode("utf-8")
    assert process.returncode == 130, message
    assert "已中断" in message and "Traceback" not in message
    deadline = time.monotonic() + 10
    while _office_processes(str(private)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _office_processes(str(private)) == []
    output = root / "output"
    assert not [p for p in output.rglob("*") if p.name.startswith(TEMP_MARK)]
    manifest = json.loads((output / MANIFEST).read_text(encoding="utf-8"))["files"]
    for pdf in output.rglob("*.pdf"):  # any PDF under a final name is complete and known
        with pymupdf.open(pdf) as opened:
            assert opened.page_count >= 1
        assert manifest[pdf.relative_to(output).as_posix()] == sha256(pdf.read_bytes())


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_without_libreoffice_pdf_says_what_to_install_and_writes_nothing(
    workspace: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.setattr("fanpin_docs.pdf.office.find_soffice", lambda: None)
    refused = runner.invoke(app, [*command, "--pdf"])
    assert refused.exit_code == 1, refused.output
    assert "没有找到 LibreOffice" in refused.output and "apt-get install" in refused.output
    assert "Traceback" not in refused.output
    assert _documents(workspace / "output") == []
    done = runner.invoke(app, command)  # without --pdf the command works as before
    assert done.exit_code == 0, done.output
    assert _documents(workspace / "output")


def test_without_python3_uno_pdf_names_the_package(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("fanpin_docs.pdf.office.find_soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr("fanpin_docs.pdf.office.find_uno_python", lambda soffice: None)
    refused = runner.invoke(app, ["plan", "--pdf"])
    assert refused.exit_code == 1, refused.output
    assert "python3-uno" in refused.output
    assert _documents(workspace / "output") == []
