"""Hostile and unlucky workbooks: bounded memory and time, a Chinese message, never a crash.

The large-sheet cases run `fanpin check` in a subprocess limited to 2 GB of address space
(`ulimit -v 2000000`), as a web service reading uploaded files would have to.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from fanpin_docs.errors import InputError
from fanpin_docs.readers.opening import MAX_ENTRY_BYTES
from fanpin_docs.readers.workbook import open_workbook
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx

FANPIN = Path(sys.executable).with_name("fanpin")
HEAD = make_id("19700101", 11)
SPOUSE = make_id("19720304", 22)


def good_roster(path: Path) -> Path:
    return write_xlsx(
        path,
        [
            ROSTER_HEADER,
            roster_row("001", "张三", HEAD, "户主", size=2),
            roster_row("001", "李四", SPOUSE, "配偶"),
        ],
    )


def rewrite_sheet(path: Path, change: object) -> Path:
    """Edit the first worksheet's XML of a saved workbook (what a hand-made or hostile file holds)."""
    parts: dict[str, bytes] = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            parts[name] = archive.read(name)
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = change(xml).encode()  # type: ignore[operator]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def with_value_at(path: Path, ref: str) -> Path:
    row = re.sub(r"[A-Z]", "", ref)
    cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'
    return rewrite_sheet(path, lambda xml: xml.replace("</sheetData>", cell + "</sheetData>"))


def with_merge(path: Path, ref: str) -> Path:
    merge = f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'
    return rewrite_sheet(path, lambda xml: xml.replace("</sheetData>", "</sheetData>" + merge))


def run_limited(*args: object, cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    command = " ".join(f"'{a}'" for a in (FANPIN, *args))
    started = time.perf_counter()
    result = subprocess.run(
        ["bash", "-c", f"ulimit -v 2000000; exec {command}"],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "300"},
        timeout=120,
    )
    return result, time.perf_counter() - started


@pytest.mark.parametrize("ref", ["XFD1048576", "ZZ100000"])
def test_a_value_far_away_is_refused_before_reading(tmp_path: Path, ref: str) -> None:
    path = with_value_at(good_roster(tmp_path / "名单.xlsx"), ref)
    result, seconds = run_limited("check", "--roster", path, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"一直延伸到 {ref} 单元格" in result.stdout and "删除" in result.stdout
    assert "Traceback" not in result.stderr + result.stdout and "程序内部错误" not in result.stdout
    assert seconds < 30


def test_a_value_far_away_with_cards_is_refused_the_same_way(tmp_path: Path) -> None:
    path = with_value_at(good_roster(tmp_path / "名单.xlsx"), "XFD1048576")
    out = tmp_path / "out"
    result, _ = run_limited(
        "cards", "--roster", path, "--policy", "qianjiang-2023", "--out", out, cwd=tmp_path
    )
    assert result.returncode == 1 and "一直延伸到 XFD1048576 单元格" in result.stdout + result.stderr
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))


@pytest.mark.parametrize("ref", ["A1228:XFD1048576", "E3:E1048576"])
def test_a_merged_range_to_the_end_of_the_sheet_is_filled_only_in_the_data_area(
    tmp_path: Path, ref: str
) -> None:
    path = with_merge(good_roster(tmp_path / "名单.xlsx"), ref)
    result, seconds = run_limited("check", "--roster", path, cwd=tmp_path)
    assert "程序内部错误" not in result.stdout and "Traceback" not in result.stderr
    assert seconds < 30
    rows = next(iter(open_workbook(path).values()))
    assert len(rows) == 3 and max(len(r) for r in rows) == len(ROSTER_HEADER)


def test_formatted_but_empty_cells_far_away_do_not_count(tmp_path: Path) -> None:
    path = good_roster(tmp_path / "名单.xlsx")
    rewrite_sheet(
        path,
        lambda xml: xml.replace(
            "</sheetData>", '<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>'
        ),
    )
    rows = next(iter(open_workbook(path).values()))
    assert len(rows) == 3


def test_a_zip_entry_that_would_inflate_beyond_the_cap_is_refused_before_inflating(tmp_path: Path) -> None:
    path = good_roster(tmp_path / "名单.xlsx")
    block = b"\0" * (1024 * 1024)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/padding.bin", "w", force_zip64=True) as entry,
    ):
        for _ in range(MAX_ENTRY_BYTES // len(block) + 1):
            entry.write(block)
    assert path.stat().st_size < 5 * 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        open_workbook(path)
    assert time.perf_counter() - started < 2  # refused from the zip directory, nothing inflated
    message = caught.value.problems[0].message
    assert "xl/media/padding.bin" in message and "解压后超过" in message
