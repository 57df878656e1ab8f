"""The micro-batcher: concurrent requests share model calls, and each caller gets its own answers."""
from __future__ import annotations

import asyncio

import pytest

from vnreport.serve.batcher import MicroBatcher


def run_concurrently(batcher: MicroBatcher, requests: list[list[str]]):
    async def go():
        try:
            return await asyncio.gather(*(batcher.submit(r) for r in requests), return_exceptions=True)
        finally:
            await batcher.close()

    return asyncio.run(go())


def test_concurrent_requests_share_calls_and_get_their_own_answers():
    sizes = []
    batcher = MicroBatcher(lambda texts: sizes.append(len(texts)) or [t.upper() for t in texts], max_batch=6, wait_ms=200)
    requests = [[f"r{i}a", f"r{i}b"] for i in range(8)]
    answers = run_concurrently(batcher, requests)
    assert answers == [[t.upper() for t in r] for r in requests]
    assert sum(sizes) == 16 and len(sizes) < 8 and max(sizes) <= 6 + 1  # a request is never split
    assert batcher.calls == len(sizes)


def test_without_batching_every_request_is_its_own_call():
    sizes = []
    batcher = MicroBatcher(lambda texts: sizes.append(len(texts)) or list(texts), enabled=False)
    answers = run_concurrently(batcher, [["a"], ["b", "c"], ["d"]])
    assert answers == [["a"], ["b", "c"], ["d"]] and sizes == [1, 2, 1]


def test_a_failing_call_fails_its_callers_and_the_batcher_goes_on():
    def fn(texts):
        if "boom" in texts:
            raise ValueError("boom")
        return texts

    batcher = MicroBatcher(fn, max_batch=1, wait_ms=0)
    answers = run_concurrently(batcher, [["boom"], ["fine"]])
    assert isinstance(answers[0], ValueError) and answers[1] == ["fine"]


def test_a_caller_that_goes_away_does_not_stop_the_batcher():
    async def go():
        batcher = MicroBatcher(lambda texts: (__import__("time").sleep(0.1), texts)[1], wait_ms=0)
        first = asyncio.create_task(batcher.submit(["gone"]))
        await asyncio.sleep(0.02)
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        try:
            return await batcher.submit(["next"])
        finally:
            await batcher.close()

    assert asyncio.run(go()) == ["next"]
