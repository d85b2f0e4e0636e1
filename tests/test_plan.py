"""实施方案: counts from the roster, measures and deadlines from the policy, settings and their defaults."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import docx
import pytest

from fanpin_docs.errors import SettingsError, TemplateError
from fanpin_docs.plan import build_plan, count_roster
from fanpin_docs.policy import load_policy
from fanpin_docs.readers import load_roster
from fanpin_docs.settings import Settings, load_settings
from helpers import ROSTER_HEADER, make_id, roster_row, write_xlsx

RISK = ROSTER_HEADER.index("致贫返贫风险1")
LOW_INCOME = (3000, 1000, 0, 1000, 500)  # 4,500 net, 2,250 per head in a 2-person household


def _household(
    rows: list,
    number: int,
    *,
    village: str,
    township: str = "石会镇",
    category: str = "",
    resolved: str = "",
    risk: str = "",
    low: bool = False,
    household_type: str = "脱贫户",
) -> None:
    household = f"50011400{number:04d}"
    income = LOW_INCOME if low else (20000, 5000, 0, 3000, 1000)
    for offset, relation in enumerate(("户主", "配偶")):
        row = roster_row(
            household,
            f"人{number}-{offset}",
            make_id("19700101", number * 2 + offset),
            relation,
            village=village,
            township=township,
            category=category,
            resolved=resolved,
            income=income,
            household_type=household_type,
        )
        if risk:
            row[RISK] = risk
        rows.append(row)


def _roster(tmp_path: Path, township: str = "石会镇") -> Path:
    """11 households in 3 villages: 6 monitored (3 categories, 4 unresolved), 4 below the line."""
    rows: list = [ROSTER_HEADER]
    plan = [
        ("红岩村", "脱贫不稳定户", "否", "因病", True),
        ("红岩村", "脱贫不稳定户", "是", "因学", False),
        ("红岩村", "", "", "", False),
        ("红岩村", "", "", "", True),
        ("石门村", "边缘易致贫户", "否", "因病", False),
        ("石门村", "边缘易致贫户", "否", "因残", True),
        ("石门村", "", "", "", False),
        ("三塘村", "突发严重困难户", "否", "因自然灾害", False),
        ("三塘村", "突发严重困难户", "是", "因病", False),
        ("三塘村", "", "", "", True),
        ("三塘村", "", "", "", False),
    ]
    for number, (village, category, resolved, risk, low) in enumerate(plan, 1):
        _household(
            rows,
            number,
            village=village,
            township=township,
            category=category,
            resolved=resolved,
            risk=risk,
            low=low,
            household_type="一般农户" if number == 11 else "脱贫户",
        )
    return write_xlsx(tmp_path / "名单.xlsx", rows)


def _texts(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


@pytest.fixture()
def qianjiang():
    return load_policy("qianjiang-2023")


def test_counts_match_the_roster(tmp_path: Path, qianjiang) -> None:
    roster = load_roster(_roster(tmp_path))
    facts = count_roster(roster.households, Decimal(7000))
    assert (facts.households, facts.people, facts.poverty_alleviated) == (11, 22, 10)
    assert (facts.monitored, facts.monitored_people, facts.unresolved, facts.resolved) == (6, 12, 4, 2)
    assert (facts.below_line, facts.below_line_monitored) == (4, 2)
    assert facts.by_category == (("脱贫不稳定户", 2), ("边缘易致贫户", 2), ("突发严重困难户", 2))
    assert facts.by_risk == (("因病", 3), ("因学", 1), ("因残", 1), ("因自然灾害", 1))
    assert [(v.village, v.households, v.monitored, v.unresolved, v.below_line) for v in facts.villages] == [
        ("红岩村", 4, 2, 1, 2),
        ("石门村", 3, 2, 2, 1),
        ("三塘村", 4, 2, 1, 1),
    ]


def test_plan_text_carries_the_counts_standards_and_deadlines(tmp_path: Path, qianjiang) -> None:
    result = build_plan(qianjiang, load_roster(_roster(tmp_path)), Settings())
    path = tmp_path / "实施方案.docx"
    result.document.save(path)
    document = docx.Document(path)
    text = _texts(document)
    assert "石会镇2023年防止返贫动态监测和帮扶工作实施方案" in text
    assert "全镇共有3个村、农户11户22人，其中脱贫户10户" in text
    assert (
        "现有监测对象6户12人，其中脱贫不稳定户2户、边缘易致贫户2户、突发严重困难户2户；风险已消除2户，风险未消除4户"
        in text
    )
    assert "因病3户、因学1户、因残1户、因自然灾害1户" in text
    assert "家庭年人均纯收入7000元" in text
    assert "全镇现有4户家庭年人均纯收入低于7000元，其中已纳入监测对象2户；其余2户" in text
    # the outline of a 实施方案, numbered
    headings = [p.text for p in document.paragraphs if p.style.name == "公文一级标题"]
    assert headings == [
        "一、总体要求",
        "二、目标任务",
        "三、对象范围",
        "四、政策措施",
        "五、资金安排",
        "六、时间安排",
        "七、保障措施",
    ]
    # one item per rule, with the standard and cap from the rule's fields and its lead unit
    industry = qianjiang.rule("产业到户补助")
    item = next(p.text for p in document.paragraphs if p.text.startswith("1.产业到户补助。"))
    assert f"按投入的{int(industry.rate * 100)}%，每户每年最高{int(industry.cap)}元" in item
    assert f"由{industry.lead_unit}牵头落实" in item
    assert "享受条件：验收达标" in item
    level3 = [p.text.split("。")[0] for p in document.paragraphs if p.style.name == "公文三级标题"]
    assert sorted(t.split(".", 1)[1] for t in level3) == sorted(r.name for r in qianjiang.rules)
    # deadlines from the policy file
    assert "（一）2023年4月30日前完成项目申报。" in text
    assert "（二）2023年8月31日前完成项目实施。" in text
    # the village table
    table = document.tables[0]
    assert [c.text for c in table.rows[1].cells] == ["红岩村", "4", "8", "2", "1", "2"]
    assert [c.text for c in table.rows[-1].cells] == ["合计", "11", "22", "6", "4", "4"]


def test_outside_a_workspace_settings_default_and_are_listed(tmp_path: Path, qianjiang) -> None:
    result = build_plan(qianjiang, load_roster(_roster(tmp_path)), Settings())
    plan = result.settings
    assert (plan.township, plan.county, plan.year) == ("石会镇", "黔江区", 2023)
    assert plan.issuing_body == "石会镇人民政府"
    assert plan.document_number == "石会镇发〔2023〕　号"
    defaulted = "\n".join(result.defaulted)
    for word in ("乡镇", "县区", "年度", "发文机关", "发文字号", "署名", "成文日期", "资金安排"):
        assert word in defaulted
    paragraphs = [p.text for p in result.document.paragraphs]
    assert paragraphs[0] == "石会镇人民政府文件"
    assert "石会镇发〔2023〕　号" in paragraphs
    attachment = paragraphs.index("附件")  # the 方案 follows the signed 印发通知
    assert paragraphs[attachment - 2 : attachment] == ["石会镇人民政府", "2023年　月　日"]


def test_a_jiedao_is_signed_by_its_office(tmp_path: Path, qianjiang) -> None:
    result = build_plan(qianjiang, load_roster(_roster(tmp_path, township="城东街道")), Settings())
    assert result.settings.issuing_body == "城东街道办事处"
    assert "全街道共有3个村" in _texts(result.document)


def test_workspace_settings_win_over_defaults(tmp_path: Path, qianjiang) -> None:
    (tmp_path / "fanpin.toml").write_text(
        '[township]\ncounty = "黔江区"\ntownship = "石会镇"\nyear = 2024\n'
        '[documents]\nissuing_body = "黔江区石会镇人民政府"\ndocument_number = "石会府发[2024]3号"\n'
        'signatory = "石会镇人民政府"\ndate = 2024-03-15\n[funds]\nallocation = 500000\n',
        encoding="utf-8",
    )
    settings = load_settings(tmp_path)
    result = build_plan(qianjiang, load_roster(_roster(tmp_path)), settings)
    assert result.defaulted == [
        "时间安排：政策文件为 2023 年度，方案按 2024 年推算各时间节点",
        "资金：没有项目申报表（--projects），方案只写 fanpin.toml 的衔接资金分配额度，不写项目库的金额",
    ]
    text = _texts(result.document)
    assert "石会府发〔2024〕3号" in text
    assert "2024年4月30日前完成项目申报" in text
    # the allocation is called what it is, not a sum the projects would have to match
    assert "2024年衔接资金分配额度为50万元（人民币伍拾万元整），具体项目和金额以项目库为准" in text
    paragraphs = [p.text for p in result.document.paragraphs]
    assert paragraphs[0] == "黔江区石会镇人民政府文件"
    attachment = paragraphs.index("附件")
    assert paragraphs[attachment - 2 : attachment] == ["石会镇人民政府", "2024年3月15日"]


def test_roster_with_several_townships_needs_a_choice(tmp_path: Path, qianjiang) -> None:
    rows: list = [ROSTER_HEADER]
    _household(rows, 1, village="红岩村", township="石会镇")
    _household(rows, 2, village="新村", township="黑溪镇")
    roster = load_roster(write_xlsx(tmp_path / "两镇.xlsx", rows))
    with pytest.raises(SettingsError, match="多个乡镇"):
        build_plan(qianjiang, roster, Settings())
    result = build_plan(qianjiang, roster, Settings(), township="黑溪镇")
    assert result.facts.households == 1
    with pytest.raises(SettingsError, match="没有乡镇「白石镇」"):
        build_plan(qianjiang, roster, Settings(), township="白石镇")


def test_policy_without_dated_deadlines_lists_its_notes(tmp_path: Path) -> None:
    fengjie = load_policy("fengjie-2022")
    text = _texts(build_plan(fengjie, load_roster(_roster(tmp_path)), Settings()).document)
    assert "2022年7月31日前完成一户一策增收措施核查。" in text
    for note in fengjie.deadlines.notes:
        assert note in text
    assert "家庭年人均纯收入10000元" in text


def test_workspace_template_replaces_the_default(tmp_path: Path, qianjiang) -> None:
    (tmp_path / "fanpin.toml").write_text('[township]\ntownship = "石会镇"\n', encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "实施方案.txt").write_text(
        "% {{ township }}简要方案\n# 对象\n监测对象{{ counts.monitored }}户 & 风险未消除{{ counts.unresolved }}户。\n",
        encoding="utf-8",
    )
    result = build_plan(qianjiang, load_roster(_roster(tmp_path)), load_settings(tmp_path))
    texts = [p.text for p in result.document.paragraphs if p.text]
    assert "石会镇简要方案" in texts
    assert "一、对象" in texts
    assert "监测对象6户 & 风险未消除4户。" in texts  # not escaped twice


@pytest.mark.parametrize(
    "body, message",
    [
        ("{{ counts.nonexistent }}", "没有的字段"),
        ("{{ township.__class__.__mro__ }}", "模板"),
        ("{% for x in %}", "语法错误"),
    ],
)
def test_bad_templates_are_refused_by_name(tmp_path: Path, qianjiang, body: str, message: str) -> None:
    template = tmp_path / "坏模板.txt"
    template.write_text(body, encoding="utf-8")
    with pytest.raises(TemplateError, match=message) as caught:
        build_plan(qianjiang, load_roster(_roster(tmp_path)), Settings(), template=template)
    assert "坏模板.txt" in str(caught.value)


def test_gbk_template_from_notepad_is_read(tmp_path: Path, qianjiang) -> None:
    template = tmp_path / "gbk.txt"
    template.write_bytes("% 方案\n农户{{ counts.households }}户。\n".encode("gbk"))
    result = build_plan(qianjiang, load_roster(_roster(tmp_path)), Settings(), template=template)
    assert "农户11户。" in _texts(result.document)
