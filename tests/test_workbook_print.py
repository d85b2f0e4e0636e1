"""Every workbook `fanpin demo` writes, as printed: text at least 9 pt on paper (print scale × the
smallest font), page-number footers inside their margin, title rows repeated, and on the PDF that
LibreOffice makes of them all (one conversion, with the ledger's workbooks of the demo township's
quarters): no smaller text, every footer whole, no text cut by its cell and no page of a numbered
table without table rows on it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pymupdf
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from fanpin_docs.cli import app
from fanpin_docs.ledger import AuditInput, LedgerStore, Period, add_export, audit, compare
from fanpin_docs.ledger.books import build_audit_book, build_changes_book
from fanpin_docs.ledger.changes import ChangeReport
from fanpin_docs.pdf import convert_to_pdf, find_soffice
from fanpin_docs.policy import load_policy
from ledger_data import build_quarters
from print_checks import (
    clipped_text,
    footer_room,
    header_without_rows,
    paper_columns,
    printed_scale,
    smallest_font,
    text_spans,
)

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


@pytest.fixture(scope="module")
def ledger_workbooks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """动态监测变化表 and 疑点数据清单 of two quarters of the demo township (tests/ledger_data.py), and the
    变化表 with its 7 changes twice and four times over: 14 fill page 1 to its last row, which once
    left page 2 with the repeated header and no row under it."""
    folder = tmp_path_factory.mktemp("ledger")
    quarters = build_quarters(folder / "quarters")
    policy = load_policy("qianjiang-2023")
    with LedgerStore.open(folder / "台账.sqlite") as store:
        for label in ("2023Q1", "2023Q2"):
            add_export(store, quarters.files[label], measures_path=quarters.measures, policy=policy)
        first, second = store.load("2023Q1"), store.load("2023Q2")
        report = compare(first, second, policy, first="2023Q1", second="2023Q2")
        findings = audit(AuditInput(Period.parse("2023Q2"), second, [("2023Q1", first)], policy))
    basis = "依据：黔江区2023年防返贫保增收政策措施（监测范围：人均纯收入 7,000.00 元）"
    books = {"动态监测变化表": build_changes_book(report, unit="青山镇", basis=basis)}
    for times in (2, 4):
        longer = ChangeReport(report.first, report.second, report.changes * times, report.notes)
        books[f"动态监测变化表×{times}"] = build_changes_book(longer, unit="青山镇", basis=basis)
    books["疑点数据清单"] = build_audit_book(findings, unit="青山镇", basis=basis)
    paths = []
    for name, book in books.items():
        paths.append(folder / "台账" / f"{name}.xlsx")
        paths[-1].parent.mkdir(exist_ok=True)
        book.save(paths[-1])
    return paths


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
def test_workbooks_on_paper(workbooks: list[Path], ledger_workbooks: list[Path], tmp_path: Path) -> None:
    copies = []
    for path in workbooks + ledger_workbooks:  # one conversion for all; the per-class files share names
        copy = tmp_path / "xlsx" / f"{path.parent.name}-{path.name}"
        copy.parent.mkdir(exist_ok=True)
        shutil.copy(path, copy)
        copies.append(copy)
    pdfs = convert_to_pdf(copies, tmp_path / "pdf")
    kinds = set()
    cut: list[str] = []
    for pdf in pdfs:
        kinds.add(pdf.stem.rsplit("-", 1)[-1].split("×")[0])
        with pymupdf.open(pdf) as document:
            assert document.page_count >= 1
            for number, page in enumerate(document, start=1):
                where = f"{pdf.name} 第 {number} 页"
                spans = text_spans(page)
                assert min(span["size"] for span in spans) >= 9, where
                [footer] = [s for s in spans if re.fullmatch(r"第 \d+ 页，共 \d+ 页", _joined(spans, s))]
                assert footer["bbox"][3] <= page.rect.height - 0.25 * 72, where  # whole, above the edge
                body = [s for s in spans if s["bbox"][1] < footer["bbox"][1] - 5]
                assert len(body) >= 5, where
                if "签到表" in pdf.name:
                    assert any("培训日期" in s["text"] for s in body), where  # the date on every page
                assert not header_without_rows(page), where  # a numbered table's header has rows
                cut += [f"{where}: {run}" for run in clipped_text(page)]
    assert not cut, "text cut by its cell:\n" + "\n".join(cut)
    assert kinds == KINDS | {"动态监测变化表", "疑点数据清单"}


def _joined(spans: list[dict], first: dict) -> str:
    """The text of the line `first` starts (LibreOffice writes digits and Chinese as separate spans)."""
    line = [s for s in spans if abs(s["bbox"][1] - first["bbox"][1]) < 1 and s["bbox"][0] >= first["bbox"][0]]
    return "".join(s["text"] for s in sorted(line, key=lambda s: s["bbox"][0])).strip()


@pytest.mark.pdf
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice not installed")
def test_long_class_names_and_places_print_whole_and_the_summary_one_page_wide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo's names are short; an office's are not. A class named in 46 characters held in a place
    named in 33: the 签到表 and 花名册 titles wrap whole, and the 汇总表 keeps 补贴金额 on the page it is
    signed on (its text columns share the page's width and wrap)."""
    from typer.testing import CliRunner

    from fanpin_docs.cli import app
    from helpers import make_id
    from training_data import trainee_rows, write_training

    long_class = (
        "黔江区城东街道2023年第二期农村实用技术暨乡村振兴致富带头人中式烹调师（初级）职业技能培训班",
        "中式烹调师（初级）职业技能培训",
        "重庆市黔江区职业教育中心实训基地三楼烹饪实训室（城东街道办事处对面）",
        "2023-05-08",
        "2023-05-19",
        10,
    )
    people = [(f"学员{i:02d}", make_id("19850101", 100 + i), "脱贫人口", 9.5, "合格") for i in range(12)]
    (tmp_path / "fanpin.toml").write_text(
        '[township]\ntownship = "城东街道"\nyear = 2023\npolicy = "qianjiang-2023"\n'
        '[documents]\nissuing_body = "城东街道办事处"\n[inputs]\ntraining = "考勤.xlsx"\n',
        encoding="utf-8",
    )
    write_training(tmp_path / "考勤.xlsx", trainee_rows(people, klass=long_class))
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(app, ["training"]).exit_code == 0
    made = tmp_path / "output" / "培训"
    [folder] = [p.name for p in made.iterdir() if p.is_dir()]  # the class's folder (its name shortened)
    names = ["培训补贴汇总表.xlsx", *(f"{folder}/{n}" for n in ("签到表.xlsx", "花名册.xlsx"))]
    copies = []
    for number, name in enumerate(names):
        copy = tmp_path / "xlsx" / f"{number}.xlsx"
        copy.parent.mkdir(exist_ok=True)
        shutil.copy(made / name, copy)
        copies.append(copy)
    cut: list[str] = []
    for pdf in convert_to_pdf(copies, tmp_path / "pdf"):
        with pymupdf.open(pdf) as document:
            for number, page in enumerate(document, start=1):
                cut += [f"{names[int(pdf.stem)]} 第 {number} 页: {run}" for run in clipped_text(page)]
                if pdf.stem == "0" and number == 1:
                    assert "补贴金额" in page.get_text() and "合计" in page.get_text()
    assert not cut, "text cut by its cell:\n" + "\n".join(cut)
