"""Worker processes for large batches."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


@contextlib.contextmanager
def workers_born_deaf_to_ctrl_c() -> Iterator[None]:
    """Ignore Ctrl-C while worker processes are forked, so that none is born with Python's handler and
    prints a KeyboardInterrupt traceback before its initializer runs. The parent's handler is restored
    at once, and the parent stops the batch as usual."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
