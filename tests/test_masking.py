"""Masks for public lists and messages."""

from __future__ import annotations

from fanpin_docs.masking import mask_bank_card, mask_id, mask_phone, mask_value
from helpers import make_id


def test_mask_id_keeps_six_and_four() -> None:
    person = make_id("19900101", 123)
    masked = mask_id(person)
    assert masked == person[:6] + "********" + person[-4:]
    assert len(masked) == 18
    assert person[6:14] not in masked


def test_mask_id_on_odd_values() -> None:
    assert mask_id(None) == ""
    assert mask_id("") == ""
    assert mask_id("12345678") == "******78"
    assert mask_id("123") == "***"


def test_mask_bank_card_keeps_last_four() -> None:
    assert mask_bank_card("6217003160001234567") == "*" * 15 + "4567"
    assert mask_bank_card("6217003160001234567").endswith("4567")
    assert "62170031" not in mask_bank_card("6217003160001234567")
    assert mask_bank_card("") == ""
    assert mask_bank_card(None) == ""
    assert mask_bank_card("1234") == "****1234"


def test_mask_phone() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("023-87654321") == "023-****4321"
    assert mask_phone(None) == ""
    assert mask_phone("87654321") == "****4321"


def test_mask_value_masks_ids_and_shortens_long_text() -> None:
    person = make_id("19900101", 123)
    assert mask_value(person, is_id=True) == mask_id(person)
    assert mask_value(f"{person[:9]} {person[9:]}", is_id=True) == mask_id(person)
    assert mask_value(person, is_id=False) == person
    assert mask_value("甲" * 60, is_id=False) == "甲" * 40 + "…"
    assert mask_value(None, is_id=False) == ""


def test_policy_masks_follow_the_privacy_section() -> None:
    from fanpin_docs.masking import Masks
    from fanpin_docs.policy import load_policy

    assert load_policy("qianjiang-2023").masks() == Masks()
    masks = Masks(id_keep_start=3, id_keep_end=2, card_keep_end=4)
    assert masks.id_number("500114199001011234") == "500*************34"
    assert masks.card("6217001234567890123") == "***************0123"
