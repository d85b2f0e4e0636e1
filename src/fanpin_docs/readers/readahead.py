"""A zip part read in chunks with the next chunk inflated in a thread while the caller searches this one.

zlib lets go of the interpreter while it inflates (and while it checks the part's CRC), so on two
cores the inflating of a large sheet overlaps the searches of `sheetscan` instead of adding to them.
The chunks are those `stream.read(size)` gives, in order, ending with an empty one; an error reading
the part is raised where its chunk is taken, as a plain read would raise it.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import IO


@contextmanager
def read_ahead(stream: IO[bytes], size: int) -> Iterator[Iterator[bytes]]:
    """The stream's chunks of `size` bytes, then b"". On leaving, a read still under way is waited for
    (one chunk), so the stream can be closed after this context: never while a thread reads it."""
    with ThreadPoolExecutor(1, thread_name_prefix="fanpin-read-ahead") as reader:

        def chunks() -> Iterator[bytes]:
            upcoming = reader.submit(stream.read, size)
            while True:
                chunk = upcoming.result()
                if chunk:
                    upcoming = reader.submit(stream.read, size)
                yield chunk
                if not chunk:
                    return

        yield chunks()
