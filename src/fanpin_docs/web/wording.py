"""What the 工作台 says of a failure: the command line's words (`failures.describe_failure`), except
for a bug, where the command line's advice (run again with --debug) means nothing to someone in a
browser; the page asks instead for what the 工作台's window shows (the server logs the details there).

Kept free of the web framework: the run's child process (`child.py`) uses it too.
"""

from __future__ import annotations

import dataclasses

from ..failures import Failure, describe_failure

BUG_ADVICE = "请把工作台窗口（运行 fanpin serve 的命令行窗口）里显示的内容发给维护人员。"


def page_failure(error: BaseException) -> Failure:
    """`describe_failure(error)`, with a bug's advice as the page gives it."""
    failure = describe_failure(error)
    if failure.is_bug:
        return dataclasses.replace(failure, detail=f"（{type(error).__name__}）。{BUG_ADVICE}")
    return failure
