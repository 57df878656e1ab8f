"""The embedded default model: loads offline from the package and tags a real report sensibly."""
from __future__ import annotations

import json

import pytest

import vnreport
from conftest import SHARED
from vnreport.loading import DEFAULT_MODEL_DIR


def test_embedded_model_describes_itself():
    meta = json.loads((DEFAULT_MODEL_DIR / "vnreport.json").read_text(encoding="utf-8"))
    assert meta["segmenter"]["name"] == "pyvi" and meta["schema_version"] == 1
    assert "license" in meta and meta["data"]["train_documents"] > 0
    assert meta["metrics"]["dev"]["layers"]["entities"]["strict"]["micro"]["f1"] > 0.5
    assert (DEFAULT_MODEL_DIR / "model.safetensors").stat().st_size < 50 * 2**20


@pytest.mark.skipif(not SHARED.exists(), reason="needs ../shared beside the repository")
def test_default_model_tags_a_seed_report():
    text = (SHARED / "seeds" / "000_0d145819312b56d9.txt").read_text(encoding="utf-8")
    doc = vnreport.predict(text)
    for s in doc.entities + doc.directives:
        assert s.text == text[s.start:s.end]
    labels = {s.label for s in doc.entities}
    assert {"PER", "TITLE", "DATE", "VALUE"} <= labels
    assert any(s.label == "PER" and s.text == "Võ Văn Hưng" for s in doc.entities)
    assert doc.directives


def test_load_refuses_a_directory_that_is_not_a_tagger(tmp_path):
    with pytest.raises(ValueError, match="not a vnreport tagger"):
        vnreport.load(tmp_path)


def test_stride_can_be_chosen_at_load_time():
    text = "Huyện đạt 139.396 triệu đồng thu ngân sách. " * 200
    overlapping = vnreport.load().preprocess(text).windows
    adjacent = vnreport.load(stride=0).preprocess(text).windows
    assert any(b.first < a.last for a, b in zip(overlapping, overlapping[1:]))
    assert all(b.first == a.last for a, b in zip(adjacent, adjacent[1:])) and len(adjacent) < len(overlapping)
    with pytest.raises(ValueError, match="stride"):
        vnreport.load(stride=-1)
