"""Loading labeled data: every problem is an error naming file, line and span; nothing is dropped."""
from __future__ import annotations

import gzip
import json

import pytest

from vnreport.cli import main
from vnreport.data.io import DataError, load_jsonl, sha256, write_jsonl
from vnreport.data.markup import parse_markup, to_markup

TEXT = "Chủ tịch UBND tỉnh Võ Văn Hưng chủ trì."


def rec(**kw):
    base = {"id": "d1", "text": TEXT, "entities": [{"start": 19, "end": 30, "label": "PER"}], "directives": []}
    base.update(kw)
    return base


def write(tmp_path, *lines):
    p = tmp_path / "x.jsonl"
    p.write_text("\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines) + "\n", encoding="utf-8")
    return p


def test_valid_file_loads(tmp_path):
    docs = load_jsonl(write(tmp_path, rec()))
    assert docs[0].entities[0].text == "Võ Văn Hưng"


@pytest.mark.parametrize("bad,needle", [
    ("{not json", "not valid JSON"),
    (rec(entities=[{"start": 19, "end": 99, "label": "PER"}]), "out of range"),
    (rec(entities=[{"start": 19, "end": 30, "label": "PER", "text": "Võ Văn"}]), "does not match"),
    (rec(entities=[{"start": 18, "end": 30, "label": "PER"}]), "whitespace"),
    (rec(entities=[{"start": 19, "end": 30, "label": "PERSON"}]), "unknown label 'PERSON'"),
    (rec(entities=[{"start": 0, "end": 18, "label": "TITLE"}, {"start": 9, "end": 13, "label": "ORG"}]), "overlap"),
    (rec(entities=[{"start": 19, "label": "PER"}]), "lacks field 'end'"),
    ({"id": "d1", "text": TEXT, "entities": []}, "missing field 'directives'"),
    ({"text": TEXT, "entities": [], "directives": []}, "missing field 'id'"),
])
def test_bad_records_name_file_line_and_span(tmp_path, bad, needle):
    p = write(tmp_path, rec(id="ok"), bad)
    with pytest.raises(DataError) as e:
        load_jsonl(p)
    msg = str(e.value)
    assert needle in msg and f"{p}:2" in msg


def test_overlap_across_layers_is_allowed(tmp_path):
    docs = load_jsonl(write(tmp_path, rec(directives=[{"start": 0, "end": 38, "label": "DIR"}])))
    assert docs[0].directives[0].end == 38


def test_duplicate_ids_are_refused(tmp_path):
    with pytest.raises(DataError, match="duplicate id"):
        load_jsonl(write(tmp_path, rec(), rec()))


def test_text_ref_is_joined_and_checked(tmp_path):
    corpus = tmp_path / "corpus.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "a1", "text": TEXT}, ensure_ascii=False) + "\n")
    ref = {"file": "corpus.jsonl.gz", "id": "a1"}
    good = {"id": "r1", "text_ref": ref, "text_sha256": sha256(TEXT), "entities": [{"start": 19, "end": 30, "label": "PER"}], "directives": []}
    p = write(tmp_path, good)
    doc = load_jsonl(p)[0]
    assert doc.text == TEXT and doc.meta["text_ref"] == ref
    out = tmp_path / "out.jsonl"
    write_jsonl([doc], out)
    assert "text" not in json.loads(out.read_text(encoding="utf-8"))  # the real text stays where it lives
    with pytest.raises(DataError, match="does not match text_sha256"):
        load_jsonl(write(tmp_path, dict(good, text_sha256="0" * 64)))
    with pytest.raises(DataError, match="cannot be resolved"):
        load_jsonl(write(tmp_path, dict(good, text_ref={"file": "missing.jsonl.gz", "id": "a1"})))


def test_markup_round_trip_with_interleaved_layers():
    src = "#@ id: m1\nĐề nghị <DIR>giao <ORG>UBND huyện</ORG> hoàn thành trước <DATE>30/6</DATE></DIR>; <PER>Lê Bình</PER> nói.\n"
    doc = parse_markup(src)
    assert [s.text for s in doc.entities] == ["UBND huyện", "30/6", "Lê Bình"]
    assert doc.directives[0].text == "giao UBND huyện hoàn thành trước 30/6"
    again = parse_markup(to_markup(doc))
    assert again.entities == doc.entities and again.directives == doc.directives and again.text == doc.text


@pytest.mark.parametrize("body,needle", [
    ("<PER>Lê <PER>Bình</PER></PER>", "opens inside"),
    ("<PER>Lê Bình", "never closed"),
    ("Lê Bình</ORG>", "closes nothing"),
    ("<PER> Lê Bình</PER>", "whitespace"),
])
def test_markup_errors_name_the_line(body, needle):
    with pytest.raises(DataError, match=needle) as e:
        parse_markup(f"#@ id: m\nline one\n{body}", "f.txt")
    assert "f.txt:" in str(e.value)


def test_cli_validate_reports_bad_file(tmp_path, capsys):
    p = write(tmp_path, rec(entities=[{"start": 19, "end": 30, "label": "NAME"}]))
    assert main(["data", "validate", str(p)]) == 2
    assert f"{p}:1" in capsys.readouterr().err
