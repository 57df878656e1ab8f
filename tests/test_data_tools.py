"""CoNLL and Label Studio converters, labeling functions, and the shipped data files."""
from __future__ import annotations

import io
import json

import pytest

from conftest import SHARED, REPO, tiny_docs
from vnreport.cli import main
from vnreport.data.conll import export_conll, read_conll
from vnreport.data.io import DataError, load_jsonl
from vnreport.data.labelstudio import from_tasks, import_file, labeling_config, to_tasks
from vnreport.data.silver import label_document
from vnreport.schema import LAYERS, Span
from vnreport.document import Document


def pairs(doc, layer):
    return [(s.label, s.text) for s in doc.layer(layer)]


def test_conll_round_trip_keeps_span_texts(tmp_path):
    docs = tiny_docs()
    buf = io.StringIO()
    stats = export_conll(docs, buf)
    assert stats.documents == 6 and stats.misaligned == 0
    path = tmp_path / "x.conll"
    path.write_text(buf.getvalue(), encoding="utf-8")
    back = read_conll(path)
    assert [d.id for d in back] == [d.id for d in docs]
    for a, b in zip(docs, back):
        assert a.text == b.text  # single spaces and glued punctuation survive via SpaceAfter=No
        assert pairs(a, "entities") == pairs(b, "entities") and pairs(a, "directives") == pairs(b, "directives")


def test_conll_import_of_two_column_file_and_bad_tags(tmp_path):
    p = tmp_path / "a.conll"
    p.write_text("Lê_Văn\tB-PER\nBình\tI-PER\nhọp\tO\n", encoding="utf-8")
    doc = read_conll(p)[0]
    assert pairs(doc, "entities") == [("PER", "Lê Văn Bình")] and doc.directives == []
    p.write_text("Lê\tB-NAME\tO\n", encoding="utf-8")
    assert read_conll(p)[0].entities[0].label == "NAME"  # no label set given: the file's own labels
    with pytest.raises(DataError, match=r"a.conll:1: bad entities tag 'B-NAME'"):
        read_conll(p, LAYERS)
    p.write_text("Lê B-PER\n", encoding="utf-8")  # columns split on spaces when a line has no tab
    assert pairs(read_conll(p)[0], "entities") == [("PER", "Lê")]
    p.write_text("Lê\tB-PER\nBình\n", encoding="utf-8")
    with pytest.raises(DataError, match="a.conll:2: expected at least 2 columns"):
        read_conll(p)


def test_labelstudio_round_trip_with_emoji_offsets(tmp_path):
    text = "😀 Chủ tịch UBND tỉnh Võ Văn Hưng yêu cầu hoàn thành sớm"
    doc = Document(text, id="e1", entities=[Span(21, 32, "PER", "Võ Văn Hưng")], directives=[Span(41, len(text), "DIR", text[41:])])
    tasks = to_tasks([doc])
    v = tasks[0]["annotations"][0]["result"][0]["value"]
    assert (v["start"], v["end"]) == (22, 33)  # UTF-16 code units: the emoji counts twice
    back = from_tasks(json.loads(json.dumps(tasks)))[0]
    assert back.entities == doc.entities and back.directives == doc.directives and back.id == "e1"
    assert '<Labels name="directives" toName="text"><Label value="DIR"/>' in labeling_config()


@pytest.mark.parametrize("task,needle", [
    ({"id": 7, "data": {}}, r"task 1 \(id 7\): data.text is missing"),
    ({"id": 8, "data": {"text": "abc"}, "annotations": [{"result": [{"type": "labels", "from_name": "people", "value": {"start": 0, "end": 1, "labels": ["PER"]}}]}]}, "unknown control"),
    ({"id": 9, "data": {"text": "abc"}, "annotations": [{"result": [{"type": "labels", "from_name": "entities", "value": {"start": 0, "end": 9, "labels": ["PER"]}}]}]}, "not valid"),
    ({"id": 10, "data": {"text": "abc"}, "annotations": [{"result": [{"type": "labels", "from_name": "entities", "value": {"start": 0, "end": 1, "labels": ["FOO"]}}]}]}, "unknown label"),
])
def test_labelstudio_bad_tasks_are_named(task, needle):
    with pytest.raises(DataError, match=needle):
        from_tasks([task], "ls.json", LAYERS)


def test_labelstudio_file_must_be_a_list(tmp_path):
    p = tmp_path / "ls.json"
    p.write_text('{"id": 1}', encoding="utf-8")
    with pytest.raises(DataError, match="JSON list"):
        import_file(p)


def test_cli_converters(tmp_path, tiny_data):
    out = tmp_path / "x.conll"
    assert main(["data", "to-conll", str(tiny_data), "-o", str(out)]) == 0
    assert main(["data", "from-conll", str(out), "-o", str(tmp_path / "back.jsonl")]) == 0
    assert len(load_jsonl(tmp_path / "back.jsonl")) == 6
    assert main(["data", "to-labelstudio", str(tiny_data), "-o", str(tmp_path / "ls.json")]) == 0
    assert (tmp_path / "ls.config.xml").exists()
    assert main(["data", "from-labelstudio", str(tmp_path / "ls.json"), "-o", str(tmp_path / "ls.jsonl")]) == 0
    assert [pairs(d, "entities") for d in load_jsonl(tmp_path / "ls.jsonl")] == [pairs(d, "entities") for d in tiny_docs()]


def test_labeling_functions_find_the_fixed_phrasings():
    text = ("Ngày 12/10/2023, Chủ tịch UBND huyện Trần Nam Thuần chủ trì. Thu ngân sách nhà nước đạt 139.396 triệu đồng, "
            "bằng 45,76% dự toán. Đồng chí đề nghị các xã tập trung tháo gỡ khó khăn cho doanh nghiệp.")
    doc = label_document(text)
    got = pairs(doc, "entities")
    for expected in [("DATE", "12/10/2023"), ("TITLE", "Chủ tịch UBND huyện"), ("VALUE", "139.396 triệu đồng"),
                     ("RATE", "45,76%"), ("IND", "Thu ngân sách nhà nước")]:
        assert expected in got
    assert pairs(doc, "directives") == [("DIR", "tập trung tháo gỡ khó khăn cho doanh nghiệp")]
    assert doc.meta["origin"] == "silver"


@pytest.mark.skipif(not SHARED.exists(), reason="needs ../shared beside the repository")
def test_shipped_gold_and_silver_validate():
    split = {name: load_jsonl(REPO / "data" / "gold" / f"{name}.jsonl") for name in ("train", "dev", "test")}
    ids = [d.id for docs in split.values() for d in docs]
    assert len(ids) == len(set(ids)) >= 125  # no document in two splits
    assert len(split["test"]) >= 30 and all(d.meta.get("origin") == "real" for d in split["test"])
    written = [d for docs in split.values() for d in docs if d.meta.get("origin") == "written"]
    assert len(written) >= 80 and not any(d.meta.get("origin") == "written" for d in split["test"])
    counts = {}
    for d in split["train"]:
        for s in d.entities + d.directives:
            counts[s.label] = counts.get(s.label, 0) + 1
    assert min(counts.values()) >= 100 and len(counts) == 9
    silver = load_jsonl(REPO / "data" / "silver" / "news-silver.jsonl")
    assert all(d.meta["origin"] == "silver" for d in silver) and not set(d.id for d in silver) & set(ids)
