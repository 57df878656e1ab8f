"""Training checkpoints that survive a crash mid-write and cannot run code when read.

`checkpoint-last/` holds `state.pt` (model, optimizer, scheduler, progress and the torch
RNG: tensors and plain values only) and, for a run that learned its own BPE, the
tokenizer the weights were trained with: relearning it on resume would put token ids in
another order, and the restored embedding rows would then belong to other tokens.

`state.pt` is read with `weights_only=True`, so a crafted file in a received output
folder cannot run code: it is refused like any unreadable file. It is written to a
temporary file and renamed into place; the one it replaces stays as `state.prev.pt`. A
state that cannot be read (truncated by a power cut, a full disk, a kill during the write)
is reported in one line, and the previous one, or a clean start, is used instead. Whole
folders (`best/`, the tokenizer) are written beside their place and swapped in, so a crash
never leaves a half-written `best/`.
"""
from __future__ import annotations

import os
import pickle
import shutil
import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import torch

from vnreport.errors import BadValueError

STATE, PREVIOUS, TOKENIZER = "state.pt", "state.prev.pt", "tokenizer"
_UNREADABLE = (RuntimeError, EOFError, OSError, ValueError, pickle.UnpicklingError, zipfile.BadZipFile)


def save_state(ckpt: Path, payload: dict[str, Any]) -> None:
    """Write `payload` (+ the torch RNG) as ckpt/state.pt atomically, keeping the last one as state.prev.pt."""
    ckpt.mkdir(parents=True, exist_ok=True)
    tmp = ckpt / f"{STATE}.tmp"
    torch.save({**payload, "rng": torch.get_rng_state()}, tmp)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    if (ckpt / STATE).exists():
        os.replace(ckpt / STATE, ckpt / PREVIOUS)
    os.replace(tmp, ckpt / STATE)


def load_state(ckpt: Path, device: torch.device | str = "cpu") -> dict[str, Any] | None:
    """The newest readable state in `ckpt`; None (a clean start) when there is none."""
    candidates = [ckpt / name for name in (STATE, PREVIOUS) if (ckpt / name).exists()]
    for i, path in enumerate(candidates):
        try:
            return torch.load(path, map_location=device, weights_only=True)
        except _UNREADABLE as e:  # truncated, not a checkpoint, or holding objects (code) we refuse to load
            then = "using the previous checkpoint" if i + 1 < len(candidates) else "starting from scratch"
            reason = (str(e).strip().splitlines() or [""])[0][:160]
            print(f"warning: {path} cannot be read ({type(e).__name__}: {reason}); {then}", file=sys.stderr)
    return None


def restore(payload: dict[str, Any], model: torch.nn.Module, optimizer, scheduler) -> None:
    """Load a state into the objects of this run; a clear error when the config changed since."""
    try:
        model.load_state_dict(payload["model"])
        optimizer.load_state_dict(payload["optimizer"])
        scheduler.load_state_dict(payload["scheduler"])
    except (RuntimeError, ValueError, KeyError) as e:
        raise BadValueError(f"checkpoint-last does not fit this config ({str(e).strip().splitlines()[0][:200]}); "
                            "delete it or set train.resume: false to start again") from None
    if "rng" in payload:
        torch.set_rng_state(payload["rng"].cpu())


def tokenizer_dir(ckpt: Path) -> Path | None:
    """The tokenizer saved with the checkpoint, if there is one."""
    path = ckpt / TOKENIZER
    return path if path.is_dir() else None


def save_tokenizer(ckpt: Path, tokenizer) -> None:
    """Keep the run's tokenizer beside its state, written once as a run starts or resumes."""
    with atomic_dir(ckpt / TOKENIZER) as tmp:
        tokenizer.save_pretrained(str(tmp))


def save_best(tagger, path: Path, extra_meta: dict[str, Any]) -> None:
    """`Tagger.save` into a folder swapped in whole: a crash during the write keeps the old best."""
    with atomic_dir(path) as tmp:
        tagger.save(tmp, extra_meta=extra_meta)


@contextmanager
def atomic_dir(final: Path) -> Iterator[Path]:
    """Yield a fresh folder beside `final`; once written in full, it replaces `final`."""
    old, tmp = final.with_name(final.name + ".old"), final.with_name(final.name + ".tmp")
    if old.exists() and not final.exists():  # a crash between the two renames below
        os.replace(old, final)
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    yield tmp
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        os.replace(final, old)
    os.replace(tmp, final)
    shutil.rmtree(old, ignore_errors=True)
