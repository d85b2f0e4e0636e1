"""Running the app's own commands in-process inside a workspace, as `fanpin demo` does.

The document commands are found at run time among the commands registered on the Typer app, so
the demo runs whatever exists. A command whose required argument is a choice (an Enum or Literal)
is run once per choice; one with another required argument is skipped and said so.
"""

from __future__ import annotations

import contextlib
import enum
import itertools
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer

from ..output import MANIFEST
from ._common import err_console, invocation

DOCUMENT_COMMANDS = ("cards", "training", "projects", "plan", "notice")


@dataclass
class CommandRun:
    """One in-process run: the command line, its exit code and the output files it wrote."""

    args: tuple[str, ...]
    exit_code: int | None = None  # None: not run
    files: list[Path] = field(default_factory=list)
    note: str = ""

    @property
    def label(self) -> str:
        return "fanpin " + " ".join(self.args)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


def plan_runs(
    app: typer.Typer, names: Sequence[str] = DOCUMENT_COMMANDS
) -> tuple[list[CommandRun], list[str]]:
    """The runs for the registered commands among `names`, and the names that are not registered."""
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    runs: list[CommandRun] = []
    missing = []
    for name in names:
        command = commands.get(name)
        if command is None:
            missing.append(name)
            continue
        runs += _runs_of(command, (name,))
    return runs, missing


def _runs_of(command: Any, prefix: tuple[str, ...]) -> list[CommandRun]:
    subcommands = getattr(command, "commands", None)
    if subcommands:  # a group: every subcommand in turn
        return [run for sub, inner in subcommands.items() for run in _runs_of(inner, (*prefix, sub))]
    choice_lists: list[tuple[str, ...]] = []
    for param in command.params:
        if not getattr(param, "required", False):
            continue
        choices = _choices(param)
        if getattr(param, "param_type_name", "") != "argument" or not choices:
            return [CommandRun(prefix, note=f"需要参数 {param.name}，演示中跳过")]
        choice_lists.append(choices)
    return [CommandRun((*prefix, *combination)) for combination in itertools.product(*choice_lists)]


def _choices(param: Any) -> tuple[str, ...]:
    """The values a parameter accepts when it is a choice (click.Choice, Enum or Literal)."""
    listed = getattr(getattr(param, "type", None), "choices", None)
    if listed:
        return tuple(str(getattr(c, "value", c)) for c in listed)
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return tuple(str(member.value) for member in annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return tuple(str(value) for value in typing.get_args(annotation))
    return ()


def run_in(
    app: typer.Typer, workspace: Path, output_dir: Path, runs: Iterable[CommandRun]
) -> list[CommandRun]:
    """Run each command with `workspace` as the working directory; note the files each one wrote."""
    group = typer.main.get_command(app)
    done = []
    for run in runs:
        if run.note:
            done.append(run)
            continue
        command: Any = group
        arguments = list(run.args)
        while getattr(command, "commands", None) and arguments and arguments[0] in command.commands:
            command = command.commands[arguments.pop(0)]
        before = _snapshot(output_dir)
        with contextlib.chdir(workspace):
            run.exit_code = _invoke(command, arguments, run.label)
        after = _snapshot(output_dir)
        run.files = sorted(path for path, stamp in after.items() if before.get(path) != stamp)
        done.append(run)
    return done


def _invoke(command: Any, arguments: list[str], label: str) -> int:
    try:
        result = command.main(args=arguments, prog_name=label, standalone_mode=False, obj=invocation())
    except (KeyboardInterrupt, typer.Abort):
        raise
    except Exception as error:  # a usage error, or a bug outside handle_errors: report it and go on
        if invocation().debug:
            raise
        message = error.format_message() if hasattr(error, "format_message") else type(error).__name__
        err_console.print(f"[red]{label} 未能运行：[/]{message}", markup=True)
        return int(getattr(error, "exit_code", 2) or 2)
    return result if isinstance(result, int) else 0


def _snapshot(folder: Path) -> dict[Path, tuple[int, int]]:
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder): (path.stat().st_mtime_ns, path.stat().st_size)
        for path in folder.rglob("*")
        if path.is_file() and path.name != MANIFEST
    }
