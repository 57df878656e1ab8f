"""Masked-language-model pretraining of a RoBERTa encoder in PhoBERT's format.

Two stages, so the CPU-bound one can run where there is no GPU:
  prepare: segment the corpus (pyvi), learn or reuse a PhoBERT BPE vocabulary, encode
           everything to one id stream (`ids.npy`, documents separated by `</s>`);
  train:   packed 256-token blocks, dynamic 15% masking on the device, bf16 autocast,
           AdamW with warmup + linear decay, dev MLM loss every `eval_every` steps,
           checkpoints that resume (model, optimizer, scheduler, step, RNG).
The same code continues pretraining of an existing checkpoint (`model.init_from`),
for example `vinai/phobert-base` for domain adaptation.
"""
from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import torch
from tqdm.auto import tqdm

from vnreport.data.io import open_text
from vnreport.segment import get_segmenter
from vnreport.train import checkpoint


def iter_corpus(cfg: dict[str, Any]) -> Iterator[str]:
    """Texts of every corpus file in the config, minus the excluded ids (held-out evaluation documents)."""
    exclude: set[str] = set()
    for item in cfg["corpus"]:
        if item.get("exclude_ids_file"):
            exclude |= set(Path(item["exclude_ids_file"]).read_text(encoding="utf-8").split())
    for item in cfg["corpus"]:
        path = item["file"]
        with open_text(path) as f:
            if path.endswith((".jsonl", ".jsonl.gz")):
                for line in f:
                    rec = json.loads(line)
                    if rec.get("id") not in exclude and rec.get("text"):
                        yield rec["text"]
            else:
                yield f.read()


def prepare(cfg: dict[str, Any]) -> Path:
    """Segment + (learn BPE) + encode the corpus into `<output_dir>/prepared/`."""
    from transformers import AutoTokenizer, PhobertTokenizer

    from vnreport.bpe import learn_bpe

    out = Path(cfg["output_dir"]) / "prepared"
    out.mkdir(parents=True, exist_ok=True)
    seg = get_segmenter(cfg.get("segmenter", "pyvi"))
    seg_file = out / "segmented.txt"
    if not seg_file.exists():
        with open(seg_file, "w", encoding="utf-8") as f:
            for text in tqdm(iter_corpus(cfg), desc="segment", unit="doc"):
                for line in text.split("\n"):
                    words = seg.segment(line)
                    if words:
                        f.write(" ".join(w.form for w in words) + "\n")
                f.write("\n")  # document boundary
    tok_cfg = cfg.get("tokenizer", {})
    tok_dir = out / "tokenizer"
    if tok_cfg.get("learn", True) and not (tok_dir / "vocab.txt").exists():
        with open(seg_file, encoding="utf-8") as f:
            learn_bpe((line for line in f if line.strip()), tok_dir, vocab_size=tok_cfg.get("vocab_size", 16000))
    if tok_cfg.get("learn", True):
        tokenizer = PhobertTokenizer(str(tok_dir / "vocab.txt"), str(tok_dir / "bpe.codes"))
    else:
        tokenizer = AutoTokenizer.from_pretrained(tok_cfg["path"], use_fast=False)
    tokenizer.save_pretrained(str(tok_dir))
    ids: list[int] = []
    cache: dict[str, list[int]] = {}
    with open(seg_file, encoding="utf-8") as f:
        for line in tqdm(f, desc="encode", unit="line"):
            if not line.strip():
                ids.append(tokenizer.eos_token_id)
                continue
            for w in line.split():
                piece = cache.get(w)
                if piece is None:
                    piece = cache[w] = tokenizer.convert_tokens_to_ids(tokenizer.tokenize(w))
                ids.extend(piece)
    np.save(out / "ids.npy", np.asarray(ids, dtype=np.int32))
    (out / "info.json").write_text(json.dumps({"tokens": len(ids), "vocab": len(tokenizer), "segmenter": seg.name, "segmenter_version": seg.version}, indent=2))
    return out


def _blocks(ids: np.ndarray, body: int, bos: int, eos: int) -> torch.Tensor:
    n = len(ids) // body
    x = torch.from_numpy(ids[: n * body].astype(np.int64)).view(n, body)
    return torch.cat([torch.full((n, 1), bos), x, torch.full((n, 1), eos)], dim=1)


def mask_tokens(batch: torch.Tensor, mask_id: int, vocab: int, special_max: int, p: float, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """RoBERTa masking: choose p of the non-special tokens; 80% <mask>, 10% random, 10% kept."""
    labels = batch.clone()
    prob = torch.rand(batch.shape, generator=gen, device=batch.device)
    chosen = (prob < p) & (batch > special_max)
    labels[~chosen] = -100
    inputs = batch.clone()
    r = torch.rand(batch.shape, generator=gen, device=batch.device)
    inputs[chosen & (r < 0.8)] = mask_id
    rand_ids = torch.randint(special_max + 1, vocab, batch.shape, generator=gen, device=batch.device)
    swap = chosen & (r >= 0.8) & (r < 0.9)
    inputs[swap] = rand_ids[swap]
    return inputs, labels


def build_model(cfg: dict[str, Any], vocab_size: int, pad_id: int):
    from transformers import RobertaConfig, RobertaForMaskedLM

    mcfg = cfg.get("model", {})
    if mcfg.get("init_from"):
        return RobertaForMaskedLM.from_pretrained(mcfg["init_from"], dtype=torch.float32)  # weights may be stored in fp16
    conf = RobertaConfig(
        vocab_size=vocab_size, hidden_size=mcfg.get("hidden_size", 384), num_hidden_layers=mcfg.get("num_hidden_layers", 6),
        num_attention_heads=mcfg.get("num_attention_heads", 6), intermediate_size=mcfg.get("intermediate_size", 1536),
        max_position_embeddings=258, type_vocab_size=1, pad_token_id=pad_id, bos_token_id=0, eos_token_id=2,
        hidden_dropout_prob=mcfg.get("dropout", 0.1), attention_probs_dropout_prob=mcfg.get("dropout", 0.1),
    )
    return RobertaForMaskedLM(conf)


def train(cfg: dict[str, Any]) -> dict[str, Any]:
    """Pretrain until max_steps or max_minutes; returns the dev-loss history."""
    from transformers import AutoTokenizer, get_linear_schedule_with_warmup

    out = Path(cfg["output_dir"])
    prep = out / "prepared"
    tokenizer = AutoTokenizer.from_pretrained(str(prep / "tokenizer"), use_fast=False)
    t = cfg.get("train", {})
    torch.manual_seed(t.get("seed", 0))
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    ids = np.load(prep / "ids.npy")
    blocks = _blocks(ids, cfg.get("max_length", 256) - 2, tokenizer.bos_token_id, tokenizer.eos_token_id)
    g = torch.Generator().manual_seed(t.get("seed", 0))
    perm = torch.randperm(len(blocks), generator=g)
    n_dev = max(1, int(len(blocks) * t.get("dev_fraction", 0.02)))
    dev, trn = blocks[perm[:n_dev]].to(device), blocks[perm[n_dev:]].to(device)
    model = build_model(cfg, len(tokenizer), tokenizer.pad_token_id).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=float(t.get("lr", 5e-4)), weight_decay=t.get("weight_decay", 0.01), betas=(0.9, 0.98), eps=1e-6)
    max_steps = int(t.get("max_steps", 10000))
    sched = get_linear_schedule_with_warmup(opt, int(t.get("warmup_steps", 500)), max_steps)
    step, history = 0, []
    ckpt = out / "checkpoint-last"
    state = checkpoint.load_state(ckpt, device)
    if state:  # resume after an interruption
        checkpoint.restore(state, model, opt, sched)
        step, history = state["step"], state["history"]
        print(f"resumed from step {step}")
    gen = torch.Generator(device=device).manual_seed(t.get("seed", 0) + step)
    use_bf16 = device.type == "cuda" and t.get("bf16", True)
    bs = int(t.get("batch_size", 128))
    mask_args = (tokenizer.mask_token_id, len(tokenizer), 3, t.get("mlm_probability", 0.15))

    def evaluate() -> float:
        model.eval()
        eg = torch.Generator(device=device).manual_seed(1234)
        tot, cnt = 0.0, 0
        with torch.no_grad(), torch.autocast(device.type, dtype=torch.bfloat16, enabled=use_bf16):
            for i in range(0, len(dev), bs):
                x, y = mask_tokens(dev[i:i + bs], *mask_args, eg)
                loss = model(input_ids=x, labels=y).loss
                n = int((y != -100).sum())
                tot, cnt = tot + float(loss) * n, cnt + n
        model.train()
        return tot / max(cnt, 1)

    def save(path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        model.save_pretrained(str(path))
        tokenizer.save_pretrained(str(path))
        checkpoint.save_state(path, {"model": model.state_dict(), "optimizer": opt.state_dict(), "scheduler": sched.state_dict(),
                                     "step": step, "history": history})

    start = time.time()
    budget = float(t.get("max_minutes", 1e9)) * 60
    model.train()
    bar = tqdm(total=max_steps, initial=step, desc="pretrain", unit="step")
    while step < max_steps and time.time() - start < budget:
        idx = torch.randint(0, len(trn), (bs,), generator=gen, device=device)
        x, y = mask_tokens(trn[idx], *mask_args, gen)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=use_bf16):
            loss = model(input_ids=x, labels=y).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        step += 1
        bar.update(1)
        if step % int(t.get("eval_every", 500)) == 0 or step == max_steps:
            dl = evaluate()
            history.append({"step": step, "train_loss": float(loss), "dev_loss": dl, "dev_ppl": math.exp(dl), "minutes": (time.time() - start) / 60})
            bar.write(json.dumps(history[-1]))
        if step % int(t.get("save_every", 1000)) == 0:
            save(ckpt)
    bar.close()
    if not history or history[-1]["step"] != step:
        dl = evaluate()
        history.append({"step": step, "dev_loss": dl, "dev_ppl": math.exp(dl), "minutes": (time.time() - start) / 60})
    save(ckpt)
    final = out / "encoder"
    model.save_pretrained(str(final))
    tokenizer.save_pretrained(str(final))
    (final / "pretrain_history.json").write_text(json.dumps(history, indent=2))
    return {"history": history, "steps": step, "blocks": len(blocks), "tokens": int(len(ids))}
