"""Label statistics per file/split: documents, sentences, spans per label."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from vnreport.schema import LAYERS
from vnreport.document import Document

_SENT_END = re.compile(r"[.!?…]+(?=\s)|\n+")


@dataclass
class Stats:
    documents: int = 0
    sentences: int = 0
    characters: int = 0
    spans: Counter = field(default_factory=Counter)

    def add(self, doc: Document) -> None:
        self.documents += 1
        self.characters += len(doc.text)
        self.sentences += sum(1 for piece in _SENT_END.split(doc.text) if piece.strip())
        for layer in LAYERS:
            self.spans.update(s.label for s in doc.layer(layer))

    def row(self, labels: list[str] | None = None) -> dict[str, int]:
        """Counts per label: `labels`, else SPEC.md's followed by any other label the data uses."""
        if labels is None:
            labels = [lab for labs in LAYERS.values() for lab in labs]
            labels += sorted(set(self.spans) - set(labels))
        return {"documents": self.documents, "sentences": self.sentences, **{lab: self.spans[lab] for lab in labels}}


def compute(docs) -> Stats:
    st = Stats()
    for d in docs:
        st.add(d)
    return st


def markdown_table(rows: dict[str, Stats], labels: list[str] | None = None) -> str:
    """A Markdown table, one row per split or file; columns for `labels` (default: all used)."""
    labels = labels or list(dict.fromkeys(lab for st in rows.values() for lab in list(st.row())[2:]))
    cols = ["documents", "sentences", *labels] if rows else []
    out = ["| split | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for name, st in rows.items():
        out.append(f"| {name} | " + " | ".join(str(v) for v in st.row(labels).values()) + " |")
    return "\n".join(out)
