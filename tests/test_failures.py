"""The one mapping from an error to what its user reads (`failures`), and the CLI glue around it."""

from __future__ import annotations

import errno
from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from fanpin_docs.commands import _common
from fanpin_docs.commands._common import handle_errors, invocation, print_notes, start_invocation
from fanpin_docs.errors import InputError, OutputError, Problem, TemplateError
from fanpin_docs.failures import describe_failure


def test_a_users_error_reads_as_its_message_and_hint() -> None:
    failure = describe_failure(TemplateError("模板「通知.docx」中没有正文", hint="换用内置模板"))
    assert (failure.headline, failure.exit_code, failure.kind) == ("错误：", 1, "user")
    assert failure.text == "错误：模板「通知.docx」中没有正文。处理办法：换用内置模板"
    assert not failure.is_bug


def test_an_input_error_lists_every_located_problem() -> None:
    problem = Problem(
        file="名单.xlsx", sheet="名单", row=7, column="身份证号", message="位数不对", hint="写 18 位"
    )
    failure = describe_failure(InputError([problem]))
    assert "文件「名单.xlsx」 工作表「名单」 第 7 行 列「身份证号」：位数不对" in failure.detail
    assert failure.exit_code == 1


def test_a_disk_error_is_told_in_chinese_with_its_file() -> None:
    failure = describe_failure(OSError(errno.ENOSPC, "No space left on device", "/data/名单.xlsx"))
    assert failure.text == (
        "错误：无法读写「/data/名单.xlsx」：磁盘已满。处理办法：清理磁盘空间，或用 --out 换到空间足够的磁盘"
    )
    assert failure.kind == "os" and failure.exit_code == 1 and "No space" not in failure.text


def test_ctrl_c_and_a_bug() -> None:
    interrupted = describe_failure(KeyboardInterrupt())
    assert (interrupted.text, interrupted.exit_code) == ("已中断，未完成的文件没有留下。", 130)
    bug = describe_failure(ZeroDivisionError("division by zero"))
    assert bug.is_bug and bug.exit_code == 2
    assert bug.text == "程序内部错误（ZeroDivisionError）。请加 --debug 重新运行，把输出发给维护人员。"
    assert "division" not in bug.text


def _app(error: BaseException | None = None) -> typer.Typer:
    """A two-command app wired as `fanpin` is: the root callback starts the invocation."""
    app = typer.Typer()

    @app.callback()
    def root(context: typer.Context, debug: Annotated[bool, typer.Option("--debug")] = False) -> None:
        start_invocation(context, debug)

    @app.command()
    def run() -> None:
        print_notes(["政策文件有补充设定", "政策文件有补充设定", "金额按元取整"])
        print_notes(["金额按元取整"])
        if error is not None:
            raise error

    @app.command()
    def other() -> None:
        pass

    app.command("fail")(handle_errors(run))
    return app


def test_the_cli_prints_the_mapped_message_and_exits_with_its_code() -> None:
    result = CliRunner().invoke(_app(OutputError("无法写入「a.docx」", hint="关闭文件")), ["fail"])
    assert result.exit_code == 1
    assert "错误：无法写入「a.docx」。处理办法：关闭文件" in result.output
    result = CliRunner().invoke(_app(ValueError("bad")), ["fail"])
    assert result.exit_code == 2 and "程序内部错误（ValueError）" in result.output
    assert "Traceback" not in result.output and "bad" not in result.output


def test_debug_shows_the_traceback_of_a_users_error_and_raises_a_bug() -> None:
    result = CliRunner().invoke(_app(OutputError("无法写入")), ["--debug", "fail"])
    assert result.exit_code == 1 and "Traceback" in result.output and "错误：无法写入" in result.output
    result = CliRunner().invoke(_app(ValueError("bad")), ["--debug", "fail"])
    assert isinstance(result.exception, ValueError)


def test_each_note_once_per_invocation_and_again_in_the_next() -> None:
    app = _app()
    for _ in range(2):  # a second run of the same app shows its notes again
        result = CliRunner().invoke(app, ["fail"])
        assert result.exit_code == 0
        assert result.output.count("提示：政策文件有补充设定") == 1
        assert result.output.count("提示：金额按元取整") == 1


def test_no_module_global_holds_a_runs_state() -> None:
    assert not hasattr(_common, "state") and not hasattr(_common, "_printed_notes")
    assert invocation() is not invocation()  # outside a command: a fresh one each time
    assert invocation().debug is False


@pytest.mark.parametrize("debug", [False, True])
def test_the_demo_runner_shares_the_invocation(debug: bool) -> None:
    """`fanpin demo` runs commands in-process with the same Invocation (its notes, its --debug)."""
    from fanpin_docs.commands._demo_runner import _invoke

    seen = []
    app = typer.Typer()

    @app.callback()
    def root(context: typer.Context, debug: Annotated[bool, typer.Option("--debug")] = False) -> None:
        start_invocation(context, debug)

    @app.command()
    def inner() -> None:
        seen.append(invocation())

    @app.command()
    def outer() -> None:
        command = typer.main.get_command(app).commands["inner"]  # type: ignore[attr-defined]
        assert _invoke(command, [], "fanpin inner") == 0
        seen.append(invocation())

    result = CliRunner().invoke(app, ["--debug", "outer"] if debug else ["outer"])
    assert result.exit_code == 0, result.output
    assert len(seen) == 2 and seen[0] is seen[1] and seen[0].debug is debug


def test_the_page_lists_the_first_problems_of_an_input_and_says_where_the_rest_are() -> None:
    from fanpin_docs.errors import InputError, Problem
    from fanpin_docs.web.wording import PAGE_PROBLEMS, page_failure

    problems = [Problem("名单.xlsx", "必填项为空", row=row, column="姓名") for row in range(2, 2 + 300)]
    problems.append(Problem("名单.xlsx", "（另有 4,978 处同样的问题）", column="姓名", count=4978))
    detail = page_failure(InputError(problems)).detail
    lines = detail.splitlines()
    assert lines[0] == "输入文件有 5,278 处问题需要修改：名单.xlsx"
    assert len(lines) == 1 + PAGE_PROBLEMS + 1 and "第 21 行" in lines[PAGE_PROBLEMS]
    assert "以上列出 20 处（共 5,278 处）" in lines[-1] and "「检查」页" in lines[-1]
