"""Inline markup for annotators: `<PER>Võ Văn Hưng</PER>`, `<DIR>...</DIR>`.

Annotators (people or review tools) read and edit running text more reliably than
offset lists. A markup file has header lines `#@ key: value` (`id`, optional `ref`
= `FILE#ID` or `FILE` for a real document, optional `meta` as JSON) and then the
body. Tags of the two layers may interleave; within a layer they may not nest.
For a `ref` document the body with its tags removed must equal the source text
exactly, so a real text can never be silently changed by annotation.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from vnreport.data.io import DataError, check_document, fetch_ref_text
from vnreport.schema import LAYERS, LabelSet, Span
from vnreport.document import Document


def _tags(labels: LabelSet) -> tuple[dict[str, str], re.Pattern | None]:
    """Label → layer, and the pattern of the tags of a label set (only its labels are tags)."""
    layer_of = {lab: layer for layer, labs in labels.items() for lab in labs}
    names = "|".join(sorted(map(re.escape, layer_of), key=len, reverse=True))
    return layer_of, re.compile(r"<(/?)(" + names + r")>") if names else None


def parse_ref(ref: str) -> dict[str, str]:
    file, _, ident = ref.partition("#")
    return {"file": file, "id": ident} if ident else {"file": file}


def _line_col(body: str, pos: int, first_line: int) -> tuple[int, int]:
    line = body.count("\n", 0, pos)
    col = pos - (body.rfind("\n", 0, pos) + 1)
    return first_line + line, col + 1


def parse_markup(source: str, path: str | Path = "<markup>", labels: LabelSet | None = None) -> Document:
    """Turn a markup file's content into a Document; raise DataError naming line and column.

    Tags are the labels of `labels` (default SPEC.md's); other `<...>` text stays text."""
    path = Path(path)
    layer_of, tag_re = _tags(labels or LAYERS)
    lines = source.split("\n")
    header: dict[str, str] = {}
    n = 0
    while n < len(lines) and lines[n].startswith("#@ "):
        key, _, value = lines[n][3:].partition(":")
        header[key.strip()] = value.strip()
        n += 1
    body = "\n".join(lines[n:])
    if "id" not in header:
        raise DataError(path, 1, "markup needs a header line '#@ id: ...'")
    text_parts: list[str] = []
    open_tags: dict[str, tuple[str, int, int]] = {}  # layer -> (label, text offset, body pos)
    spans: dict[str, list[Span]] = {layer: [] for layer in LAYERS}
    out_len = 0
    pos = 0
    for m in tag_re.finditer(body) if tag_re else ():
        chunk = body[pos:m.start()]
        text_parts.append(chunk)
        out_len += len(chunk)
        pos = m.end()
        closing, label = m.group(1) == "/", m.group(2)
        layer = layer_of[label]
        line, col = _line_col(body, m.start(), n + 1)
        if not closing:
            if layer in open_tags:
                other = open_tags[layer][0]
                raise DataError(path, line, f"column {col}: <{label}> opens inside an open <{other}> of the same layer")
            open_tags[layer] = (label, out_len, m.start())
            continue
        if layer not in open_tags or open_tags[layer][0] != label:
            raise DataError(path, line, f"column {col}: </{label}> closes nothing open")
        _, start, _ = open_tags.pop(layer)
        spans[layer].append(Span(start, out_len, label))
    text_parts.append(body[pos:])
    for layer, (label, _, bpos) in open_tags.items():
        line, col = _line_col(body, bpos, n + 1)
        raise DataError(path, line, f"column {col}: <{label}> is never closed")
    text = "".join(text_parts)
    try:
        meta = json.loads(header["meta"]) if "meta" in header else {}
    except json.JSONDecodeError as e:
        raise DataError(path, 1, f"header 'meta' is not valid JSON ({e.msg})") from None
    if not isinstance(meta, dict):
        raise DataError(path, 1, "header 'meta' must be a JSON object")
    if "ref" in header:
        ref = parse_ref(header["ref"])
        try:
            source_text = fetch_ref_text(ref, path.parent)
        except (FileNotFoundError, KeyError, ValueError) as e:
            raise DataError(path, 1, f"ref cannot be resolved: {e}") from None
        if text.endswith("\n") and not source_text.endswith("\n"):
            text = text[:-1]
        if text != source_text:
            i = next((k for k, (a, b) in enumerate(zip(text, source_text)) if a != b), min(len(text), len(source_text)))
            line, col = text.count("\n", 0, i) + n + 1, i - (text.rfind("\n", 0, i) + 1) + 1
            raise DataError(path, line, f"column {col}: text differs from the source at character {i}: "
                            f"markup has {text[i:i + 30]!r}, source has {source_text[i:i + 30]!r}")
        meta["text_ref"] = ref
    else:
        stripped = text.rstrip()
        text = unicodedata.normalize("NFC", stripped)
        if text != stripped:
            raise DataError(path, 1, "body is not NFC-normalized")
    layers = {}
    for layer, lst in spans.items():
        checked = []
        for s in sorted(lst, key=lambda s: s.start):
            piece = text[s.start:s.end]
            if not piece or piece != piece.strip():
                line, _ = _line_col(text, s.start, n + 1)
                raise DataError(path, line, f"<{s.label}>{piece}</{s.label}> is empty or begins/ends with whitespace")
            checked.append(Span(s.start, s.end, s.label, piece))
        layers[layer] = checked
    return check_document(Document(text=text, id=header["id"], meta=meta, **layers), path, 1, labels)


def to_markup(doc: Document) -> str:
    """Render a Document back to markup (inverse of parse_markup)."""
    events: list[tuple[int, int, str]] = []
    for layer in LAYERS:
        outer = layer == "directives"
        for s in doc.layer(layer):
            events.append((s.start, 2 if outer else 3, f"<{s.label}>"))
            events.append((s.end, 1 if outer else 0, f"</{s.label}>"))
    events.sort(key=lambda e: (e[0], e[1]))
    head = [f"#@ id: {doc.id}"]
    meta = dict(doc.meta)
    ref = meta.pop("text_ref", None)
    if ref:
        head.append(f"#@ ref: {ref['file']}" + (f"#{ref['id']}" if ref.get("id") else ""))
    if meta:
        head.append(f"#@ meta: {json.dumps(meta, ensure_ascii=False)}")
    parts, pos = [], 0
    for off, _, tag in events:
        parts.append(doc.text[pos:off])
        parts.append(tag)
        pos = off
    parts.append(doc.text[pos:])
    return "\n".join(head) + "\n" + "".join(parts) + "\n"
