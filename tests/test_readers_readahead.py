"""The sheet scan's read-ahead: the same chunks as a plain read, errors where a plain read raises them,
and a stream never closed while the thread still reads it."""

from __future__ import annotations

import io
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest

from fanpin_docs.readers.readahead import read_ahead


def plain_chunks(stream: io.BufferedIOBase, size: int) -> list[bytes]:
    chunks = []
    while chunk := stream.read(size):
        chunks.append(chunk)
    return [*chunks, b""]


def test_the_chunks_are_those_of_a_plain_read_of_the_part(tmp_path: Path) -> None:
    text = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n * 7) for n in range(1, 40_000))
    path = tmp_path / "book.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", text)
    with zipfile.ZipFile(path) as archive:
        with archive.open("xl/worksheets/sheet1.xml") as stream:
            expected = plain_chunks(stream, 64 * 1024)
        with archive.open("xl/worksheets/sheet1.xml") as stream, read_ahead(stream, 64 * 1024) as chunks:
            got = list(chunks)
    assert len(expected) > 10
    assert got == expected
    assert b"".join(got) == text


def test_a_damaged_part_raises_where_its_chunk_is_taken(tmp_path: Path) -> None:
    path = tmp_path / "book.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("sheet.xml", b"<row/>" * 100_000)
    damaged = bytearray(path.read_bytes())
    damaged[300_000] ^= 0xFF  # the stored bytes no longer match their CRC
    path.write_bytes(bytes(damaged))

    def read(chunks_of: Callable[[IO[bytes]], Iterator[bytes]]) -> tuple[list[bytes], str]:
        taken: list[bytes] = []
        with (
            zipfile.ZipFile(path) as archive,
            archive.open("sheet.xml") as stream,
            pytest.raises(zipfile.BadZipFile) as raised,
        ):
            for chunk in chunks_of(stream):
                taken.append(chunk)
        return taken, str(raised.value)

    def plain(stream: IO[bytes]) -> Iterator[bytes]:
        while chunk := stream.read(4096):
            yield chunk

    def ahead(stream: IO[bytes]) -> Iterator[bytes]:
        with read_ahead(stream, 4096) as chunks:
            yield from chunks

    expected = read(plain)
    assert read(ahead) == expected
    assert len(expected[0]) > 100  # the CRC is checked when the part ends


class SlowStream(io.RawIOBase):
    """A stream whose reads take a while, noting whether it was closed while one was under way."""

    def __init__(self) -> None:
        self.reading = threading.Event()
        self.closed_while_reading = False

    def read(self, size: int = -1) -> bytes:
        self.reading.set()
        time.sleep(0.2)
        self.reading.clear()
        return b"x" * size

    def close(self) -> None:
        self.closed_while_reading = self.closed_while_reading or self.reading.is_set()
        super().close()


def test_leaving_early_waits_for_the_read_under_way_before_the_stream_is_closed() -> None:
    stream = SlowStream()
    with pytest.raises(ValueError, match="the caller stopped"), stream, read_ahead(stream, 10) as chunks:
        for _ in chunks:
            assert stream.reading.wait(1)  # the next chunk is being read meanwhile
            raise ValueError("the caller stopped")
    assert stream.closed
    assert not stream.closed_while_reading
