"""`fanpin training` on the command line: workspace defaults, options, refusals, reruns."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from fanpin_docs.cli import app
from helpers import make_id
from training_data import DONE_WHEN, trainee_rows, write_training

runner = CliRunner()
WORKSPACE = """
[township]
township = "城东街道"
year = 2023
policy = "qianjiang-2023"

[documents]
issuing_body = "城东街道办事处"

[inputs]
training = "考勤.xlsx"
"""
PAYROLL = Path("培训/2023年第一期电工培训班/误工补贴发放花名册.xlsx")


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "fanpin.toml").write_text(WORKSPACE, encoding="utf-8")
    write_training(tmp_path / "考勤.xlsx", trainee_rows(DONE_WHEN))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_inside_a_workspace_no_arguments_are_needed(workspace: Path) -> None:
    result = runner.invoke(app, ["training"])
    assert result.exit_code == 0, result.output
    assert "合计 740.00 元" in result.output
    output = workspace / "output"
    assert sorted(p.relative_to(output).as_posix() for p in output.rglob("*.*") if p.name[0] != ".") == [
        "公示/城东街道2023年培训误工补贴发放公示.docx",
        "培训/2023年第一期电工培训班/签到表.xlsx",
        "培训/2023年第一期电工培训班/花名册.xlsx",
        "培训/2023年第一期电工培训班/误工补贴发放花名册.xlsx",
        "培训/培训补贴汇总表.xlsx",
    ]
    assert load_workbook(output / PAYROLL, data_only=True).active["I8"].value == 740  # 3 people paid


def test_the_allowance_publicity_is_one_document_in_one_place(workspace: Path) -> None:
    """`fanpin training` and `fanpin notice allowance` write the same 公示, to the same file."""
    assert runner.invoke(app, ["training", "--start", "2023-04-03"]).exit_code == 0
    notice = workspace / "output/公示/城东街道2023年培训误工补贴发放公示.docx"
    from_training = notice.read_bytes()
    result = runner.invoke(app, ["notice", "allowance", "--start", "2023-04-03"])
    assert result.exit_code == 0, result.output
    assert notice.read_bytes() == from_training
    documents = [
        p.relative_to(workspace / "output").as_posix() for p in (workspace / "output").rglob("*.docx")
    ]
    assert documents == ["公示/城东街道2023年培训误工补贴发放公示.docx"]


def test_options_outside_a_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = write_training(tmp_path / "in.xlsx", trainee_rows(DONE_WHEN))
    result = runner.invoke(
        app,
        ["training", "--training", str(source), "--policy", "qianjiang-2023", "--out", str(tmp_path / "out")],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / PAYROLL).is_file()
    assert "未生成误工补贴公示" in result.output  # nobody to publish it: said, not guessed


def test_bad_attendance_is_located_without_traceback_or_files(workspace: Path) -> None:
    rows = trainee_rows([("甲", make_id("19800101", 1), "脱贫人口", 9, "合格")])
    write_training(workspace / "考勤.xlsx", rows)
    result = runner.invoke(app, ["training"])
    assert result.exit_code == 1
    assert "考勤.xlsx" in result.output and "第 2 行" in result.output and "实际出勤天数" in result.output
    assert "Traceback" not in result.output
    assert not (workspace / "output").exists()


def test_missing_training_input_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["training", "--policy", "qianjiang-2023"])
    assert result.exit_code == 1
    assert "--training" in result.output and "培训考勤表" in result.output


def test_an_edited_file_is_not_overwritten_without_force(workspace: Path) -> None:
    assert runner.invoke(app, ["training"]).exit_code == 0
    assert runner.invoke(app, ["training"]).exit_code == 0  # a rerun replaces the tool's own files
    edited = workspace / "output" / PAYROLL
    original = edited.read_bytes()
    edited.write_bytes(original + b"user")
    result = runner.invoke(app, ["training"])
    assert result.exit_code == 1
    assert "误工补贴发放花名册.xlsx" in result.output and "--force" in result.output
    assert edited.read_bytes() == original + b"user"
    assert runner.invoke(app, ["training", "--force"]).exit_code == 0
    assert edited.read_bytes() == original


def test_two_runs_give_identical_files(workspace: Path) -> None:
    assert runner.invoke(app, ["training", "--out", "a"]).exit_code == 0
    assert runner.invoke(app, ["training", "--out", "b"]).exit_code == 0
    first = {p.relative_to(workspace / "a"): p.read_bytes() for p in (workspace / "a").rglob("*.*")}
    second = {p.relative_to(workspace / "b"): p.read_bytes() for p in (workspace / "b").rglob("*.*")}
    assert len(first) == 6 and first == second


def test_start_option(workspace: Path) -> None:
    result = runner.invoke(app, ["training", "--start", "2023年4月3日"])
    assert result.exit_code == 0
    import docx

    text = "\n".join(
        p.text
        for p in docx.Document(workspace / "output/公示/城东街道2023年培训误工补贴发放公示.docx").paragraphs
    )
    # Wednesday 5 April 2023 was 清明 (official calendar): the fifth working day is Monday 10 April
    assert "公示期为2023年4月3日至2023年4月10日" in text
    bad = runner.invoke(app, ["training", "--start", "下周一"])
    assert bad.exit_code == 1 and "--start" in bad.output


def test_help_is_chinese() -> None:
    result = runner.invoke(app, ["training", "--help"])
    assert result.exit_code == 0
    assert "误工补贴发放花名册" in result.output and "--roster" in result.output


def test_reader_warnings_are_shown(workspace: Path) -> None:
    rows = trainee_rows(DONE_WHEN)
    rows[0][13] = "12345"  # 联系电话 that is no phone number: printed blank, said once
    write_training(workspace / "考勤.xlsx", rows)
    result = runner.invoke(app, ["training"])
    assert result.exit_code == 0
    assert "第 2 行" in result.output and "联系电话" in result.output


def test_a_rerun_removes_the_folder_of_a_class_no_longer_in_the_workbook(workspace: Path) -> None:
    second_class = ("2023年第二期厨师培训班", "中式烹调师", "区职教中心", "2023-03-06", "2023-03-12", 7)
    both = trainee_rows(DONE_WHEN) + trainee_rows(DONE_WHEN[:2], klass=second_class, first_card=20)
    write_training(workspace / "考勤.xlsx", both)
    assert runner.invoke(app, ["training"]).exit_code == 0
    output = workspace / "output"
    gone = output / "培训/2023年第二期厨师培训班"
    assert sorted(p.name for p in gone.iterdir()) == ["签到表.xlsx", "花名册.xlsx", "误工补贴发放花名册.xlsx"]
    (gone / "签到表.xlsx").write_bytes((gone / "签到表.xlsx").read_bytes() + b"signed")

    write_training(workspace / "考勤.xlsx", trainee_rows(DONE_WHEN))  # the second class is dropped
    result = runner.invoke(app, ["training"])
    assert result.exit_code == 0, result.output
    flat = result.output.replace("\n", "")
    assert "已删除上次生成、本次不再需要的 2 个文件" in flat
    assert [p.name for p in gone.iterdir()] == ["签到表.xlsx"]  # edited since: kept, and said so
    assert "2023年第二期厨师培训班/签到表.xlsx" in flat and "修改过" in flat
    assert (output / PAYROLL).is_file()
    summary = load_workbook(output / "培训/培训补贴汇总表.xlsx").active
    assert "2023年第二期厨师培训班" not in {c for row in summary.iter_rows(values_only=True) for c in row}
