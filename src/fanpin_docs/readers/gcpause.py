"""Reading a large export without Python's cyclic garbage collector running over it again and again.

A 100,000-person roster makes millions of small objects that all stay alive (cells, rows, people);
each full collection walks all of them and finds nothing to free, which costs about a quarter of the
reading time. The collector is paused while a workbook is read and turned back on afterwards (only if
it was on: a read inside another read leaves it to the outer one). Reference counting still frees
everything that is dropped, so memory is not held longer.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def without_gc(function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` with the cyclic garbage collector paused."""

    @wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused
