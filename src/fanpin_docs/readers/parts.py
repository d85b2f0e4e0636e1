"""Finding a workbook's parts in its zip archive the way the reader (python-calamine) finds them, so
the safety scans look at the very parts it will read.

The reader looks a part up ignoring the ASCII case of its name and the direction of its slashes (of
equal names, the last in the archive), and finds an .xlsx's main part through the package relationships
(`_rels/.rels`), which may put it elsewhere than xl/workbook.xml.

Its XML parser (quick-xml) ends a tag at the first ">" outside quotes, skips comments, CDATA and
processing instructions, and matches an element by its local name (after the first ":"); the reader
takes an attribute by its exact key, in double or single quotes (`attributes`). Anything read
otherwise here would let a hostile file show the scan one part and the reader another.
"""

from __future__ import annotations

import re
import string
import zipfile
from collections.abc import Iterator

OFFICE_DOCUMENT = b"/relationships/officeDocument"

# a tag's content after its "<", to the first ">" outside quotes (group 1), matched where a tag starts
# (possessive: a tag never closed costs one pass over the rest, and ends the walk)
TAG = re.compile(rb"((?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>")
# what quick-xml skips whole: a comment, a CDATA section, a processing instruction, and where each ends
SKIPPED = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"))
_NAME_END = re.compile(rb"[ \t\r\n]")  # a tag's name ends at whitespace (quick-xml's: no form feed)
# an attribute as the reader's RawAttrIter takes it: after ASCII whitespace, a key up to "=" (its
# trailing whitespace trimmed), then a value in double or single quotes (quotes kept, group 2)
# a key (all up to "="), then a quoted value; a value whose closing quote is missing runs to the tag's
# end, as the reader takes it (the tag's end is found outside quotes, so its quotes pair up elsewhere)
_ATTRIBUTE = re.compile(rb"[ \t\n\r\f]*+([^=]*+)=[ \t\n\r\f]*+(\"[^\"]*+\"?|'[^']*+'?)")
_REFERENCE = re.compile(r"&([^&;]*);")
_DIGITS = re.compile(r"[0-9]+")
_HEX_DIGITS = re.compile(r"[0-9a-fA-F]+")
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "apos": "'", "quot": '"'}
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def find_part(archive: zipfile.ZipFile, path: str) -> str | None:
    """The entry the reader opens for `path`, or None when it has none.

    Its names are lowered in ASCII only (Rust's to_ascii_lowercase): str.lower() would also take the
    Kelvin sign "K" for "k", and the scan would look at another entry than the reader."""
    wanted = path.translate(_ASCII_LOWER)
    found = None
    for name in archive.namelist():
        if name.replace("\\", "/").translate(_ASCII_LOWER) == wanted:
            found = name
    if found is None and path in archive.NameToInfo:
        found = path
    return found


def unescape(text: str) -> str:
    """The five named entities and character references (`&#108;`, `&#x6C;`) decoded, as quick-xml's
    unescape does; text it could not decode (the reader then fails on it) is left as it is."""
    if "&" not in text:
        return text
    references = _REFERENCE.findall(text)
    decoded = [_resolve(reference) for reference in references]
    if text.count("&") != len(references) or None in decoded:
        return text
    pieces = iter(decoded)
    return _REFERENCE.sub(lambda _: next(pieces) or "", text)


def _resolve(reference: str) -> str | None:
    """An entity's or character reference's text, or None where quick-xml fails: an unknown name, a
    number with a sign or other than digits, 0, a surrogate or beyond U+10FFFF."""
    if not reference.startswith("#"):
        return _PREDEFINED.get(reference)
    hexadecimal = reference.startswith("#x")
    digits = reference[2:] if hexadecimal else reference[1:]
    if not (_HEX_DIGITS if hexadecimal else _DIGITS).fullmatch(digits):
        return None
    code = int(digits, 16 if hexadecimal else 10)
    if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return None
    return chr(code)


def attributes(raw: bytes) -> list[tuple[bytes, bytes]]:
    """A tag's attributes (its text after the name) as (key, value), in order, duplicates and prefixes
    kept: what the reader iterates over (a malformed attribute ends the list; the reader then fails
    unless it has found what it looks for before it). Each is matched where the last one ended, so a
    long tag is read in one pass."""
    found: list[tuple[bytes, bytes]] = []
    position = 0
    while (match := _ATTRIBUTE.match(raw, position)) is not None:
        quoted = match.group(2)
        closed = len(quoted) > 1 and quoted[-1] == quoted[0]
        found.append((match.group(1).rstrip(b" \t\n\r\f"), quoted[1:-1] if closed else quoted[1:]))
        position = match.end()
    return found


def get_attributes(raw: bytes, *keys: bytes) -> dict[bytes, bytes]:
    """`keys`' values as calamine's get_attrs! takes them: the latest of each, the walk stopping once as
    many attributes as there are keys matched (a duplicate counts)."""
    found: dict[bytes, bytes] = {}
    matched = 0
    for key, value in attributes(raw):
        if key in keys:
            found[key] = value
            matched += 1
            if matched == len(keys):
                break
    return found


def tags(text: bytes) -> Iterator[tuple[bool, bytes, bytes]]:
    """(is_end, local name, attributes) of each tag in order, as quick-xml reads them (an empty element,
    `<a/>`, gives its start only; an end tag, no attributes)."""
    for content in _tag_contents(text):
        if content[:1] == b"/":  # an end tag's name is all of it, but for trailing whitespace
            name = content[1:].rstrip(b" \t\r\n")
            yield True, name.partition(b":")[2] if b":" in name else name, b""
            continue
        content = content.removesuffix(b"/")
        cut = _NAME_END.search(content)
        name = content[: cut.start()] if cut else content
        yield False, name.partition(b":")[2] if b":" in name else name, content[len(name) :]


def _tag_contents(text: bytes) -> Iterator[bytes]:
    """Each tag's content between "<" and ">", comments, CDATA and processing instructions skipped, in
    one pass: where one is never closed the walk ends (the reader fails there)."""
    position = 0
    while (start := text.find(b"<", position)) >= 0:
        skipped = next(
            ((opening, closing) for opening, closing in SKIPPED if text.startswith(opening, start)), None
        )
        if skipped is not None:
            end = text.find(skipped[1], start + len(skipped[0]))
            if end < 0:
                return
            position = end + len(skipped[1])
            continue
        tag = TAG.match(text, start + 1)
        if tag is None:
            return
        position = tag.end()
        if tag.group(1):
            yield tag.group(1)


def relationship_targets(text: bytes) -> dict[bytes, str]:
    """Relationship id → its target, from an .xlsx's workbook relationships, up to their end
    (`</Relationships>`), as the reader takes them: the target as written (it decodes no entity), the
    last of one id."""
    targets: dict[bytes, str] = {}
    for end, raw in _relationships(text, skip_to_start=False):
        if end:
            break
        found = get_attributes(raw, b"Id", b"Type", b"Target")
        if b"Id" in found:
            targets[found[b"Id"]] = found.get(b"Target", b"").decode("utf-8", "replace")
    return targets


def binary_relationship_targets(text: bytes) -> dict[bytes, str]:
    """The same for an .xlsb, whose reader takes only `<Relationship>` written without a prefix, to the
    end of the part, and decodes the target's entities."""
    targets: dict[bytes, str] = {}
    for content in _tag_contents(text):
        content = content.removesuffix(b"/")
        cut = _NAME_END.search(content)
        if content[: cut.start() if cut else len(content)] != b"Relationship":
            continue
        found = get_attributes(content[len(b"Relationship") :], b"Id", b"Target")
        if b"Id" in found and b"Target" in found:
            targets[found[b"Id"]] = unescape(found[b"Target"].decode("utf-8", "replace"))
    return targets


def office_folder(package_relationships: bytes) -> str:
    """The folder of the main part named by `_rels/.rels` ("xl/" as a rule; the last such relationship,
    as the reader takes it), with its closing slash; "xl/" when none is named."""
    target = None
    for end, raw in _relationships(package_relationships, skip_to_start=True):
        if end:
            break
        found = get_attributes(raw, b"Type", b"Target")
        if found.get(b"Type", b"").endswith(OFFICE_DOCUMENT) and b"Target" in found:
            target = unescape(found[b"Target"].decode("utf-8", "replace"))
    if target is None:
        return "xl/"
    folder = target[: target.rfind("/") + 1]
    return folder.removeprefix("/")


def _relationships(text: bytes, *, skip_to_start: bool) -> Iterator[tuple[bool, bytes]]:
    """The `<Relationship>` start tags (False, attributes), then (True, b"") at `</Relationships>`; with
    `skip_to_start`, only those after `<Relationships>` (the package relationships are read so)."""
    started = not skip_to_start
    for end, name, raw in tags(text):
        if name == b"Relationships":
            if end:
                yield True, b""
                return
            started = True
        elif name == b"Relationship" and started and not end:
            yield False, raw
