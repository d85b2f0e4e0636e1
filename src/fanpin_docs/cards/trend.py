"""A card's income trend: the household's per-capita income in the quarters the 动态监测台账 stored
before this roster's, then this roster's own — one line in the card's income table.

    2023Q3 6,150.00 → 2023Q4 6,800.00 → 2024Q1 7,120.50 → 本期 7,450.00

The stored incomes come from an `IncomeHistorySource` the caller gives (the ledger's,
`ledger.history`), which also knows which quarter the roster is from: the cards family never reads
the ledger itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ..models import IncomeHistory, Roster, StoredIncome
from ..money import format_amount

EARLIER_QUARTERS = 3  # with this roster's own: a year of quarters, one printed line


class IncomeHistorySource(Protocol):
    def __call__(self, roster: Roster, quarters: int) -> tuple[IncomeHistory, str | None]:
        """The roster's households' per-capita incomes in the last `quarters` quarters stored before
        the roster's own, oldest first, and a note for the user when they cannot be had."""
        ...


def income_trend(earlier: Sequence[StoredIncome], now: str) -> str:
    """The trend line: the last `EARLIER_QUARTERS` of the household's earlier quarters, then `now` (the
    card's 人均纯收入 as printed); "" without an earlier quarter (the template then leaves the row out)."""
    if not earlier:
        return ""
    points = [f"{s.period} {format_amount(s.per_capita)}" for s in earlier[-EARLIER_QUARTERS:]]
    return " → ".join([*points, f"本期 {now}"])
