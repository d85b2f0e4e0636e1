"""Writing many cards: one job per village (its cards, then its print file), in worker processes.

Each file is written through the run's `OutputDir` (`write_planned`: noted in its journal, written under
a temporary name beside its final name and moved into place), so an error,
Ctrl-C or SIGTERM never leaves a half-written file under a final name. On interruption the main
process tells the workers to stop after the file they are writing, collects what they wrote (so the
manifest knows every finished file) and removes any temporary file left by a worker.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..documents import Progress  # (cards done, cards in the batch)
from ..errors import OutputError
from ..output import TEMP_MARK, OutputDir
from ..processes import process_context, start_pool, worker_count
from ..templating import DocxSource
from .render import CardRenderer, RenderedBody


class CardJob(Protocol):
    """A card to write (`data.Card`): its path relative to the output folder and its template context,
    made in the process that renders it and not kept after."""

    @property
    def path(self) -> str: ...

    def passing_context(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True)
class VillageJob:
    """One village: its cards and, if complete, its print file."""

    township: str
    village: str
    cards: tuple[CardJob, ...]
    print_path: str | None  # None when only some households of the village are in the batch


@dataclass
class JobResult:
    complete: bool = True
    error: tuple[str, str] | None = None  # (message, hint) of an OutputError


@dataclass(frozen=True)
class RenderSettings:
    source: DocxSource
    timestamp: str
    shared_fields: tuple[str, ...]
    root: Path


# --- the job (runs in a worker, or in the main process with --workers 1) -----------------------


def run_job(
    job: VillageJob,
    renderer: CardRenderer,
    output: OutputDir,
    *,
    should_stop: Callable[[], bool],
    on_card: Callable[[], None],
    on_written: Callable[[str, str], None],
) -> bool:
    """Write a village's cards and print file; False if stopped before the end."""
    bodies: list[RenderedBody] = []
    first_context: Mapping[str, Any] = {}
    for card in job.cards:
        if should_stop():
            return False
        context = card.passing_context()
        data, body = renderer.card(context)
        on_written(card.path, output.write_planned(card.path, data))
        if not bodies:
            first_context = context
        bodies.append(body)
        on_card()
    if job.print_path is not None and bodies:
        if should_stop():
            return False
        print_file = renderer.print_file(bodies, first_context)
        on_written(job.print_path, output.write_planned(job.print_path, print_file))
    return True


# --- worker processes -------------------------------------------------------------------------

_worker: dict[str, Any] = {}


def _init_worker(
    settings: RenderSettings,
    output: OutputDir,
    stop: Any,
    written: Any,
    jobs: Sequence[VillageJob] = (),
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides; workers stop between files
    with contextlib.suppress(AttributeError, ValueError):
        signal.signal(signal.SIGTERM, lambda *_: _worker.__setitem__("terminated", True))
    _worker.update(
        renderer=CardRenderer(
            settings.source, timestamp=settings.timestamp, shared_fields=settings.shared_fields
        ),
        output=output,
        stop=stop,
        written=written,
        jobs=jobs,
        terminated=False,
    )


def _worker_job(job: VillageJob | int) -> JobResult:
    """Run one job in a worker (given, or by its number in the jobs a forked worker inherited); each
    finished file is reported at once (path, hash, whether a card), so the main process knows it even if
    this worker dies later."""
    village: VillageJob = _worker["jobs"][job] if isinstance(job, int) else job
    result = JobResult()
    written = _worker["written"]
    cards = {card.path for card in village.cards}
    try:
        result.complete = run_job(
            village,
            _worker["renderer"],
            _worker["output"],
            should_stop=lambda: _worker["terminated"] or _worker["stop"].is_set(),
            on_card=lambda: None,
            on_written=lambda relative, digest: written.put((relative, digest, relative in cards)),
        )
    except OutputError as error:
        result.complete = False
        result.error = (error.message, error.hint)
    return result


# --- the batch --------------------------------------------------------------------------------


PARALLEL_FROM = 300  # cards; smaller batches are faster in one process


def choose_workers(requested: int | None, cards: int) -> int:
    return worker_count(requested, cards, parallel_from=PARALLEL_FROM)


def write_cards(
    jobs: Sequence[VillageJob],
    settings: RenderSettings,
    output: OutputDir,
    *,
    workers: int,
    progress: Progress | None = None,
    while_waiting: Callable[[Callable[[], None]], None] | None = None,
) -> None:
    """Write every job's files, recording each in `output`. `while_waiting(poll)` is run in the main
    process while workers render (e.g. building the manifest workbook); it should call `poll()` now and
    then to keep the progress bar moving. Raises OutputError, or KeyboardInterrupt when interrupted;
    in both cases every finished file is recorded and no temporary file is left."""
    total = sum(len(job.cards) for job in jobs)
    ordered = sorted(jobs, key=lambda job: -len(job.cards))  # big villages first: shorter tail
    with _interruptible() as interrupted:
        if workers <= 1 or len(jobs) <= 1:
            _write_in_process(ordered, settings, output, total, progress, while_waiting, interrupted)
        else:
            _write_in_pool(ordered, settings, output, workers, total, progress, while_waiting, interrupted)


def _write_in_process(
    jobs: Sequence[VillageJob],
    settings: RenderSettings,
    output: OutputDir,
    total: int,
    progress: Progress | None,
    while_waiting: Callable[[Callable[[], None]], None] | None,
    interrupted: Callable[[], None],
) -> None:
    if while_waiting is not None:
        while_waiting(interrupted)
    renderer = CardRenderer(
        settings.source, timestamp=settings.timestamp, shared_fields=settings.shared_fields
    )
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None and (done % 25 == 0 or done == total):
            progress(done, total)

    def should_stop() -> bool:
        interrupted()  # raises KeyboardInterrupt when a signal was noted
        return False

    for job in jobs:
        run_job(job, renderer, output, should_stop=should_stop, on_card=tick, on_written=output.record)


def _write_in_pool(
    jobs: Sequence[VillageJob],
    settings: RenderSettings,
    output: OutputDir,
    workers: int,
    total: int,
    progress: Progress | None,
    while_waiting: Callable[[Callable[[], None]], None] | None,
    interrupted: Callable[[], None],
) -> None:
    context = process_context()
    stop = context.Event()
    written = context.SimpleQueue()
    known = {p.pid for p in multiprocessing.active_children()}
    # Forked workers find the jobs in the memory they share with this process: only their numbers are
    # sent, not 10,000 households' data pickled and unpickled; each worker makes the template contexts
    # of the cards it renders. Frozen, the objects here are left alone by the workers' garbage
    # collector, so their pages stay shared, and by this process's while it builds the list workbook
    # (its full passes would walk the whole roster and every card again); thawed when the pool is done.
    inherit = context.get_start_method() == "fork"
    tasks: list[VillageJob | int] = list(range(len(jobs))) if inherit else list(jobs)
    gc.freeze()
    try:
        pool, submitted = start_pool(
            min(workers, len(jobs)),
            _worker_job,
            tasks,
            initializer=_init_worker,
            initargs=(settings, output, stop, written, jobs if inherit else ()),
            context=context,
        )
    except BaseException:
        gc.unfreeze()
        raise
    pending = set(submitted)
    pids = {p.pid for p in multiprocessing.active_children() if p.pid is not None} - known
    errors: list[tuple[str, str]] = []
    done_cards = [0]
    # Set while a report is read: Ctrl-C (or the 工作台's cancel) landing in the middle of a read can
    # leave the pipe between a message's length and its bytes, and reading on would wait forever. The
    # files reported after that are found in the journal by `save_manifest` instead.
    reading = [False]

    def poll() -> None:
        """Record the files workers finished since the last call; move the progress bar."""
        before = done_cards[0]
        while not reading[0] and not written.empty():
            reading[0] = True
            relative, digest, is_card = written.get()
            reading[0] = False
            output.record(relative, digest)
            done_cards[0] += is_card
        if progress is not None and done_cards[0] != before:
            progress(done_cards[0], total)

    def collect(done: set[Future[JobResult]]) -> None:
        for future in done:
            pending.discard(future)
            result = future.result()
            if result.error is not None:
                errors.append(result.error)
                stop.set()

    def keep_up() -> None:
        interrupted()
        poll()
        collect({f for f in pending if f.done()})

    try:
        if while_waiting is not None:
            while_waiting(keep_up)
        while pending:
            interrupted()
            done, _ = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            collect(done)
            poll()
        poll()
    except BrokenProcessPool:
        raise OutputError(
            "生成明白卡的工作进程意外退出（可能是内存不足），已写完的文件保留，未写完的没有留下",
            hint="关闭其他程序，或用 --workers 1 重新运行",
        ) from None
    except BaseException:
        stop.set()
        with contextlib.suppress(BaseException):
            while pending:  # workers stop after the file they are writing; keep reading what they report
                done, _ = wait(pending, timeout=0.1)
                poll()
                collect(done)
        raise
    finally:
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()
        with contextlib.suppress(BaseException):
            poll()
        _remove_temporaries(settings.root, jobs, pids)
    if errors:
        message, hint = errors[0]
        raise OutputError(message, hint=hint)


def _remove_temporaries(root: Path, jobs: Sequence[VillageJob], pids: set[int]) -> None:
    """Temporary files a worker may have left if it was killed; other runs' temporaries are not touched."""
    marks = tuple(f"{TEMP_MARK}{pid}-" for pid in pids)
    folders = {(root / path).parent for job in jobs for path in ([job.cards[0].path] if job.cards else [])}
    folders |= {(root / job.print_path).parent for job in jobs if job.print_path}
    for folder in folders:
        with contextlib.suppress(FileNotFoundError):
            for entry in os.scandir(folder):
                if entry.name.startswith(marks):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)


@contextlib.contextmanager
def _interruptible() -> Iterator[Callable[[], None]]:
    """During a batch, SIGTERM stops it like Ctrl-C (finished files kept, temporaries removed). Either
    signal is also noted, and the batch asks (the function given) between files: Python drops the
    KeyboardInterrupt a handler raises while it runs a clean-up callback (an import's lock, a weak
    reference), and the batch would go on to its end after a Ctrl-C."""
    noted = threading.Event()

    def interrupted() -> None:
        if noted.is_set():
            raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield interrupted
        return

    def interrupt(*_: object) -> None:
        noted.set()
        raise KeyboardInterrupt

    numbers = [signal.SIGTERM]
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not where Ctrl-C is ignored
        numbers.append(signal.SIGINT)
    previous = {number: signal.signal(number, interrupt) for number in numbers}
    try:
        yield interrupted
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
