"""The 工作台's finished runs, kept in the workspace (`工作台生成记录.json`), so that the 工作台 started
again the next day still shows what the last runs made, their notes and their errors.

Written whole (a temporary file moved into place) after each run ends; a file that cannot be read (made
by hand, cut short) is left aside with a line in the server's log, and the list starts empty.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

log = logging.getLogger("fanpin.web")

RUN_LOG = "工作台生成记录.json"


def read_records(workspace: Path) -> list[dict[str, Any]]:
    """The finished runs kept in `workspace`, oldest first; [] when there are none or they cannot be read."""
    path = workspace / RUN_LOG
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as error:
        log.warning("生成记录「%s」无法读取（%s），不显示以前的生成", path, type(error).__name__)
        return []
    if not isinstance(records, list):
        return []
    return [record for record in records if isinstance(record, dict)]


def write_records(workspace: Path, records: list[dict[str, Any]]) -> None:
    """Keep `records` (oldest first) in `workspace`; a disk that refuses is logged, the run stands."""
    path = workspace / RUN_LOG
    temporary: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=workspace, prefix=".run-log-", suffix=".json", delete=False
        ) as handle:
            temporary = handle.name
            json.dump(records, handle, ensure_ascii=False, indent=1)
        os.replace(temporary, path)
    except OSError as error:
        log.warning("生成记录「%s」无法保存（%s）", path, error.strerror or type(error).__name__)
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
