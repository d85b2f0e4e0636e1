"""The sandboxed Jinja environment templates render in, docxtpl's pre- and postprocessing of a
part, and which template file to use (given, the workspace's, or the shipped one)."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from ..errors import TemplateError
from ..settings import Settings


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
