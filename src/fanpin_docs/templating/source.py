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


def tag_at(part: TemplatePart, line: int, containing: str | None = None) -> tuple[str, str]:
    """(tag, location) for a problem reported on a line of the prepared source."""
    fallback = part_label(part.name) or "正文"
    if not 1 <= line <= len(part.line_tags):
        return "", fallback
    tags = part.line_tags[line - 1]
    if containing:
        tags = [t for t in tags if re.search(rf"\b{re.escape(containing)}\b", t[0])] or tags
    if tags:
        tag, location = tags[0]
        return tag, location or fallback
    text = re.sub(r"<[^>]*>", "", part.source.split("\n")[line - 1])
    stray = next((text[text.index(o) :][:40] for o in OPENERS if o in text), text.strip()[:40])
    return stray, fallback
