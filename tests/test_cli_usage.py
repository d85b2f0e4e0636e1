"""The console script tells usage mistakes in Chinese (Typer's own messages are English)."""

import subprocess
import sys

import pytest

FANPIN = [sys.executable, "-c", "from fanpin_docs.cli import main; main()"]


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["check", "--rostr", "名单.xlsx"], "没有 --rostr 这个选项（是不是 --roster？）"),
        (["cards", "--workers", "两个"], "--workers 的取值不对"),
        (["plan", "--year"], "选项 --year 后面要写上取值"),
        (["cardz"], "没有这个命令：cardz"),
    ],
)
def test_usage_mistakes_are_explained_in_chinese(arguments: list[str], expected: str) -> None:
    result = subprocess.run([*FANPIN, *arguments], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "查看用法" in result.stderr and "Traceback" not in result.stderr


def test_version_and_exit_codes_pass_through() -> None:
    version = subprocess.run([*FANPIN, "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and "fanpin-docs" in version.stdout
    missing = subprocess.run([*FANPIN, "check", "不存在.xlsx"], capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1 and "文件不存在" in missing.stderr
