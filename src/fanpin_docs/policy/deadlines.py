"""The policy's deadlines in the year the documents are for.

A policy file writes its deadlines as month-day ("04-30"): the policy's year is implied. A township's
documents are for its working year (fanpin.toml [township] year), which may be later than the policy
file it still applies; the deadlines are then the same month-day in the working year. The 实施方案
and the project review both take their dates from `deadline()`, so they always name the same dates.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Literal

from ..dates import chinese_date
from .model import Policy

DeadlineKind = Literal["filing", "implementation", "plan_review"]
DEADLINE_KINDS: tuple[DeadlineKind, ...] = ("filing", "implementation", "plan_review")


def documents_year(policy: Policy, year: int | None) -> int:
    """The year the documents are for: the working year when set, else the policy's year."""
    return year or policy.year


def deadline(policy: Policy, which: DeadlineKind, year: int | None = None) -> date | None:
    """The policy's deadline `which` in `documents_year(policy, year)`; None when the policy sets none.
    A 29 February deadline falls on the 28th in a year that has no 29th."""
    value = getattr(policy.deadlines, which)
    if value is None:
        return None
    month, day = (int(part) for part in value.split("-"))
    target = documents_year(policy, year)
    return date(target, month, min(day, calendar.monthrange(target, month)[1]))


def year_note(policy: Policy, year: int | None) -> str:
    """The reminder when the working year is not the policy's (its deadlines are moved), else ''."""
    if year is None or year == policy.year:
        return ""
    moved = [d for d in (deadline(policy, kind, year) for kind in DEADLINE_KINDS) if d is not None]
    if not moved:
        return ""
    shown = "、".join(chinese_date(d) for d in sorted(moved))
    return (
        f"工作年度为 {year} 年，政策「{policy.title}」是 {policy.year} 年的，截止日期按工作年度推算（{shown}）；"
        "如本年度另有文件，请复制政策文件改为本年度后使用"
    )
