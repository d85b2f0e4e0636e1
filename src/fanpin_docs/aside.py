"""Work done in a second process while this one goes on: the measures ledger parsed there while the
roster is read here (`readers.together`), a ledger period's fingerprints worked out there while its
rows are stored here (`ledger.importing`) — two cores instead of one.

The other process is forked on Linux and spawned elsewhere (`processes.process_context`), is born
deaf to Ctrl-C (the parent alone stops, and ends it), and sends its result back pickled through a
pipe. It never reports a failure of its own: when it cannot give a result (an exception, a value that
cannot be pickled, a process that cannot be started or dies, and when asked from any thread but the
main one: a fork copies the locks other threads hold), `result()` is None and the caller does the work
itself, so that every message is the one a run in one process gives.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import ForkContext, SpawnContext
from typing import Generic, TypeVar, cast

from .processes import process_context, workers_born_deaf_to_ctrl_c

Argument = TypeVar("Argument")
Result = TypeVar("Result")


class Aside(Generic[Result]):
    """`function(argument)` computed in another process; use as a context manager, which ends the
    process if its result was never taken (the caller failed first)."""

    def __init__(self, function: Callable[[Argument], Result | None], argument: Argument) -> None:
        context = cast("ForkContext | SpawnContext", process_context())
        self._receiver: Connection | None = None
        self._process = None
        if multiprocessing.current_process().daemon:  # a daemonic process may not start others
            return
        if threading.current_thread() is not threading.main_thread():
            return  # a thread of a server (the 工作台): a fork would copy locks its other threads hold
        try:
            receiver, sender = context.Pipe(duplex=False)
        except OSError:
            return
        try:
            process = context.Process(target=_run, args=(sender, function, argument), daemon=True)
            with workers_born_deaf_to_ctrl_c():
                process.start()
        except OSError:  # no process to be had (a limit on processes, no memory): work in this one
            receiver.close()
            return
        finally:
            sender.close()
        self._receiver, self._process = receiver, process

    @staticmethod
    def forks() -> bool:
        """Whether the other process is a fork of this one (it then has this one's data as it is,
        nothing pickled to start it)."""
        return process_context().get_start_method() == "fork"

    def result(self) -> Result | None:
        """The other process's result (waiting for it), or None when it has none to give."""
        if self._receiver is None:
            return None
        try:
            found: Result | None = self._receiver.recv()
        except (EOFError, OSError):  # the process died or was ended without sending
            found = None
        finally:
            self.close()
        return found

    def close(self) -> None:
        """End the other process if it is still at work, and release the pipe."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process.close()
            self._process = None
        if self._receiver is not None:
            self._receiver.close()
            self._receiver = None

    def __enter__(self) -> Aside[Result]:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _run(sender: Connection, function: Callable[[Argument], object], argument: Argument) -> None:
    """In the other process: compute and send the result; None when there is none to send."""
    try:
        result = function(argument)
    except BaseException:  # the caller does the work again and reports the failure itself
        result = None
    with contextlib.suppress(BaseException):  # the parent may be gone (ended, killed)
        try:
            sender.send(result)
        except BaseException:  # the result cannot be pickled: nothing was written yet
            sender.send(None)
    sender.close()
