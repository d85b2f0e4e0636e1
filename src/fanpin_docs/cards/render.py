"""The fast card renderer: the template's XML prepared like docxtpl, compiled once, rendered per household.

`DocxTemplate(path).render(context).save(...)` per card re-reads and re-parses the template every
time (≈ 22 ms a card). Here the body of `word/document.xml` is prepared once with docxtpl's own
preprocessing and compiled once as a Jinja template; each card renders it, compresses only the
rendered body and copies every other part already compressed. The document is the one docxtpl
would make from the same template and context (tests compare them).

A village print file is the cards' bodies one after another with a page break between households,
written from the same compressed bodies; list numbering restarts for each household.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Template
from lxml import etree

from ..errors import TemplateError
from ..templating import BODY_PART, DocxSource, environment, finish_xml, finish_xml_bytes
from ..templating.running import render_located
from .numbering import Numbering, numbered_styles
from .package import Entry, deflate_piece, deflate_raw, order, static_entry, zip_bytes

CORE_PART = "docProps/core.xml"
NUMBERING_PART = "word/numbering.xml"
STYLES_PART = "word/styles.xml"
_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")
_DOC_PR = re.compile(r'(<wp:docPr\b[^>]*?\bid=")(\d+)(")')
_PRINT_MARKS = (b"<w:bookmark", b" w14:paraId=", b" w14:textId=", b"<wp:docPr")
_PRINT_ONLY_NOISE = re.compile(r'<w:bookmark(?:Start|End)\b[^>]*/>| w14:(?:paraId|textId)="[^"]*"')
# bodies change with every card: a fast zlib level (3 is 3× faster than 6 on card XML, files 13% larger)
BODY_LEVEL = 3
# A paragraph holding only a page break: 1 pt high, so a full card never pushes it onto a new page.
PAGE_BREAK = (
    '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
    '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr>'
    '<w:r><w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr><w:br w:type="page"/></w:r></w:p>'
)


@dataclass
class RenderedBody:
    """One household's rendered body: the XML text and its raw deflate piece (sync-flushed, so pieces
    can be joined; its CRC is taken with the rest of the part)."""

    text: bytes
    data: bytes


@dataclass
class _Split:
    head: str
    body: str
    tail: str


def _split_document(prepared: str, template_name: str) -> _Split:
    start = prepared.find("<w:body>")
    if start < 0:
        raise TemplateError(
            f"模板「{template_name}」的正文结构无法识别", hint="在 Word/WPS 中打开后另存为 .docx 再试"
        )
    start += len("<w:body>")
    end = prepared.rfind("<w:sectPr")
    closing = prepared.rfind("</w:body>")
    if end < start or prepared.find("</w:p>", end) >= 0 or "{{" in prepared[end:] or "{%" in prepared[end:]:
        end = closing
    return _Split(prepared[:start], prepared[start:end], prepared[end:])


class CardRenderer:
    """Renders cards and village print files from one template, compiled once.

    >>> renderer = CardRenderer(source, timestamp="2024-01-01T00:00:00Z")
    >>> data, body = renderer.card(context)
    >>> print_file = renderer.print_file([body, ...], village_context)
    """

    def __init__(self, source: DocxSource, *, timestamp: str, shared_fields: Sequence[str] = ()) -> None:
        self.source = source
        self.env = environment()
        self.shared_fields = tuple(shared_fields)
        split = _split_document(source.parts[BODY_PART].source, source.name)
        self.body_line = split.head.count("\n")  # the body template's first line in the part
        self.head = finish_xml(split.head).encode("utf-8")
        self.tail = finish_xml(split.tail).encode("utf-8")
        self.body_template: Template = self.env.from_string(split.body)
        self._body_source = split.body
        self.other_templates: dict[str, Template] = {
            name: self.env.from_string(part.source)
            for name, part in source.parts.items()
            if name != BODY_PART
        }
        stamp = timestamp.encode()
        self.static: dict[str, Entry] = {}
        for name, content in source.entries:
            if name == BODY_PART or name in self.other_templates or name.endswith("/"):
                continue
            if name == CORE_PART:
                content = _CORE_TIMES.sub(lambda m: m.group(1) + stamp + m.group(3), content)
            self.static[name] = static_entry(name, content)
        self.names = order([*self.static, BODY_PART, *self.other_templates])
        self.head_piece = deflate_piece(self.head)
        self.head_crc = zlib.crc32(self.head)
        self.tail_piece = deflate_piece(self.tail, last=True)
        self.break_text = PAGE_BREAK.encode("utf-8")
        self.break_piece = deflate_piece(self.break_text)
        self._fix_tables: bool | None = None  # decided on the first card
        entries = dict(source.entries)
        self.numbered_styles = numbered_styles(entries.get(STYLES_PART))
        self._marks_possible = self._may_render(mark.decode() for mark in _PRINT_MARKS)
        list_marks = ["<w:numId ", *(f'<w:pStyle w:val="{s}"/>' for s in self.numbered_styles)]
        self._lists_possible = NUMBERING_PART in self.static and self._may_render(list_marks)

    def _may_render(self, marks: Iterable[str]) -> bool:
        """Can a rendered body hold one of these pieces of markup? Only if the template's body has it,
        or lets text through unescaped (`|safe`, `{% autoescape false %}`): every value of a card's
        context is plain text (`context.card_context`, never Markup), escaped as it is printed. Else no
        body needs to be searched for it."""
        unescaped = "safe" in self._body_source or "autoescape" in self._body_source
        return unescaped or any(mark in self._body_source for mark in marks)

    # --- one card ---------------------------------------------------------------------------

    def render_body(self, context: Mapping[str, Any]) -> bytes:
        """The card's body as UTF-8 XML (kept as bytes: what is searched and compressed next)."""
        rendered = render_located(
            self.env,
            self.body_template,
            context,
            source=self.source,
            part=BODY_PART,
            line_offset=self.body_line,
        )
        xml = finish_xml_bytes(rendered)
        if b"<wp:docPr" in xml:
            counter = iter(range(1001, 1_000_000))
            text = _DOC_PR.sub(lambda m: f"{m.group(1)}{next(counter)}{m.group(3)}", xml.decode("utf-8"))
            xml = text.encode("utf-8")
        if self._fix_tables is None:
            self._fix_tables = self._tables_need_fixing(xml)
        if self._fix_tables:
            fixed = _fix_tables(self.head.decode("utf-8"), xml.decode("utf-8"), self.tail.decode("utf-8"))
            xml = fixed.encode("utf-8")
        return xml

    def _tables_need_fixing(self, body: bytes) -> bool:
        """On the first card: is the rendered document well-formed, and would docxtpl's fix_tables change
        its table grids (rows with more or fewer cells than the grid declares)? Then every card gets the
        same fix, as docxtpl does."""
        document = self.head + body + self.tail
        try:
            before = _grids(etree.fromstring(document))
        except etree.XMLSyntaxError as exc:
            raise TemplateError(
                f"模板「{self.source.name}」填入数据后不是有效的 Word 文档（{exc.msg}）",
                hint="检查 {%p %}、{%tr %} 等标签是否成对、是否放在同一层（段落或表格行）",
            ) from None
        after = _grids(DocxTemplate.fix_tables(None, document))
        return before != after

    def body(self, context: Mapping[str, Any]) -> RenderedBody:
        text = self.render_body(context)
        return RenderedBody(text, deflate_raw(text, level=BODY_LEVEL))

    def card(self, context: Mapping[str, Any]) -> tuple[bytes, RenderedBody]:
        """The .docx bytes of one card, and its rendered body for the village print file."""
        body = self.body(context)
        document = Entry(
            BODY_PART,
            [self.head_piece.data, body.data, self.tail_piece.data],
            zlib.crc32(self.tail, zlib.crc32(body.text, self.head_crc)),
            self.head_piece.size + len(body.text) + self.tail_piece.size,
        )
        return zip_bytes(self._entries(document, self._other_parts(context))), body

    def _other_parts(self, context: Mapping[str, Any]) -> dict[str, Entry]:
        parts = {}
        for name, template in self.other_templates.items():
            rendered = render_located(self.env, template, context, source=self.source, part=name)
            parts[name] = static_entry(name, finish_xml_bytes(rendered))
        return parts

    def _entries(self, document: Entry, others: Mapping[str, Entry]) -> list[Entry]:
        chosen = {**self.static, **others, BODY_PART: document}
        return [chosen[name] for name in self.names]

    # --- a village print file -----------------------------------------------------------------

    def print_file(self, bodies: Sequence[RenderedBody], context: Mapping[str, Any]) -> bytes:
        """All households' cards in one document, a page break between them, no blank last page.

        `context` fills page headers/footers (only fields shared by the village)."""
        pieces = [self.head_piece.data]
        crc = self.head_crc
        size = self.head_piece.size
        numbering = self._numbering(bodies)
        for index, body in enumerate(bodies):
            if index:
                pieces.append(self.break_piece.data)
                crc = zlib.crc32(self.break_text, crc)
                size += self.break_piece.size
                body = self._for_print(body, numbering, index)
            pieces.append(body.data)
            crc = zlib.crc32(body.text, crc)
            size += len(body.text)
        pieces.append(self.tail_piece.data)
        crc = zlib.crc32(self.tail, crc)
        size += self.tail_piece.size
        document = Entry(BODY_PART, pieces, crc, size)
        shared = (
            {k: v for k, v in context.items() if k in self.shared_fields} if self.shared_fields else context
        )
        others = self._other_parts(shared)
        if numbering is not None and numbering.added:
            others[NUMBERING_PART] = static_entry(NUMBERING_PART, numbering.xml())
        return zip_bytes(self._entries(document, others))

    def _numbering(self, bodies: Sequence[RenderedBody]) -> Numbering | None:
        """A numbering part for this print file if a household after the first has a list."""
        if not self._lists_possible:
            return None
        numbering = Numbering(self.source.part_bytes(NUMBERING_PART), self.numbered_styles)
        return numbering if any(numbering.uses_lists(body.text) for body in bodies[1:]) else None

    def _for_print(self, body: RenderedBody, numbering: Numbering | None, index: int) -> RenderedBody:
        """A later household's body as the print file needs it: its own list numbering (restarting
        at 1), no duplicate bookmarks or paragraph ids. Unchanged bodies keep their compressed piece."""
        if numbering is None and not (
            self._marks_possible and any(mark in body.text for mark in _PRINT_MARKS)
        ):
            return body  # the usual case: the same compressed body serves the card and the print file
        text = body.text.decode("utf-8")
        changed = _PRINT_ONLY_NOISE.sub("", text)
        if numbering is not None:
            changed = numbering.restart(changed)
        if "<wp:docPr" in changed:
            # docxtpl numbers a card's drawings from 1001; keep them unique across the print file
            changed = _DOC_PR.sub(
                lambda m: f"{m.group(1)}{int(m.group(2)) + index * 100_000}{m.group(3)}", changed
            )
        if changed == text:
            return body
        data = changed.encode("utf-8")
        return RenderedBody(data, deflate_raw(data, level=BODY_LEVEL))


def _grids(tree: Any) -> list[bytes]:
    return [etree.tostring(grid) for grid in tree.iter("{*}tblGrid")]


def _fix_tables(head: str, body: str, tail: str) -> str:
    tree = DocxTemplate.fix_tables(None, (head + body + tail).encode("utf-8"))
    xml = etree.tostring(tree, encoding="unicode")
    start = xml.find("<w:body>") + len("<w:body>")
    end = xml.rfind("<w:sectPr") if "<w:sectPr" in tail else xml.rfind("</w:body>")
    return xml[start:end]
