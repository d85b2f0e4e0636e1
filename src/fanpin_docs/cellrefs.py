"""A1-style cell references: a column's letters and its number (the readers' sheet scan, the
workbooks written here)."""

from __future__ import annotations

from functools import cache


def column_number(letters: bytes) -> int:
    """`A` → 1, `Z` → 26, `AA` → 27, `XFD` → 16384 (`xfd` too)."""
    number = 0
    for letter in letters:
        number = number * 26 + (letter | 0x20) - 96
    return number


@cache  # a workbook writer asks for the same few columns on every row
def column_letters(number: int) -> str:
    """1 → `A`, 27 → `AA`."""
    letters = ""
    while number:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
