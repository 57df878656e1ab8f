"""End-to-end predict() throughput, peak memory, time outside the forward pass, and the
plain Hugging Face token-classification pipeline on the same model and texts.

    python benchmarks/throughput.py --device cpu --threads 1 2 --batch-sizes 8
    python benchmarks/throughput.py --device cuda --batch-sizes 8 64 256 --num-workers 6 --profile 64

Texts: the gold test split (real documents joined from ../shared) plus the seeds.
Words are whitespace-separated tokens of the input. Prints one JSON line per setting.
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import time
from pathlib import Path

import torch

import vnreport
from vnreport.data.io import load_jsonl

REPO = Path(__file__).resolve().parents[1]


def load_texts(repeat: int) -> list[str]:
    texts = [d.text for d in load_jsonl(REPO / "data" / "gold" / "test.jsonl")]
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO.parent / "shared" / "seeds").glob("*.txt"))]
    return texts * repeat


def timed_predict(tagger, texts: list[str], batch_size: int) -> dict[str, float]:
    """predict() split into its steps, so the share outside the forward pass is measured."""
    sync = torch.cuda.synchronize if tagger.device.type == "cuda" else (lambda: None)
    t0 = time.perf_counter()
    prepared = [tagger.preprocess(t) for t in texts]
    t1 = time.perf_counter()
    probs = tagger.forward(prepared, batch_size)
    sync()
    t2 = time.perf_counter()
    for p, pr in zip(prepared, probs):
        tagger.postprocess(p, pr)
    t3 = time.perf_counter()
    windows = [w for p in prepared for w in p.windows]
    positions = sum(sum(len(p.subwords[k]) for k in range(w.first, w.last)) + 2 for p in prepared for w in p.windows)
    return {"preprocess_s": t1 - t0, "forward_s": t2 - t1, "postprocess_s": t3 - t2, "total_s": t3 - t0,
            "windows": len(windows), "positions": positions}


def hf_pipeline_seconds(tagger, texts: list[str], batch_size: int) -> tuple[float, int, int]:
    """The same encoder and entity head as a RobertaForTokenClassification in `pipeline()`.

    PhoBERT has no fast tokenizer, so the pipeline can neither give offsets nor window
    long inputs itself: we give it the segmented text cut into sentence chunks that fit
    256 positions (segmentation is timed too, as it is part of the job).
    Returns (seconds, chunks, positions)."""
    from transformers import RobertaForTokenClassification, pipeline

    m = tagger.model
    conf = m.config
    conf.id2label = dict(enumerate(conf.entity_labels))
    conf.label2id = {v: k for k, v in conf.id2label.items()}
    clf = RobertaForTokenClassification(conf).to(tagger.device).eval()
    clf.roberta.load_state_dict(m.roberta.state_dict())
    clf.classifier.load_state_dict(m.entity_head.state_dict())
    pipe = pipeline("token-classification", model=clf, tokenizer=tagger.tokenizer, device=tagger.device)
    t0 = time.perf_counter()
    chunks: list[str] = []
    positions = 0
    for t in texts:
        cur: list[str] = []
        size = 0
        for w in tagger.segmenter.segment(t):
            n = len(tagger.tokenizer.tokenize(w.form))
            if cur and (size + n > 250 or (w.sent_start and size > 120)):
                chunks.append(" ".join(cur))
                positions += size + 2
                cur, size = [], 0
            cur.append(w.form)
            size += n
        if cur:
            chunks.append(" ".join(cur))
            positions += size + 2
    with torch.autocast(tagger.device.type, dtype=torch.bfloat16, enabled=tagger.device.type == "cuda"):
        pipe(chunks, batch_size=batch_size)
    if tagger.device.type == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - t0, len(chunks), positions


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", help="model directory (default: embedded)")
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, nargs="*", default=[0], help="torch CPU threads (0: leave as is)")
    ap.add_argument("--batch-sizes", type=int, nargs="+", default=[8])
    ap.add_argument("--repeat", type=int, default=1, help="use the texts this many times")
    ap.add_argument("--rounds", type=int, default=3,
                    help="alternate vnreport and the HF pipeline this many times and keep each one's fastest run "
                         "(a shared machine's noise only ever slows a run down)")
    ap.add_argument("--stride", type=int, help="window overlap in subwords (default: the model's)")
    ap.add_argument("--no-hf", action="store_true", help="skip the HF pipeline comparison")
    ap.add_argument("--num-workers", type=int, default=0,
                    help="also time predict(..., num_workers=N): preprocessing and decoding in N processes while the model runs")
    ap.add_argument("--profile", type=int, metavar="BATCH_SIZE", help="print torch.profiler's top operators of forward() at this batch size")
    args = ap.parse_args()
    texts = load_texts(args.repeat)
    n_words = sum(len(t.split()) for t in texts)
    tagger = vnreport.load(args.model, device=args.device, stride=args.stride)
    tagger.predict(texts[:4])  # warm-up: lazy loads, kernels, word cache for those texts
    if args.num_workers:
        tagger.predict(texts[:8], num_workers=args.num_workers)  # start the worker processes
    for threads in args.threads:
        if threads:
            torch.set_num_threads(threads)
        for bs in args.batch_sizes:
            runs, hf_runs, pooled = [], [], []
            for _ in range(args.rounds):
                tagger.encoder._ids.cache_clear()  # first-time tokenization is part of the measured cost
                if tagger.device.type == "cuda":
                    torch.cuda.reset_peak_memory_stats()
                runs.append(timed_predict(tagger, texts, bs))
                if args.num_workers:
                    t0 = time.perf_counter()
                    tagger.predict(texts, batch_size=bs, num_workers=args.num_workers)
                    pooled.append(time.perf_counter() - t0)
                if not args.no_hf:
                    seconds, hf_chunks, hf_positions = hf_pipeline_seconds(tagger, texts, bs)
                    hf_runs.append(seconds)
            t = min(runs, key=lambda r: r["total_s"])
            row = {
                "device": torch.cuda.get_device_name() if tagger.device.type == "cuda" else platform.processor() or platform.machine(),
                "threads": torch.get_num_threads(), "batch_size": bs, "stride": tagger.stride, "documents": len(texts),
                "words": n_words, "rounds": args.rounds,
                "words_per_s": round(n_words / t["total_s"]),
                "words_per_s_slowest": round(n_words / max(r["total_s"] for r in runs)),
                "outside_forward_share": round(1 - t["forward_s"] / t["total_s"], 3),
                **{k: round(v, 3) for k, v in t.items()},
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
            if pooled:
                row["num_workers"] = args.num_workers
                row["words_per_s_with_workers"] = round(n_words / min(pooled))
            if tagger.device.type == "cuda":
                row["peak_gpu_mb"] = round(torch.cuda.max_memory_allocated() / 2**20)
            if hf_runs:
                row["hf_pipeline_words_per_s"] = round(n_words / min(hf_runs))
                row["hf_pipeline_words_per_s_slowest"] = round(n_words / max(hf_runs))
                row["speedup_vs_hf_pipeline"] = round(min(hf_runs) / t["total_s"], 2)
                if pooled:
                    row["speedup_vs_hf_pipeline_with_workers"] = round(min(hf_runs) / min(pooled), 2)
                row["hf_pipeline_chunks"], row["hf_pipeline_positions"] = hf_chunks, hf_positions
            print(json.dumps(row), flush=True)
    if args.profile:
        from torch.profiler import ProfilerActivity, profile

        prepared = [tagger.preprocess(t) for t in texts]
        acts = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if tagger.device.type == "cuda" else [])
        with profile(activities=acts) as prof:
            tagger.forward(prepared, args.profile)
        key = "self_cuda_time_total" if tagger.device.type == "cuda" else "self_cpu_time_total"
        print(prof.key_averages().table(sort_by=key, row_limit=15))
        print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=10))


if __name__ == "__main__":
    main()
