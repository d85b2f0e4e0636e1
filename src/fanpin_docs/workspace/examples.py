"""The one example row of each blank input workbook (`fanpin init`).

The examples describe one fictional household across all four workbooks, so a fresh workspace
passes `fanpin check` and shows how the files refer to each other (户编号, 证件号码, 项目名称).
They use the workspace's township, county and year, and the policy's rule names.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..example_household import EXAMPLE_HOUSEHOLD, EXAMPLE_ID, EXAMPLE_NAME, EXAMPLE_PHONE, EXAMPLE_VILLAGE
from ..inputs.blank import CLASSES, MEASURES, PROJECTS, ROSTER, SUBSIDIES, TRAINEES
from ..policy import Policy, describe_standard
from ..settings import SettingsFile


def example_rows(
    settings: SettingsFile, policy: Policy | None, year: int
) -> dict[str, dict[str, list[dict]]]:
    township = settings.township.township or "某某镇"
    county = _short_county(settings.township.county) or "某某县"
    village = EXAMPLE_VILLAGE
    address = f"{county}{township}{village}一组"
    industry = policy.rule_for("industry") if policy else None
    class_name = f"{year}年第1期中式烹调师培训班"
    project = f"{village}{year}年精品果园提质增效项目"
    roster = {
        "户编号": EXAMPLE_HOUSEHOLD,
        "县(市、区、旗)": county,
        "乡(镇)": township,
        "行政村": village,
        "自然村": "一组",
        "姓名": EXAMPLE_NAME,
        "证件号码": EXAMPLE_ID,
        "与户主关系": "户主",
        "人数": 1,
        "户类型": "脱贫户",
        "监测对象类别": "脱贫不稳定户",
        "风险是否已消除": "否",
        "识别监测时间": f"{year - 1}03",
        "致贫返贫风险1": "因病",
        "健康状况": "长期慢性病",
        "劳动技能": "弱劳动力或半劳动力",
        "联系电话": EXAMPLE_PHONE,
        "帮扶联系人": "王建国",
        "帮扶联系人电话": "13987654321",
        "帮扶联系人单位": f"{township}人民政府",
        "工资性收入": Decimal(3000),
        "生产经营性收入": Decimal(2500),
        "财产性收入": Decimal(0),
        "转移性收入": Decimal(2160),
        "生产经营性支出": Decimal(800),
        "家庭纯收入": Decimal(6860),
        "人均纯收入": Decimal(6860),
        "收入计算期间": f"{year}年1月至{year}年12月",
    }
    measure = {
        "户编号": EXAMPLE_HOUSEHOLD,
        "户主姓名": EXAMPLE_NAME,
        "措施名称": industry.name if industry else "产业到户补助",
        "计算基数": Decimal(2500),
        "验收结果": "合格",
        "落实日期": dt.date(year, 9, 15),
        "备注": "示例行：养殖生猪 2 头，填写前请删除",
    }
    trainee = {
        "培训班": class_name,
        "姓名": EXAMPLE_NAME,
        "证件号码": EXAMPLE_ID,
        "性别": "男",
        "人员类别": "监测对象",
        "实际出勤天数": Decimal("7.5"),
        "考核结果": "合格",
        "开户银行": "重庆农村商业银行",
        "银行卡号": "6230000000000000012",
        "联系电话": EXAMPLE_PHONE,
        "户籍地址": address,
        "备注": "示例行，填写前请删除",
    }
    training_class = {
        "培训班": class_name,
        "培训项目": "中式烹调师",
        "培训地点": f"{township}便民服务中心",
        "开班日期": dt.date(year, 5, 8),
        "结业日期": dt.date(year, 5, 17),
        "应出勤天数": 8,
    }
    project_row = {
        "项目名称": project,
        "项目类型": "产业发展",
        "建设性质": "新建",
        "乡(镇)": township,
        "行政村": village,
        "建设内容及规模": "改造提升果园 200 亩，修建生产便道 1 公里",
        "补助标准": describe_standard(industry) if industry else "",
        "中央衔接资金": Decimal(200000),
        "市级衔接资金": Decimal(50000),
        "区县级衔接资金": Decimal(30000),
        "其他资金": Decimal(20000),
        "总投资": Decimal(300000),
        "受益户数": 40,
        "受益脱贫户数": 15,
        "受益监测户数": 3,
        "受益人口": 130,
        "联农带农机制": "“村集体经济组织+农户”模式，优先吸纳脱贫户、监测户务工，订单收购鲜果",
        "产出指标": "改造果园 200 亩",
        "效益指标": "受益户户均增收 1000 元以上",
        "满意度指标": "受益群众满意度≥90%",
        "开工时间": dt.date(year, 5, 10),
        "完工时间": dt.date(year, 8, 20),
        "责任单位": f"{township}人民政府",
        "项目负责人": "李红",
        "联系电话": "13800001111",
        "申报单位": f"{village}村民委员会",
        "申报日期": dt.date(year, 4, 15),
    }
    subsidy = {
        "项目名称": project,
        "户编号": EXAMPLE_HOUSEHOLD,
        "户主姓名": EXAMPLE_NAME,
        "投入金额": Decimal(2500),
        "验收结果": "合格",
    }
    return {
        "roster": {ROSTER.name: [roster]},
        "measures": {MEASURES.name: [measure]},
        "training": {TRAINEES.name: [trainee], CLASSES.name: [training_class]},
        "projects": {PROJECTS.name: [project_row], SUBSIDIES.name: [subsidy]},
    }


def _short_county(county: str) -> str:
    """重庆市黔江区 → 黔江区 (the form the national export uses in its 县 column)."""
    changed = True
    while changed:
        changed = False
        for marker in ("省", "自治区", "市"):
            head, sep, tail = county.partition(marker)
            if sep and tail and len(head) <= 4:
                county, changed = tail, True
    return county
