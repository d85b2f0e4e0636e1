"""Fonts for the conversion: which a document names, which are installed, which stand in for the rest.

Office fonts such as 仿宋_GB2312 or 方正小标宋简体 are not installed on Linux. The documents keep
naming them (so they print right on an office PC); for the conversion, each has declared
substitutes, and a private fontconfig file maps the name to the first substitute installed. If
neither a font nor any of its substitutes is installed, conversion stops with the list instead of
printing boxes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterable
from pathlib import Path

# font named in a document → installed families that may stand in for it, best first
FONT_SUBSTITUTES: dict[str, tuple[str, ...]] = {
    "宋体": ("SimSun", "Noto Serif CJK SC", "Source Han Serif SC"),
    "SimSun": ("Noto Serif CJK SC", "Source Han Serif SC"),
    "仿宋": ("FangSong", "Noto Serif CJK SC"),
    "仿宋_GB2312": ("FangSong_GB2312", "FangSong", "Noto Serif CJK SC"),
    "FangSong": ("Noto Serif CJK SC",),
    "楷体": ("KaiTi", "Noto Serif CJK SC"),
    "楷体_GB2312": ("KaiTi_GB2312", "KaiTi", "Noto Serif CJK SC"),
    "KaiTi": ("Noto Serif CJK SC",),
    "黑体": ("SimHei", "Noto Sans CJK SC", "Source Han Sans SC"),
    "SimHei": ("Noto Sans CJK SC",),
    "方正小标宋简体": ("FZXiaoBiaoSong-B05S", "Noto Serif CJK SC"),
    "方正小标宋_GBK": ("Noto Serif CJK SC",),
    "微软雅黑": ("Microsoft YaHei", "Noto Sans CJK SC"),
    "Times New Roman": ("Liberation Serif", "DejaVu Serif", "Noto Serif"),
    "Arial": ("Liberation Sans", "DejaVu Sans", "Noto Sans"),
    "Calibri": ("Carlito", "Liberation Sans", "DejaVu Sans"),
}
_RFONTS = re.compile(rb"<w:rFonts\b([^>]*)/?>")
_EAST_ASIA = re.compile(rb'w:eastAsia="([^"]+)"')
_ANY_FONT = re.compile(rb'w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"')


def installed_families() -> set[str]:
    if shutil.which("fc-list") is None:
        return set()
    result = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False)
    families: set[str] = set()
    for line in result.stdout.splitlines():
        families.update(part.strip() for part in line.split(",") if part.strip())
    return families


def fonts_in_docx(path: Path) -> set[str]:
    """The fonts a .docx uses for Chinese text: every East Asian font, and any font with a Chinese name.

    (A missing Latin font is replaced by LibreOffice with another Latin one; a missing Chinese font
    without a Chinese stand-in prints boxes, which is what the check is for.)
    """
    names: set[str] = set()
    with zipfile.ZipFile(path) as archive:
        for part in (
            "word/document.xml",
            "word/styles.xml",
            "word/numbering.xml",
            "word/footer1.xml",
            "word/footer2.xml",
            "word/header1.xml",
        ):
            if part not in archive.namelist():
                continue
            for attributes in _RFONTS.findall(archive.read(part)):
                names.update(n.decode("utf-8") for n in _EAST_ASIA.findall(attributes))
                names.update(n.decode("utf-8") for n in _ANY_FONT.findall(attributes) if not n.isascii())
    return {n for n in names if n and not n.startswith("+")}


def resolve_fonts(
    names: Iterable[str], installed: set[str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """({font: installed stand-in}, [fonts with neither the font nor a substitute installed])."""
    installed = installed_families() if installed is None else installed
    mapping: dict[str, str] = {}
    missing: list[str] = []
    for name in sorted(set(names)):
        if name in installed:
            continue
        stand_in = next((s for s in FONT_SUBSTITUTES.get(name, ()) if s in installed), None)
        if stand_in:
            mapping[name] = stand_in
        else:
            missing.append(name)
    return mapping, missing


def fontconfig_file(folder: Path, mapping: dict[str, str]) -> Path:
    aliases = "".join(
        f'<alias binding="same"><family>{name}</family><prefer><family>{target}</family></prefer></alias>'
        for name, target in mapping.items()
    )
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<cachedir>{folder / 'cache'}</cachedir>{aliases}</fontconfig>",
        encoding="utf-8",
    )
    return config


_XLSX_FONT = re.compile(rb'<(?:\w+:)?name\s+val="([^"]+)"')


def fonts_in_xlsx(path: Path) -> set[str]:
    """The Chinese-named fonts of a workbook's styles (Latin ones are replaced harmlessly)."""
    with zipfile.ZipFile(path) as archive:
        if "xl/styles.xml" not in archive.namelist():
            return set()
        found = _XLSX_FONT.findall(archive.read("xl/styles.xml"))
    return {n.decode("utf-8") for n in found if not n.isascii()}


def fonts_in_document(path: Path) -> set[str]:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return fonts_in_docx(path)
    if suffix == ".xlsx":
        return fonts_in_xlsx(path)
    return set()


def all_stand_ins(installed: set[str] | None = None) -> dict[str, str]:
    """{every known office font that is not installed: its installed stand-in}, for a pool that converts
    whatever documents come."""
    mapping, _ = resolve_fonts(FONT_SUBSTITUTES, installed)
    return mapping


def check_fonts(paths: Iterable[Path], *, installed: set[str] | None = None, what: str = "文书") -> None:
    """Raise DependencyError naming the fonts that neither are installed nor have an installed stand-in."""
    from ..errors import DependencyError

    named: set[str] = set()
    for path in paths:
        try:
            named |= fonts_in_document(path)
        except (OSError, zipfile.BadZipFile):
            continue  # not a readable Office file: the conversion reports it by name
    _, missing = resolve_fonts(named, installed)
    if missing:
        raise DependencyError(
            f"{what}使用的以下字体及其替代字体都没有安装，PDF 会显示方框：{'、'.join(missing)}",
            hint="安装这些字体，或中文字体包（Linux：apt-get install fonts-noto-cjk）",
        )
