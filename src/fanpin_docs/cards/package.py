"""Writing .docx zips fast and byte-deterministically.

Parts that are the same in every card are compressed once per batch and copied as they are. A part
that changes is compressed in pieces with a sync flush: raw deflate pieces made that way can be
concatenated, so one household's compressed body serves both its own card and the village print
file. Entries are ordered like `output.normalize_office_zip` ([Content_Types].xml first, then by
name) and carry the fixed 1980-01-01 timestamp.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

COMPRESS_LEVEL = 6
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DOS_TIME = 0
_EXTERNAL_ATTR = 0o600 << 16
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_OFFSET = struct.Struct("<I")  # the central record's last field: where the local header starts


@dataclass(frozen=True)
class Deflated:
    """A piece of a part: its raw deflate bytes (sync-flushed, or finished if it is the last piece),
    the CRC-32 of its uncompressed bytes and their length."""

    data: bytes
    crc: int
    size: int


def deflate_piece(text: bytes, *, last: bool = False, level: int = COMPRESS_LEVEL) -> Deflated:
    return Deflated(deflate_raw(text, last=last, level=level), zlib.crc32(text), len(text))


def deflate_raw(text: bytes, *, last: bool = False, level: int = COMPRESS_LEVEL) -> bytes:
    """The raw deflate bytes of a piece, without its CRC (for a piece whose CRC is taken together with
    the pieces around it)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(text) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


@dataclass(frozen=True)
class Entry:
    """One zip entry ready to write: the compressed data of the whole part and its CRC and size."""

    name: str
    data: bytes | Sequence[bytes]  # deflated pieces, written one after another
    crc: int  # of the whole uncompressed part
    size: int

    @property
    def compressed_size(self) -> int:
        return len(self.data) if isinstance(self.data, bytes) else sum(len(p) for p in self.data)

    @cached_property
    def records(self) -> tuple[bytes, bytes, bytes, int]:
        """Its local header (name included), its central directory record up to the offset field, its
        name and compressed size: packed once, so a part that is the same in every card is packed once
        per batch (only the offset differs from one archive to the next)."""
        name = self.name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800
        compressed = self.compressed_size
        local = (
            _LOCAL.pack(
                0x04034B50, 20, flags, 8, _DOS_TIME, _DOS_DATE, self.crc, compressed, self.size, len(name), 0
            )
            + name
        )
        central = _CENTRAL.pack(
            0x02014B50,
            20,
            20,
            flags,
            8,
            _DOS_TIME,
            _DOS_DATE,
            self.crc,
            compressed,
            self.size,
            len(name),
            0,
            0,
            0,
            0,
            _EXTERNAL_ATTR,
            0,
        )
        return local, central[: -_OFFSET.size], name, compressed


def static_entry(name: str, content: bytes) -> Entry:
    piece = deflate_piece(content, last=True)
    return Entry(name, piece.data, piece.crc, piece.size)


def order(names: Iterable[str]) -> list[str]:
    return sorted(names, key=lambda n: (n != "[Content_Types].xml", n))


def zip_bytes(entries: Sequence[Entry]) -> bytes:
    """The zip archive of the entries, in the order given."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for entry in entries:
        local, central_head, name, compressed = entry.records
        out.append(local)
        if isinstance(entry.data, bytes):
            out.append(entry.data)
        else:
            out.extend(entry.data)
        central.append(central_head + _OFFSET.pack(offset) + name)
        offset += len(local) + compressed
    directory = b"".join(central)
    end = _END.pack(0x06054B50, 0, 0, len(entries), len(entries), len(directory), offset, 0)
    return b"".join(out) + directory + end
