import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import os

import pytest

# FANPIN_TEST_PIECES=1: every .xlsx sheet is read in pieces as it is scanned, a piece for each few
# hundred bytes of its XML (tests/test_readers_pieces.py runs the reader tests so, to show the pieces
# read every workbook as the whole sheet does)
PIECES_EVERYWHERE = os.environ.get("FANPIN_TEST_PIECES") == "1"


@pytest.fixture(autouse=PIECES_EVERYWHERE)
def pieces_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read every .xlsx sheet in small pieces (opt in with the fixture, or for all tests with the
    environment variable)."""
    from fanpin_docs.readers import opening, pieces, sheetscan

    monkeypatch.setattr(opening, "PIECES_FROM", 0)
    monkeypatch.setattr(pieces, "PIECE_BYTES", 1)
    monkeypatch.setattr(sheetscan, "CHUNK", 256)
