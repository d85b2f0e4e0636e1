"""A card's income trend: the household's per-capita income in the quarters the 动态监测台账 stored
before this roster's, then this roster's own — one line in the card's income table.

    2023Q3 6,150.00 → 2023Q4 6,800.00 → 2024Q1 7,120.50 → 本期 7,450.00

The roster's quarter is that of its 数据日期; without one, every stored quarter counts as earlier.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..models import StoredIncome
from ..money import format_amount
from ..quarters import Period

EARLIER_QUARTERS = 3  # with this roster's own: a year of quarters, one printed line


def income_trend(stored: Sequence[StoredIncome], now: str, data_date: date | None) -> str:
    """The trend line ending with `now` (the card's 人均纯收入 as printed), or "" when the ledger has
    no earlier quarter of this household (the template then leaves the row out)."""
    this_quarter = Period.of(data_date).label if data_date else None
    earlier = [s for s in stored if this_quarter is None or s.period < this_quarter][-EARLIER_QUARTERS:]
    if not earlier:
        return ""
    return " → ".join([*(f"{s.period} {format_amount(s.per_capita)}" for s in earlier), f"本期 {now}"])
