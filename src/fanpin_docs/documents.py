"""Writing a set of documents into the run's output folder in one step: every path checked before the
first is written, the manifest saved whatever happens; what was written and what the user should know."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import docx.document

from .output import OutputDir


@dataclass(frozen=True)
class WrittenDocuments:
    paths: tuple[Path, ...]
    notes: tuple[str, ...]  # defaulted settings and rows left out, for the user


def write_documents(
    output: OutputDir, documents: Mapping[str, docx.document.Document], notes: Iterable[str] = ()
) -> WrittenDocuments:
    """Write `documents` (relative path → document) under `output`."""
    output.guard(list(documents))
    try:
        paths = tuple(output.write_office(relative, document) for relative, document in documents.items())
    finally:
        output.save_manifest()
    return WrittenDocuments(paths=paths, notes=tuple(notes))
