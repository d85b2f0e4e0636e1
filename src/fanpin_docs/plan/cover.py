"""The 印发通知 that issues a 实施方案: 「关于印发《…》的通知」, its 主送机关 and text from the editable
template 印发通知.txt, and what its 版记 says (the template's 「抄送：」 and 「印发机关：」 lines)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..errors import TemplateError
from ..gongwen.imprint import Imprint, split_imprint
from ..gongwen.words import area_word
from .setup import PlanSettings

COVER_TEMPLATE = "印发通知.txt"
_PROVINCE_OR_CITY = re.compile(r"^.+?[省市](?=.+[区县旗]$)")


@dataclass(frozen=True)
class Cover:
    title: str
    text: str  # marked text without the 版记 lines
    copied_to: tuple[str, ...]
    printer: str

    def imprint(self, printed_on: date | None, undated: str) -> Imprint:
        return Imprint(self.copied_to, self.printer, printed_on, undated)


def default_recipients(township: str) -> str:
    """主送机关: the villages and the township's own offices."""
    area = area_word(township)
    if area == "街道":
        return "各社区（村），街道各部门"
    return f"各村（社区），{area}属各单位"


def cover_context(plan: PlanSettings, plan_title: str) -> dict[str, Any]:
    return {
        "plan_title": plan_title,
        "township": plan.township,
        "area": area_word(plan.township),
        "county": plan.county,
        "county_short": _PROVINCE_OR_CITY.sub("", plan.county),
        "year": plan.year,
        "issuing_body": plan.issuing_body,
        "recipients": default_recipients(plan.township),
    }


def read_cover(text: str, origin: str) -> Cover:
    """Split the rendered template into the notice's marked text and its 版记 lines."""
    marked, copied, printer = split_imprint(text)
    kept = marked.splitlines()
    title = "".join(line.strip()[2:].strip() for line in kept if line.strip().startswith("% "))
    if not title:
        raise TemplateError(f"模板「{origin}」没有标题行", hint="在模板中写「% 关于印发《……》的通知」")
    if not printer:
        raise TemplateError(
            f"模板「{origin}」没有「印发机关：」一行", hint="加一行「印发机关：某某镇党政办公室」（版记用）"
        )
    return Cover(title=title, text=marked, copied_to=copied, printer=printer)
