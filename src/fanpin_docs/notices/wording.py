"""Notice wording from editable templates: the title and text of a 公示 or 通知, and a rule's words."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import TemplateError
from ..gongwen.words import tidy
from ..policy import Rule, describe_eligibility, describe_standard
from ..templating.text import find_text_template, render_text_template


@dataclass(frozen=True)
class NoticeWording:
    """A notice's title and text, rendered from an editable template (marked text, see 实施方案.txt)."""

    title: str
    intro: str  # the body lines joined (for a 公示)
    text: str  # the whole marked text (for a 通知)


def render_wording(
    name: str, context: dict[str, Any], *, template: Path | None = None, template_dirs: tuple[Path, ...] = ()
) -> NoticeWording:
    source, origin = find_text_template(template, template_dirs, name)
    text = render_text_template(source, origin, context)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = "".join(line[2:].strip() for line in lines if line.startswith("% "))
    if not title:
        raise TemplateError(f"模板「{origin}」没有标题行", hint="在模板第一行写「% 标题」")
    intro = "".join(line for line in lines if not line.startswith(("% ", "#", "|", ">")))
    return NoticeWording(title=title, intro=intro, text=text)


def rule_words(rule: Rule) -> dict[str, str]:
    return {
        "name": rule.name,
        "standard": tidy(describe_standard(rule)) if rule.computes else "",
        "eligibility": tidy(describe_eligibility(rule)),
        "source": rule.source,
        "lead_unit": rule.lead_unit,
        "description": tidy(rule.description),
    }
