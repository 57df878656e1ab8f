"""Training checkpoints (issue 13, items 2, 3, 4, 8): a resumed run keeps its tokenizer and
matches an uninterrupted one; a crafted or truncated checkpoint neither runs code nor
stops training; a dev split without spans still picks its best epoch by something."""
from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
import torch

import vnreport
from conftest import tiny_docs, train_tiny
from vnreport.data.io import write_jsonl


def _state(out: Path) -> dict:
    return torch.load(out / "checkpoint-last" / "state.pt", weights_only=True)


def _vocab(model_dir: Path) -> list[str]:
    return (model_dir / "vocab.txt").read_text(encoding="utf-8").splitlines()


def _same_weights(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def _interrupted_after_first_checkpoint(out: Path, data: Path, epochs: int) -> None:
    """Run the tiny config and stop it (as Ctrl-C would) right after its first checkpoint."""
    from vnreport.train import checkpoint

    real = checkpoint.save_state

    def save_then_stop(*args, **kwargs):
        real(*args, **kwargs)
        raise KeyboardInterrupt

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(checkpoint, "save_state", save_then_stop)
        with pytest.raises(KeyboardInterrupt):
            train_tiny(out, data, epochs=epochs)


# -- item 2 ----------------------------------------------------------------------------------
def test_item2_seeded_runs_are_reproducible_and_a_resumed_run_equals_an_uninterrupted_one(tmp_path, tiny_data):
    straight, again, resumed = tmp_path / "straight", tmp_path / "again", tmp_path / "resumed"
    a = train_tiny(straight, tiny_data, epochs=2)
    b = train_tiny(again, tiny_data, epochs=2)
    assert _vocab(straight / "best") == _vocab(again / "best")
    assert [h["train_loss"] for h in a["history"]] == [h["train_loss"] for h in b["history"]]
    assert _same_weights(_state(straight)["model"], _state(again)["model"])
    _interrupted_after_first_checkpoint(resumed, tiny_data, epochs=2)
    c = train_tiny(resumed, tiny_data, epochs=2)
    assert [h["train_loss"] for h in c["history"]] == [h["train_loss"] for h in a["history"]]
    assert _same_weights(_state(resumed)["model"], _state(straight)["model"])


def test_item2_resume_reuses_the_checkpoints_tokenizer_even_when_the_data_changed(tmp_path, tiny_data):
    out = tmp_path / "run"
    _interrupted_after_first_checkpoint(out, tiny_data, epochs=2)
    learned = _vocab(out / "checkpoint-last" / "tokenizer")
    assert learned == _vocab(out / "best")
    more = tmp_path / "more.jsonl"  # the user fixed and added data before resuming
    extra = [replace(d, id=f"{d.id}-b", text=d.text + " Phòng Kinh tế thị xã Hồng Ngự, xã Tân Khánh Đông.") for d in tiny_docs()]
    write_jsonl(tiny_docs() + extra, more)
    train_tiny(out, more, epochs=2, extra=[f"data.dev={tiny_data}"])
    assert _vocab(out / "checkpoint-last" / "tokenizer") == learned == _vocab(out / "best")


# -- item 3 ----------------------------------------------------------------------------------
class _Payload:
    """Unpickling this runs code: it writes a marker file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "code ran"))


def test_item3_a_crafted_finetune_checkpoint_runs_no_code(tmp_path, tiny_data, capsys):
    out, marker = tmp_path / "run", tmp_path / "pwned"
    (out / "checkpoint-last").mkdir(parents=True)
    torch.save({"state": _Payload(marker)}, out / "checkpoint-last" / "state.pt")
    result = train_tiny(out, tiny_data, epochs=1)
    assert not marker.exists()
    assert "state.pt cannot be read (UnpicklingError" in capsys.readouterr().err
    assert [h["epoch"] for h in result["history"]] == [1]


def _pretrain_cfg(tmp_path: Path) -> dict:
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(d.text for d in tiny_docs()) * 20, encoding="utf-8")
    return {"output_dir": str(tmp_path / "pre"), "corpus": [{"file": str(corpus)}], "segmenter": "syllable",
            "tokenizer": {"vocab_size": 300}, "max_length": 34,
            "model": {"hidden_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 32},
            "train": {"max_steps": 2, "batch_size": 4, "warmup_steps": 0, "eval_every": 1, "save_every": 1}}


def test_item3_a_crafted_pretrain_checkpoint_runs_no_code_and_a_real_one_resumes(tmp_path, capsys):
    from vnreport.train.pretrain import prepare, train

    cfg, marker = _pretrain_cfg(tmp_path), tmp_path / "pwned"
    prepare(cfg)
    ckpt = Path(cfg["output_dir"]) / "checkpoint-last"
    ckpt.mkdir(parents=True)
    torch.save({"step": _Payload(marker)}, ckpt / "state.pt")
    assert train(cfg)["steps"] == 2 and not marker.exists()
    assert "cannot be read (UnpicklingError" in capsys.readouterr().err
    cfg["train"]["max_steps"] = 3
    assert train(cfg)["steps"] == 3 and "resumed from step 2" in capsys.readouterr().out


# -- item 4 ----------------------------------------------------------------------------------
def test_item4_a_kill_during_the_checkpoint_write_loses_one_epoch_not_the_run(tmp_path, tiny_data, monkeypatch):
    out = tmp_path / "run"
    real_save, calls = torch.save, []

    def dying_save(obj, f, *args, **kwargs):  # the second checkpoint write is cut short, as by SIGKILL
        calls.append(f)
        if len(calls) == 2:
            real_save(obj, f, *args, **kwargs)
            Path(f).write_bytes(Path(f).read_bytes()[:5000])
            raise KeyboardInterrupt
        return real_save(obj, f, *args, **kwargs)

    monkeypatch.setattr(torch, "save", dying_save)
    with pytest.raises(KeyboardInterrupt):
        train_tiny(out, tiny_data, epochs=3)
    monkeypatch.setattr(torch, "save", real_save)
    assert _state(out)["state"]["epoch"] == 1  # the last complete write is intact
    result = train_tiny(out, tiny_data, epochs=3)
    assert [h["epoch"] for h in result["history"]] == [1, 2, 3]
    vnreport.load(out / "best", device="cpu")


def test_item4_an_unreadable_checkpoint_falls_back_to_the_previous_then_to_scratch(tmp_path, tiny_data, capsys):
    out = tmp_path / "run"
    train_tiny(out, tiny_data, epochs=2)
    state = out / "checkpoint-last" / "state.pt"
    state.write_bytes(state.read_bytes()[:1000])  # truncated: power cut, full disk
    result = train_tiny(out, tiny_data, epochs=2)
    err = capsys.readouterr().err
    assert "state.pt cannot be read" in err and "using the previous checkpoint" in err
    assert [h["epoch"] for h in result["history"]] == [1, 2]
    for name in ("state.pt", "state.prev.pt"):
        (out / "checkpoint-last" / name).write_bytes(b"not a checkpoint")
    result = train_tiny(out, tiny_data, epochs=1)
    assert "starting from scratch" in capsys.readouterr().err and [h["epoch"] for h in result["history"]] == [1]
    vnreport.load(out / "best", device="cpu")


def test_item4_a_crash_while_saving_best_keeps_the_previous_best(tmp_path, tiny_tagger):
    from vnreport.train.checkpoint import save_best

    best = tmp_path / "best"
    save_best(tiny_tagger, best, extra_meta={"note": "first"})

    class Dying:
        def save(self, path, extra_meta):
            (Path(path) / "model.safetensors").write_bytes(b"half")
            raise OSError("disk full")

    with pytest.raises(OSError):
        save_best(Dying(), best, extra_meta={})
    assert json.loads((best / "vnreport.json").read_text())["note"] == "first"
    assert vnreport.load(best, device="cpu").predict("UBND huyện").text == "UBND huyện"
    assert not os.path.exists(tmp_path / "best.old")


# -- item 8 ----------------------------------------------------------------------------------
def test_item8_a_dev_split_without_spans_warns_and_selects_by_dev_loss(tmp_path, tiny_data, capsys):
    dev = tmp_path / "dev-unlabeled.jsonl"
    write_jsonl([replace(d, entities=[], directives=[]) for d in tiny_docs()], dev)
    out = tmp_path / "run"
    result = train_tiny(out, tiny_data, epochs=4, extra=[f"data.dev={dev}"])
    assert "has no entity spans" in capsys.readouterr().err
    hist = result["history"]
    assert all(h["dev_entities_f1"] == 0.0 for h in hist) and result["selected_by"] == "dev_loss"
    best_epoch = min(hist, key=lambda h: h["dev_loss"])["epoch"]
    meta = json.loads((out / "best" / "vnreport.json").read_text())
    assert meta["metrics"]["epoch"] == best_epoch and meta["metrics"]["selected_by"] == "dev_loss"
