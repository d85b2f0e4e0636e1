"""Interrupting a real batch (Ctrl-C or SIGTERM to the whole process group, as a terminal does) leaves
only complete files, no temporary files, and a manifest that knows every file written."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile

import pytest

from cards_support import many_households, write_inputs
from fanpin_docs.output import MANIFEST, TEMP_MARK, sha256

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups and POSIX signals")


def _cards_command(tmp_path, out):
    """`fanpin cards` on 1,500 households in 6 villages with 2 workers, as a separate process."""
    roster, _ = write_inputs(tmp_path / "输入", households=many_households(1500, villages=6), ledger=[])
    return [
        sys.executable,
        "-c",
        "from fanpin_docs.cli import main; main()",
        "cards",
        "--roster",
        str(roster),
        "--policy",
        "qianjiang-2023",
        "--out",
        str(out),
        "--workers",
        "2",
    ]


def _start(command, folder):
    """In its own process group, so that a signal reaches the workers too, as from a terminal."""
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, cwd=folder
    )


@pytest.mark.slow
@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_interrupted_batch_leaves_only_complete_files(tmp_path, signal_number):
    out = tmp_path / "out"
    command = _cards_command(tmp_path, out)
    process = _start(command, tmp_path)
    try:
        deadline = time.monotonic() + 60
        while not any(out.rglob("*.docx")):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the batch never started writing"
            time.sleep(0.005)
        os.killpg(process.pid, signal_number)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    message = stderr.decode("utf-8")
    assert process.returncode == 130, message
    assert "已中断" in message and "Traceback" not in message

    files = [p for p in out.rglob("*") if p.is_file()]
    assert not [p for p in files if p.name.startswith(TEMP_MARK)]
    cards = [p for p in files if p.suffix == ".docx"]
    assert 0 < len(cards) < 1500 + 6, len(cards)  # stopped part way
    recorded = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    for card in cards:
        data = card.read_bytes()
        with zipfile.ZipFile(card) as archive:
            assert archive.testzip() is None
            assert b"</w:document>" in archive.read("word/document.xml")
        assert recorded[str(card.relative_to(out))] == sha256(data)  # a rerun will overwrite it freely


@pytest.mark.slow
def test_killed_batch_leaves_complete_files_and_the_rerun_cleans_up(tmp_path):
    """kill -9 gives no chance to clean up: files under final names are still complete (they are only
    ever renamed into place), and the next run removes the dead run's temporary files."""
    out = tmp_path / "out"
    command = _cards_command(tmp_path, out)
    process = _start(command, tmp_path)
    try:
        deadline = time.monotonic() + 60
        while len(list(out.rglob("*.docx"))) < 50:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the batch never started writing"
            time.sleep(0.005)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)
    for card in out.rglob("*.docx"):
        if not card.name.startswith(TEMP_MARK):
            with zipfile.ZipFile(card) as archive:
                assert archive.testzip() is None

    rerun = subprocess.run(command, capture_output=True, cwd=tmp_path, timeout=300)
    assert rerun.returncode == 0, rerun.stderr.decode("utf-8")
    assert not [p for p in out.rglob("*") if p.name.startswith(TEMP_MARK)]
    assert len(list(out.rglob("*.docx"))) == 1500 + 6
