"""A large .xlsx sheet is read in pieces as it is scanned (`readers/pieces.py`): python-calamine parses
each run of whole rows the scan has bounded, in two threads. What a reader gets must be what reading
the whole sheet gives — every value, type, date, merged range, error value and formula — and a piece
must never hold what the scan has not bounded."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from fanpin_docs.errors import InputError
from fanpin_docs.readers import opening, pieces, sheetscan, sources
from helpers import ROSTER_HEADER, make_id, rewrite_sheet, roster_row, write_xlsx

ROOT = Path(__file__).parent.parent


def read_both(
    path: Path, monkeypatch: pytest.MonkeyPatch, *, chunk: int = 256
) -> tuple[sources.Sheets, sources.Sheets, int]:
    """The workbook read with its sheets in pieces (forced, a piece for every chunk the scan reads: a
    few hundred bytes) and read whole; and how many sheets the pieces gave."""
    results: list[object] = []
    original = pieces.SheetPieces.result

    def counted(self: pieces.SheetPieces) -> pieces.ReadSheet | None:
        result = original(self)
        results.append(result)
        return result

    with monkeypatch.context() as patched:
        patched.setattr(opening, "PIECES_FROM", 0)
        patched.setattr(pieces, "PIECE_BYTES", 1)
        patched.setattr(sheetscan, "CHUNK", chunk)
        patched.setattr(pieces.SheetPieces, "result", counted)
        in_pieces = sources._open_workbook(path)
    with monkeypatch.context() as patched:
        patched.setattr(opening, "PIECES_FROM", 2**62)
        whole = sources._open_workbook(path)
    return in_pieces, whole, sum(result is not None for result in results)


def record_pieces(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The XML of every piece given to python-calamine, filled in as they are parsed."""
    parsed: list[bytes] = []
    parse = pieces.SheetPieces._parse

    def recorded(self: pieces.SheetPieces, parts: list[bytes]) -> object:
        parsed.append(b"".join(parts))
        return parse(self, parts)

    monkeypatch.setattr(pieces.SheetPieces, "_parse", recorded)
    return parsed


def as_lists(sheets: sources.Sheets) -> tuple[dict[str, list[list[object]]], dict[str, list[list[object]]]]:
    return (
        {name: [list(row) for row in rows] for name, rows in sheets.items()},
        {name: [list(row) for row in rows] for name, rows in sheets.hidden.items()},
    )


def a_varied_workbook(path: Path) -> Path:
    """Shared strings, numbers, dates in two formats, booleans, empty rows, a row that starts at column
    D, a merged title, merged household cells, a hidden sheet, a second sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["某镇监测对象名单（系统导出）"])
    sheet.merge_cells("A1:G1")
    sheet.append(["户编号", "姓名", "出生日期", "识别时间", "收入", "在校", "行政村"])
    heads = []
    for n in range(300):
        sheet.append(
            [
                f"{n // 3:04d}",
                f"成员{n}",
                dt.date(1950 + n % 60, 1 + n % 12, 1 + n % 28),
                dt.datetime(2023, 1 + n % 12, 5, 8, 30),
                n * 101.25,
                n % 2 == 0,
                "红岩村",
            ]
        )
        sheet.cell(row=sheet.max_row, column=4).number_format = "yyyy年m月"
        if n % 3 == 0:
            heads.append(sheet.max_row)
        if n == 150:
            for _ in range(40):  # empty rows: likely a piece that holds none of the values
                sheet.append([])
    sheet.cell(row=sheet.max_row + 2, column=4, value="制表人：王五")
    for row in heads:  # 户编号 merged down each household's three rows
        sheet.merge_cells(f"A{row}:A{row + 2}")
    other = book.create_sheet("说明")
    other.append(["只是说明", 1])
    hidden = book.create_sheet("旧名单")
    hidden.append(["户编号", "姓名"])
    hidden.append(["9999", "旧人"])
    hidden.sheet_state = "hidden"
    book.save(path)
    return path


def test_a_sheet_read_in_pieces_is_the_sheet_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_pieces, whole, read = read_both(a_varied_workbook(tmp_path / "名单.xlsx"), monkeypatch)
    assert read == 2  # 名单 and 说明; the hidden sheet is never read in pieces
    assert as_lists(in_pieces) == as_lists(whole)
    rows = in_pieces["名单"]
    assert len(rows) == 344 and rows[2][2] == dt.date(1950, 1, 1) and rows[3][5] is False
    assert rows[3][0] == rows[4][0] == "0000"  # the merged 户编号 filled down its rows


def test_texts_kept_once_read_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sheet expected to be large keeps each repeated text once (memory): the same rows."""
    monkeypatch.setattr(pieces, "SHARED_TEXT_CELLS", 0)
    in_pieces, whole, read = read_both(a_varied_workbook(tmp_path / "名单.xlsx"), monkeypatch)
    assert read == 2 and as_lists(in_pieces) == as_lists(whole)
    rows = in_pieces["名单"]
    assert rows[2][6] is rows[300][6]  # "红岩村" in every row: one string


def an_export(path: Path, people: int) -> Path:
    rows = [ROSTER_HEADER]
    for n in range(people):
        relation = "户主" if n % 3 == 0 else "配偶"
        rows.append(roster_row(f"{n // 3:03d}", f"成员{n}", make_id("19700101", n % 1000), relation))
    return write_xlsx(path, rows)


def test_rows_written_out_of_order_are_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows listed last to first: a piece's rows come before the previous piece's. Putting the pieces
    together would misplace them; the sheet is read whole instead."""
    path = an_export(tmp_path / "名单.xlsx", 60)

    def reversed_rows(xml: str) -> str:
        rows = re.findall(r"<row .*?</row>", xml, re.DOTALL)
        start, end = xml.index(rows[0]), xml.index(rows[-1]) + len(rows[-1])
        return xml[:start] + "".join(reversed(rows)) + xml[end:]

    rewrite_sheet(path, reversed_rows)
    in_pieces, whole, read = read_both(path, monkeypatch)
    assert read == 0 and as_lists(in_pieces) == as_lists(whole)
    assert in_pieces["Sheet1"][0][0] == "户编号"


def test_a_piece_the_reader_refuses_leaves_the_sheet_to_be_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = an_export(tmp_path / "名单.xlsx", 60)

    class Refusing:
        @staticmethod
        def from_filelike(handle: object) -> object:
            raise sources.python_calamine.CalamineError("refused")

    class Calamine:
        CalamineWorkbook = Refusing

    monkeypatch.setattr(pieces, "python_calamine", Calamine)
    in_pieces, whole, read = read_both(path, monkeypatch)
    assert read == 0 and as_lists(in_pieces) == as_lists(whole)


def test_a_piece_never_holds_a_cell_beyond_what_the_scan_has_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value far below the table (B60000): python-calamine allocates every row down to it. Once the
    scan has seen it, the bound is over what a piece may reach (here a small one): no piece holding it
    is made, and the sheet is read whole after the scan has bounded all of it."""
    path = an_export(tmp_path / "名单.xlsx", 60)
    rewrite_sheet(
        path,
        lambda xml: xml.replace(
            "</sheetData>",
            '<row r="60000"><c r="B60000" t="inlineStr"><is><t>远处</t></is></c></row></sheetData>',
        ),
    )
    parsed = record_pieces(monkeypatch)
    monkeypatch.setattr(pieces, "MAX_CELLS", 2 * 26 * 59_999)  # a piece may reach 59,999 × 26 cells
    in_pieces, whole, read = read_both(path, monkeypatch)
    assert parsed and not any(b"B60000" in piece for piece in parsed)
    assert read == 0 and as_lists(in_pieces) == as_lists(whole)
    assert in_pieces["Sheet1"][59_999][1] == "远处"


def test_a_refusal_during_the_scan_leaves_no_piece_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scan refuses the file half way (more error values than it notes): the pieces handed over
    before are dropped, the threads reading them have ended when the refusal is reported."""
    rows = [ROSTER_HEADER]
    for n in range(60):
        row = roster_row(f"{n:03d}", f"成员{n}", make_id("19700101", n), "户主", size=1)
        row[ROSTER_HEADER.index("工资性收入")] = "#N/A"
        rows.append(row)
    path = write_xlsx(tmp_path / "名单.xlsx", rows)
    rewrite_sheet(
        path,
        lambda xml: re.sub(
            r'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>#N/A</t></is></c>',
            r'<c r="\1" t="e"><v>#N/A</v></c>',
            xml,
        ),
    )
    monkeypatch.setattr(sheetscan, "MAX_ERROR_CELLS", 40)
    monkeypatch.setattr(opening, "PIECES_FROM", 0)
    monkeypatch.setattr(pieces, "PIECE_BYTES", 1)
    monkeypatch.setattr(sheetscan, "CHUNK", 256)
    with pytest.raises(InputError) as refused:
        sources._open_workbook(path)
    assert "错误值" in refused.value.problems[0].message
    assert not [thread for thread in threading.enumerate() if thread.name.startswith("fanpin-piece")]


NAMESPACE = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<?xml version="1.0"?><workbook {NAMESPACE} xmlns:r="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}
ROWS = "".join(
    f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>第{n}行</t></is></c><c r="B{n}"><v>{n}.5</v></c></row>'
    for n in range(1, 61)
)
MERGED = '<mergeCells count="1"><mergeCell ref="A2:A4"/></mergeCells>'


def handmade(path: Path, rows: str = ROWS, *, head: str = "", tail: str = MERGED, end: str = "") -> Path:
    """A workbook of one sheet, Data, its XML written here: `head` before the rows, `tail` after them,
    `end` after the root element."""
    sheet = f'<?xml version="1.0"?><worksheet {NAMESPACE}>{head}<sheetData>{rows}</sheetData>{tail}</worksheet>{end}'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in {**PARTS, "xl/worksheets/sheet1.xml": sheet}.items():
            archive.writestr(name, content)
    return path


def read_or_refusal(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """The workbook read in pieces and read whole (as `read_both`), a refusal's messages in place of
    the rows."""

    def outcome(pieces_from: int) -> object:
        with monkeypatch.context() as patched:
            patched.setattr(opening, "PIECES_FROM", pieces_from)
            patched.setattr(pieces, "PIECE_BYTES", 1)
            patched.setattr(sheetscan, "CHUNK", 256)
            try:
                return as_lists(sources._open_workbook(path))
            except InputError as refused:
                return [problem.message for problem in refused.problems]

    return outcome(0), outcome(2**62)


@pytest.mark.parametrize(
    ("tail", "merged"),
    [
        (MERGED, True),
        ('<mergeCells count="1"><mergeCell ref="A2:A4"/></mergeCells >', True),  # a space in the end tag
        ('<mergeCells\ncount="1"><mergeCell ref="A2:A4"/></mergeCells>', True),
        (  # with a prefix
            '<x:mergeCells xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1">'
            '<x:mergeCell ref="A2:A4"/></x:mergeCells>',
            True,
        ),
        ("<!-- " + MERGED + " -->", False),  # in a comment: none
        ("<mergeCells/>" + MERGED, False),  # an empty list first: the reader takes that one
        (MERGED + MERGED.replace("A2:A4", "B2:B4"), True),
        ("", False),
    ],
)
def test_merged_ranges_written_however_read_as_the_whole_sheet_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tail: str, merged: bool
) -> None:
    """The last piece ends with the sheet's XML after the rows exactly as written (found by a review:
    moving the merged ranges in front of the rows lost them in odd but valid forms)."""
    in_pieces, whole, read = read_both(handmade(tmp_path / "表.xlsx", tail=tail), monkeypatch)
    assert read == 1 and as_lists(in_pieces) == as_lists(whole)
    assert (in_pieces["Data"][2][0] == in_pieces["Data"][1][0]) is merged  # A3 filled from A2


@pytest.mark.parametrize(
    ("head", "rows", "tail", "end"),
    [
        ("<!-- 导出程序写的说明：<sheetData> 在后面 -->", ROWS, MERGED, ""),  # a comment names the rows
        ("", ROWS[: len(ROWS) // 2] + MERGED + ROWS[len(ROWS) // 2 :], "", ""),  # merged among the rows
        ("", ROWS, "", "<!--"),  # a comment never closed after the root: the reader refuses the sheet
    ],
    ids=["comment-before-rows", "merged-among-rows", "unclosed-comment-at-the-end"],
)
def test_a_sheet_written_unlike_excel_is_read_whole_or_refused_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, head: str, rows: str, tail: str, end: str
) -> None:
    path = handmade(tmp_path / "表.xlsx", rows, head=head, tail=tail, end=end)
    in_pieces, whole = read_or_refusal(path, monkeypatch)
    assert in_pieces == whole


def test_a_prefixed_formula_after_the_rows_leaves_the_pieces_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel writes a drop-down list taken from another sheet after the rows, in extLst, with prefixed
    names (<xm:f>): nothing there is a cell, and the pieces already read are kept (found by a review:
    the whole sheet was read again)."""
    tail = (
        '<extLst><ext xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        '<x14:dataValidations xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main" count="1">'
        '<x14:dataValidation type="list"><x14:formula1><xm:f>选项!$A$1:$A$3</xm:f></x14:formula1>'
        "<xm:sqref>C2:C60</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
    )
    in_pieces, whole, read = read_both(handmade(tmp_path / "表.xlsx", tail=MERGED + tail), monkeypatch)
    assert read == 1 and as_lists(in_pieces) == as_lists(whole)


def test_past_the_fast_bound_each_chunk_is_bounded_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From row 100,000 of a wide sheet the fast search's bound (999,999 rows) is over what a piece may
    reach, and every such sheet was read whole again; each chunk is then searched for a reference
    beyond the rows so far, and the pieces go on. Here in small: 60 rows of 28 columns, a piece may
    reach 2,000 cells (99 × 28 over it, 60 × 28 under)."""
    wide = re.sub(r'(<c r="B(\d+)"><v>[^<]*</v></c>)', r'\1<c r="AB\2"><v>1</v></c>', ROWS)  # 28 columns
    monkeypatch.setattr(pieces, "MAX_CELLS", 4000)
    in_pieces, whole, read = read_both(handmade(tmp_path / "表.xlsx", wide), monkeypatch)
    assert read == 1 and as_lists(in_pieces) == as_lists(whole) and len(in_pieces["Data"][0]) == 28


def test_past_the_fast_bound_a_reference_beyond_the_rows_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """… and a reference beyond the rows so far with as many digits (B99 written in row 30, which the
    fast search does not look for) is found there: no piece holds it, the sheet is read whole."""
    rows = ROWS.replace('<c r="B30">', '<c r="B99">')
    monkeypatch.setattr(pieces, "MAX_CELLS", 4000)
    parsed = record_pieces(monkeypatch)
    in_pieces, whole, read = read_both(handmade(tmp_path / "表.xlsx", rows), monkeypatch)
    assert parsed and not any(b"B99" in piece for piece in parsed)
    assert read == 0 and as_lists(in_pieces) == as_lists(whole) and in_pieces["Data"][98][1] == 30.5


def test_a_chunk_whose_fast_search_passed_over_a_far_cell_is_no_piece(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sheet in one chunk: its fast search passes over B99 (written in row 30, as many digits as the
    rows) while 99 rows of 26 columns are within a piece's reach (2,600 cells), and the rows then reach
    column AB: 99 × 28 cells are over it. No piece is made of that chunk; the sheet is read whole."""
    wide = re.sub(r'(<c r="B(\d+)"><v>[^<]*</v></c>)', r'\1<c r="AB\2"><v>1</v></c>', ROWS)
    path = handmade(tmp_path / "表.xlsx", wide.replace('<c r="B30">', '<c r="B99">'))
    monkeypatch.setattr(pieces, "MAX_CELLS", 2 * 2600)
    monkeypatch.setattr(opening, "PIECES_FROM", 0)
    parsed = record_pieces(monkeypatch)
    in_pieces = sources._open_workbook(path)
    assert not any(b"B99" in piece for piece in parsed)
    assert len(in_pieces["Data"]) == 99 and in_pieces["Data"][98][1] == 30.5


def test_a_chunk_widening_the_sheet_is_searched_closely_and_still_read_in_pieces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same sheet without the far cell: the chunk that makes the sheet 28 columns wide is searched
    again for references beyond its rows (there are none), and the sheet is read in pieces (a first
    version of the one-pass scan read it whole: its fast search had passed over 99 rows × 28 columns,
    over a piece's reach)."""
    wide = re.sub(r'(<c r="B(\d+)"><v>[^<]*</v></c>)', r'\1<c r="AB\2"><v>1</v></c>', ROWS)
    monkeypatch.setattr(pieces, "MAX_CELLS", 2 * 2600)
    in_pieces, whole, read = read_both(handmade(tmp_path / "表.xlsx", wide), monkeypatch, chunk=2**20)
    assert read == 1 and as_lists(in_pieces) == as_lists(whole) and len(in_pieces["Data"]) == 60


def test_pieces_reaching_over_the_same_rows_are_not_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every piece writing A1 and Z999 again: each within the bound, together holding many times the
    sheet (a review found 98 pieces held for a 999 × 26 sheet). Once the pieces read hold more cells
    than a sheet may, no more are read and the sheet is read whole."""
    unit = '<row r="1"><c r="A1"><v>1</v></c></row><row r="999"><c r="Z999"><v>1</v></c></row>'
    monkeypatch.setattr(pieces, "MAX_CELLS", 4 * 999 * 26)  # a sheet may hold four times the grid
    parsed = record_pieces(monkeypatch)
    in_pieces, whole, read = read_both(handmade(tmp_path / "表.xlsx", unit * 300, tail=""), monkeypatch)
    assert read == 0 and as_lists(in_pieces) == as_lists(whole)
    assert len(parsed) < 20  # of about 100 pieces: stopped soon after the fourth (two threads)


@pytest.mark.skipif(os.environ.get("FANPIN_TEST_PIECES") == "1", reason="already the run in pieces")
def test_the_reader_tests_pass_with_every_sheet_read_in_pieces() -> None:
    """Every reader test and every refusal of the bad-input corpus, with each .xlsx sheet read in
    pieces of a few hundred bytes (tests/conftest.py, FANPIN_TEST_PIECES=1): the same rows, the same
    problems, the same messages."""
    modules = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").glob("test_readers_*.py"))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-x",
            "-p",
            "no:cacheprovider",
            *modules,
            "tests/test_bad_input_corpus.py",
        ],
        cwd=ROOT,
        env={**os.environ, "FANPIN_TEST_PIECES": "1"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
