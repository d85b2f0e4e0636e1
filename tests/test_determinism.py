"""Same inputs, policy and templates → byte-identical documents, for every document command."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from fanpin_docs.cli import app
from fanpin_docs.commands._demo_runner import DOCUMENT_COMMANDS
from fanpin_docs.output import MANIFEST

DATA = Path(__file__).parents[1] / "data"
ROSTER = ["--roster", str(DATA / "户籍监测名单.xlsx")]
COMMANDS = {
    "cards": ["cards", *ROSTER, "--measures", str(DATA / "帮扶措施台账.xlsx"), "--workers", "1"],
    # no --start/--date: the documents are dated by rule from the inputs, with no clock involved
    "training": ["training", "--training", str(DATA / "培训考勤表.xlsx"), *ROSTER],
    "projects": ["projects", "--projects", str(DATA / "项目申报表.xlsx"), *ROSTER],
    "plan": ["plan", *ROSTER],
    "notice-industry": [
        "notice",
        "industry",
        *ROSTER,
        "--measures",
        str(DATA / "帮扶措施台账.xlsx"),
    ],
    "notice-training": ["notice", "training", "--training", str(DATA / "培训考勤表.xlsx"), *ROSTER],
    "notice-allowance": ["notice", "allowance", "--training", str(DATA / "培训考勤表.xlsx"), *ROSTER],
}


def test_every_document_command_is_covered() -> None:
    """Each document command (a group: each of its subcommands) has its run above."""
    group: Any = typer.main.get_command(app)
    names = set()
    for name in DOCUMENT_COMMANDS:
        command = group.commands[name]
        subcommands = getattr(command, "commands", None)
        names |= {f"{name}-{sub}" for sub in subcommands} if subcommands else {name}
    assert "notice-allowance" in names
    assert names == set(COMMANDS)


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }


@pytest.mark.parametrize("name", list(COMMANDS))
def test_two_runs_give_identical_bytes(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # outside any workspace
    runs = []
    for run in ("first", "second"):
        out = tmp_path / run
        result = CliRunner().invoke(app, [*COMMANDS[name], "--policy", "qianjiang-2023", "--out", str(out)])
        assert result.exit_code == 0, result.output
        runs.append(_digests(out))
    assert runs[0], "the command wrote nothing"
    assert any(p.endswith((".docx", ".xlsx")) for p in runs[0])
    assert runs[0] == runs[1]
