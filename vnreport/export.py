"""Export one layer of a vnreport tagger as a standard Hugging Face token classifier.

A vnreport model is one RoBERTa encoder with two heads (entities, directives), which no other
tool knows. Each head alone is exactly a `RobertaForTokenClassification` (encoder + dropout +
linear classifier), so exporting a layer only renames weights: the result loads with
`AutoModelForTokenClassification.from_pretrained` and runs in `pipeline("token-classification")`.

What the export does not carry is vnreport's preprocessing: its input must be text already
segmented into words the way the model was trained (pyvi, syllables joined by `_`, words
separated by spaces), at most `max_position_embeddings - 2` subwords per call (no windows),
and its labels are per subword (read the first subword of each word), without the BIO
repair, clause-end rule or offset mapping that `vnreport.load(...).predict()` applies.
"""
from __future__ import annotations

import json
from pathlib import Path

import torch

from vnreport.model import LAYER_NAMES

HEAD_OF = {"entities": "entity_head", "directives": "directive_head"}
_OWN_KEYS = ("entity_labels", "directive_labels", "architectures", "id2label", "label2id")


def export_hf(model_dir: str | Path, out_dir: str | Path, layer: str = "entities"):
    """Write `out_dir` (config, safetensors, tokenizer, model card) for one layer; returns the HF model."""
    from transformers import AutoTokenizer, RobertaConfig, RobertaForTokenClassification

    from vnreport.loading import DEFAULT_MODEL_DIR
    from vnreport.model import TaggerModel
    from vnreport.pipeline import META_FILE

    if layer not in LAYER_NAMES:
        raise ValueError(f"--layer must be one of {', '.join(LAYER_NAMES)}, got {layer!r}")
    src = Path(model_dir) if model_dir not in (None, "vnreport:default") else DEFAULT_MODEL_DIR
    if not (src / META_FILE).is_file():
        raise ValueError(f"{src} is not a saved vnreport tagger (no {META_FILE})")
    tagger = TaggerModel.from_pretrained(str(src), dtype=torch.float32)
    tags = tagger.layer_labels[layer]
    conf_dict = {k: v for k, v in tagger.config.to_dict().items() if k not in _OWN_KEYS}
    conf = RobertaConfig(**conf_dict, id2label=dict(enumerate(tags)), label2id={t: i for i, t in enumerate(tags)},
                         architectures=["RobertaForTokenClassification"])
    conf.dtype = torch.float32
    model = RobertaForTokenClassification(conf)
    head = getattr(tagger, HEAD_OF[layer])
    state = {f"roberta.{k}": v for k, v in tagger.roberta.state_dict().items()}
    state |= {"classifier.weight": head.weight.detach(), "classifier.bias": head.bias.detach()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:  # a renamed weight would otherwise stay random without a word
        raise RuntimeError(f"export left weights unset: missing {missing}, unexpected {unexpected}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    AutoTokenizer.from_pretrained(str(src), use_fast=False).save_pretrained(str(out))
    meta = json.loads((src / META_FILE).read_text(encoding="utf-8"))
    (out / "README.md").write_text(_card(src, layer, tags, meta), encoding="utf-8")
    return model


def _card(src: Path, layer: str, tags: list[str], meta: dict) -> str:
    seg = meta.get("segmenter", {})
    return (f"# vnreport `{layer}` layer as a token classifier\n\nExported from `{src.name}` by `vnreport export-hf` "
            f"(vnreport {meta.get('vnreport_version', '?')}). Tags (IOB2): {', '.join(tags)}.\n\n"
            f"Input must be word-segmented text ({seg.get('name', 'pyvi')} {seg.get('version', '')}: syllables of a word "
            "joined by `_`, words separated by spaces), at most "
            f"{meta.get('max_length', 256) - 2} subwords per call. Read the label of each word's first subword.\n\n"
            "```python\nfrom transformers import pipeline\n"
            "tag = pipeline(\"token-classification\", model=\"PATH\")\n"
            "tag(\"Chủ_tịch UBND tỉnh Võ_Văn_Hưng chủ_trì hội_nghị .\")\n```\n\n"
            "`vnreport.load()` on the original model adds windows for long texts, BIO-consistent spans, and "
            "character offsets into the raw text.\n")
