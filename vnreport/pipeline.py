"""The tagger: text → normalize → segment → subwords → windows → model → spans.

Each step is its own method (sanitize, preprocess, forward, postprocess), as in
Hugging Face's token-classification pipeline, so each can be tested and timed alone.
Windows of many documents are batched together, sorted by length to pad little.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import torch

from vnreport.model import LAYER_NAMES, TaggerModel
from vnreport.normalize import NormalizedText, normalize
from vnreport.schema import Span
from vnreport.document import Document
from vnreport.errors import BadValueError
from vnreport.segment import Segmenter, Word, get_segmenter
from vnreport.spans import clause_ends, decode, line_breaks, trim
from vnreport.subwords import SubwordEncoder
from vnreport.windows import Window, merge, plan_windows

META_FILE = "vnreport.json"


def resolve_device(device: str | torch.device | None) -> torch.device:
    """The device asked for (default: cuda when present), or one clear error when this machine lacks it."""
    if device is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError):
        raise BadValueError(f"unknown device {str(device)!r}: use cpu, cuda or cuda:N") from None
    try:
        torch.empty(0, device=dev)  # fails here, not mid-prediction, without CUDA or with a wrong index
    except (RuntimeError, AssertionError) as e:
        have = f"{torch.cuda.device_count()} CUDA device(s) here" if torch.cuda.is_available() else "CUDA is not available here"
        raise BadValueError(f"device {str(device)!r} cannot be used ({have}; {str(e).splitlines()[0]}): use cpu") from None
    return dev


@dataclass
class Prepared:
    """A document after preprocessing: everything the model and the decoder need."""

    norm: NormalizedText
    words: list[Word]
    subwords: list[tuple[int, ...]]
    windows: list[Window]


def window_inputs(p: Prepared, win: Window, cls_id: int, sep_id: int) -> tuple[list[int], list[int]]:
    """Input ids of one window and the position of each word's first subword."""
    ids, firsts = [cls_id], []
    for k in range(win.first, win.last):
        firsts.append(len(ids))
        ids.extend(p.subwords[k])
    ids.append(sep_id)
    return ids, firsts


class Tagger:
    """A loaded model with its tokenizer, segmenter and self-description (`meta`)."""

    def __init__(self, model: TaggerModel, tokenizer, segmenter: Segmenter, meta: dict[str, Any] | None = None,
                 device: str | torch.device | None = None, dtype: torch.dtype | None = None):
        self.device = resolve_device(device)
        self.model = model.to(self.device).eval()
        self.dtype = dtype if dtype is not None else (torch.bfloat16 if self.device.type == "cuda" else None)
        self.tokenizer = tokenizer
        self.segmenter = segmenter
        self.encoder = SubwordEncoder(tokenizer)
        self.meta = meta or {}
        self.max_subwords = int(self.meta.get("max_length", 256)) - 2
        self.stride = int(self.meta.get("stride", 64))
        if not 0 <= self.stride < self.max_subwords:  # a stride ≥ the window would never move forward
            raise BadValueError(f"stride must be ≥ 0 and smaller than the window ({self.max_subwords} subwords), got {self.stride}")
        # layers whose spans end only at punctuation, a sentence end or the text end
        self.clause_end_layers = tuple(self.meta.get("clause_end_layers", ["directives"]))
        # layers whose spans never run across a line break (dev: entities gain, directives do not)
        self.line_cut_layers = tuple(self.meta.get("line_cut_layers", ["entities"]))
        self.labels = model.layer_labels

    # -- the four steps -------------------------------------------------------------
    @staticmethod
    def sanitize(texts: str | Sequence[str], batch_size: int = 32) -> tuple[list[str], bool]:
        """The texts as a list, and whether one str was given; a clear error for anything else.

        bytes and dicts are iterable but would be read as numbers or keys: refused, not guessed."""
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise BadValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        if isinstance(texts, str):
            return [texts], True
        if isinstance(texts, (bytes, bytearray, memoryview)):
            raise TypeError("predict() takes str or a list of str, not bytes: decode them first, e.g. data.decode('utf-8')")
        if isinstance(texts, Mapping) or not isinstance(texts, Iterable):
            raise TypeError(f"predict() takes str or a list of str, not {type(texts).__name__}")
        items = list(texts)
        for i, t in enumerate(items):
            if not isinstance(t, str):
                raise TypeError(f"predict() takes str or a list of str; item {i} is {type(t).__name__}")
        return items, False

    def preprocess(self, text: str) -> Prepared:
        norm = normalize(text)
        words = self.segmenter.segment(norm.text)
        subwords = self.encoder.encode(words)
        windows = plan_windows(words, [len(s) for s in subwords], self.max_subwords, self.stride)
        return Prepared(norm, words, subwords, windows)

    @torch.inference_mode()
    def forward(self, prepared: Sequence[Prepared], batch_size: int = 32) -> list[dict[str, list[np.ndarray]]]:
        """Per document, per layer: word probabilities of each window."""
        jobs = [(d, w) for d, p in enumerate(prepared) for w in range(len(p.windows))]
        inputs = {job: window_inputs(prepared[job[0]], prepared[job[0]].windows[job[1]], self.encoder.cls_id, self.encoder.sep_id) for job in jobs}
        jobs.sort(key=lambda j: len(inputs[j][0]))
        out: list[dict[str, list[np.ndarray]]] = [{layer: [None] * len(p.windows) for layer in LAYER_NAMES} for p in prepared]
        for b in range(0, len(jobs), batch_size):
            batch = jobs[b:b + batch_size]
            width = max(len(inputs[j][0]) for j in batch)
            ids = torch.full((len(batch), width), self.encoder.pad_id, dtype=torch.long)
            mask = torch.zeros((len(batch), width), dtype=torch.long)
            for r, j in enumerate(batch):
                seq = inputs[j][0]
                ids[r, :len(seq)] = torch.tensor(seq)
                mask[r, :len(seq)] = 1
            with torch.autocast(self.device.type, dtype=self.dtype or torch.float32, enabled=self.dtype is not None):
                logits = self.model(ids.to(self.device), mask.to(self.device))
            for layer in LAYER_NAMES:
                probs = torch.softmax(logits[layer].float(), dim=-1).cpu().numpy()
                for r, j in enumerate(batch):
                    out[j[0]][layer][j[1]] = probs[r, inputs[j][1]]
        return out

    def postprocess(self, p: Prepared, window_probs: dict[str, list[np.ndarray]]) -> Document:
        text = p.norm.original
        layers: dict[str, list[Span]] = {}
        cuts = line_breaks(p.norm.text, p.words)
        for layer in LAYER_NAMES:
            spans: list[Span] = []
            if p.words:
                probs = merge(len(p.words), p.windows, window_probs[layer])
                may_end = clause_ends(p.words) if layer in self.clause_end_layers else None
                cut = cuts if layer in self.line_cut_layers else None
                for first, last, label, score in decode(probs, self.labels[layer], may_end, cut):
                    s, e = trim(p.norm.text, p.words[first].start, p.words[last - 1].end, layer)
                    if s == e:
                        continue
                    s, e = p.norm.to_original(s, e)
                    spans.append(Span(s, e, label, text[s:e], score))
            layers[layer] = spans
        return Document(text=text, **layers)

    # -- public API -----------------------------------------------------------------
    def predict(self, texts: str | Sequence[str], batch_size: int = 32, progress: bool = False) -> Document | list[Document]:
        """Spans (and records) for one text or many; any string is valid input."""
        items, single = self.sanitize(texts, batch_size)
        docs: list[Document] = []
        chunk = max(batch_size * 4, 64)
        from tqdm.auto import tqdm

        bar = tqdm(total=len(items), desc="predict", unit="doc", disable=not progress)
        for c in range(0, len(items), chunk):
            prepared = [self.preprocess(t) for t in items[c:c + chunk]]
            probs = self.forward(prepared, batch_size)
            docs.extend(self.postprocess(p, pr) for p, pr in zip(prepared, probs))
            bar.update(len(prepared))
        bar.close()
        return docs[0] if single else docs

    def save(self, path: str | Path, extra_meta: dict[str, Any] | None = None) -> Path:
        """Write a self-describing model directory (weights, tokenizer, vnreport.json)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(str(path))
        self.tokenizer.save_pretrained(str(path))
        meta = describe(self.model, self.segmenter, self.meta | (extra_meta or {}))
        (path / META_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
        self.meta = meta
        return path


def describe(model: TaggerModel, segmenter: Segmenter, meta: dict[str, Any]) -> dict[str, Any]:
    """The self-description saved with a model: labels, segmenter, versions (+ training facts)."""
    import transformers

    from vnreport.version import __version__
    from vnreport.schema import SCHEMA_VERSION

    return {
        **meta,
        "vnreport_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "transformers_version": transformers.__version__,
        "torch_version": torch.__version__.split("+")[0],
        "segmenter": {"name": segmenter.name, "version": segmenter.version},
        "labels": {layer: model.layer_labels[layer] for layer in LAYER_NAMES},
        "max_length": meta.get("max_length", 256),
        "stride": meta.get("stride", 64),
        "clause_end_layers": meta.get("clause_end_layers", ["directives"]),
        "line_cut_layers": meta.get("line_cut_layers", ["entities"]),
    }
