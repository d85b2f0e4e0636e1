"""The roster and its measures ledger read together: a large ledger is parsed in another process
(`aside.Aside`) while this one reads the roster, then checked against the roster here — the same
records and the same problems in the same order as `load_roster` followed by `load_measures`, which
is what happens when the other process has no result to give (one core, a small ledger, a failure).
`fanpin check` uses the same two steps (`measures_aside`, `finish_measures`) for its roster and ledger."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..aside import Aside
from ..errors import Problem
from ..models import MeasureRecord, Roster
from .measures import ParsedMeasures, check_measures, load_measures, parse_measures_in_full
from .roster import load_roster

# a measures ledger this large (≈ 8,000 rows) is parsed in another process while the roster is read;
# a smaller one takes less time to parse than a process takes to start
ASIDE_FROM = 256 * 1024


def load_roster_and_measures(
    roster_path: Path, measures_path: Path | None, *, warnings: list[Problem] | None = None
) -> tuple[Roster, list[MeasureRecord] | None]:
    """The roster, and the measures ledger checked against it (None without one); the ledger's
    warnings are appended to `warnings` when a list is given (the roster's are on the roster)."""
    with measures_aside(measures_path) as aside:
        roster = load_roster(roster_path)
        if measures_path is None:
            return roster, None
        return roster, finish_measures(aside, measures_path, roster, warnings=warnings)


def finish_measures(
    aside: Aside[ParsedMeasures] | None,
    path: Path,
    roster: Roster | None,
    *,
    warnings: list[Problem] | None = None,
) -> list[MeasureRecord]:
    """The measures ledger at `path` checked against the roster: from what `aside` parsed, or read
    here when it has nothing to give (as `load_measures`)."""
    parsed = aside.result() if aside is not None else None
    if parsed is not None:
        return check_measures(parsed, roster, warnings=warnings)
    return load_measures(path, roster, warnings=warnings)


@contextmanager
def measures_aside(path: Path | None) -> Iterator[Aside[ParsedMeasures] | None]:
    """The measures ledger being parsed in another process, when it is worth one: a machine with more
    than one core and a ledger of at least `ASIDE_FROM` bytes; else None."""
    try:
        size = path.stat().st_size if path is not None else 0
    except OSError:  # the read in this process will say what is wrong with the file
        size = 0
    if path is None or size < ASIDE_FROM or (os.cpu_count() or 1) < 2:
        yield None
        return
    with Aside(parse_measures_in_full, path) as aside:
        yield aside
