"""Normalising what people type into spreadsheets: widths, spaces, number and phone formats."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# characters a Word or Excel file cannot hold (XML 1.0): control characters other than tab and line
# breaks, lone surrogates, U+FFFE and U+FFFF; DEL too. Every text read from a cell loses them here.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_CONTROLS = XML_ILLEGAL


def normalize_text(value: object) -> str:
    """Full-width to half-width (NFKC), control characters dropped, trimmed, inner runs of spaces
    collapsed to one."""
    if value.__class__ is str:  # most cells: skip the checks for other types
        text: str = value
    elif value is None:
        return ""
    else:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value)
    # ASCII text is its own NFKC form
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if not text.isprintable():
        text = _CONTROLS.sub("", text)
    if _SPACES.search(text) is None:
        return text
    return _SPACES.sub(" ", text).strip()


_INLINE_SPACES = re.compile(r"[ \t\u3000\xa0]+")


def normalize_prose(value: object) -> str:
    """Free text for documents (建设内容, 绩效目标, …) as typed: Chinese punctuation stays full-width
    (，：；（）, which NFKC would turn into ASCII); runs of spaces collapse, each line is trimmed and
    empty lines are dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    lines = (_INLINE_SPACES.sub(" ", _CONTROLS.sub("", line)).strip() for line in str(value).splitlines())
    return "\n".join(line for line in lines if line)


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
    # area codes: 010 and 020–029 have three digits, every other one four (023-87654321, 0762-1234567)
    area_length = 3 if digits.startswith(("010", "02")) else 4
    area, number = digits[:area_length], digits[area_length:]
    if digits.startswith("0") and digits.isdigit() and 7 <= len(number) <= 8:
        return f"{area}-{number}"
    return None
