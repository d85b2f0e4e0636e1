"""One exception family for every problem a user can fix.

The library raises these; the CLI turns them into a Chinese message and an exit code in one place
(`fanpin_docs.cli`). Nothing in the library prints or exits.
"""

from __future__ import annotations

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
        super().__init__(f"输入文件有 {len(self.problems)} 处问题需要修改：{'、'.join(files)}")

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


class OutputError(FanpinError):
    """Output cannot be written (locked file, user-edited file, no permission)."""


class DependencyError(FanpinError):
    """An external program the command needs (LibreOffice, fonts) is not installed."""
