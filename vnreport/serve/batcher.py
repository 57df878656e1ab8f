"""A micro-batcher: concurrent requests share one `predict()` call, in one worker thread.

The tagger already batches the windows of the documents it is given, so merging requests
means one forward pass over all their windows instead of one per request. The model runs in
a single thread (the torch threads work inside it): requests never run the model
concurrently, so they do not fight over the cores, and the event loop stays free to accept
and answer other requests meanwhile. With batching off every request is its own call, in the
same thread, in arrival order.
"""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Generic, Sequence, TypeVar

T = TypeVar("T")


@dataclass
class _Job(Generic[T]):
    texts: list[str]
    done: asyncio.Future = field(default_factory=lambda: asyncio.get_running_loop().create_future())


class MicroBatcher(Generic[T]):
    """Collects requests for up to `wait_ms` or `max_batch` texts, then runs one call of `fn`."""

    def __init__(self, fn: Callable[[list[str]], list[T]], enabled: bool = True, max_batch: int = 16,
                 wait_ms: float = 5.0):
        self.fn, self.enabled, self.max_batch, self.wait = fn, enabled, max_batch, wait_ms / 1000
        self.calls = 0  # model calls made, to see how many requests shared each
        self._queue: asyncio.Queue[_Job[T]] = asyncio.Queue()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vnreport-model")
        self._task: asyncio.Task | None = None

    async def submit(self, texts: Sequence[str]) -> list[T]:
        """The results for `texts`, in order, once the batch they joined has run."""
        if self._task is None:
            self._task = asyncio.create_task(self._run())
        job: _Job[T] = _Job(list(texts))
        await self._queue.put(job)
        return await job.done

    async def _collect(self) -> list[_Job[T]]:
        jobs = [await self._queue.get()]
        if not self.enabled:
            return jobs
        size = len(jobs[0].texts)
        deadline = asyncio.get_running_loop().time() + self.wait
        while size < self.max_batch:
            try:
                job = self._queue.get_nowait()
            except asyncio.QueueEmpty:
                left = deadline - asyncio.get_running_loop().time()
                if left <= 0:
                    break
                try:
                    job = await asyncio.wait_for(self._queue.get(), left)
                except asyncio.TimeoutError:
                    break
            jobs.append(job)
            size += len(job.texts)
        return jobs

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            jobs = await self._collect()
            texts = [t for job in jobs for t in job.texts]
            try:
                results = await loop.run_in_executor(self._executor, self.fn, texts)
                error = None
            except Exception as e:  # the callers get the error, the batcher goes on
                results, error = [], e
            self.calls += 1
            at = 0
            for job in jobs:
                if not job.done.done():  # a caller that went away has a cancelled future
                    if error is None:
                        job.done.set_result(results[at:at + len(job.texts)])
                    else:
                        job.done.set_exception(error)
                at += len(job.texts)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        self._executor.shutdown(wait=False, cancel_futures=True)
