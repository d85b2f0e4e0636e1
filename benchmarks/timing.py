"""`timed`: how long one call takes, with what it returned (the web benchmarks time page requests);
`as_installed()`: the environment a command is timed in; `run_script`: a script in a fresh process,
its last line, wall and CPU time."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")


def timed(action: Callable[[], Result]) -> tuple[float, Result]:
    """(seconds, result) of `action()`."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def as_installed() -> dict[str, str]:
    """This environment, with Python keeping compiled modules as on an office's machine (pip compiles
    the installed packages; the first run compiles fanpin_docs' own). This sandbox sets
    PYTHONDONTWRITEBYTECODE=1, which would make every timed run compile its 190 modules again
    (≈ 0.1–0.2 s of start-up that no user waits for)."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run_script(code: str, *arguments: object) -> tuple[list[str], float, float]:
    """`code` run by this Python in a fresh process with `arguments`, as installed: its last output line,
    split, its wall time (interpreter start and exit included) and the CPU time (user + system) it used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code, *map(str, arguments)],
        capture_output=True,
        text=True,
        check=True,
        env=as_installed(),
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return result.stdout.split("\n")[-2].split(), wall, cpu
