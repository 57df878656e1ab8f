"""`vnreport.load()`: the embedded default model, a saved directory, or a hub id."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError

from vnreport.errors import BadValueError, MissingError
from vnreport.pipeline import META_FILE, Tagger, resolve_device
from vnreport.segment import get_segmenter

DEFAULT_MODEL_DIR = Path(__file__).parent / "models" / "default"
_HUB_ID = re.compile(r"[A-Za-z0-9][\w.-]*(?:/[\w.-]+)?")  # "owner/name" or "name"


def load(path_or_hub_id: str | Path | None = None, device: str | torch.device | None = None,
         dtype: torch.dtype | None = None, stride: int | None = None, quantize: str | None = None,
         runtime: str | None = None) -> Tagger:
    """Load a vnreport tagger; with no argument, the model shipped inside the package (offline).

    `stride` overrides the saved overlap between windows (subwords). The default 64 gives
    the first words of a window the sentence before them; 0 runs ~15 % fewer positions
    through the model for a small loss of accuracy (benchmarks/RESULTS.md).
    `quantize="int8"` and `runtime="onnx"` run the encoder faster on a CPU (`vnreport.runtime`)."""
    from transformers import AutoTokenizer
    from transformers.utils import logging as hf_logging

    from vnreport.model import TaggerModel

    hf_logging.disable_progress_bar()

    device = resolve_device(device)  # a missing GPU is reported before minutes of loading
    if path_or_hub_id is None:
        src = DEFAULT_MODEL_DIR
        if not (src / META_FILE).exists():
            raise MissingError(f"the embedded default model is missing from {src}; reinstall vnreport or pass a model path")
    else:
        src = Path(path_or_hub_id)
    if src.is_dir():
        ref, meta = str(src), read_meta(src / META_FILE)
    else:
        ref, meta = str(path_or_hub_id), _hub_meta(str(path_or_hub_id))
    try:
        model = TaggerModel.from_pretrained(ref, dtype=torch.float32)  # shipped weights may be fp16
        tokenizer = AutoTokenizer.from_pretrained(ref, use_fast=False)
    except (OSError, ValueError, SafetensorError) as e:
        raise BadValueError(f"model {ref} cannot be loaded, its files are missing or corrupt "
                            f"({_first_line(e)}); save or copy it again") from None
    segmenter = get_segmenter(meta["segmenter"]["name"])
    if stride is not None:
        meta = meta | {"stride": stride}
    tagger = Tagger(model, tokenizer, segmenter, meta, device=device, dtype=dtype)
    if quantize is not None or runtime not in (None, "torch"):
        from vnreport.runtime import optimize

        tagger.model = optimize(tagger.model, tagger.device, quantize, runtime)
    return tagger


def _first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


def read_meta(path: Path) -> dict[str, Any]:
    """A saved tagger's vnreport.json, with one clear error for a folder that is not one."""
    if not path.exists():
        raise BadValueError(f"{path.parent} has no {META_FILE}: it is not a vnreport tagger (fine-tune an encoder with training/train.py first)")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
        meta["segmenter"]["name"]  # the one field load() itself needs
    except (ValueError, KeyError, TypeError) as e:
        raise BadValueError(f"{path} is corrupt ({_first_line(e)}); save or copy the model again") from None
    return meta


def _hub_meta(ref: str) -> dict[str, Any]:
    """vnreport.json of a hub model; a path that does not exist is reported as such, not as a hub failure."""
    if Path(ref).exists():
        raise BadValueError(f"model {ref} is a file; a model is a folder holding {META_FILE}, model.safetensors and the tokenizer")
    if not _HUB_ID.fullmatch(ref) or Path(ref).parent.name and Path(ref).parent.is_dir():
        raise MissingError(f"model {ref}: no such folder")
    from huggingface_hub import hf_hub_download
    from huggingface_hub.utils import logging as hub_logging

    level = hub_logging.get_verbosity()
    hub_logging.set_verbosity_error()  # its retry warnings would bury our one line
    try:
        return read_meta(Path(hf_hub_download(ref, META_FILE)))
    except (OSError, ValueError) as e:
        raise MissingError(f"model {ref}: no such folder here, nor a vnreport model of that id on the hub "
                           f"({type(e).__name__}: offline, or no such repository)") from None
    finally:
        hub_logging.set_verbosity(level)
