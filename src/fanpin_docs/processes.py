"""Worker processes for large batches (the cards' villages, the training classes): one way to start them.

Processes are forked on Linux (cheap, and library callers need no `if __name__ == "__main__"` guard)
and spawned elsewhere; they are born ignoring Ctrl-C, so the parent alone stops a batch and reports it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import Any, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")


def worker_count(requested: int | None, jobs: int, *, parallel_from: int) -> int:
    """--workers when given; else one process below `parallel_from` jobs (starting processes costs more
    than it saves), else up to 4 of the machine's cores."""
    if requested is not None:
        return max(1, requested)
    if jobs < parallel_from:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def process_context() -> BaseContext:
    """fork on Linux, spawn elsewhere; also the context for queues and events shared with the workers."""
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def start_pool(
    workers: int,
    function: Callable[[Job], Result],
    jobs: Iterable[Job],
    *,
    initializer: Callable[..., None],
    initargs: tuple[Any, ...] = (),
    context: BaseContext | None = None,
) -> tuple[ProcessPoolExecutor, list[Future[Result]]]:
    """A pool of `workers` processes with every job submitted; the caller waits for the futures and shuts
    the pool down (`pool.shutdown(wait=True, cancel_futures=True)` in a `finally`)."""
    with workers_born_deaf_to_ctrl_c():  # the first submit starts the workers
        pool = ProcessPoolExecutor(
            workers, mp_context=context or process_context(), initializer=initializer, initargs=initargs
        )
        futures = [pool.submit(function, job) for job in jobs]
    return pool, futures


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
