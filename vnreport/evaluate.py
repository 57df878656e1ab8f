"""Evaluation: strict span P/R/F1 (seqeval, IOB2, strict), partial-overlap P/R/F1,
a confusion table between labels and a list of errors per document.

Strict scores are computed on IOB2 tags over syllables (the finest units of the text),
so gold and predicted character spans are compared on the same grid, whatever word
segmentation the model used.
"""
from __future__ import annotations

import json
import warnings
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Sequence

from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from vnreport.schema import LAYERS, LabelSet, Span, labels_of_bio
from vnreport.document import Document
from vnreport.errors import BadValueError
from vnreport.segment import syllables
from vnreport.spans import char_bio

NONE = "—"


@dataclass
class Score:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class LayerReport:
    strict: dict[str, Score]
    partial: dict[str, Score]
    confusion: dict[str, dict[str, int]]  # gold label -> predicted label -> count ("—" = none)


@dataclass
class EvalReport:
    documents: int
    layers: dict[str, LayerReport]
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "layers": {k: asdict(v) for k, v in self.layers.items()}}

    def table(self) -> str:
        lines = []
        for layer, rep in self.layers.items():
            if list(rep.strict) == ["micro"]:  # a label set without this layer (e.g. no directives)
                lines.append(f"\n{layer}: no labels")
                continue
            lines.append(f"\n{layer}  ({self.documents} documents)")
            lines.append(f"{'label':8} {'strict P':>9} {'R':>6} {'F1':>6} {'partial P':>10} {'R':>6} {'F1':>6} {'support':>8}")
            for lab in rep.strict:
                s, p = rep.strict[lab], rep.partial[lab]
                lines.append(f"{lab:8} {s.precision:9.3f} {s.recall:6.3f} {s.f1:6.3f} {p.precision:10.3f} {p.recall:6.3f} {p.f1:6.3f} {s.support:8d}")
            declared = [lab for lab in rep.strict if lab != "micro"]
            if len(declared) > 1:
                labs = declared + [NONE]
                lines.append("confusion (rows gold, columns predicted; — = no span)")
                lines.append(" " * 8 + "".join(f"{c:>7}" for c in labs))
                for g in labs:
                    row = rep.confusion.get(g, {})
                    lines.append(f"{g:8}" + "".join(f"{row.get(c, 0):7d}" for c in labs))
        return "\n".join(lines)


def _prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> Score:
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_g / n_gold if n_gold else 0.0
    return Score(round(p, 4), round(r, 4), round(2 * p * r / (p + r), 4) if p + r else 0.0, n_gold)


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _strict(golds: list[list[str]], preds: list[list[str]], labels: Sequence[str]) -> dict[str, Score]:
    with warnings.catch_warnings():
        # seqeval averages over an empty array when a layer has no gold span at all; the
        # micro and per-label figures we keep are still defined (zero_division=0)
        warnings.simplefilter("ignore", RuntimeWarning)
        rep = classification_report(golds, preds, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    out = {}
    for lab in labels:
        r = rep.get(lab, {"precision": 0.0, "recall": 0.0, "f1-score": 0.0, "support": 0})
        out[lab] = Score(round(float(r["precision"]), 4), round(float(r["recall"]), 4), round(float(r["f1-score"]), 4), int(r["support"]))
    m = rep["micro avg"]
    out["micro"] = Score(round(float(m["precision"]), 4), round(float(m["recall"]), 4), round(float(m["f1-score"]), 4), int(m["support"]))
    return out


def _partial(gold: list[list[Span]], pred: list[list[Span]], labels: Sequence[str]) -> dict[str, Score]:
    counts = {lab: [0, 0, 0, 0] for lab in labels}  # matched preds, preds, matched golds, golds
    for g_doc, p_doc in zip(gold, pred):
        for lab in labels:
            g = [s for s in g_doc if s.label == lab]
            p = [s for s in p_doc if s.label == lab]
            c = counts[lab]
            c[1] += len(p)
            c[3] += len(g)
            c[0] += sum(any(_overlap(x, y) for y in g) for x in p)
            c[2] += sum(any(_overlap(x, y) for y in p) for x in g)
    out = {lab: _prf(*c) for lab, c in counts.items()}
    tot = [sum(c[i] for c in counts.values()) for i in range(4)]
    out["micro"] = _prf(*tot)
    return out


def _confusion_and_errors(doc_id: str, layer: str, gold: list[Span], pred: list[Span], conf: dict[str, Counter], errors: list) -> None:
    pred_set = {(s.start, s.end, s.label) for s in pred}
    for g in gold:
        best = max(pred, key=lambda p: _overlap(g, p), default=None)
        plab = best.label if best is not None and _overlap(g, best) else NONE
        conf.setdefault(g.label, Counter())[plab] += 1
        if (g.start, g.end, g.label) in pred_set:
            continue
        kind = "missed" if plab == NONE else ("boundary" if plab == g.label else "label")
        errors.append({"id": doc_id, "layer": layer, "type": kind, "gold": g.to_dict(),
                       "pred": best.to_dict() if plab != NONE else None})
    for p in pred:
        if not any(_overlap(p, g) for g in gold):
            conf.setdefault(NONE, Counter())[p.label] += 1
            errors.append({"id": doc_id, "layer": layer, "type": "spurious", "gold": None, "pred": p.to_dict()})


def _labels_to_score(declared: LabelSet | None, docs: Sequence[Document]) -> LabelSet:
    """Per layer: the declared labels (default SPEC.md's), then any other label a document uses,
    so that no span goes unscored."""
    base = LAYERS if declared is None else declared
    out = {}
    for layer in LAYERS:
        seen = dict.fromkeys(s.label for d in docs for s in d.layer(layer))
        out[layer] = tuple(base.get(layer, ())) + tuple(lab for lab in seen if lab not in base.get(layer, ()))
    return out


def score(gold: Sequence[Document], pred: Sequence[Document], labels: LabelSet | None = None) -> EvalReport:
    """Compare predicted documents with gold ones (same order, same texts), per declared label
    (`labels`, default SPEC.md's; labels the documents use beyond it are scored too)."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold documents but {len(pred)} predictions")
    errors: list[dict[str, Any]] = []
    layers = {}
    for layer, labels in _labels_to_score(labels, [*gold, *pred]).items():
        g_tags, p_tags, conf = [], [], {}
        for gd, pd in zip(gold, pred):
            units = [(s.start, s.end) for sent in syllables(gd.text) for s in sent]
            g_tags.append(char_bio(units, [(s.start, s.end, s.label) for s in gd.layer(layer)]))
            p_tags.append(char_bio(units, [(s.start, s.end, s.label) for s in pd.layer(layer)]))
            _confusion_and_errors(gd.id or "", layer, gd.layer(layer), pd.layer(layer), conf, errors)
        layers[layer] = LayerReport(
            strict=_strict(g_tags, p_tags, labels),
            partial=_partial([d.layer(layer) for d in gold], [d.layer(layer) for d in pred], labels),
            confusion={g: dict(c) for g, c in conf.items()},
        )
    return EvalReport(len(gold), layers, errors)


def of_origin(docs: Sequence[Document], origin: str | None, source: str) -> list[Document]:
    """The documents whose `meta.origin` is `origin` (all of them for None).

    Why: a split can mix real reports with text the project wrote, and the written ones are far
    easier (session 9: dev DIR strict 0.97 on them, 0.61 on the real ones), so a figure meant to
    predict real reports must be computed on the real documents alone."""
    if origin is None:
        return list(docs)
    kept = [d for d in docs if d.meta.get("origin") == origin]
    if not kept:
        present = sorted({str(d.meta.get("origin", "none")) for d in docs})
        raise BadValueError(f"{source}: no document has meta.origin {origin!r} (present: {', '.join(present) or 'no documents'})")
    return kept


def evaluate(tagger, data: str | Path | Sequence[Document], batch_size: int = 32, progress: bool = False,
             origin: str | None = None) -> EvalReport:
    """Run a tagger (or a model path) over gold data and score it (only documents of `origin`, if given)."""
    from vnreport.data.io import load_jsonl

    if isinstance(tagger, (str, Path)):
        from vnreport.loading import load

        tagger = load(tagger)
    labels = {layer: labels_of_bio(tags) for layer, tags in tagger.labels.items()}
    gold = load_jsonl(data, labels) if isinstance(data, (str, Path)) else list(data)
    gold = of_origin(gold, origin, str(data) if isinstance(data, (str, Path)) else "the documents")
    pred = tagger.predict([d.text for d in gold], batch_size=batch_size, progress=progress)
    for g, p in zip(gold, pred):
        p.id = g.id
    return score(gold, pred, labels)


def write_report(report: EvalReport, out_dir: str | Path) -> None:
    """metrics.json, errors.jsonl (one line per error) and report.txt."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
    with open(out / "errors.jsonl", "w", encoding="utf-8") as f:
        for e in report.errors:
            f.write(json.dumps(e, ensure_ascii=False) + "\n")
    (out / "report.txt").write_text(report.table() + "\n", encoding="utf-8")
