"""The batch's list of cards (明白卡清单.xlsx): one row per household with its file, every amount,
the total, per-capita income against the monitoring line, the explanations and the warnings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from copy import copy

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..money import ZERO, format_amount
from ..policy import Policy
from ..xlsx import (
    BODY_FONT,
    BORDER,
    CENTER,
    LEFT,
    MONEY_FORMAT,
    RIGHT,
    CachedFormulas,
    put_text,
    setup_sheet,
    workbook_bytes,
    write_header,
    write_title,
)
from .data import Card

SHEET = "明白卡清单"
FIXED = ["序号", "乡（镇）", "行政村", "户编号", "户主", "人口", "文件"]
TAIL = ["合计（元）", "人均纯收入（元）", "监测线（元）", "低于监测线", "计算说明", "提醒"]
FIXED_WIDTHS = [6, 12, 12, 18, 10, 6, 40]
BELOW_FONT = Font(name=BODY_FONT.name, size=BODY_FONT.size, bold=True, color="C00000")


def measure_columns(policy: Policy, cards: Sequence[Card]) -> list[str]:
    """One column per policy item in the batch: the policy's rules in file order, then other items."""
    seen = {line.name for card in cards for line in card.lines}
    ordered = [rule.name for rule in policy.rules if rule.name in seen]
    others = sorted(seen - set(ordered))
    return ordered + others


class _Styler:
    """Styles cells by copying the style of the first cell styled each way: openpyxl's style setters
    hash whole style objects on every assignment, far too slow for ten thousand rows."""

    def __init__(self) -> None:
        self.cache: dict[str, object] = {}

    def apply(self, cell: Cell, kind: str) -> Cell:
        known = self.cache.get(kind)
        if known is not None:
            cell._style = copy(known)
            return cell
        cell.border = BORDER
        if kind == "money":
            cell.number_format = MONEY_FORMAT
            cell.alignment = RIGHT
        elif kind in ("flag", "below"):
            cell.alignment = CENTER
            if kind == "below":
                cell.font = BELOW_FONT
        elif kind == "wrap":
            cell.alignment = LEFT
        self.cache[kind] = copy(cell._style)
        return cell


def build_manifest(cards: Sequence[Card], policy: Policy, *, title: str, notes: Sequence[str] = (),
                   poll: Callable[[], None] = lambda: None) -> tuple[Workbook, CachedFormulas]:
    """The workbook and its formulas' cached values; `poll` is called every few hundred rows."""
    columns = measure_columns(policy, cards)
    headers = FIXED + [f"{name}（元）" for name in columns] + TAIL
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    cached = CachedFormulas()
    styler = _Styler()
    write_title(sheet, 1, title, len(headers))
    write_header(sheet, 2, headers)
    first_amount = len(FIXED) + 1
    total_column = first_amount + len(columns)
    sums = [ZERO] * (len(columns) + 1)
    line = policy.monitoring_line
    for index, card in enumerate(cards, 1):
        row = index + 2
        household = card.household
        values = [str(index), household.township, household.village, household.household_id, household.head.name,
                  str(household.size), card.path]
        for column, text in enumerate(values, 1):
            styler.apply(put_text(sheet.cell(row=row, column=column), text), "text")
        amounts = dict.fromkeys(columns, ZERO)
        for item in card.lines:
            amounts[item.name] += item.amount
        money = [amounts[name] for name in columns] + [card.total, card.per_capita, line]
        for offset, amount in enumerate(money):
            styler.apply(sheet.cell(row=row, column=first_amount + offset, value=amount), "money")
        for offset, amount in enumerate(money[:len(sums)]):
            sums[offset] += amount
        flag = put_text(sheet.cell(row=row, column=total_column + 3), "是" if card.below_line else "否")
        styler.apply(flag, "below" if card.below_line else "flag")
        explained = "；".join(f"{item.name}：{item.explanation}" for item in card.lines if item.computed)
        for column, text in ((total_column + 4, explained), (total_column + 5, "；".join(card.warnings))):
            styler.apply(put_text(sheet.cell(row=row, column=column), text), "wrap")
        if index % 500 == 0:
            poll()
    last = len(cards) + 2
    total_row = last + 1
    label = put_text(sheet.cell(row=total_row, column=1), f"合计（{len(cards)} 户）")
    label.font = Font(name=BODY_FONT.name, size=BODY_FONT.size, bold=True)
    sheet.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=len(FIXED))
    for offset, total in enumerate(sums):
        letter = get_column_letter(first_amount + offset)
        cell = sheet.cell(row=total_row, column=first_amount + offset)
        cached.put(cell, f"=SUM({letter}3:{letter}{last})" if cards else "=0", total)
        cell.border = BORDER
    widths = FIXED_WIDTHS + [max(12.0, 2.2 * len(name) + 4) for name in columns] + [14, 16, 12, 10, 50, 50]
    setup_sheet(sheet, landscape=True, title_rows="2:2", widths=widths)
    sheet.freeze_panes = "F3"
    if cards:
        sheet.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{last}"
    _notes_sheet(book, policy, cards, notes)
    return book, cached


def _notes_sheet(book: Workbook, policy: Policy, cards: Sequence[Card], notes: Sequence[str]) -> None:
    sheet = book.create_sheet("说明")
    below = sum(1 for card in cards if card.below_line)
    warned = sum(1 for card in cards if card.warnings)
    rows = [
        ("政策", policy.title),
        ("监测线（人均纯收入，元/年）", format_amount(policy.monitoring_line)),
        ("户数", str(len(cards))),
        ("政策金额合计（元）", format_amount(sum((card.total for card in cards), ZERO))),
        ("人均纯收入低于监测线的户数", str(below)),
        ("有提醒的户数", str(warned)),
        ("金额来源", "按政策计算的项目由政策文件的规则计算（见「计算说明」列）；其他项目按台账填写的金额。"
                  "台账金额与计算结果不一致的，以计算结果为准，并在「提醒」列列出。"),
        *(("提示", note) for note in notes),
    ]
    for index, (name, value) in enumerate(rows, 1):
        put_text(sheet.cell(row=index, column=1), name).font = Font(name=BODY_FONT.name, bold=True)
        put_text(sheet.cell(row=index, column=2), value).alignment = LEFT
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 100


def manifest_bytes(cards: Sequence[Card], policy: Policy, *, title: str, notes: Sequence[str] = (),
                   poll: Callable[[], None] = lambda: None) -> bytes:
    book, cached = build_manifest(cards, policy, title=title, notes=notes, poll=poll)
    return workbook_bytes(book, cached)
