"""PDF through LibreOffice headless: one soffice call per batch, a private profile, fonts checked first.

Office fonts such as 仿宋_GB2312 or 方正小标宋简体 are not installed on Linux. The documents keep
naming them (so they print right on an office PC); for the conversion, each has declared
substitutes, and a private fontconfig file maps the name to the first substitute installed. If
neither a font nor any of its substitutes is installed, conversion stops with the list instead of
printing boxes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from .errors import DependencyError

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


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in (
        r"C:\Program Files\LibreOffice\program\soffice.exe",
        "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    ):
        if Path(candidate).exists():
            return candidate
    return None


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


def _fontconfig_file(folder: Path, mapping: dict[str, str]) -> Path:
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


def convert_to_pdf(files: Sequence[Path], out_dir: Path, *, timeout: float = 1800) -> list[Path]:
    """Convert .docx/.xlsx files to PDF in `out_dir` with one LibreOffice call; returns the PDF paths.

    Raises DependencyError if LibreOffice or a needed font is missing.
    """
    if not files:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise DependencyError(
            "没有找到 LibreOffice，无法转换 PDF",
            hint="安装 LibreOffice（Linux：apt-get install libreoffice-writer-nogui fonts-noto-cjk），"
            "或去掉 --pdf 只生成 Word 文件",
        )
    named: set[str] = set()
    for path in files:
        if path.suffix.lower() == ".docx":
            named |= fonts_in_docx(path)
    mapping, missing = resolve_fonts(named)
    if missing:
        raise DependencyError(
            f"以下字体及其替代字体都没有安装，转换出的 PDF 会显示方框：{'、'.join(missing)}",
            hint="安装这些字体，或中文字体包（Linux：apt-get install fonts-noto-cjk）",
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fanpin-lo-") as private:
        folder = Path(private)
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(_fontconfig_file(folder, mapping))
        env["HOME"] = str(folder)
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *[str(p) for p in files],
        ]
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, env=env, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise DependencyError(
                "LibreOffice 转换 PDF 超时", hint="减少一次转换的文件数，或关闭其他程序后重试"
            ) from None
    produced = [out_dir / (p.stem + ".pdf") for p in files]
    absent = [p.name for p in produced if not p.exists()]
    if result.returncode != 0 or absent:
        raise DependencyError(
            f"LibreOffice 转换 PDF 失败：{'、'.join(absent) or result.stderr.strip()[:200]}",
            hint="确认文件能在 LibreOffice 中打开",
        )
    return produced
