"""Regenerate the sample input workbooks in data/ from the demo generator (fixed seed).

    python scripts/make_sample_data.py

The files are byte-identical on every run; tests/test_demo.py checks that data/ is up to date.
"""

from __future__ import annotations

from pathlib import Path

from fanpin_docs.demo import write_sample_data

DATA = Path(__file__).resolve().parents[1] / "data"

if __name__ == "__main__":
    for kind, path in write_sample_data(DATA).items():
        print(f"{kind}: {path.relative_to(DATA.parent)}")
