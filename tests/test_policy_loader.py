"""Policy files: the shipped ones load and say what they assume; broken files are refused naming the field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from fanpin_docs.errors import PolicyError
from fanpin_docs.models import (
    HOUSEHOLD_CATEGORIES,
    HOUSEHOLD_TYPES,
    MONITORING_CATEGORIES,
    TRAINEE_CATEGORIES,
    Household,
    Person,
)
from fanpin_docs.policy import deadline, load_policy, shipped_policies

MINIMAL = """
title = "测试县政策"
county = "测试县"
year = 2024
sources = ["测试文件"]
monitoring_line = 8000

[deadlines]
filing = "4-30"

[[rules]]
name = "产业补助"
aliases = ["产业到户补助"]
role = "industry"
category = "产业帮扶"
description = "按投入的80%补助，每户最高2000元"
lead_unit = "县农业农村委"
source = "测试文件第一条"
formula = "rate"
base_label = "投入"
rate = 0.8
cap = 2000
[rules.eligibility]
requires_acceptance = true

[[rules]]
name = "五小经济"
category = "产业帮扶"
description = "每户最高1000元"
lead_unit = "县农业农村委"
source = "测试文件第二条"
formula = "rate"
rate = 1
cap = 1000
[rules.eligibility]
excludes = ["产业补助"]
"""


def write_policy(tmp_path: Path, text: str, name: str = "测试县-2024.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(tmp_path: Path, text: str) -> str:
    with pytest.raises(PolicyError) as caught:
        load_policy(write_policy(tmp_path, text))
    message = str(caught.value)
    assert "测试县-2024.toml" in message
    return message


# --- the shipped files ---------------------------------------------------------------------------


def test_three_policies_are_shipped() -> None:
    assert set(shipped_policies()) == {"qianjiang-2023", "fengjie-2022", "heping-2024"}
    assert all(title for title in shipped_policies().values())


@pytest.mark.parametrize("name", ["qianjiang-2023", "fengjie-2022", "heping-2024"])
def test_shipped_policy_loads(name: str) -> None:
    policy = load_policy(name)
    assert policy.key == name
    assert policy.year == int(name[-4:])
    assert policy.rules and policy.sources
    assert policy.monitoring_line > 0
    for rule in policy.rules:
        assert rule.description and rule.lead_unit and rule.source


def test_qianjiang_numbers_come_from_the_seed() -> None:
    policy = load_policy("qianjiang-2023")
    industry = policy.rule_for("industry")
    assert industry is not None and industry.name == "产业到户补助"
    assert (industry.rate, industry.cap, industry.eligibility.requires_acceptance) == (
        Decimal("0.8"),
        2000,
        True,
    )
    medical = policy.rule("一事一议")
    assert medical is not None
    assert (medical.rate, medical.threshold, medical.cap) == (Decimal("0.7"), 10000, 100000)
    training = policy.rule_for("training")
    assert training is not None and training.unit_amount == 40 and training.half_units
    assert (training.eligibility.age_min, training.eligibility.age_max) == (16, 60)
    assert set(training.eligibility.person_categories) == {"脱贫人口", "监测对象"}
    assert deadline(policy, "filing") == date(2023, 4, 30)
    assert deadline(policy, "implementation") == date(2023, 8, 31)
    assert deadline(policy, "plan_review") is None


def test_fengjie_numbers_come_from_the_seed() -> None:
    policy = load_policy("fengjie-2022")
    assert policy.monitoring_line == 10000
    monitored = policy.rule("产业奖扶")
    small = policy.rule("五小经济")
    elderly = policy.rule("孝扶共助")
    assert monitored is not None and small is not None and elderly is not None
    assert monitored.cap == 3000 and small.cap == 2000
    assert small.eligibility.excludes == ("产业奖扶",)
    assert (elderly.rate, elderly.cap, elderly.cap_label) == (Decimal("0.1"), 60, "每人每月")
    assert deadline(policy, "plan_review") == date(2022, 7, 31)


def test_heping_line_and_its_gap_filled_industry_rule() -> None:
    policy = load_policy("heping-2024")
    assert policy.monitoring_line == 10800
    industry = policy.rule_for("industry")
    assert industry is not None and "rate" in industry.assumed and "cap" in industry.assumed
    notes = policy.assumptions()
    assert any("产业到户补助" in note and "补充设定" in note and "占位值" in note for note in notes)
    assert any("技能培训生活费补贴" in note for note in notes)


def test_assumptions_list_every_gap_filled_value() -> None:
    qianjiang = load_policy("qianjiang-2023").assumptions()
    assert any("monitoring_line" in note for note in qianjiang)
    assert any("医疗救助一事一议" in note and "lead_unit" in note for note in qianjiang)
    assert not any("培训误工补贴" in note for note in qianjiang)  # given by the seed, not assumed


def test_rules_found_by_name_alias_and_role() -> None:
    policy = load_policy("qianjiang-2023")
    assert policy.rule("产业补助") is policy.rule("产业到户补助")
    assert policy.rule("没有这条") is None
    assert policy.rule_for("education") is None


# --- where a policy is found ----------------------------------------------------------------------


def test_policy_by_path(tmp_path: Path) -> None:
    policy = load_policy(write_policy(tmp_path, MINIMAL))
    assert policy.key == "测试县-2024"
    assert deadline(policy, "filing") == date(2024, 4, 30)


def test_workspace_policy_overrides_the_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    write_policy(
        tmp_path / "policies", MINIMAL.replace("测试县政策", "本乡修改过的黔江政策"), "qianjiang-2023.toml"
    )
    policy = load_policy("qianjiang-2023", search_dirs=(tmp_path / "policies",))
    assert policy.title == "本乡修改过的黔江政策"
    assert load_policy("qianjiang-2023", search_dirs=(tmp_path / "nothing",)).title != policy.title


def test_unknown_name_lists_the_shipped_ones() -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy("wanzhou-2024")
    assert "wanzhou-2024" in str(caught.value) and "qianjiang-2023" in caught.value.hint


def test_missing_file_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="找不到政策文件"):
        load_policy(tmp_path / "没有.toml")


def test_file_not_in_utf8_refused(tmp_path: Path) -> None:
    path = tmp_path / "测试县-2024.toml"
    path.write_bytes(MINIMAL.encode("gb18030"))
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert "UTF-8" in str(caught.value) and "测试县-2024.toml" in str(caught.value)


# --- broken files ----------------------------------------------------------------------------------


def test_bad_toml_refused_with_the_line(tmp_path: Path) -> None:
    message = refused(tmp_path, MINIMAL.replace('title = "测试县政策"', "title = 测试县政策"))
    assert "格式错误" in message and "line 2" in message


def test_unknown_key_refused_naming_it(tmp_path: Path) -> None:
    message = refused(tmp_path, MINIMAL.replace("rate = 0.8\n", "rate = 0.8\nrat = 1\n"))
    assert "第 1 条「产业补助」 → rat" in message and "不认识的设置项" in message


def test_missing_field_refused_naming_it(tmp_path: Path) -> None:
    message = refused(
        tmp_path, MINIMAL.replace('lead_unit = "县农业农村委"\nsource = "测试文件第一条"', 'source = "x"')
    )
    assert "第 1 条「产业补助」 → lead_unit（牵头单位）：缺少此项" in message


def test_missing_top_level_field_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, MINIMAL.replace("monitoring_line = 8000\n", ""))
    assert "monitoring_line（监测线）：缺少此项" in message


@pytest.mark.parametrize("rate", ["80", "1.5", "0", "-0.2"])
def test_rate_outside_zero_to_one_refused(tmp_path: Path, rate: str) -> None:
    message = refused(tmp_path, MINIMAL.replace("rate = 0.8\n", f"rate = {rate}\n"))
    assert "rate（比例）" in message and "0.8" in message


def test_textual_number_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, MINIMAL.replace("cap = 2000\n", 'cap = "两千"\n'))
    assert "cap（上限）" in message and "两千" in message


def test_negative_cap_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, MINIMAL.replace("cap = 2000\n", "cap = -1\n"))
    assert "cap（上限）" in message and "负数" in message


def test_rate_rule_without_rate_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, MINIMAL.replace("rate = 0.8\n", ""))
    assert "产业补助" in message and "rate" in message


def test_excludes_naming_an_unknown_rule_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, MINIMAL.replace('excludes = ["产业补助"]', 'excludes = ["产业奖扶"]'))
    assert "五小经济" in message and "产业奖扶" in message and "excludes" in message


@pytest.mark.parametrize(
    ("eligibility", "where", "wrong", "allowed"),
    [
        (
            'person_categories = ["脱贫人口", "监测对像"]',
            "第 1 条「产业补助」 → eligibility（享受条件） → person_categories（享受的人员类别）",
            "「监测对像」",
            "脱贫人口、监测对象、低保对象、其他",
        ),
        (
            'household_categories = ["脱贫户", "监侧户", "边缘户"]',
            "第 1 条「产业补助」 → eligibility（享受条件） → household_categories（享受的户类别）",
            "「监侧户」、「边缘户」",
            "脱贫户、一般农户、监测户、脱贫不稳定户、边缘易致贫户、突发严重困难户、监测对象、未消除风险监测对象",
        ),
    ],
)
def test_a_category_the_data_never_holds_refused(
    tmp_path: Path, eligibility: str, where: str, wrong: str, allowed: str
) -> None:
    # a typo here matched no one: the rule paid 0 to everybody without a word
    message = refused(tmp_path, MINIMAL.replace("requires_acceptance = true", eligibility))
    assert f"{where}：{wrong}不是程序认识的" in message and allowed in message


def test_the_known_household_categories_are_every_name_a_household_answers_to() -> None:
    head = Person("张三", "x", "户主", 2)
    names: set[str] = set()
    for household_type in ("", *HOUSEHOLD_TYPES):
        for monitoring in ("", *MONITORING_CATEGORIES):
            for resolved in (None, True, False):
                household = Household(
                    "H1", "镇", "村", head, (head,), None, (2,), household_type=household_type,
                    monitoring_category=monitoring, risk_resolved=resolved,
                )  # fmt: skip
                names |= household.categories()
    assert names == set(HOUSEHOLD_CATEGORIES)


def test_every_category_the_data_holds_is_accepted(tmp_path: Path) -> None:
    households = '", "'.join(HOUSEHOLD_CATEGORIES)
    people = '", "'.join(TRAINEE_CATEGORIES)
    text = MINIMAL.replace(
        "requires_acceptance = true",
        f'household_categories = ["{households}"]\nperson_categories = ["{people}"]',
    )
    rule = load_policy(write_policy(tmp_path, text)).rules[0]
    assert rule.eligibility.household_categories == HOUSEHOLD_CATEGORIES
    assert rule.eligibility.person_categories == TRAINEE_CATEGORIES


def test_assumed_without_note_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, MINIMAL.replace("cap = 2000\n", 'cap = 2000\nassumed = ["cap"]\n'))
    assert "产业补助" in message and "assumed_note" in message


def test_assumed_with_note_is_listed(tmp_path: Path) -> None:
    text = MINIMAL.replace("cap = 2000\n", 'cap = 2000\nassumed = ["cap"]\nassumed_note = "上限为占位值"\n')
    assert load_policy(write_policy(tmp_path, text)).assumptions() == [
        "规则「产业补助」的上限（cap）为补充设定：上限为占位值"
    ]


def test_duplicate_rule_names_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, MINIMAL.replace('name = "五小经济"', 'name = "产业到户补助"'))
    assert "产业到户补助" in message and "重复" in message


def test_bad_deadline_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, MINIMAL.replace('filing = "4-30"', 'filing = "4月底"'))
    assert "filing" in message and "04-30" in message


def test_unknown_formula_and_category_refused(tmp_path: Path) -> None:
    assert "formula（计算方式）" in refused(
        tmp_path, MINIMAL.replace('formula = "rate"\nbase_label', 'formula = "比例"\nbase_label')
    )
    assert "category" in refused(
        tmp_path,
        MINIMAL.replace('category = "产业帮扶"\ndescription = "按', 'category = "产业"\ndescription = "按'),
    )


def test_ages_in_the_wrong_order_refused(tmp_path: Path) -> None:
    text = MINIMAL.replace("requires_acceptance = true", "age_min = 60\nage_max = 16")
    assert "age_min" in refused(tmp_path, text)


def test_every_error_of_a_file_reported_at_once(tmp_path: Path) -> None:
    text = MINIMAL.replace("rate = 0.8\n", "rate = 8\n").replace(
        'lead_unit = "县农业农村委"\nsource = "测试文件第二条"', 'source = "测试文件第二条"'
    )
    message = refused(tmp_path, text)
    assert (
        "2 处错误" in message and "rate（比例）" in message and "第 2 条「五小经济」 → lead_unit" in message
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("year = 2024", "year = 1990"), "year（年度）：应不小于 2015，实际为「1990」"),
        (('title = "测试县政策"', 'title = ""'), "title（标题）：不能为空"),
        (("monitoring_line = 8000", "monitoring_line = 0"), "monitoring_line（监测线）：应大于 0"),
        (('sources = ["测试文件"]', "sources = []"), "sources（来源文件）：至少要有 1 项"),
        (
            ("requires_acceptance = true", 'requires_acceptance = "是"'),
            "requires_acceptance：应为 true 或 false",
        ),
        (('base_label = "投入"', "base_label = 3"), "base_label：应为加引号的文字"),
        (("cap = 2000", "cap = nan"), "cap（上限）：应为实际的数字（不能写 nan 或 inf），实际为「nan」"),
        (("rate = 0.8", "rate = inf"), "rate（比例）：应为实际的数字（不能写 nan 或 inf），实际为「inf」"),
        (("year = 2024", "year = -inf"), "year（年度）：应为实际的数字（不能写 nan 或 inf），实际为「-inf」"),
        (("year = 2024", "year = 2024.5"), "year（年度）：应为整数，实际为「2024.5」"),
        (
            ('role = "industry"', 'role = "产业"'),
            "role：取值不对，应为 'industry', 'medical', 'training', 'education', 'elderly', "
            "'employment', 'other' 之一，实际为「产业」",
        ),
    ],
)
def test_messages_are_in_chinese(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    message = refused(tmp_path, MINIMAL.replace(*change))
    assert expected in message
    assert "should" not in message and "Input" not in message and " or " not in message


def test_a_policy_without_rules_refused(tmp_path: Path) -> None:
    text = MINIMAL[: MINIMAL.index("[deadlines]")] + "rules = []\n"
    assert "rules（规则）：至少要有 1 项" in refused(tmp_path, text)
