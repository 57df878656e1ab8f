"""`accelerate launch` runs the usual training config as 2 data-parallel CPU processes (gloo)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import vnreport
from conftest import REPO, tiny_docs
from vnreport.train.distributed import Distributed


def test_two_cpu_processes_train_a_model_that_loads_and_predicts(tmp_path, tiny_data):
    pytest.importorskip("accelerate", reason="accelerate is not installed: pip install 'vnreport[distributed]'")
    launcher = Path(sys.executable).with_name("accelerate")
    out = tmp_path / "run"
    cmd = [str(launcher), "launch", "--multi_gpu", "--num_processes", "2", "--num_machines", "1",
           "--mixed_precision", "no", "--dynamo_backend", "no",
           str(REPO / "training" / "train.py"), "--config", str(REPO / "configs" / "finetune-tiny.yaml"),
           "--set", f"data.train={tiny_data}", f"data.dev={tiny_data}", f"output_dir={out}",
           "train.epochs=2", "train.batch_size=2", "train.device=cpu"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "data parallel: 2 processes (MULTI_CPU)" in proc.stdout
    # both processes print their epochs (their lines may interleave)
    assert sorted(re.findall(r'\{"epoch": (\d+)', proc.stdout)) == ["1", "1", "2", "2"]
    tagger = vnreport.load(out / "best", device="cpu")
    text = tiny_docs()[0].text
    doc = tagger.predict(text)
    assert doc.text == text and all(text[s.start:s.end] == s.text for s in doc.entities + doc.directives)
    assert (out / "checkpoint-last" / "state.pt").exists()


@pytest.mark.parametrize("n_batches,world", [(7, 2), (6, 3), (2, 4)])
def test_every_process_gets_as_many_batches_and_all_batches_are_seen(n_batches, world):
    shares = []
    for rank in range(world):
        d = Distributed.__new__(Distributed)
        d.rank, d.world = rank, world
        shares.append(list(d.shard(range(n_batches))))
    assert len({len(s) for s in shares}) == 1 and len(shares[0]) == d.steps(n_batches)
    assert set().union(*shares) == set(range(n_batches))


def test_plain_run_is_one_process(monkeypatch):
    import torch

    monkeypatch.delenv("WORLD_SIZE", raising=False)
    d = Distributed(torch.device("cpu"))
    model = torch.nn.Linear(2, 2)
    assert d.is_main and d.world == 1 and d.prepare(model, None, None)[0] is model
    assert list(d.shard(iter("abc"))) == ["a", "b", "c"]
