"""What one household's card says: roster + measures ledger + policy → a `Card` (where it goes, its
policy lines and totals for the list workbook) and its `CardFill`, from which `context.card_context`
makes the fields a template prints (the fields themselves are `fields.FIELDS`).

Amounts of rules the policy computes come from the rule engine with their explanations; other items
keep the amount the ledger gives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ..errors import InputError, Problem
from ..models import Household, IncomeHistory, MeasureRecord, Roster, StoredIncome
from ..money import ZERO, amount_in_words, yuan
from ..policy import (
    LineComparison,
    MissingInput,
    Policy,
    compare_with_line,
    compute_household_measures,
)
from .context import card_context
from .fields import FIELDS, VILLAGE_FIELDS
from .paths import CardPaths, card_paths, household_path

ONE_PAGE_MEMBERS = 8
ONE_PAGE_POLICIES = 10


@dataclass(frozen=True)
class PolicyLine:
    """One item on the card (one ledger row after the policy was applied)."""

    name: str
    amount: Decimal
    explanation: str
    computed: bool
    source_row: int
    on: date | None = None  # 落实日期 from the ledger
    note: str = ""


@dataclass(frozen=True)
class CardFill:
    """What a card's template context is made from (`context()`); everything here is already checked,
    so making the context cannot fail on the data."""

    household: Household
    lines: tuple[PolicyLine, ...]
    total: Decimal
    total_words: str
    comparison: LineComparison
    policy: Policy
    year: int
    on: date | None
    stored_incomes: tuple[StoredIncome, ...] = ()  # the household's quarters in the 动态监测台账

    def context(self) -> dict[str, Any]:
        return card_context(self)


NOT_MADE: dict[str, Any] = {}  # a card's context before it is made from the card's fill (by identity)


class _Context:
    """`Card.context`: the context given to the card, or, given `NOT_MADE`, made from its `fill` when
    first asked for; kept in the card's `__dict__` under the field's own name."""

    def __get__(self, card: Card | None, owner: type | None = None) -> dict[str, Any]:
        if card is None:
            raise AttributeError("context")  # no class-level default: the field stays required
        made: dict[str, Any] = card.__dict__["context"]
        if made is NOT_MADE and card.fill is not None:
            made = card.__dict__["context"] = card.fill.context()
        return made

    def __set__(self, card: Card, value: dict[str, Any]) -> None:
        card.__dict__["context"] = value


@dataclass(frozen=True)
class Card:
    """One household's card: where it goes, what the template gets, and what the manifest lists.

    `build_card` gives no context but its `fill`: the context is made when first asked for. A batch asks
    in the worker process that renders the card (`passing_context`), so the contexts of a whole roster
    are not made one after another before writing starts, nor kept after."""

    household: Household
    path: str  # relative to the output folder
    context: dict[str, Any]  # read and set through `_Context` (below)
    lines: tuple[PolicyLine, ...]
    total: Decimal
    per_capita: Decimal | None
    below_line: bool
    warnings: tuple[str, ...] = field(default=())
    fill: CardFill | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        """A copy sent to a worker process makes its context there (`NOT_MADE` is this process's own)."""
        state = dict(self.__dict__)
        if state["context"] is NOT_MADE:
            state["context"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, context=NOT_MADE if state["context"] is None else state["context"])

    def passing_context(self) -> dict[str, Any]:
        """The context for rendering the card once: made anew and not kept (a batch's worker would
        otherwise hold every context it rendered), unless the card has one already."""
        if self.__dict__["context"] is not NOT_MADE or self.fill is None:
            return self.context
        return self.fill.context()

    @property
    def village_key(self) -> tuple[str, str]:
        return (self.household.township, self.household.village)


# made lazily from the fill; set after the class so that the dataclass keeps the field required
setattr(Card, "context", _Context())  # noqa: B010


def select(
    roster: Roster, *, villages: Sequence[str] = (), households: Sequence[str] = ()
) -> list[Household]:
    """The households of the batch, ordered by township, village and 户编号."""
    chosen = list(roster.households)
    if villages:
        wanted = set(villages)
        chosen = [h for h in chosen if h.village in wanted or f"{h.township}{h.village}" in wanted]
    if households:
        wanted = set(households)
        chosen = [h for h in chosen if h.household_id in wanted]
    return sorted(chosen, key=lambda h: (h.township, h.village, h.household_id))


def compute_lines(
    policy: Policy, households: Iterable[Household], records: Sequence[MeasureRecord], measures_file: str
) -> dict[str, tuple[list[PolicyLine], list[str]]]:
    """Every household's policy lines and the warnings they raise; InputError listing every ledger row
    whose rule cannot be computed (e.g. the base is missing)."""
    by_household: dict[str, list[MeasureRecord]] = defaultdict(list)
    for record in records:
        by_household[record.household_id].append(record)
    problems: list[Problem] = []
    out: dict[str, tuple[list[PolicyLine], list[str]]] = {}
    for household in households:
        own = by_household.get(household.household_id, [])
        try:
            results = compute_household_measures(policy, household, own)
        except MissingInput as missing:
            problems += [_missing_problem(row, household, measures_file) for row in missing.rows]
            continue
        lines = [
            PolicyLine(
                name=result.rule.name if result.rule else result.record.name,
                amount=result.amount,
                explanation=result.explanation,
                computed=result.calculation is not None,
                source_row=result.record.source_row,
                on=result.record.on,
                note=result.record.note,
            )
            for result in results
        ]
        warnings = [
            f"{line.name}（台账第 {line.source_row} 行）：{text}"
            for line, result in zip(lines, results, strict=True)
            for text in result.warnings
        ]
        out[household.household_id] = (lines, warnings)
    if problems:
        raise InputError(problems)
    return out


def _missing_problem(missing: MissingInput, household: Household, measures_file: str) -> Problem:
    """The ledger cell the rule engine found empty (or wrong), with its reason."""
    record = missing.record
    message = str(missing)
    if missing.column == "金额" and record is not None:
        message = f"「{record.name}」不是政策文件中的计算规则，需要填写金额"
    return Problem(
        measures_file,
        message,
        row=record.source_row if record is not None else None,
        column=missing.column,
        household=household.household_id,
        hint="补填这一格，或把措施名称改为政策文件中的规则名称",
    )


def build_card(
    household: Household,
    lines: Sequence[PolicyLine],
    warnings: Sequence[str],
    *,
    policy: Policy,
    year: int,
    on: date | None,
    path: str | None = None,
    stored_incomes: Sequence[StoredIncome] = (),
) -> Card:
    items = tuple(lines)
    total = yuan(sum((line.amount for line in items), ZERO))
    against_line = compare_with_line(policy, household)
    fill = CardFill(
        household, items, total, amount_in_words(total), against_line, policy, year, on, tuple(stored_incomes)
    )
    notes = list(warnings)
    if household.helper is None:
        notes.append("名单中没有登记帮扶联系人，明白卡上印为「未登记」")
    if len(household.members) > ONE_PAGE_MEMBERS or len(items) > ONE_PAGE_POLICIES:
        notes.append(
            f"{len(household.members)} 名成员、{len(items)} 项政策，超过一页的容量"
            f"（{ONE_PAGE_MEMBERS} 人、{ONE_PAGE_POLICIES} 项），明白卡可能排成两页"
        )
    return Card(
        household=household,
        path=path if path is not None else household_path(household),
        context=NOT_MADE,
        lines=items,
        total=total,
        per_capita=against_line.per_capita,
        below_line=against_line.below,
        warnings=tuple(notes),
        fill=fill,
    )


def build_cards(
    roster: Roster,
    records: Sequence[MeasureRecord],
    policy: Policy,
    *,
    year: int,
    on: date | None = None,
    measures_file: str = "",
    villages: Sequence[str] = (),
    households: Sequence[str] = (),
    paths: CardPaths | None = None,
    income_history: IncomeHistory | None = None,
) -> list[Card]:
    """The cards of the batch, in print order. Raises InputError if a ledger row cannot be computed.
    `paths`: the roster's `card_paths`, when the caller has them already; `income_history`: the
    households' quarters stored in the 动态监测台账, for the cards' income trend."""
    history = income_history or {}
    chosen = select(roster, villages=villages, households=households)
    paths = paths if paths is not None else card_paths(roster.households)
    computed = compute_lines(policy, chosen, records, measures_file)
    roster_notes: dict[str, list[str]] = defaultdict(list)
    household_of_row = {row: h.household_id for h in chosen for row in h.source_rows}
    for problem in roster.warnings:
        owner = problem.household or household_of_row.get(problem.row or 0)
        if owner:
            column = f"「{problem.column}」" if problem.column else ""
            roster_notes[owner].append(f"名单第 {problem.row} 行{column}：{problem.message}")
    return [
        build_card(
            h,
            computed[h.household_id][0],
            roster_notes[h.household_id] + computed[h.household_id][1],
            policy=policy,
            year=year,
            on=on,
            path=paths.card(h),
            stored_incomes=history.get(h.household_id, ()),
        )
        for h in chosen
    ]


__all__ = [
    "Card",
    "CardFill",
    "FIELDS",
    "PolicyLine",
    "VILLAGE_FIELDS",
    "build_card",
    "build_cards",
    "select",
]
