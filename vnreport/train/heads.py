"""Heads for a declared label set, over the encoder a config starts from.

`model.init_from` names a saved vnreport tagger (the shipped one is `vnreport:default`), an
encoder directory (from `vnreport pretrain`) or a hub id. Starting from a tagger with
`model.heads: keep` (the default), every tag the new label set shares with the old one
keeps its trained row (B-PER stays B-PER, in whatever position it now has); a new label's
B-/I- rows start at the mean of the trained B-/I- rows plus small noise, so it begins as
likely as an average known label and fine-tuning only has to tell it apart. With
`model.heads: new`, or from a plain encoder, every head is new (N(0, initializer_range)):
the shipped tagger's encoder without its heads is the plain encoder users fine-tune from.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import nn

from vnreport.model import LAYER_NAMES, TaggerModel
from vnreport.schema import LabelSet, bio_labels
from vnreport.train.config import ConfigError

ALIASES = {"vnreport:default": Path(__file__).resolve().parents[1] / "models" / "default"}
HEAD_OF = {"entities": "entity_head", "directives": "directive_head"}
CONFIG_KEY = {"entities": "entity_labels", "directives": "directive_labels"}


@dataclass
class HeadInit:
    """What happened to each tag of each head, for the log and the saved model's record."""

    kept: dict[str, list[str]] = field(default_factory=dict)
    new: dict[str, list[str]] = field(default_factory=dict)

    def describe(self) -> str:
        return "; ".join(f"{layer}: kept {', '.join(self.kept[layer]) or 'none'}, new {', '.join(self.new[layer]) or 'none'}"
                         for layer in self.kept)


def resolve_source(src: str | Path) -> str:
    """A config's `init_from` as a path or hub id (`vnreport:default` is the shipped tagger)."""
    if str(src).startswith("vnreport:") and str(src) not in ALIASES:
        raise ConfigError("model.init_from", None, f"unknown model {src!r} (known: {', '.join(ALIASES)})")
    return str(ALIASES.get(str(src), src))


def _old_heads(src: str) -> dict[str, tuple[list[str], torch.Tensor, torch.Tensor]] | None:
    """The trained heads of a saved tagger directory: layer -> (tags, weight, bias); None for an encoder."""
    from safetensors.torch import load_file
    from transformers import RobertaConfig

    weights = Path(src) / "model.safetensors"
    if not weights.is_file():
        return None
    conf = RobertaConfig.from_pretrained(src)
    if not hasattr(conf, "entity_labels"):
        return None
    state = load_file(str(weights))
    return {layer: (list(getattr(conf, CONFIG_KEY[layer])), state[f"{HEAD_OF[layer]}.weight"].float(),
                    state[f"{HEAD_OF[layer]}.bias"].float()) for layer in LAYER_NAMES}


def _fill(head: nn.Linear, tags: list[str], old: tuple[list[str], torch.Tensor, torch.Tensor] | None,
          std: float) -> tuple[list[str], list[str]]:
    """Set a head's rows: shared tags copied, new tags from the mean of their kind, else N(0, std)."""
    kept, new = [], []
    with torch.no_grad():
        head.weight.normal_(0.0, std)
        head.bias.zero_()
        if old is None:
            return kept, [t for t in tags if t != "O"]
        old_tags, w, b = old
        row = {t: i for i, t in enumerate(old_tags)}
        for i, tag in enumerate(tags):
            if tag in row:
                head.weight[i] = w[row[tag]]
                head.bias[i] = b[row[tag]]
                kept.append(tag)
                continue
            kind = [row[t] for t in old_tags if t[:2] == tag[:2] and t != "O"]
            if kind:
                head.weight[i] = w[kind].mean(0) + torch.randn_like(head.weight[i]) * std
                head.bias[i] = b[kind].mean()
            new.append(tag)
    return kept, new


def build_model(src: str | Path, labels: LabelSet, heads: str = "keep") -> tuple[TaggerModel, HeadInit]:
    """A TaggerModel for `labels` over the encoder at `src`, its heads set as the module says."""
    from transformers import RobertaConfig
    from transformers.utils import logging as hf_logging

    if heads not in ("keep", "new"):
        raise ConfigError("model.heads", None, f"must be 'keep' or 'new', got {heads!r}")
    src = resolve_source(src)
    local = Path(src).expanduser()
    if not local.exists() and (src.startswith((".", "/", "~")) or src.count("/") > 1 or local.parent.is_dir() and local.parent != Path(".")):
        raise ConfigError("model.init_from", None, f"{src} does not exist (a model directory, vnreport:default or a hub id)")
    try:
        conf = RobertaConfig.from_pretrained(src)
    except OSError as e:  # neither a model directory nor a reachable hub id
        raise ConfigError("model.init_from", None, f"cannot load {src}: {str(e).splitlines()[0]}") from None
    for layer in LAYER_NAMES:
        setattr(conf, CONFIG_KEY[layer], bio_labels(labels[layer]))
    conf.architectures = ["TaggerModel"]
    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()  # the resized heads are reported below, not as a mismatch table
    try:
        model = TaggerModel.from_pretrained(src, config=conf, dtype=torch.float32, ignore_mismatched_sizes=True)
    finally:
        hf_logging.set_verbosity(verbosity)
    old = _old_heads(src) if heads == "keep" and Path(src).is_dir() else None
    report = HeadInit()
    for layer in LAYER_NAMES:
        tags = model.layer_labels[layer]
        kept, new = _fill(getattr(model, HEAD_OF[layer]), tags, old[layer] if old else None, conf.initializer_range)
        report.kept[layer], report.new[layer] = kept, new
    return model, report
