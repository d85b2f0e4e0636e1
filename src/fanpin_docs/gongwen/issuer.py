"""The small facts every document states, each decided in one place: the working year, the township,
who issues the document (发文机关) and who signs it (署名), and the 发文字号 of another document of the
same issuer with its sequence number left to assign."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ..errors import SettingsError
from ..models import Roster
from ..policy import Policy, documents_year
from ..settings import Settings
from .page import normalize_document_number


def working_year(settings: Settings, policy: Policy) -> int:
    """The year the documents are for: fanpin.toml's [township] year, else the policy's."""
    return documents_year(policy, settings.township.year)


def township_of(settings: Settings, found: Iterable[str]) -> str:
    """The township: fanpin.toml's, else the one township among `found` (the townships of the rows
    the documents list), else ''."""
    if settings.township.township:
        return settings.township.township
    townships = set(found)
    return townships.pop() if len(townships) == 1 else ""


def issuing_body(settings: Settings, township: str) -> str:
    """The 发文机关: fanpin.toml's [documents] issuing_body, else the township's government or 办事处
    (`default_issuing_body`), else '' when the township is not known either."""
    if settings.documents.issuing_body:
        return settings.documents.issuing_body
    return default_issuing_body(township) if township else ""


def signatory(settings: Settings, issuer: str) -> str:
    """The 署名: fanpin.toml's [documents] signatory, else the issuing body."""
    return settings.documents.signatory or issuer


def default_issuing_body(township: str) -> str:
    """「<乡镇>人民政府」; a 街道 is run by its 办事处."""
    return f"{township}办事处" if township.endswith("街道") else f"{township}人民政府"


_SEQUENCE = re.compile(r"^(.*?)〔\d{4}〕\s*\d*\s*号?$")


def number_to_assign(document_number: str, fallback_agency: str, year: int) -> str:
    """The 发文字号 of another document of the same issuer, its sequence number left for the office to
    assign: 「青山府发〔2023〕12号」 → 「青山府发〔2024〕　号」; without a configured number,
    「<fallback_agency>发〔year〕　号」."""
    agency = ""
    if document_number:
        match = _SEQUENCE.match(normalize_document_number(document_number))
        agency = match.group(1).strip() if match else ""
    return f"{agency or fallback_agency + '发'}〔{year}〕　号"


def only_township(roster: Roster) -> str:
    """The one township of `roster`; a roster of several townships is an error naming them."""
    townships = Counter(h.township for h in roster.households)
    if len(townships) == 1:
        return next(iter(townships))
    listed = "、".join(f"{name}（{count} 户）" for name, count in sorted(townships.items()))
    raise SettingsError(
        f"名单「{roster.source}」包含多个乡镇：{listed}，不知道为哪个乡镇编写实施方案",
        hint="用 --township 指定乡镇，或在 fanpin.toml 的 [township] 中设置 township",
    )
