"""Masks for what public lists and messages may show (domain.md §5)."""

from __future__ import annotations

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


def mask_value(value: object, is_id: bool) -> str:
    """How a cell value appears in a message: IDs masked, long text shortened."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)  # a number cell shows 1500 in Excel, not 1500.0
    text = "" if value is None else str(value)
    if is_id:
        return mask_id(text.replace(" ", ""))
    return text if len(text) <= 40 else text[:40] + "…"


@dataclass(frozen=True)
class Masks:
    """Masks with the lengths a policy file's [privacy] sets (`Policy.masks()`); defaults as domain.md §5."""

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
