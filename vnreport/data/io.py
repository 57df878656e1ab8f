"""SPEC.md §2 JSONL: strict loading with errors that name file, line and span.

Real third-party documents are stored as a reference (`text_ref`) plus `text_sha256`;
the loader joins the text from `../shared/` and refuses a hash mismatch, so no
third-party text needs to live in this repository.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

from vnreport.schema import LAYERS, Span
from vnreport.document import Document


class DataError(ValueError):
    """A problem in a data file, located by file, line and (where relevant) span."""

    def __init__(self, path: str | Path, line: int | None, message: str):
        where = f"{path}" + (f":{line}" if line is not None else "")
        super().__init__(f"{where}: {message}")
        self.path, self.line, self.reason = str(path), line, message


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def resolve_ref_path(ref_file: str, base: Path) -> Path:
    """Find a referenced file relative to the data file's folder or any folder above it, or the cwd."""
    p = Path(ref_file)
    if p.is_absolute():
        return p
    base = base.resolve()
    for root in [base, *base.parents, Path.cwd()]:
        cand = root / p
        if cand.exists():
            return cand
    raise FileNotFoundError(ref_file)


@lru_cache(maxsize=16)
def _read_source(path: str) -> dict[str | None, str]:
    """All texts of a source file: `{id: text}` for JSONL(.gz), `{None: text}` for plain text."""
    if path.endswith(".jsonl") or path.endswith(".jsonl.gz"):
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            return {rec["id"]: rec["text"] for rec in map(json.loads, f)}
    return {None: Path(path).read_text(encoding="utf-8")}


def fetch_ref_text(ref: dict[str, Any], base: Path) -> str:
    """The NFC text a `text_ref` points at (file, and `id` within a JSONL corpus)."""
    path = resolve_ref_path(ref["file"], base)
    texts = _read_source(str(path))
    key = ref.get("id")
    if key not in texts:
        raise KeyError(f"id {key!r} not in {ref['file']}")
    return unicodedata.normalize("NFC", texts[key])


def _check_spans(text: str, spans: Any, layer: str, where: tuple[Path, int]) -> list[Span]:
    path, lineno = where
    if not isinstance(spans, list):
        raise DataError(path, lineno, f"field '{layer}' must be a list")
    out: list[Span] = []
    for i, s in enumerate(spans):
        tag = f"{layer}[{i}]"
        if not isinstance(s, dict):
            raise DataError(path, lineno, f"{tag} is not an object")
        for key in ("start", "end", "label"):
            if key not in s:
                raise DataError(path, lineno, f"{tag} lacks field '{key}'")
        start, end, label = s["start"], s["end"], s["label"]
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
            raise DataError(path, lineno, f"{tag} start/end must be integers")
        if label not in LAYERS[layer]:
            raise DataError(path, lineno, f"{tag} has unknown label {label!r} (layer {layer} allows {', '.join(LAYERS[layer])})")
        if not 0 <= start < end <= len(text):
            raise DataError(path, lineno, f"{tag} [{start}, {end}) {label} is out of range for a text of {len(text)} characters")
        piece = text[start:end]
        if "text" in s and s["text"] != piece:
            raise DataError(path, lineno, f"{tag} [{start}, {end}) {label}: its text {s['text']!r} does not match the document's {piece!r}")
        if piece != piece.strip():
            raise DataError(path, lineno, f"{tag} [{start}, {end}) {label} {piece!r} begins or ends with whitespace")
        out.append(Span(start, end, label, piece))
    out.sort(key=lambda sp: (sp.start, sp.end))
    for a, b in zip(out, out[1:]):
        if b.start < a.end:
            raise DataError(path, lineno, f"{layer}: spans [{a.start}, {a.end}) {a.label} {a.text!r} and [{b.start}, {b.end}) {b.label} {b.text!r} overlap")
    return out


def parse_record(rec: Any, path: Path, lineno: int) -> Document:
    """Validate one JSONL record and turn it into a Document (text joined from its reference if needed)."""
    if not isinstance(rec, dict):
        raise DataError(path, lineno, "a record must be a JSON object")
    doc_id = rec.get("id")
    if not isinstance(doc_id, str) or not doc_id:
        raise DataError(path, lineno, "missing field 'id'")
    meta = dict(rec.get("meta") or {})
    if "text" in rec:
        text = rec["text"]
        if not isinstance(text, str):
            raise DataError(path, lineno, f"record {doc_id}: 'text' must be a string")
    elif "text_ref" in rec:
        ref = rec["text_ref"]
        if not isinstance(ref, dict) or "file" not in ref:
            raise DataError(path, lineno, f"record {doc_id}: 'text_ref' needs a 'file'")
        if "text_sha256" not in rec:
            raise DataError(path, lineno, f"record {doc_id}: a 'text_ref' needs 'text_sha256'")
        try:
            text = fetch_ref_text(ref, path.parent)
        except (FileNotFoundError, KeyError) as e:
            raise DataError(path, lineno, f"record {doc_id}: text_ref cannot be resolved: {e}") from None
        if sha256(text) != rec["text_sha256"]:
            raise DataError(path, lineno, f"record {doc_id}: the text at {ref} does not match text_sha256 (the source changed)")
        meta.setdefault("text_ref", ref)
    else:
        raise DataError(path, lineno, f"record {doc_id}: needs 'text' or 'text_ref'")
    if unicodedata.normalize("NFC", text) != text:
        raise DataError(path, lineno, f"record {doc_id}: text is not NFC-normalized")
    layers = {}
    for layer in LAYERS:
        if layer not in rec:
            raise DataError(path, lineno, f"record {doc_id}: missing field '{layer}'")
        layers[layer] = _check_spans(text, rec[layer], layer, (path, lineno))
    return Document(text=text, id=doc_id, meta=meta, **layers)


def read_documents(path: str | Path) -> Iterator[Document]:
    """Yield validated documents from a JSONL file; the first bad line raises DataError."""
    path = Path(path)
    seen: dict[str, int] = {}
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise DataError(path, lineno, f"not valid JSON ({e.msg} at column {e.colno})") from None
            doc = parse_record(rec, path, lineno)
            if doc.id in seen:
                raise DataError(path, lineno, f"duplicate id {doc.id!r} (first on line {seen[doc.id]})")
            seen[doc.id] = lineno
            yield doc


def load_jsonl(path: str | Path) -> list[Document]:
    return list(read_documents(path))


def to_record(doc: Document, inline_text: bool | None = None) -> dict[str, Any]:
    """A JSONL record; documents that came from a `text_ref` keep the reference, not the text."""
    meta = dict(doc.meta)
    ref = meta.pop("text_ref", None)
    rec: dict[str, Any] = {"id": doc.id}
    if ref is not None and not inline_text:
        rec["text_ref"] = ref
        rec["text_sha256"] = sha256(doc.text)
    else:
        rec["text"] = doc.text
    for layer in LAYERS:
        rec[layer] = [{"start": s.start, "end": s.end, "label": s.label} for s in doc.layer(layer)]
    if meta:
        rec["meta"] = meta
    return rec


def write_jsonl(docs: Iterable[Document], path: str | Path, inline_text: bool | None = None) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(to_record(doc, inline_text), ensure_ascii=False) + "\n")
