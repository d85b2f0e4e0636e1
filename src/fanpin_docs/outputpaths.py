"""Checks on the paths a run will write, made before it writes anything.

Inside the output folder the tool follows no links: a folder there that is a symbolic link (or a
Windows junction) could lead anywhere on the disk, so writing or deleting through it is refused.
The output folder itself may be a link (the user chose it). A file where a folder goes (a file named
明白卡), a folder where a file goes, a folder the tool may not write into and a name too long for
the disk are each refused with the path and what to do.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from .errors import OutputError

NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # open() flag: fail on a link instead of following it
NAME_BYTES = 255  # longest file or folder name on Linux (ext4 …) and Windows (NTFS: 255 UTF-16 units)


def link_inside(root: Path, relative: str) -> Path | None:
    """The first folder on the way from `root` to `relative` that is a link, or None."""
    current = root
    for part in PurePosixPath(relative).parts[:-1]:
        current = current / part
        if _is_link(current):
            return current
        if not current.exists():
            return None
    return None


def check_targets(root: Path, relatives: Iterable[str]) -> None:
    """Raise OutputError for the first of `relatives` (paths below `root`) that cannot be written.

    A batch checks ten thousand paths in a few dozen folders: each folder is checked once, and a plain
    relative path (no empty, `.` or `..` part) is taken apart with string operations and looked up
    with one `os.stat`; any other path, or a stat that fails unusually, is checked the general way."""
    checked: set[str] = set()
    for relative in relatives:
        parts = relative.split("/")
        if "" in parts or "." in parts or ".." in parts:
            _check_target(root, relative, checked)
            continue
        folder = relative.rpartition("/")[0] or "."
        for part in parts if folder not in checked else parts[-1:]:
            _check_name(root, relative, part)
        if folder not in checked:
            checked.add(folder)
            _check_folders(root, PurePosixPath(folder))
        try:
            mode = os.stat(os.path.join(root, relative)).st_mode
        except (FileNotFoundError, NotADirectoryError):
            continue
        except (OSError, ValueError):
            _check_target(root, relative, checked)
            continue
        if stat.S_ISDIR(mode):
            _refuse_folder(root / relative)
        else:
            check_replaceable(os.path.join(root, relative))


def check_replaceable(target: str) -> None:
    """An earlier file the batch will replace must take writing: a file open in Word, WPS or Excel on
    Windows, a read-only or locked one, is refused before the batch writes anything — not found half
    way, with some files new and the rest (and the list) old. Opening for appending changes nothing."""
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_APPEND | NO_FOLLOW))
    except PermissionError:
        raise OutputError(
            f"无法覆盖「{target}」：文件是只读的，或正被其他程序（如 Word、WPS、Excel）打开；没有写入任何文件",
            hint="关闭打开这个文件的程序（或取消文件的只读属性）后重试",
        ) from None
    except OSError:
        pass  # a link (replaced like a file), or gone meanwhile: the write says what is wrong, if anything


def _check_target(root: Path, relative: str, checked: set[str]) -> None:
    """One path, the general way (`PurePosixPath` parts, `Path.is_dir`)."""
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts:
        raise OutputError(f"「{relative}」不在输出文件夹「{root}」之内，不会写入")
    for part in path.parts:
        _check_name(root, relative, part)
    if str(path.parent) not in checked:
        checked.add(str(path.parent))
        _check_folders(root, path.parent)
    target = root / relative
    if target.is_dir():
        _refuse_folder(target)
    elif target.is_file():
        check_replaceable(str(target))


def _check_name(root: Path, relative: str, part: str) -> None:
    if len(part.encode("utf-8")) > NAME_BYTES:
        raise OutputError(
            f"无法写入「{root / relative}」：文件名太长（超过 {NAME_BYTES} 字节）",
            hint="缩短表格中用作文件名的名称",
        )


def _refuse_folder(target: Path) -> None:
    """A folder stands where a file is to be written (a link to one is replaced like a file)."""
    if not _is_link(target):
        raise OutputError(f"无法写入「{target}」：已有同名的文件夹", hint="改名或移走这个文件夹后重试")


def is_file(root: Path, relative: str) -> bool:
    """`(root / relative).is_file()`, for thousands of paths: one `os.stat` of the joined text, no Path
    made (the Path way when the stat fails other than for a missing file, so errors are the same)."""
    if not relative or relative.endswith("/"):
        return (root / relative).is_file()
    try:
        return stat.S_ISREG(os.stat(os.path.join(root, relative)).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except (OSError, ValueError):
        return (root / relative).is_file()


def _check_folders(root: Path, folder: PurePosixPath) -> None:
    current = root
    deepest = root
    for part in folder.parts:
        current = current / part
        if _is_link(current):
            raise OutputError(
                f"输出文件夹中的「{current}」是一个链接（快捷方式、符号链接），可能指向输出文件夹以外，"
                "不会通过它写入",
                hint="删除这个链接（它指向的内容不受影响），或用 --out 换一个输出文件夹",
            )
        if not current.exists():
            break
        if not current.is_dir():
            raise OutputError(
                f"无法写入「{root / folder}」：「{current}」是一个文件，这里需要一个文件夹",
                hint="改名或移走这个文件，或用 --out 换一个输出文件夹",
            )
        deepest = current
    if deepest.is_dir() and not os.access(deepest, os.W_OK | os.X_OK):
        raise OutputError(
            f"无法写入文件夹「{deepest}」：没有写入权限",
            hint="检查这个文件夹是否允许写入，或用 --out 换一个输出文件夹",
        )


def _is_link(path: Path) -> bool:
    return path.is_symlink() or (hasattr(path, "is_junction") and path.is_junction())
