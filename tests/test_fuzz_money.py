"""Money properties: 大写 reads back to the same amount; rounding is to the fen, half up."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from fanpin_docs.money import amount_in_words, format_amount, parse_decimal, yuan

DIGITS = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
SMALL = {"拾": 10, "佰": 100, "仟": 1000}


def words_to_amount(words: str) -> Decimal:
    """Read 大写 back: a small parser written for the test, independent of the implementation."""
    assert words.startswith("人民币")
    text = words.removeprefix("人民币").removesuffix("整")
    integer_part, _, fraction = text.partition("元")
    if "元" not in text:  # only 角/分
        integer_part, fraction = "", text
    total = 0
    for big_unit, factor in (("亿", 10**8), ("万", 10**4)):
        if big_unit in integer_part:
            head, integer_part = integer_part.split(big_unit, 1)
            total += _section(head) * factor
    total += _section(integer_part)
    cents = 0
    fraction = fraction.lstrip("零")
    if "角" in fraction:
        head, fraction = fraction.split("角", 1)
        cents += DIGITS[head] * 10
    if "分" in fraction:
        cents += DIGITS[fraction.removesuffix("分")]
    return Decimal(total) + Decimal(cents) / 100


def _section(text: str) -> int:
    """A run like 壹仟零伍拾 or 壹拾万 (with 万 already split off) → number; 零 are separators only."""
    value, digit = 0, 0
    for char in text.replace("零", ""):
        if char in DIGITS:
            digit = DIGITS[char]
        elif char in SMALL:
            value += digit * SMALL[char]
            digit = 0
        elif char == "万":  # 万 inside a 亿 section
            value = (value + digit) * 10**4
            digit = 0
    return value + digit


amounts = st.decimals(
    min_value=0, max_value=Decimal("99999999999.99"), places=2, allow_nan=False, allow_infinity=False
)


@settings(max_examples=2000, deadline=None)
@given(amounts)
def test_words_read_back_to_the_amount(amount: Decimal) -> None:
    assert words_to_amount(amount_in_words(amount)) == amount


@given(amounts)
def test_words_use_only_the_payment_characters(amount: Decimal) -> None:
    words = amount_in_words(amount)
    assert set(words) <= set("人民币零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
    assert "零零" not in words
    assert words.endswith(("整", "角", "分"))


@given(amounts)
def test_formatted_amount_parses_back(amount: Decimal) -> None:
    assert parse_decimal(format_amount(amount)) == amount


@given(st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False))
def test_yuan_rounds_half_up_to_the_fen(value: Decimal) -> None:
    rounded = yuan(value)
    assert abs(rounded - value) <= Decimal("0.005")
    assert rounded.as_tuple().exponent == -2
