"""What a 明白卡 shows of the ledger: each household's per-capita income in the stored quarters.

The cards family never reads the ledger itself (no family imports another): `fanpin cards` and the
工作台's 生成明白卡 give it the ledger as a source (`CardsOptions.income_history`), which the run asks,
once it knows its roster's quarter, for the quarters before it. A workspace without a ledger gives no
source; a ledger that cannot be read gives no incomes and a note, and the cards are made as without
one — a card is never refused for its income trend.
"""

from __future__ import annotations

import sqlite3

from ..context import RunContext
from ..models import IncomeHistory
from .run import database_path
from .store import LedgerError, LedgerStore


class LedgerIncomes:
    """The run's ledger (where `fanpin ledger add` keeps it for this workspace or output folder) as the
    cards' `IncomeHistorySource`: read when the cards run knows its roster's quarter."""

    def __init__(self, context: RunContext) -> None:
        self.path = database_path(context.settings, out=context.output.root)

    def __call__(self, before: str | None, quarters: int) -> tuple[IncomeHistory, str | None]:
        try:
            with LedgerStore.open(self.path, create=False) as store:
                return store.per_capita_history(before, quarters), None
        except (LedgerError, sqlite3.Error) as error:
            reason = error.message if isinstance(error, LedgerError) else str(error)
            return {}, f"动态监测台账「{self.path}」无法读取（{reason}），明白卡上不印人均纯收入的变化"


def income_history(context: RunContext) -> LedgerIncomes | None:
    """The run's ledger as a source of the cards' income trend, or None when there is no ledger."""
    incomes = LedgerIncomes(context)
    return incomes if incomes.path.is_file() else None
