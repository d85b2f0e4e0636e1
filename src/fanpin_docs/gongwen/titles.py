"""Breaking a 公文 title over lines (GB/T 9704-2012 7.3.3): between words and phrases, never inside
one, in a balanced 梯形 or 菱形 — 「关于举办……中式烹调师 / 培训班的通知」, not 「……中式烹调师培 / 训班的通知」.

Chinese has no spaces, so the places a title may break are found by rule: after 「关于」 and the verb
that follows it, after a year 「2023年」 or 「第1期」, around 《》, after a place name (…镇, …村,
…街道), before 「的通知」-style endings and around the words of the 公文 vocabulary below. Among
the ways to break at those places into the fewest lines that fit, the most even is chosen, a shorter
first line preferred (正梯形), a longer middle line for three (菱形).
"""

from __future__ import annotations

import re
from itertools import combinations

from .page import text_width_chars

TITLE_CHARS_PER_LINE = 20  # 2号 (22 pt) across the 156 mm text width: 442 pt / 22 pt

# words a title may break before or after (each kept whole on one line)
WORDS = (
    "防止返贫",
    "动态监测",
    "监测",
    "帮扶",
    "工作",
    "实施方案",
    "方案",
    "培训班",
    "培训",
    "误工补贴",
    "补贴",
    "产业到户",
    "到户",
    "补助",
    "发放",
    "公示",
    "通知",
    "和",
    "及",
    "与",
    "人民政府",
    "办事处",
    "乡村振兴",
    "巩固拓展",
    "脱贫攻坚成果",
    "乡镇",
    "村级",
    "县级",
    "区级",
    "市级",
)
_AFTER = re.compile(r"关于(?:印发|举办|开展|做好|下达|公布)?|\d+年度?|第\d+期|[镇乡村县区市]|街道|》|、")
_BEFORE = re.compile(r"的(?:通知|公示|公告|决定|意见|报告|请示|批复)$|《")
_OPENING = "《（(“"
_CLOSING = "》）)”，、。；：的"


def break_points(text: str) -> list[int]:
    """Indices where a line may end (the break is before `text[i]`), in order."""
    points: set[int] = set()
    for match in _AFTER.finditer(text):
        points.add(match.end())
    for match in _BEFORE.finditer(text):
        points.add(match.start())
    for word in WORDS:
        for match in re.finditer(re.escape(word), text):
            points.update((match.start(), match.end()))
    allowed = []
    for index in sorted(points):
        if not 0 < index < len(text):
            continue
        if text[index - 1] in _OPENING or text[index] in _CLOSING.replace("的", ""):
            continue
        if text[index - 1].isdigit() and text[index].isdigit():
            continue
        if any(_inside(text, index, word) for word in WORDS):
            continue
        allowed.append(index)
    return allowed


def _inside(text: str, index: int, word: str) -> bool:
    """Whether a break at `index` falls strictly inside an occurrence of `word`."""
    start = text.find(word, max(0, index - len(word) + 1))
    while start != -1 and start < index:
        if start < index < start + len(word):
            return True
        start = text.find(word, start + 1)
    return False


def _cost(widths: list[float]) -> float:
    mean = sum(widths) / len(widths)
    spread = sum((w - mean) ** 2 for w in widths)
    if len(widths) == 2 and widths[0] > widths[1]:
        spread += 0.5 + (widths[0] - widths[1])  # 倒梯形 only when nothing better fits
    if len(widths) == 3 and widths[1] < min(widths[0], widths[2]):
        spread += 4.0  # a waist in the middle is neither 梯形 nor 菱形
    return spread


def break_title(text: str, width: float = TITLE_CHARS_PER_LINE) -> list[str]:
    """The lines of a title `width` 2号 characters wide: the fewest lines, broken between words and as
    evenly as the break points allow. A title with no usable break point is broken by width."""
    text = text.strip()
    if text_width_chars(text) <= width:
        return [text]
    points = break_points(text)
    for count in range(2, 6):
        best: tuple[float, list[str]] | None = None
        for cuts in combinations(points, count - 1):
            lines = [text[a:b] for a, b in zip((0, *cuts), (*cuts, len(text)), strict=True)]
            widths = [text_width_chars(line) for line in lines]
            if max(widths) > width:
                continue
            cost = _cost(widths)
            if best is None or cost < best[0]:
                best = (cost, lines)
        if best is not None:
            return best[1]
    return _by_width(text, width)


def _by_width(text: str, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for char in text:
        if text_width_chars(line + char) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines
