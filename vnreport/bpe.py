"""Learn a PhoBERT-format BPE vocabulary (`vocab.txt` + `bpe.codes`).

The project's own encoders must tokenize exactly like `vinai/phobert-base` so that one
code path (`PhobertTokenizer`) serves both. fastBPE's format is: merges `a b count`
with `</w>` marking a word's end, and a vocabulary of output tokens where every
non-final piece carries `@@`. We learn the merges with the `tokenizers` library's
BPE trainer (fast, already a dependency of transformers) and write them in that format.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable

SPECIAL = ("<s>", "<pad>", "</s>", "<unk>")


def learn_bpe(lines: Iterable[str], out_dir: str | Path, vocab_size: int = 16000, min_frequency: int = 2) -> Path:
    """Learn merges from word-segmented lines and write `vocab.txt` and `bpe.codes` into out_dir."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    # The trainer numbers the word-final symbols ("c</w>") in hash order, different on every
    # run, and breaks ties between equally frequent pairs by symbol id. Declaring those symbols
    # up front, sorted, fixes their ids, so the same text gives the same merges and the same
    # vocabulary (the token ids a model's embedding rows stand for).
    lines = list(lines)
    finals = sorted({w[-1] + "</w>" for line in lines for w in line.split()})
    tok = Tokenizer(models.BPE(end_of_word_suffix="</w>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, min_frequency=min_frequency, end_of_word_suffix="</w>",
        special_tokens=finals, show_progress=False,
    )
    tok.train_from_iterator(lines, trainer=trainer)
    vocab = tok.get_vocab()  # symbol -> id
    model = json.loads(tok.to_str())["model"]
    merges = [m if isinstance(m, str) else " ".join(m) for m in model["merges"]]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    codes = [f"{m} {len(merges) - rank}\n" for rank, m in enumerate(merges)]
    tokens, seen = [], set(SPECIAL)
    for sym, _ in sorted(vocab.items(), key=lambda kv: kv[1]):
        token = sym[: -len("</w>")] if sym.endswith("</w>") else sym + "@@"
        if token in seen or not token or " " in token:
            continue
        seen.add(token)
        tokens.append(f"{token} 1\n")
    _write_atomic(out / "bpe.codes", "".join(codes))
    _write_atomic(out / "vocab.txt", "".join(tokens))
    return out


def _write_atomic(path: Path, text: str) -> None:
    """Write beside, then rename: a reader (another process of a data-parallel run learning the
    same vocabulary) sees the old file or the whole new one, never half of it."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
