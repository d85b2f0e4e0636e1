"""Masks for what public lists and messages may show."""

from __future__ import annotations

import re
from dataclasses import dataclass


def mask_id(id_number: str | None) -> str:
    """`500114199001011234` → `500114********1234`; anything shorter keeps only its ends."""
    if not id_number:
        return ""
    text = str(id_number)
    if len(text) >= 12:
        return text[:6] + "*" * (len(text) - 10) + text[-4:]
    if len(text) > 4:
        return "*" * (len(text) - 2) + text[-2:]
    return "*" * len(text)


def mask_bank_card(card: str | None) -> str:
    """Only the last four digits: `**** **** **** 1234` shortened to `****1234`."""
    if not card:
        return ""
    return "*" * max(len(card) - 4, 4) + card[-4:]


def mask_phone(phone: str | None) -> str:
    """`13812345678` → `138****5678`; a landline keeps its area code and last four digits."""
    if not phone:
        return ""
    if len(phone) == 11 and phone.isdigit():
        return phone[:3] + "****" + phone[-4:]
    if "-" in phone:
        area, number = phone.split("-", 1)
        return area + "-" + "*" * max(len(number) - 4, 0) + number[-4:]
    return "*" * max(len(phone) - 4, 0) + phone[-4:]


def mask_unparsed_phone(text: str) -> str:
    """A phone number that could not be read, for a message: its middle hidden like an ID's
    (`1381234567` → `138***4567`); a short one keeps only its last two characters."""
    if len(text) >= 9:
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    return "*" * max(len(text) - 2, 0) + text[-2:]


def excel_general(number: float) -> str:
    """A large number as Excel's General format shows it in a cell: `5.00114E+17`."""
    mantissa, exponent = f"{number:.5E}".split("E")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}E{exponent[0]}{int(exponent[1:]):02d}"


_SCIENTIFIC = re.compile(r"^[+-]?\d(\.\d+)?E[+-]?\d+$", re.IGNORECASE)


def mask_value(value: object, is_id: bool) -> str:
    """How a cell value appears in a message: IDs masked, long text shortened.

    An ID that Excel turned into a number is shown as Excel shows it (`5.00114E+17`): it is no
    longer a full number, and that is what the user sees in the cell.
    """
    if is_id and isinstance(value, float) and abs(value) >= 1e11:
        return excel_general(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)  # a number cell shows 1500 in Excel, not 1500.0
    text = "" if value is None else str(value)
    if is_id:
        compact = text.replace(" ", "")
        return compact if _SCIENTIFIC.match(compact) else mask_id(compact)
    return text if len(text) <= 40 else text[:40] + "…"


@dataclass(frozen=True)
class Masks:
    """Masks with the lengths a policy file's [privacy] sets (`Policy.masks()`); defaults keep an ID's first 6 and last 4, a card's last 4."""

    id_keep_start: int = 6
    id_keep_end: int = 4
    card_keep_end: int = 4

    def id_number(self, id_number: str) -> str:
        """`500114199001011234` → `500114********1234` with the default settings."""
        return _keep(id_number, self.id_keep_start, self.id_keep_end)

    def card(self, card: str) -> str:
        """Only the last digits: `6217001234567890123` → `***************0123`."""
        return _keep(card, 0, self.card_keep_end)

    def card_tail(self, card: str) -> str:
        """The last digits only, compact for printed lists: `6217001234567890123` → `****0123`."""
        if not card:
            return ""
        keep = min(self.card_keep_end, len(card) // 2)
        return "****" + card[len(card) - keep :] if keep else "****"


def _keep(text: str, start: int, end: int) -> str:
    if not text:
        return ""
    hidden = len(text) - start - end
    if hidden < 1 or hidden * 3 < len(text):  # a short value would show too much: hide at least half
        end = min(end, len(text) // 2)
        start = 0
        hidden = len(text) - end
    return text[:start] + "*" * hidden + (text[len(text) - end :] if end else "")
