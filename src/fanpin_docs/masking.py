"""Masks for what public lists and messages may show (domain.md §5)."""

from __future__ import annotations


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
