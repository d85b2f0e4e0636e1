"""The sandboxed Jinja environment templates render in, docxtpl's pre- and postprocessing of a
part, and which template file to use (given, the workspace's, or the shipped one)."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined

from ..errors import TemplateError
from ..settings import Settings
from .limits import BoundedEnvironment
from .source import TAG

_INSIDE_TAG = re.compile(r"(?<=\{[\{%])(.*?)(?=[\}%]\})")
_XML_ENTITY = re.compile(r"&(quot|apos|amp|lt|gt|#[0-9]+|#x[0-9a-fA-F]+);")
_ENTITIES = {"quot": '"', "apos": "'", "amp": "&", "lt": "<", "gt": ">"}
_ESCAPED_BRACES = re.compile(r"\{_\{|\}_\}|\{_%|%_\}")
RAW_TAGS = ("{% raw %}", "{% endraw %}")
_PARAGRAPH_STARTS = (b"<w:p ", b"<w:p>")  # a newline before these is prepare_xml's own


def environment() -> BoundedEnvironment:
    """The Jinja environment every user-editable document template renders in: sandboxed, bounded
    (see `limits`), StrictUndefined, XML autoescape."""
    return BoundedEnvironment(undefined=StrictUndefined, autoescape=True)


def prepare_xml(xml: str) -> str:
    """docxtpl's preprocessing (join split tags, table-row and paragraph tags), one paragraph per line.

    Two differences, both only where docxtpl would fail or print the wrong thing: a tag is read as the
    text the user sees (LibreOffice and WPS store `"` inside text as `&quot;`, `'` as `&apos;`, `&` as
    `&amp;`), and docxtpl's escaped braces `{_{ … }_}` in the template's own text become literal braces
    here, before rendering, so data that contains `{_{` prints as written."""
    prepared = DocxTemplate.patch_xml(None, xml)
    prepared = _INSIDE_TAG.sub(lambda m: _XML_ENTITY.sub(_unescape, m.group(0)), prepared)
    if "_}" in prepared or "{_" in prepared:
        pieces = re.split(f"({TAG.pattern})", prepared, flags=re.DOTALL)
        prepared = "".join(
            piece if index % 2 else _ESCAPED_BRACES.sub(_literal_braces, piece)
            for index, piece in enumerate(pieces)
        )
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", prepared)


def _unescape(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.startswith("#"):
        code = int(name[2:], 16) if name[1:2] in ("x", "X") else int(name[1:])
        return chr(code) if 0 < code < 0x110000 else match.group(0)
    return _ENTITIES[name]


def _literal_braces(match: re.Match[str]) -> str:
    return f"{RAW_TAGS[0]}{match.group(0).replace('_', '')}{RAW_TAGS[1]}"


def finish_xml(rendered: str) -> str:
    """docxtpl's postprocessing of a rendered part: lines joined again, tab/newline/page-break
    characters in data turned into Word runs. (Escaped braces were restored in `prepare_xml`.)"""
    xml = rendered.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")  # = docxtpl's regex, faster
    if any(ch in xml for ch in "\t\a\n\f"):
        xml = DocxTemplate.resolve_listing(None, xml)
    return xml


def finish_xml_bytes(rendered: str) -> bytes:
    """`finish_xml(rendered)` encoded as UTF-8, done on the encoded bytes: the same result (an ASCII
    pattern matches the same places in UTF-8, where every byte of a longer character is ≥ 0x80) in
    fewer passes. The two replacements of `finish_xml` drop exactly the newlines followed by `<w:p `
    or `<w:p>` (neither pattern can overlap itself or make a match for the other), so the text is cut
    at its newlines once and joined without those."""
    xml = rendered.encode("utf-8")
    lines = xml.split(b"\n")
    if len(lines) > 1:
        xml = lines[0] + b"".join(
            line if line.startswith(_PARAGRAPH_STARTS) else b"\n" + line for line in lines[1:]
        )
    if b"\t" in xml or b"\a" in xml or b"\n" in xml or b"\f" in xml:
        return DocxTemplate.resolve_listing(None, xml.decode("utf-8")).encode("utf-8")
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
