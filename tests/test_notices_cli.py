"""`fanpin notice training | industry | allowance` from the command line."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner, Result

from fanpin_docs.cli import app
from fanpin_docs.pdf import find_soffice
from helpers import ROSTER_HEADER, roster_row, write_xlsx
from test_notices import _roster_and_ledger
from training_data import DONE_WHEN, trainee_rows, write_training

runner = CliRunner()


def _texts(path: Path) -> str:
    document = docx.Document(path)
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_industry_publicity_from_the_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    roster, ledger = _roster_and_ledger(tmp_path)
    result = runner.invoke(
        app,
        [
            "notice",
            "industry",
            "--roster",
            str(roster),
            "--measures",
            str(ledger),
            "--policy",
            "qianjiang-2023",
            "--out",
            "out",
            "--start",
            "2024-05-10",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "未列入公示" in result.output and "验收不合格" in result.output
    text = _texts(tmp_path / "out" / "公示" / "石会镇2023年产业到户补助公示.docx")
    assert "公示期为2024年5月10日至2024年5月15日（5个工作日）" in text
    assert "合计：2户，补助金额3,200.00元（人民币叁仟贰佰元整）。" in text


def test_an_industry_publicity_given_a_sunday_is_printed_as_given_and_noted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    roster, ledger = _roster_and_ledger(tmp_path)
    arguments = ["notice", "industry", "--roster", str(roster), "--measures", str(ledger)]
    result = runner.invoke(
        app, [*arguments, "--policy", "qianjiang-2023", "--out", "out", "--start", "2024-05-12"]
    )
    assert result.exit_code == 0, result.output
    text = _texts(tmp_path / "out" / "公示" / "石会镇2023年产业到户补助公示.docx")
    assert "公示期为2024年5月12日至2024年5月17日（5个工作日）" in text
    said = " ".join(result.output.split())
    assert (
        "2024年5月12日（--start）是休息日（星期日）" in said and "自2024年5月13日起至2024年5月17日止" in said
    )


def test_industry_publicity_twice_gives_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    roster, ledger = _roster_and_ledger(tmp_path)
    arguments = [
        "notice",
        "industry",
        "--roster",
        str(roster),
        "--measures",
        str(ledger),
        "--policy",
        "qianjiang-2023",
        "--out",
        "out",
        "--start",
        "2024-05-10",
    ]
    contents = []
    for _ in range(2):
        assert runner.invoke(app, arguments).exit_code == 0
        contents.append((tmp_path / "out" / "公示" / "石会镇2023年产业到户补助公示.docx").read_bytes())
    assert contents[0] == contents[1]


def test_industry_publicity_needs_a_start_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    roster, ledger = _roster_and_ledger(tmp_path)
    result = runner.invoke(
        app,
        [
            "notice",
            "industry",
            "--roster",
            str(roster),
            "--measures",
            str(ledger),
            "--policy",
            "qianjiang-2023",
            "--out",
            "out",
        ],
    )
    assert result.exit_code == 1
    assert "都没有落实日期，无法确定公示开始日期" in result.output and "--start" in result.output
    assert not (tmp_path / "out" / "公示").exists()


def test_bad_start_date_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    roster, ledger = _roster_and_ledger(tmp_path)
    result = runner.invoke(
        app,
        [
            "notice",
            "industry",
            "--roster",
            str(roster),
            "--measures",
            str(ledger),
            "--policy",
            "qianjiang-2023",
            "--out",
            "out",
            "--start",
            "2024-02-30",
        ],
    )
    assert result.exit_code == 1
    assert "--start" in result.output and "Traceback" not in result.output


def test_workspace_calendar_and_settings_are_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    roster, ledger = _roster_and_ledger(tmp_path)
    (tmp_path / "fanpin.toml").write_text(
        '[township]\ntownship = "石会镇"\nyear = 2024\npolicy = "qianjiang-2023"\n'
        '[documents]\ndate = 2024-09-27\ncontact = "李四 023-79221234"\n'
        "[calendar]\nholidays = [2024-10-01, 2024-10-02, 2024-10-03, 2024-10-04, 2024-10-07]\n"
        "workdays = [2024-09-29]\npublicity_days = 7\n"
        f'[inputs]\nroster = "{roster.name}"\nmeasures = "{ledger.name}"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["notice", "industry"])
    assert result.exit_code == 0, result.output
    text = _texts(tmp_path / "output" / "公示" / "石会镇2024年产业到户补助公示.docx")
    # 9/27, 9/29, 9/30, 10/8, 10/9, 10/10, 10/11 (10/5–6 is a weekend)
    assert "公示期为2024年9月27日至2024年10月11日（7个工作日）" in text
    assert "联系人及电话：李四 023-79221234" in text


def test_training_class_notices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    training = write_training(tmp_path / "考勤.xlsx", trainee_rows(DONE_WHEN))
    rows = [ROSTER_HEADER] + [roster_row("H1", "户主", DONE_WHEN[0][1], "户主", size=1, township="城东街道")]
    roster = write_xlsx(tmp_path / "名单.xlsx", rows)
    result = runner.invoke(
        app,
        [
            "notice",
            "training",
            "--training",
            str(training),
            "--roster",
            str(roster),
            "--policy",
            "qianjiang-2023",
            "--out",
            "out",
        ],
    )
    assert result.exit_code == 0, result.output
    text = _texts(tmp_path / "out" / "通知" / "关于举办2023年第一期电工培训班的通知.docx")
    assert "城东街道办事处" in text
    assert "本期培训学员6人" in text


def test_training_class_notice_needs_to_know_the_issuer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    training = write_training(tmp_path / "考勤.xlsx", trainee_rows(DONE_WHEN))
    result = runner.invoke(
        app, ["notice", "training", "--training", str(training), "--policy", "qianjiang-2023", "--out", "out"]
    )
    assert result.exit_code == 1
    assert "issuing_body" in result.output.replace("\n", "")


def _allowance_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: str) -> Result:
    """`fanpin notice allowance --start <start>` in a workspace of 石会镇 with the usual attendance."""
    monkeypatch.chdir(tmp_path)
    training = write_training(tmp_path / "考勤.xlsx", trainee_rows(DONE_WHEN))
    (tmp_path / "fanpin.toml").write_text('[township]\ntownship = "石会镇"\n', encoding="utf-8")
    arguments = ["notice", "allowance", "--training", str(training), "--policy", "qianjiang-2023"]
    return runner.invoke(app, [*arguments, "--start", start])


def test_training_allowance_publicity_masks_ids_and_cards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _allowance_notice(tmp_path, monkeypatch, "2024-05-10")
    assert result.exit_code == 0, result.output
    files = list((tmp_path / "output" / "公示").glob("*.docx"))
    assert len(files) == 1
    text = _texts(files[0])
    assert "公示期为2024年5月10日至2024年5月15日（5个工作日）" in text
    assert text.count("公示期为") == 1
    assert "740.00" in text
    for _, id_number, *_ in DONE_WHEN:
        assert id_number not in text
    assert "6217000000000000001" not in text  # the first trainee's card, in full


def test_an_allowance_publicity_given_a_holiday_is_noted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _allowance_notice(tmp_path, monkeypatch, "2024-10-01")  # 国庆节
    assert result.exit_code == 0, result.output
    text = _texts(next((tmp_path / "output" / "公示").glob("*.docx")))
    assert "公示期为2024年10月1日至2024年10月12日（5个工作日）" in text  # 10月12日, a Saturday, is worked
    said = " ".join(result.output.split())
    assert (
        "2024年10月1日（--start）是休息日（节假日）" in said and "自2024年10月8日起至2024年10月12日止" in said
    )


@pytest.mark.pdf
@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")
def test_publicity_converts_to_an_a4_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fanpin_docs.pdf import convert_to_pdf

    monkeypatch.chdir(tmp_path)
    roster, ledger = _roster_and_ledger(tmp_path)
    result = runner.invoke(
        app,
        [
            "notice",
            "industry",
            "--roster",
            str(roster),
            "--measures",
            str(ledger),
            "--policy",
            "qianjiang-2023",
            "--out",
            "out",
            "--start",
            "2024-05-10",
        ],
    )
    assert result.exit_code == 0, result.output
    pdf = convert_to_pdf([tmp_path / "out" / "公示" / "石会镇2023年产业到户补助公示.docx"], tmp_path / "pdf")[
        0
    ]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = (float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    ids = re.findall(r"\d{6}\*{8}[\dX]{4}", text)
    assert len(ids) == 2  # each masked ID printed whole on one line, not wrapped


def test_a_template_stating_another_publicity_period_is_refused_with_the_right_dates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    roster, ledger = _roster_and_ledger(tmp_path)
    template = tmp_path / "产业补助公示.txt"
    template.write_text(
        "% 产业到户补助公示\n现予公示，公示期为2024年5月10日至2024年5月14日。\n", encoding="utf-8"
    )
    arguments = ["notice", "industry", "--roster", str(roster), "--measures", str(ledger)]
    options = [
        "--policy",
        "qianjiang-2023",
        "--out",
        "out",
        "--start",
        "2024-05-10",
        "--template",
        str(template),
    ]
    result = runner.invoke(app, arguments + options)
    assert result.exit_code == 1, result.output
    output = result.output.replace("\n", "")
    assert "程序内部错误" not in output
    assert "2024年5月10日至2024年5月15日" in output and "不一致" in output
    assert not (tmp_path / "out" / "公示").exists()


def test_a_class_notice_template_with_a_broken_table_is_told_not_crashed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    training = write_training(tmp_path / "考勤.xlsx", trainee_rows(DONE_WHEN))
    rows = [ROSTER_HEADER] + [roster_row("H1", "户主", DONE_WHEN[0][1], "户主", size=1, township="城东街道")]
    roster = write_xlsx(tmp_path / "名单.xlsx", rows)
    template = tmp_path / "培训通知.txt"
    template.write_text("% 关于举办培训班的通知\n| 日期 | 地点 |\n| 5月10日 |\n", encoding="utf-8")
    arguments = ["notice", "training", "--training", str(training), "--roster", str(roster)]
    options = ["--policy", "qianjiang-2023", "--out", "out", "--template", str(template)]
    result = runner.invoke(app, arguments + options)
    output = result.output.replace("\n", "")
    assert result.exit_code == 1, result.output
    assert "通知模板生成的内容无法排版：表格行「| 5月10日 |」有 1 列，表头有 2 列" in output
    assert "程序内部错误" not in output
    assert not (tmp_path / "out" / "通知").exists()
