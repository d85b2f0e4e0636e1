"""What a 明白卡 shows of the ledger: each household's per-capita income in the stored quarters.

The cards family never reads the ledger itself (no family imports another): `fanpin cards` and the
工作台's 生成明白卡 read it here and pass it on (`CardsOptions.income_history`). A workspace without a
ledger gives none; a ledger that cannot be read gives none and a note, and the cards are made as
without one — a card is never refused for its income trend.
"""

from __future__ import annotations

import sqlite3

from ..context import RunContext
from ..models import IncomeHistory
from .run import database_path
from .store import LedgerError, LedgerStore


def income_history(context: RunContext) -> IncomeHistory | None:
    """The stored per-capita incomes of the run's ledger (where `fanpin ledger add` keeps it for this
    workspace or output folder), or None; a ledger that cannot be read is named in `context.notes`."""
    path = database_path(context.settings, out=context.output.root)
    if not path.is_file():
        return None
    try:
        with LedgerStore.open(path, create=False) as store:
            return store.per_capita_history()
    except (LedgerError, sqlite3.Error) as error:
        reason = error.message if isinstance(error, LedgerError) else str(error)
        context.notes.append(f"动态监测台账「{path}」无法读取（{reason}），明白卡上不印人均纯收入的变化")
        return None
