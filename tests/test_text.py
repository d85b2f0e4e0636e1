"""Normalising spreadsheet text: widths, spaces, header keys and phone numbers."""

from __future__ import annotations

import pytest

from fanpin_docs.text import header_key, normalize_phone, normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("  张三  ", "张三"),
        ("张\u3000三", "张 三"),
        ("红岩村\u00a0 一组", "红岩村 一组"),
        ("１２３ＡＢＣ", "123ABC"),
        ("a\n\tb", "a b"),
        (1500.0, "1500"),
        (1500.5, "1500.5"),
        (42, "42"),
        ("（元）", "(元)"),
    ],
)
def test_normalize_text(raw: object, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    "written",
    ["证件号码", " 证件号码 ", "证件\n号码", "证 件 号 码", "证件号码\u3000"],
)
def test_header_key_ignores_spaces_and_line_breaks(written: str) -> None:
    assert header_key(written) == "证件号码"


def test_header_key_unifies_full_width_brackets() -> None:
    assert header_key("工资性收入（元）") == header_key("工资性收入(元)") == "工资性收入(元)"
    assert header_key("乡（镇）") == "乡(镇)"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        (13812345678.0, "13812345678"),
        (13812345678, "13812345678"),
        ("023-87654321", "023-87654321"),
        ("(023)87654321", "023-87654321"),
        ("02387654321", "023-87654321"),
        ("0762-1234567", "0762-1234567"),
    ],
)
def test_normalize_phone(raw: object, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "12345", "1381234567", "23812345678", "无", "138123456789"])
def test_normalize_phone_refuses(raw: object) -> None:
    assert normalize_phone(raw) is None
