"""What a failed run tells its user: any exception turned into a Chinese message and an exit code.

The one mapping from errors to what a user reads, beside the error family (`errors`), so the command
line and any other front end (a web page) say the same thing. A `FanpinError` is the user's to fix
and says how; an OSError met outside the output folder's own checks is told by its errno; anything
else is a bug, told as 「程序内部错误」 without the stack.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import FanpinError, os_reason

INTERRUPTED_EXIT = 130
INTERNAL_EXIT = 2


@dataclass(frozen=True)
class Failure:
    """How one failure reads: `headline` (shown emphasised) then `detail`, and the exit code."""

    headline: str
    detail: str
    exit_code: int
    kind: str  # "user": a FanpinError; "os": a disk problem; "interrupted": Ctrl-C; "internal": a bug

    @property
    def text(self) -> str:
        return self.headline + self.detail

    @property
    def is_bug(self) -> bool:
        return self.kind == "internal"


def describe_failure(error: BaseException) -> Failure:
    """The message and exit code for `error`; never the exception's English text or a traceback."""
    if isinstance(error, FanpinError):
        return Failure("错误：", str(error), error.exit_code, "user")
    if isinstance(error, KeyboardInterrupt):
        return Failure("已中断，未完成的文件没有留下。", "", INTERRUPTED_EXIT, "interrupted")
    if isinstance(error, OSError):  # a disk problem met outside the output folder's own checks
        reason, hint = os_reason(error)
        where = f"「{error.filename}」" if error.filename else "文件"
        return Failure("错误：", f"无法读写{where}：{reason}。处理办法：{hint}", 1, "os")
    return Failure(
        "程序内部错误",
        f"（{type(error).__name__}）。请加 --debug 重新运行，把输出发给维护人员。",
        INTERNAL_EXIT,
        "internal",
    )
