"""The sheet scan bounds how far a sheet's cells reach before python-calamine sees the file (a cell at
XFD1048576 would make it allocate 17 billion cells). The bound must hold however the XML places its
cells: by reference (upper- or lower-case letters, leading zeros), or by position — a cell without a
reference goes after the one before it, a row without a number after the row before it — and the
fast pass must agree with a plain reading of every reference."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import python_calamine
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fanpin_docs.cellrefs import column_letters, column_number
from fanpin_docs.errors import InputError
from fanpin_docs.readers import opening, sheetscan
from fanpin_docs.readers.bounds import SheetScan
from fanpin_docs.readers.opening import scan_xlsx
from fanpin_docs.readers.sheetscan import _scan_chunk, ceiling
from fanpin_docs.readers.workbook import open_workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_EVERY_REF = re.compile(rb' r="([A-Za-z]+)(\d+)"')

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
def test_fast_and_close_bounds_are_the_plain_reading_of_every_ref(sheet_rows: list) -> None:
    data = _xml(sheet_rows)
    refs = _EVERY_REF.findall(data)
    wide = [column_number(found) for found, _ in refs if len(found) > 1]
    last_row = max(number for number, _ in sheet_rows)
    every_number = [last_row] + [int(number) for _, number in refs]

    close = SheetScan()
    _scan_chunk(data, close, "close")
    assert close.columns == max([26, *wide])
    assert close.rows == max(every_number)

    fast = SheetScan()
    _scan_chunk(data, fast, "fast")
    assert fast.columns == close.columns
    # a ref with more digits than the rows, or with two letters, is found; any other within the ceiling
    assert fast.rows <= close.rows <= ceiling(fast.rows)
    digits = len(str(last_row))
    found = [int(n) for letters, n in refs if len(letters) > 1 or len(n) > digits]  # what its search finds
    assert fast.rows == max([last_row, *found])


def test_column_numbers_read_either_case() -> None:
    assert [column_number(b"A"), column_number(b"z"), column_number(b"AA"), column_number(b"xfd")] == [
        1,
        26,
        27,
        16384,
    ]


# ---- against the reader itself: random sheets written every way the XML allows ----

VALUE = "<is><t>x</t></is>"
# what a cell holds, as (its type attribute, its content); None: written `<c …/>`. python-calamine
# counts an inline string even when empty, a value with any text (a space too) and an empty value of
# type "str"; an empty number and formatting alone do not count
CONTENTS = {
    "formatting": None,
    "text": (' t="inlineStr"', VALUE),
    "empty text": (' t="inlineStr"', "<is></is>"),
    "space": ("", "<v> </v>"),
    "number": ("", "<v>1</v>"),
    "empty number": ("", "<v></v>"),
    "empty str": (' t="str"', "<v></v>"),
}
cell = st.fixed_dictionaries(
    {
        "reference": st.sampled_from(["none", "upper", "lower", "zeros", "after", "single", "spaced"]),
        "skip": st.integers(min_value=0, max_value=40),  # columns jumped by a referenced cell
        "far": st.booleans(),  # a referenced cell numbered beyond its row
        "value": st.sampled_from(sorted(CONTENTS)),
    }
)
row = st.fixed_dictionaries(
    {
        "numbered": st.booleans(),
        "prefixed": st.booleans(),  # <x:row>, <x:c>: element names with a namespace prefix
        "quoting": st.sampled_from(['r="{}"', "r='{}'", 'r = "{}"']),  # of the row's number
        "after": st.lists(cell, max_size=3),  # cells written after the row's end, outside any row
        "jump": st.integers(min_value=1, max_value=30),
        "cells": st.lists(cell, max_size=6),
    }
)


def _sheet_xml(sheet_rows: list[dict]) -> str:
    parts, at = [], 0
    for spec in sheet_rows:
        at += spec["jump"] if spec["numbered"] else 1
        x = "x:" if spec["prefixed"] else ""
        declared = f' xmlns:x="{MAIN}"' if x else ""
        number_attribute = spec["quoting"].format(at)
        opening = f"<{x}row{declared} {number_attribute}>" if spec["numbered"] else f"<{x}row{declared}>"
        column, inner = 0, []
        for c in spec["cells"]:
            held = CONTENTS[c["value"]]
            content = f"{held[0]}>{held[1]}</{x}c>" if held else "/>"
            if c["reference"] == "none":
                column += 1
                inner.append(f"<{x}c" + content)
                continue
            column += 1 + c["skip"]
            letters = column_letters(column)
            number = at * 7 if c["far"] else at
            ref = {
                "upper": f"{letters}{number}",
                "lower": f"{letters.lower()}{number}",
                "zeros": f"{letters}000{number}",
                "after": f"{letters}{number}",
                "single": f"{letters}{number}",
                "spaced": f"{letters}{number}",
            }[c["reference"]]
            attribute = {
                "after": f' s="0" r="{ref}"',
                "single": f" r='{ref}'",
                "spaced": f' r = "{ref}"',
            }.get(c["reference"], f' r="{ref}"')
            inner.append(f"<{x}c" + attribute + content)
        if inner or spec.get("after"):
            parts.append(opening + "".join(inner) + f"</{x}row>")
        else:  # <row r="7"/>
            parts.append(opening[:-1] + "/>")
        column = 0
        for c in spec.get("after", ()):
            held = CONTENTS[c["value"]]
            column += 1 if c["reference"] == "none" else 1 + c["skip"]
            ref = "" if c["reference"] == "none" else f' r="{column_letters(column)}{at + 1}"'
            parts.append(f"<c{ref}" + (f"{held[0]}>{held[1]}</c>" if held else "/>"))
    return "".join(parts)


def _workbook(sheet_data: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "x"
    plain = io.BytesIO()
    book.save(plain)
    source = zipfile.ZipFile(plain)
    made = io.BytesIO()
    with zipfile.ZipFile(made, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            part = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                text = re.sub(r"<dimension [^>]*/>", "", part.decode())
                text = re.sub(
                    r"<sheetData>.*</sheetData>", f"<sheetData>{sheet_data}</sheetData>", text, flags=re.S
                )
                part = text.encode()
            archive.writestr(name, part)
    return made.getvalue()


def _plain_then_prefixed() -> list[dict]:
    """A1 written plainly, then a prefixed row 31 whose value cell has no reference (it sits in A31)."""
    value = {"reference": "none", "skip": 0, "far": False, "value": "text"}
    return [
        {
            "numbered": True,
            "prefixed": False,
            "quoting": 'r="{}"',
            "jump": 1,
            "cells": [{**value, "reference": "upper"}],
        },
        {"numbered": True, "prefixed": True, "quoting": 'r="{}"', "jump": 30, "after": [], "cells": [value]},
    ]


def _empties_between_rows() -> list[dict]:
    """A1; 20 empty cells after its row's end, outside any row; then row 3 with a value whose tag has
    no reference: the reader goes on counting columns from the empty cells (it is in U3)."""
    text = {"reference": "upper", "skip": 0, "far": False, "value": "text"}
    empty = {**text, "reference": "none", "value": "formatting"}
    first = {"numbered": True, "prefixed": False, "quoting": 'r="{}"', "jump": 1, "cells": [text]}
    third = {**first, "jump": 2, "cells": [{**text, "reference": "none"}]}
    return [{**first, "after": [empty] * 20}, third]


def _plain_then_single_quoted() -> list[dict]:
    """A1, then row 31 and its cell A31 numbered in single quotes (`<row r='31'><c r='A31'>`)."""
    value = {"reference": "upper", "skip": 0, "far": False, "value": "text"}
    return [
        {"numbered": True, "prefixed": False, "quoting": 'r="{}"', "jump": 1, "cells": [value]},
        {
            "numbered": True,
            "prefixed": False,
            "quoting": "r='{}'",
            "jump": 30,
            "cells": [{**value, "reference": "single"}],
        },
    ]


@settings(max_examples=60, deadline=None)
@given(st.lists(row, min_size=1, max_size=8), st.integers(min_value=1, max_value=400))
@example(_plain_then_single_quoted(), 30)
@example(
    [
        {
            **_plain_then_prefixed()[1],
            "prefixed": False,
            "cells": [{"reference": "none", "skip": 0, "far": False, "value": "space"}],
        }
    ],
    29,
)  # a value of one space in A30: 30 cells, which the reader counts  # 31 cells; read without the quoted numbers, 2
@example(_empties_between_rows(), 62)  # 3 rows × 21 columns; the old scan put the value in A3
@example(_plain_then_prefixed(), 30)  # 31 cells; the fast bound (1 row × at least 26 columns) is 26
def test_a_sheet_is_refused_exactly_when_the_reader_would_allocate_too_much(
    tmp_path_factory, sheet_rows: list, limit: int
) -> None:
    """With the limit lowered to `limit` cells, the scan refuses a sheet exactly when the rectangle
    python-calamine allocates for it is larger — whichever of its passes decides."""
    path = Path(tmp_path_factory.mktemp("scan")) / "表.xlsx"
    path.write_bytes(_workbook(_sheet_xml(sheet_rows)))
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    height, width = (sheet.end[0] + 1, sheet.end[1] + 1) if sheet.end is not None else (0, 0)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(opening, "MAX_CELLS", limit)
        try:
            scan = scan_xlsx(path)["Sheet"]
        except InputError as refused:
            assert height * width > limit, refused.problems[0].message
        else:
            assert height * width <= limit
            assert height <= ceiling(scan.rows) and width <= scan.columns


# ---- the parts and places the reader finds, written every way it reads them ----
#
# Each case is a small workbook whose sheet reaches Z200 as python-calamine reads it (5 200 cells, over
# the limit lowered to 1 000), in a form a regex-based scan read otherwise, so that it bounded another
# part or put the far cell nearer; and the same workbook reaching Z3 (78 cells), which is read.

FAR_ROW = "200"
PACKAGE_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _grid(row: str, cell: str = '<c r="Z{row}"><v>2</v></c>', numbered: str = '<row r="{row}">') -> str:
    """A1, then `cell` in a row numbered `numbered` (both formatted with the far row's number)."""
    opening = numbered.format(row=row)
    end = "</" + opening[1:].split(" ")[0].rstrip(">") + ">"
    return f'<row r="1"><c r="A1"><v>1</v></c></row>{opening}{cell.format(row=row)}{end}'


def _parts(
    row: str,
    *,
    sheet_data: str | None = None,
    sheets: str = '<sheet name="Data" sheetId="1" r:id="rId1"/>',
    relationships: str = '<Relationship Id="rId1" Type="{type}/worksheet" Target="worksheets/sheet1.xml"/>',
    package_target: str = "xl/workbook.xml",
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    """A workbook's parts; its sheet1 holds `sheet_data` (by default A1 and Z`row`)."""

    def worksheet(data: str) -> str:
        return f'<worksheet xmlns="{MAIN}" xmlns:x="{MAIN}"><sheetData>{data}</sheetData></worksheet>'

    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
        f'Type="{PACKAGE_TYPE}/officeDocument" Target="{package_target}"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{PACKAGE_TYPE}"><sheets>{sheets}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELATIONSHIPS}">'
        + relationships.format(type=PACKAGE_TYPE)
        + "</Relationships>",
        "xl/worksheets/sheet1.xml": worksheet(sheet_data if sheet_data is not None else _grid(row)),
    }
    for name, data in (extra or {}).items():
        parts[name] = worksheet(data.format(row=row))
    return parts


SMALL = '<row r="1"><c r="A1"><v>1</v></c></row>'


def _in_sheet(cells: str, numbered: str = '<row r="{row}">') -> Callable[[str], dict[str, str]]:
    """A case's workbook for a far row: A1, then `cells` in a row numbered `numbered` (`_grid`)."""
    return lambda row: _parts(row, sheet_data=_grid(row, cells, numbered=numbered))


def _second_r(second: str) -> Callable[[str], dict[str, str]]:
    """A cell at B2 with a second `r` written as `second`: the reader puts it there."""
    return _in_sheet(f'<c r="B2"{second}><v>2</v></c>', numbered='<row r="2">')


NEAR_FAR_CASES = {
    # (a) names equal under str.lower() (the Kelvin sign is a "k" there) but not in ASCII, as the reader
    # lowers them: it opens k.xml, the scan looked at the last name equal to it, the Kelvin one
    "kelvin sign in a part name": lambda row: _parts(
        row,
        relationships='<Relationship Id="rId1" Type="{type}/worksheet" Target="worksheets/k.xml"/>',
        extra={"xl/worksheets/k.xml": _grid(row), "xl/worksheets/\u212a.xml": SMALL},
    ),
    # (b) two sheets of one name: the reader reads the first one's part for both
    "two sheets of one name": lambda row: _parts(
        row,
        sheet_data=SMALL,
        sheets='<sheet name="Data" sheetId="1" r:id="rId2"/><sheet name="Data" sheetId="2" r:id="rId1"/>',
        relationships='<Relationship Id="rId1" Type="{type}/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="{type}/worksheet" Target="worksheets/sheet2.xml"/>',
        extra={"xl/worksheets/sheet2.xml": _grid(row)},
    ),
    # (c) attributes in single quotes, in the workbook and its relationships
    "single quotes": lambda row: _parts(
        row,
        sheets="<sheet name='Data' sheetId='1' r:id='rId1'/>",
        relationships="<Relationship Id='rId1' Type='{type}/worksheet' Target='worksheets/sheet1.xml'/>",
    ),
    # (f) a character reference in the package relationships' target, which the reader decodes
    "character reference in the package target": lambda row: _parts(
        row, package_target="x&#108;/workbook.xml"
    ),
    # … and an entity in the workbook relationships' target, which it does not decode
    "entity left as written in a sheet's target": lambda row: _parts(
        row,
        sheet_data=SMALL,
        relationships='<Relationship Id="rId1" Type="{type}/worksheet" Target="worksheets/a&amp;b.xml"/>',
        extra={"xl/worksheets/a&amp;b.xml": _grid(row), "xl/worksheets/a&b.xml": SMALL},
    ),
    # (g) a ">" inside attribute values (XML allows it), in a sheet's name and a relationship
    "a '>' in attribute values": lambda row: _parts(
        row,
        sheets='<sheet name="a>b" sheetId="1" r:id="rId1"/>',
        relationships='<Relationship Note="a>b" Id="rId1" Type="{type}/worksheet" '
        'Target="worksheets/sheet1.xml"/>',
    ),
    # a commented-out relationship of the same id, which the reader skips
    "a relationship in a comment": lambda row: _parts(
        row,
        relationships='<Relationship Id="rId1" Type="{type}/worksheet" Target="worksheets/sheet1.xml"/>'
        '<!-- <Relationship Id="rId1" Type="{type}/worksheet" Target="worksheets/old.xml"/> -->',
        extra={"xl/worksheets/old.xml": SMALL},
    ),
    # a sheet without a name, which the reader reads all the same
    "a sheet without a name": lambda row: _parts(row, sheets='<sheet name="" sheetId="1" r:id="rId1"/>'),
    # (d) a row numbered with letters before its digits (the reader reads `r="Z200"` as row 200)
    "row numbered with letters": _in_sheet('<c r="Y1"/><c><v>2</v></c>', numbered='<row r="Z{row}">'),
    # (e) a duplicated attribute: the reader takes the last `r` and the last `t` (a cell without a
    # reference sends the chunk element by element)
    "duplicated r": _in_sheet('<c><v>0</v></c><c r="B2" r="Z{row}"><v>2</v></c>'),
    "duplicated t": _in_sheet('<c><v>0</v></c><c r="Z{row}" t="n" t="str"><v></v></c>'),
    # … and a second `r` written otherwise than ` r="` (after a line break or a tab, with a space around
    # "=", in single quotes, with no space after the value before it), in a chunk of cells that all
    # start with their place: the fast searches looked for ` r="` only (found by a review)
    "a second r after a line break": _second_r('\nr="Z{row}"'),
    "a second r after a tab": _second_r('\tr="Z{row}"'),
    "a second r in single quotes": _second_r(" r='Z{row}'"),
    "a second r with a space before '='": _second_r(' r ="Z{row}"'),
    "a second r with a space after '='": _second_r(' r= "Z{row}"'),
    "a second r right after a quote": _second_r(' s="0"r="Z{row}"'),
    # a value whose closing quote is missing runs to the tag's end (the tag's quotes pair up elsewhere:
    # a key holding one), as the reader takes it (found by a review fuzzing cell tags)
    "a value without its closing quote": _second_r(' """=""r="Z{row}'),
    # (h) a prefixed attribute (`x:r`) is not the reader's `r`: the cell goes after the one before it
    "prefixed r": _in_sheet('<c r="Y{row}"/><c x:r="A1"><v>2</v></c>'),
    # a ">" in a cell's attribute, and a row's prefix with more than letters
    "a '>' in a cell's attribute": _in_sheet('<c><v>0</v></c><c note="a>b" r="Z{row}"><v>2</v></c>'),
    # a cell written in a comment, a processing instruction or a CDATA section is no cell to the reader:
    # the cell after it goes after the far empty one before (the scan read the written one as a cell)
    "a cell in a comment": _in_sheet('<c r="Y{row}"/><!-- <c r="A1"/> --><c><v>2</v></c>'),
    "a cell in a processing instruction": _in_sheet('<c r="Y{row}"/><?note <c r="A1"/>?><c><v>2</v></c>'),
    "a cell in a CDATA section": _in_sheet(
        '<c r="Y{row}"/><extLst><![CDATA[<c r="A1"/>]]></extLst><c><v>2</v></c>'
    ),
    # … but a "<?" or "<!--" inside an attribute's value is the value's: the cells after it are cells
    "a '<?' in an attribute's value": _in_sheet('<c r="A{row}" y="&lt;" z="<?"/><c r="Z{row}"><v>2</v></c>'),
    "a '<!--' in an attribute's value": _in_sheet(
        '<c r="A{row}" y="<!--"/><c r="Z{row}"><v>2</v></c><c z="-->"/>'
    ),
    "a row prefix with a hyphen": _in_sheet('<c r="Y1"/><c><v>2</v></c>', numbered='<x-y:row r="{row}">'),
}


def _write(path: Path, parts: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data.encode())
    return path


def _refusal(path: Path, limit: int, chunk: int = 256) -> str:
    """The scan's message refusing `path`, with the limit lowered to `limit` cells, in chunks of
    `chunk` bytes."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(opening, "MAX_CELLS", limit)
        patch.setattr(sheetscan, "CHUNK", chunk)
        with pytest.raises(InputError) as refused:
            scan_xlsx(path)
    return refused.value.problems[0].message


def _cut_inside_the_value(parts: dict[str, str]) -> int:
    """A chunk size that cuts the sheet just after the "</row>" written in a value of row 12."""
    xml = parts["xl/worksheets/sheet1.xml"].encode()
    return xml.index(b"</row>", xml.index(b'<row r="12">')) + len(b"</row>") + 3


def _reader_cells(path: Path) -> int:
    """The cells python-calamine allocates for the sheets it reads (by name, as the tool reads them)."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    sizes = [book.get_sheet_by_name(name).end for name in book.sheet_names]
    return max((end[0] + 1) * (end[1] + 1) for end in sizes if end is not None)


@pytest.mark.parametrize("case", sorted(NEAR_FAR_CASES))
def test_a_far_cell_written_as_the_reader_reads_it_is_refused(tmp_path: Path, case: str) -> None:
    path = _write(tmp_path / "表.xlsx", NEAR_FAR_CASES[case](FAR_ROW))
    assert _reader_cells(path) == 200 * 26  # the reader would allocate this much
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(opening, "MAX_CELLS", 1000)
        with pytest.raises(InputError) as refused:
            scan_xlsx(path)
    assert "数据区域太大" in refused.value.problems[0].message


@pytest.mark.parametrize("case", sorted(NEAR_FAR_CASES))
def test_the_same_workbook_within_the_limit_is_read(tmp_path: Path, case: str) -> None:
    path = _write(tmp_path / "表.xlsx", NEAR_FAR_CASES[case]("3"))
    assert _reader_cells(path) == 3 * 26
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(opening, "MAX_CELLS", 1000)
        scans = scan_xlsx(path)
        sheets = open_workbook(path)
    assert scans and max(len(rows) for rows in sheets.values()) == 3


def test_a_comment_cut_between_chunks_goes_on_in_the_next(tmp_path: Path) -> None:
    """A comment holding a row's end and a cell, longer than a chunk, is cut at that row's end: the next
    chunk starts inside the comment, and its cell is no cell."""
    comment = "<!-- </row> " + "x" * 600 + ' <c r="A1"/> -->'
    path = _write(
        tmp_path / "表.xlsx",
        _parts(FAR_ROW, sheet_data=_grid(FAR_ROW, '<c r="Y{row}"/>' + comment + "<c><v>2</v></c>")),
    )
    assert _reader_cells(path) == 200 * 26
    assert "数据区域太大" in _refusal(path, 1000)


def test_a_section_closed_in_its_chunk_does_not_hold_the_chunks_back(tmp_path: Path) -> None:
    """A "<?" inside a CDATA section (or an attribute's value) opens nothing: the sheet is still cut into
    chunks (a first version took it for an open instruction and never cut again, copying the whole
    sheet once for every chunk read)."""
    first = '<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<?]]></t></is></c></row>'
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 400))
    path = _write(tmp_path / "表.xlsx", _parts("3", sheet_data=first + rows))
    chunks: list[int] = []
    scan_chunk = sheetscan._scan_chunk

    def counted(data: bytes, scan: SheetScan, mode: str, close_from: int | None = None) -> bool:
        chunks.append(len(data))
        return scan_chunk(data, scan, mode, close_from)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sheetscan, "CHUNK", 256)
        patch.setattr(sheetscan, "_scan_chunk", counted)
        scans = scan_xlsx(path)
    assert scans["Data"].rows == 399 and len(chunks) > 50 and max(chunks) < 1024


def _wide_rows(count: int, *, late_column: str = "Z", hidden: tuple[int, str] | None = None) -> str:
    """`count` rows of A…Z (26 columns), the last one's last cell in `late_column`; `hidden` = (row,
    reference) writes that reference in place of the row's B cell (a far cell with as many digits)."""
    rows = []
    for n in range(1, count + 1):
        cells = [f'<c r="{column_letters(k)}{n}"><v>{k}</v></c>' for k in range(1, 27)]
        if hidden and n == hidden[0]:
            cells[1] = f'<c r="{hidden[1]}"><v>2</v></c>'
        if n == count:
            cells[-1] = f'<c r="{late_column}{n}"><v>26</v></c>'
        rows.append(f'<row r="{n}">{"".join(cells)}</row>')
    return "".join(rows)


def test_past_the_fast_bound_the_sheet_is_scanned_once(tmp_path: Path) -> None:
    """From where the fast search's ceiling could reach over the limit (row 100,000 of an export, here
    row 10 of 26 columns under a limit of 2,000 cells), each chunk is searched closely in the same
    pass; the sheet is not scanned a second time, and a far cell with as many digits as the rows (B99
    in row 30) is found in that pass and refused."""
    modes: list[str] = []
    scan_sheet = sheetscan.scan_sheet

    def recorded(archive, part, display, mode, *args, **kwargs):  # type: ignore[no-untyped-def]
        modes.append(mode)
        return scan_sheet(archive, part, display, mode, *args, **kwargs)

    near = _write(tmp_path / "近.xlsx", _parts("", sheet_data=_wide_rows(60)))
    far = _write(tmp_path / "远.xlsx", _parts("", sheet_data=_wide_rows(60, hidden=(30, "B99"))))
    assert _reader_cells(near) == 60 * 26 and _reader_cells(far) == 99 * 26
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(opening, "MAX_CELLS", 2000)
        patch.setattr(sheetscan, "CHUNK", 256)
        patch.setattr(opening, "scan_sheet", recorded)
        assert scan_xlsx(near)["Data"].rows == 60
        assert modes == ["fast"]
        with pytest.raises(InputError) as refused:
            scan_xlsx(far)
    assert "数据区域太大" in refused.value.problems[0].message


def test_a_sheet_growing_wider_after_the_fast_search_passed_over_a_cell_is_scanned_again(
    tmp_path: Path,
) -> None:
    """The fast search passes over B99 in row 30 while 99 rows of 26 columns are within the limit
    (2,600 cells); the last row reaches AB (28 columns), and 99 × 28 is over it: the sheet is scanned
    again, closely, and refused, as python-calamine would allocate 99 × 28 cells."""
    path = _write(
        tmp_path / "表.xlsx", _parts("", sheet_data=_wide_rows(60, late_column="AB", hidden=(30, "B99")))
    )
    assert _reader_cells(path) == 99 * 28
    assert "数据区域太大" in _refusal(path, 2600)


@pytest.mark.parametrize(
    "tag", ['<c r="Z{row}" x="</row>"><v>2</v></c>', '<c x="</row>" r="Z{row}"><v>2</v></c>']
)
def test_a_chunk_cut_at_a_row_end_inside_an_attribute_value_is_refused(tmp_path: Path, tag: str) -> None:
    """A "</row>" written inside an attribute's value (XML allows no "<" there; the reader reads on in
    the tag): a chunk cut there ended inside the tag, and the cell it holds was dropped, or its far
    reference never seen (a review found XFD1048576 accepted so, and reading it aborted the process).
    Such a sheet is refused as damaged; the reader puts the cell where the tag says."""
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 12))

    def sheet(row: str) -> tuple[Path, int]:
        """The workbook, and a chunk size that cuts its sheet just after the "</row>" in the value."""
        parts = _parts(row, sheet_data=rows + f'<row r="12">{tag.format(row=row)}</row>')
        return _write(tmp_path / f"表{row}.xlsx", parts), _cut_inside_the_value(parts)

    assert _reader_cells(sheet(FAR_ROW)[0]) == 200 * 26
    for row in (FAR_ROW, "13"):
        path, inside = sheet(row)
        assert "文件已损坏" in _refusal(path, opening.MAX_CELLS, inside)


def test_a_cell_whose_end_is_past_a_chunk_cut_inside_a_value_counts(tmp_path: Path) -> None:
    """… and where that "</row>" is inside a value's tag within a cell (`<v x="</row>">`), in a chunk
    scanned element by element (a cell without a place in it): the cell's content goes on in the next
    chunk, and the cell counts at its place (it was taken for a cell of formatting alone)."""

    def sheet(row: str) -> tuple[Path, int]:
        cells = f'<c><v>0</v></c><c r="Z{row}"><v x="</row>">2</v></c>'
        parts = _parts(row, sheet_data=f'<row r="1"><c r="A1"><v>1</v></c></row><row r="12">{cells}</row>')
        return _write(tmp_path / f"表{row}.xlsx", parts), _cut_inside_the_value(parts)

    for row, cells in ((FAR_ROW, 200 * 26), ("13", 13 * 26)):
        path, inside = sheet(row)
        assert _reader_cells(path) == cells
        if cells > 1000:
            assert "数据区域太大" in _refusal(path, 1000, inside)
            continue
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(opening, "MAX_CELLS", 1000)
            patch.setattr(sheetscan, "CHUNK", inside)
            assert scan_xlsx(path)["Data"].rows == 13
