"""Every workbook `fanpin demo` writes, as printed: text at least 9 pt on paper (print scale × the
smallest font), page-number footers inside their margin, title rows repeated, and on the PDF that
LibreOffice makes of them all (one conversion): no smaller text, every footer whole, and no page
of a numbered table without table rows on it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pymupdf
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from fanpin_docs.cli import app
from fanpin_docs.pdf import convert_to_pdf, find_soffice
from print_checks import footer_room, paper_columns, printed_scale, smallest_font

KINDS = {
    "明白卡清单",
    "项目库汇总表",
    "产业到户补助明细",
    "审核问题清单",
    "花名册",
    "签到表",
    "误工补贴发放花名册",
    "培训补贴汇总表",
}


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("demo") / "演示"
    result = CliRunner().invoke(app, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    found = sorted((out / "output").rglob("*.xlsx"))
    assert {p.stem for p in found} == KINDS
    return found


def test_every_workbook_prints_at_least_9_pt(workbooks: list[Path]) -> None:
    checked = set()
    for path in workbooks:
        for ws in load_workbook(path).worksheets:
            scale = printed_scale(ws)
            printed = scale / 100 * smallest_font(ws)
            assert printed >= 9, (path.name, ws.title, scale, printed)
            assert int(ws.page_setup.paperSize) == 9 and "&P" in ws.oddFooter.center.text
            checked.add(path.stem)
    assert checked == KINDS


def test_every_footer_fits_inside_its_margin(workbooks: list[Path]) -> None:
    for path in workbooks:
        for ws in load_workbook(path).worksheets:
            assert footer_room(ws) >= 0.1, (path.name, ws.title)  # a tenth of an inch to spare


def test_no_file_path_on_paper_and_titles_repeated(workbooks: list[Path]) -> None:
    [cards] = [p for p in workbooks if p.stem == "明白卡清单"]
    ws = load_workbook(cards)["明白卡清单"]
    headers = [c.value for c in ws[2]]
    assert headers.index("文件") >= paper_columns(ws)  # in the workbook, not on paper
    assert "合计（元）" in headers[: paper_columns(ws)]
    assert ws.print_title_rows == "$1:$2"
    sign_in = [p for p in workbooks if p.stem == "签到表"]
    assert sign_in
    for path in sign_in:
        for day in load_workbook(path).worksheets:
            assert day.print_title_rows == "$1:$3"  # the day and its date on every page


@pytest.mark.pdf
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice not installed")
def test_workbooks_on_paper(workbooks: list[Path], tmp_path: Path) -> None:
    copies = []
    for path in workbooks:  # one conversion for all; the per-class files share their names
        copy = tmp_path / "xlsx" / f"{path.parent.name}-{path.name}"
        copy.parent.mkdir(exist_ok=True)
        shutil.copy(path, copy)
        copies.append(copy)
    pdfs = convert_to_pdf(copies, tmp_path / "pdf")
    kinds = set()
    for pdf in pdfs:
        kinds.add(pdf.stem.rsplit("-", 1)[-1])
        with pymupdf.open(pdf) as document:
            assert document.page_count >= 1
            for number, page in enumerate(document, start=1):
                where = f"{pdf.name} 第 {number} 页"
                spans = [
                    span
                    for block in page.get_text("dict")["blocks"]
                    for line in block.get("lines", [])
                    for span in line["spans"]
                    if span["text"].strip()
                ]
                assert min(span["size"] for span in spans) >= 9, where
                [footer] = [s for s in spans if re.fullmatch(r"第 \d+ 页，共 \d+ 页", _joined(spans, s))]
                assert footer["bbox"][3] <= page.rect.height - 0.25 * 72, where  # whole, above the edge
                body = [s for s in spans if s["bbox"][1] < footer["bbox"][1] - 5]
                assert len(body) >= 5, where
                if "签到表" in pdf.name:
                    assert any("培训日期" in s["text"] for s in body), where  # the date on every page
                heads = [s for s in body if s["text"].strip() == "序号"]
                if heads:  # a page of a numbered table carries some of its rows
                    head = heads[0]["bbox"]
                    numbers = [
                        s
                        for s in body
                        if re.fullmatch(r"\d+", s["text"].strip())
                        and s["bbox"][0] < head[2] + 5
                        and s["bbox"][1] > head[3]
                    ]
                    assert numbers, where
    assert kinds == KINDS


def _joined(spans: list[dict], first: dict) -> str:
    """The text of the line `first` starts (LibreOffice writes digits and Chinese as separate spans)."""
    line = [s for s in spans if abs(s["bbox"][1] - first["bbox"][1]) < 1 and s["bbox"][0] >= first["bbox"][0]]
    return "".join(s["text"] for s in sorted(line, key=lambda s: s["bbox"][0])).strip()
