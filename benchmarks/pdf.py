"""Benchmark --pdf: village print files → PDF through the warm LibreOffice pool against the cold path.

    python benchmarks/pdf.py [N] [--instances 1,2] [--keep DIR]

Generates N synthetic households (default 2,000), writes their cards and village print files with
`make_cards` (no PDF), then converts the print files, in one run:

- through today's cold path as the reference (`convert_to_pdf`: one soffice call, one core);
- through `PdfPool` with 1 and with 2 instances (end to end: start, convert, stop), in pages/s;
- one card → PNG preview through the warm pool (median of 5, after one warm-up);
- peak memory while the pool converts: PSS summed over this process and every pool process
  (workers, soffice launchers, soffice.bin), sampled every 50 ms.

Goals (README): ≥ 40 pages/s end to end on 2 cores, preview ≤ 1 s, peak ≤ 1.5 GB. For 10,000
households' cards + print files + PDF in one command, run `python benchmarks/cards.py 10000 --pdf`.
The machine's load (`os.getloadavg`) is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from cards import _memory_kb
from synthetic import write_inputs

from fanpin_docs.cards import make_cards
from fanpin_docs.context import resolve
from fanpin_docs.pdf import PdfPool, convert_to_pdf

POLICY = "qianjiang-2023"


def pages(pdfs: list[Path]) -> int:
    import pymupdf

    total = 0
    for pdf in pdfs:
        with pymupdf.open(pdf) as opened:
            total += opened.page_count
    return total


def pool_memory_mb(pool: PdfPool) -> float:
    total = _memory_kb(os.getpid())
    for pid in pool.process_ids():
        try:
            total += _memory_kb(pid)
        except OSError:
            continue
    return total / 1024


def through_pool(instances: int, sources: list[Path], folder: Path) -> tuple[float, float, float]:
    """(seconds end to end, seconds converting only, peak MB) for the sources through a new pool."""
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(source, folder / f"{n:04d}.pdf") for n, source in enumerate(sources)]
    peak = [0.0]
    started = time.perf_counter()
    with PdfPool(instances) as pool:
        ready = time.perf_counter()
        running = [True]

        def sample() -> None:
            while running[0]:
                peak[0] = max(peak[0], pool_memory_mb(pool))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        failures = pool.convert(jobs)
        converted = time.perf_counter()
        running[0] = False
        sampler.join()
    if failures:
        raise SystemExit(f"conversion failed: {failures}")
    return time.perf_counter() - started, converted - ready, peak[0]


def preview_seconds(card: Path) -> tuple[float, float]:
    """(first preview, median of the next 5) with a warm single-instance pool."""
    with PdfPool(1) as pool:
        started = time.perf_counter()
        pool.preview(card)
        first = time.perf_counter() - started
        times = []
        for _ in range(5):
            started = time.perf_counter()
            png = pool.preview(card)
            times.append(time.perf_counter() - started)
        assert png.startswith(b"\x89PNG")
    return first, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("households", nargs="?", type=int, default=2_000)
    parser.add_argument("--instances", default="1,2", help="pool sizes to measure, e.g. 1,2,4")
    parser.add_argument("--keep", type=Path, default=None, help="keep inputs and output in this folder")
    args = parser.parse_args()
    sizes = [int(part) for part in args.instances.split(",") if part.strip()]

    with tempfile.TemporaryDirectory(prefix="fanpin-bench-pdf-") as scratch:
        folder = args.keep or Path(scratch)
        print(f"generating {args.households:,} households and their print files …", flush=True)
        roster, measures = write_inputs(folder / "inputs", args.households)
        context = resolve(roster=roster, measures=measures, policy=POLICY, out=folder / "out", force=True)
        make_cards(context)
        sources = sorted((folder / "out").rglob("*_全村明白卡.docx"))
        card = next(p for p in sorted((folder / "out").rglob("*.docx")) if p.parent.name.endswith("村"))

        print("cold path (one soffice call) …", flush=True)
        started = time.perf_counter()
        cold = convert_to_pdf(sources, folder / "cold")
        cold_seconds = time.perf_counter() - started
        page_count = pages(cold)
        results = {}
        for size in sizes:
            print(f"pool of {size} …", flush=True)
            results[size] = through_pool(size, sources, folder / f"pool-{size}")
        first, median = preview_seconds(card)

    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"\nhouseholds              {args.households:,}; {len(sources)} village print files, {page_count:,} pages"
    )
    print(f"machine                  {os.cpu_count()} cores, load average {load} (1, 5, 15 min)")
    print(f"cold path (reference)    {cold_seconds:.1f} s → {page_count / cold_seconds:.1f} pages/s")
    for size, (wall, converting, peak) in results.items():
        print(
            f"pool, {size} instance{'s' if size > 1 else ' '}       {wall:.1f} s end to end → "
            f"{page_count / wall:.1f} pages/s (converting only {page_count / converting:.1f} pages/s); "
            f"peak {peak:.0f} MB PSS"
        )
    print("goal                     ≥ 40 pages/s end to end on 2 cores; peak ≤ 1,500 MB")
    print(f"preview (one card → PNG) first {first:.2f} s, warm median {median:.2f} s (goal ≤ 1 s)")


if __name__ == "__main__":
    main()
