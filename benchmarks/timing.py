"""`timed`: how long one call takes, with what it returned (the web benchmarks time page requests)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")


def timed(action: Callable[[], Result]) -> tuple[float, Result]:
    """(seconds, result) of `action()`."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result
