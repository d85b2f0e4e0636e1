"""Benchmark of `fanpin training`: 10,000 attendance rows in 200 classes → every training document.

    /tmp/venv/bin/python benchmarks/training.py                  # 200 classes × 50 trainees, 7 days each
    /tmp/venv/bin/python benchmarks/training.py --workers 1      # the same in one process
    /tmp/venv/bin/python benchmarks/training.py --notice         # and the township-wide 公示 .docx
    /tmp/venv/bin/python benchmarks/training.py --classes 20 --keep /tmp/training-bench

The data is synthetic and deterministic (fixed seed): a household roster of the trainees (2 townships,
20 villages), trainees in several classes each, every 人员类别 (some left blank to be derived from the
roster), half days, failed assessments and trainees outside 16–60. Prints the time of each stage.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from fanpin_docs.idcard import check_digit
from fanpin_docs.output import OutputDir
from fanpin_docs.policy import load_policy
from fanpin_docs.readers import load_roster, load_training
from fanpin_docs.settings import DocumentsSection, Settings, SettingsFile
from fanpin_docs.training import compute_payments, publicity_start, write_training_documents
from fanpin_docs.training.publicity import publicity_document

ROSTER_HEADER = [
    "户编号",
    "县(市、区、旗)",
    "乡(镇)",
    "行政村",
    "自然村",
    "姓名",
    "证件号码",
    "与户主关系",
    "人数",
    "户类型",
    "监测对象类别",
    "风险是否已消除",
    "联系电话",
]
TRAINING_HEADER = [
    "培训班",
    "培训项目",
    "培训地点",
    "开班日期",
    "结业日期",
    "应出勤天数",
    "姓名",
    "证件号码",
    "性别",
    "人员类别",
    "实际出勤天数",
    "考核结果",
    "开户银行",
    "银行卡号",
    "联系电话",
    "户籍地址",
    "备注",
]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红梅玉德福春生文志海燕"
PROJECTS = (
    "电工",
    "焊工",
    "中式烹调",
    "育婴员",
    "农机驾驶",
    "茶叶种植",
    "生猪养殖",
    "电子商务",
    "家政服务",
    "汽车维修",
)


def _person(rng: random.Random, serial: int) -> tuple[str, str]:
    year = rng.choice((rng.randint(1958, 1962), *(rng.randint(1963, 2006) for _ in range(9))))
    first17 = f"500114{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{serial % 1000:03d}"
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    return name, first17 + check_digit(first17)


def write_inputs(folder: Path, classes: int, per_class: int, days: int, seed: int = 11) -> tuple[Path, Path]:
    """户籍监测名单.xlsx (the trainees' households) and 培训考勤.xlsx (one row per trainee and class)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    people: list[tuple[str, str, str]] = []  # name, id, household type
    roster = Workbook(write_only=True)
    sheet = roster.create_sheet("户籍监测名单")
    sheet.append(ROSTER_HEADER)
    seen: set[str] = set()
    pool = max(classes * per_class * 3 // 5, per_class)
    household = 0
    while len(people) < pool:
        household += 1
        township = f"第{household % 2 + 1}街道"
        village = f"{township[:3]}{household % 20 + 1:02d}村"
        kind = rng.choice(("脱贫户", "脱贫户", "监测户", "一般农户"))
        category = rng.choice(("脱贫不稳定户", "边缘易致贫户")) if kind == "监测户" else ""
        size = rng.choice((2, 3, 4))
        for member in range(size):
            name, id_number = _person(rng, len(people))
            while id_number in seen:
                name, id_number = _person(rng, len(people) + rng.randint(1, 999))
            seen.add(id_number)
            people.append((name, id_number, kind))
            sheet.append(
                [
                    f"H{household:07d}",
                    "黔江区",
                    township,
                    village,
                    "一组",
                    name,
                    id_number,
                    "户主" if member == 0 else "之子",
                    size if member == 0 else None,
                    kind,
                    category,
                    "否" if category else "",
                    f"138{rng.randint(10000000, 99999999)}",
                ]
            )
    roster_path = folder / "户籍监测名单.xlsx"
    roster.save(roster_path)

    book = Workbook(write_only=True)
    sheet = book.create_sheet("培训考勤")
    sheet.append(TRAINING_HEADER)
    for number in range(classes):
        month, day = 3 + number % 8, 1 + number % 20
        start = f"2023-{month:02d}-{day:02d}"
        end = f"2023-{month:02d}-{day + days - 1:02d}"
        project = PROJECTS[number % len(PROJECTS)]
        name = f"2023年第{number + 1}期{project}培训班"
        for name_, id_number, kind in rng.sample(people, per_class):
            category = rng.choice(
                ("", "", "低保对象", "其他", "脱贫人口" if kind == "脱贫户" else "监测对象")
            )
            attended = rng.choice((days, days, days, days - 1, days - 0.5, 0))
            result = "不合格" if rng.random() < 0.08 else "合格"
            sheet.append(
                [
                    name,
                    project,
                    "区职业教育中心",
                    start,
                    end,
                    days,
                    name_,
                    id_number,
                    "",
                    category,
                    attended,
                    result,
                    "重庆农村商业银行",
                    f"62170{rng.randint(10**13, 10**14 - 1)}",
                    f"139{rng.randint(10000000, 99999999)}",
                    "",
                    "",
                ]
            )
    training_path = folder / "培训考勤.xlsx"
    book.save(training_path)
    return roster_path, training_path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--classes", type=int, default=200)
    parser.add_argument("--per-class", type=int, default=50)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: automatic)")
    parser.add_argument(
        "--notice", action="store_true", help="also time the 公示 .docx (slow: see the report)"
    )
    parser.add_argument("--keep", type=Path, default=None, help="keep inputs and output in this folder")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="fanpin-training-bench-"))
    roster_path, training_path = write_inputs(folder / "inputs", args.classes, args.per_class, args.days)
    out = folder / "output"
    shutil.rmtree(out, ignore_errors=True)
    policy = load_policy("qianjiang-2023")
    # no issuing body and trainees from two townships: write_training_documents leaves the 公示 out,
    # so "write workbooks" is the workbooks alone; the 公示 is timed as its own stage
    settings = Settings()
    issuer = Settings(SettingsFile(documents=DocumentsSection(issuing_body="黔江区人力资源和社会保障局")))

    stages: list[tuple[str, float]] = []
    begin = time.perf_counter()
    roster = load_roster(roster_path)
    stages.append(("read roster", time.perf_counter()))
    classes, trainees = load_training(training_path, roster)
    stages.append(("read attendance", time.perf_counter()))
    payments = compute_payments(policy, classes, trainees, roster=roster, source=training_path.name)
    stages.append(("compute allowances", time.perf_counter()))
    output = OutputDir(out, timestamp="2023-01-01T00:00:00Z")
    result = write_training_documents(
        payments, policy=policy, settings=settings, output=output, workers=args.workers
    )
    assert not any(name.endswith(".docx") for name in result.files)
    stages.append(("write workbooks", time.perf_counter()))
    if args.notice:
        start = publicity_start(issuer, payments)
        assert start is not None  # every synthetic class has its dates
        relative, document = publicity_document(policy, payments, issuer, start)
        output.write_office(relative, document)
        stages.append((f"公示 ({len(trainees):,} trainees)", time.perf_counter()))

    people = sum(1 for _ in roster.person_index())
    print(
        f"inputs: {len(trainees):,} attendance rows in {len(classes)} classes ({args.days} days each), "
        f"roster of {people:,} people"
    )
    last = begin
    for label, moment in stages:
        print(f"  {label:<20} {moment - last:6.2f} s")
        last = moment
    read = stages[2][1] - begin  # the roster, the attendance and the allowances, before any writing
    print(
        f"  {'read and compute':<20} {read:6.2f} s  (goal ≤ 2 s for 10,000 attendance rows / 200 classes;"
        f" this run: {len(trainees):,} rows / {len(classes)} classes)"
    )
    workbooks = sum(1 for name in result.files if name.endswith(".xlsx"))
    print(
        f"  {'total':<20} {last - begin:6.2f} s  ({workbooks} workbooks, {result.paid:,} paid, "
        f"{result.total:,.2f} yuan)"
    )
    print(f"output: {out}")
    if os.name == "posix":
        print(
            f"machine: {os.cpu_count()} cores; {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}"
        )
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
