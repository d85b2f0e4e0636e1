"""Before a batch: fill the template with real households and read the result as a reader would.

Checking a template's tags cannot catch everything: a filter given a bad argument, a loop that runs too
long, a tag Word stored in a shape the loader did not recognise (printed as written: `{{ household.`).
The trial renders the first card and a two-card print file and refuses, before anything is written,
if that fails or if the card would show a literal `{{`, `{%`, `｛｛` or `｛％` that the data did not bring;
the first card is also tried with an income trend, so that the 「收入变化」 row is tried with or
without a 动态监测台账.

`fanpin cards` runs it on its batch; `fanpin check` runs the same check on a workspace's own template
(`check_workspace_template`), so both refuse the same templates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import unescape

from jinja2 import meta

from ..constants import CARD_TEMPLATE_NAME
from ..errors import FanpinError, InputError, TemplateError
from ..gongwen.issuer import working_year
from ..models import MeasureRecord, Roster
from ..policy import Policy
from ..readers import load_measures, load_roster
from ..settings import Settings
from ..templating import BODY_PART, DocxSource, TagNote, check_template, environment, load_docx_template
from ..templating.rendering import RAW_TAGS
from .data import Card, build_cards
from .fields import FIELDS, VILLAGE_FIELDS
from .render import CardRenderer

TEMPLATE_NAME = CARD_TEMPLATE_NAME
LITERAL_OPENERS = ("{{", "{%", "｛｛", "｛％", "{｛", "｛{", "{％", "｛%")
_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.DOTALL)
_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
_ENTITIES = {"&quot;": '"', "&apos;": "'"}
# the fields that differ from one household to the next: a card template uses at least one of them
HOUSEHOLD_FIELDS = tuple(name for name in FIELDS if name not in VILLAGE_FIELDS)


def check_card_tags(source: DocxSource) -> list[TagNote]:
    """`check_template` against the card's fields, and refuse a template whose text uses no field of the
    household (a document saved over the template, a blank one): every card would be the same page,
    thousands of them, without a word. Returns the repairs made."""
    repairs = check_template(source, FIELDS, shared_fields=VILLAGE_FIELDS)
    used = meta.find_undeclared_variables(environment().parse(source.parts[BODY_PART].source))
    if not used.intersection(HOUSEHOLD_FIELDS):
        raise TemplateError(
            f"明白卡模板「{source.name}」的正文没有用到任何一户的字段（如 {{{{ household.head }}}}、"
            "{{ members }}、{{ income.per_capita }}），每张明白卡都会一样，没有生成任何文件",
            hint="改用内置模板（删除工作区 templates/明白卡.docx，或在工作台恢复内置模板），"
            "或照内置模板在正文中写上字段后再上传",
        )
    return repairs


# what the first card is also tried with when it has no income trend (no ledger, no earlier quarter):
# the template's 「收入变化」 row is left out of such a card, and would otherwise never be tried
SAMPLE_TREND = "2024Q1 6,800.00 → 2024Q2 7,120.50 → 本期 7,450.00"


def trial_render(source: DocxSource, cards: Sequence[Card], timestamp: str) -> None:
    """Render the first card and a two-card print file; raise TemplateError if either fails or if the
    first card would print a template tag literally — also with an income trend, when it has none."""
    renderer = CardRenderer(source, timestamp=timestamp, shared_fields=VILLAGE_FIELDS)
    bodies = [renderer.card(card.context)[1] for card in cards[:2]]
    renderer.print_file(bodies, cards[0].context)
    if not bodies:
        return
    _refuse_literal_tags(source, bodies[0].text.decode("utf-8"), cards[0], cards[0].context)
    context = cards[0].context
    if not context["income"]["trend"]:
        trying = {**context, "income": {**context["income"], "trend": SAMPLE_TREND}}
        body = renderer.card(trying)[1]
        _refuse_literal_tags(
            source, body.text.decode("utf-8"), cards[0], trying, "（试填「收入变化」一行时）"
        )


def _refuse_literal_tags(
    source: DocxSource, body: str, card: Card, context: Mapping[str, Any], trying: str = ""
) -> None:
    escaped = any(RAW_TAGS[0] in part.source for part in source.parts.values())
    data = list(_strings(context))
    for number, paragraph in enumerate(_PARAGRAPH.findall(body), 1):
        text = unescape("".join(_TEXT.findall(paragraph)), _ENTITIES)
        for opener in LITERAL_OPENERS:
            if opener not in text or any(opener in value for value in data):
                continue
            if escaped and opener in ("{{", "{%"):
                continue  # the template prints braces on purpose ({_{ … }_})
            shown = text[text.index(opener) :][:40]
            note = TagNote(
                source.name,
                BODY_PART,
                f"填好的第一张卡（户编号 {card.household.household_id}）{trying}第 {number} 段",
                shown,
                f"卡上会原样印出「{opener}」：这个标签没有被识别"
                "（括号是全角、被拆开，或少了结尾的「}}」「%}」）",
            )
            raise TemplateError(
                f"{note.describe()}，没有生成任何文件",
                hint="在 Word/WPS 中把这个标签删掉，用半角括号重新输入一遍（不要中途改字体），保存后重新运行",
            )


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def workspace_template(settings: Settings) -> Path | None:
    """The workspace's own card template, if it has one."""
    return next((d / TEMPLATE_NAME for d in settings.template_dirs() if (d / TEMPLATE_NAME).is_file()), None)


def check_workspace_template(
    settings: Settings,
    roster: Path | None,
    measures: Path | None,
    policy: Policy | None,
    *,
    read: tuple[Roster, Sequence[MeasureRecord]] | None = None,
) -> tuple[Path, list[TagNote], bool] | None:
    """What `fanpin cards` checks about the workspace's card template before writing: its tags and, when
    the roster and the policy can be read, a trial card. None without a workspace template; raises
    TemplateError like `fanpin cards` would; returns the template, the repairs made and whether a trial
    card was filled otherwise.
    Problems of the workbooks themselves are left to the workbook checks; `read`: the roster and the
    measure records those checks have already read from these files (not read again)."""
    path = workspace_template(settings)
    if path is None:
        return None
    repairs, tried = check_card_template(path, settings, roster, measures, policy, read=read)
    return path, repairs, tried


def check_card_template(
    path: Path,
    settings: Settings,
    roster: Path | None,
    measures: Path | None,
    policy: Policy | None,
    *,
    display: str | None = None,
    read: tuple[Roster, Sequence[MeasureRecord]] | None = None,
) -> tuple[list[TagNote], bool]:
    """The checks of `check_workspace_template` on the card template at `path` (shown as `display`,
    e.g. a template just uploaded that is not yet in place): raises TemplateError, or returns the
    repairs made and whether a trial card was filled."""
    source = load_docx_template(path, display=display)
    repairs = check_card_tags(source)
    if roster is None or policy is None:
        return repairs, False
    try:
        if read is not None:
            loaded, records = read[0], list(read[1])
        else:
            loaded = load_roster(roster)
            records = load_measures(measures, loaded) if measures is not None else []
        year = working_year(settings, policy)
        first = [h.household_id for h in loaded.households[:2]]
        cards = build_cards(loaded, records, policy, year=year, on=settings.documents.date, households=first)
    except (InputError, FanpinError):
        return repairs, False
    if cards:
        trial_render(source, cards, settings.fixed_timestamp(year))
    return repairs, bool(cards)
