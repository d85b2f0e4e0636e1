"""A card's income trend: the household's per-capita income in the quarters the 动态监测台账 stored
before this roster's, then this roster's own — one line in the card's income table.

    2023Q3 6,150.00 → 2023Q4 6,800.00 → 2024Q1 7,120.50 → 本期 7,450.00

The roster's quarter is that of its 数据日期; without one, every stored quarter counts as earlier.
The stored incomes come from an `IncomeHistorySource` the caller gives (the ledger's, `ledger.history`):
the cards family never reads the ledger itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from ..models import IncomeHistory, Roster, StoredIncome
from ..money import format_amount
from ..quarters import Period

EARLIER_QUARTERS = 3  # with this roster's own: a year of quarters, one printed line


class IncomeHistorySource(Protocol):
    def __call__(self, before: str | None, quarters: int) -> tuple[IncomeHistory, str | None]:
        """The households' stored incomes of the last `quarters` stored quarters before `before`
        (`2024Q1`; None: the last ones), and a note for the user when they cannot be had."""
        ...


def roster_quarter(roster: Roster) -> str | None:
    """The quarter of the roster's latest 数据日期 (None: the export has none)."""
    latest = max((h.data_date for h in roster.households if h.data_date), default=None)
    return Period.of(latest).label if latest else None


def income_trend(stored: Sequence[StoredIncome], now: str, data_date: date | None) -> str:
    """The trend line ending with `now` (the card's 人均纯收入 as printed), or "" when the ledger has
    no earlier quarter of this household (the template then leaves the row out)."""
    this_quarter = Period.of(data_date).label if data_date else None
    earlier = [s for s in stored if this_quarter is None or s.period < this_quarter][-EARLIER_QUARTERS:]
    if not earlier:
        return ""
    return " → ".join([*(f"{s.period} {format_amount(s.per_capita)}" for s in earlier), f"本期 {now}"])
