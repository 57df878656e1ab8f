"""`tag-corpus`: same spans as predict(), input order, every engine, resumption after a crash."""
from __future__ import annotations

import gzip
import json

import pytest

from conftest import tiny_docs
from vnreport.cli import main as cli_main
from vnreport.corpus import LoadOptions, tag_corpus
from vnreport.data.io import DataError
from vnreport.pipeline import Tagger

TEXTS = [d.text for d in tiny_docs()] + ["", "Báo cáo của UBND xã Phú Thọ: thu ngân sách đạt 12,5%."]


def write_corpus(path, n=23):
    """n records with ids in a scrambled order (output order must follow the input, not the ids)."""
    recs = [{"id": f"doc-{(i * 7) % n}", "text": TEXTS[i % len(TEXTS)], "source": "test"} for i in range(n)]
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n\n")  # blank lines are skipped
    return recs


def read_out(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def spans(rows):
    return [[(s["start"], s["end"], s["label"]) for s in r["entities"] + r["directives"]] for r in rows]


@pytest.fixture()
def load(tiny_model):
    return LoadOptions(model=str(tiny_model[0]), device="cpu")


def test_single_engine_matches_predict_in_input_order(tmp_path, load, tiny_tagger):
    recs = write_corpus(tmp_path / "in.jsonl.gz")
    result = tag_corpus(tmp_path / "in.jsonl.gz", tmp_path / "out.jsonl", shard_size=5, batch_size=4, load=load)
    out = read_out(tmp_path / "out.jsonl")
    assert (result.documents, result.shards, result.shards_tagged) == (23, 5, 5)
    assert [r["id"] for r in out] == [r["id"] for r in recs]
    expected = [d.to_dict() for d in tiny_tagger.predict([r["text"] for r in recs], batch_size=4)]
    assert [{k: v for k, v in r.items() if k != "id"} for r in out] == expected
    assert not (tmp_path / "out.jsonl.parts").exists()


def test_local_workers_give_the_same_spans(tmp_path, load):
    write_corpus(tmp_path / "in.jsonl")
    tag_corpus(tmp_path / "in.jsonl", tmp_path / "one.jsonl", shard_size=4, load=load)
    result = tag_corpus(tmp_path / "in.jsonl", tmp_path / "two.jsonl", engine="local", workers=2, shard_size=4, load=load)
    one, two = read_out(tmp_path / "one.jsonl"), read_out(tmp_path / "two.jsonl")
    assert result.shards_tagged == 6 and [r["id"] for r in two] == [r["id"] for r in one]
    assert spans(two) == spans(one)


def test_rerun_after_a_crash_tags_only_the_missing_shards(tmp_path, load, monkeypatch):
    write_corpus(tmp_path / "in.jsonl")
    tag_corpus(tmp_path / "in.jsonl", tmp_path / "ref.jsonl", shard_size=4, load=load)
    calls = {"n": 0}
    stream = Tagger.stream

    def crashing(self, *a, **k):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("simulated crash while tagging shard 2")
        return stream(self, *a, **k)

    monkeypatch.setattr(Tagger, "stream", crashing)
    with pytest.raises(RuntimeError, match="simulated crash"):
        tag_corpus(tmp_path / "in.jsonl", tmp_path / "out.jsonl", shard_size=4, load=load)
    monkeypatch.setattr(Tagger, "stream", stream)
    parts = tmp_path / "out.jsonl.parts"
    done = {p.name: p.stat().st_mtime_ns for p in parts.glob("shard-*.jsonl")}
    assert sorted(done) == ["shard-00000.jsonl", "shard-00001.jsonl"] and not (tmp_path / "out.jsonl").exists()
    (parts / "shard-00002.jsonl.tmp").write_text('{"half": ', encoding="utf-8")  # a write the crash cut short
    result = tag_corpus(tmp_path / "in.jsonl", tmp_path / "out.jsonl", shard_size=4, load=load, keep_parts=True)
    assert result.shards_tagged == 4  # of 6
    assert {name: (parts / name).stat().st_mtime_ns for name in done} == done  # finished shards untouched
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == (tmp_path / "ref.jsonl").read_text(encoding="utf-8")


def test_parts_of_another_job_are_not_mixed_in(tmp_path, load):
    write_corpus(tmp_path / "in.jsonl")
    tag_corpus(tmp_path / "in.jsonl", tmp_path / "out.jsonl", shard_size=4, load=load, keep_parts=True)
    with pytest.raises(DataError, match="another job"):
        tag_corpus(tmp_path / "in.jsonl", tmp_path / "out.jsonl", shard_size=5, load=load)


def test_bad_input_line_is_one_clear_error(tmp_path, tiny_model, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "text": "ok"}\n{"id": 2, "text": 5}\n', encoding="utf-8")
    code = cli_main(["tag-corpus", str(bad), "-o", str(tmp_path / "o.jsonl"), "--model", str(tiny_model[0]), "-q"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and err == [f"error: {bad}:2: `text` must be a string (id 2)"]


def test_ray_engine_gives_the_spans_of_predict(tmp_path, load):
    ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'vnreport[cluster]'")
    write_corpus(tmp_path / "in.jsonl", n=11)
    tag_corpus(tmp_path / "in.jsonl", tmp_path / "one.jsonl", shard_size=3, load=load)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, object_store_memory=100 * 2**20)
    try:
        result = tag_corpus(tmp_path / "in.jsonl", tmp_path / "ray.jsonl", engine="ray", workers=2, shard_size=3, load=load)
    finally:
        ray.shutdown()
    one, by_ray = read_out(tmp_path / "one.jsonl"), read_out(tmp_path / "ray.jsonl")
    assert result.shards_tagged == 4 and [r["id"] for r in by_ray] == [r["id"] for r in one]
    assert spans(by_ray) == spans(one)
