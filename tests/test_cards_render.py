"""The fast renderer gives the document docxtpl gives; village print files join the cards correctly."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.shared import Cm
from docxtpl import DocxTemplate
from lxml import etree

from cards_support import HOUSEHOLDS, document_xml, write_inputs
from fanpin_docs.cards.data import VILLAGE_FIELDS, build_cards
from fanpin_docs.cards.render import CardRenderer
from fanpin_docs.errors import TemplateError
from fanpin_docs.pdf import fonts_in_docx
from fanpin_docs.policy import load_policy
from fanpin_docs.readers import load_measures, load_roster
from fanpin_docs.settings import Settings
from fanpin_docs.templating import environment, find_template, load_docx_template

STAMP = "2024-01-01T00:00:00Z"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture()
def cards(tmp_path):
    roster_path, measures_path = write_inputs(tmp_path)
    roster = load_roster(roster_path)
    built = build_cards(
        roster, load_measures(measures_path, roster), load_policy("qianjiang-2023"), year=2023
    )
    assert len(built) == len(HOUSEHOLDS)  # the tests below compare every card: none may be missing
    return built


def renderer_for(path: Path) -> CardRenderer:
    return CardRenderer(load_docx_template(path), timestamp=STAMP, shared_fields=VILLAGE_FIELDS)


def docxtpl_bytes(path: Path, context: dict) -> bytes:
    template = DocxTemplate(str(path))
    template.render(context, jinja_env=environment())
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def body_c14n(data: bytes) -> bytes:
    root = etree.fromstring(document_xml(data).encode("utf-8"))
    return etree.tostring(root.find(f"{W}body"), method="c14n")


def paragraphs_and_cells(data: bytes) -> list[str]:
    document = Document(io.BytesIO(data))
    return [p.text for p in document.paragraphs] + [
        " | ".join(cell.text for cell in row.cells) for table in document.tables for row in table.rows
    ]


def test_default_template_gives_the_docxtpl_document(cards):
    template = find_template("明白卡.docx", Settings())
    renderer = renderer_for(template)
    for card in cards:
        fast, _ = renderer.card(card.context)
        slow = docxtpl_bytes(template, card.context)
        assert paragraphs_and_cells(fast) == paragraphs_and_cells(slow)
        assert body_c14n(fast) == body_c14n(slow)


def custom_template(path: Path) -> Path:
    """Split runs, paragraph-level tags, a numbered list and a header, as a user might make in Word."""
    document = Document()
    document.sections[0].header.paragraphs[0].text = "{{ township }}{{ village }}"
    title = document.add_paragraph()
    for piece in ("{{ house", "hold.head }}家（", "{{ household.id }}", "）"):
        title.add_run(piece)
    document.add_paragraph("{%p for p in policies %}")
    document.add_paragraph("{{ p.name }}：{{ p.amount }} 元", style="List Number")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if income.below_line %}")
    document.add_paragraph("低于监测线")
    document.add_paragraph("{%p endif %}")
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for m in members %}"
    table.cell(1, 0).text, table.cell(1, 1).text = "{{ m.name }}", "{{ m.id }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    document.add_paragraph("住址：{{ household.address }}")
    document.save(str(path))
    return path


def test_custom_template_with_lists_tables_and_odd_data_gives_the_docxtpl_document(cards, tmp_path):
    template = custom_template(tmp_path / "自制.docx")
    renderer = renderer_for(template)
    for card in cards:
        context = dict(card.context)
        # data with XML characters, a tab and a line break: docxtpl turns the last two into Word runs
        context["household"] = {**context["household"], "address": "一组\t3号<老屋>&\n新址"}
        fast, _ = renderer.card(context)
        slow = docxtpl_bytes(template, context)
        assert paragraphs_and_cells(fast) == paragraphs_and_cells(slow)
        assert body_c14n(fast) == body_c14n(slow)
        assert "<老屋>&" in card_text_bytes(fast)


def card_text_bytes(data: bytes) -> str:
    return "\n".join(paragraphs_and_cells(data))


def test_cards_are_valid_zips_and_byte_identical_on_rerun(cards):
    template = find_template("明白卡.docx", Settings())
    first, _ = renderer_for(template).card(cards[0].context)
    again, _ = renderer_for(template).card(cards[0].context)
    assert first == again
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names[0] == "[Content_Types].xml" and names[1:] == sorted(names[1:])
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert b"2024-01-01T00:00:00Z" in archive.read("docProps/core.xml")


def test_village_print_file_has_one_card_per_page(cards):
    renderer = renderer_for(find_template("明白卡.docx", Settings()))
    village = [card for card in cards if card.household.village == "红岩村"]
    bodies = [renderer.card(card.context)[1] for card in village]
    data = renderer.print_file(bodies, village[0].context)
    xml = document_xml(data)
    assert xml.count('<w:br w:type="page"/>') == len(village) - 1
    body = etree.fromstring(xml.encode("utf-8")).find(f"{W}body")
    last = [child for child in body if child.tag != f"{W}sectPr"][-1]
    assert b'w:type="page"' not in etree.tostring(last)  # no blank page at the end
    text = "\n".join(paragraphs_and_cells(data))
    positions = [text.index(card.household.head.name) for card in village]
    assert positions == sorted(positions)
    titles = [p for p in paragraphs_and_cells(data) if p.endswith("明白卡")]
    assert len(titles) == len(village)


def test_print_file_restarts_list_numbering_per_household(cards, tmp_path):
    renderer = renderer_for(custom_template(tmp_path / "编号.docx"))
    bodies = [renderer.card(card.context)[1] for card in cards[:3]]
    data = renderer.print_file(bodies, cards[0].context)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        numbering = archive.read("word/numbering.xml").decode("utf-8")
        header = next(archive.read(n).decode("utf-8") for n in archive.namelist() if "header" in n)
    per_household = [set(ids) for ids in _list_ids_per_household(document_xml(data))]
    # the first household keeps the style's list; each later one gets a list instance of its own
    assert per_household[0] == set() and per_household[1] and per_household[2]
    assert per_household[1].isdisjoint(per_household[2])
    for ids in per_household[1:]:
        for number in ids:
            assert f'<w:num w:numId="{number}">' in numbering
            assert (
                'w:startOverride w:val="1"'
                in numbering.split(f'<w:num w:numId="{number}">')[1].split("</w:num>")[0]
            )
    assert cards[0].household.township + cards[0].household.village in header


def _list_ids_per_household(xml: str) -> list[list[str]]:
    chunks = xml.split('<w:br w:type="page"/>')
    return [[c.split('"')[0] for c in chunk.split('<w:numId w:val="')[1:]] for chunk in chunks]


def test_rendering_error_names_the_template(cards, tmp_path):
    document = Document()
    document.add_paragraph("{{ household.head|int(base=None, extra=1) }}")
    path = tmp_path / "坏.docx"
    document.save(str(path))
    renderer = renderer_for(path)
    with pytest.raises(TemplateError, match="坏.docx"):
        renderer.card(cards[0].context)


def test_card_reads_like_a_card(cards):
    renderer = renderer_for(find_template("明白卡.docx", Settings()))
    card = next(c for c in cards if c.household.household_id == "5001140010001")
    data, _ = renderer.card(card.context)
    text = card_text_bytes(data)
    assert "城东街道红岩村2023年防止返贫监测帮扶明白卡" in text
    assert "张大山" in text and "产业到户补助" in text and "2,000.00" in text and "9,200.00" in text
    assert "人民币玖仟贰佰元整" in text
    assert card.household.head.id_number not in text
    assert card.household.head.id_number[:6] + "********" in text


def test_print_file_keeps_bookmarks_and_paragraph_ids_unique(cards, tmp_path):
    document = Document()
    paragraph = document.add_paragraph("{{ household.head }}")
    namespaces = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
    )
    paragraph._p.insert(0, parse_xml(f'<w:bookmarkStart {namespaces} w:id="0" w:name="_GoBack"/>'))
    paragraph._p.append(parse_xml(f'<w:bookmarkEnd {namespaces} w:id="0"/>'))
    paragraph._p.set("{http://schemas.microsoft.com/office/word/2010/wordml}paraId", "1A2B3C4D")
    document.save(str(tmp_path / "书签.docx"))
    renderer = renderer_for(tmp_path / "书签.docx")
    bodies = [renderer.card(card.context)[1] for card in cards[:3]]
    xml = document_xml(renderer.print_file(bodies, cards[0].context))
    assert xml.count('w:name="_GoBack"') == 1 and xml.count("1A2B3C4D") == 1
    assert all(
        card.household.head.name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in xml
        for card in cards[:3]
    )


def test_template_that_renders_broken_xml_is_refused(cards, tmp_path):
    document = Document()
    table = document.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "{%tr if household.id == '无' %}"  # opens a row-level block …
    document.add_paragraph("{%p endif %}")  # … closed by a paragraph-level tag: rows and paragraphs cross
    document.save(str(tmp_path / "交叉.docx"))
    with pytest.raises(TemplateError, match="不是有效的 Word 文档"):
        renderer_for(tmp_path / "交叉.docx").card(cards[0].context)


def test_default_template_is_an_a4_form_with_chinese_fonts_and_borders():
    path = find_template("明白卡.docx", Settings())
    document = Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert section.page_width < section.page_height and section.left_margin >= Cm(1.5)
    assert {"宋体", "黑体"} <= fonts_in_docx(path)
    styles = document.styles.element.xml
    assert 'w:eastAsia="宋体"' in styles and 'w:eastAsia="黑体"' in styles
    bordered = [
        t for t in document.tables if "<w:tblBorders>" in t._tbl.xml and 'w:val="single"' in t._tbl.xml
    ]
    assert len(bordered) == len(document.tables) - 1  # every table but the signature line
    source = load_docx_template(path)
    assert source.repairs == [] and source.problems == []
