"""CoNLL (one token per line, IOB2 columns) export and import, for exchange with other NER tools.

Columns: `token<TAB>entity_tag<TAB>directive_tag<TAB>misc`; a blank line ends a sentence;
a `# id = ...` line starts each document. Tokens are segmented words (`Võ_Văn_Hưng`) as
Vietnamese NER corpora write them; `misc` is `SpaceAfter=No` (as in CoNLL-U) where the
next token is glued to this one, else `_`. Import rebuilds the text from tokens and
`SpaceAfter`, so span texts survive while runs of whitespace become one space. Files
with 2 or 3 columns (no misc) are read too. Export counts spans whose edges fall inside
a token.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, TextIO

from vnreport.data.io import DataError
from vnreport.schema import LAYERS, Span
from vnreport.document import Document
from vnreport.segment import Segmenter, get_segmenter
from vnreport.spans import char_bio


@dataclass
class ExportStats:
    documents: int = 0
    tokens: int = 0
    misaligned: int = 0


def export_conll(docs: Iterable[Document], out: TextIO, segmenter: Segmenter | None = None) -> ExportStats:
    seg = segmenter or get_segmenter("pyvi")
    stats = ExportStats()
    for doc in docs:
        words = seg.segment(doc.text)
        units = [(w.start, w.end) for w in words]
        starts, ends = {u[0] for u in units}, {u[1] for u in units}
        tags = {}
        for layer in LAYERS:
            spans = doc.layer(layer)
            stats.misaligned += sum(1 for s in spans if s.start not in starts or s.end not in ends)
            tags[layer] = char_bio(units, [(s.start, s.end, s.label) for s in spans])
        out.write(f"# id = {doc.id}\n")
        for i, w in enumerate(words):
            if w.sent_start and i:
                out.write("\n")
            glued = i + 1 < len(words) and words[i + 1].start == w.end
            out.write(f"{w.form}\t{tags['entities'][i]}\t{tags['directives'][i]}\t{'SpaceAfter=No' if glued else '_'}\n")
        out.write("\n")
        stats.documents += 1
        stats.tokens += len(words)
    return stats


def _close(open_spans: dict, layer: str, end: int, spans: dict) -> None:
    if layer in open_spans:
        label, start = open_spans.pop(layer)
        spans[layer].append(Span(start, end, label))


def read_conll(path: str | Path) -> list[Document]:
    """Documents from a CoNLL file written by `export_conll` (or any 2–3 column IOB2 file)."""
    path = Path(path)
    docs: list[Document] = []
    state: dict = {}

    def finish() -> None:
        if state:
            for layer in LAYERS:
                _close(state["open"], layer, state["last_end"], state["spans"])
            text = "".join(state["parts"])
            docs.append(Document(text=text, id=state["id"], **{k: [Span(s.start, s.end, s.label, text[s.start:s.end]) for s in v] for k, v in state["spans"].items()}))

    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if line.startswith("# id = ") or (not state and line.strip()):
                finish()
                state.clear()
                state.update(id=line[7:] if line.startswith("# id = ") else f"{path.stem}-{len(docs)}", parts=[], open={},
                             spans={layer: [] for layer in LAYERS}, last_end=0, pos=0, space=False)
                if line.startswith("# id = "):
                    continue
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) not in (2, 3, 4):
                raise DataError(path, lineno, f"expected 2 to 4 tab-separated columns, got {len(cols)}")
            token = cols[0].replace("_", " ")
            if state["space"]:
                state["parts"].append(" ")
                state["pos"] += 1
            start = state["pos"]
            state["parts"].append(token)
            end = start + len(token)
            state["space"] = not (len(cols) == 4 and "SpaceAfter=No" in cols[3])
            tag_cols = (cols[1:3] + ["O"])[:2]
            for layer, tag in zip(LAYERS, tag_cols):
                if tag == "O":
                    _close(state["open"], layer, state["last_end"], state["spans"])
                    continue
                prefix, _, label = tag.partition("-")
                if prefix not in ("B", "I") or label not in LAYERS[layer]:
                    raise DataError(path, lineno, f"bad {layer} tag {tag!r}")
                cur = state["open"].get(layer)
                if prefix == "B" or cur is None or cur[0] != label:
                    _close(state["open"], layer, state["last_end"], state["spans"])
                    state["open"][layer] = (label, start)
            state["pos"], state["last_end"] = end, end
    finish()
    return docs
