"""Word templates users edit: load a .docx, join the tags Word/WPS split, check it, render it safely.

A template is an ordinary .docx with docxtpl tags (`{{ household.head }}`, `{%tr for m in members %}`).
Word and WPS often split a tag over several runs (spell-check marks, a change of font in the middle,
typing in two goes) and Chinese input methods type full-width braces; the loader joins and repairs
these and lists every tag it had to repair. Before any batch, `check_template` reports every Jinja
error and every field the data does not provide, each with the template's name, the paragraph or
table cell, and the tag, so nothing is written from a broken template.

Templates render in a sandboxed Jinja environment with StrictUndefined (a misspelt field is an
error, never a blank) and XML autoescape (data containing < > & prints as written).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from .errors import TemplateError
from .settings import Settings

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"
BODY_PART = "word/document.xml"
_TEMPLATED_PART = re.compile(r"word/(document|header\d*|footer\d*|footnotes)\.xml")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_OPENERS = ("{{", "{%", "{#")
_FULL_WIDTH = str.maketrans({"｛": "{", "｝": "}", "％": "%", "＃": "#"})
_FULL_WIDTH_TAG = re.compile(r"[｛{][｛{％%＃#].*?[｝}％%＃#][｝}]", re.DOTALL)
_UNSUPPORTED = re.compile(r"\{\{[rp]\s|\{%-?\s*(colspan|cellbg|hm|vm)\b|\{%tc\s")
_JINJA_GLOBALS = {
    "range",
    "dict",
    "lipsum",
    "cycler",
    "joiner",
    "namespace",
    "loop",
    "true",
    "false",
    "none",
    "True",
    "False",
    "None",
}
ANY: Any = object()  # a value whose fields are not checked (set by {% set %} or a macro)


@dataclass(frozen=True)
class TagNote:
    """A tag found in a template, where it is (as the user sees it in Word) and what was done or is wrong."""

    template: str
    part: str
    location: str  # 第 3 段 / 表格 2 第 4 行第 1 列 / 页眉
    tag: str
    message: str = ""

    def describe(self) -> str:
        where = f"模板「{self.template}」{self.location}"
        return f"{where}的 {self.tag}：{self.message}" if self.message else f"{where}：{self.tag}"


@dataclass
class TemplatePart:
    """One XML part with tags, prepared like docxtpl does (tags joined, one paragraph per line)."""

    name: str
    source: str  # the Jinja source
    line_tags: list[list[tuple[str, str]]]  # line number - 1 → [(tag, where it is in Word)]


@dataclass
class DocxSource:
    """A loaded .docx template: its parts, the prepared templated parts and the repairs made."""

    name: str
    path: Path
    entries: list[tuple[str, bytes]]  # every part of the package in archive order, unchanged
    parts: dict[str, TemplatePart]
    repairs: list[TagNote] = field(default_factory=list)
    problems: list[TagNote] = field(default_factory=list)  # found while loading: unclosed tags, …

    def part_bytes(self, name: str) -> bytes:
        return dict(self.entries)[name]


def environment() -> SandboxedEnvironment:
    """The Jinja environment every user-editable document template renders in."""
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


def prepare_xml(xml: str) -> str:
    """docxtpl's preprocessing (join split tags, table-row and paragraph tags), one paragraph per line."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", DocxTemplate.patch_xml(None, xml))  # type: ignore[arg-type]


def finish_xml(rendered: str) -> str:
    """docxtpl's postprocessing of a rendered part: lines joined again, escaped braces restored,
    tab/newline/page-break characters in data turned into Word runs."""
    xml = rendered.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")  # = docxtpl's regex, faster
    if "{_" in xml or "_}" in xml:
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if any(ch in xml for ch in "\t\a\n\f"):
        xml = DocxTemplate.resolve_listing(None, xml)  # type: ignore[arg-type]
    return xml


def find_template(name: str, settings: Settings, given: Path | None = None) -> Path:
    """The template to use: the one given, else the workspace's `templates/<name>`, else the shipped one."""
    if given is not None:
        if not given.is_file():
            raise TemplateError(f"找不到模板「{given}」", hint="检查 --template 给出的路径")
        return given
    for folder in settings.template_dirs():
        if (folder / name).is_file():
            return folder / name
    shipped = Path(str(resources.files("fanpin_docs") / "templates" / name))
    if not shipped.is_file():
        raise TemplateError(f"内置模板「{name}」缺失，安装不完整", hint="重新安装 fanpin-docs")
    return shipped


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
        if part_name == BODY_PART or any(opener in prepared for opener in _OPENERS):
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
            if fixed[:2] in _OPENERS and fixed[-2:] in ("}}", "%}", "#}"):
                source.repairs.append(
                    TagNote(
                        source.name,
                        part,
                        _part_label(part),
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
    label = _part_label(part)

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


def _part_label(part: str) -> str:
    if part == BODY_PART:
        return ""
    if "header" in part:
        return "页眉"
    if "footer" in part:
        return "页脚"
    return "脚注"


def _scan_tags(source: DocxSource, part: str, xml: str, paragraphs: list[_Paragraph]) -> None:
    """List tags spread over several runs (repaired by the loader) and tags left open (cannot be)."""
    for paragraph in paragraphs:
        text = paragraph.text
        boundaries = set()
        position = 0
        for piece in paragraph.texts[:-1]:
            position += len(piece)
            boundaries.add(position)
        for match in _TAG.finditer(text):
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
        for match in _TAG.finditer(text):
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
        rest = _TAG.sub("", text)
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
    tagged = [(_tag_key(m.group(0)), p.location) for p in paragraphs for m in _TAG.finditer(p.text)]
    lines: list[list[tuple[str, str]]] = []
    cursor = 0
    for line in prepared.split("\n"):
        found = []
        for match in _TAG.finditer(re.sub(r"<[^>]*>", "", line)):
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


# --- checking -------------------------------------------------------------------------------


def check_template(
    source: DocxSource,
    fields: Mapping[str, Any],
    *,
    shared_fields: Sequence[str] | None = None,
    env: SandboxedEnvironment | None = None,
) -> list[TagNote]:
    """Raise TemplateError listing every Jinja error and unknown field; return the repairs made.

    `fields` describes the data (dict: its keys; [dict]: a list of such items; anything else: a value).
    Page headers, footers and footnotes are shared by every household of a merged print file, so with
    `shared_fields` they may only use those top-level fields.
    """
    env = env or environment()
    problems = list(source.problems)
    for part in source.parts.values():
        try:
            tree = env.parse(part.source)
        except TemplateSyntaxError as exc:
            tag, where = _tag_at(part, exc.lineno or 1)
            if "end of template" in (exc.message or "") and (block := _unclosed_block(part)):
                tag, where = block
            problems.append(
                TagNote(source.name, part.name, where, tag, f"模板语法错误：{_syntax_message(exc)}")
            )
            continue
        allowed = (
            fields
            if part.name == BODY_PART or shared_fields is None
            else {k: v for k, v in fields.items() if k in shared_fields}
        )
        for line, name, known in _unknown_fields(tree, allowed):
            tag, where = _tag_at(part, line, containing=name.split(".")[-1])
            if part.name != BODY_PART and shared_fields is not None and name.split(".")[0] in fields:
                message = (
                    f"页眉、页脚中只能使用全村相同的字段（{'、'.join(shared_fields)}），不能使用「{name}」"
                )
            else:
                message = f"数据中没有字段「{name}」（字段名写错了？）"
                if known:
                    owner = f"「{name.rsplit('.', 1)[0]}」中" if "." in name else ""
                    message += f"；{owner}可用的字段有：{known}"
            problems.append(TagNote(source.name, part.name, where, tag, message))
    if problems:
        listed = "\n".join(f"  {i}. {p.describe()}" for i, p in enumerate(problems, 1))
        hint = "在 Word/WPS 中按位置修改这些标签后保存，再重新运行"
        raise TemplateError(
            f"模板「{source.name}」有 {len(problems)} 处问题，没有生成任何文件：\n{listed}", hint=hint
        )
    return list(source.repairs)


def _tag_at(part: TemplatePart, line: int, containing: str | None = None) -> tuple[str, str]:
    """(tag, location) for a problem reported on a line of the prepared source."""
    fallback = _part_label(part.name) or "正文"
    if not 1 <= line <= len(part.line_tags):
        return "", fallback
    tags = part.line_tags[line - 1]
    if containing:
        tags = [t for t in tags if re.search(rf"\b{re.escape(containing)}\b", t[0])] or tags
    if tags:
        tag, location = tags[0]
        return tag, location or fallback
    text = re.sub(r"<[^>]*>", "", part.source.split("\n")[line - 1])
    stray = next((text[text.index(o) :][:40] for o in _OPENERS if o in text), text.strip()[:40])
    return stray, fallback


def _unclosed_block(part: TemplatePart) -> tuple[str, str] | None:
    """The innermost for/if tag left without its endfor/endif."""
    stack: list[tuple[str, str, str]] = []
    for line in part.line_tags:
        for tag, location in line:
            words = tag.strip("{%}- ").split()
            if not words:
                continue
            if words[0] in ("for", "if", "with", "macro"):
                stack.append((words[0], tag, location))
            elif words[0].startswith("end") and stack and stack[-1][0] == words[0][3:]:
                stack.pop()
    return (stack[-1][1], stack[-1][2]) if stack else None


def _syntax_message(exc: TemplateSyntaxError) -> str:
    message = exc.message or ""
    known = {
        "Unexpected end of template": "模板结束了，但 for/if 没有对应的 endfor/endif",
        "unexpected '}'": "多了一个「}」",
        "expected token 'end of print statement'": "{{ }} 中的内容不是一个字段名或表达式",
        "Encountered unknown tag": "不认识的标签",
    }
    for english, chinese in known.items():
        if english in message:
            return f"{chinese}（{message}）"
    return message


def _unknown_fields(tree: nodes.Template, fields: Mapping[str, Any]) -> list[tuple[int, str, str]]:
    """(line, dotted name, the fields that were there instead) for every field the template reads that
    `fields` does not describe."""
    found: list[tuple[int, str, str]] = []
    _Scope(found).visit(tree, dict(fields))
    return found


class _Scope:
    """Walks a Jinja AST with the names in scope (data fields, loop variables, {% set %} names)."""

    def __init__(self, found: list[tuple[int, str, str]]) -> None:
        self.found = found

    def visit(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            self.resolve(node.iter, scope)
            inner = dict(scope)
            item = self.resolve(node.iter, scope, report=False)
            self.bind(node.target, _item_of(item), inner)
            inner["loop"] = ANY
            if node.test is not None:
                self.resolve(node.test, inner)
            for child in node.body:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
            return
        if isinstance(node, nodes.Assign | nodes.AssignBlock):
            if isinstance(node, nodes.Assign):
                self.resolve(node.node, scope)
            else:
                for child in node.body:
                    self.visit(child, scope)
            self.bind(node.target, ANY, scope)
            return
        if isinstance(node, nodes.Macro | nodes.CallBlock | nodes.With):
            inner = dict(scope)
            for name in node.find_all(nodes.Name):
                if name.ctx in ("store", "param"):
                    inner[name.name] = ANY
            if isinstance(node, nodes.Macro):
                scope[node.name] = ANY
            for child in node.iter_child_nodes():
                self.visit(child, inner)
            return
        if isinstance(node, nodes.Expr):
            self.resolve(node, scope)
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)

    def bind(self, target: nodes.Node, value: Any, scope: dict[str, Any]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, ANY, scope)

    def resolve(self, node: nodes.Node, scope: dict[str, Any], *, report: bool = True) -> Any:
        """The description of what an expression yields; unknown names are reported once."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name not in _JINJA_GLOBALS and report:
                self.found.append((node.lineno, node.name, _listing(scope)))
            return ANY
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            key = (
                node.attr
                if isinstance(node, nodes.Getattr)
                else (node.arg.value if isinstance(node.arg, nodes.Const) else None)
            )
            if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const) and report:
                self.resolve(node.arg, scope)
            parent = self.resolve(node.node, scope, report=report)
            if parent is ANY or key is None:
                return ANY
            if isinstance(parent, Mapping):
                if key in parent:
                    return parent[key]
                if report:
                    self.found.append((node.lineno, f"{_dotted(node.node)}.{key}", _listing(parent)))
                return ANY
            if isinstance(parent, list) and isinstance(key, int):
                return _item_of(parent)
            if report:
                self.found.append((node.lineno, f"{_dotted(node.node)}.{key}", ""))
            return ANY
        if report:
            for child in node.iter_child_nodes():
                if isinstance(child, nodes.Expr):
                    self.resolve(child, scope)
                else:
                    self.visit(child, scope)
        return ANY


def _listing(fields: Mapping[str, Any]) -> str:
    """`name（姓名）、id（身份证号）` for the fields of a mapping whose values describe them."""
    shown = []
    for name, value in fields.items():
        if name == "loop" or value is ANY:
            continue
        label = value if isinstance(value, str) else ("列表" if isinstance(value, list) else "分组")
        shown.append(f"{name}（{label}）")
    return "、".join(shown)


def _item_of(value: Any) -> Any:
    if isinstance(value, list) and value:
        return value[0]
    return ANY


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_dotted(node.node)}.{node.arg.value}"
    return "…"
