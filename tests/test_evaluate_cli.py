"""Evaluation harness and the command line, on the tiny model and hand-made predictions."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import tiny_docs, train_tiny
from vnreport.cli import main
from vnreport.data.io import load_jsonl, write_jsonl
from vnreport.evaluate import of_origin, score, write_report
from vnreport.train.config import ConfigError
from vnreport.schema import Span
from vnreport.document import Document


def test_perfect_prediction_scores_one():
    docs = tiny_docs()
    rep = score(docs, docs)
    assert rep.layers["entities"].strict["micro"].f1 == 1.0 and rep.layers["directives"].partial["micro"].f1 == 1.0
    assert rep.errors == []


def test_boundary_error_is_partial_not_strict():
    text = "Chủ tịch UBND tỉnh Võ Văn Hưng chủ trì"
    gold = Document(text, entities=[Span(19, 30, "PER", "Võ Văn Hưng"), Span(0, 18, "TITLE", "Chủ tịch UBND tỉnh")], id="g")
    pred = Document(text, entities=[Span(22, 30, "PER", "Văn Hưng"), Span(0, 8, "ORG", "Chủ tịch")])
    rep = score([gold], [pred])
    ent = rep.layers["entities"]
    assert ent.strict["PER"].f1 == 0.0 and ent.partial["PER"].f1 == 1.0
    assert ent.confusion["TITLE"]["ORG"] == 1
    assert sorted(e["type"] for e in rep.errors) == ["boundary", "label"]


def test_spurious_and_missed_are_counted():
    text = "UBND huyện họp"
    rep = score([Document(text, entities=[Span(0, 10, "ORG")], id="g")], [Document(text, directives=[Span(11, 14, "DIR")])])
    kinds = sorted((e["layer"], e["type"]) for e in rep.errors)
    assert kinds == [("directives", "spurious"), ("entities", "missed")]
    assert rep.layers["directives"].strict["DIR"].precision == 0.0


def test_report_files_and_table(tmp_path):
    docs = tiny_docs()
    rep = score(docs, [Document(d.text) for d in docs])
    write_report(rep, tmp_path)
    assert json.loads((tmp_path / "metrics.json").read_text())["layers"]["entities"]["strict"]["micro"]["recall"] == 0.0
    assert len((tmp_path / "errors.jsonl").read_text().splitlines()) == sum(len(d.entities) + len(d.directives) for d in docs)
    assert "micro" in rep.table() and "confusion" in rep.table()


def test_cli_predict_and_evaluate(tiny_model, tiny_data, tmp_path, capsys):
    f1, f2 = tmp_path / "a.txt", tmp_path / "b.txt"
    f1.write_text(tiny_docs()[2].text, encoding="utf-8")
    f2.write_text("", encoding="utf-8")
    assert main(["predict", str(f1), "--model", str(tiny_model[0]), "--device", "cpu"]) == 0
    doc = json.loads(capsys.readouterr().out)
    text = f1.read_text(encoding="utf-8")
    assert doc["entities"] and all(s["text"] == text[s["start"]:s["end"]] for s in doc["entities"] + doc["directives"])
    out = tmp_path / "o.jsonl"
    assert main(["predict", str(f1), str(f2), "--model", str(tiny_model[0]), "--format", "jsonl", "-o", str(out)]) == 0
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == [str(f1), str(f2)]
    assert main(["evaluate", "--model", str(tiny_model[0]), "--data", str(tiny_data), "--out", str(tmp_path / "ev"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 6
    assert (tmp_path / "ev" / "errors.jsonl").exists()


def test_evaluate_can_record_scores_in_the_model(tiny_model, tiny_data, tmp_path, capsys):
    import shutil

    model = tmp_path / "m"
    shutil.copytree(tiny_model[0], model)
    assert main(["evaluate", "--model", str(model), "--data", str(tiny_data), "--record", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    meta = json.loads((model / "vnreport.json").read_text(encoding="utf-8"))
    rec = meta["metrics"]["evaluations"][str(tiny_data)]
    assert rec["documents"] == 6
    assert rec["entities"]["strict_micro"]["f1"] == printed["layers"]["entities"]["strict"]["micro"]["f1"]


def _with_origins(tmp_path):
    docs = tiny_docs()
    for i, d in enumerate(docs):
        d.meta = {"origin": "real" if i < 2 else "written"}
    path = tmp_path / "mixed.jsonl"
    write_jsonl(docs, path)
    return path


def test_origin_scores_only_those_documents(tiny_model, tmp_path, capsys):
    data = _with_origins(tmp_path)
    assert [d.id for d in of_origin(load_jsonl(data), "real", "x")] == ["tiny-0", "tiny-1"]
    assert len(of_origin(load_jsonl(data), None, "x")) == 6
    assert main(["evaluate", "--model", str(tiny_model[0]), "--data", str(data), "--origin", "real", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == 2


def test_an_origin_no_document_has_is_one_line_naming_the_file(tiny_model, tmp_path, capsys):
    data = _with_origins(tmp_path)
    assert main(["evaluate", "--model", str(tiny_model[0]), "--data", str(data), "--origin", "reel"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(data) in err and "'reel'" in err and "real, written" in err


def test_training_refuses_a_dev_origin_no_dev_document_has(tiny_data, tmp_path):
    with pytest.raises(ConfigError, match=r"data\.dev_origin: .*no document has meta\.origin 'real'"):
        train_tiny(tmp_path / "run", tiny_data, epochs=1, extra=["data.dev_origin=real"])


def test_training_picks_the_epoch_on_the_dev_documents_of_the_origin(tmp_path):
    data = _with_origins(tmp_path)
    result = train_tiny(tmp_path / "run", data, epochs=1, extra=["data.dev_origin=real"])
    meta = json.loads((Path(result["best_model"]) / "vnreport.json").read_text(encoding="utf-8"))
    assert meta["data"]["dev_documents"] == 2 and meta["data"]["dev_origin"] == "real"
    assert meta["metrics"]["dev"]["documents"] == 2
