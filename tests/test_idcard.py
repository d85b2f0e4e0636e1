"""Resident ID numbers (GB 11643-1999): check digit, refusals with their reason, birth date, sex, age."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fanpin_docs.idcard import IdNumberProblem, age_on, birth_date, check_digit, sex_of, validate_id_number
from helpers import make_id


def test_check_digit_of_published_examples() -> None:
    # examples printed in the standard's explanations and widely reproduced
    assert check_digit("11010519491231002") == "X"
    assert check_digit("44052418800101001") == "4"


def test_check_digit_by_hand() -> None:
    # independent: weights 2^(17-i) mod 11, check = (12 - sum mod 11) mod 11, 10 → X
    first17 = "50011419900215456"
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    expected = (12 - total % 11) % 11
    assert check_digit(first17) == ("X" if expected == 10 else str(expected))


def test_valid_id_is_returned_canonical() -> None:
    good = make_id("19900215", 456)
    assert validate_id_number(good) == good


def test_lowercase_x_accepted_and_upper_cased() -> None:
    assert validate_id_number("11010519491231002x") == "11010519491231002X"


def test_spaces_and_full_width_digits_accepted() -> None:
    good = make_id("19800101", 123)
    spaced = f" {good[:6]} {good[6:14]} {good[14:]} "
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in good)
    assert validate_id_number(spaced) == good
    assert validate_id_number(full_width) == good


def test_bad_check_digit_refused() -> None:
    good = make_id("19800101", 123)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(IdNumberProblem, match="校验位"):
        validate_id_number(bad)


@pytest.mark.parametrize("number", [500114198001011234, 5.00114198001011e17, 500114198001011234.0])
def test_id_stored_as_number_refused_with_the_explanation(number: object) -> None:
    with pytest.raises(IdNumberProblem) as caught:
        validate_id_number(number)
    assert "数字" in str(caught.value) and "丢失" in str(caught.value)
    assert "文本" in caught.value.hint


@pytest.mark.parametrize("text", ["5.00114E+17", "5.00114e17", "5.00114198001011E+17", "5E+17"])
def test_id_in_scientific_notation_refused_with_the_explanation(text: str) -> None:
    with pytest.raises(IdNumberProblem) as caught:
        validate_id_number(text)
    assert "科学计数法" in str(caught.value)
    assert "文本" in caught.value.hint


@pytest.mark.parametrize("text", ["50011419800101123", "5001141980010112345", "50011419800101123A", "abc"])
def test_wrong_length_or_characters_refused(text: str) -> None:
    with pytest.raises(IdNumberProblem, match="18 位"):
        validate_id_number(text)


def test_impossible_birth_date_refused() -> None:
    first17 = "50011419800230123"  # 30 February
    with pytest.raises(IdNumberProblem, match="出生日期"):
        validate_id_number(first17 + check_digit(first17))


def test_bool_refused() -> None:
    with pytest.raises(IdNumberProblem):
        validate_id_number(True)


def test_birth_date_and_sex() -> None:
    man = make_id("19900215", 451)  # 17th digit 1: odd → 男
    woman = make_id("19900215", 452)
    assert birth_date(man) == date(1990, 2, 15)
    assert sex_of(man) == "男"
    assert sex_of(woman) == "女"


@pytest.mark.parametrize(
    ("on", "age"),
    [
        (date(2024, 3, 14), 33),  # the day before the 34th birthday
        (date(2024, 3, 15), 34),  # the birthday itself counts
        (date(2024, 12, 31), 34),
        (date(1990, 3, 15), 0),
    ],
)
def test_age_on_counts_the_birthday(on: date, age: int) -> None:
    assert age_on(make_id("19900315", 11), on) == age


def test_age_on_leap_day_birthday() -> None:
    person = make_id("20000229", 11)
    assert age_on(person, date(2016, 2, 28)) == 15
    assert age_on(person, date(2016, 2, 29)) == 16
    assert age_on(person, date(2017, 2, 28)) == 16
    assert age_on(person, date(2017, 3, 1)) == 17


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_digit_agrees_with_the_weighted_sum(first17: str) -> None:
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    expected = (12 - total % 11) % 11
    assert check_digit(first17) == ("X" if expected == 10 else str(expected))


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_birth_date_of_any_eight_digits_as_year_month_day(digits: str) -> None:
    try:
        expected: date | None = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        expected = None
    assert birth_date("500114" + digits + "1234") == expected


def test_birth_date_of_a_leap_day_and_of_days_that_do_not_exist() -> None:
    assert birth_date(make_id("20000229", 451)) == date(2000, 2, 29)
    assert birth_date("500114" + "19000229" + "1234") is None  # 1900 was not a leap year
    assert birth_date("500114" + "19901301" + "1234") is None
    assert birth_date("500114" + "00000101" + "1234") is None
