"""Tag a corpus too big for one process: JSONL in (`id`, `text`; `.gz` too), JSONL out, same order.

The input is cut, in one streaming pass, into fixed-size shards under `OUT.parts/`; each shard
is tagged into its own output file, written atomically (temporary name, then rename), and the
outputs are concatenated in shard order at the end. A crash loses at most the shards being
tagged: a rerun finds `manifest.json`, skips every shard whose output exists and tags the rest.
Nothing holds more than one shard per worker in memory.

Engines (the same shards and the same output lines for each):
  single  this process;
  local   `workers` spawned processes on this machine, one model each;
  ray     Ray Data `map_batches` over an actor pool of `workers` actors, one model each, on CPUs or
          GPUs of a Ray cluster (`ray.init(address=...)`; OUT.parts must then be on storage all
          nodes see).
"""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from vnreport.data.io import DataError, json_lines
from vnreport.windows import DEFAULT_BATCH_SIZE

ENGINES = ("single", "local", "ray")
MANIFEST = "manifest.json"


@dataclass
class LoadOptions:
    """How each worker loads its tagger (the arguments of `vnreport.load`)."""

    model: str | None = None
    device: str | None = None
    quantize: str | None = None
    runtime: str | None = None

    def load(self):
        from vnreport.loading import load

        return load(self.model, device=self.device, quantize=self.quantize, runtime=self.runtime)


@dataclass
class CorpusResult:
    output: Path
    documents: int
    shards: int
    shards_tagged: int  # this run; the others were finished by an earlier run
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def read_records(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line) of each non-blank input line, checked to be an object with `id` and a string `text`."""
    for n, rec, line in json_lines(path):
        if not isinstance(rec, dict) or "id" not in rec:
            raise DataError(path, n, "a record needs an `id`")
        if not isinstance(rec.get("text"), str):
            raise DataError(path, n, f"`text` must be a string (id {rec['id']!r})")
        yield n, line


def write_atomic(path: Path, lines: Iterator[str] | list[str]) -> int:
    """Write lines to `path` so that it either exists whole or not at all."""
    tmp = path.with_name(path.name + ".tmp")
    n = 0
    with open(tmp, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(line + "\n")
            n += 1
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return n


def tag_lines(tagger, lines: list[str], batch_size: int) -> Iterator[str]:
    """Output JSONL lines (`Document.to_dict()` with the input's `id`) for input JSONL lines."""
    recs = [json.loads(line) for line in lines]
    for rec, doc in zip(recs, tagger.stream((r["text"] for r in recs), batch_size)):
        doc.id = rec["id"]
        yield json.dumps(doc.to_dict(), ensure_ascii=False)


@dataclass
class Shards:
    """The shard files of one job under `OUT.parts/`."""

    parts: Path
    count: int
    sizes: list[int]

    def input(self, k: int) -> Path:
        return self.parts / f"in-{k:05d}.jsonl"

    def output(self, k: int) -> Path:
        return self.parts / f"shard-{k:05d}.jsonl"

    def pending(self) -> list[int]:
        return [k for k in range(self.count) if not self.output(k).exists()]


def split(input: Path, parts: Path, shard_size: int, options: dict[str, Any]) -> Shards:
    """Cut the input into shards once; a rerun with the same input and options reuses them."""
    stat = input.stat()
    ident = {"input": str(input.resolve()), "input_bytes": stat.st_size, "input_mtime": stat.st_mtime,
             "shard_size": shard_size, "options": options}
    manifest = parts / MANIFEST
    if manifest.exists():
        saved = json.loads(manifest.read_text(encoding="utf-8"))
        if {k: saved.get(k) for k in ident} != ident:
            raise DataError(parts, None, "holds the shards of another job (a different input, shard size or model "
                                         "options); delete it or write to another output")
        return Shards(parts, saved["shards"], saved["sizes"])
    parts.mkdir(parents=True, exist_ok=True)
    sizes: list[int] = []
    records = read_records(input)
    while True:
        batch = [line for _, (_, line) in zip(range(shard_size), records)]
        if not batch:
            break
        write_atomic(parts / f"in-{len(sizes):05d}.jsonl", batch)
        sizes.append(len(batch))
    write_atomic(manifest, [json.dumps(ident | {"shards": len(sizes), "sizes": sizes}, ensure_ascii=False)])
    return Shards(parts, len(sizes), sizes)


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


# -- engines: each tags the pending shards and calls `done(k)` as each output is written ---------

def run_single(shards: Shards, todo: list[int], load: LoadOptions, workers: int, batch_size: int,
               done: Callable[[int], None]) -> None:
    tagger = load.load()
    for k in todo:
        write_atomic(shards.output(k), tag_lines(tagger, read_lines(shards.input(k)), batch_size))
        done(k)


_worker_tagger = None


def _init_local(load: LoadOptions, threads: int) -> None:
    import torch

    global _worker_tagger
    torch.set_num_threads(threads)
    _worker_tagger = load.load()


def _tag_shard(inp: str, out: str, batch_size: int) -> None:
    write_atomic(Path(out), tag_lines(_worker_tagger, read_lines(Path(inp)), batch_size))


def run_local(shards: Shards, todo: list[int], load: LoadOptions, workers: int, batch_size: int,
              done: Callable[[int], None]) -> None:
    threads = max(1, (os.cpu_count() or 1) // workers)
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_local, initargs=(load, threads)) as pool:
        futures = {pool.submit(_tag_shard, str(shards.input(k)), str(shards.output(k)), batch_size): k for k in todo}
        for f in as_completed(futures):
            f.result()
            done(futures[f])


class RayTagger:
    """A Ray Data actor: loads one tagger, then tags batches of input lines."""

    def __init__(self, load: LoadOptions, batch_size: int):
        self.tagger = load.load()
        self.batch_size = batch_size

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        lines = list(tag_lines(self.tagger, [str(x) for x in batch["text"]], self.batch_size))
        return {"path": batch["path"], "line": np.array(lines, dtype=object)}


def run_ray(shards: Shards, todo: list[int], load: LoadOptions, workers: int, batch_size: int,
            done: Callable[[int], None]) -> None:
    import ray

    if not ray.is_initialized():
        ray.init(address=os.environ.get("RAY_ADDRESS"), log_to_driver=False)
    ray.data.DataContext.get_current().execution_options.preserve_order = True
    gpu = (load.device or "").startswith("cuda")
    # reading a shard is light: it takes no CPU from the taggers (else 2 actors on 2 CPUs starve the reads)
    ds = ray.data.read_text([str(shards.input(k)) for k in todo], include_paths=True, num_cpus=0)
    ds = ds.map_batches(RayTagger, fn_constructor_kwargs={"load": load, "batch_size": batch_size},
                        batch_size=max(8 * batch_size, 64), compute=ray.data.ActorPoolStrategy(size=workers),
                        num_gpus=1 if gpu else 0, num_cpus=1)
    by_input = {shards.input(k).name: k for k in todo}
    buffers: dict[int, list[str]] = {}
    for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
        for path, line in zip(batch["path"], batch["line"]):
            k = by_input[Path(str(path)).name]
            buffers.setdefault(k, []).append(str(line))
            if len(buffers[k]) == shards.sizes[k]:  # rows come in input order: one shard buffered at a time
                write_atomic(shards.output(k), buffers.pop(k))
                done(k)
    if buffers:
        raise RuntimeError(f"Ray returned incomplete shards {sorted(buffers)}; rerun to tag them")


RUNNERS = {"single": run_single, "local": run_local, "ray": run_ray}


def tag_corpus(input: str | Path, output: str | Path, engine: str = "single", workers: int = 1,
               shard_size: int = 500, batch_size: int = DEFAULT_BATCH_SIZE, load: LoadOptions | None = None,
               progress: bool = False, keep_parts: bool = False) -> CorpusResult:
    """Tag every record of `input` into `output` (same order), resuming an interrupted run."""
    import time

    from tqdm.auto import tqdm

    input, output = Path(input), Path(output)
    if engine not in RUNNERS:
        raise DataError("tag-corpus", None, f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if workers < 1 or shard_size < 1:
        raise DataError("tag-corpus", None, "--workers and --shard-size must be at least 1")
    if not input.is_file():
        raise DataError(input, None, "no such file")
    load = load or LoadOptions()
    started = time.perf_counter()
    parts = output.with_name(output.name + ".parts")
    shards = split(input, parts, shard_size, asdict(load))
    todo = shards.pending()
    with tqdm(total=sum(shards.sizes), initial=sum(shards.sizes) - sum(shards.sizes[k] for k in todo),
              desc=f"tag-corpus ({engine})", unit="doc", disable=not progress) as bar:
        if todo:
            RUNNERS[engine](shards, todo, load, workers, batch_size, lambda k: bar.update(shards.sizes[k]))
    write_atomic(output, (line for k in range(shards.count) for line in read_lines(shards.output(k))))
    if not keep_parts:
        shutil.rmtree(parts)
    return CorpusResult(output, sum(shards.sizes), shards.count, len(todo), time.perf_counter() - started)
