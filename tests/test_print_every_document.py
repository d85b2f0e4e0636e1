"""Every kind of document `fanpin demo` makes, printed as an office prints it (LibreOffice → PDF, one call).

What a reader of the paper would check: each document has pages, every page carries body text (not only a
page number or a repeated heading), and no document ends on a near-empty page that holds only a signature or
contact line.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fanpin_docs.cli import app
from fanpin_docs.pdf import convert_to_pdf, find_soffice

pymupdf = pytest.importorskip("pymupdf")

pytestmark = [
    pytest.mark.pdf,
    pytest.mark.skipif(find_soffice() is None, reason="needs LibreOffice"),
]

# Lines that close a document rather than carry its content: the signature (issuing body), the date, the
# contact line. A page holding only these is the page a reviewer sends back.
CLOSING_LINE = re.compile(
    r"^(联系人|联系电话|监督电话|举报电话|咨询电话|电话)|^\d{4}年\d{1,2}月\d{1,2}日$|"
    r"(人民政府|办事处|委员会|办公室|（盖章）|（印章）)$"
)
# The 版记 (抄送 and 印发 lines) stands alone on the last even page by GB/T 9704: allowed on its own.
IMPRINT_LINE = re.compile(r"^抄送|印发$")
MIN_CONTENT_CHARACTERS = 20  # about one line of text
FOOTER_ZONE = 0.92  # below this share of the page height: the footer (page numbers)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """{output path relative to the output folder: its PDF} for one document of every kind."""
    root = tmp_path_factory.mktemp("print")
    result = CliRunner().invoke(app, ["demo", "--out", str(root / "demo")])
    assert result.exit_code == 0, result.output
    output = root / "demo" / "output"
    documents = sorted(p for p in output.rglob("*") if p.suffix in (".docx", ".xlsx"))
    # one household card and one village print file stand for all of them; every other document is converted
    cards = [p for p in documents if len(p.relative_to(output).parts) > 3 and p.parts[-4] == "明白卡"]
    print_files = [p for p in documents if p.name.endswith("全村明白卡.docx")]
    chosen = [p for p in documents if p not in cards and p not in print_files] + cards[:1] + print_files[:1]
    staging = root / "staging"
    staging.mkdir()
    staged = {}
    for number, path in enumerate(chosen):
        copy = staging / f"{number:03d}{path.suffix}"
        shutil.copyfile(path, copy)
        staged[copy] = str(path.relative_to(output))
    pdfs = convert_to_pdf(list(staged), root / "pdf")
    return {staged[source]: pdf for source, pdf in zip(staged, pdfs, strict=True)}


PAGE_NUMBER = re.compile(r"^—\d+—$")


def _lines(page) -> list[str]:
    """The page's text lines above the footer zone, without spaces and without page numbers."""
    height = page.rect.height
    lines = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            if line["bbox"][1] < height * FOOTER_ZONE:
                text = re.sub(r"\s+", "", "".join(span["text"] for span in line["spans"]))
                if text and not PAGE_NUMBER.match(text):
                    lines.append(text)
    return lines


def _thin_page(lines: list[str]) -> bool:
    """True for a page without real content: blank, only a closing block, or a few stray characters."""
    if lines and all(IMPRINT_LINE.search(line) or CLOSING_LINE.search(line) for line in lines):
        return not any(IMPRINT_LINE.search(line) for line in lines)
    content = "".join(line for line in lines if not CLOSING_LINE.search(line))
    return len(content) < MIN_CONTENT_CHARACTERS


def test_every_document_kind_is_printed(printed: dict[str, Path]) -> None:
    names = set(printed)
    expected_kinds = [
        "明白卡清单.xlsx",
        "全村明白卡.docx",
        "花名册.xlsx",
        "签到表.xlsx",
        "误工补贴发放花名册.xlsx",
        "培训补贴汇总表.xlsx",
        "项目库汇总表.xlsx",
        "审核问题清单.xlsx",
        "产业到户补助明细.xlsx",
        "项目申报表",
        "实施方案.docx",
        "通知",
        "产业到户补助公示.docx",
        "培训误工补贴发放公示.docx",
    ]
    missing = [kind for kind in expected_kinds if not any(kind in name for name in names)]
    assert not missing, f"not made by the demo: {missing}"


def test_thin_page_rule() -> None:
    assert _thin_page([])
    assert _thin_page(["联系人：张三联系电话：023-12345678", "青山镇人民政府", "2023年5月20日"])
    assert not _thin_page(
        ["（四）加强督促检查。定期对各村监测帮扶工作进行督查。", "青山镇人民政府", "2023年5月20日"]
    )
    assert not _thin_page(["抄送：县乡村振兴局。", "青山镇人民政府办公室  2023年5月20日印发"])


def test_every_page_carries_body_text(printed: dict[str, Path]) -> None:
    thin: list[str] = []
    for name, pdf in printed.items():
        with pymupdf.open(pdf) as document:
            assert document.page_count >= 1, name
            for number, page in enumerate(document, start=1):
                lines = _lines(page)
                if _thin_page(lines):
                    thin.append(f"{name} page {number}/{document.page_count}: {' / '.join(lines)[:80]!r}")
    assert not thin, "near-empty pages:\n" + "\n".join(thin)


def test_one_page_documents_stay_on_one_page(printed: dict[str, Path]) -> None:
    """A household's card and a project's 申报表 are one sheet of paper each."""
    single = {name: pdf for name, pdf in printed.items() if "项目申报表/" in name or name.count("/") >= 3}
    assert any("项目申报表/" in name for name in single) and any(n.startswith("明白卡/") for n in single)
    pages = {name: pymupdf.open(pdf).page_count for name, pdf in single.items()}
    assert all(count == 1 for count in pages.values()), pages
