"""What a 明白卡 shows of the ledger: each household's per-capita income in the quarters stored before
the roster's own.

The cards family never reads the ledger itself (no family imports another): `fanpin cards` and the
工作台's 生成明白卡 give it the ledger as a source (`CardsOptions.income_source`), which the run asks
once it has read its roster. The ledger is opened for reading only (never created, migrated or
written to). A workspace without a ledger gives no source; a ledger that cannot be read gives no
incomes and a note, and the cards are made as without one — a card is never refused for its trend.

The roster's own quarter is that of its latest 数据日期 when the ledger has that quarter, else the one
the ledger stored this very roster under (the fingerprint `fanpin ledger add` gives it, whatever
--period said), else the date's; a roster with neither gets no trend, since nothing tells which
stored quarters came before it.
"""

from __future__ import annotations

from pathlib import Path

from ..context import RunContext
from ..models import IncomeHistory, Roster
from .periods import Period
from .run import database_path
from .snapshot import roster_fingerprint, snapshot_of
from .store import LedgerStore, StoredPeriod
from .unusable import LedgerError

UNKNOWN_QUARTER = (
    "名单没有「数据日期」，动态监测台账中也没有存入这份名单，分不出哪些季度在它之前，明白卡上不印「收入变化」"
)


class LedgerIncomes:
    """The run's ledger as the cards' `IncomeHistorySource`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self, roster: Roster, quarters: int) -> tuple[IncomeHistory, str | None]:
        try:
            with LedgerStore.read_only(self.path) as store:
                before = own_quarter(store.periods(), roster)
                if before is None:
                    return {}, UNKNOWN_QUARTER
                return store.per_capita_history(before, quarters), None
        except LedgerError as error:
            return {}, f"没有读取动态监测台账中往期的人均纯收入，明白卡上不印「收入变化」：{error}"


def own_quarter(stored: list[StoredPeriod], roster: Roster) -> str | None:
    """The quarter `roster` is from: that of its latest 数据日期 when the ledger has that quarter, else
    the latest stored period holding this very roster (stored under another --period, or without a
    date), else the date's quarter; None when nothing tells. The fingerprint is worked out only when
    a stored period before the date's quarter has as many households and people (≈ 0.3 s for 10,000
    households)."""
    latest = max((h.data_date for h in roster.households if h.data_date), default=None)
    dated = Period.of(latest).label if latest else None
    if dated is not None and any(p.period == dated for p in stored):
        return dated
    people = sum(len(h.members) for h in roster.households)
    alike = [
        p
        for p in stored
        if (p.households, p.people) == (len(roster.households), people)
        and (dated is None or p.period < dated)
    ]
    if alike:
        printed = roster_fingerprint(snapshot_of(roster, None))
        same = [p.period for p in alike if p.roster_fingerprint == printed]
        if same:
            return max(same)
    return dated


def income_source(context: RunContext, db: Path | None = None) -> LedgerIncomes | None:
    """The run's ledger (`--db`, else where `fanpin ledger` keeps it for this workspace or output
    folder) as the source of the cards' income trend; None when there is no ledger."""
    path = database_path(context.settings, out=context.output.root, db=db)
    if db is not None and not path.is_file():
        raise LedgerError(
            f"找不到 --db 给出的动态监测台账「{path}」", hint="检查路径，或去掉 --db 使用默认的台账"
        )
    return LedgerIncomes(path) if path.is_file() else None
