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
import zlib
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from vnreport.schema import LAYERS, LabelSet, Span
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


def open_text(path: str | Path, mode: str = "rt") -> IO:
    """A file of text or bytes, gzip-compressed when its name ends in `.gz`."""
    path = Path(path)
    if path.suffix == ".gz":
        return gzip.open(path, mode, encoding="utf-8") if "t" in mode else gzip.open(path, mode)
    return open(path, mode, encoding="utf-8") if "t" in mode else open(path, mode)


def json_lines(path: str | Path) -> Iterator[tuple[int, Any, str]]:
    """(line number, parsed value, line) of each non-blank line of a JSONL file (`.gz` too);
    a line that is not UTF-8 or not JSON, or a file that cannot be read, raises DataError."""
    try:
        f = open_text(path, "rb")
    except OSError as e:
        raise DataError(path, None, f"cannot read: {e.strerror}") from None
    lineno = 0
    try:
        with f:
            for lineno, raw in enumerate(f, 1):
                try:
                    line = raw.decode("utf-8").rstrip("\r\n")
                except UnicodeDecodeError as e:
                    raise DataError(path, lineno, f"not UTF-8 (byte 0x{raw[e.start]:02x} at byte {e.start + 1}); "
                                    "convert the file to UTF-8") from None
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as e:
                    raise DataError(path, lineno, f"not valid JSON ({e.msg} at column {e.colno})") from None
                yield lineno, value, line
    except (OSError, EOFError, zlib.error) as e:  # a damaged gzip shows only while reading
        raise DataError(path, lineno + 1, f"cannot read ({e})") from None


@lru_cache(maxsize=16)
def _read_source(path: str) -> dict[str | None, str]:
    """All texts of a source file: `{id: text}` for JSONL(.gz), `{None: text}` for plain text.

    A folder, a damaged gzip, bad JSON or a record without `id`/`text` raises ValueError."""
    if Path(path).is_dir():
        raise ValueError(f"{path} is a folder, not a corpus file")
    try:
        if not (path.endswith(".jsonl") or path.endswith(".jsonl.gz")):
            return {None: Path(path).read_text(encoding="utf-8")}
        texts: dict[str | None, str] = {}
        with open_text(path) as f:
            for n, line in enumerate(f, 1):
                rec = json.loads(line)
                if not (isinstance(rec, dict) and isinstance(rec.get("id"), str) and isinstance(rec.get("text"), str)):
                    raise ValueError(f"line {n} is not a record with a string 'id' and 'text'")
                texts[rec["id"]] = rec["text"]
        return texts
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as e:
        raise ValueError(f"cannot read {path}: {e}") from None


def fetch_ref_text(ref: dict[str, Any], base: Path) -> str:
    """The NFC text a `text_ref` points at (file, and `id` within a JSONL corpus)."""
    path = resolve_ref_path(ref["file"], base)
    texts = _read_source(str(path))
    key = ref.get("id")
    if key not in texts:
        raise KeyError(f"id {key!r} not in {ref['file']}")
    return unicodedata.normalize("NFC", texts[key])


def _check_spans(text: str, spans: Any, layer: str, allowed: tuple[str, ...], where: tuple[Path, int]) -> list[Span]:
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
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)):
            raise DataError(path, lineno, f"{tag} start/end must be integers")
        if label not in allowed:
            allows = ", ".join(allowed) or "no labels"
            raise DataError(path, lineno, f"{tag} has unknown label {label!r} (layer {layer} allows {allows}; "
                            "declare a label set with --labels or the training config's 'labels')")
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


def parse_record(rec: Any, path: Path, lineno: int, labels: LabelSet | None = None) -> Document:
    """Validate one JSONL record and turn it into a Document (text joined from its reference if needed).

    `labels`: the label set spans may use (default SPEC.md's)."""
    labels = LAYERS if labels is None else labels
    if not isinstance(rec, dict):
        raise DataError(path, lineno, "a record must be a JSON object")
    if "id" not in rec:
        raise DataError(path, lineno, "missing field 'id'")
    doc_id = rec["id"]
    if not isinstance(doc_id, str):
        raise DataError(path, lineno, f"field 'id' must be a non-empty string, not {type(doc_id).__name__}")
    if not doc_id:
        raise DataError(path, lineno, "field 'id' must be a non-empty string")
    if not isinstance(rec.get("meta", {}), dict):
        raise DataError(path, lineno, f"record {doc_id}: 'meta' must be an object, not {type(rec['meta']).__name__}")
    meta = dict(rec.get("meta") or {})
    if "text" in rec:
        text = rec["text"]
        if not isinstance(text, str):
            raise DataError(path, lineno, f"record {doc_id}: 'text' must be a string")
    elif "text_ref" in rec:
        ref = rec["text_ref"]
        if not isinstance(ref, dict) or not isinstance(ref.get("file"), str) or not isinstance(ref.get("id", ""), str):
            raise DataError(path, lineno, f"record {doc_id}: 'text_ref' needs a 'file' (and an 'id' within it), as strings")
        if "text_sha256" not in rec:
            raise DataError(path, lineno, f"record {doc_id}: a 'text_ref' needs 'text_sha256'")
        try:
            text = fetch_ref_text(ref, path.parent)
        except (FileNotFoundError, KeyError, ValueError) as e:
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
        layers[layer] = _check_spans(text, rec[layer], layer, tuple(labels.get(layer, ())), (path, lineno))
    return Document(text=text, id=doc_id, meta=meta, **layers)


def iter_documents(path: str | Path, labels: LabelSet | None = None) -> Iterator[tuple[int, Document]]:
    """(line, document) for each record of a JSONL file; the first bad line raises DataError."""
    path = Path(path)
    seen: dict[str, int] = {}
    for lineno, rec, _ in json_lines(path):
        doc = parse_record(rec, path, lineno, labels)
        if doc.id in seen:
            raise DataError(path, lineno, f"duplicate id {doc.id!r} (first on line {seen[doc.id]})")
        seen[doc.id] = lineno
        yield lineno, doc


def read_documents(path: str | Path, labels: LabelSet | None = None) -> Iterator[Document]:
    """Yield validated documents from a JSONL file (spans checked against `labels`, default SPEC.md's)."""
    return (doc for _, doc in iter_documents(path, labels))


def load_jsonl(path: str | Path, labels: LabelSet | None = None) -> list[Document]:
    return list(read_documents(path, labels))


def check_document(doc: Document, path: str | Path, line: int | None, labels: LabelSet | None = None) -> Document:
    """Validate a document a converter built, exactly as its JSONL line will be read back;
    an error names the source file and the line (or task) it came from."""
    try:
        checked = parse_record(to_record(doc, inline_text=True), Path(path), line or 0, labels)
    except DataError as e:
        raise DataError(path, line, e.reason) from None
    checked.meta = dict(doc.meta)  # keeps a `text_ref`, which the inline record left out
    return checked


def labels_used(docs: Iterable[Document]) -> LabelSet:
    """The labels documents use, per layer, in order of first use (an importer's label set
    when none is declared)."""
    seen: dict[str, dict[str, None]] = {layer: {} for layer in LAYERS}
    for d in docs:
        for layer in LAYERS:
            seen[layer].update((s.label, None) for s in d.layer(layer))
    return {layer: tuple(v) for layer, v in seen.items()}


def find_leaks(files: dict[str, list[tuple[int, Document]]]) -> list[str]:
    """Documents found in two files, by id or by text (SHA-256): a train/dev leak. One line each."""
    by_id: dict[str, tuple[str, int]] = {}
    by_text: dict[str, tuple[str, int, str]] = {}
    problems = []
    for path, docs in files.items():
        ids, texts = {}, {}
        for line, doc in docs:
            if doc.id in by_id:
                other = by_id[doc.id]
                problems.append(f"{path}:{line}: id {doc.id!r} is also in {other[0]}:{other[1]}")
            h = sha256(doc.text)
            if h in by_text and doc.text.strip():
                o = by_text[h]
                problems.append(f"{path}:{line}: the text of {doc.id!r} is also in {o[0]}:{o[1]} ({o[2]!r})")
            ids.setdefault(doc.id, (path, line))
            texts.setdefault(h, (path, line, doc.id))
        by_id |= {k: v for k, v in ids.items() if k not in by_id}
        by_text |= {k: v for k, v in texts.items() if k not in by_text}
    return problems


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
