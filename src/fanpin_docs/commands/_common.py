"""What every command shares: the option types, the error handler and the console."""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from ..dates import parse_date
from ..errors import FanpinError, SettingsError, os_reason

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)
state = {"debug": False}

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
    """Turn the package's errors into a red Chinese message and exit code 1; anything else into exit 2
    without a traceback (unless --debug)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except FanpinError as error:
            if state["debug"]:
                err_console.print(traceback.format_exc(), markup=False)
            err_console.print(f"[bold red]错误：[/]{_escape(str(error))}")
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            err_console.print("[yellow]已中断，未完成的文件没有留下。[/]")
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except OSError as error:  # a disk problem met outside the output folder's own checks
            if state["debug"]:
                raise
            reason, hint = os_reason(error)
            where = f"「{error.filename}」" if error.filename else "文件"
            err_console.print(f"[bold red]错误：[/]{_escape(f'无法读写{where}：{reason}。处理办法：{hint}')}")
            raise typer.Exit(1) from None
        except Exception as error:  # a bug, not the user's mistake: say so without a stack dump
            if state["debug"]:
                raise
            err_console.print(
                f"[bold red]程序内部错误[/]（{type(error).__name__}）。请加 --debug 重新运行，"
                "把输出发给维护人员。"
            )
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def date_option(text: str | None, option: str = "--start") -> date | None:
    """A date given on the command line (2024-05-10, 2024年5月10日, 2024.5.10), or None."""
    if text is None:
        return None
    try:
        return parse_date(text, month_only_ok=False)
    except ValueError as error:
        raise SettingsError(
            f"{option} 的日期「{text}」无法识别：{error}", hint="写作 2024-05-10 或 2024年5月10日"
        ) from None


def print_notes(notes: list[str]) -> None:
    """Each note once per invocation of `fanpin` (`fanpin demo` runs several commands in one, and
    they share the policy's notes)."""
    for note in notes:
        if note in _printed_notes:
            continue
        _printed_notes.add(note)
        err_console.print(f"[yellow]提示：[/]{_escape(note)}")


_printed_notes: set[str] = set()


def start_invocation(debug: bool) -> None:
    state["debug"] = debug
    _printed_notes.clear()
