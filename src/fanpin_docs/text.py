"""Normalising what people type into spreadsheets: widths, spaces, number and phone formats."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize_text(value: object) -> str:
    """Full-width to half-width (NFKC), trimmed, inner runs of spaces collapsed to one."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if _SPACES.search(text) is None:
        return text
    return _SPACES.sub(" ", text).strip()


def header_key(value: object) -> str:
    """The form two headers are compared in: half-width, no spaces, no line breaks, unified brackets."""
    text = normalize_text(value)
    return _SPACES.sub("", text)


def normalize_phone(value: object) -> str | None:
    """An 11-digit mobile (`13812345678`) or a landline with area code (`023-87654321`); None if neither."""
    text = normalize_text(value)
    if not text:
        return None
    digits = re.sub(r"[\s\-()]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if re.fullmatch(r"1[3-9]\d{9}", digits):
        return digits
    landline = re.fullmatch(r"(0\d{2,3})(\d{7,8})", digits)
    if landline:
        return f"{landline.group(1)}-{landline.group(2)}"
    return None

