"""Finding LibreOffice, and the cold path: one `soffice --convert-to pdf` call for a whole batch.

The cold path starts LibreOffice once per call on one core; commands use the warm pool
(`fanpin_docs.pdf.pool`) instead. It stays as the reference the benchmark measures the pool against.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import DependencyError
from .fonts import fontconfig_file, fonts_in_docx, resolve_fonts


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
        env["FONTCONFIG_FILE"] = str(fontconfig_file(folder, mapping))
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


INSTALL_LIBREOFFICE = (
    "安装 LibreOffice 和中文字体（Debian/Ubuntu：运行 bash scripts/setup-system.sh，"
    "或 apt-get install libreoffice-writer-nogui libreoffice-calc-nogui python3-uno fonts-noto-cjk），"
    "或去掉 --pdf 只生成 Word/Excel 文件"
)
INSTALL_UNO = (
    "安装 LibreOffice 的 Python 接口（Debian/Ubuntu：apt-get install python3-uno，"
    "或运行 bash scripts/setup-system.sh；Windows 版 LibreOffice 自带），或去掉 --pdf 只生成 Word/Excel 文件"
)


def _uno_candidates(soffice: str) -> list[str]:
    program = Path(soffice).resolve().parent
    candidates = [
        sys.executable,
        "/usr/bin/python3",
        str(program / "python.exe"),  # Windows: LibreOffice's bundled Python
        str(program / "python"),
        str(program.parent / "Resources" / "python"),  # macOS bundle
    ]
    return list(dict.fromkeys(candidates))


@functools.lru_cache(maxsize=8)
def find_uno_python(soffice: str) -> str | None:
    """A Python that can `import uno` (LibreOffice's bridge): this one, the system's, or LibreOffice's own."""
    for candidate in _uno_candidates(soffice):
        if not Path(candidate).is_file():
            continue
        try:
            probe = subprocess.run(
                [candidate, "-c", "import uno"], capture_output=True, timeout=60, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return candidate
    return None


@dataclass(frozen=True)
class OfficeTools:
    soffice: str
    python: str  # imports uno


def require_office_tools() -> OfficeTools:
    """LibreOffice and a Python with its UNO bridge; DependencyError saying what to install."""
    soffice = find_soffice()
    if soffice is None:
        raise DependencyError("没有找到 LibreOffice，无法生成 PDF", hint=INSTALL_LIBREOFFICE)
    python = find_uno_python(soffice)
    if python is None:
        raise DependencyError(
            "找不到能调用 LibreOffice 的 Python（缺少 python3-uno），无法生成 PDF", hint=INSTALL_UNO
        )
    return OfficeTools(soffice=soffice, python=python)
