"""Each `[[audit]]` check on small hand-made periods, and the policy file's validation of the rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from fanpin_docs.errors import PolicyError
from fanpin_docs.ledger import AuditInput, Period, audit
from fanpin_docs.ledger.snapshot import HouseholdState, MeasureState, MemberState, Snapshot
from fanpin_docs.policy import load_policy
from helpers import make_id

FENGJIE = load_policy("fengjie-2022")


def _household(hid: str, **values: object) -> HouseholdState:
    defaults: dict[str, object] = {
        "township": "永安街道",
        "village": "桂林村",
        "head": f"户主{hid}",
        "household_type": "脱贫户",
        "size": 2,
        "per_capita": Decimal("15000.00"),
        "phone": "13812345678",
    }
    return HouseholdState(household_id=hid, **{**defaults, **values})  # type: ignore[arg-type]


def _run(snapshot: Snapshot, label: str = "2023Q3", history: list | None = None):  # type: ignore[no-untyped-def]
    return audit(AuditInput(Period.parse(label), snapshot, history or [], FENGJIE))


def _by_rule(report) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    found: dict[str, set[str]] = {}
    for finding in report.findings:
        found.setdefault(finding.rule.check, set()).add(finding.household_id)
    return found


def test_plan_dates_phone_age_and_income_checks() -> None:
    monitored = {"category": "边缘易致贫户", "resolved": False}
    households = {
        # identified 2023年5月: plan due by 2023年6月10日, then the July check; the July check was done
        "A": _household("A", **monitored, identified=date(2023, 5, 1)),
        # drawn up in January, never checked in July: overdue on 2023年9月30日
        "B": _household("B", **monitored, identified=date(2022, 3, 1)),
        # no 一户一策日期 at all
        "C": _household("C", **monitored, identified=date(2022, 3, 1)),
        # identified this year with 人均纯收入 above 20,000; a landline
        "D": _household(
            "D",
            **monitored,
            identified=date(2023, 2, 1),
            per_capita=Decimal("25000.00"),
            phone="023-87654321",
        ),
        # not monitored: none of the monitored checks; no phone, but also no 脱贫户
        "E": _household("E", household_type="一般农户", phone=None),
    }
    members = {
        make_id("19500101", 1): MemberState(make_id("19500101", 1), "A", "老张", "户主"),  # 73 on 2023-09-30
        make_id("19600101", 2): MemberState(make_id("19600101", 2), "B", "小李", "户主"),
    }
    measures = [
        MeasureState("A", "公益性岗位", Decimal(6000), note="老张：村级保洁员", plan_date=date(2023, 7, 15)),
        MeasureState("B", "公益性岗位补贴", Decimal(6000), note="小李：护林员", plan_date=date(2023, 1, 20)),
        MeasureState("C", "产业奖扶", Decimal(3000)),
        MeasureState("D", "产业奖扶", Decimal(3000), plan_date=date(2023, 7, 3)),
    ]
    report = _run(Snapshot(households, members, measures))
    found = _by_rule(report)
    assert found["plan_overdue"] == {"B", "C"}
    plan = {f.household_id: f for f in report.findings if f.rule.check == "plan_overdue"}
    assert plan["B"].found == "最近的一户一策日期为 2023年1月20日"
    assert plan["B"].expected == "每年7月核查：应在 2023年7月1日至2023年7月31日之间"
    assert plan["C"].found == "台账中没有这一户的一户一策日期"
    assert plan["B"].rule.source.startswith("《奉节县促进低收入脱贫人口稳定增收的具体措施》")
    assert found["elderly_public_post"] == {"A"}
    elderly = next(f for f in report.findings if f.rule.check == "elderly_public_post")
    assert (elderly.person, elderly.found) == ("老张", "老张，73 岁，公益性岗位（老张：村级保洁员）")
    assert found["phone_not_mobile"] == {"D"}
    assert found["high_income_new"] == {"D"}
    assert "人均纯收入 25,000.00 元" in next(
        f.found for f in report.findings if f.rule.check == "high_income_new"
    )
    assert "no_measure" not in found  # every monitored household has a measure


def test_a_newly_identified_household_is_due_within_ten_days() -> None:
    household = _household("N", category="突发严重困难户", resolved=False, identified=date(2023, 8, 1))
    snapshot = Snapshot(
        {"N": household}, {}, [MeasureState("N", "产业奖扶", None, plan_date=date(2023, 1, 2))]
    )
    (finding,) = [f for f in _run(snapshot).findings if f.rule.check == "plan_overdue"]
    assert finding.expected == "新识别户 10 天内制定：应在 2023年8月1日至2023年9月10日之间"


def test_checks_without_their_data_are_listed_as_skipped() -> None:
    snapshot = Snapshot({"A": _household("A", category="边缘易致贫户", resolved=False)}, {}, None)
    report = _run(snapshot)
    skipped = "\n".join(report.skipped)
    for name in ("监测户无帮扶措施", "高龄人员在公益性岗位", "一户一策未按时制定或核查"):
        assert f"「{name}」未检查：这一期没有存入帮扶措施台账" in skipped
    assert "「收入持续高于监测线未消除风险」未检查：需要连续 2 期的数据" in skipped


def test_a_post_holder_not_named_in_the_note_is_said_not_checked() -> None:
    snapshot = Snapshot(
        {"A": _household("A")},
        {make_id(): MemberState(make_id(), "A", "张三", "户主")},
        [MeasureState("A", "公益性岗位", Decimal(6000), note="保洁员")],
    )
    report = _run(snapshot)
    assert any("部分未检查：1 条公益性岗位记录的备注没有写明在岗人员" in s for s in report.skipped)


SHIPPED = (resources.files("fanpin_docs") / "policies" / "heping-2024.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            '[[audit]]\nname = "甲"\ncheck = "short_monitoring"\nsource = "某文件"\n',
            "必须给出 months（月数）",
        ),
        ('[[audit]]\nname = "乙"\ncheck = "no_such_check"\nsource = "某文件"\n', "取值不对"),
        ('[[audit]]\nname = "丙"\ncheck = "phone_not_mobile"\n', "source"),
        (
            '[[audit]]\nname = "丁"\ncheck = "short_monitoring"\nmonths = 6\nsource = "某"\nassumed = ["months"]\n',
            "必须用 assumed_note 说明",
        ),
        ("[changes]", "income_drop（收入下降比例）应在 0 到 1 之间"),
    ],
)
def test_a_wrong_audit_rule_is_reported_with_its_place(tmp_path: Path, table: str, message: str) -> None:
    if table.startswith("[changes]"):  # the shipped file has a [changes] table already
        text = SHIPPED.replace("income_drop = 0.3", "income_drop = 30")
    else:
        text = SHIPPED + "\n" + table
    path = tmp_path / "my.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as error:
        load_policy(path)
    assert message in str(error.value)
    if table.startswith("[[audit]]"):
        assert "audit（疑点核查规则） → 第 9 条" in str(error.value)
