"""`fanpin --version` and `fanpin <command> --help` start without the libraries the commands use."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from fanpin_docs.cli import app
from fanpin_docs.constants import DEMO_HOUSEHOLDS, SETTINGS_FILE
from fanpin_docs.demo.township import DEMO_HOUSEHOLDS as TOWNSHIP_HOUSEHOLDS
from fanpin_docs.settings import SETTINGS_FILE as SETTINGS_SETTINGS_FILE

HEAVY = (
    "docx",
    "docxtpl",
    "openpyxl",
    "pydantic",
    "jinja2",
    "python_calamine",
    "pymupdf",
    "numpy",
    "lxml",
    "fanpin_docs.settings",
    "fanpin_docs.policy",
    "fanpin_docs.readers",
    "fanpin_docs.cards",
    "fanpin_docs.dates",  # with the holiday calendar: only when a date is given
    "fastapi",
    "uvicorn",
    "fanpin_docs.web",
)


def _loaded_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_loads_no_heavy_library():
    loaded = _loaded_after("import fanpin_docs.cli")
    assert "fanpin_docs.commands.check" in loaded  # the commands are registered
    assert [name for name in HEAVY if name in loaded] == []


def test_version_and_help_load_no_heavy_library():
    for argv in (["--version"], ["check", "--help"], ["cards", "--help"], ["ledger", "add", "--help"]):
        code = (
            "import contextlib, io\nfrom fanpin_docs.cli import app\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    try:\n        app({argv!r})\n    except SystemExit:\n        pass"
        )
        loaded = _loaded_after(code)
        # Typer itself converts option values with pydantic once it builds a command's parameters
        expected_there = {"pydantic"} if argv != ["--version"] else set()
        assert [name for name in HEAVY if name in loaded and name not in expected_there] == [], argv


def test_help_texts_still_name_the_shared_constants():
    assert SETTINGS_FILE == SETTINGS_SETTINGS_FILE and DEMO_HOUSEHOLDS == TOWNSHIP_HOUSEHOLDS
    runner = CliRunner()
    init_help = runner.invoke(app, ["init", "--help"], env={"COLUMNS": "200"})
    assert f"已有 {SETTINGS_FILE} 时重写它" in init_help.output
    demo_help = runner.invoke(app, ["demo", "--help"], env={"COLUMNS": "200"})
    assert f"[默认：{DEMO_HOUSEHOLDS}]" in demo_help.output


def test_command_help_does_not_load_pydantic():
    # the group's own --help flag, not given, is False: Typer does not build a pydantic converter for it
    code = (
        "import contextlib, io\nfrom fanpin_docs.cli import app\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        app(['check', '--help'])\n    except SystemExit:\n        pass"
    )
    assert "pydantic" not in _loaded_after(code)


def test_rich_help_texts_are_chinese_though_loaded_only_for_help_or_an_error():
    loaded = _loaded_after("import fanpin_docs.cli")
    assert "typer.rich_utils" not in loaded and "rich.markdown" not in loaded  # ≈ 0.1 s not spent
    probe = (
        "import contextlib, io\nfrom fanpin_docs.cli import app\nout = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    try:\n        app(['cards', '--help'])\n    except SystemExit:\n        pass\n"
        "from typer import rich_utils\nprint(rich_utils.OPTIONS_PANEL_TITLE, rich_utils.RICH_HELP)\n"
        "print('选项' in out.getvalue())"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    titles, shown = done.stdout.strip().splitlines()[-2:]
    assert titles.startswith("选项 用 ") and shown == "True"
