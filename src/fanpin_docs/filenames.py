"""File and folder names made from data (村名、户编号、姓名、培训班、项目名称): valid on Windows and
Linux, short enough to copy, and never two values on one name.

`clean(text)` makes one name Windows accepts: no \\ / : * ? " < > | or control characters (each
becomes 「_」), no invisible format characters (zero-width spaces, right-to-left overrides: removed),
no leading or trailing spaces, no leading dot (hidden on Linux) or trailing dot (dropped by Windows),
not a reserved device name (CON, NUL, COM1.txt … get a leading 「_」). A name longer than `limit`
characters (or 3 × `limit` bytes in UTF-8) is cut and ends in 「~」 and six hex digits of a hash of
the whole value, so two long values that start alike still differ.

Limits: every name made here is at most 60 characters and 180 bytes, so a file name with its fixed
parts (「关于举办…的通知.docx」) stays under the 255 bytes Linux and Windows allow. The longest
relative path the tool writes (明白卡/乡镇/行政村/户编号_户主.docx, 40 + 40 + 40 + 20 characters)
is about 155 characters: an output folder whose own path is up to 100 characters keeps every file
under the 260 characters Windows Explorer and older programs can open.

`unique_names(values)` gives each distinct value its own name in one folder: values that clean to
the same name (case-insensitively, as on Windows) get 「（2）」, 「（3）」…; a value that needed no
cleaning keeps the plain name, the others follow in sorted order, so the choice does not depend on
the order of the rows. What was renamed is returned for the user's notes.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

LIMIT = 60
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])", re.IGNORECASE)
_HASH_DIGITS = 6
# Unicode's format characters (category Cf): soft hyphen, zero-width spaces and joiners, direction
# marks and overrides (RLO), byte-order mark, invisible operators, tags
_INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)


def clean(text: str, *, limit: int = LIMIT, fallback: str = "_") -> str:
    """`text` as one file or folder name (see the module's rules); `fallback` when nothing is left."""
    name = _trim(_UNSAFE.sub("_", _INVISIBLE.sub("", text)))
    if not name:
        name = fallback
    if _too_long(name, limit):
        name = _shorten(name, text, limit)
    if _RESERVED.fullmatch(name.split(".", 1)[0].rstrip(" ")):
        name = "_" + name
    return name


def _trim(name: str) -> str:
    """No spaces at either end, no dot at the start (hidden) or the end (Windows drops it)."""
    previous = None
    while name != previous:
        previous = name
        name = name.strip().lstrip(".").rstrip(".")
    return name


def _too_long(name: str, limit: int) -> bool:
    return len(name) > limit or len(name.encode("utf-8")) > 3 * limit


def _shorten(name: str, original: str, limit: int) -> str:
    suffix = "~" + hashlib.sha256(original.encode("utf-8")).hexdigest()[:_HASH_DIGITS]
    keep = limit - len(suffix)
    head = name[:keep]
    while len((head + suffix).encode("utf-8")) > 3 * limit:
        head = head[:-1]
    return _trim(head) + suffix


def same_on_disk(name: str) -> str:
    """The key under which Windows and macOS see two names as one file (case and composition)."""
    return unicodedata.normalize("NFC", name).casefold()


@dataclass
class Names:
    """The names chosen for the values of one folder, and which of them differ from the value."""

    names: dict[str, str] = field(default_factory=dict)  # value → name
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (value, name) made unique or shortened

    def __getitem__(self, value: str) -> str:
        return self.names[value]


def unique_names(
    values: Iterable[str],
    *,
    limit: int = LIMIT,
    fallback: str = "_",
    taken: Iterable[str] = (),
    claims: Callable[[str], Iterable[str]] = lambda name: (name,),
    name_of: Callable[[str], str] | None = None,
) -> Names:
    """A distinct name for every distinct value among the names of one folder.

    `taken` are names the folder already holds (the tool's fixed files); `claims(name)` lists every
    entry a chosen name occupies (a village's folder and its 「…_全村明白卡.docx」), all of which must
    be free. `name_of(value)` builds a name of several cleaned parts (户编号_户主) instead of
    `clean(value)`."""
    used = {same_on_disk(name) for name in taken}
    result = Names()
    distinct = dict.fromkeys(values)
    plain = {value: clean(value, limit=limit, fallback=fallback) for value in distinct}
    cleaned = {value: name_of(value) for value in distinct} if name_of else plain
    order = sorted(distinct, key=lambda value: (plain[value] != value, value))
    for value in order:
        base = cleaned[value]
        name, number = base, 1
        while any(same_on_disk(entry) in used for entry in claims(name)):
            number += 1
            name = _numbered(base, number, limit)
        used.update(same_on_disk(entry) for entry in claims(name))
        result.names[value] = name
        shortened = _too_long(value, limit) and plain[value] != clean(value, limit=len(value) + 1)
        if name != base or shortened:
            result.renamed.append((value, name))
    result.renamed.sort(key=lambda pair: pair[1])
    return result


def _numbered(base: str, number: int, limit: int) -> str:
    mark = f"（{number}）"
    head = base
    while _too_long(head + mark, limit):
        head = head[:-1]
    return _trim(head) + mark


def renamed_note(label: str, renamed: Iterable[tuple[str, str]], *, shown: int = 10) -> str:
    """「以下培训班的名称整理成文件名后与别的名称相同或太长，已改名：「…」→「…」…」, or '' for none."""
    pairs = list(renamed)
    if not pairs:
        return ""
    listed = "、".join(f"「{_visible(value)}」→「{name}」" for value, name in pairs[:shown])
    more = f" 等 {len(pairs)} 个" if len(pairs) > shown else ""
    return f"以下{label}整理成文件名后与别的名称相同或太长，文件名已改（内容中仍用原名）：{listed}{more}"


def _visible(value: str, limit: int = 40) -> str:
    """The value as a message shows it: invisible characters as \\u escapes, long ones cut."""
    shown = "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch) in ("Cf", "Cc") else ch for ch in value)
    return shown if len(shown) <= limit else shown[:limit] + "…"
