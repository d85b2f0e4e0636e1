"""Loading a .docx template: join the tags Word/WPS split over several runs, repair full-width
braces, find tags left open, and note where each tag is as a Word user sees it.

Word and WPS often split a tag over several runs (spell-check marks, a change of font in the middle,
typing in two goes) and Chinese input methods type full-width braces; the loader joins and repairs
these and lists every tag it had to repair.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from lxml import etree

from ..errors import TemplateError
from .rendering import RAW_TAGS, prepare_xml
from .source import BODY_PART, OPENERS, TAG, DocxSource, TagNote, TemplatePart, part_label

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
_TEMPLATED_PART = re.compile(r"word/(document|header\d*|footer\d*|footnotes)\.xml")
_FULL_WIDTH = str.maketrans({"｛": "{", "｝": "}", "％": "%", "＃": "#"})
_FULL_WIDTH_TAG = re.compile(r"[｛{][｛{％%＃#].*?[｝}％%＃#][｝}]", re.DOTALL)
_FULL_WIDTH_OPENERS = ("｛｛", "｛％", "｛{", "{｛", "{％", "｛%", "｛＃")
_CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_W_T = re.compile(r"<w:t(?:\s[^>]*?)?(?:/>|>([^<]*)</w:t>)")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
MAX_PART_BYTES = 64 * 2**20  # one part of the package, uncompressed
MAX_BYTES = 256 * 2**20  # all parts together
MAX_PARTS = 5_000
_UNSUPPORTED = (
    (
        re.compile(r"\{\{r\s|\{%r\s"),
        "不支持富文本标签 {{r }}，请改用普通 {{ 字段 }}，字体、颜色在 Word 中直接设置",
    ),
    (
        re.compile(r"\{\{p\s|\{%p\s+(?:include|subdoc)"),
        "不支持插入子文档的 {{p }} 标签，请把内容直接写进模板",
    ),
    (
        re.compile(r"\{%tc\s"),
        "不支持 {%tc %}（按列重复表格的单元格）；请在表格中写好固定的列，单元格中用普通 {{ 字段 }}",
    ),
    (
        re.compile(r"\{%-?\s*(colspan|hm|vm)\b"),
        "不支持动态合并单元格的标签（colspan、hm、vm），请在 Word 中直接合并单元格",
    ),
    (
        re.compile(r"\{%-?\s*cellbg\b"),
        "不支持设置单元格底色的 cellbg 标签，请在 Word 中直接设置底色",
    ),
)


def load_docx_template(path: Path, *, display: str | None = None) -> DocxSource:
    """Read a .docx template, repair split and full-width tags, prepare its templated parts."""
    name = display or path.name
    entries = _read_entries(path, name)
    if BODY_PART not in dict(entries):
        raise TemplateError(
            f"模板「{name}」中没有正文（word/document.xml），不是 Word 文档",
            hint="在 Word/WPS 中打开后另存为「Word 文档 (*.docx)」",
        )
    source = DocxSource(name=name, path=path, entries=entries, parts={})
    for part_name, data in entries:
        if not _TEMPLATED_PART.fullmatch(part_name):
            continue
        xml = data.decode("utf-8", errors="replace")
        xml = _repair_full_width(source, part_name, xml)
        locations = _paragraph_texts(xml, part_name)
        _scan_tags(source, part_name, xml, locations)
        prepared = prepare_xml(xml)
        if part_name == BODY_PART or any(opener in prepared for opener in OPENERS):
            source.parts[part_name] = TemplatePart(part_name, prepared, _line_tags(prepared, locations))
    return source


def _read_entries(path: Path, name: str) -> list[tuple[str, bytes]]:
    """Every part of the package, refusing before inflating anything over the size bounds, and any
    XML part with a document type definition (Word never writes one; it can declare entities that
    expand without end)."""
    not_word = TemplateError(
        f"模板「{name}」不是有效的 Word 文件（.docx）",
        hint="在 Word/WPS 中打开后另存为「Word 文档 (*.docx)」",
    )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            too_big = next((i for i in infos if i.file_size > MAX_PART_BYTES), None)
            if too_big is not None or len(infos) > MAX_PARTS or sum(i.file_size for i in infos) > MAX_BYTES:
                what = (
                    f"其中「{too_big.filename}」解压后有 {too_big.file_size / 2**20:,.0f} MB"
                    if too_big is not None
                    else f"共 {len(infos)} 个部件，解压后 {sum(i.file_size for i in infos) / 2**20:,.0f} MB"
                )
                raise TemplateError(
                    f"模板「{name}」太大，没有读取：{what}（每个部件最多 {MAX_PART_BYTES // 2**20} MB，"
                    f"全部最多 {MAX_BYTES // 2**20} MB）",
                    hint="模板中不要放很大的图片或附件；在 Word/WPS 中压缩图片后另存为 .docx",
                )
            entries = [(info.filename, archive.read(info.filename)) for info in infos]
    except FileNotFoundError:
        raise TemplateError(
            f"找不到模板「{path}」", hint="检查模板路径，或删除工作区 templates/ 中的同名文件以使用内置模板"
        ) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, EOFError, OSError):
        raise not_word from None
    for part_name, data in entries:
        if part_name.endswith((".xml", ".rels")) and _DOCTYPE.search(data):
            raise TemplateError(
                f"模板「{name}」的部件「{part_name}」中有文档类型定义（<!DOCTYPE …>），"
                "Word/WPS 保存的文件不会有，这个文件被其他程序改过",
                hint="在 Word/WPS 中新建文档，把模板内容复制进去，另存为「Word 文档 (*.docx)」",
            )
    return entries


# --- repairs --------------------------------------------------------------------------------


def _repair_full_width(source: DocxSource, part: str, xml: str) -> str:
    """`｛｛ 户主 ｝｝` typed with a Chinese input method → `{{ 户主 }}`, also when Word split the tag over
    several runs (`｛｛ household.` in one run, `phone ｝｝` bold in the next); each repair is noted with
    the paragraph or table cell."""
    if not any(ch in xml for ch in "｛％＃"):
        return xml
    runs = list(_W_T.finditer(xml))
    texts = [m.group(1) or "" for m in runs]
    paragraphs = _paragraph_texts(xml, part)
    if sum(len(p.indices) for p in paragraphs) != len(runs):
        return xml  # not the w:t elements lxml sees (an unusual prefix): leave it to the checks
    changed: dict[int, list[str]] = {}
    for paragraph in paragraphs:
        joined = "".join(paragraph.texts)
        if not any(ch in joined for ch in "｛％＃"):
            continue
        owner = [
            (index, offset)
            for index, text in zip(paragraph.indices, paragraph.texts, strict=True)
            for offset in range(len(text))
        ]
        for match in _FULL_WIDTH_TAG.finditer(joined):
            found = match.group(0)
            if not any(ch in found for ch in "｛｝％＃"):
                continue
            opener, closer = found[:2].translate(_FULL_WIDTH), found[-2:].translate(_FULL_WIDTH)
            if _CLOSERS.get(opener) != closer:
                continue
            for position in (match.start(), match.start() + 1, match.end() - 2, match.end() - 1):
                index, offset = owner[position]
                characters = changed.setdefault(index, list(_text_of(texts[index])))
                characters[offset] = characters[offset].translate(_FULL_WIDTH)
            fixed = opener + found[2:-2] + closer
            source.repairs.append(
                TagNote(
                    source.name,
                    part,
                    paragraph.location,
                    re.sub(r"\s+", " ", fixed),
                    f"全角括号「{found[:2]}…{found[-2:]}」已改为半角",
                )
            )
    if not changed:
        return xml
    pieces = []
    position = 0
    for index, characters in sorted(changed.items()):
        run = runs[index]
        pieces += [xml[position : run.start(1)], xml_escape("".join(characters))]
        position = run.end(1)
    return "".join(pieces) + xml[position:]


def _text_of(raw: str) -> str:
    """The text of a w:t element from its raw XML content."""
    return etree.fromstring(f"<t>{raw}</t>").text or ""


@dataclass
class _Paragraph:
    location: str
    texts: list[str]  # the w:t texts of the paragraph, in order
    indices: list[int]  # the position of each of those w:t elements among all w:t of the part

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
    every_text = list(root.iter(f"{_W}t"))  # kept alive so that each element keeps its proxy (and id)
    order = {id(t): index for index, t in enumerate(every_text)}

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
                runs = list(child.iter(f"{_W}t"))
                paragraphs.append(
                    _Paragraph(location, [t.text or "" for t in runs], [order[id(t)] for t in runs])
                )
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
            unsupported = next((m for pattern, m in _UNSUPPORTED if pattern.match(match.group(0))), None)
            if unsupported is not None:
                source.problems.append(
                    TagNote(source.name, part, paragraph.location, match.group(0), unsupported)
                )
        rest = TAG.sub("", text)
        left = next((b for b in _FULL_WIDTH_OPENERS if b in rest), None)
        if left is not None:
            source.problems.append(
                TagNote(
                    source.name,
                    part,
                    paragraph.location,
                    rest[rest.index(left) :][:40],
                    f"全角括号「{left}」开始的标签没有正确结束（应以「｝｝」或「}}}}」、「％｝」或「%}}」结束），"
                    "卡上会印出原样的括号",
                )
            )
            continue
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
            if match.group(0) in RAW_TAGS:
                continue  # docxtpl's escaped braces {_{ }_}, made literal by prepare_xml
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
    return re.sub(r"\s+", "", tag)
