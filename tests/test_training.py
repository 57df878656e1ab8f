"""Training the tiny tagger end to end: loss falls, it fits its data, saves, reloads, resumes."""
from __future__ import annotations

import json
import unicodedata

import torch

import vnreport
from conftest import read_json, tiny_docs, train_tiny
from vnreport.evaluate import score


def test_loss_falls_and_model_fits_its_sentences(tiny_model, tiny_tagger):
    path, result = tiny_model
    hist = result["history"]
    assert hist[-1]["train_loss"] < 0.5 * hist[0]["train_loss"]
    docs = tiny_docs()
    report = score(docs, tiny_tagger.predict([d.text for d in docs]))
    assert report.layers["entities"].strict["micro"].f1 >= 0.9
    assert report.layers["directives"].strict["micro"].f1 >= 0.9


def test_saved_model_describes_itself(tiny_model):
    meta = read_json(tiny_model[0] / "vnreport.json")
    assert meta["schema_version"] == 1 and meta["segmenter"]["name"] == "pyvi"
    assert meta["labels"]["entities"][0] == "O" and "B-DIR" in meta["labels"]["directives"]
    assert meta["metrics"]["dev"]["layers"]["entities"]["strict"]["micro"]["f1"] >= 0
    assert meta["vnreport_version"] == vnreport.__version__ and meta["training"]["model"]["new"]["hidden_size"] == 32
    assert (tiny_model[0] / "model.safetensors").exists()


def test_save_load_round_trip_gives_identical_predictions(tiny_model, tiny_tagger, tmp_path):
    texts = [d.text for d in tiny_docs()] + ["Một văn bản khác hoàn toàn: Sở Tài chính báo cáo 12,5%."]
    before = [d.to_dict() for d in tiny_tagger.predict(texts)]
    tiny_tagger.save(tmp_path / "copy")
    after = [d.to_dict() for d in vnreport.load(tmp_path / "copy", device="cpu").predict(texts)]
    assert before == after


def test_predict_offsets_always_index_the_callers_text(tiny_tagger):
    texts = [
        "", " ", "\n\n", "Hello, this report is in English with 12.5% growth.", "😀" * 50,
        unicodedata.normalize("NFD", tiny_docs()[0].text), "UBND" * 300, "a\u00a0b\u200bc",
    ]
    for doc, text in zip(tiny_tagger.predict(texts, batch_size=3), texts):
        assert doc.text == text
        for s in doc.entities + doc.directives:
            assert 0 <= s.start < s.end <= len(text) and s.text == text[s.start:s.end]
            assert 0.0 <= s.score <= 1.0


def test_nfd_input_gives_the_same_spans_in_original_offsets(tiny_tagger):
    text = tiny_docs()[0].text
    nfd = unicodedata.normalize("NFD", text)
    a, b = tiny_tagger.predict(text), tiny_tagger.predict(nfd)
    assert [s.label for s in a.entities] == [s.label for s in b.entities]
    assert [unicodedata.normalize("NFC", s.text) for s in b.entities] == [s.text for s in a.entities]


def test_long_document_is_windowed_not_truncated(tiny_tagger):
    unit = tiny_docs()[1].text + " "
    text = unit * (100_000 // len(unit) + 1)
    assert len(text) > 100_000
    p = tiny_tagger.preprocess(text)
    assert len(p.windows) > 10 and p.windows[-1].last == len(p.words)
    doc = tiny_tagger.predict(text)
    values = [s for s in doc.entities if s.label == "VALUE"]
    assert len(values) >= 0.9 * text.count("139.396 triệu đồng")  # found all along, not only in the first window
    starts = [s.start for s in doc.entities]
    assert starts == sorted(set(starts))  # merged windows: no span reported twice


def test_predict_rejects_non_strings(tiny_tagger):
    import pytest

    with pytest.raises(TypeError, match="item 1"):
        tiny_tagger.predict(["ok", 3])


def test_training_resumes_after_interruption(tmp_path, tiny_data):
    out = tmp_path / "run"
    train_tiny(out, tiny_data, epochs=2)
    state = torch.load(out / "checkpoint-last" / "state.pt", weights_only=True)
    assert state["state"]["epoch"] == 2
    result = train_tiny(out, tiny_data, epochs=4)
    assert [h["epoch"] for h in result["history"]] == [1, 2, 3, 4]
    assert json.loads((out / "history.json").read_text())[-1]["epoch"] == 4


def test_packaging_stores_fp16_and_loads_as_fp32(tiny_model, tmp_path):
    import subprocess
    import sys

    from safetensors import safe_open

    from conftest import REPO

    out = tmp_path / "pkg"
    subprocess.run([sys.executable, str(REPO / "training" / "package_model.py"), str(tiny_model[0]), "--out", str(out)], check=True, cwd=REPO)
    with safe_open(str(out / "model.safetensors"), "pt") as f:
        assert {f.get_tensor(k).dtype for k in f.keys()} == {torch.float16}
    tagger = vnreport.load(out, device="cpu")
    assert next(tagger.model.parameters()).dtype == torch.float32
    assert json.loads((out / "vnreport.json").read_text())["labels"] == read_json(tiny_model[0] / "vnreport.json")["labels"]
    text = tiny_docs()[1].text
    assert [s.label for s in tagger.predict(text).entities] == [s.label for s in vnreport.load(tiny_model[0], device="cpu").predict(text).entities]
