"""The batch's list of cards (明白卡清单.xlsx): one row per household with every amount, the total and
per-capita income against the monitoring line, then (in the workbook, not on paper) its file, the
explanations and the warnings.

Ten thousand styled rows take openpyxl two to three seconds, most of the time budget of a whole
batch, so the sheet is written straight to SpreadsheetML with the training documents' writer
(`fanpin_docs.sheetxml`: data only ever as text cells, formulas only from the tool with cached values,
A4 landscape at a readable scale, title and header rows repeated, page numbers, deterministic zip).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from ..cellrefs import column_letters
from ..money import ZERO, format_amount
from ..policy import Policy
from ..printing import POINTS_PER_WIDTH, row_height, text_points
from ..sheetxml import Formula, Sheet, workbook_bytes
from .data import Card

SHEET = "明白卡清单"
FIXED = ["序号", "行政村", "户编号", "户主", "人口"]
TAIL = ["合计（元）", "人均纯收入（元）", "低于监测线"]
# kept in the workbook after the printed columns: a file path, long explanations and what every row
# repeats are not for paper
OFF_PAPER = ["乡（镇）", "监测线（元）", "文件", "计算说明", "提醒"]
OFF_PAPER_WIDTHS = [12, 12, 36, 45, 40]
_FROZEN = '<pane xSplit="5" ySplit="2" topLeftCell="F3" activePane="bottomRight" state="frozen"/>'


class _ListSheet(Sheet):
    """The list sheet, with the title, header and the first five columns frozen while scrolling."""

    def xml(self, selected: bool) -> str:
        text = super().xml(selected)
        return text.replace('workbookViewId="0"/>', f'workbookViewId="0">{_FROZEN}</sheetView>', 1)


def measure_columns(policy: Policy, cards: Sequence[Card]) -> list[str]:
    """One column per policy item in the batch: the policy's rules in file order, then other items."""
    seen = {line.name for card in cards for line in card.lines}
    ordered = [rule.name for rule in policy.rules if rule.name in seen]
    return ordered + sorted(seen - set(ordered))


def list_sheet(
    cards: Sequence[Card], policy: Policy, *, title: str, poll: Callable[[], None] = lambda: None
) -> Sheet:
    """One row per household: on paper its place, head, every amount, the total and the per-capita
    income against the line; the file, explanations and warnings only in the workbook."""
    columns = measure_columns(policy, cards)
    headers = FIXED + [f"{name}（元）" for name in columns] + TAIL + OFF_PAPER
    paper = len(FIXED) + len(columns) + len(TAIL)
    sheet = _ListSheet(
        SHEET, len(headers), landscape=True, title_rows=(1, 2), key_columns=len(FIXED), print_columns=paper
    )
    sheet.cells(1, [title], ["title"], height=30)
    sheet.merge(1, 1, 1, paper)
    styles = ["center"] * 5 + ["money"] * (len(columns) + 2) + ["center"] * 2 + ["money"] + ["left"] * 3
    sums = [ZERO] * (len(columns) + 1)
    per_capita: list[Decimal] = []
    for index, card in enumerate(cards, 1):
        household = card.household
        amounts = dict.fromkeys(columns, ZERO)
        for item in card.lines:
            amounts[item.name] += item.amount
        money = [amounts[name] for name in columns] + [card.total]
        for offset, amount in enumerate(money):
            sums[offset] += amount
        if card.per_capita is not None:
            per_capita.append(card.per_capita)
        explained = "；".join(f"{item.name}：{item.explanation}" for item in card.lines if item.computed)
        sheet.cells(
            index + 2,
            [
                str(index),
                household.village,
                household.household_id,
                household.head.name,
                str(household.size),
                *money,
                card.per_capita if card.per_capita is not None else "未提供",
                "是" if card.below_line else "否",
                household.township,
                policy.monitoring_line,
                card.path,
                explained,
                "；".join(card.warnings),
            ],
            styles,
        )
        if index % 500 == 0:
            poll()
    last = len(cards) + 2
    first_amount = len(FIXED) + 1
    totals: list[object] = [f"合计（{len(cards)} 户）"] + [None] * (len(FIXED) - 1)
    for offset, total in enumerate(sums):
        letter = column_letters(first_amount + offset)
        totals.append(Formula(f"SUM({letter}3:{letter}{last})", total) if cards else total)
    totals += [None] * (len(headers) - len(totals))
    sheet.cells(
        last + 1,
        totals,
        ["total"] * len(FIXED) + ["money"] * len(sums) + ["center"] * (len(headers) - len(FIXED) - len(sums)),
    )
    sheet.merge(last + 1, 1, last + 1, len(FIXED))
    sheet.last_table_row = last
    sheet.widths = _widths(cards, columns, sums, per_capita)
    header_height = row_height(list(zip(headers, sheet.widths, strict=True)), minimum=32)
    sheet.cells(2, headers, ["header"] * len(headers), height=header_height)
    return sheet


def _widths(
    cards: Sequence[Card], columns: Sequence[str], sums: Sequence[Decimal], per_capita: Sequence[Decimal]
) -> list[float]:
    """Paper columns as wide as what they print (the largest amount is the total), headers wrapping."""

    def fit(texts: Iterable[str], minimum: float) -> float:
        longest = max((text_points(text) for text in texts), default=0)
        return max(minimum, round(longest / POINTS_PER_WIDTH + 1.5, 1))

    households = [card.household for card in cards]
    longest_id = max((h.household_id for h in households), key=len, default="")
    fixed = [
        fit([str(len(cards))], 5),
        fit({h.village for h in households}, 7),
        fit([longest_id], 8),
        fit({h.head.name for h in households}, 6),
        5.0,
    ]
    amounts = [fit([f"{total:,.2f}"], 9) for total in sums]
    largest = max(per_capita, default=ZERO)
    tail = [fit([f"{largest:,.2f}", "未提供"], 9), 6.5]
    return fixed + amounts + tail + OFF_PAPER_WIDTHS


def notes_sheet(cards: Sequence[Card], policy: Policy, notes: Sequence[str]) -> Sheet:
    below = sum(1 for card in cards if card.below_line)
    rows = [
        ("政策", policy.title),
        ("监测线（人均纯收入，元/年）", format_amount(policy.monitoring_line)),
        ("户数", str(len(cards))),
        ("政策金额合计（元）", format_amount(sum((card.total for card in cards), ZERO))),
        ("人均纯收入低于监测线的户数", str(below)),
        ("有提醒的户数", str(sum(1 for card in cards if card.warnings))),
        (
            "金额来源",
            "按政策计算的项目由政策文件的规则计算（见「计算说明」列）；其他项目按台账填写的金额。"
            "台账金额与计算结果不一致的，以计算结果为准，并在「提醒」列列出。",
        ),
        *(("提示", note) for note in notes),
    ]
    widths = [20.0, 56.0]  # one portrait page wide; long notes wrap
    sheet = Sheet("说明", 2, widths=widths)
    for index, (name, value) in enumerate(rows, 1):
        height = row_height([(name, widths[0]), (value, widths[1])], minimum=22)
        sheet.cells(index, [name, value], ["center", "left"], height=height)
    return sheet


def manifest_bytes(
    cards: Sequence[Card],
    policy: Policy,
    *,
    title: str,
    timestamp: str,
    notes: Sequence[str] = (),
    poll: Callable[[], None] = lambda: None,
) -> bytes:
    """The .xlsx bytes of the list (already deterministic: fixed zip times, properties from `timestamp`)."""
    return workbook_bytes(
        [list_sheet(cards, policy, title=title, poll=poll), notes_sheet(cards, policy, notes)], timestamp
    )
