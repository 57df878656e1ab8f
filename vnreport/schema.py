"""Label schema (SPEC.md §1) and the span type every module shares.

This module imports nothing of vnreport, so every layer (records included) may import it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Protocol

SCHEMA_VERSION = 1

ENTITY_LABELS: tuple[str, ...] = ("PER", "TITLE", "ORG", "LOC", "IND", "VALUE", "RATE", "DATE")
DIRECTIVE_LABELS: tuple[str, ...] = ("DIR",)
LAYERS: dict[str, tuple[str, ...]] = {"entities": ENTITY_LABELS, "directives": DIRECTIVE_LABELS}


# A label set: the labels of each layer. SPEC.md's is the default; a training config may
# declare its own (`labels: {entities: [PER, ORG, LOC, MISC], directives: []}`).
LabelSet = dict[str, tuple[str, ...]]
_LABEL_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def bio_labels(labels: tuple[str, ...] | list[str]) -> list[str]:
    """IOB2 tag set for a layer, `O` first so that id 0 means outside."""
    return ["O"] + [f"{p}-{lab}" for lab in labels for p in ("B", "I")]


def labels_of_bio(tags: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The labels of an IOB2 tag list, in their order (inverse of `bio_labels`)."""
    return tuple(dict.fromkeys(t[2:] for t in tags if t != "O"))


def check_label(label: Any) -> str | None:
    """Why `label` cannot be a label name (None when it can): markup tags and BIO tags are made of it."""
    if not isinstance(label, str) or not _LABEL_RE.fullmatch(label):
        return f"label {label!r} must be letters, digits, '_', '-' or '.', starting with a letter or digit"
    if label == "O":
        return "'O' means outside a span and cannot be a label"
    return None


def label_set(spec: Mapping[str, Any] | None) -> LabelSet:
    """A checked label set from a config's `labels` mapping; a layer left out has no labels.

    None gives SPEC.md's set. Raises ValueError with one line saying what is wrong."""
    if spec is None:
        return dict(LAYERS)
    if not isinstance(spec, Mapping):
        raise ValueError(f"labels must map layers ({', '.join(LAYERS)}) to lists of labels, got {type(spec).__name__}")
    unknown = [k for k in spec if k not in LAYERS]
    if unknown:
        raise ValueError(f"unknown layer {unknown[0]!r} in labels (layers are {', '.join(LAYERS)})")
    out: LabelSet = {}
    seen: dict[str, str] = {}
    for layer in LAYERS:
        items = spec.get(layer) or []
        if isinstance(items, str):
            items = [x for x in items.split(",") if x]
        if not isinstance(items, (list, tuple)):
            raise ValueError(f"labels.{layer} must be a list of labels")
        for lab in items:
            if (why := check_label(lab)):
                raise ValueError(f"labels.{layer}: {why}")
            if lab in seen:
                raise ValueError(f"label {lab!r} is declared twice ({seen[lab]} and {layer})")
            seen[lab] = layer
        out[layer] = tuple(items)
    return out


def parse_label_args(items: list[str]) -> LabelSet:
    """A label set from command-line items `entities=PER,ORG` `directives=` (layers left out are empty)."""
    spec: dict[str, list[str]] = {}
    for item in items:
        layer, eq, labels = item.partition("=")
        if not eq:
            raise ValueError(f"--labels takes LAYER=LABEL,LABEL items (e.g. entities=PER,ORG directives=), got {item!r}")
        spec[layer] = [x for x in labels.split(",") if x]
    return label_set(spec)


def format_label_set(labels: LabelSet) -> str:
    """`entities=PER,ORG directives=`: how `--labels` takes it back."""
    return " ".join(f"{layer}={','.join(labs)}" for layer, labs in labels.items())


@dataclass(frozen=True)
class Span:
    """A labeled character span; `end` is exclusive and indexes the caller's text."""

    start: int
    end: int
    label: str
    text: str = ""
    score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "end": self.end, "label": self.label, "text": self.text}
        if self.score is not None:
            d["score"] = round(float(self.score), 4)
        return d


class SpanSource(Protocol):
    """What the records layer reads: a text and its two span layers (a `Document` is one)."""

    text: str
    entities: list[Span]
    directives: list[Span]
