"""What every command shares: the option types, the error handler and the console."""

from __future__ import annotations

import contextlib
import functools
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

try:  # Typer 0.20 and later carry their own Click (a separately installed click is not the one in use)
    from typer._click.globals import get_current_context
except ImportError:
    from click import get_current_context  # type: ignore[no-redef]

from ..failures import describe_failure

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


@contextlib.contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr, gone when the work is done; yields the (done, total) callback the
    library functions take."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


RosterOption = Annotated[
    Path | None, typer.Option("--roster", help="户籍/监测名单工作簿（.xlsx）", show_default=False)
]
MeasuresOption = Annotated[
    Path | None, typer.Option("--measures", help="帮扶措施台账工作簿", show_default=False)
]
TrainingOption = Annotated[Path | None, typer.Option("--training", help="培训考勤工作簿", show_default=False)]
ProjectsOption = Annotated[Path | None, typer.Option("--projects", help="项目申报工作簿", show_default=False)]
PolicyOption = Annotated[
    str | None,
    typer.Option("--policy", help="政策：内置名称（如 qianjiang-2023）或 .toml 文件路径", show_default=False),
]
OutOption = Annotated[
    Path | None, typer.Option("--out", help="输出文件夹（默认：工作区的 output/）", show_default=False)
]
ForceOption = Annotated[bool, typer.Option("--force", help="覆盖上次生成后被修改过的文件")]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="成文日期，如 2023-06-20（默认：fanpin.toml [documents] date，否则每份文书按规则确定；"
        "不符合规则时报错，见 README「每份文书的日期」）",
        show_default=False,
    ),
]

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(function: F) -> F:
    """Tell a failed command's error as `failures.describe_failure` words it, in red, and exit with its
    code; with --debug, a user's error also shows its traceback and a bug is raised as it is."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except (Exception, KeyboardInterrupt) as error:
            failure = describe_failure(error)
            debug = invocation().debug
            if debug and failure.kind in ("os", "internal"):
                raise
            if debug and failure.kind == "user":
                err_console.print(traceback.format_exc(), markup=False)
            style = "yellow" if failure.kind == "interrupted" else "bold red"
            err_console.print(f"[{style}]{failure.headline}[/]{_escape(failure.detail)}")
            raise typer.Exit(failure.exit_code) from None

    return wrapper  # type: ignore[return-value]


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def date_option(text: str | None, option: str = "--start") -> date | None:
    """A date given on the command line (2024-05-10, 2024年5月10日, 2024.5.10), or None."""
    from ..dates import given_date  # with the holiday calendar: only when a date is given

    return given_date(text, f"{option} 的日期")


@dataclass
class Invocation:
    """What one run of `fanpin` keeps across its commands: whether --debug was given, and the notes
    already shown (`fanpin demo` runs several commands in one, and they share the policy's notes).
    It lives on the root Click context (`ctx.obj`), not in a module global."""

    debug: bool = False
    shown_notes: set[str] = field(default_factory=set)


def invocation() -> Invocation:
    """The running command's `Invocation`; a fresh one when no command runs (a library call)."""
    context = get_current_context(silent=True)
    if context is None:
        return Invocation()
    root = context.find_root()
    if not isinstance(root.obj, Invocation):
        root.obj = Invocation()
    return root.obj


def start_invocation(context: typer.Context, debug: bool) -> None:
    """Called once per run of `fanpin`, by the root callback."""
    context.obj = Invocation(debug=debug)


def print_notes(notes: list[str]) -> None:
    """Each note once per invocation of `fanpin`."""
    shown = invocation().shown_notes
    for note in notes:
        if note in shown:
            continue
        shown.add(note)
        err_console.print(f"[yellow]提示：[/]{_escape(note)}")
