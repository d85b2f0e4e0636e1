"""The `fanpin` command line: a thin layer over the library. Commands live in `fanpin_docs.commands`."""

from __future__ import annotations

import importlib
import importlib.machinery
import pkgutil
import sys
from typing import Annotated, Any

import typer
from rich.markup import escape

from . import __version__, commands
from .commands._common import console, err_console, start_invocation

RICH_TEXTS = {
    "OPTIONS_PANEL_TITLE": "选项",
    "ARGUMENTS_PANEL_TITLE": "参数",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已取消。",
    "DEFAULT_STRING": "[默认：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "RICH_HELP": "用 [blue]'{command_path} {help_option}'[/] 查看帮助。",
}
RICH_UTILS = "typer.rich_utils"


class _ChineseRichTexts:
    """Sets `RICH_TEXTS` in `typer.rich_utils` as soon as Typer imports it (to show help or an error):
    importing it at start (with rich's Markdown) would cost every command ≈ 0.1 s. A meta path finder
    by its `find_spec` alone (importlib.abc, its base class, would import importlib.resources: ≈ 30 ms)."""

    def find_spec(
        self, name: str, path: Any = None, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        if name != RICH_UTILS:
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if finder is not self and find is not None else None
            if spec is not None and spec.loader is not None:
                break
        else:
            return None
        loader = spec.loader
        load = loader.exec_module

        def exec_module(module: Any) -> None:
            load(module)
            _set_rich_texts(module)

        loader.exec_module = exec_module
        return spec


def _set_rich_texts(rich_utils: Any) -> None:
    for name, text in RICH_TEXTS.items():
        setattr(rich_utils, name, text)


def _use_chinese_help_texts() -> None:
    """Typer's fixed help strings are English and not translatable through gettext; set the few
    a user sees in `--help` and in usage errors to Chinese (those of `typer.rich_utils` when Typer
    imports it)."""
    if RICH_UTILS in sys.modules:
        _set_rich_texts(sys.modules[RICH_UTILS])
    elif not any(isinstance(finder, _ChineseRichTexts) for finder in sys.meta_path):
        sys.meta_path.insert(0, _ChineseRichTexts())
    try:
        from typer._click.core import Command
    except ImportError:  # another Typer layout: keep its English help-option text
        return
    original = Command.get_help_option

    def get_help_option(self, ctx):
        option = original(self, ctx)
        if option is not None:
            option.help = "显示帮助信息并退出"
            # not given, the flag is False rather than None: Typer then skips coercing it, which would
            # import pydantic (≈0.1 s) on every `fanpin <command> --help` just for the group's own flag
            option.default = False
        return option

    Command.get_help_option = get_help_option  # type: ignore[method-assign]


_use_chinese_help_texts()

app = typer.Typer(
    name="fanpin",
    help="防返贫文书：根据户籍监测名单、帮扶台账、培训考勤和项目表，按本县政策批量生成明白卡、培训花名册、项目申报表和实施方案。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        console.print(f"fanpin-docs {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    context: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", help="显示版本号并退出", callback=_version, is_eager=True)
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="出错时显示完整的调试信息（traceback）")] = False,
) -> None:
    """防返贫文书 fanpin-docs"""
    start_invocation(context, debug)


for _module in sorted(m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")):
    importlib.import_module(f"{commands.__name__}.{_module}").register(app)


def main() -> None:
    """The console script: usage errors (an unknown option, a missing value) are told in Chinese."""
    try:
        from typer._click import exceptions as usage
    except ImportError:  # another Typer layout: its own (English) usage messages
        app()
        return
    try:
        code = app(standalone_mode=False)
    except usage.NoArgsIsHelpError:
        sys.exit(2)  # the help was shown
    except usage.UsageError as error:
        err_console.print(f"[bold red]错误：[/]{escape(_usage_message(error, usage))}")
        command = error.ctx.command_path if error.ctx is not None else "fanpin"
        err_console.print(f"用 {command} -h 查看用法。", markup=False)
        sys.exit(2)
    except usage.ClickException as error:
        err_console.print(f"[bold red]错误：[/]{escape(error.format_message())}")
        sys.exit(error.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


def _usage_message(error: Exception, usage: Any) -> str:
    if isinstance(error, usage.NoSuchOption):
        hint = f"（是不是 {'、'.join(error.possibilities)}？）" if error.possibilities else ""
        return f"没有 {error.option_name} 这个选项{hint}"
    if isinstance(error, usage.BadOptionUsage) and "requires an argument" in error.format_message():
        return f"选项 {error.option_name} 后面要写上取值"
    if isinstance(error, usage.MissingParameter):
        return f"缺少必需的参数 {error.param_hint or ''}".strip()
    if isinstance(error, usage.BadParameter):
        param = getattr(error, "param", None)
        name = "/".join(param.opts) if param is not None and param.opts else (error.param_hint or "")
        return f"{name} 的取值不对，请按帮助中的说明填写".strip()
    message = error.format_message() if hasattr(error, "format_message") else str(error)
    if message.startswith("No such command"):
        return f"没有这个命令：{message.split(chr(39))[1] if chr(39) in message else message}"
    return f"命令用法不对：{message}"
