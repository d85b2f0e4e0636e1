"""The extension a workbook's content calls for, whatever name it came with: a file stored under a
name chosen for it (the 工作台's 户籍监测名单.…) then opens in WPS/Excel without a warning and is read
the way it was checked.

- a zip workbook: .ods (OpenDocument), .xlsb (binary parts), .xlsm (with macros), else .xlsx;
- a comma-separated text: .csv;
- an Excel 97 workbook, a web page or a tab-separated text: .xls (`sources.open_workbook` reads the
  last two only under an Excel name; a tab-separated text is what some systems export as .xls).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .odsscan import is_ods
from .opening import sniff

FIRST_LINE = 64 * 1024  # bytes looked at for the delimiter of a text


def content_suffix(path: Path) -> str:
    """.xlsx / .xlsm / .xlsb / .ods / .csv / .xls, from what `path` holds (see the module)."""
    content = sniff(path)
    if content == "zip":
        try:
            with zipfile.ZipFile(path) as archive:
                if is_ods(archive):
                    return ".ods"
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return ".xlsx"
        if "xl/workbook.bin" in names:
            return ".xlsb"
        return ".xlsm" if "xl/vbaProject.bin" in names else ".xlsx"
    if content == "text" and not _tab_separated(path):
        return ".csv"
    return ".xls"


def _tab_separated(path: Path) -> bool:
    """The delimiter rule of the text reader (`sources._read_csv`): tabs when the first line has at
    least as many tabs as commas (both are single bytes in UTF-8 and GB18030 alike)."""
    with path.open("rb") as handle:
        first = handle.read(FIRST_LINE).split(b"\n", 1)[0]
    return first.count(b"\t") >= first.count(b",")
