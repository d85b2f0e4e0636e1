"""A loaded .docx template, its prepared parts, and the notes on its tags (where each is in Word)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

BODY_PART = "word/document.xml"
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
OPENERS = ("{{", "{%", "{#")


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


def part_label(part: str) -> str:
    if part == BODY_PART:
        return ""
    if "header" in part:
        return "页眉"
    if "footer" in part:
        return "页脚"
    return "脚注"
