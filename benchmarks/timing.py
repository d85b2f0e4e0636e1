"""`timed`: how long one call takes, with what it returned (the web benchmarks time page requests);
`as_installed()`: the environment a command is timed in."""

from __future__ import annotations

import os
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
