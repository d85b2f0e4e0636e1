"""Where each card and print file goes: 明白卡/<乡镇>/<行政村>/<户编号>_<户主姓名>.docx and
明白卡/<乡镇>/<行政村>_全村明白卡.docx, unique for every household and village of the roster.

Names are chosen over the whole roster (not only the households of a --village/--household batch),
so a household's card keeps its path whatever is selected. Villages 「青山村.」 and 「青山村」 get
folders 「青山村」 and 「青山村（2）」; 户编号 「A:1」 and 「A/1」 get 「A_1_…」 and 「A_1（2）_…」
(see `fanpin_docs.filenames`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..filenames import Names, clean, renamed_note, unique_names
from ..models import Household

FOLDER = "明白卡"
PRINT_SUFFIX = "_全村明白卡"
FIXED_FILES = ("明白卡清单.xlsx", "明白卡清单（本次选定）.xlsx")  # beside the township folders
PLACE_LIMIT = 40  # characters of a township or village name
ID_LIMIT = 40
NAME_LIMIT = 20
FALLBACK = "未命名"


def _print_claims(village: str) -> tuple[str, ...]:
    """A village takes its folder and its print file (and the print file's PDF) in the township folder."""
    return (village, f"{village}{PRINT_SUFFIX}.docx", f"{village}{PRINT_SUFFIX}.pdf")


@dataclass(frozen=True)
class CardPaths:
    townships: Names
    villages: dict[str, Names]  # township → its villages' folder names
    cards: dict[tuple[str, str], Names]  # (township, village) → 户编号 → file name without .docx

    def card(self, household: Household) -> str:
        township, village = household.township, household.village
        stem = self.cards[(township, village)][household.household_id]
        return f"{self._village_folder(township, village)}/{stem}.docx"

    def print_file(self, township: str, village: str) -> str:
        return f"{self._village_folder(township, village)}{PRINT_SUFFIX}.docx"

    def _village_folder(self, township: str, village: str) -> str:
        return f"{FOLDER}/{self.townships[township]}/{self.villages[township][village]}"

    def notes(self) -> list[str]:
        """What was renamed to keep every path unique and valid, for the run's notes."""
        parts = [
            renamed_note("乡镇", self.townships.renamed),
            renamed_note("行政村", (pair for names in self.villages.values() for pair in names.renamed)),
            renamed_note("户的明白卡", (pair for names in self.cards.values() for pair in names.renamed)),
        ]
        return [part for part in parts if part]


def card_paths(households: Iterable[Household]) -> CardPaths:
    """The paths of every card and print file of `households` (pass the whole roster)."""
    by_village: dict[tuple[str, str], dict[str, Household]] = defaultdict(dict)
    for household in households:
        by_village[(household.township, household.village)][household.household_id] = household
    villages_of: dict[str, list[str]] = defaultdict(list)
    for township, village in by_village:
        villages_of[township].append(village)
    townships = unique_names(villages_of, limit=PLACE_LIMIT, fallback=FALLBACK, taken=FIXED_FILES)
    villages = {
        township: unique_names(names, limit=PLACE_LIMIT, fallback=FALLBACK, claims=_print_claims)
        for township, names in villages_of.items()
    }
    cards = {}
    for key, members in by_village.items():

        def stem(household_id: str, members: dict[str, Household] = members) -> str:
            name = clean(members[household_id].head.name, limit=NAME_LIMIT, fallback=FALLBACK)
            return f"{clean(household_id, limit=ID_LIMIT, fallback=FALLBACK)}_{name}"

        cards[key] = unique_names(
            members,
            limit=ID_LIMIT + 1 + NAME_LIMIT,
            name_of=stem,
            claims=lambda name: (f"{name}.docx",),
        )
    return CardPaths(townships, villages, cards)


def household_path(household: Household) -> str:
    """The card path of a household on its own (as in a roster where no other name is like it)."""
    return card_paths([household]).card(household)
