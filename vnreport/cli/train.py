"""`vnreport train`, `vnreport pretrain`, `vnreport export-hf`: thin over vnreport/train/ and
vnreport/export.py (training/*.py stay as script entry points to the same functions)."""
from __future__ import annotations

import argparse
import json

from vnreport.data.io import DataError


def _quiet_hub() -> None:
    """Our own bars show progress; the library's per-save bars would only interleave with them."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()


def _cmd_train(args: argparse.Namespace) -> int:
    from vnreport.train.config import load_config
    from vnreport.train.finetune import finetune

    _quiet_hub()
    result = finetune(load_config(args.config, args.set))
    print(json.dumps({k: v for k, v in result.items() if k != "history"}))
    return 0


def _cmd_pretrain(args: argparse.Namespace) -> int:
    from vnreport.train.config import load_config
    from vnreport.train.pretrain import prepare, train

    _quiet_hub()
    cfg = load_config(args.config, args.set)
    if args.stage in ("prepare", "all"):
        print(f"prepared: {prepare(cfg)}")
    if args.stage in ("train", "all"):
        result = train(cfg)
        print(json.dumps({k: v for k, v in result.items() if k != "history"}))
    return 0


def _cmd_export_hf(args: argparse.Namespace) -> int:
    from vnreport.export import export_hf

    _quiet_hub()
    try:
        model = export_hf(args.model_dir, args.out_dir, args.layer)
    except ValueError as e:
        raise DataError(args.model_dir, None, str(e)) from None
    labels = ", ".join(model.config.id2label[i] for i in range(model.config.num_labels))
    print(f"wrote {args.out_dir}: RobertaForTokenClassification for {args.layer} ({labels}) and its tokenizer")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    tr = sub.add_parser("train", help="fine-tune a tagger from a YAML config (resumes from OUTPUT_DIR/checkpoint-last)")
    tr.add_argument("config", help="YAML config, e.g. configs/finetune-tiny.yaml (see docs/custom-labels.md)")
    tr.add_argument("--set", nargs="+", action="extend", default=[], metavar="KEY=VALUE",
                    help="override config values, e.g. --set train.epochs=3 'labels.entities=[PER, ORG]'")
    tr.set_defaults(func=_cmd_train)
    pt = sub.add_parser("pretrain", help="masked-language-model pretraining of an encoder from a YAML config")
    pt.add_argument("config")
    pt.add_argument("--stage", choices=["prepare", "train", "all"], default="all")
    pt.add_argument("--set", nargs="+", action="extend", default=[], metavar="KEY=VALUE", help="override config values, e.g. train.max_steps=100")
    pt.set_defaults(func=_cmd_pretrain)
    ex = sub.add_parser("export-hf", help="one layer of a tagger as a Hugging Face RobertaForTokenClassification directory")
    ex.add_argument("model_dir", help="a saved vnreport model directory (vnreport:default for the shipped one)")
    ex.add_argument("out_dir")
    ex.add_argument("--layer", choices=["entities", "directives"], default="entities")
    ex.set_defaults(func=_cmd_export_hf)
