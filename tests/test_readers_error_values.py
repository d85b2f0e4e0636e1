"""Cells holding an error value (#N/A, #DIV/0!, #VALUE!: a formula that failed). python-calamine reads
them as empty text, which made an income 0 and a measure's amount 0 without a word; they are refused
with their place and the error, once, wherever the sheet's XML writes them."""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from fanpin_docs.cellrefs import column_letters
from fanpin_docs.errors import InputError, Problem
from fanpin_docs.readers import load_measures, load_roster, load_training, sheetscan
from helpers import ROSTER_HEADER, make_id, rewrite_sheet, roster_row, write_xlsx

HEAD = make_id("19700101", 11)
WAGES = ROSTER_HEADER.index("工资性收入")


def roster(tmp_path: Path, wages: object, *extra: object, header: tuple[str, ...] = ()) -> Path:
    row = roster_row("001", "张三", HEAD, "户主", size=1, income=(20000, 5000, 0, 3000, 1000))
    row[WAGES] = wages
    return write_xlsx(tmp_path / "名单.xlsx", [[*ROSTER_HEADER, *header], [*row, *extra]])


def refused(load, *args) -> list[Problem]:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError) as caught:
        load(*args)
    return caught.value.problems


def only_problem(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, [p.message for p in problems]
    return problems[0]


@pytest.mark.parametrize("code", ["#N/A", "#DIV/0!", "#VALUE!", "#REF!"])
def test_an_income_holding_an_error_value_is_refused_with_its_place(tmp_path: Path, code: str) -> None:
    problem = only_problem(refused(load_roster, roster(tmp_path, code)))
    assert (problem.file, problem.sheet, problem.row, problem.column) == (
        "名单.xlsx",
        "Sheet1",
        2,
        "工资性收入",
    )
    assert code in problem.message and "错误值" in problem.message
    assert "公式" in problem.hint and problem.is_error


def test_a_formula_whose_stored_result_is_an_error_is_refused(tmp_path: Path) -> None:
    """As Excel saves =VLOOKUP(…) that found nothing: the formula and its result #N/A."""
    path = roster(tmp_path, 0)
    cell = f"{column_letters(WAGES + 1)}2"

    def failed_lookup(xml: str) -> str:
        return re.sub(
            rf'<c r="{cell}"[^>]*>.*?</c>',
            f'<c r="{cell}" t="e"><f>VLOOKUP(A2,Z:AA,2,0)</f><v>#N/A</v></c>',
            xml,
        )

    rewrite_sheet(path, failed_lookup)
    problem = only_problem(refused(load_roster, path))
    assert (problem.row, problem.column) == (2, "工资性收入") and "#N/A" in problem.message


def test_an_error_value_is_found_in_cells_written_without_their_places(tmp_path: Path) -> None:
    """Cells without references (placed one after another, as the reader places them): the error is
    found in the cell python-calamine puts it in."""
    path = roster(tmp_path, "#DIV/0!")
    rewrite_sheet(path, lambda xml: re.sub(r'<c r="[A-Z]+2"', "<c", xml))
    problem = only_problem(refused(load_roster, path))
    assert (problem.row, problem.column) == (2, "工资性收入") and "#DIV/0!" in problem.message


def test_a_row_cut_between_chunks_ends_where_the_reader_ends_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row longer than eight chunks is cut inside it; the next row's cells, written without their
    places, start again from column A. The row's end in a chunk holding no row's start was missed (a
    #DIV/0! landed 25 columns to the right, out of the table, and the income read as 0); found by
    reading the reader tests' sheets in small chunks (tests/test_readers_pieces.py)."""
    path = roster(tmp_path, "#DIV/0!")
    rewrite_sheet(path, lambda xml: re.sub(r'<c r="[A-Z]+2"', "<c", xml))
    monkeypatch.setattr(sheetscan, "CHUNK", 256)  # the header row alone is longer than eight chunks
    problem = only_problem(refused(load_roster, path))
    assert (problem.row, problem.column) == (2, "工资性收入") and "#DIV/0!" in problem.message


def test_an_error_in_a_recomputed_or_unread_column_is_not_a_problem(tmp_path: Path) -> None:
    """人均纯收入 is recomputed from the breakdown (as a formula without its result is); a column no
    reader reads is not looked at."""
    path = roster(tmp_path, 20000, "#DIV/0!", "#N/A", header=("人均纯收入", "备用列"))
    household = load_roster(path).households[0]
    assert household.income is not None and household.per_capita_income == Decimal("27000")


def test_a_measure_amount_holding_an_error_is_refused_not_read_as_0(tmp_path: Path) -> None:
    loaded = load_roster(roster(tmp_path, 20000))
    header = ["户编号", "措施名称", "计算基数", "金额", "落实日期"]
    rows = [header, ["001", "公益性岗位", None, "#N/A", "2023-05-01"]]
    path = write_xlsx(tmp_path / "台账.xlsx", rows, sheet="帮扶措施台账")
    problem = only_problem(refused(load_measures, path, loaded))
    assert (problem.sheet, problem.row, problem.column) == ("帮扶措施台账", 2, "金额")
    assert "#N/A" in problem.message


def test_attendance_holding_an_error_is_one_problem_saying_so(tmp_path: Path) -> None:
    """Not also 「必填项为空」: one problem for one cell."""
    header = [
        "培训班名称",
        "开班日期",
        "结业日期",
        "应出勤天数",
        "姓名",
        "身份证号",
        "实际出勤天数",
        "人员类别",
    ]
    rows = [header, ["电工班", "2023-05-08", "2023-05-12", 5, "张三", HEAD, "#DIV/0!", "脱贫人口"]]
    path = write_xlsx(tmp_path / "考勤.xlsx", rows, sheet="培训考勤")
    problem = only_problem(refused(load_training, path))
    assert (problem.row, problem.column) == (2, "实际出勤天数") and "#DIV/0!" in problem.message


def converted(source: Path, form: str, folder: Path) -> Path:
    """`source` saved by LibreOffice as `form` (ods, xls)."""
    import subprocess

    from fanpin_docs.pdf import find_soffice

    soffice = find_soffice()
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{folder / 'profile'}",
            "--headless",
            "--convert-to",
            form,
            "--outdir",
            str(folder / form),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / form / f"{source.stem}.{form}"


@pytest.mark.parametrize("form", ["ods", "xls"])
@pytest.mark.parametrize(("value", "code"), [("#N/A", "#N/A"), ("=1/0", "#DIV/0!")])
def test_a_workbook_saved_by_libreoffice_keeps_its_error_values_refused(
    tmp_path: Path, form: str, value: str, code: str
) -> None:
    """In an .ods (a cell of calc value type "error") and in an old .xls (a BOOLERR record, or a FORMULA
    record whose result is an error), as in an .xlsx: calamine reads them empty."""
    path = converted(roster(tmp_path / "src", value), form, tmp_path)
    problem = only_problem(refused(load_roster, path))
    assert (problem.row, problem.column) == (2, "工资性收入") and code in problem.message


def test_an_xls_without_error_values_is_read_as_before(tmp_path: Path) -> None:
    path = converted(roster(tmp_path / "src", 20000), "xls", tmp_path)
    household = load_roster(path).households[0]
    assert household.per_capita_income == Decimal("27000")


def test_an_ods_repeating_an_error_value_over_a_huge_area_is_refused_before_it_is_spelled_out(
    tmp_path: Path,
) -> None:
    """Two small elements standing for 2,097,152 cells holding #N/A (a 1 KB file): refused at once, not
    noted cell by cell into gigabytes — and never read as empty where the repetition is long."""
    cell = (
        '<table:table-cell table:number-columns-repeated="1024" office:value-type="float" office:value="0"'
        ' calcext:value-type="error"><text:p>#N/A</text:p></table:table-cell>'
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0">'
        '<office:body><office:spreadsheet><table:table table:name="名单">'
        f'<table:table-row table:number-rows-repeated="1024">{cell * 2}</table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    path = tmp_path / "名单.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    problem = only_problem(refused(load_roster, path))
    assert problem.sheet == "名单" and "错误值" in problem.message and "100,000" in problem.message


def test_an_xls_whose_container_the_error_walk_cannot_follow_is_left_to_the_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """olefile raising what it raises on a damaged file (OverflowError among others) is no internal
    error: the walk is best effort, and the reader says what it can of the file."""
    from fanpin_docs.readers import xlsscan

    path = converted(roster(tmp_path / "src", 20000), "xls", tmp_path)

    def damaged(*args: object, **kwargs: object) -> None:
        raise OverflowError("cannot fit 'int' into an index-sized integer")

    monkeypatch.setattr(xlsscan.olefile, "OleFileIO", damaged)
    assert xlsscan.scan_xls(path) == {}
    assert load_roster(path).households[0].per_capita_income == Decimal("27000")
