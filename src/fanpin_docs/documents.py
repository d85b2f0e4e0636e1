"""What every document family shares: its result (`Report`), its progress callback, and writing one
batch of files into the run's output folder (`writing`: every path checked before the first is written,
the manifest saved — and the folder's lock given back — whatever happens).

Each family (cards, training, projects, plan, notices) offers one entry point of the same shape::

    report = <family>.run(context, options, progress)   # → Report(files, notes, outdated, totals, detail)

`context` is the run (`fanpin_docs.context.RunContext`), `options` the family's own dataclass (what
its command-line options say), `progress(done, total)` is called as files are written, or None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Generic, TypeVar

import docx.document

from .output import Outdated, OutputDir

Progress = Callable[[int, int], None]  # (done, total)
Detail = TypeVar("Detail")


@dataclass(frozen=True)
class Report(Generic[Detail]):
    """What one family run wrote and what the user should know."""

    files: tuple[Path, ...]  # every file written
    notes: tuple[str, ...]  # defaulted settings, rows left out, warnings — for the user
    outdated: Outdated = Outdated()  # an earlier run's files this run no longer makes
    totals: Mapping[str, int | Decimal] = field(default_factory=dict)  # e.g. 户数, 金额
    detail: Detail | None = None  # the family's own result (findings, facts, timings)


@contextmanager
def writing(output: OutputDir, planned: Sequence[str]) -> Iterator[OutputDir]:
    """One batch: take the folder's lock and refuse the batch before anything is written if a planned
    path cannot be written or would overwrite an edited file (`OutputDir.guard`); on the way out,
    also after an error or Ctrl-C, save the manifest and give the lock back."""
    output.guard(list(planned))
    try:
        yield output
    finally:
        output.save_manifest()  # after an interruption too: the files already written are the tool's


def write_documents(
    output: OutputDir, documents: Mapping[str, docx.document.Document], notes: Iterable[str] = ()
) -> Report[None]:
    """Write `documents` (relative path → document) under `output` as one batch."""
    with writing(output, list(documents)):
        paths = tuple(output.write_office(relative, document) for relative, document in documents.items())
    return Report(files=paths, notes=tuple(notes))
