"""One way to start worker processes (`fanpin_docs.processes`), used by the cards and the training."""

from __future__ import annotations

import os

from fanpin_docs.processes import start_pool, worker_count


def _pid_times(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def _quiet() -> None:
    pass


def test_worker_count_follows_the_request_else_the_batch_size() -> None:
    assert worker_count(3, 1, parallel_from=20) == 3
    assert worker_count(0, 100, parallel_from=20) == 1
    assert worker_count(None, 19, parallel_from=20) == 1
    assert 1 <= worker_count(None, 20, parallel_from=20) <= 4


def test_start_pool_runs_every_job_in_other_processes() -> None:
    pool, futures = start_pool(2, _pid_times, [1, 2, 3], initializer=_quiet)
    try:
        results = [future.result(timeout=60) for future in futures]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    assert [value for _, value in results] == [2, 4, 6]
    assert os.getpid() not in {pid for pid, _ in results}
