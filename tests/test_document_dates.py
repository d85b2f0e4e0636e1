"""Each document's own date, read back from what `fanpin demo`'s workspace produces: payments on or
after the classes they pay for, a 通知 before its class, the industry 公示 on or after the latest
落实日期 it lists; a given date that breaks these is refused with the conflict named, nothing written."""

from __future__ import annotations

import contextlib
import re
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from fanpin_docs.cli import app
from fanpin_docs.dates import add_working_days
from fanpin_docs.demo import build_demo_workspace
from fanpin_docs.holidays import is_working_day
from fanpin_docs.readers import load_measures, load_roster, load_training
from fanpin_docs.settings import load_settings
from training_data import CLASS, DONE_WHEN, HEADER, trainee_rows, write_training

runner = CliRunner()
CHINESE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def _allowance(training_folder: Path) -> Path:
    """The 误工补贴公示 `fanpin training` writes: in 公示/ beside 培训/ (the one `fanpin notice allowance` writes)."""
    (found,) = (training_folder.parent / "公示").glob("*培训误工补贴发放公示.docx")
    return found


def _day(text: str) -> date:
    match = CHINESE_DATE.search(text)
    assert match, text
    return date(*(int(part) for part in match.groups()))


def _run(workspace: Path, *args: str):
    with contextlib.chdir(workspace):
        return runner.invoke(app, list(args))


def _sheet_date(path: Path) -> date:
    """The date of a workbook's 制表人/审核人/负责人 line ("日期：2023年6月16日")."""
    book = openpyxl.load_workbook(path, read_only=True)
    found = [
        _day(value.split("日期：")[1])
        for row in book.worksheets[0].iter_rows(values_only=True)
        for value in row
        if isinstance(value, str) and "日期：" in value and CHINESE_DATE.search(value.split("日期：")[1])
    ]
    assert len(found) == 1, found
    return found[0]


def _signed_on(path: Path) -> date:
    """The 成文日期 under a 公文's signature: the last paragraph that is only a date."""
    dates = [p.text.strip() for p in docx.Document(path).paragraphs if CHINESE_DATE.fullmatch(p.text.strip())]
    assert dates, path
    return _day(dates[-1])


def _publicity(path: Path) -> tuple[date, date]:
    text = "\n".join(p.text for p in docx.Document(path).paragraphs)
    match = re.search(r"公示期为(\d{4}年\d{1,2}月\d{1,2}日)至(\d{4}年\d{1,2}月\d{1,2}日)", text)
    assert match, text
    return _day(match.group(1)), _day(match.group(2))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace = build_demo_workspace(tmp_path_factory.mktemp("dates") / "demo", households=80).root
    for command in (("training",), ("notice", "training"), ("notice", "industry")):
        result = _run(workspace, *command)
        assert result.exit_code == 0, result.output
    return workspace


def test_payment_documents_are_dated_on_or_after_the_classes_they_pay(demo: Path) -> None:
    settings = load_settings(demo)
    assert settings.documents.date is None  # no single date: each document by its rule
    classes, _ = load_training(demo / settings.data.inputs.training)
    assert len(classes) >= 2 and all(c.start and c.end for c in classes)
    output = demo / "output" / "培训"
    for training_class in classes:
        payroll = _sheet_date(output / training_class.name / "误工补贴发放花名册.xlsx")
        assert training_class.end is not None and payroll >= training_class.end
        assert payroll == training_class.end  # the earliest date the rule allows
    last_end = max(c.end for c in classes if c.end)
    assert _sheet_date(output / "培训补贴汇总表.xlsx") == last_end
    start, end = _publicity(_allowance(output))
    assert start >= last_end and is_working_day(start)
    assert start == add_working_days(last_end, 1)  # the first working day from the last class end on
    assert _signed_on(_allowance(output)) == start
    assert end == add_working_days(start, settings.calendar.publicity_days)


def test_each_class_notice_is_dated_before_its_class_starts(demo: Path) -> None:
    settings = load_settings(demo)
    classes, _ = load_training(demo / settings.data.inputs.training)
    assert classes
    for training_class in classes:
        path = demo / "output" / "通知" / f"关于举办{training_class.name}的通知.docx"
        signed = _signed_on(path)
        assert training_class.start is not None and signed < training_class.start
        # notice_days working days ahead, counted over the official holidays
        assert add_working_days(signed, settings.calendar.notice_days + 1) == add_working_days(
            training_class.start, 1
        )


def test_the_industry_publicity_is_dated_on_or_after_the_latest_settlement_it_lists(demo: Path) -> None:
    settings = load_settings(demo)
    roster = load_roster(demo / settings.data.inputs.roster)
    records = load_measures(demo / settings.data.inputs.measures, roster)
    path = next((demo / "output" / "公示").glob("*产业到户补助公示.docx"))
    table = docx.Document(path).tables[0]
    listed = {(row.cells[1].text, row.cells[2].text) for row in table.rows[1:]}
    heads = {h.household_id: (h.village, h.head.name) for h in roster.households}
    settled = [
        r.on
        for r in records
        if r.name == "产业到户补助" and r.accepted and heads[r.household_id] in listed and r.on is not None
    ]
    assert len(settled) >= len(listed) > 3
    start, _ = _publicity(path)
    assert start >= max(settled) and is_working_day(start)
    assert start == add_working_days(max(settled), 1)
    assert _signed_on(path) == start


def test_a_date_that_precedes_the_class_end_is_refused_and_nothing_written(tmp_path: Path) -> None:
    workspace = build_demo_workspace(tmp_path / "demo", households=40).root
    settings_file = workspace / "fanpin.toml"
    settings_file.write_text(
        settings_file.read_text(encoding="utf-8").replace("# date = 2024-04-30", "date = 2023-04-20"),
        encoding="utf-8",
    )
    classes, _ = load_training(workspace / load_settings(workspace).data.inputs.training)
    first = min(classes, key=lambda c: c.end or date.max)
    result = _run(workspace, "training")
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert "误工补贴发放花名册的日期2023年4月20日（fanpin.toml [documents] date）早于" in message
    assert f"培训班「{first.name}」的结业日期" in message and "2023年5月17日" in message
    assert "Traceback" not in result.output and "程序内部错误" not in result.output
    assert not (workspace / "output" / "培训").exists()


def test_a_given_date_wins_when_it_keeps_the_rules_and_is_refused_when_it_does(tmp_path: Path) -> None:
    workspace = build_demo_workspace(tmp_path / "demo", households=40).root
    classes, _ = load_training(workspace / load_settings(workspace).data.inputs.training)
    last = max(classes, key=lambda c: c.end or date.min)
    assert last.end == date(2023, 6, 16)

    refused = _run(workspace, "training", "--date", "2023-06-15")
    assert refused.exit_code == 1
    message = " ".join(refused.output.split())
    assert "日期2023年6月15日（--date）早于" in message and "2023年6月16日" in message
    assert not (workspace / "output" / "培训").exists()

    result = _run(workspace, "training", "--date", "2023-06-20")
    assert result.exit_code == 0, result.output
    output = workspace / "output" / "培训"
    assert {_sheet_date(output / c.name / "误工补贴发放花名册.xlsx") for c in classes} == {date(2023, 6, 20)}
    assert _sheet_date(output / "培训补贴汇总表.xlsx") == date(2023, 6, 20)
    assert _publicity(_allowance(output))[0] == date(2023, 6, 20)

    late = _run(workspace, "notice", "training", "--date", "2023-05-08")
    assert late.exit_code == 1
    message = " ".join(late.output.split())
    assert "的通知的日期2023年5月8日（--date）不在培训班" in message and "开班日期2023年5月8日" in message
    assert not (workspace / "output" / "通知").exists()

    early_publicity = _run(workspace, "notice", "industry", "--start", "2023-03-01")
    assert early_publicity.exit_code == 1
    message = " ".join(early_publicity.output.split())
    assert "产业到户补助公示的日期2023年3月1日（--start）早于公示所列台账" in message
    assert "行的落实日期" in message
    assert not list((workspace / "output" / "公示").glob("*产业到户补助公示*"))


def _assessed_workspace(tmp_path: Path, assessed: str, date_line: str = "") -> Path:
    (tmp_path / "fanpin.toml").write_text(
        '[township]\ntownship = "城东街道"\nyear = 2023\npolicy = "qianjiang-2023"\n'
        f'[documents]\nissuing_body = "城东街道办事处"\n{date_line}\n[inputs]\ntraining = "考勤.xlsx"\n',
        encoding="utf-8",
    )
    rows = [[*row, assessed] for row in trainee_rows(DONE_WHEN)]  # the class ends Sunday 12 March 2023
    write_training(tmp_path / "考勤.xlsx", rows, header=[*HEADER, "考核日期"])
    return tmp_path


def test_payments_wait_for_an_assessment_after_the_class_ends(tmp_path: Path) -> None:
    workspace = _assessed_workspace(tmp_path, "2023-03-15")
    result = _run(workspace, "training")
    assert result.exit_code == 0, result.output
    output = workspace / "output" / "培训"
    assert _sheet_date(output / CLASS[0] / "误工补贴发放花名册.xlsx") == date(2023, 3, 15)
    assert _sheet_date(output / "培训补贴汇总表.xlsx") == date(2023, 3, 15)
    assert _publicity(_allowance(output))[0] == date(2023, 3, 15)


def test_a_settings_date_before_the_assessment_is_refused(tmp_path: Path) -> None:
    workspace = _assessed_workspace(tmp_path, "2023-03-15", "date = 2023-03-13")
    result = _run(workspace, "training")
    assert result.exit_code == 1
    message = " ".join(result.output.split())
    assert "日期2023年3月13日（fanpin.toml [documents] date）早于" in message
    assert f"培训班「{CLASS[0]}」的考核日期（培训考勤表）2023年3月15日" in message
    assert "删去 fanpin.toml [documents] date" in message
    assert not (workspace / "output").exists()


def test_an_assessment_before_the_class_starts_is_an_input_error(tmp_path: Path) -> None:
    workspace = _assessed_workspace(tmp_path, "2023-03-01")
    result = _run(workspace, "training")
    assert result.exit_code == 1
    assert "考核日期早于开班日期" in result.output and "列「考核日期」" in result.output


def test_the_allowance_notice_takes_the_same_date_as_the_training_run(tmp_path: Path) -> None:
    """`fanpin notice allowance --date` writes the same 公示 as `fanpin training --date`."""
    workspace = build_demo_workspace(tmp_path / "demo", households=40).root
    assert _run(workspace, "training", "--date", "2023-06-20").exit_code == 0
    written_by_training = _allowance(workspace / "output" / "培训").read_bytes()
    result = _run(workspace, "notice", "allowance", "--date", "2023-06-20")
    assert result.exit_code == 0, result.output
    assert _publicity(_allowance(workspace / "output" / "培训"))[0] == date(2023, 6, 20)
    assert _allowance(workspace / "output" / "培训").read_bytes() == written_by_training
    early = _run(workspace, "notice", "allowance", "--date", "2023-06-15")
    assert early.exit_code == 1 and "早于" in " ".join(early.output.split())


def test_the_plan_takes_its_own_date_and_not_one_after_its_first_time_limit(tmp_path: Path) -> None:
    workspace = build_demo_workspace(tmp_path / "demo", households=40).root
    dated = _run(workspace, "plan", "--date", "2023-04-20")
    assert dated.exit_code == 0, dated.output
    assert _signed_on(workspace / "output" / "实施方案.docx") == date(2023, 4, 20)
    late = _run(workspace, "plan", "--date", "2023-05-06", "--force")
    assert late.exit_code == 1
    message = " ".join(late.output.split())
    assert (
        "实施方案的日期2023年5月6日（--date）晚于方案自己规定的时间节点：「完成项目申报」2023年4月30日"
        in message
    )
    assert _signed_on(workspace / "output" / "实施方案.docx") == date(2023, 4, 20)  # untouched
