"""Loading a .docx template: join the tags Word/WPS split over several runs, repair full-width
braces, find tags left open, and note where each tag is as a Word user sees it.

Word and WPS often split a tag over several runs (spell-check marks, a change of font in the middle,
typing in two goes) and Chinese input methods type full-width braces; the loader joins and repairs
these and lists every tag it had to repair.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import TemplateError
from .rendering import prepare_xml
from .source import BODY_PART, OPENERS, TAG, DocxSource, TagNote, TemplatePart, part_label

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
_TEMPLATED_PART = re.compile(r"word/(document|header\d*|footer\d*|footnotes)\.xml")
_FULL_WIDTH = str.maketrans({"｛": "{", "｝": "}", "％": "%", "＃": "#"})
_FULL_WIDTH_TAG = re.compile(r"[｛{][｛{％%＃#].*?[｝}％%＃#][｝}]", re.DOTALL)
_UNSUPPORTED = re.compile(r"\{\{[rp]\s|\{%-?\s*(colspan|cellbg|hm|vm)\b|\{%tc\s")


def load_docx_template(path: Path, *, display: str | None = None) -> DocxSource:
    """Read a .docx template, repair split and full-width tags, prepare its templated parts."""
    name = display or path.name
    try:
        with zipfile.ZipFile(path) as archive:
            entries = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    except FileNotFoundError:
        raise TemplateError(
            f"找不到模板「{path}」", hint="检查模板路径，或删除工作区 templates/ 中的同名文件以使用内置模板"
        ) from None
    except (zipfile.BadZipFile, OSError):
        raise TemplateError(
            f"模板「{name}」不是有效的 Word 文件（.docx）",
            hint="在 Word/WPS 中打开后另存为「Word 文档 (*.docx)」",
        ) from None
    if BODY_PART not in dict(entries):
        raise TemplateError(
            f"模板「{name}」中没有正文（word/document.xml），不是 Word 文档",
            hint="在 Word/WPS 中打开后另存为「Word 文档 (*.docx)」",
        )
    source = DocxSource(name=name, path=path, entries=entries, parts={})
    for part_name, data in entries:
        if not _TEMPLATED_PART.fullmatch(part_name):
            continue
        xml = data.decode("utf-8")
        xml = _repair_full_width(source, part_name, xml)
        locations = _paragraph_texts(xml, part_name)
        _scan_tags(source, part_name, xml, locations)
        prepared = prepare_xml(xml)
        if part_name == BODY_PART or any(opener in prepared for opener in OPENERS):
            source.parts[part_name] = TemplatePart(part_name, prepared, _line_tags(prepared, locations))
    return source


# --- repairs --------------------------------------------------------------------------------


def _repair_full_width(source: DocxSource, part: str, xml: str) -> str:
    """`｛｛ 户主 ｝｝` typed with a Chinese input method → `{{ 户主 }}` (only inside one text run)."""

    def fix_text(match: re.Match[str]) -> str:
        text = match.group(2)

        def fix_tag(tag: re.Match[str]) -> str:
            found = tag.group(0)
            if not any(ch in found for ch in "｛｝％＃"):
                return found
            fixed = found[:2].translate(_FULL_WIDTH) + found[2:-2] + found[-2:].translate(_FULL_WIDTH)
            if fixed[:2] in OPENERS and fixed[-2:] in ("}}", "%}", "#}"):
                source.repairs.append(
                    TagNote(
                        source.name,
                        part,
                        part_label(part),
                        fixed,
                        f"全角括号「{found[:2]}…{found[-2:]}」已改为半角",
                    )
                )
                return fixed
            return found

        return match.group(1) + _FULL_WIDTH_TAG.sub(fix_tag, text) + match.group(3)

    if not any(ch in xml for ch in "｛％＃"):
        return xml
    return re.sub(r"(<w:t(?:\s[^>]*)?>)([^<]*)(</w:t>)", fix_text, xml)


@dataclass
class _Paragraph:
    location: str
    texts: list[str]  # the w:t texts of the paragraph, in order

    @property
    def text(self) -> str:
        return "".join(self.texts)


def _paragraph_texts(xml: str, part: str) -> list[_Paragraph]:
    """Every paragraph of the part in document order, with where a Word user sees it."""
    try:
        root = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return []
    paragraphs: list[_Paragraph] = []
    table_count = 0
    body_count = 0
    label = part_label(part)

    def walk(element: Any, where: str | None) -> None:
        nonlocal table_count, body_count
        for child in element:
            tag = child.tag
            if tag == f"{_W}p":
                if where is None:
                    body_count += 1
                    location = f"{label}第 {body_count} 段"
                else:
                    location = where
                paragraphs.append(_Paragraph(location, [t.text or "" for t in child.iter(f"{_W}t")]))
            elif tag == f"{_W}tbl":
                table_count += 1
                table = table_count
                for row_index, row in enumerate(child.iterfind(f"{_W}tr"), 1):
                    for cell_index, cell in enumerate(row.iterfind(f"{_W}tc"), 1):
                        walk(cell, f"{label}表格 {table} 第 {row_index} 行第 {cell_index} 列")
            elif not isinstance(tag, str):
                continue
            else:
                walk(child, where)

    walk(root, None)
    return paragraphs


def _scan_tags(source: DocxSource, part: str, xml: str, paragraphs: list[_Paragraph]) -> None:
    """List tags spread over several runs (repaired by the loader) and tags left open (cannot be)."""
    for paragraph in paragraphs:
        text = paragraph.text
        boundaries = set()
        position = 0
        for piece in paragraph.texts[:-1]:
            position += len(piece)
            boundaries.add(position)
        for match in TAG.finditer(text):
            if any(match.start() < b < match.end() for b in boundaries):
                source.repairs.append(
                    TagNote(
                        source.name,
                        part,
                        paragraph.location,
                        match.group(0),
                        "标签被 Word/WPS 拆成了几段，已自动合并",
                    )
                )
        for match in TAG.finditer(text):
            if _UNSUPPORTED.match(match.group(0)):
                source.problems.append(
                    TagNote(
                        source.name,
                        part,
                        paragraph.location,
                        match.group(0),
                        "不支持富文本、子文档和动态合并单元格标签，请改用普通 {{ 字段 }} 或 {%tr %} 行循环",
                    )
                )
        rest = TAG.sub("", text)
        for opener, closer in (("{{", "}}"), ("{%", "%}"), ("{#", "#}")):
            if opener in rest:
                tail = rest[rest.index(opener) :][:40]
                source.problems.append(
                    TagNote(
                        source.name,
                        part,
                        paragraph.location,
                        tail,
                        f"标签没有结束（缺少「{closer}」）；标签不能跨段落，中间不能换行",
                    )
                )
            elif closer in rest:
                head = rest[: rest.index(closer) + 2][-40:]
                source.problems.append(
                    TagNote(
                        source.name, part, paragraph.location, head, f"多出「{closer}」，前面缺少「{opener}」"
                    )
                )


def _line_tags(prepared: str, paragraphs: list[_Paragraph]) -> list[list[tuple[str, str]]]:
    """For each line of the prepared source, its tags and where each is in Word: prepared tags are
    matched in order to the tags of the original paragraphs."""
    tagged = [(_tag_key(m.group(0)), p.location) for p in paragraphs for m in TAG.finditer(p.text)]
    lines: list[list[tuple[str, str]]] = []
    cursor = 0
    for line in prepared.split("\n"):
        found = []
        for match in TAG.finditer(re.sub(r"<[^>]*>", "", line)):
            key = _tag_key(match.group(0))
            location = ""
            for index in range(cursor, len(tagged)):
                if tagged[index][0] == key:
                    location, cursor = tagged[index][1], index + 1
                    break
            found.append((match.group(0), location))
        lines.append(found)
    return lines


def _tag_key(tag: str) -> str:
    """A tag without docxtpl's tr/tc/p/r markers and spaces, to match prepared and original tags."""
    tag = re.sub(r"^\{([{%])(tr|tc|p|r)\s", r"{\1 ", tag)
    return re.sub(r"\s+", "", tag).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
