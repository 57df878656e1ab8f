"""Issue 13 items 6 and 9: converters write only what the validator accepts, and the validator
names file:line for every bad input (no tracebacks, no silent acceptance, no train/dev leak)."""
from __future__ import annotations

import gzip
import json
import re
import unicodedata

import pytest

from test_data_io import TEXT, rec
from vnreport.cli import main
from vnreport.data.conll import read_conll
from vnreport.data.io import DataError, load_jsonl, sha256
from vnreport.data.labelstudio import from_tasks, import_file

def write_lines(path, *records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


# -- item 9: validator gaps ----------------------------------------------------------------------
@pytest.mark.parametrize("bad,needle", [
    (rec(entities=[{"start": 19, "end": True, "label": "PER"}]), "start/end must be integers"),
    (rec(entities=[{"start": False, "end": 30, "label": "PER"}]), "start/end must be integers"),
    (rec(id=7), "'id' must be a non-empty string, not int"),
    (rec(id=""), "'id' must be a non-empty string"),
    (rec(meta=["origin", "real"]), "'meta' must be an object"),
    (rec(meta="real"), "'meta' must be an object"),
    ({"id": "r", "text_ref": {"file": 5}, "text_sha256": "0", "entities": [], "directives": []}, "'text_ref' needs a 'file'"),
    ({"id": "r", "text_ref": {"file": "c.jsonl", "id": ["a"]}, "text_sha256": "0", "entities": [], "directives": []}, "as strings"),
])
def test_validator_refuses_wrong_types(tmp_path, bad, needle):
    p = write_lines(tmp_path / "x.jsonl", rec(id="ok"), bad)
    with pytest.raises(DataError, match=needle) as e:
        load_jsonl(p)
    assert f"{p}:2" in str(e.value)


def test_non_utf8_jsonl_names_the_line(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_bytes(json.dumps(rec(id="ok"), ensure_ascii=False).encode() + b"\n" + json.dumps(rec()).encode("utf-8")[:-2].replace(b"d1", b"d\xe91") + b"}\n")
    with pytest.raises(DataError, match="not UTF-8") as e:
        load_jsonl(p)
    assert f"{p}:2" in str(e.value)


@pytest.mark.parametrize("make,needle", [
    (lambda d: d.mkdir(), "is a folder"),
    (lambda d: d.write_bytes(b"\x1f\x8b\x08 not really gzip"), "cannot read"),
    (lambda d: gzip.open(d, "wt", encoding="utf-8").write('{"id": "a1"}\n'), "cannot read"),
])
def test_text_ref_to_a_folder_or_corrupt_corpus_is_an_error(tmp_path, make, needle):
    make(tmp_path / "corpus.jsonl.gz")
    bad = {"id": "r1", "text_ref": {"file": "corpus.jsonl.gz", "id": "a1"}, "text_sha256": sha256(TEXT),
           "entities": [], "directives": []}
    p = write_lines(tmp_path / "x.jsonl", bad)
    with pytest.raises(DataError, match=needle) as e:
        load_jsonl(p)
    assert f"{p}:1" in str(e.value)


def test_validate_catches_a_train_dev_leak_by_id_and_by_text(tmp_path, capsys):
    train = write_lines(tmp_path / "train.jsonl", rec(id="a"), rec(id="b", text=TEXT + " Hết.", entities=[]))
    dev = write_lines(tmp_path / "dev.jsonl", rec(id="c", text="Khác hẳn.", entities=[]), rec(id="a", text="Một văn bản khác.", entities=[]))
    assert main(["data", "validate", str(train), str(dev)]) == 2
    err = capsys.readouterr().err
    assert f"{dev}:2: id 'a' is also in {train}:1" in err
    dev2 = write_lines(tmp_path / "dev2.jsonl", rec(id="z", text=TEXT + " Hết.", entities=[]))
    assert main(["data", "validate", str(train), str(dev2)]) == 2
    assert f"{dev2}:1: the text of 'z' is also in {train}:2 ('b')" in capsys.readouterr().err
    assert main(["data", "validate", str(train), str(tmp_path / "dev.jsonl")]) == 2  # still leaking
    ok = write_lines(tmp_path / "ok.jsonl", rec(id="q", text="Khác hẳn nữa.", entities=[]))
    assert main(["data", "validate", str(train), str(ok)]) == 0


# -- item 6: converters -------------------------------------------------------------------------
def conll(tmp_path, body: str, name: str = "a.conll"):
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return p


@pytest.mark.parametrize("body,needle,line", [
    ("Lê\tB-PER\n\tI-PER\nhọp\tO\n", "empty token", 2),
    ("Lê\tB-PER\n   \tI-PER\n", "empty token", 2),
    ("# id = \nLê\tB-PER\n", "empty document id", 1),
    ("# id = x\nLê\tO\n\n# id = x\nhọp\tO\n", "duplicate id 'x' (first on line 1)", 4),
])
def test_conll_import_refuses_what_it_cannot_convert(tmp_path, body, needle, line):
    p = conll(tmp_path, body)
    with pytest.raises(DataError, match=re.escape(needle)) as e:
        read_conll(p)
    assert f"{p}:{line}:" in str(e.value)


def test_conll_import_writes_nfc_text_and_no_phantom_document(tmp_path):
    nfd = unicodedata.normalize("NFD", "Nguyễn_Văn_Ả")
    doc, = read_conll(conll(tmp_path, f"# id = n\n{nfd}\tB-PER\nhọp\tO\n"))
    assert doc.text == unicodedata.normalize("NFC", doc.text) and doc.entities[0].text == "Nguyễn Văn Ả"
    assert read_conll(conll(tmp_path, "# a comment only\n# and another\n\n")) == []
    doc, = read_conll(conll(tmp_path, "Lê\tB-PER\n_\tI-PER\n"))  # a lone '_' is a character, not a joiner
    assert doc.text == "Lê _" and doc.entities[0].text == "Lê _"


def test_cli_from_conll_reports_file_line(tmp_path, capsys):
    p = conll(tmp_path, "Lê\tB-PER\n\tI-PER\n")
    assert main(["data", "from-conll", str(p), "-o", str(tmp_path / "out.jsonl")]) == 2
    assert f"{p}:2:" in capsys.readouterr().err
    assert not (tmp_path / "out.jsonl").exists()


def task(i, text="Lê Bình họp.", doc_id=None, result=None):
    t = {"id": i, "data": {"text": text}, "annotations": [{"result": result or []}]}
    if doc_id:
        t["data"]["doc_id"] = doc_id
    return t


@pytest.mark.parametrize("tasks,needle", [
    ([task(1, doc_id="a"), task(2, doc_id="a")], "task 2: duplicate id 'a' (first in task 1)"),
    ([task(1), "not a task"], "task 2: a task must be a JSON object"),
    ([task(1, result=["oops"])], "task 1: result 1 is not an object"),
    ([{"id": 1, "data": "text"}], "task 1: 'data' must be an object"),
    ([{"id": 1, "data": {"text": "x"}, "annotations": {"result": []}}], "task 1: 'annotations' must be a list"),
    ([{"id": 1, "data": {"text": "x"}, "annotations": [[]]}], "task 1: annotation 1 is not an object"),
    ([task(1, result=[{"type": "labels", "from_name": "entities", "value": "0-2"}])], "task 1: result 1 has no 'value' object"),
    ([task(1, result=[{"type": "labels", "from_name": "entities", "value": {"start": 0, "end": 1, "labels": "PER"}}])],
     "task 1: result 1: 'labels' must be a list"),
])
def test_labelstudio_bad_input_is_a_clear_error(tasks, needle):
    with pytest.raises(DataError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        from_tasks(tasks, "ls.json")


def test_labelstudio_cli_names_the_task(tmp_path, capsys):
    p = tmp_path / "ls.json"
    p.write_text(json.dumps([task(1, doc_id="a"), 5]), encoding="utf-8")
    assert main(["data", "from-labelstudio", str(p), "-o", str(tmp_path / "o.jsonl")]) == 2
    assert f"{p}: task 2:" in capsys.readouterr().err
    with pytest.raises(DataError, match="task 2"):
        import_file(p)


def test_conll_in_a_legacy_encoding_is_one_clear_error(tmp_path):
    p = tmp_path / "legacy.conll"
    p.write_bytes("Lê\tB-PER\n".encode("cp1258"))
    with pytest.raises(DataError, match="not UTF-8"):
        read_conll(p)
