"""Cards as printed: one A4 page per household (up to 8 members and 10 policies), one PDF page per
household in the village print file, lists numbered from 1 on every household's page."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pymupdf
import pytest
from docx import Document
from typer.testing import CliRunner

from cards_support import HOUSEHOLDS, write_inputs
from fanpin_docs.cards.data import VILLAGE_FIELDS, build_cards
from fanpin_docs.cards.render import CardRenderer
from fanpin_docs.cli import app
from fanpin_docs.ledger import DB_NAME, LedgerStore, add_export
from fanpin_docs.pdf import convert_to_pdf, find_soffice
from fanpin_docs.policy import load_policy
from fanpin_docs.readers import load_measures, load_roster
from fanpin_docs.templating import load_docx_template

pytestmark = [
    pytest.mark.pdf,
    pytest.mark.skipif(
        find_soffice() is None or shutil.which("pdftotext") is None, reason="needs LibreOffice and poppler"
    ),
]

BIG = {
    "5001140030001": (
        "大户村",
        "欧阳建国",
        ["李秀英", "欧阳志强", "欧阳丽", "欧阳小明", "张桂兰", "欧阳德福", "欧阳玉兰"],
        (20000, 5000, 300, 3000, 1000),
        "边缘易致贫户",
    )
}
TEN_POLICIES = [
    ["5001140030001", "产业到户补助", 3000, None, "合格", "", ""],
    ["5001140030001", "医疗救助一事一议", 25000, None, None, "", ""],
    ["5001140030001", "医疗救助一事一议", 200000, None, None, "", ""],
    ["5001140030001", "产业到户补助", 25000, None, "不合格", "", ""],
    ["5001140030001", "公益性岗位", None, 7200, None, "", ""],
    ["5001140030001", "跨区域交通补贴", None, 800, None, "", ""],
    ["5001140030001", "低保金", None, 4920, None, "", ""],
    ["5001140030001", "临时救助", None, 1500, None, "", ""],
    ["5001140030001", "教育资助（雨露计划）", None, 3000, None, "", ""],
    ["5001140030001", "残疾人两项补贴", None, 1320, None, "", ""],
]


def pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def smallest_text(pdf: Path) -> float:
    """The smallest font size (pt) of any printed character in the PDF."""
    with pymupdf.open(pdf) as document:
        sizes = [
            span["size"]
            for page in document
            for block in page.get_text("dict")["blocks"]
            for line in block.get("lines", [])
            for span in line["spans"]
            if span["text"].strip()
        ]
    assert sizes
    return min(sizes)


def store_wide_trend(db: Path, folder: Path, roster: Path) -> None:
    """Three earlier quarters in the ledger beside the output folder, the large household at six-digit
    per-capita incomes: the widest 收入变化 line a card prints; then `roster` itself (it has no
    数据日期: the ledger tells its quarter)."""
    rich = {"5001140030001": (*BIG["5001140030001"][:3], (900000, 50000, 3000, 30000, 1000), "")}
    earlier, _ = write_inputs(folder, households={**HOUSEHOLDS, **rich})
    with LedgerStore.open(db) as ledger:
        for period in ("2022Q2", "2022Q3", "2022Q4"):
            add_export(ledger, earlier, period=period)
        add_export(ledger, roster, period="2023Q1")


def test_pdf_has_one_page_per_household_even_for_the_largest_card(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    roster, measures = write_inputs(
        tmp_path / "输入",
        households={**HOUSEHOLDS, **BIG},
        ledger=[*TEN_POLICIES, ["5001140010001", "公益性岗位", None, 7200, None, "", ""]],
    )
    out = tmp_path / "out"
    store_wide_trend(tmp_path / DB_NAME, tmp_path / "往期", roster)
    result = CliRunner().invoke(
        app,
        [
            "cards",
            "--roster",
            str(roster),
            "--measures",
            str(measures),
            "--policy",
            "qianjiang-2023",
            "--out",
            str(out),
            "--pdf",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "PDF 3 个" in result.output

    big = pages(out / "明白卡/城东街道/大户村_全村明白卡.pdf")
    assert len(big) == 1  # 8 members, 10 policies and the income trend fit one A4 page
    # the trend on one printed line: 122,750.00 per person in each earlier quarter, 3,412.50 now
    (trend,) = [line for line in big[0].splitlines() if "收入变化" in line]
    assert trend.split("收入变化")[1].split() == [
        *("2022Q2", "122,750.00", "→", "2022Q3", "122,750.00", "→", "2022Q4", "122,750.00", "→"),
        *("本期", "3,412.50"),
    ]
    assert "欧阳玉兰" in big[0] and "残疾人两项补贴" in big[0] and "村党组织书记" in big[0]
    compact = big[0].replace(" ", "")
    assert "医疗救助一事一议（第3项）" in compact and "本卡一式两份" in compact
    assert "收入计算期间" in compact and "2023年度" in compact
    # 五号 or larger everywhere, the 计算说明 and the closing note included, on the full card and the others
    for pdf in (out / "明白卡/城东街道").glob("*.pdf"):
        assert smallest_text(pdf) >= 10.5, pdf.name

    village = pages(out / "明白卡/城东街道/红岩村_全村明白卡.pdf")
    assert len(village) == 3
    for page, head in zip(village, ["张大山", "王二妹", "陈&<老三>"], strict=True):
        assert head in page and "防止返贫监测帮扶明白卡" in page


def test_lists_restart_on_every_household_page(tmp_path):
    roster_path, measures_path = write_inputs(tmp_path / "输入")
    roster = load_roster(roster_path)
    cards = build_cards(
        roster, load_measures(measures_path, roster), load_policy("qianjiang-2023"), year=2023
    )
    with_two = [card for card in cards if len(card.lines) == 2]
    document = Document()
    document.add_paragraph("{{ household.head }}")
    document.add_paragraph("{%p for p in policies %}")
    document.add_paragraph("{{ p.name }}", style="List Number")
    document.add_paragraph("{%p endfor %}")
    document.save(str(tmp_path / "编号.docx"))
    renderer = CardRenderer(
        load_docx_template(tmp_path / "编号.docx"),
        timestamp="2024-01-01T00:00:00Z",
        shared_fields=VILLAGE_FIELDS,
    )
    bodies = [renderer.card(card.context)[1] for card in with_two]
    (tmp_path / "全村.docx").write_bytes(renderer.print_file(bodies, with_two[0].context))
    printed = pages(convert_to_pdf([tmp_path / "全村.docx"], tmp_path / "pdf")[0])
    assert len(printed) == len(with_two) >= 2
    for page, card in zip(printed, with_two, strict=True):
        numbered = [
            line.split()[0] for line in page.splitlines() if line.strip()[:2] in ("1.", "2.", "3.", "4.")
        ]
        assert numbered == ["1.", "2."], (card.household.head.name, page)
