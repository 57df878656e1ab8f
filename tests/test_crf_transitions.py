"""Learned CRF transitions: the fit's likelihood is right, a model without transitions decodes as
before, and transitions a model describes reach the decoder (training/add_transitions.py)."""
from __future__ import annotations

import itertools
import json
import pickle
import subprocess
import sys

import numpy as np
import pytest
import torch

from conftest import REPO, load_benchmark, read_json, tiny_docs
from vnreport.pipeline import weights_sha256
from vnreport.schema import bio_labels
from vnreport.spans import CUT, FREE, HELD, Transitions, step_masks

DIR = bio_labels(["DIR"])  # O B-DIR I-DIR
SCRIPT = REPO / "training" / "add_transitions.py"


def add_transitions(model_dir, *args):
    return subprocess.run([sys.executable, str(SCRIPT), str(model_dir), *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_crf_likelihood_matches_brute_force():
    """The fit's NLL (padded batch, step kinds, temperature) equals enumeration over every valid path."""
    bench = load_benchmark("crf_vs_viterbi")
    rng = np.random.default_rng(0)
    masks = step_masks(DIR)
    lengths = [3, 1, 4]
    kinds = [np.array([HELD, CUT, FREE]), np.array([FREE]), np.array([HELD, FREE, CUT, FREE])]  # the last is unused
    logps = [np.log(rng.dirichlet(np.ones(3), size=n)) for n in lengths]
    golds = [np.array([1, 2, 0]), np.array([0]), np.array([1, 2, 2, 0])]
    width = max(lengths)
    seq = bench.Sequences(torch.zeros(3, width, 3), torch.full((3, width), bench.PAD), torch.zeros(3, width, dtype=torch.long),
                          sum(lengths), 0)
    for i, n in enumerate(lengths):
        seq.logp[i, :n] = torch.from_numpy(logps[i]).float()
        seq.kinds[i, :n - 1] = torch.from_numpy(kinds[i][:-1])
        seq.gold[i] = int(golds[i][-1])
        seq.gold[i, :n] = torch.from_numpy(golds[i])
    trans, start, end, temp = rng.normal(size=(3, 3)), rng.normal(size=3), rng.normal(size=3), 1.7
    first_ok = np.array([True, True, False])

    def path_score(i, path):
        s = start[path[0]] + sum(logps[i][t, y] / temp for t, y in enumerate(path)) + end[path[-1]]
        return s + sum(trans[a, b] for a, b in zip(path, path[1:]))

    def valid(i, path):
        return first_ok[path[0]] and all(masks[kinds[i][t], path[t], path[t + 1]] for t in range(len(path) - 1))

    expected = 0.0
    for i, n in enumerate(lengths):
        scores = [path_score(i, p) for p in itertools.product(range(3), repeat=n) if valid(i, p)]
        expected += np.logaddexp.reduce(scores) - path_score(i, golds[i])
    got = bench.crf_nll(seq, torch.from_numpy(masks), torch.from_numpy(first_ok), torch.tensor(trans).float(),
                        torch.tensor(start).float(), torch.tensor(end).float(), torch.tensor(temp))
    assert np.isclose(float(got), expected / sum(lengths), rtol=1e-4)


def spans_of(docs):
    return [[(s.start, s.end, s.label) for s in d.entities + d.directives] for d in docs]


def test_model_without_transitions_decodes_as_before_and_transitions_change_it(model_copy, tmp_path):
    import vnreport

    texts = [d.text for d in tiny_docs()]
    before = vnreport.load(model_copy, device="cpu")
    assert "transitions" not in read_json(model_copy / "vnreport.json") and before.text.transitions == {}
    plain = spans_of(before.predict(texts))
    assert any(plain)

    labels = before.labels["entities"]
    k = len(labels)
    zero = {"transitions": {"entities": Transitions(np.zeros((k, k)), np.zeros(k), np.zeros(k)).to_dict(labels)}}
    (tmp_path / "zero.json").write_text(json.dumps(zero), encoding="utf-8")
    assert add_transitions(model_copy, tmp_path / "zero.json").returncode == 0
    assert spans_of(vnreport.load(model_copy, device="cpu").predict(texts)) == plain  # the learned path, same answer

    # a CRF that learned that entity spans never begin: no entity is found, directives are untouched
    begins = np.array([lab.startswith("B-") for lab in labels])
    never = Transitions(np.where(np.tile(begins, (k, 1)), -100.0, 0.0), np.where(begins, -100.0, 0.0), np.zeros(k))
    dir_never = Transitions(np.full((3, 3), -100.0), np.full(3, -100.0), np.zeros(3)).to_dict(DIR)
    record = {"model_sha256": weights_sha256(model_copy),
              "transitions": {"entities": never.to_dict(labels), "directives": dir_never}}
    (tmp_path / "never.json").write_text(json.dumps(record), encoding="utf-8")
    kept = (model_copy / "vnreport.json").read_bytes()
    typo = add_transitions(model_copy, tmp_path / "never.json", "--layers", "entitites")
    assert typo.returncode != 0 and "no transitions for entitites" in typo.stderr and "Traceback" not in typo.stderr
    assert (model_copy / "vnreport.json").read_bytes() == kept  # nothing written
    assert add_transitions(model_copy, tmp_path / "never.json", "--layers", "entities").returncode == 0
    assert set(read_json(model_copy / "vnreport.json")["transitions"]) == {"entities"}
    tagger = vnreport.load(model_copy, device="cpu")
    docs = tagger.predict(texts)
    assert all(not d.entities for d in docs)
    assert [[(s.start, s.end) for s in d.directives] for d in docs] == [[(s.start, s.end) for s in d.directives]
                                                                         for d in before.predict(texts)]
    assert pickle.loads(pickle.dumps(tagger.text)).transitions.keys() == {"entities"}  # worker processes get them

    saved = tagger.save(tmp_path / "resaved")  # a model saved again keeps them
    assert all(not d.entities for d in vnreport.load(saved, device="cpu").predict(texts))

    assert add_transitions(model_copy, "--remove").returncode == 0
    assert spans_of(vnreport.load(model_copy, device="cpu").predict(texts)) == plain


def test_transitions_for_other_labels_are_refused_in_one_line(model_copy, tmp_path):
    import vnreport

    meta_before = (model_copy / "vnreport.json").read_text(encoding="utf-8")
    other = {"transitions": {"directives": Transitions(np.zeros((2, 2)), np.zeros(2), np.zeros(2)).to_dict(["O", "B-X"])}}
    (tmp_path / "other.json").write_text(json.dumps(other), encoding="utf-8")
    proc = add_transitions(model_copy, tmp_path / "other.json")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "transitions.directives" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert (model_copy / "vnreport.json").read_text(encoding="utf-8") == meta_before  # nothing written

    fitted_elsewhere = {"model_sha256": "0" * 64, "transitions": {"directives": Transitions(
        np.zeros((3, 3)), np.zeros(3), np.zeros(3)).to_dict(DIR)}}  # right labels, other weights
    (tmp_path / "elsewhere.json").write_text(json.dumps(fitted_elsewhere), encoding="utf-8")
    proc = add_transitions(model_copy, tmp_path / "elsewhere.json")
    assert proc.returncode != 0 and "other weights" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert (model_copy / "vnreport.json").read_text(encoding="utf-8") == meta_before

    meta = read_json(model_copy / "vnreport.json")
    meta["transitions"] = {"directives": {**Transitions(np.zeros((3, 3)), np.zeros(3), np.zeros(3)).to_dict(DIR),
                                          "end": [0.0, "x", 0.0]}}
    (model_copy / "vnreport.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ValueError, match="transitions.directives"):
        vnreport.load(model_copy, device="cpu")
