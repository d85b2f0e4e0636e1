"""Finding a workbook's parts in its zip archive the way the reader (python-calamine) finds them, so
the safety scans look at the very parts it will read.

The reader looks a part up ignoring the ASCII case of its name and the direction of its slashes (of equal
names, the last in the archive), and finds an .xlsx's main part through the package relationships
(`_rels/.rels`), which may put it elsewhere than xl/workbook.xml.
"""

from __future__ import annotations

import re
import string
import zipfile

ATTRIBUTE = re.compile(rb"([\w:]+)=\"([^\"]*)\"")
RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")
OFFICE_DOCUMENT = b"/relationships/officeDocument"
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
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def relationship_targets(text: bytes) -> dict[bytes, str]:
    """Relationship id → its target, from a relationships part."""
    targets: dict[bytes, str] = {}
    for match in RELATIONSHIP.finditer(text):
        attributes = dict(ATTRIBUTE.findall(match.group(1)))
        if b"Id" in attributes and b"Target" in attributes:
            targets[attributes[b"Id"]] = unescape(attributes[b"Target"].decode("utf-8", "replace"))
    return targets


def office_folder(package_relationships: bytes) -> str:
    """The folder of the main part named by `_rels/.rels` ("xl/" as a rule; the last such relationship,
    as the reader takes it), with its closing slash; "xl/" when none is named."""
    target = None
    for match in RELATIONSHIP.finditer(package_relationships):
        attributes = dict(ATTRIBUTE.findall(match.group(1)))
        if attributes.get(b"Type", b"").endswith(OFFICE_DOCUMENT) and b"Target" in attributes:
            target = unescape(attributes[b"Target"].decode("utf-8", "replace"))
    if target is None:
        return "xl/"
    folder = target[: target.rfind("/") + 1]
    return folder.removeprefix("/")
