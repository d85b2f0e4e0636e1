"""Hostile and unlucky workbooks: bounded memory and time, a Chinese message, never a crash.

The large-sheet cases run `fanpin check` in a subprocess limited to 2 GB of address space
(`ulimit -v 2000000`), as a web service reading uploaded files would have to.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from fanpin_docs.errors import InputError
from fanpin_docs.readers.bounds import MAX_ENTRY_BYTES
from fanpin_docs.readers.workbook import open_workbook
from helpers import (
    ROSTER_HEADER,
    damaged_inside,
    make_id,
    rewrite_part,
    rewrite_sheet,
    roster_row,
    write_xlsx,
)

FANPIN = Path(sys.executable).with_name("fanpin")
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEAD = make_id("19700101", 11)
SPOUSE = make_id("19720304", 22)


def good_roster(path: Path) -> Path:
    return write_xlsx(
        path,
        [
            ROSTER_HEADER,
            roster_row("001", "张三", HEAD, "户主", size=2),
            roster_row("001", "李四", SPOUSE, "配偶"),
        ],
    )


def with_value_at(path: Path, ref: str) -> Path:
    row = re.sub(r"[A-Z]", "", ref)
    cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'
    return rewrite_sheet(path, lambda xml: xml.replace("</sheetData>", cell + "</sheetData>"))


def with_merge(path: Path, ref: str) -> Path:
    merge = f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'
    return rewrite_sheet(path, lambda xml: xml.replace("</sheetData>", "</sheetData>" + merge))


def run_limited(*args: object, cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    command = " ".join(f"'{a}'" for a in (FANPIN, *args))
    started = time.perf_counter()
    result = subprocess.run(
        ["bash", "-c", f"ulimit -v 2000000; exec {command}"],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "300"},
        timeout=120,
    )
    return result, time.perf_counter() - started


@pytest.mark.parametrize("ref", ["XFD1048576", "ZZ100000"])
def test_a_value_far_away_is_refused_before_reading(tmp_path: Path, ref: str) -> None:
    path = with_value_at(good_roster(tmp_path / "名单.xlsx"), ref)
    result, seconds = run_limited("check", "--roster", path, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"一直延伸到 {ref} 单元格" in result.stdout and "删除" in result.stdout
    assert "Traceback" not in result.stderr + result.stdout and "程序内部错误" not in result.stdout
    assert seconds < 30


@pytest.mark.parametrize(
    "far",
    [
        # 16,383 empty cells without a reference, then a value: it sits in XFD, on the last row
        '<row r="1048576">' + "<c/>" * 16383 + '<c t="inlineStr"><is><t>x</t></is></c></row>',
        # a reference in lower-case letters, and one with leading zeros, as the reader also takes them
        '<row r="3"><c r="xfd1048576" t="inlineStr"><is><t>x</t></is></c></row>',
        '<row r="3"><c r="ZZ0001048576" t="inlineStr"><is><t>x</t></is></c></row>',
        # 16,383 empty cells outside any row, then a row whose value's tag has no reference: the reader
        # goes on counting columns from the empty cells (the value is in XFD300000)
        "<c/>" * 16383 + '<row r="300000"><c t="inlineStr"><is><t>x</t></is></c></row>',
        # 16,383 empty cells, then one whose value is a space, or an empty inline string: the reader
        # counts both as cells holding something
        '<row r="1048576">' + "<c/>" * 16383 + "<c><v> </v></c></row>",
        '<row r="1048576">' + "<c/>" * 16383 + '<c t="inlineStr"><is></is></c></row>',
        # the reference in single quotes, or with spaces around "=", as XML allows and the reader takes
        "<row r='1048576'><c r='XFD1048576' t='inlineStr'><is><t>x</t></is></c></row>",
        '<row r = "1048576"><c r = "XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
        # after rows written plainly, one written with a namespace prefix (the reader takes those too)
        f'<x:row xmlns:x="{MAIN}" r="1048576">'
        + "<x:c/>" * 16383
        + '<x:c t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c></x:row>',
    ],
)
def test_a_value_far_away_written_another_way_is_refused_before_reading(tmp_path: Path, far: str) -> None:
    path = rewrite_sheet(
        good_roster(tmp_path / "名单.xlsx"), lambda xml: xml.replace("</sheetData>", far + "</sheetData>")
    )
    result, seconds = run_limited("check", "--roster", path, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"一直延伸到 [A-Z]+\d+ 单元格", result.stdout) and "删除" in result.stdout
    assert "Traceback" not in result.stderr + result.stdout and "程序内部错误" not in result.stdout
    assert seconds < 30


def test_a_value_far_away_with_cards_is_refused_the_same_way(tmp_path: Path) -> None:
    path = with_value_at(good_roster(tmp_path / "名单.xlsx"), "XFD1048576")
    out = tmp_path / "out"
    result, _ = run_limited(
        "cards", "--roster", path, "--policy", "qianjiang-2023", "--out", out, cwd=tmp_path
    )
    assert result.returncode == 1 and "一直延伸到 XFD1048576 单元格" in result.stdout + result.stderr
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))


@pytest.mark.parametrize("ref", ["A1228:XFD1048576", "E3:E1048576"])
def test_a_merged_range_to_the_end_of_the_sheet_is_filled_only_in_the_data_area(
    tmp_path: Path, ref: str
) -> None:
    path = with_merge(good_roster(tmp_path / "名单.xlsx"), ref)
    result, seconds = run_limited("check", "--roster", path, cwd=tmp_path)
    assert "程序内部错误" not in result.stdout and "Traceback" not in result.stderr
    assert seconds < 30
    rows = next(iter(open_workbook(path).values()))
    assert len(rows) == 3 and max(len(r) for r in rows) == len(ROSTER_HEADER)


def test_formatted_but_empty_cells_far_away_do_not_count(tmp_path: Path) -> None:
    path = good_roster(tmp_path / "名单.xlsx")
    rewrite_sheet(
        path,
        lambda xml: xml.replace(
            "</sheetData>", '<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>'
        ),
    )
    rows = next(iter(open_workbook(path).values()))
    assert len(rows) == 3


def test_a_zip_entry_that_would_inflate_beyond_the_cap_is_refused_before_inflating(tmp_path: Path) -> None:
    path = good_roster(tmp_path / "名单.xlsx")
    block = b"\0" * (1024 * 1024)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/padding.bin", "w", force_zip64=True) as entry,
    ):
        for _ in range(MAX_ENTRY_BYTES // len(block) + 1):
            entry.write(block)
    assert path.stat().st_size < 5 * 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        open_workbook(path)
    assert time.perf_counter() - started < 2  # refused from the zip directory, nothing inflated
    message = caught.value.problems[0].message
    assert "xl/media/padding.bin" in message and "解压后超过" in message


# --- characters a Word or Excel file cannot hold -------------------------------------------------------

ILLEGAL = "§"  # written in place of U+FFFE U+FFFF, which openpyxl refuses to write (`with_illegal`)


def with_illegal(path: Path) -> Path:
    """Put U+FFFE and U+FFFF where the workbook has 「§」, as a hand-made or hostile file holds them."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data.replace(b"&#167;", "\ufffe\uffff".encode()))
    return path


def _all_parts_parse(folder: Path) -> int:
    """Every XML part of every .docx/.xlsx written under `folder` parses; returns how many files."""
    from lxml import etree

    files = [p for p in folder.rglob("*") if p.suffix in (".docx", ".xlsx")]
    for path in files:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.endswith((".xml", ".rels")):
                    etree.fromstring(archive.read(name))  # raises on an illegal character
    return len(files)


def test_illegal_characters_are_dropped_at_reading_for_every_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from fanpin_docs.cli import app
    from test_bad_input_corpus import PROJECT_HEADER, project
    from training_data import HEADER as TRAINING_HEADER
    from training_data import trainee_rows

    monkeypatch.chdir(tmp_path)
    other = make_id("19650505", 33)
    roster_rows = [
        ROSTER_HEADER,
        roster_row("001", "张三", HEAD, "户主", size=2),
        roster_row("001", "李四", SPOUSE, "配偶"),
        roster_row("002", f"王{ILLEGAL}五", other, "户主", size=1, helper=f"赵{ILLEGAL}干部"),
    ]
    roster = with_illegal(write_xlsx(tmp_path / "名单.xlsx", roster_rows))
    people = [(f"王{ILLEGAL}五", other, "脱贫人口", 5, "合格"), ("张三", HEAD, "脱贫人口", 6, "合格")]
    klass = (f"电工{ILLEGAL}培训班", "电工", f"职教{ILLEGAL}中心", "2023-03-06", "2023-03-12", 7)
    training = with_illegal(
        write_xlsx(tmp_path / "考勤.xlsx", [TRAINING_HEADER, *trainee_rows(people, klass)], sheet="培训考勤")
    )
    projects = with_illegal(
        write_xlsx(tmp_path / "项目.xlsx", [PROJECT_HEADER, project(f"茶叶{ILLEGAL}基地")])
    )
    assert "\uffff" in str(next(iter(open_workbook(roster).values()))[3][5])

    runner = CliRunner()
    checked = runner.invoke(app, ["check", "--roster", str(roster)])
    assert checked.exit_code == 0 and "不允许的字符" in checked.output and "U+FFFF" in checked.output
    policy = ["--policy", "qianjiang-2023"]
    commands = [
        ["cards", "--roster", str(roster), *policy, "--out", "out/cards"],
        ["training", "--training", str(training), "--roster", str(roster), *policy, "--out", "out/training"],
        ["projects", "--projects", str(projects), *policy, "--out", "out/projects"],
        [
            "notice",
            "training",
            "--training",
            str(training),
            "--roster",
            str(roster),
            *policy,
            "--out",
            "out/notice",
        ],
    ]
    for arguments in commands:
        result = runner.invoke(app, arguments)
        assert "程序内部错误" not in result.output, result.output
        assert result.exit_code == 0, result.output
    written = _all_parts_parse(tmp_path / "out")
    assert written >= 6
    text = b"".join(
        zipfile.ZipFile(p).read(n)
        for p in (tmp_path / "out").rglob("*.docx")
        for n in zipfile.ZipFile(p).namelist()
        if n == "word/document.xml"
    ).decode()
    assert "王五" in text and "\uffff" not in text


# --- a bound on the problems reported -------------------------------------------------------------------


def test_thousands_of_bad_rows_give_a_bounded_report_saying_what_is_left_out(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from fanpin_docs.cli import app
    from fanpin_docs.readers import load_roster
    from fanpin_docs.readers.collect import LIMIT

    junk = [["", "黔江区", "城东街道", "红岩村", "一组", "某人", "", "户主"] for _ in range(3000)]
    path = write_xlsx(tmp_path / "名单.xlsx", [ROSTER_HEADER[:8], *junk])
    with pytest.raises(InputError) as caught:
        load_roster(path)
    problems = caught.value.problems
    assert LIMIT <= len(problems) <= LIMIT + 10
    summaries = [p for p in problems if "同样的问题" in p.message]
    assert summaries, [p.message for p in problems[-5:]]
    empty_ids = next(p for p in summaries if p.column == "户编号")
    assert (
        "第 " in empty_ids.message and "–3001 行" in empty_ids.message and "必填项为空" in empty_ids.message
    )
    assert sum(int(re.search(r"共 (\d+) 处", p.message).group(1)) for p in summaries) + LIMIT == 2 * 3000
    assert caught.value.message.startswith("输入文件有 6,000 处问题需要修改")  # every one counted

    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 1 and len(result.output.splitlines()) < LIMIT + 20
    assert "未逐条列出" in result.output and "6,000 处错误" in result.output


def test_rows_without_numbers_are_counted(tmp_path: Path) -> None:
    """<row> without r= is placed after the previous row: 600 of them under a cell in XFD are too wide."""
    path = good_roster(tmp_path / "名单.xlsx")
    rewrite_sheet(path, lambda xml: re.sub(r'<row r="\d+"', "<row", xml))
    assert [row[0] for row in next(iter(open_workbook(path).values()))] == ["户编号", "001", "001"]
    wide = '<row><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>'
    many = '<row><c t="inlineStr"><is><t>y</t></is></c></row>' * 600
    rewrite_sheet(path, lambda xml: xml.replace("<sheetData>", "<sheetData>" + wide + many))
    with pytest.raises(InputError) as caught:
        open_workbook(path)
    assert "XFD" in caught.value.problems[0].message


def write_ods(path: Path, rows: list[list[str]], *, far: str = "") -> Path:
    """A minimal OpenDocument spreadsheet as LibreOffice writes one: text cells, the empty rest of the sheet
    as one repeated empty row, and optionally `far` (extra row XML, e.g. a value far away)."""
    cells = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
            for v in row
        )
        + "</table:table-row>"
        for row in rows
    )
    empty = '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="名单">{cells}{far or empty}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
            ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/"'
            ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
    return path


def test_an_ods_with_a_value_far_away_is_refused_before_reading(tmp_path: Path) -> None:
    far = (
        '<table:table-row table:number-rows-repeated="99997"><table:table-cell/></table:table-row>'
        '<table:table-row><table:table-cell table:number-columns-repeated="701"/>'
        '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
    )
    path = write_ods(tmp_path / "名单.ods", [list(ROSTER_HEADER)], far=far)
    result, seconds = run_limited("check", "--roster", path, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "数据区域太大（99999 行 × 702 列）" in result.stdout
    assert "Traceback" not in result.stderr + result.stdout and "程序内部错误" not in result.stdout
    assert seconds < 30


def test_an_ods_with_the_usual_repeated_empty_rest_is_read(tmp_path: Path) -> None:
    rows = [list(ROSTER_HEADER), [str(v) for v in roster_row("001", "张三", HEAD, "户主", size=1)]]
    sheets = open_workbook(write_ods(tmp_path / "名单.ods", rows))
    (table,) = sheets.values()
    assert [str(v) for v in table[0][: len(ROSTER_HEADER)]] == list(ROSTER_HEADER)
    assert len(table) == 2


def test_a_sheet_cut_off_inside_a_long_run_of_tags_is_refused_at_once(tmp_path: Path) -> None:
    """A damaged sheet ending in 2 MB of unclosed cell tags (`<c r="A2" t="e" ` …, no `>` after): the scan
    never searches what follows the last tag's end (a search for an end that is not there, started at
    every tag, would take hours), and the reader refuses the file. Run apart, with a deadline."""
    path = good_roster(tmp_path / "名单.xlsx")
    rewrite_sheet(path, lambda xml: xml[: xml.index("</sheetData>")] + '<c r="A2" t="e" ' * 125_000)
    code = "from fanpin_docs.readers import load_roster; import sys; load_roster(sys.argv[1])"
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 1 and "InputError" in done.stderr, done.stderr[-2000:]


@pytest.mark.parametrize(
    ("part", "change"),
    [
        (
            "xl/workbook.xml",
            lambda xml: re.sub(r"(<sheet [^>]*?)(/?>)", r"\1 " + "a" * 1_000_000 + r"\2", xml),
        ),
        (  # a row of 250,000 cell tags before a quote never closed: each tag's search ran to the end
            "xl/worksheets/sheet1.xml",
            lambda xml: xml.replace("</sheetData>", "<row>" + "<c a" * 250_000 + '"x></row></sheetData>'),
        ),
        (  # a cell of the sheet, which is scanned element by element (a cell below has no place)
            "xl/worksheets/sheet1.xml",
            lambda xml: re.sub(r'(<c r="A2"[^>]*)>', r"\1 " + "a" * 1_000_000 + ">", xml, count=1).replace(
                '<c r="B2"', "<c", 1
            ),
        ),
    ],
    ids=["workbook-sheet", "unclosed-quote-after-many-tags", "sheet-cell"],
)
def test_a_megabyte_of_junk_in_a_tag_is_read_at_once(tmp_path: Path, part: str, change) -> None:  # type: ignore[no-untyped-def]
    """A tag's attributes are read as the reader's XML parser reads them, one after the other: a
    megabyte of junk after them costs one pass (a search started again at every byte of it, as a
    first version of this reading did, takes hours). Run apart, with a deadline."""
    path = good_roster(tmp_path / "名单.xlsx")
    rewrite_part(path, part, change)
    code = (
        "import sys\nfrom fanpin_docs.errors import InputError\nfrom fanpin_docs.readers import load_roster\n"
        "try:\n    load_roster(sys.argv[1])\nexcept InputError:\n    print('refused')\nelse:\n    print('read')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0 and done.stdout.strip() in ("read", "refused"), done.stderr[-2000:]


def test_a_workbook_broken_inside_a_part_is_refused_as_damaged(tmp_path: Path) -> None:
    """Inflating a damaged part raises zlib's own error, which was not taken for a damaged file: 「程序内部错误」."""
    rows = [ROSTER_HEADER] + [
        roster_row(f"{n:03d}", f"成员{n}", make_id("19700101", n), "户主", size=1) for n in range(300)
    ]
    path = damaged_inside(write_xlsx(tmp_path / "名单.xlsx", rows), "xl/worksheets/sheet1.xml")
    with pytest.raises(InputError) as refused:
        open_workbook(path)
    assert "文件已损坏" in refused.value.problems[0].message
