"""`vnreport.load()`: the embedded default model, a saved directory, or a hub id."""
from __future__ import annotations

import json
from pathlib import Path

import torch

from vnreport.pipeline import META_FILE, Tagger
from vnreport.segment import get_segmenter

DEFAULT_MODEL_DIR = Path(__file__).parent / "models" / "default"


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

    src = Path(path_or_hub_id) if path_or_hub_id is not None else DEFAULT_MODEL_DIR
    if path_or_hub_id is None and not (src / META_FILE).exists():
        raise FileNotFoundError(f"the embedded default model is missing from {src}; reinstall vnreport or pass a model path")
    if src.is_dir():
        meta_path = src / META_FILE
        if not meta_path.exists():
            raise ValueError(f"{src} has no {META_FILE}: it is not a vnreport tagger (fine-tune an encoder with training/train.py first)")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        ref = str(src)
    else:  # a hub id: the hub copy must be a saved vnreport tagger too
        from huggingface_hub import hf_hub_download

        ref = str(path_or_hub_id)
        meta = json.loads(Path(hf_hub_download(ref, META_FILE)).read_text(encoding="utf-8"))
    model = TaggerModel.from_pretrained(ref, dtype=torch.float32)  # shipped weights may be fp16
    tokenizer = AutoTokenizer.from_pretrained(ref, use_fast=False)
    segmenter = get_segmenter(meta["segmenter"]["name"])
    if stride is not None:
        if stride < 0:
            raise ValueError(f"stride must be ≥ 0 subwords, got {stride}")
        meta = meta | {"stride": stride}
    tagger = Tagger(model, tokenizer, segmenter, meta, device=device, dtype=dtype)
    if quantize is not None or runtime not in (None, "torch"):
        from vnreport.runtime import optimize

        tagger.model = optimize(tagger.model, tagger.device, quantize, runtime)
    return tagger
