"""How every download of the 工作台 is named: one Content-Disposition for files of the output folder,
blank workbooks, the card template and marked copies alike."""

from __future__ import annotations

from urllib.parse import quote

SAFE = frozenset(".-_")


def attachment(name: str) -> str:
    """A Content-Disposition header for a download named `name` (RFC 6266 / RFC 5987): a plain ASCII
    fallback (letters, digits and `.-_`; anything else `_`), then the UTF-8 name every current browser
    uses, so a Chinese name survives."""
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in SAFE) else "_" for c in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
