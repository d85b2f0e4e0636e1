"""File names made from data: valid on Windows, bounded in length, and one name per distinct value."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from fanpin_docs.filenames import LIMIT, clean, renamed_note, same_on_disk, unique_names

WINDOWS_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}

# the characters that make names collide or fail: separators, dots, spaces, case, invisible ones
TRICKY = st.lists(
    st.sampled_from([*'青山村Aa1:/\\.* ?"<>|\t\u200b\u202e\ufeff😀', "CON", "com1", "长"]), max_size=12
).map("".join)
VALUES = st.text(min_size=0, max_size=300) | TRICKY


def windows_valid(name: str) -> bool:
    return (
        bool(name)
        and not WINDOWS_FORBIDDEN.search(name)
        and name == name.strip()
        and not name.endswith(".")
        and not name.startswith(".")
        and name.split(".", 1)[0].rstrip(" ").upper() not in RESERVED
        and not any(ch in name for ch in "\u200b\u202e\ufeff")
    )


def test_names_windows_cannot_open_are_changed_visibly() -> None:
    assert clean("青山村.") == "青山村"
    assert clean("CON") == "_CON" and clean("nul") == "_nul" and clean("COM1.txt") == "_COM1.txt"
    assert clean(" 红岩村 ") == "红岩村" and clean(".hidden") == "hidden" and clean("a. . ") == "a"
    assert clean("张\u202e三\u200b") == "张三"  # right-to-left override and zero-width space removed
    assert clean("A:1") == "A_1" and clean("A/1") == "A_1"
    assert clean("...", fallback="未命名") == "未命名"
    assert clean("CONSOLE") == "CONSOLE" and clean("红岩村") == "红岩村"  # ordinary names stay


def test_long_names_are_cut_with_a_hash_that_tells_them_apart() -> None:
    first, second = clean("村" * 300), clean("村" * 299 + "镇")
    assert first != second
    assert len(first) == LIMIT and re.search(r"~[0-9a-f]{6}$", first)
    assert len(clean("😀" * 200).encode("utf-8")) <= 3 * LIMIT
    assert clean("x" * 300, limit=20).startswith("x" * 13)


@given(VALUES)
@settings(max_examples=300, deadline=None)
def test_every_cleaned_name_is_valid_on_windows_and_bounded(value: str) -> None:
    name = clean(value)
    assert windows_valid(name), name
    assert len(name) <= LIMIT + 1 and len(name.encode("utf-8")) <= 3 * LIMIT + 1


@given(st.lists(VALUES, max_size=12))
@settings(max_examples=300, deadline=None)
def test_distinct_values_get_distinct_names(values: list[str]) -> None:
    names = unique_names(values, taken=("汇总表.xlsx",), claims=lambda n: (n, f"{n}_全村明白卡.docx"))
    distinct = set(values)
    assert set(names.names) == distinct
    on_disk = [same_on_disk(entry) for v in distinct for entry in (names[v], f"{names[v]}_全村明白卡.docx")]
    assert len(on_disk) == len(set(on_disk)) and "汇总表.xlsx" not in on_disk
    assert all(windows_valid(names[v]) for v in distinct)


def test_the_plain_name_goes_to_the_value_that_needs_no_cleaning_whatever_the_order() -> None:
    for order in (["青山村.", "青山村"], ["青山村", "青山村."]):
        names = unique_names(order)
        assert names["青山村"] == "青山村" and names["青山村."] == "青山村（2）"
        assert names.renamed == [("青山村.", "青山村（2）")]
    note = renamed_note("行政村", unique_names(["青山村.", "青山村", "x\u202ey"]).renamed)
    assert "「青山村.」→「青山村（2）」" in note
    assert renamed_note("行政村", []) == ""


def test_case_only_differences_are_one_file_on_windows() -> None:
    names = unique_names(["a1", "A1"])
    assert names["A1"] == "A1" and names["a1"] == "a1（2）"  # sorted order: upper case first


def test_every_invisible_format_character_is_removed() -> None:
    import sys
    import unicodedata

    invisible = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert len(invisible) > 150
    assert clean("村" + "".join(invisible) + "名") == "村名"
