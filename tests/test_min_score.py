"""A layer's score floor (`min_scores` in vnreport.json): fitted on a dev file, read by the decoder."""
from __future__ import annotations

import json
import pickle
import subprocess
import sys

import pytest

from conftest import REPO, read_json, tiny_docs
from vnreport.errors import BadValueError

SCRIPT = REPO / "training" / "fit_min_score.py"


def fit(model_dir, *args):
    return subprocess.run([sys.executable, str(SCRIPT), str(model_dir), *map(str, args)],
                          capture_output=True, text=True, timeout=300, cwd=REPO)


def entity_spans(docs):
    return [[(s.start, s.end, s.label, s.score) for s in d.entities] for d in docs]


def test_a_floor_drops_exactly_the_spans_below_it(model_copy):
    import vnreport

    texts = [d.text for d in tiny_docs()]
    plain = entity_spans(vnreport.load(model_copy, device="cpu").predict(texts))
    scores = sorted({s[3] for doc in plain for s in doc})
    assert len(scores) > 1, "the tiny model should give spans of different scores"
    floor = (scores[0] + scores[1]) / 2  # above the least sure span, below all others
    meta = read_json(model_copy / "vnreport.json")
    meta["min_scores"] = {"entities": floor}
    (model_copy / "vnreport.json").write_text(json.dumps(meta), encoding="utf-8")
    tagger = vnreport.load(model_copy, device="cpu")
    assert entity_spans(tagger.predict(texts)) == [[s for s in doc if s[3] >= floor] for doc in plain]
    assert pickle.loads(pickle.dumps(tagger.text)).min_scores == {"entities": floor}  # worker processes keep it


@pytest.mark.parametrize("bad", [{"entitites": 0.5}, {"directives": 1.5}, {"directives": "0.7"}, [0.7]])
def test_a_bad_floor_is_refused_naming_the_field(model_copy, bad):
    import vnreport

    meta = read_json(model_copy / "vnreport.json")
    meta["min_scores"] = bad
    (model_copy / "vnreport.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(BadValueError, match="min_scores"):
        vnreport.load(model_copy, device="cpu")


def test_the_fit_writes_the_best_floor_and_remove_takes_it_out(model_copy, tiny_data):
    proc = fit(model_copy, "--layer", "entities", "--data", tiny_data, "--write")
    assert proc.returncode == 0, proc.stderr
    rows = [line.split(" | ") for line in proc.stdout.splitlines() if line[:1].isdigit()]
    assert len(rows) == 20
    best = max(rows, key=lambda r: (float(r[3]), -float(r[0])))
    written = read_json(model_copy / "vnreport.json").get("min_scores", {}).get("entities", 0.0)
    assert written == float(best[0])
    assert fit(model_copy, "--layer", "entities", "--remove").returncode == 0
    assert "min_scores" not in read_json(model_copy / "vnreport.json")

    typo = fit(model_copy, "--layer", "entitites", "--data", tiny_data)
    assert typo.returncode != 0 and "no layer 'entitites'" in typo.stderr and "Traceback" not in typo.stderr
