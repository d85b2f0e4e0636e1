"""Collecting the problems of one file with a bound: the first `LIMIT` one by one, the rest counted.

A sheet of a million junk rows would otherwise give millions of messages (and run out of memory
holding them). After the limit, problems are grouped by what they have in common — sheet, column
and message with its numbers left out — and each group becomes one line saying how many there
are and on which rows: 「第 5–1048576 行 列「户编号」：必填项为空（另有 1048572 处同样的问题）」.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..errors import Problem

LIMIT = 200
MAX_GROUPS = 50
_NUMBERS = re.compile(r"\d+")


@dataclass
class _Group:
    first: Problem
    count: int
    low: int | None
    high: int | None


class Problems(list[Problem]):
    """A list of problems that keeps the first `LIMIT` and counts the others by kind."""

    def __init__(self, items: Iterable[Problem] = (), *, limit: int = LIMIT) -> None:
        super().__init__()
        self.limit = limit
        self._groups: dict[tuple[object, ...], _Group] = {}
        self.extend(items)

    def append(self, problem: Problem) -> None:
        if len(self) < self.limit:
            super().append(problem)
            return
        key: tuple[object, ...] = (
            problem.severity,
            problem.file,
            problem.sheet,
            problem.column,
            _NUMBERS.sub("#", problem.message),
        )
        if key not in self._groups and len(self._groups) >= MAX_GROUPS:
            key = (problem.severity, problem.file, None, None, "")
        group = self._groups.get(key)
        if group is None:
            self._groups[key] = _Group(problem, 1, problem.row, problem.row)
            return
        group.count += 1
        if problem.row is not None:
            group.low = problem.row if group.low is None else min(group.low, problem.row)
            group.high = problem.row if group.high is None else max(group.high, problem.row)

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.append(problem)

    @property
    def left_out(self) -> int:
        return sum(group.count for group in self._groups.values())

    def summarized(self) -> list[Problem]:
        """The problems kept, then one line for each group of those left out."""
        lines = list(self)
        for (_, _, _, _, pattern), group in self._groups.items():
            if group.count == 1:
                lines.append(group.first)
                continue
            rows = ""
            if group.low is not None:
                rows = f"第 {group.low} 行" if group.low == group.high else f"第 {group.low}–{group.high} 行"
            if pattern:
                message = (
                    f"{group.first.message}（{rows or '其他位置'}共 {group.count} 处同样的问题，未逐条列出）"
                )
            else:
                message = f"另有 {group.count} 处其他问题未逐条列出（{rows}）"
            lines.append(
                replace(
                    group.first,
                    message=message,
                    row=None,
                    value=None,
                    household=None,
                    column=group.first.column if pattern else None,
                    count=group.count,
                )
            )
        return lines


def summarized(problems: list[Problem]) -> list[Problem]:
    """`problems` as they are reported: bounded when they were collected in a `Problems`."""
    return problems.summarized() if isinstance(problems, Problems) else list(problems)
