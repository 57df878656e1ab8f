"""Pack what the issue-9 GPU run needs into `.carry/issue9/` (git-ignored), within the device's
transfer budget.

Why: the device machine sees only the repository (64 MiB in all, the shipped model included)
and not `../shared`. So the corpus travels as a sample of whole documents of the encoded id
stream (uint16, compressed), and the gold train/dev splits travel with their texts inlined.
Run on the CPU after `python training/pretrain.py --config configs/pretrain-corpus-full.yaml
--stage prepare`:

    python training/gpu/pack.py runs/pretrain-corpus-full/prepared --budget-mib 20
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np

from vnreport.data.io import load_jsonl

LIMIT_MIB = 64  # the device tool's working-tree limit


def tracked_mib(repo: Path) -> float:
    """Size of the files git tracks: they travel with every call."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=repo, capture_output=True, check=True).stdout.split(b"\0")
    return sum((repo / f.decode()).stat().st_size for f in files if f and (repo / f.decode()).is_file()) / 2**20


def sample_documents(ids: np.ndarray, eos: int, max_tokens: int, seed: int) -> np.ndarray:
    """Whole documents in random order until `max_tokens`; a document ends at `eos`."""
    ends = np.flatnonzero(ids == eos) + 1
    starts = np.concatenate([[0], ends[:-1]])
    order = np.random.default_rng(seed).permutation(len(starts))
    keep, total = [], 0
    for i in order:
        n = ends[i] - starts[i]
        if total + n > max_tokens:
            continue
        keep.append(ids[starts[i]:ends[i]])
        total += n
    return np.concatenate(keep).astype(np.uint16)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("prepared", help="the prepare stage's folder (ids.npy, tokenizer/)")
    ap.add_argument("--budget-mib", type=float, default=20, help="compressed size allowed for the id sample")
    ap.add_argument("--out", default=".carry/issue9")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    repo = Path(__file__).resolve().parents[2]
    prep, out = Path(args.prepared), repo / args.out
    out.mkdir(parents=True, exist_ok=True)
    ids = np.load(prep / "ids.npy")
    if ids.max() >= 2**16:
        raise SystemExit(f"{prep}/ids.npy: vocabulary larger than 65,536 ids does not fit uint16")
    from transformers import AutoTokenizer

    eos_id = AutoTokenizer.from_pretrained(str(prep / "tokenizer"), use_fast=False).eos_token_id
    tokens = len(ids)
    while True:  # shrink the sample until its compressed file fits the budget
        sample = sample_documents(ids, eos_id, tokens, args.seed)
        np.savez_compressed(out / "ids.npz", ids=sample)
        size = (out / "ids.npz").stat().st_size / 2**20
        if size <= args.budget_mib:
            break
        tokens = int(len(sample) * args.budget_mib / size * 0.97)
    shutil.copytree(prep / "tokenizer", out / "tokenizer", dirs_exist_ok=True)
    (out / "gold").mkdir(exist_ok=True)
    for split in ("train", "dev"):  # texts inlined: ../shared does not travel
        with open(out / "gold" / f"{split}.jsonl", "w", encoding="utf-8") as f:
            for doc in load_jsonl(repo / "data" / "gold" / f"{split}.jsonl"):
                rec = {"id": doc.id, "text": doc.text, "entities": [s.to_dict() for s in doc.entities],
                       "directives": [s.to_dict() for s in doc.directives]}
                for layer in ("entities", "directives"):
                    for s in rec[layer]:
                        s.pop("text", None)
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    carried = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**20
    wheels = sum(p.stat().st_size for p in (repo / ".whl").glob("*.whl")) / 2**20 if (repo / ".whl").exists() else 0.0
    total = tracked_mib(repo) + carried + wheels
    print(f"sample: {len(sample):,} of {len(ids):,} tokens ({len(sample) / len(ids):.1%}); "
          f"{args.out}: {carried:.1f} MiB; wheels {wheels:.1f} MiB; tracked {tracked_mib(repo):.1f} MiB; "
          f"total {total:.1f} of {LIMIT_MIB} MiB")
    if total > LIMIT_MIB:
        raise SystemExit(f"over the device's {LIMIT_MIB} MiB: lower --budget-mib by {total - LIMIT_MIB + 1:.0f}")


if __name__ == "__main__":
    main()
