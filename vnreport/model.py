"""One RoBERTa/PhoBERT encoder with a token-classification head per layer.

Two heads over one encoder let a directive contain entities (the layers overlap
freely) at the cost of one forward pass. Label maps live in the config, so
`save_pretrained`/`from_pretrained` (safetensors) round-trip everything the heads need.
"""
from __future__ import annotations

import torch
from torch import nn
from transformers import RobertaConfig, RobertaModel, RobertaPreTrainedModel

LAYER_NAMES = ("entities", "directives")


class TaggerModel(RobertaPreTrainedModel):
    config_class = RobertaConfig
    base_model_prefix = "roberta"

    def __init__(self, config: RobertaConfig):
        super().__init__(config)
        self.layer_labels: dict[str, list[str]] = {
            "entities": list(config.entity_labels), "directives": list(config.directive_labels),
        }
        self.roberta = RobertaModel(config, add_pooling_layer=False)
        p = config.classifier_dropout if config.classifier_dropout is not None else config.hidden_dropout_prob
        self.dropout = nn.Dropout(p)
        self.entity_head = nn.Linear(config.hidden_size, len(config.entity_labels))
        self.directive_head = nn.Linear(config.hidden_size, len(config.directive_labels))
        self.post_init()

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        entity_labels: torch.Tensor | None = None,
        directive_labels: torch.Tensor | None = None,
    ) -> dict[str, torch.Tensor]:
        hidden = self.dropout(self.roberta(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state)
        out = {"entities": self.entity_head(hidden), "directives": self.directive_head(hidden)}
        if entity_labels is not None and directive_labels is not None:
            ce = nn.CrossEntropyLoss(ignore_index=-100)
            out["loss"] = ce(out["entities"].flatten(0, 1).float(), entity_labels.flatten()) + ce(
                out["directives"].flatten(0, 1).float(), directive_labels.flatten()
            )
        return out
