"""One exception family for every problem a user can fix.

The library raises these; `failures.describe_failure` turns them (and any other exception) into
the Chinese message and exit code every front end shows. Nothing in the library prints or exits.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One located problem in a user's file: where it is, what was found and how to fix it."""

    file: str
    message: str
    hint: str = ""
    sheet: str | None = None
    row: int | None = None  # the row number as Excel shows it
    column: str | None = None  # the column header as the user wrote it
    value: str | None = None  # the offending value, already masked when it is an ID
    household: str | None = None
    severity: str = "error"  # "error" refuses the input; "warning" is reported only
    count: int = 1  # the problems this line stands for (a group of like ones left out: `collect.Problems`)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def location(self) -> str:
        parts = [f"文件「{self.file}」"]
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"列「{self.column}」")
        if self.household:
            parts.append(f"户编号 {self.household}")
        return " ".join(parts)

    def describe(self) -> str:
        text = f"{self.location()}：{self.message}"
        if self.value not in (None, ""):
            text += f"（当前值：{self.value}）"
        if self.hint:
            text += f"。处理办法：{self.hint}"
        return text


def counted(problems: list[Problem]) -> int:
    """How many problems `problems` stand for (a line for a group of like ones counts them all)."""
    return sum(problem.count for problem in problems)


class FanpinError(Exception):
    """Base of every error a user can act on. `str()` is the Chinese message."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}。处理办法：{self.hint}" if self.hint else self.message


class InputError(FanpinError):
    """A workbook (or several) cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = [p for p in problems if p.is_error]
        self.warnings = [p for p in problems if not p.is_error]
        files = sorted({p.file for p in self.problems})
        super().__init__(f"输入文件有 {counted(self.problems):,} 处问题需要修改：{'、'.join(files)}")

    def __str__(self) -> str:
        lines = [self.message]
        lines += [f"  {i}. {p.describe()}" for i, p in enumerate(self.problems, 1)]
        return "\n".join(lines)


class PolicyError(FanpinError):
    """A policy file is missing, unreadable or invalid, or a rule cannot be applied."""


class SettingsError(FanpinError):
    """fanpin.toml or a command-line setting is wrong."""


class TemplateError(FanpinError):
    """A document template cannot be used (unknown fields, Jinja syntax, missing file)."""


class LayoutError(TemplateError):
    """Text rendered from a template cannot be laid out as a 公文 (a table row with the wrong number of
    cells, more headings than can be numbered)."""


class OutputError(FanpinError):
    """Output cannot be written (locked file, user-edited file, no permission)."""


class DependencyError(FanpinError):
    """An external program the command needs (LibreOffice, fonts) is not installed."""


# What an operating-system error means for the user, by errno: (what happened, how to fix it).
_NO_SPACE = ("磁盘已满", "清理磁盘空间，或用 --out 换到空间足够的磁盘")
_NO_PERMISSION = (
    "没有写入权限",
    "检查这个文件和所在文件夹是否允许写入；在 Windows 上，如果它正在 Excel/WPS/Word 中打开，先关闭它",
)
_BUSY = ("文件正被其他程序使用", "关闭在 Excel/WPS/Word 中打开的这个文件后重试")
_OS_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: _NO_SPACE,
    errno.EDQUOT: ("磁盘配额已用完", "清理磁盘空间，或用 --out 换到空间足够的磁盘"),
    errno.EFBIG: ("文件太大，磁盘不能存放", "用 --out 换到另一块磁盘"),
    errno.EACCES: _NO_PERMISSION,
    errno.EPERM: _NO_PERMISSION,
    errno.EROFS: ("磁盘是只读的，不能写入", "用 --out 换一个可以写入的输出文件夹"),
    errno.ENAMETOOLONG: ("文件名太长", "用 --out 换一个路径更短的输出文件夹，或缩短表格中用作文件名的名称"),
    errno.ENOTDIR: (
        "路径中有一个文件占着文件夹的位置",
        "改名或移走路径中与文件夹同名的文件后重试",
    ),
    errno.EISDIR: ("已有同名的文件夹", "改名或移走这个文件夹后重试"),
    errno.EEXIST: ("已有同名的文件或文件夹", "改名或移走它后重试"),
    errno.ENOENT: ("文件或文件夹不存在（可能在运行中被移走了）", "确认输出文件夹还在，然后重试"),
    errno.EBUSY: _BUSY,
    errno.ETXTBSY: _BUSY,
    errno.EIO: ("磁盘读写出错", "检查磁盘或 U 盘是否已拔出或损坏，或用 --out 换一块磁盘"),
    errno.ELOOP: ("这是一个链接（符号链接），不会通过它写入", "删除输出文件夹中的这个链接后重试"),
    errno.EMFILE: ("同时打开的文件太多", "关闭其他程序后重试"),
    errno.ENFILE: ("同时打开的文件太多", "关闭其他程序后重试"),
}
_WINDOWS_REASONS: dict[int, tuple[str, str]] = {
    32: _BUSY,  # ERROR_SHARING_VIOLATION
    33: _BUSY,  # ERROR_LOCK_VIOLATION
    112: _NO_SPACE,  # ERROR_DISK_FULL
    206: _OS_REASONS[errno.ENAMETOOLONG],  # ERROR_FILENAME_EXCED_RANGE
}


def os_reason(exc: OSError, *, reading: bool = False) -> tuple[str, str]:
    """(what happened, how to fix it) in Chinese for an OSError; never the system's English text."""
    winerror = getattr(exc, "winerror", None)
    if winerror in _WINDOWS_REASONS:
        return _WINDOWS_REASONS[winerror]
    reason = _OS_REASONS.get(exc.errno or -1)
    if reason is None:
        return (
            f"系统错误（错误号 {exc.errno}）" if exc.errno else f"系统错误（{type(exc).__name__}）",
            "检查磁盘和输出文件夹是否可用，或用 --out 换一个输出文件夹",
        )
    if reading and reason is _NO_PERMISSION:
        return ("没有读取权限", "检查这个文件是否允许读取（文件属性中的权限）")
    return reason


def os_error(action: str, path: object, exc: OSError, *, reading: bool = False) -> OutputError:
    """「无法写入「…/明白卡.docx」：磁盘已满」 with its hint, for an OSError met at `path`."""
    reason, hint = os_reason(exc, reading=reading)
    return OutputError(f"{action}「{path}」：{reason}", hint=hint)
