"""Which dev figure picks the best epoch.

Strict entity micro-F1 on dev, as long as dev has entity spans to find. On a dev split
without any, F1 is 0.0 every epoch and the first epoch would be kept as "best" in
silence; there the choice falls back to the dev loss, with a warning. `train.select_on: mean`
picks by the mean of the entity and directive F1 instead: on entity F1 alone an epoch whose
directives fell can win (session 8: the tenth stage's epoch 4 over epoch 3, DIR 0.745 vs 0.765).
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Iterable, Sequence

import torch

from vnreport.document import Document
from vnreport.train.config import ConfigError

# `train.select_on` -> the history field that picks the best epoch
SELECT_ON = {"entities": "dev_entities_f1", "mean": "dev_mean_f1"}


@dataclass(frozen=True)
class Selection:
    key: str  # the history field compared between epochs
    higher_is_better: bool

    @classmethod
    def for_dev(cls, dev_docs: Sequence[Document], select_on: str = "entities", source: str = "<config>") -> Selection:
        if select_on not in SELECT_ON:
            raise ConfigError(source, None, f"train.select_on: {select_on!r} is not one of {', '.join(SELECT_ON)}")
        if select_on == "mean" and not any(d.directives for d in dev_docs):
            print(f"warning: the dev split ({len(dev_docs)} documents) has no directive spans; the best epoch is "
                  "chosen by entity F1 alone", file=sys.stderr)
            select_on = "entities"
        if any(d.entities for d in dev_docs):
            return cls(SELECT_ON[select_on], True)
        print(f"warning: the dev split ({len(dev_docs)} documents) has no entity spans, so entity F1 is 0 "
              "every epoch; the best epoch is chosen by dev loss instead", file=sys.stderr)
        return cls("dev_loss", False)

    @property
    def needs_loss(self) -> bool:
        return self.key == "dev_loss"

    def better(self, value: float, best: float | None) -> bool:
        if best is None:
            return True
        return value > best if self.higher_is_better else value < best


@torch.no_grad()
def mean_loss(model: torch.nn.Module, batches: Iterable[dict[str, torch.Tensor]]) -> float:
    """The model's mean loss over batches, in eval mode (no dropout)."""
    model.eval()
    total, n = 0.0, 0
    for batch in batches:
        total += float(model(**batch)["loss"])
        n += 1
    return total / max(n, 1)
