"""Restarting list numbering for each household of a print file.

Word continues a list through the whole document. For the households after the first, every list
(a paragraph's own numbering, or numbering that comes from a paragraph style such as 「列表编号」)
gets a new list instance of the same list definition that starts again at 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NUM_ID = re.compile(r'(<w:numId w:val=")(\d+)(")')
_PPR = re.compile(r"<w:pPr>(.*?)</w:pPr>", re.DOTALL)
_STYLE = re.compile(r'<w:style\b[^>]*w:styleId="([^"]+)"[^>]*>(.*?)</w:style>', re.DOTALL)
_BEFORE_NUMPR = re.compile(
    r'(<w:pStyle w:val="[^"]+"/>(?:<w:(?:keepNext|keepLines|pageBreakBefore|widowControl)\b[^>]*/>)*)'
)


def numbered_styles(styles_xml: bytes | None) -> dict[str, tuple[str, str]]:
    """Paragraph style id → (numId, ilvl) for styles that number their paragraphs (through basedOn too)."""
    if not styles_xml:
        return {}
    text = styles_xml.decode("utf-8")
    own: dict[str, tuple[str, str]] = {}
    parent: dict[str, str] = {}
    for style_id, body in _STYLE.findall(text):
        number = re.search(r'<w:numId w:val="(\d+)"', body)
        if number:
            level = re.search(r'<w:ilvl w:val="(\d+)"', body)
            own[style_id] = (number.group(1), level.group(1) if level else "0")
        based = re.search(r'<w:basedOn w:val="([^"]+)"', body)
        if based:
            parent[style_id] = based.group(1)
    resolved = dict(own)
    for style_id in parent:
        seen = {style_id}
        current = style_id
        while current not in own and current in parent and parent[current] not in seen:
            current = parent[current]
            seen.add(current)
        if current in own and style_id not in resolved:
            resolved[style_id] = own[current]
    return {k: v for k, v in resolved.items() if v[0] != "0"}


@dataclass
class Numbering:
    """numbering.xml of one print file, growing a list instance per household and list."""

    source: bytes
    styles: dict[str, tuple[str, str]] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        text = self.source.decode("utf-8")
        self.abstract = {
            m.group(1): m.group(2)
            for m in re.finditer(r'<w:num w:numId="(\d+)"[^>]*>\s*<w:abstractNumId w:val="(\d+)"', text)
        }
        self.next_id = max((int(n) for n in self.abstract), default=0) + 1

    def uses_lists(self, body: bytes) -> bool:
        return b"<w:numId " in body or any(f'<w:pStyle w:val="{s}"/>'.encode() in body for s in self.styles)

    def restart(self, body: str) -> str:
        """One household's body with its lists moved to fresh instances that start at 1."""
        mapping: dict[str, str] = {}

        def fresh(old: str) -> str:
            if old not in mapping:
                mapping[old] = str(self.next_id)
                overrides = "".join(
                    f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="1"/></w:lvlOverride>'
                    for level in range(9)
                )
                self.added.append(
                    f'<w:num w:numId="{self.next_id}"><w:abstractNumId w:val="{self.abstract[old]}"/>'
                    f"{overrides}</w:num>"
                )
                self.next_id += 1
            return mapping[old]

        def explicit(match: re.Match[str]) -> str:
            old = match.group(2)
            if old not in self.abstract:
                return match.group(0)
            return f"{match.group(1)}{fresh(old)}{match.group(3)}"

        def styled(match: re.Match[str]) -> str:
            properties = match.group(1)
            style = re.search(r'<w:pStyle w:val="([^"]+)"/>', properties)
            if "<w:numPr>" in properties or style is None or style.group(1) not in self.styles:
                return match.group(0)
            number, level = self.styles[style.group(1)]
            if number not in self.abstract:
                return match.group(0)
            numbering = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{fresh(number)}"/></w:numPr>'
            return (
                "<w:pPr>"
                + _BEFORE_NUMPR.sub(lambda m: m.group(1) + numbering, properties, count=1)
                + "</w:pPr>"
            )

        body = _NUM_ID.sub(explicit, body)
        return _PPR.sub(styled, body) if self.styles else body

    def xml(self) -> bytes:
        text = self.source.decode("utf-8")
        position = text.find("<w:numIdMacAtCleanup")
        if position < 0:
            position = text.rfind("</w:numbering>")
        return (text[:position] + "".join(self.added) + text[position:]).encode("utf-8")
