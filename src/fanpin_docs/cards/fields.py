"""The card template's contract: the fields a 明白卡 template may use, with what each means (for the
template check's messages and the README), and those a shared page header may use."""

from __future__ import annotations

from typing import Any

POLICY_FIELDS = {
    "no": "序号",
    "name": "政策名称",
    "standard": "补助标准",
    "amount": "金额（元）",
    "lead_unit": "牵头单位",
    "explanation": "计算说明",
    "computed": "是否按政策计算（真/假）",
    "date": "落实日期",
    "note": "备注",
}

# The fields a card template may use, with what they mean (for messages and the README).
FIELDS: dict[str, Any] = {
    "county": "县（市、区）",
    "township": "乡（镇）",
    "village": "行政村",
    "year": "年度",
    "policy_title": "政策文件标题",
    "date": "填卡日期（设置中的成文日期，未设置时留空待填）",
    "household": {
        "id": "户编号",
        "head": "户主姓名",
        "size": "家庭人口数",
        "type": "户类型",
        "category": "监测对象类别",
        "address": "家庭住址",
        "phone": "联系电话",
        "risks": "风险类型",
        "group": "自然村（组）",
    },
    "members": [
        {
            "no": "序号",
            "name": "姓名",
            "relation": "与户主关系",
            "id": "身份证号码（隐藏中间位）",
            "sex": "性别",
            "health": "健康状况",
            "labour": "劳动技能",
            "school": "在校生状况",
        }
    ],
    "helper": {"name": "帮扶联系人姓名", "unit": "帮扶联系人工作单位", "phone": "帮扶联系人电话"},
    "policies": [POLICY_FIELDS],
    "explained": [POLICY_FIELDS],  # the policies whose amount the rule engine computed
    "policy_total": "政策金额合计（元）",
    "policy_total_words": "政策金额合计（大写）",
    "income": {
        "period": "收入计算期间（名单的「收入计算期间」列，没有时为年度）",
        "wage": "工资性收入",
        "business": "生产经营性收入",
        "property": "财产性收入",
        "transfer": "转移性收入",
        "expense": "生产经营性支出",
        "net": "家庭纯收入",
        "per_capita": "人均纯收入",
        "line": "监测线（人均）",
        "below_line": "是否低于监测线（真/假）",
        "comparison": "与监测线对比的文字",
        "trend": "人均纯收入的变化：动态监测台账中本期之前最多 3 个季度的人均纯收入和本期的（台账中没有往期时为空）",
    },
}
# Fields that are the same for every household of a village: all a shared page header may use.
VILLAGE_FIELDS = ("county", "township", "village", "year", "policy_title", "date")
