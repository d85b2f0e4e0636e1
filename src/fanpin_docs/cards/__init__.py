"""明白卡 (household policy-and-income cards): one card per household, a print file per village,
a list of every card with its amounts — see `runner.make_cards` (`run` is the family's entry point).

As a library::

    from fanpin_docs.cards import build_cards, make_cards
"""

from .data import Card, PolicyLine, build_card, build_cards
from .fields import FIELDS
from .render import CardRenderer
from .runner import CardsOptions, CardsReport, make_cards, run

__all__ = [
    "FIELDS",
    "Card",
    "CardRenderer",
    "CardsOptions",
    "CardsReport",
    "PolicyLine",
    "build_card",
    "build_cards",
    "make_cards",
    "run",
]
