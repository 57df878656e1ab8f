"""The tagger: text → normalize → segment → subwords → windows → model → spans.

Each step is its own method (sanitize, preprocess, forward, postprocess), as in
Hugging Face's token-classification pipeline, so each can be tested and timed alone.
Windows of many documents are batched together, sorted by length to pad little.
"""
from __future__ import annotations

import json
import weakref
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import torch

from vnreport.document import Document
from vnreport.errors import BadValueError
from vnreport.model import TaggerModel
from vnreport.processing import Prepared, TextProcessor, window_inputs
from vnreport.schema import LAYERS
from vnreport.segment import Segmenter
from vnreport.spans import Transitions
from vnreport.windows import DEFAULT_BATCH_SIZE

META_FILE = "vnreport.json"

__all__ = ["DEFAULT_BATCH_SIZE", "META_FILE", "Prepared", "Tagger", "describe", "resolve_device", "window_inputs", "write_meta"]


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


class Tagger:
    """A loaded model with its tokenizer, segmenter and self-description (`meta`)."""

    def __init__(self, model: TaggerModel, tokenizer, segmenter: Segmenter, meta: dict[str, Any] | None = None,
                 device: str | torch.device | None = None, dtype: torch.dtype | None = None):
        self.device = resolve_device(device)
        self.model = model.to(self.device).eval()
        self.dtype = dtype if dtype is not None else (torch.bfloat16 if self.device.type == "cuda" else None)
        self.meta = meta or {}
        self.labels = model.layer_labels
        max_subwords, stride = int(self.meta.get("max_length", 256)) - 2, int(self.meta.get("stride", 64))
        if not 0 <= stride < max_subwords:  # a stride ≥ the window would never move forward
            raise BadValueError(f"stride must be ≥ 0 and smaller than the window ({max_subwords} subwords), got {stride}")
        self.text = TextProcessor(tokenizer, segmenter, self.labels, max_subwords, stride,
                                  self.meta.get("clause_end_layers", ["directives"]),
                                  self.meta.get("line_cut_layers", ["entities"]),
                                  read_transitions(self.meta.get("transitions") or {}, self.labels),
                                  min_scores=read_min_scores(self.meta.get("min_scores") or {}, self.labels))
        self._pool = None

    # the text side lives in `self.text` (it runs in worker processes too)
    tokenizer = property(lambda self: self.text.tokenizer)
    segmenter = property(lambda self: self.text.segmenter)
    encoder = property(lambda self: self.text.encoder)
    max_subwords = property(lambda self: self.text.max_subwords)
    stride = property(lambda self: self.text.stride)
    clause_end_layers = property(lambda self: self.text.clause_end_layers)
    line_cut_layers = property(lambda self: self.text.line_cut_layers)

    # -- the four steps -------------------------------------------------------------
    @staticmethod
    def sanitize(texts: str | Sequence[str], batch_size: int = DEFAULT_BATCH_SIZE) -> tuple[list[str], bool]:
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
        return self.text.preprocess(text)

    @torch.inference_mode()
    def forward(self, prepared: Sequence[Prepared], batch_size: int = DEFAULT_BATCH_SIZE) -> list[dict[str, list[np.ndarray]]]:
        """Per document, per layer: word probabilities of each window.

        Windows of all documents are sorted by length so a batch pads little. Only each
        word's first subword is read, so those rows are picked on the device before one
        softmax per layer, and each batch makes one copy to the host, which on a GPU is
        asynchronous and waited for once at the end."""
        enc = self.encoder
        jobs = [(d, w, *window_inputs(p, win, enc.cls_id, enc.sep_id))
                for d, p in enumerate(prepared) for w, win in enumerate(p.windows)]
        jobs.sort(key=lambda j: len(j[2]))
        copies = []
        for b in range(0, len(jobs), batch_size):
            batch = jobs[b:b + batch_size]
            ids, mask, rows = _batch_arrays(batch, enc.pad_id)
            to_dev = (lambda a: torch.from_numpy(a).to(self.device, non_blocking=True))
            with torch.autocast(self.device.type, dtype=self.dtype or torch.float32, enabled=self.dtype is not None):
                logits = self.model(to_dev(ids), to_dev(mask))
            rows_dev = to_dev(rows)
            probs = torch.cat([torch.softmax(logits[layer].flatten(0, 1).index_select(0, rows_dev).float(), dim=-1)
                               for layer in LAYERS], dim=1)
            copies.append((batch, probs.to("cpu", non_blocking=True)))
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
        out: list[dict[str, list[np.ndarray]]] = [{layer: [None] * len(p.windows) for layer in LAYERS} for p in prepared]
        cols = np.cumsum([0] + [len(self.labels[layer]) for layer in LAYERS])
        for batch, host in copies:
            probs = host.numpy()
            start = 0
            for d, w, _, firsts in batch:
                for i, layer in enumerate(LAYERS):
                    out[d][layer][w] = probs[start:start + len(firsts), cols[i]:cols[i + 1]]
                start += len(firsts)
        return out

    def postprocess(self, p: Prepared, window_probs: dict[str, list[np.ndarray]]) -> Document:
        return self.text.postprocess(p, window_probs)

    # -- public API -----------------------------------------------------------------
    def predict(self, texts: str | Sequence[str], batch_size: int = DEFAULT_BATCH_SIZE, progress: bool = False,
                num_workers: int = 0) -> Document | list[Document]:
        """Spans (and records) for one text or many; any string is valid input.

        `num_workers` > 0 segments, tokenizes and decodes in that many worker processes while
        the model runs (worth it on a GPU; the spans are the same)."""
        from tqdm.auto import tqdm

        items, single = self.sanitize(texts, batch_size)
        docs: list[Document] = []
        with tqdm(total=len(items), desc="predict", unit="doc", disable=not progress) as bar:
            for doc in self.stream(items, batch_size, num_workers):
                docs.append(doc)
                bar.update(1)
        return docs[0] if single else docs

    def stream(self, texts: Iterable[str], batch_size: int = DEFAULT_BATCH_SIZE, num_workers: int = 0) -> Iterator[Document]:
        """Documents in input order for an iterable of texts, holding a few chunks of it at a time."""
        chunk = max(batch_size * 4, 64)  # documents whose windows are sorted by length together
        if not num_workers:
            for group in _chunks(map(self.preprocess, texts), chunk):
                yield from map(self.postprocess, group, self.forward(group, batch_size))
            return
        pool = self._workers(num_workers)
        decoding: deque = deque()
        for group in _chunks(pool.preprocess(texts, ahead=2 * chunk), chunk):
            decoding.extend(map(pool.postprocess, group, self.forward(group, batch_size)))
            while len(decoding) > chunk:  # the workers decode this chunk while the model runs the next
                yield decoding.popleft().result()
        while decoding:
            yield decoding.popleft().result()

    def _workers(self, n: int):
        """The worker pool, started on first use and kept for later calls with the same `n`."""
        from vnreport.workers import TextPool

        if self._pool is None or self._pool.n != n:
            if self._pool is not None:
                self._pool.close()
            self._pool = TextPool(self.text, n)
            weakref.finalize(self, self._pool.close)
        return self._pool

    def save(self, path: str | Path, extra_meta: dict[str, Any] | None = None) -> Path:
        """Write a self-describing model directory (weights, tokenizer, vnreport.json)."""
        if not isinstance(self.model, TaggerModel) or hasattr(self.model, "vnreport_runtime"):
            raise ValueError("a quantized or ONNX tagger cannot be saved; save the model loaded without quantize/runtime")
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(str(path))
        self.tokenizer.save_pretrained(str(path))
        meta = describe(self.model, self.segmenter, self.meta | (extra_meta or {}))
        write_meta(path, meta)
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
        "labels": {layer: model.layer_labels[layer] for layer in LAYERS},
        "max_length": meta.get("max_length", 256),
        "stride": meta.get("stride", 64),
        "clause_end_layers": meta.get("clause_end_layers", ["directives"]),
        "line_cut_layers": meta.get("line_cut_layers", ["entities"]),
    }


def weights_sha256(model_dir: str | Path) -> str:
    """The fingerprint of a saved model's weights: learned transitions belong to the weights they were fitted on."""
    import hashlib

    return hashlib.sha256((Path(model_dir) / "model.safetensors").read_bytes()).hexdigest()


def write_meta(model_dir: Path, meta: dict[str, Any]) -> None:
    """(Re)write a model directory's vnreport.json: the one place its form (indented UTF-8 JSON) is set."""
    (Path(model_dir) / META_FILE).write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")


def read_transitions(spec: Any, labels: dict[str, list[str]], source: str = META_FILE) -> dict[str, Transitions]:
    """The learned CRF transitions a model describes (`transitions` in vnreport.json), per layer."""
    if not isinstance(spec, Mapping) or not set(spec) <= set(labels):
        raise BadValueError(f"{source}: transitions must map layers ({', '.join(labels)}) to their scores")
    return {layer: Transitions.from_dict(spec[layer], labels[layer], f"{source}: transitions.{layer}") for layer in spec}


def read_min_scores(spec: Any, labels: dict[str, list[str]], source: str = META_FILE) -> dict[str, float]:
    """The score floors a model describes (`min_scores` in vnreport.json): per layer, a number in [0, 1)."""
    if (not isinstance(spec, Mapping) or not set(spec) <= set(labels)
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v < 1 for v in spec.values())):
        raise BadValueError(f"{source}: min_scores must map layers ({', '.join(labels)}) to a score in [0, 1), got {spec!r}")
    return {layer: float(v) for layer, v in spec.items()}


def _batch_arrays(batch: list[tuple], pad_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Padded input ids, attention mask, and the flat (row * width + position) index of each
    word's first subword, for windows given as (doc, window, ids, firsts)."""
    width = max(len(j[2]) for j in batch)
    ids = np.full((len(batch), width), pad_id, dtype=np.int64)
    for r, j in enumerate(batch):
        ids[r, :len(j[2])] = j[2]
    lengths = np.array([len(j[2]) for j in batch])
    mask = (np.arange(width)[None, :] < lengths[:, None]).astype(np.int64)
    rows = np.concatenate([r * width + np.asarray(j[3], dtype=np.int64) for r, j in enumerate(batch)])
    return ids, mask, rows


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while group := list(islice(it, size)):
        yield group
