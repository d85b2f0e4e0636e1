"""Each document's own date, read back from what `fanpin demo`'s workspace produces: payments on or
after the classes they pay for, a 通知 before its class, the industry 公示 on or after the latest
落实日期 it lists; a given date that breaks these is refused with the conflict named, nothing written."""

from __future__ import annotations

import contextlib
import re
import shutil
from datetime import date, timedelta
from decimal import Decimal
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
        assert training_class.end is not None and payroll > training_class.end
    last_end = max(c.end for c in classes if c.end)
    assert _sheet_date(output / "培训补贴汇总表.xlsx") == last_end
    start, end = _publicity(_allowance(output))
    assert start >= last_end and is_working_day(start)
    assert start == add_working_days(last_end, 1)  # the first working day from the last class end on
    assert _signed_on(_allowance(output)) == start
    assert end == add_working_days(start, settings.calendar.publicity_days)


def _listed(publicity: Path) -> dict[str, list[tuple[str, Decimal]]]:
    """The 公示's rows as a reader sees them, by class: its heading 「（一）<班名>（30人）」 names the class
    and how many of the rows that follow (numbered across the tables) are that class's (姓名, 补贴金额)."""
    document = docx.Document(publicity)
    headings = [
        (match.group(1), int(match.group(2)))
        for p in document.paragraphs
        if (match := re.fullmatch(r"（[一二三四五六七八九十]+）(.+)（(\d+)人）", p.text.strip()))
    ]
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    name, amount = header.index("姓名"), header.index("补贴金额（元）")
    rows: dict[int, tuple[str, Decimal]] = {}
    for table in document.tables:  # a table's last rows may go on to the next page as a table of their own
        for row in table.rows:
            cells = [cell.text for cell in row.cells]
            if cells[0].isdigit():
                rows[int(cells[0])] = (cells[name], Decimal(cells[amount].replace(",", "")))
    ordered = [rows[number] for number in sorted(rows)]
    assert [number for number in sorted(rows)] == list(range(1, len(rows) + 1))
    assert sum(count for _, count in headings) == len(ordered)
    listed, first = {}, 0
    for class_name, count in headings:
        listed[class_name] = ordered[first : first + count]
        first += count
    return listed


def _signers(payroll: Path) -> list[tuple[str, Decimal]]:
    """(姓名, 补贴金额) of the rows people sign on a payment roster, as Excel shows them."""
    sheet = openpyxl.load_workbook(payroll, data_only=True).worksheets[0]
    header = [cell.value for cell in sheet[4]]
    name, amount = header.index("姓名"), header.index("补贴金额")
    return [
        (row[name], Decimal(str(row[amount])))
        for row in sheet.iter_rows(min_row=5, values_only=True)
        if isinstance(row[0], int)
    ]


def test_payment_rosters_are_dated_after_the_publicity_of_what_they_pay(demo: Path) -> None:
    """A roster signed on receipt of money follows the 公示 that lists the same people and amounts as
    拟发放: it is dated on the first working day after the 公示期 (official holidays and 调休 counted)."""
    settings = load_settings(demo)
    classes, _ = load_training(demo / settings.data.inputs.training)
    output = demo / "output" / "培训"
    publicity = _allowance(output)
    start, end = _publicity(publicity)
    assert (start, end) == (date(2023, 6, 16), date(2023, 6, 25))  # 端午 22–24 June off, Sunday 25th worked
    listed = _listed(publicity)
    assert set(listed) == {c.name for c in classes}
    calendar = settings.calendar
    for training_class in classes:
        path = output / training_class.name / "误工补贴发放花名册.xlsx"
        assert _signers(path) == listed[training_class.name]  # the very payments the 公示 lists
        paid_on = _sheet_date(path)
        assert paid_on > end and is_working_day(paid_on, calendar.holidays, calendar.workdays)
        between = [end + timedelta(days=n) for n in range(1, (paid_on - end).days)]
        assert not any(is_working_day(day, calendar.holidays, calendar.workdays) for day in between)
        assert paid_on == date(2023, 6, 26)
    # the summary of what is to be paid goes with the 公示, not after it
    assert _sheet_date(output / "培训补贴汇总表.xlsx") == start


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

    result = _run(workspace, "training", "--start", "2023-06-19", "--date", "2023-06-27")
    assert result.exit_code == 0, result.output
    output = workspace / "output" / "培训"
    assert {_sheet_date(output / c.name / "误工补贴发放花名册.xlsx") for c in classes} == {date(2023, 6, 27)}
    assert _sheet_date(output / "培训补贴汇总表.xlsx") == date(2023, 6, 27)
    assert _publicity(_allowance(output)) == (date(2023, 6, 19), date(2023, 6, 26))

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


def test_a_roster_date_within_the_publicity_period_is_refused_and_one_date_alone_is_followed(
    tmp_path: Path,
) -> None:
    workspace = build_demo_workspace(tmp_path / "demo", households=40).root
    classes, _ = load_training(workspace / load_settings(workspace).data.inputs.training)
    first = next(c for c in classes if c.name.startswith("青山镇2023年第1期"))

    # --date alone is the 公示's first day (and the 汇总表's): the rosters follow its 公示期 by rule
    alone = _run(workspace, "training", "--date", "2023-06-20")
    assert alone.exit_code == 0, alone.output
    output = workspace / "output" / "培训"
    assert _publicity(_allowance(output)) == (date(2023, 6, 20), date(2023, 6, 27))
    assert _sheet_date(output / "培训补贴汇总表.xlsx") == date(2023, 6, 20)
    assert _sheet_date(output / first.name / "误工补贴发放花名册.xlsx") == date(2023, 6, 28)
    shutil.rmtree(workspace / "output")

    # the 公示 from --start: the roster's --date must come after its 公示期 (16–25 June, 端午 off)
    within = _run(workspace, "training", "--start", "2023-06-16", "--date", "2023-06-25")
    assert within.exit_code == 1
    message = " ".join(within.output.split()).replace(" ", "")
    assert (
        "误工补贴发放花名册的日期2023年6月25日（--date）早于误工补贴公示的公示期（2023年6月16日（--start）"
        "至2023年6月25日，5个工作日）期满后的第一个工作日2023年6月26日：补贴在公示期满后发放" in message
    )
    assert "把--date改为2023年6月26日或以后的日期" in message
    assert not (workspace / "output").exists()

    # one date in fanpin.toml, the same: the 公示 and the 汇总表 on it, the rosters after the 公示期
    settings_file = workspace / "fanpin.toml"
    settings_file.write_text(
        settings_file.read_text(encoding="utf-8").replace("# date = 2024-04-30", "date = 2023-06-20"),
        encoding="utf-8",
    )
    from_settings = _run(workspace, "training")
    assert from_settings.exit_code == 0, from_settings.output
    assert _publicity(_allowance(output)) == (date(2023, 6, 20), date(2023, 6, 27))
    assert _sheet_date(output / first.name / "误工补贴发放花名册.xlsx") == date(2023, 6, 28)


def test_a_roster_waits_for_the_publicity_only_when_the_run_makes_it(tmp_path: Path) -> None:
    """Without anyone to publish the 公示 the run makes none, and the roster keeps its class's end; a
    class whose trainees are all paid nothing is not in the 公示 and keeps its end too."""
    nobody = [("王三", DONE_WHEN[2][1], "低保对象", 5, "合格")]
    second = ("第二期无补贴班", "电工", "区职教中心", "2023-03-13", "2023-03-17", 5)
    rows = [*trainee_rows(DONE_WHEN), *trainee_rows(nobody, klass=second, first_card=20)]
    write_training(tmp_path / "考勤.xlsx", rows)
    (tmp_path / "fanpin.toml").write_text(
        '[township]\nyear = 2023\npolicy = "qianjiang-2023"\n[inputs]\ntraining = "考勤.xlsx"\n',
        encoding="utf-8",
    )
    unpublished = _run(tmp_path, "training")
    assert unpublished.exit_code == 0, unpublished.output
    assert "未生成误工补贴公示" in " ".join(unpublished.output.split())
    output = tmp_path / "output" / "培训"
    assert _sheet_date(output / CLASS[0] / "误工补贴发放花名册.xlsx") == date(2023, 3, 12)

    settings_file = tmp_path / "fanpin.toml"
    settings_file.write_text(
        settings_file.read_text(encoding="utf-8") + '[documents]\nissuing_body = "城东街道办事处"\n',
        encoding="utf-8",
    )
    published = _run(tmp_path, "training")
    assert published.exit_code == 0, published.output
    # the last class with allowances ends Sunday 12 March: 公示 13–17 March, paid Monday 20 March
    assert _publicity(_allowance(output)) == (date(2023, 3, 13), date(2023, 3, 17))
    assert _sheet_date(output / CLASS[0] / "误工补贴发放花名册.xlsx") == date(2023, 3, 20)
    assert _sheet_date(output / second[0] / "误工补贴发放花名册.xlsx") == date(2023, 3, 17)


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
    assert _sheet_date(output / "培训补贴汇总表.xlsx") == date(2023, 3, 15)
    assert _publicity(_allowance(output)) == (date(2023, 3, 15), date(2023, 3, 21))
    # paid once the 公示期 (Wednesday 15 to Tuesday 21 March) is over
    assert _sheet_date(output / CLASS[0] / "误工补贴发放花名册.xlsx") == date(2023, 3, 22)


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
    """`fanpin notice allowance --date` writes the same 公示 as `fanpin training` with that --start (its
    --date dates the payment rosters, after the 公示期)."""
    workspace = build_demo_workspace(tmp_path / "demo", households=40).root
    assert _run(workspace, "training", "--start", "2023-06-20", "--date", "2023-06-28").exit_code == 0
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
