"""Masks for what other people see (sign-in sheets, the 公示), as the policy file's [privacy] says."""

from __future__ import annotations

from dataclasses import dataclass

from ..policy import Policy


@dataclass(frozen=True)
class Masks:
    id_keep_start: int = 6
    id_keep_end: int = 4
    card_keep_end: int = 4

    @classmethod
    def of(cls, policy: Policy) -> Masks:
        privacy = policy.privacy
        return cls(privacy.id_keep_start, privacy.id_keep_end, privacy.card_keep_end)

    def id_number(self, id_number: str) -> str:
        """`500114199001011234` → `500114********1234` with the default settings."""
        return _keep(id_number, self.id_keep_start, self.id_keep_end)

    def card(self, card: str) -> str:
        """Only the last digits: `6217001234567890123` → `***************0123`."""
        return _keep(card, 0, self.card_keep_end)

    def card_tail(self, card: str) -> str:
        """The last digits only, compact for printed lists: `6217001234567890123` → `****0123`."""
        if not card:
            return ""
        keep = min(self.card_keep_end, len(card) // 2)
        return "****" + card[len(card) - keep :] if keep else "****"


def _keep(text: str, start: int, end: int) -> str:
    if not text:
        return ""
    hidden = len(text) - start - end
    if hidden < 1 or hidden * 3 < len(text):  # a short value would show too much: hide at least half
        end = min(end, len(text) // 2)
        start = 0
        hidden = len(text) - end
    return text[:start] + "*" * hidden + (text[len(text) - end :] if end else "")
