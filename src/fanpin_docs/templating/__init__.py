"""Word templates users edit: load a .docx, join the tags Word/WPS split, check it, render it safely.

A template is an ordinary .docx with docxtpl tags (`{{ household.head }}`, `{%tr for m in members %}`).
Word and WPS often split a tag over several runs (spell-check marks, a change of font in the middle,
typing in two goes) and Chinese input methods type full-width braces; the loader joins and repairs
these and lists every tag it had to repair. Before any batch, `check_template` reports every Jinja
error and every field the data does not provide, each with the template's name, the paragraph or
table cell, and the tag, so nothing is written from a broken template.

Templates render in a sandboxed Jinja environment with StrictUndefined (a misspelt field is an
error, never a blank) and XML autoescape (data containing < > & prints as written).

`loading` reads and repairs a template; `check` checks it; `rendering` has the environment, docxtpl's
pre- and postprocessing and the choice of template file; `source` is what a loaded template is.
"""

from .check import ANY, check_template
from .loading import W_NS, load_docx_template
from .rendering import environment, find_template, finish_xml, finish_xml_bytes, prepare_xml
from .source import BODY_PART, DocxSource, TagNote, TemplatePart

__all__ = [
    "ANY",
    "BODY_PART",
    "W_NS",
    "DocxSource",
    "TagNote",
    "TemplatePart",
    "check_template",
    "environment",
    "find_template",
    "finish_xml",
    "finish_xml_bytes",
    "load_docx_template",
    "prepare_xml",
]
