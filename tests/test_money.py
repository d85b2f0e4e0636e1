"""Money: parsing what people type, rounding, display, and 大写金额."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from fanpin_docs.money import (
    CommaError,
    amount_in_words,
    format_amount,
    format_number,
    format_percent,
    parse_decimal,
    yuan,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,500", "1500"),
        ("１５００", "1500"),
        ("１，５００．５０", "1500.50"),
        ("1500.0", "1500.0"),
        (1500.0, "1500.0"),
        (1500, "1500"),
        (0.3, "0.3"),
        (Decimal("12.34"), "12.34"),
        (" 1500 ", "1500"),
        ("1500元", "1500"),
        ("¥1,500.25", "1500.25"),
        ("￥1500", "1500"),
        ("-20", "-20"),
        ("-1,500", "-1500"),
        ("1,500,000", "1500000"),
        ("20,000.50", "20000.50"),
        ("1,500.", "1500"),
        ("１２，３４５，６７８．９", "12345678.9"),
        ("1,500元", "1500"),
        (" 1 , 500 ", "1500"),
    ],
)
def test_parse_decimal_reads_what_people_type(raw: object, expected: str) -> None:
    assert parse_decimal(raw) == Decimal(expected)


@pytest.mark.parametrize(
    "raw",
    ["1.500,00", "15,00", "2,0000", "1,50", "1,5000.00", ",500", "1,500,", "1,,500", "1.500,5", "１５，００"],
)
def test_parse_decimal_refuses_commas_that_do_not_group_thousands(raw: str) -> None:
    # dropping them read 1.500,00 as 1.5, 15,00 as 1500 and 2,0000 as 20000
    with pytest.raises(CommaError, match="逗号的位置不是千位分隔") as caught:
        parse_decimal(raw)
    assert "千位分隔" in caught.value.hint


def test_parse_decimal_never_goes_through_binary_float_noise() -> None:
    # 0.1 + 0.2 as a float cell is 0.30000000000000004; a typed 0.3 must stay exactly 0.3
    assert parse_decimal(0.3) == Decimal("0.3")
    assert str(parse_decimal(1234.56)) == "1234.56"


@pytest.mark.parametrize("raw", ["三千", "", "   ", "abc", "Infinity", "NaN", "1.2.3", True, None])
def test_parse_decimal_refuses_what_is_not_a_number(raw: object) -> None:
    with pytest.raises(ValueError):
        parse_decimal(raw)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.005", "1.01"),
        ("1.004", "1.00"),
        ("2.5", "2.50"),
        ("-1.005", "-1.01"),
        (3, "3.00"),
        ("0.125", "0.13"),
    ],
)
def test_yuan_rounds_half_up_to_the_fen(value: object, expected: str) -> None:
    result = yuan(value)  # type: ignore[arg-type]
    assert result == Decimal(expected)
    assert str(result) == expected


def test_format_amount_two_decimals_and_thousands() -> None:
    assert format_amount(Decimal("12345.6")) == "12,345.60"
    assert format_amount(Decimal("0")) == "0.00"
    assert format_amount(Decimal("1234567.005")) == "1,234,567.01"
    assert format_amount(Decimal("12345.6"), thousands=False) == "12345.60"


def test_format_number_and_percent_drop_useless_zeros() -> None:
    assert format_number(Decimal("7.0")) == "7"
    assert format_number(Decimal("6.5")) == "6.5"
    assert format_number(Decimal("10000")) == "10,000"
    assert format_number(Decimal("1E+4")) == "10,000"
    assert format_percent(Decimal("0.8")) == "80%"
    assert format_percent(Decimal("0.70")) == "70%"
    assert format_percent(Decimal("0.125")) == "12.5%"


# --- 大写金额 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        # three textbook examples of 大写金额
        ("325.04", "人民币叁佰贰拾伍元零肆分"),
        ("1409.50", "人民币壹仟肆佰零玖元伍角"),
        ("6007.14", "人民币陆仟零柒元壹角肆分"),
        ("0", "人民币零元整"),
        ("0.00", "人民币零元整"),
        ("10", "人民币壹拾元整"),
        ("100", "人民币壹佰元整"),
        ("740", "人民币柒佰肆拾元整"),
        ("1010", "人民币壹仟零壹拾元整"),
        ("100000", "人民币壹拾万元整"),
        ("100700", "人民币壹拾万零柒佰元整"),
        # inner zeros always give one 零, also when the zero is the 万 digit
        ("107000.53", "人民币壹拾万零柒仟元伍角叁分"),
        ("101000", "人民币壹拾万零壹仟元整"),
        ("1000000001", "人民币壹拾亿零壹元整"),
        ("1070000000", "人民币壹拾亿零柒仟万元整"),
        ("20000100", "人民币贰仟万零壹佰元整"),
        ("12000000", "人民币壹仟贰佰万元整"),
        ("100000000", "人民币壹亿元整"),
        ("1000000000000", "人民币壹万亿元整"),
        ("1234500000000", "人民币壹万贰仟叁佰肆拾伍亿元整"),
        ("1000100000000", "人民币壹万零壹亿元整"),
        ("0.05", "人民币伍分"),
        ("0.5", "人民币伍角"),
        ("0.50", "人民币伍角"),
        ("2000.00", "人民币贰仟元整"),
        ("1680.32", "人民币壹仟陆佰捌拾元叁角贰分"),
        ("1680.02", "人民币壹仟陆佰捌拾元零贰分"),
        ("100000.00", "人民币壹拾万元整"),
        ("10500", "人民币壹万零伍佰元整"),
    ],
)
def test_amount_in_words_examples(amount: str, words: str) -> None:
    assert amount_in_words(Decimal(amount)) == words


def test_amount_in_words_rounds_to_the_fen_first() -> None:
    assert amount_in_words(Decimal("0.005")) == "人民币壹分"
    assert amount_in_words(Decimal("99.995")) == "人民币壹佰元整"


def test_amount_in_words_accepts_int_and_str() -> None:
    assert amount_in_words(740) == "人民币柒佰肆拾元整"
    assert amount_in_words("740.00") == "人民币柒佰肆拾元整"


def test_amount_in_words_refuses_negative() -> None:
    with pytest.raises(ValueError):
        amount_in_words(Decimal("-1"))


# An independent implementation: split recursively at 亿 and 万 and read each four-digit part,
# instead of walking the digits (the production code's way).

_D = "零壹贰叁肆伍陆柒捌玖"


def _four(n: int) -> str:
    """1 ≤ n ≤ 9999, no leading 零, inner zero runs as one 零, no trailing 零."""
    out = ""
    gap = False
    for value, unit in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        digit = n // value % 10
        if digit == 0:
            gap = gap or bool(out)
            continue
        if gap:
            out += "零"
            gap = False
        out += _D[digit] + unit
    return out


def _integer_words(n: int) -> str:
    if n >= 10**8:
        high, low = divmod(n, 10**8)
        text = _integer_words(high) + "亿"
        if low:
            text += ("零" if low < 10**7 or high % 10 == 0 else "") + _integer_words(low)
        return text
    if n >= 10**4:
        high, low = divmod(n, 10**4)
        text = _four(high) + "万"
        if low:
            text += ("零" if low < 1000 or high % 10 == 0 else "") + _four(low)
        return text
    return _four(n)


def reference_words(amount: Decimal) -> str:
    cents = int((amount * 100).to_integral_value())
    integer, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    head = _integer_words(integer) + "元" if integer else ""
    if not jiao and not fen:
        return "人民币" + (head or "零元") + "整"
    tail = (_D[jiao] + "角" if jiao else ("零" if head else "")) + (_D[fen] + "分" if fen else "")
    return "人民币" + head + tail


def test_reference_implementation_agrees_with_the_spec_examples() -> None:
    # guards the guard: the reference itself must give the textbook examples
    assert reference_words(Decimal("325.04")) == "人民币叁佰贰拾伍元零肆分"
    assert reference_words(Decimal("1409.50")) == "人民币壹仟肆佰零玖元伍角"
    assert reference_words(Decimal("6007.14")) == "人民币陆仟零柒元壹角肆分"
    assert reference_words(Decimal("107000.53")) == "人民币壹拾万零柒仟元伍角叁分"


def _random_amounts(count: int) -> list[Decimal]:
    rng = random.Random(20240430)
    amounts = []
    for _ in range(count):
        digits = rng.randint(1, 13)
        # many zeros: each digit is 0 with probability 1/2, so inner-zero runs are common
        integer = int("".join(rng.choice("0000012345678901") for _ in range(digits)) or "0")
        cents = rng.choice([0, 0, rng.randint(0, 9) * 10, rng.randint(0, 9), rng.randint(0, 99)])
        amounts.append(Decimal(integer) + Decimal(cents) / 100)
    return amounts


def test_amount_in_words_matches_an_independent_implementation_on_2000_random_amounts() -> None:
    amounts = _random_amounts(2000)
    assert len({a for a in amounts if a >= 10**8}) > 100  # the 亿 range is really exercised
    mismatches = [
        (a, amount_in_words(a), reference_words(a))
        for a in amounts
        if amount_in_words(a) != reference_words(a)
    ]
    assert mismatches == []
