"""Fingerprints of everything the document commands write, for checking that a refactoring changes no byte.

    python scripts/output_digests.py > before.json      # on the tree before the change
    python scripts/output_digests.py > after.json       # after it
    python scripts/output_digests.py --compare before.json after.json

Runs `fanpin demo` (every document command in the demo workspace) and every document command on the
sample workbooks in data/ outside a workspace, each into its own folder, and prints one SHA-256 per file
(the manifest, which records the run's own paths, is left out).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
ROSTER = ["--roster", str(DATA / "户籍监测名单.xlsx")]
MEASURES = ["--measures", str(DATA / "帮扶措施台账.xlsx")]
TRAINING = ["--training", str(DATA / "培训考勤表.xlsx")]
COMMANDS = {
    "cards": ["cards", *ROSTER, *MEASURES, "--workers", "1"],
    "training": ["training", *TRAINING, *ROSTER],
    "projects": ["projects", "--projects", str(DATA / "项目申报表.xlsx"), *ROSTER],
    "plan": ["plan", *ROSTER],
    "notice-industry": ["notice", "industry", *ROSTER, *MEASURES],
    "notice-training": ["notice", "training", *TRAINING, *ROSTER],
    "notice-allowance": ["notice", "allowance", *TRAINING, *ROSTER],
}
SKIPPED = {".fanpin-manifest.json", ".fanpin-lock", ".fanpin-journal"}


def _fanpin(*arguments: str, cwd: Path) -> None:
    command = [sys.executable, "-c", "from fanpin_docs.cli import main; main()", *arguments]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=dict(os.environ))
    if result.returncode != 0:
        raise SystemExit(f"fanpin {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")


def _digests(folder: Path, prefix: str) -> dict[str, str]:
    return {
        f"{prefix}/{path.relative_to(folder)}": hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name not in SKIPPED
    }


def collect() -> dict[str, str]:
    digests: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="fanpin-digests-") as scratch:
        root = Path(scratch)
        _fanpin("demo", "--out", str(root / "demo"), cwd=root)
        digests |= _digests(root / "demo" / "output", "demo")
        for name, arguments in COMMANDS.items():
            out = root / name
            _fanpin(*arguments, "--policy", "qianjiang-2023", "--out", str(out), cwd=root)
            digests |= _digests(out, name)
    return digests


def compare(before: dict[str, str], after: dict[str, str]) -> int:
    changed = sorted(k for k in before.keys() & after.keys() if before[k] != after[k])
    gone, new = sorted(before.keys() - after.keys()), sorted(after.keys() - before.keys())
    for label, paths in (("changed", changed), ("only before", gone), ("only after", new)):
        for path in paths:
            print(f"{label}: {path}")
    print(
        f"{len(before)} files before, {len(after)} after: {len(changed)} changed, {len(gone)} gone, {len(new)} new"
    )
    return 1 if changed or gone or new else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"), type=Path)
    options = parser.parse_args()
    if options.compare:
        before, after = (json.loads(p.read_text(encoding="utf-8")) for p in options.compare)
        return compare(before, after)
    json.dump(collect(), sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
