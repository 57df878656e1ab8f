"""Fine-tuning the two-head tagger on SPEC.md JSONL.

Validates the data first (errors name file, line and span), builds windows with the
inference preprocessing, trains with AdamW + linear warmup/decay (bf16 autocast on a
GPU), scores the dev split after each epoch with the evaluation harness, keeps the
checkpoint with the best strict entity micro-F1 on dev (never test), and resumes from
`checkpoint-last/` after an interruption.
"""
from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tqdm.auto import tqdm

from vnreport.data.formats import read_labeled
from vnreport.errors import BadValueError
from vnreport.evaluate import of_origin, score
from vnreport.model import TaggerModel
from vnreport.pipeline import META_FILE, Tagger
from vnreport.schema import bio_labels
from vnreport.segment import get_segmenter
from vnreport.train import checkpoint
from vnreport.train.config import ConfigError, config_labels
from vnreport.train.distributed import Distributed
from vnreport.train.features import build_features
from vnreport.train.heads import build_model, resolve_source
from vnreport.train.sampling import repeat_dense
from vnreport.train.selection import Selection, mean_loss


def _seed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def init_tagger(cfg: dict[str, Any], device: torch.device, texts: list[str] | None = None,
                tokenizer_dir: Path | None = None) -> Tagger:
    """A tagger with heads for the config's label set over an encoder that is either loaded
    (`model.init_from`: a saved tagger, `vnreport:default`, an encoder directory or hub id; see
    vnreport/train/heads.py for which head rows are kept) or built from scratch (`model.new`:
    sizes, with a BPE vocabulary learned from `texts`, or the one in `tokenizer_dir` when a run
    resumes)."""
    from transformers import AutoTokenizer, PhobertTokenizer, RobertaConfig

    mcfg = cfg["model"]
    segmenter = get_segmenter(cfg.get("segmenter", "pyvi"))
    labels = config_labels(cfg)
    heads = {"entity_labels": bio_labels(labels["entities"]), "directive_labels": bio_labels(labels["directives"])}
    meta: dict[str, Any] = {"max_length": cfg.get("max_length", 256), "stride": cfg.get("stride", 64)}
    if "init_from" in mcfg:
        src = resolve_source(mcfg["init_from"])
        model, init = build_model(src, labels, mcfg.get("heads", "keep"))
        print(f"heads over {src}: {init.describe()}")
        meta["heads"] = {"from": str(mcfg["init_from"]), "kept": init.kept, "new": init.new}
        tokenizer = AutoTokenizer.from_pretrained(src, use_fast=False)
    else:
        from vnreport.bpe import learn_bpe

        new = dict(mcfg["new"])
        vocab_size = int(new.pop("bpe_vocab_size", 2000))
        tok_dir = tokenizer_dir or learn_bpe((" ".join(w.form for w in segmenter.segment(t)) for t in texts or []),
                                             Path(cfg["output_dir"]) / "tokenizer", vocab_size=vocab_size, min_frequency=1)
        tokenizer = PhobertTokenizer(str(tok_dir / "vocab.txt"), str(tok_dir / "bpe.codes"))
        conf = RobertaConfig(vocab_size=len(tokenizer), max_position_embeddings=258, type_vocab_size=1,
                             pad_token_id=tokenizer.pad_token_id, bos_token_id=0, eos_token_id=2, **new, **heads)
        model = TaggerModel(conf)
    return Tagger(model, tokenizer, segmenter, meta, device=device, dtype=None)


def _collate(cols: dict[str, list[list[int]]], pad_id: int) -> dict[str, torch.Tensor]:
    """Pad one batch (columns as `Dataset.iter` yields them) to its longest window."""
    n, width = len(cols["input_ids"]), max(len(x) for x in cols["input_ids"])
    out = {"input_ids": torch.full((n, width), pad_id), "attention_mask": torch.zeros((n, width), dtype=torch.long),
           "entity_labels": torch.full((n, width), -100), "directive_labels": torch.full((n, width), -100)}
    for i in range(n):
        k = len(cols["input_ids"][i])
        out["attention_mask"][i, :k] = 1
        for key in ("input_ids", "entity_labels", "directive_labels"):
            out[key][i, :k] = torch.as_tensor(cols[key][i])
    return out


def finetune(cfg: dict[str, Any]) -> dict[str, Any]:
    """Train per `cfg`; returns the best dev metrics and where the best model was saved."""
    from datasets import Dataset
    from transformers import get_linear_schedule_with_warmup

    t = cfg.get("train", {})
    _seed(int(t.get("seed", 0)))
    dist = Distributed(torch.device(t.get("device") or ("cuda" if torch.cuda.is_available() else "cpu")))
    device = dist.device
    out = Path(cfg["output_dir"])
    out.mkdir(parents=True, exist_ok=True)
    labels, conll = config_labels(cfg), cfg["data"].get("conll")
    train_docs = [d for path in _as_list(cfg["data"]["train"]) for d in read_labeled(path, labels, conll)]
    dev_docs = [d for path in _as_list(cfg["data"]["dev"]) for d in read_labeled(path, labels, conll)]
    try:  # data.dev_origin: real picks the epoch on real reports alone, not on text the project wrote
        dev_docs = of_origin(dev_docs, cfg["data"].get("dev_origin"), ", ".join(map(str, _as_list(cfg["data"]["dev"]))))
    except BadValueError as e:
        raise ConfigError(cfg.get("_config_path", "<config>"), None, f"data.dev_origin: {e}") from None
    selection = Selection.for_dev(dev_docs, str(t.get("select_on", "entities")), cfg.get("_config_path", "<config>"))
    train_docs = repeat_dense(train_docs, cfg["data"].get("repeat"), cfg.get("_config_path", "<config>"))
    if cfg["data"].get("silver"):  # rule-made data, added to training only (never to dev)
        silver = [d for path in _as_list(cfg["data"]["silver"]) for d in read_labeled(path, labels)
                  if len(d.entities) + len(d.directives) >= int(cfg["data"].get("silver_min_spans", 5))]
        train_docs += silver[: int(cfg["data"].get("silver_max_docs", len(silver)))]
    ckpt = out / "checkpoint-last"
    saved = checkpoint.load_state(ckpt, device) if t.get("resume", True) else None
    tagger = init_tagger(cfg, device, [d.text for d in train_docs], checkpoint.tokenizer_dir(ckpt) if saved else None)
    if dist.is_main:  # the vocabulary the weights in checkpoint-last will use (one writer: ranks would race)
        checkpoint.save_tokenizer(ckpt, tagger.tokenizer)
    rows, fstats = build_features(tagger, train_docs)
    print(f"train: {fstats.documents} documents, {fstats.windows} windows, {fstats.spans} spans "
          f"({fstats.misaligned} with an edge inside a segmented word); dev: {len(dev_docs)} documents")
    ds = Dataset.from_list(rows)
    dev_rows = Dataset.from_list(build_features(tagger, dev_docs)[0]) if selection.needs_loss else None
    model = tagger.model
    bs, epochs = int(t.get("batch_size", 16)), int(t.get("epochs", 10))
    steps_per_epoch = (len(ds) + bs - 1) // bs
    opt = torch.optim.AdamW(model.parameters(), lr=float(t.get("lr", 5e-5)), weight_decay=float(t.get("weight_decay", 0.01)))
    sched = get_linear_schedule_with_warmup(opt, int(float(t.get("warmup_ratio", 0.1)) * steps_per_epoch * epochs), steps_per_epoch * epochs)
    use_bf16 = device.type == "cuda" and t.get("bf16", True)
    state = {"epoch": 0, "best": None, "history": []}
    if saved:
        checkpoint.restore(saved, model, opt, sched)
        state = saved["state"]
        print(f"resumed after epoch {state['epoch']}")
    forward, opt, sched = dist.prepare(model, opt, sched)
    started = time.time()
    for epoch in range(state["epoch"], epochs):
        model.train()
        order = ds.shuffle(seed=int(t.get("seed", 0)) + epoch)
        total = 0.0
        for cols in tqdm(dist.shard(order.iter(batch_size=bs)), total=dist.steps(steps_per_epoch), desc=f"epoch {epoch + 1}/{epochs}", unit="batch", leave=False):
            batch = {k: v.to(device) for k, v in _collate(cols, tagger.encoder.pad_id).items()}
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=use_bf16):
                loss = forward(**batch)["loss"]
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            total += loss.detach().item()
        model.eval()
        tagger.dtype = torch.bfloat16 if use_bf16 else None
        preds = tagger.predict([d.text for d in dev_docs], batch_size=64)
        report = score(dev_docs, preds, labels)
        ent, dirs = report.layers["entities"], report.layers["directives"]
        rec = {"epoch": epoch + 1, "train_loss": total / max(steps_per_epoch, 1), "dev_entities_f1": ent.strict["micro"].f1,
               "dev_directives_f1": dirs.strict["micro"].f1, "dev_directives_partial_f1": dirs.partial["micro"].f1,
               "dev_mean_f1": round((ent.strict["micro"].f1 + dirs.strict["micro"].f1) / 2, 4),
               "minutes": round((time.time() - started) / 60, 2)}
        if dev_rows is not None:
            rec["dev_loss"] = mean_loss(model, ({k: v.to(device) for k, v in _collate(c, tagger.encoder.pad_id).items()}
                                                for c in dev_rows.iter(batch_size=bs)))
        state["history"].append(rec)
        print(json.dumps(rec))
        if selection.better(rec[selection.key], state.get("best")):
            state["best"], state["best_epoch"] = rec[selection.key], epoch + 1
            if dist.is_main:
                checkpoint.save_best(tagger, out / "best", extra_meta={
                    "training": {k: v for k, v in cfg.items() if not k.startswith("_")},
                    "data": {"train": _as_list(cfg["data"]["train"]), "dev": _as_list(cfg["data"]["dev"]),
                             "silver": _as_list(cfg["data"].get("silver") or []),
                             "train_documents": len(train_docs), "dev_documents": len(dev_docs),
                             "dev_origin": cfg["data"].get("dev_origin")},
                    "metrics": {"dev": report.to_dict(), "epoch": epoch + 1, "selected_by": selection.key},
                    "license": cfg.get("license", "MIT"),
                    **_pretraining_facts(cfg["model"]),
                })
        state["epoch"] = epoch + 1
        if dist.is_main:
            checkpoint.save_state(ckpt, {"model": model.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict(), "state": state})
    (out / "history.json").write_text(json.dumps(state["history"], indent=2))
    best = state["history"][state["best_epoch"] - 1] if state.get("best_epoch") else {}
    return {"best_dev_entities_f1": best.get("dev_entities_f1"), "selected_by": selection.key,
            "best_model": str(out / "best"), "history": state["history"]}


def _pretraining_facts(mcfg: dict[str, Any]) -> dict[str, Any]:
    """Where the encoder came from: its MLM history (an encoder from training/pretrain.py), or
    the earlier tagger's own record when fine-tuning continues from a saved tagger."""
    src = Path(resolve_source(mcfg.get("init_from", "")))
    if (src / "pretrain_history.json").is_file():
        last = json.loads((src / "pretrain_history.json").read_text(encoding="utf-8"))[-1]
        return {"pretraining": {"encoder": str(src), "final": last}}
    if (src / META_FILE).is_file():
        prev = json.loads((src / META_FILE).read_text(encoding="utf-8"))
        stage = {"path": str(src), "training": prev.get("training"), "data": prev.get("data")}
        return {"pretraining": prev.get("pretraining"), "previous_stage": stage}
    return {}


def _as_list(x: str | list[str]) -> list[str]:
    return [x] if isinstance(x, str) else list(x)
