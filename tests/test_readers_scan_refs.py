"""The sheet scan's fast pass bounds a sheet by the cell references it holds: its widest column and its
far-numbered cells are what a plain reading of every ref gives."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from fanpin_docs.readers.opening import SheetScan, _scan_chunk, column_letters, column_number

_EVERY_REF = re.compile(rb' r="([A-Z]+)(\d+)"')

letters = st.integers(min_value=1, max_value=16384).map(column_letters)
numbers = st.integers(min_value=1, max_value=99_999_999)
cells = st.lists(st.tuples(letters, numbers), min_size=0, max_size=6)
rows = st.lists(st.tuples(st.integers(min_value=1, max_value=2_000), cells), min_size=1, max_size=12)


def _xml(sheet_rows: list[tuple[int, list[tuple[str, int]]]]) -> bytes:
    parts = []
    for number, row_cells in sheet_rows:
        inner = "".join(f'<c r="{column}{row}" t="n"><v>1</v></c>' for column, row in row_cells)
        parts.append(f'<row r="{number}">{inner}</row>')
    return "".join(parts).encode()


@given(rows)
def test_fast_pass_bound_is_the_plain_reading_of_every_ref(sheet_rows: list) -> None:
    data = _xml(sheet_rows)
    scan = SheetScan()
    _scan_chunk(data, scan, exact=False)

    refs = _EVERY_REF.findall(data)
    wide = [column_number(found) for found, _ in refs if len(found) > 1]
    assert scan.columns == max([26, *wide])
    row_bound = max(max(number for number, _ in sheet_rows), len(sheet_rows))
    digits = len(str(row_bound)) + 1
    longest = max(
        [len(number) for found, number in refs if len(found) > 1 or len(number) >= digits], default=0
    )
    expected_rows = max(row_bound, 10**longest) if longest >= digits else row_bound
    assert scan.rows == expected_rows
    # so every column is bounded, and every cell's row within a factor of ten (a number with more digits
    # than the rows' count is caught; the exact pass decides whenever the bound is over the limit)
    for found, number in refs:
        assert column_number(found) <= scan.columns and int(number) < 10 * scan.rows
