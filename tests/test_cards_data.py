"""What a card says: amounts from the rule engine, given amounts kept, masks, income against the line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cards_support import HOUSEHOLDS, roster_rows, write_inputs
from fanpin_docs.cards.data import NOT_MADE, build_cards, select
from fanpin_docs.cards.paths import card_paths
from fanpin_docs.errors import InputError
from fanpin_docs.filenames import clean
from fanpin_docs.policy import load_policy
from fanpin_docs.readers import load_measures, load_roster
from helpers import write_xlsx


@pytest.fixture()
def inputs(tmp_path):
    roster_path, measures_path = write_inputs(tmp_path)
    roster = load_roster(roster_path)
    return roster, load_measures(measures_path, roster)


def cards_by_id(roster, records, **options):
    policy = load_policy("qianjiang-2023")
    cards = build_cards(roster, records, policy, year=2023, measures_file="帮扶措施台账.xlsx", **options)
    return {card.household.household_id: card for card in cards}


def test_amounts_come_from_the_seed_rules(inputs):
    cards = cards_by_id(*inputs)
    first = cards["5001140010001"].context["policies"]
    assert [(p["name"], p["amount"]) for p in first] == [
        ("产业到户补助", "2,000.00"),
        ("公益性岗位", "7,200.00"),
    ]
    assert "3,000.00 元 × 80% = 2,400.00 元" in first[0]["explanation"]
    assert first[0]["computed"] is True and first[1]["computed"] is False
    assert first[1]["standard"] == "按实际发放"
    assert first[0]["lead_unit"] == "区乡村振兴局"
    assert cards["5001140010002"].context["policies"][0]["amount"] == "10,500.00"
    assert cards["5001140020001"].context["policies"][0]["amount"] == "100,000.00"
    not_accepted = cards["5001140020002"].context["policies"][0]
    assert not_accepted["amount"] == "0.00" and "验收不合格" in not_accepted["explanation"]


def test_totals_and_words(inputs):
    card = cards_by_id(*inputs)["5001140010001"]
    assert card.total == Decimal("9200.00")
    assert card.context["policy_total"] == "9,200.00"
    assert card.context["policy_total_words"] == "人民币玖仟贰佰元整"
    assert [p["name"] for p in card.context["explained"]] == ["产业到户补助"]


def test_given_amount_that_differs_from_the_computed_one_is_a_warning(inputs):
    card = cards_by_id(*inputs)["5001140010002"]
    industry = card.context["policies"][1]
    assert industry["amount"] == "2,000.00"
    assert any("2,400.00" in w and "2,000.00" in w and "第 5 行" in w for w in card.warnings)
    assert not cards_by_id(*inputs)["5001140010001"].warnings


def test_other_items_keep_the_ledger_amount_and_show_no_lead_unit(inputs):
    card = cards_by_id(*inputs)["5001140020002"]
    subsistence = card.context["policies"][1]
    assert (subsistence["name"], subsistence["amount"], subsistence["lead_unit"]) == (
        "低保金",
        "4,920.00",
        "—",
    )
    assert card.total == Decimal("4920.00")


def test_members_have_masked_ids_and_head_first(inputs):
    card = cards_by_id(*inputs)["5001140010001"]
    members = card.context["members"]
    assert [m["name"] for m in members] == ["张大山", "李小红", "张小明"]
    assert all(len(m["id"]) == 18 and m["id"][6:14] == "********" for m in members)
    full_ids = {p.id_number for p in card.household.members}
    assert not any(full in str(card.context) for full in full_ids)


def test_income_against_the_monitoring_line(inputs):
    cards = cards_by_id(*inputs)
    poor = cards["5001140010003"]  # (3000 + 2000) / 1 person
    assert poor.context["income"]["per_capita"] == "5,000.00"
    assert poor.below_line and poor.context["income"]["below_line"] is True
    assert poor.context["income"]["comparison"] == (
        "家庭纯收入 5,000.00 元 ÷ 1 人 = 人均纯收入 5,000.00 元，低于监测线 7,000 元，差 2,000.00 元"
    )
    rich = cards["5001140020001"]  # (30000 + 10000 + 500 + 1000 - 2000) / 4
    assert rich.per_capita == Decimal("9875.00") and not rich.below_line
    assert "不低于监测线" in rich.context["income"]["comparison"]


def test_missing_base_is_refused_with_its_ledger_row(tmp_path):
    ledger = [
        ["5001140010001", "产业到户补助", None, None, "合格", "2023-06-30", ""],
        ["5001140010002", "临时救助", None, None, None, "", ""],
    ]
    roster_path, measures_path = write_inputs(tmp_path, ledger=ledger)
    roster = load_roster(roster_path)
    with pytest.raises(InputError) as error:
        cards_by_id(roster, load_measures(measures_path, roster))
    described = str(error.value)
    assert "帮扶措施台账.xlsx" in described and "第 2 行" in described and "计算基数" in described
    assert "第 3 行" in described and "临时救助" in described


def test_every_refused_row_of_one_household_is_located(tmp_path):
    ledger = [
        ["5001140010001", "产业到户补助", None, None, "合格", "2023-06-30", ""],
        ["5001140010001", "公益性岗位", None, 7200, None, "2023-12-31", ""],
        ["5001140010001", "临时救助", None, None, None, "", ""],
        ["5001140010001", "医疗救助一事一议", None, None, None, "", ""],
        ["5001140010002", "产业到户补助", 3000, None, "合格", "2023-06-30", ""],
    ]
    roster_path, measures_path = write_inputs(tmp_path, ledger=ledger)
    roster = load_roster(roster_path)
    with pytest.raises(InputError) as error:
        cards_by_id(roster, load_measures(measures_path, roster))
    located = [(p.row, p.column, p.household) for p in error.value.problems]
    assert located == [
        (2, "计算基数", "5001140010001"),
        (4, "金额", "5001140010001"),
        (5, "计算基数", "5001140010001"),
    ]
    assert error.value.problems[1].message == "「临时救助」不是政策文件中的计算规则，需要填写金额"
    assert all(p.file == "帮扶措施台账.xlsx" for p in error.value.problems)


def test_selection_by_village_and_household(inputs):
    roster, records = inputs
    assert {h.village for h in select(roster, villages=["石门村"])} == {"石门村"}
    assert [h.household_id for h in select(roster, households=["5001140010002"])] == ["5001140010002"]
    ordered = [h.household_id for h in select(roster)]
    assert ordered == sorted(HOUSEHOLDS, key=lambda k: (HOUSEHOLDS[k][0], k))


def test_paths_are_safe_file_names(inputs):
    roster, _ = inputs
    odd = next(h for h in roster.households if h.household_id == "5001140010003")
    paths = card_paths(roster.households)
    assert paths.card(odd) == "明白卡/城东街道/红岩村/5001140010003_陈&_老三_.docx"
    assert paths.print_file("城东街道", "红岩村") == "明白卡/城东街道/红岩村_全村明白卡.docx"
    assert clean('a/b:c*?"<>|. ') == "a_b_c______"
    assert clean("...", fallback="未命名") == "未命名"


def test_date_from_settings_or_blank(inputs):
    roster, records = inputs
    policy = load_policy("qianjiang-2023")
    dated = build_cards(roster, records, policy, year=2023, on=date(2024, 4, 30))
    assert dated[0].context["date"] == "2024年4月30日"
    blank = build_cards(roster, records, policy, year=2023)
    assert "年" in blank[0].context["date"] and not any(ch.isdigit() for ch in blank[0].context["date"])


def test_roster_warnings_reach_the_household_they_belong_to(tmp_path):

    rows = roster_rows()
    rows[3][16] = "12345"  # 李小红's phone (household 5001140010001, Excel row 4) cannot be read
    roster = load_roster(write_xlsx(tmp_path / "名单.xlsx", rows))
    cards = cards_by_id(roster, [])
    assert any(
        "名单第 4 行「户联系电话」" in w and "电话号码格式不对" in w for w in cards["5001140010001"].warnings
    )
    assert not cards["5001140010002"].warnings


def test_policy_lines_carry_the_ledger_date_and_note(inputs):
    card = cards_by_id(*inputs)["5001140010002"]
    industry = next(p for p in card.context["policies"] if p["name"] == "产业到户补助")
    assert industry["date"] == "2023年6月30日"
    assert industry["note"] == "台账按 80% 未封顶"


def test_a_cards_context_is_made_when_asked_for_and_travels_to_a_worker(inputs):
    import pickle

    cards = cards_by_id(*inputs)
    card = cards["5001140010001"]
    assert vars(card)["context"] is NOT_MADE  # nothing made before a worker asks
    copy = pickle.loads(pickle.dumps(card))  # what a spawned worker receives
    assert vars(copy)["context"] is NOT_MADE
    made = card.context
    assert made is card.context  # made once
    assert copy.context == made and made["policy_total_words"] == "人民币玖仟贰佰元整"
    assert made["household"]["id"] == "5001140010001" and made["members"][0]["sex"] in ("男", "女")
    other = cards["5001140010002"]
    passing = other.passing_context()  # how a batch's worker renders it: nothing kept on the card
    assert vars(other)["context"] is NOT_MADE and passing == other.context
    given = type(card)(**{**vars(card), "context": {"township": "给定"}})  # a context given is kept
    assert given.context == {"township": "给定"} and given.passing_context() == {"township": "给定"}
    assert card.passing_context() is made  # one made already is used
