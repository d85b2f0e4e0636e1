"""The process one 工作台 run lives in: `python -m fanpin_docs.web.child WORKSPACE REQUEST_JSON`.

Started by the run manager (`jobs.RunManager`) in a process group of its own. It makes the request
through `fanpin_docs.generate.generate` — the commands' own library calls — and tells the server how
it goes, one JSON object per line on its standard output:

    {"phase": "生成明白卡"}                    a step begins
    {"done": 25, "total": 320}                the progress callback (at most ten a second, and the last)
    {"summary": {...}}                        finished: `generate.Summary`
    {"error": "错误：…", "kind": "user"}      failed or interrupted, in `failures.describe_failure`'s words
                                              (a bug's advice as the page gives it: `wording.page_failure`)

SIGINT (the 取消 button, or the server stopping) is Ctrl-C: the batch stops, its workers with it, no
file is left half-written and the manifest is saved; the child then reports `"kind": "interrupted"`.
On Windows 取消 sends CTRL_BREAK_EVENT (SIGBREAK), which the child takes as Ctrl-C too.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any, TextIO

PROGRESS_INTERVAL = 0.1  # seconds between two progress lines


class Channel:
    """The line-per-event pipe to the server."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._last = 0.0

    def send(self, message: dict[str, Any]) -> None:
        self.stream.write(json.dumps(message, ensure_ascii=False) + "\n")
        self.stream.flush()

    def phase(self, name: str) -> None:
        self._last = 0.0
        self.send({"phase": name})

    def progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - self._last >= PROGRESS_INTERVAL:
            self._last = now
            self.send({"done": done, "total": total})


def take_break_as_ctrl_c() -> None:
    """Where there is SIGBREAK (Windows: what 取消 sends a process group), raise KeyboardInterrupt on
    it as on SIGINT, so the run stops the way Ctrl-C stops it (files finished, manifest saved)."""
    brk = getattr(signal, "SIGBREAK", None)
    if brk is not None:
        signal.signal(brk, signal.default_int_handler)


def main(argv: list[str]) -> int:
    take_break_as_ctrl_c()
    # the events go to a copy of stdout; anything else a library might print goes to stderr
    channel = Channel(os.fdopen(os.dup(1), "w", encoding="utf-8"))
    os.dup2(2, 1)
    try:
        from ..generate import generate, request_from

        workspace = Path(argv[1])
        request = request_from(json.loads(argv[2]))
        channel.phase("读取输入")
        summary = generate(workspace, request, progress=channel.progress, phase=channel.phase)
    except BaseException as error:  # every failure, Ctrl-C included, is told in the CLI's words
        from .wording import page_failure

        failure = page_failure(error)
        if failure.is_bug:
            import traceback

            traceback.print_exc()  # to stderr, which the server logs; never to the page
        channel.send({"error": failure.text, "kind": failure.kind})
        return failure.exit_code
    from .wording import for_the_page

    told = summary.to_json()
    told["notes"] = [for_the_page(note) for note in told["notes"]]
    channel.send({"summary": told})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
