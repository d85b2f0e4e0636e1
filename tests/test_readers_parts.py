"""The safety scan looks at the parts the reader reads: a sheet part named in another case than its
relationship says, or a workbook part moved out of xl/ by the package relationships, is bounded too
(both made python-calamine abort on a value at XFD1048576, the scan not having seen the sheet)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import python_calamine

from fanpin_docs.readers.opening import scan_xlsx
from test_readers_hostile import good_roster, run_limited, with_value_at


def _rewrite(path: Path, rename: dict[str, str], replace: dict[str, tuple[bytes, bytes]]) -> Path:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name in replace:
                data = data.replace(*replace[name])
            for old, new in rename.items():
                name = name.replace(old, new) if name.startswith(old) or name == old else name
            archive.writestr(name, data)
    return path


def _refused(path: Path) -> None:
    result, seconds = run_limited("check", "--roster", path, cwd=path.parent)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "一直延伸到 XFD1048576 单元格" in result.stdout and "Traceback" not in result.stderr
    assert seconds < 30


def test_a_sheet_part_named_in_another_case_is_bounded(tmp_path: Path) -> None:
    path = with_value_at(good_roster(tmp_path / "名单.xlsx"), "XFD1048576")
    _rewrite(path, {"xl/worksheets/sheet1.xml": "xl/worksheets/Sheet1.xml"}, {})
    _refused(path)


def test_a_workbook_moved_out_of_xl_is_bounded(tmp_path: Path) -> None:
    path = with_value_at(good_roster(tmp_path / "名单.xlsx"), "XFD1048576")
    _rewrite(
        path,
        {"xl/": "data/"},
        {
            "_rels/.rels": (b"xl/workbook.xml", b"data/workbook.xml"),
            "xl/_rels/workbook.xml.rels": (b'Target="/xl/', b'Target="/data/'),
        },
    )
    _refused(path)


def test_a_moved_workbook_is_read_and_scanned_alike(tmp_path: Path) -> None:
    """Without a far value the same moved workbook is read, and the scan saw its sheet."""
    path = good_roster(tmp_path / "名单.xlsx")
    _rewrite(
        path,
        {"xl/": "data/"},
        {
            "_rels/.rels": (b"xl/workbook.xml", b"data/workbook.xml"),
            "xl/_rels/workbook.xml.rels": (b'Target="/xl/', b'Target="/data/'),
        },
    )
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    sheet = book.get_sheet_by_name("Sheet1")
    scan = scan_xlsx(path)["Sheet1"]
    assert sheet.end is not None and scan.rows == sheet.end[0] + 1 and scan.columns >= sheet.end[1] + 1
