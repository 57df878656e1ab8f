"""Issue 11: any label set, declared in the config, flows through data, heads, training,
evaluation, the saved model, predict() and records; word-segmented CoNLL import; HF export."""
from __future__ import annotations

import io
import json

import pytest
import torch

import vnreport
from conftest import REPO, read_json
from vnreport.cli import main
from vnreport.data.conll import ConllFormat, export_conll, read_conll
from vnreport.data.io import DataError, load_jsonl, write_jsonl
from vnreport.data.labelstudio import labeling_config
from vnreport.data.markup import parse_markup
from vnreport.document import Document
from vnreport.evaluate import evaluate
from vnreport.schema import Span, label_set, parse_label_args

CUSTOM = {"entities": ("PER", "ORG", "PROJECT"), "directives": ()}
PROJECT_MARKUP = [
    "<ORG>Sở Kế hoạch và Đầu tư</ORG> trình <PROJECT>dự án đường vành đai 4</PROJECT> lên <ORG>UBND tỉnh</ORG>.",
    "Ông <PER>Lê Văn Bình</PER> phụ trách <PROJECT>dự án cấp nước sạch Tam Nông</PROJECT>.",
    "<PROJECT>Dự án đê biển Gò Công</PROJECT> đã hoàn thành 80% khối lượng.",
    "<PER>Trần Thị Mai</PER> báo cáo tiến độ <PROJECT>dự án trường học Phú Thọ</PROJECT>.",
    "<ORG>Ban Quản lý dự án</ORG> đề nghị bổ sung vốn cho <PROJECT>dự án cầu Cao Lãnh</PROJECT>.",
    "<PER>Nguyễn Quốc Hùng</PER> kiểm tra <PROJECT>dự án nhà máy xử lý rác</PROJECT>.",
]
NER_FIXTURE = REPO / "tests" / "fixtures" / "ner-conll"


def project_docs():
    return [parse_markup(f"#@ id: p{i}\n{m}", "p.txt", CUSTOM) for i, m in enumerate(PROJECT_MARKUP)]


# -- label sets ---------------------------------------------------------------------------------
@pytest.mark.parametrize("spec,needle", [
    ({"entity": ["PER"]}, "unknown layer 'entity'"),
    ({"entities": ["PER"], "directives": ["PER"]}, "declared twice"),
    ({"entities": ["O"]}, "outside"),
    ({"entities": ["BAD LABEL"]}, "must be letters"),
    ({"entities": "PER"} | {"directives": 3}, "must be a list"),
])
def test_label_set_refuses_what_cannot_be_a_label(spec, needle):
    with pytest.raises(ValueError, match=needle):
        label_set(spec)


def test_label_set_defaults_and_command_line_form():
    assert label_set(None)["entities"][0] == "PER" and label_set(None)["directives"] == ("DIR",)
    assert label_set({"entities": ["PER", "MISC"]}) == {"entities": ("PER", "MISC"), "directives": ()}
    assert parse_label_args(["entities=PER,ORG,LOC,MISC", "directives="]) == {"entities": ("PER", "ORG", "LOC", "MISC"), "directives": ()}


def test_data_checks_follow_the_declared_labels(tmp_path, capsys):
    path = tmp_path / "p.jsonl"
    write_jsonl(project_docs(), path)
    with pytest.raises(DataError, match="unknown label 'PROJECT'"):
        load_jsonl(path)
    assert len(load_jsonl(path, CUSTOM)) == 6
    assert main(["data", "validate", str(path)]) == 2
    assert main(["data", "validate", str(path), "--labels", "entities=PER,ORG,PROJECT", "directives="]) == 0
    assert main(["data", "validate", "--labels", "entities=PER,ORG,PROJECT", "directives=", str(path)]) == 0  # files after --labels
    cfg = tmp_path / "c.yaml"
    cfg.write_text("labels:\n  entities: [PER, ORG, PROJECT]\n", encoding="utf-8")
    assert main(["data", "validate", str(path), "--config", str(cfg)]) == 0
    cfg.write_text("labels:\n  entities: [PER, O]\n", encoding="utf-8")
    assert main(["data", "validate", str(path), "--config", str(cfg)]) == 2
    assert f"{cfg}: labels.entities:" in capsys.readouterr().err


def test_markup_and_labelstudio_use_the_label_set():
    two_dirs = {"entities": ("PER",), "directives": ("TASK", "BAN")}
    doc = parse_markup("#@ id: m\n<TASK>mời <PER>Lê Bình</PER> dự họp</TASK>; <BAN>không đốt rơm</BAN> <ORG>x</ORG>", "m.txt", two_dirs)
    assert [(s.label, s.text) for s in doc.directives] == [("TASK", "mời Lê Bình dự họp"), ("BAN", "không đốt rơm")]
    assert "<ORG>x</ORG>" in doc.text  # not a tag of this label set: plain text
    xml = labeling_config({"entities": ("PER", "MISC"), "directives": ()})
    assert '<Label value="MISC"/>' in xml and 'name="directives"' not in xml


def test_records_ignore_labels_they_do_not_know():
    text = "Chủ tịch UBND tỉnh Võ Văn Hưng thăm dự án cầu Cao Lãnh ở Hà Nội."
    doc = Document(text, entities=[Span(0, 18, "TITLE", text[0:18]), Span(19, 30, "PER", text[19:30]),
                                   Span(36, 54, "PROJECT", text[36:54]), Span(57, 63, "MISC", text[57:63])],
                   directives=[Span(31, 54, "TASK", text[31:54])])
    d = doc.to_dict()
    assert [o["name"] for o in d["officials"]] == ["Võ Văn Hưng"]
    assert d["indicators"] == [] and d["directive_records"] == []


# -- word-segmented CoNLL -----------------------------------------------------------------------
SEGMENTED = """-DOCSTART- -X- O O

<s>
Chủ_tịch\tN\tB-NP\tO
UBND\tNp\tB-NP\tB-ORG
tỉnh\tN\tI-NP\tE-ORG
Võ_Văn_Hưng\tNp\tB-NP\tS-PER
(\tCH\tO\tO
Đảng_Cộng_sản\tNp\tB-NP\tS-ORG
)\tCH\tO\tO
thăm\tV\tB-VP\tO
Hà_Nội\tNp\tB-NP\tS-LOC
.\tCH\tO\tO
</s>
<s>
Lễ_hội\tN\tB-NP\tB-MISC
Hoa_Ban\tNp\tI-NP\tE-MISC
,\tCH\tO\tO
100\tM\tB-NP\tO
%\tCH\tO\tO
</s>
-DOCSTART- -X- O O

Ông\tNc\tB-NP\tO
Lê_Bình\tNp\tI-NP\tS-PER
"""


def test_segmented_conll_import_gives_offsets_into_the_rebuilt_text(tmp_path):
    p = tmp_path / "vlsp.conll"
    p.write_text(SEGMENTED, encoding="utf-8")
    docs = read_conll(p, fmt=ConllFormat.corpus(tag_column=4))
    assert [d.id for d in docs] == ["vlsp-0", "vlsp-1"]
    a = docs[0]
    assert a.text == "Chủ tịch UBND tỉnh Võ Văn Hưng (Đảng Cộng sản) thăm Hà Nội.\nLễ hội Hoa Ban, 100%"
    got = [(s.label, a.text[s.start:s.end]) for s in a.entities]
    assert got == [("ORG", "UBND tỉnh"), ("PER", "Võ Văn Hưng"), ("ORG", "Đảng Cộng sản"), ("LOC", "Hà Nội"), ("MISC", "Lễ hội Hoa Ban")]
    tokens = [line.split("\t")[0] for line in SEGMENTED.splitlines() if "\t" in line][:15]
    assert [a.text[s:e].replace(" ", "_") for s, e in a.meta["tokens"]] == tokens  # every token where the file has it
    assert docs[1].entities[0].text == "Lê Bình" and docs[1].directives == []

    out = io.StringIO()
    export_conll(docs, out, segmented=True, scheme="BIOES")
    back_path = tmp_path / "back.conll"
    back_path.write_text(out.getvalue(), encoding="utf-8")
    back = read_conll(back_path, fmt=ConllFormat.corpus(tag_column=2))
    assert [(d.text, d.entities) for d in back] == [(d.text, d.entities) for d in docs]
    rows = [tuple(line.split("\t")[::3]) for line in SEGMENTED.splitlines() if "\t" in line]
    written = [tuple(line.split("\t")) for line in out.getvalue().splitlines() if "\t" in line and not line.startswith("-DOC")]
    assert written == rows  # token and BIOES tag of every line, as in the source


def test_cli_imports_the_fixture_corpus_and_validates_it_with_the_example_config(tmp_path, capsys):
    out = tmp_path / "train.jsonl"
    assert main(["data", "from-conll", "--segmented", "--tag-column", "3", str(NER_FIXTURE / "train.conll"), "-o", str(out)]) == 0
    assert "labels: entities=PER,ORG,LOC,MISC directives=" in capsys.readouterr().out
    docs = load_jsonl(out, label_set({"entities": ["PER", "ORG", "LOC", "MISC"]}))
    for d in docs:
        for s in d.entities:
            assert d.text[s.start:s.end] == s.text and s.text == s.text.strip()
    assert main(["data", "validate", str(out), "--config", str(REPO / "configs" / "finetune-ner-example.yaml")]) == 0
    assert main(["data", "to-conll", "--segmented", str(out), "-o", str(tmp_path / "back.conll"),
                 "--labels", "entities=PER,ORG,LOC,MISC"]) == 0
    src = [ln.split("\t")[::2] for ln in (NER_FIXTURE / "train.conll").read_text(encoding="utf-8").splitlines() if "\t" in ln]
    back = [ln.split("\t") for ln in (tmp_path / "back.conll").read_text(encoding="utf-8").splitlines() if "\t" in ln]
    assert back == src


# -- heads --------------------------------------------------------------------------------------
def test_new_label_set_keeps_the_trained_rows_it_shares():
    from safetensors.torch import load_file

    from vnreport.train.heads import ALIASES, build_model

    shipped = load_file(str(ALIASES["vnreport:default"] / "model.safetensors"))
    old_tags = read_json(ALIASES["vnreport:default"] / "config.json")["entity_labels"]
    labels = {"entities": ("PER", "ORG", "LOC", "MISC"), "directives": ()}
    model, init = build_model("vnreport:default", labels)
    tags = model.layer_labels["entities"]
    assert tags == ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
    assert init.new["entities"] == ["B-MISC", "I-MISC"] and model.directive_head.out_features == 1
    w_old = shipped["entity_head.weight"].float()
    for i, tag in enumerate(tags[:7]):  # B-ORG moved from row 5 to row 3 and kept its weights
        assert torch.equal(model.entity_head.weight[i], w_old[old_tags.index(tag)])
    b_rows = [old_tags.index(t) for t in old_tags if t.startswith("B-")]
    assert torch.allclose(model.entity_head.bias[7], shipped["entity_head.bias"].float()[b_rows].mean())
    fresh, init = build_model("vnreport:default", labels, heads="new")
    assert init.kept["entities"] == [] and not torch.equal(fresh.entity_head.weight[1], w_old[1])
    assert torch.equal(fresh.roberta.embeddings.word_embeddings.weight, model.roberta.embeddings.word_embeddings.weight)


# -- training end to end ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def project_model(tmp_path_factory):
    d = tmp_path_factory.mktemp("project")
    write_jsonl(project_docs(), d / "train.jsonl")
    assert main(["train", str(REPO / "configs" / "finetune-tiny.yaml"), "--set", f"data.train={d / 'train.jsonl'}",
                 f"data.dev={d / 'train.jsonl'}", f"output_dir={d / 'run'}", "train.epochs=30", "train.batch_size=6",
                 "labels={entities: [PER, ORG, PROJECT], directives: []}"]) == 0
    return d / "run" / "best", d / "train.jsonl"


def test_custom_label_model_saves_loads_and_predicts_its_new_label(project_model):
    path, data = project_model
    meta = read_json(path / "vnreport.json")
    assert meta["labels"]["entities"] == ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-PROJECT", "I-PROJECT"]
    assert meta["labels"]["directives"] == ["O"]
    assert set(meta["metrics"]["dev"]["layers"]["entities"]["strict"]) == {"PER", "ORG", "PROJECT", "micro"}
    tagger = vnreport.load(path, device="cpu")
    gold = project_docs()
    found = [(s.label, s.text) for d in tagger.predict([g.text for g in gold]) for s in d.entities]
    wanted = [(s.label, s.text) for g in gold for s in g.entities if s.label == "PROJECT"]
    assert sum(p in found for p in wanted) >= 5  # the new label is predicted, with its exact text
    doc = tagger.predict("Ông Lê Văn Bình phụ trách dự án cấp nước sạch Tam Nông.")
    assert doc.directives == [] and "officials" in doc.to_dict()
    report = evaluate(tagger, data)
    assert report.layers["entities"].strict["PROJECT"].support == 6 and report.layers["entities"].strict["PROJECT"].f1 >= 0.8
    assert "PROJECT" in report.table() and "directives: no labels" in report.table()


def test_predict_cli_and_evaluate_cli_on_a_custom_label_model(project_model, tmp_path, capsys):
    path, data = project_model
    f = tmp_path / "r.txt"
    f.write_text(PROJECT_MARKUP[2].replace("<PROJECT>", "").replace("</PROJECT>", ""), encoding="utf-8")
    assert main(["predict", str(f), "--model", str(path), "--device", "cpu"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert ("PROJECT", "Dự án đê biển Gò Công") in [(s["label"], s["text"]) for s in out["entities"]]
    assert main(["evaluate", "--model", str(path), "--data", str(data), "--device", "cpu", "--json"]) == 0
    assert "PROJECT" in json.loads(capsys.readouterr().out)["layers"]["entities"]["strict"]


# -- export to the Hugging Face ecosystem -------------------------------------------------------
def test_export_hf_loads_in_transformers_and_agrees_with_vnreport(tiny_model, tiny_tagger, tmp_path):
    from transformers import AutoModelForTokenClassification, AutoTokenizer, pipeline

    from conftest import tiny_docs
    from vnreport.pipeline import window_inputs

    out = tmp_path / "hf"
    assert main(["export-hf", str(tiny_model[0]), str(out), "--layer", "entities"]) == 0
    hf = AutoModelForTokenClassification.from_pretrained(str(out)).eval()
    tok = AutoTokenizer.from_pretrained(str(out))
    assert type(hf).__name__ == "RobertaForTokenClassification"
    assert [hf.config.id2label[i] for i in range(hf.config.num_labels)] == tiny_tagger.labels["entities"]
    tag = pipeline("token-classification", model=hf, tokenizer=tok, device="cpu")
    for text in [d.text for d in tiny_docs()[:3]]:
        p = tiny_tagger.preprocess(text)
        words = [w.form for w in p.words]
        ours = tiny_tagger.forward([p])[0]["entities"][0].argmax(1)
        enc = tok(" ".join(words), return_tensors="pt")
        ids, firsts = window_inputs(p, p.windows[0], tiny_tagger.encoder.cls_id, tiny_tagger.encoder.sep_id)
        assert enc["input_ids"][0].tolist() == ids  # the same subwords as vnreport feeds its model
        with torch.no_grad():
            theirs = hf(**enc).logits[0, firsts].argmax(-1)
        assert theirs.tolist() == ours.tolist()
        by_index = {r["index"]: r["entity"] for r in tag(" ".join(words))}
        expected = {pos: tiny_tagger.labels["entities"][k] for pos, k in zip(firsts, ours.tolist()) if k != 0}
        assert {pos: by_index.get(pos) for pos in expected} == expected  # the pipeline gives the same word labels


def test_export_hf_refuses_what_is_not_a_tagger(tmp_path, capsys):
    assert main(["export-hf", str(tmp_path), str(tmp_path / "out")]) == 2
    assert "not a saved vnreport tagger" in capsys.readouterr().err


def test_pretrained_encoder_gets_new_heads_for_a_label_set(tmp_path):
    """`vnreport pretrain` writes an encoder; `init_from` it gives new heads over its weights
    (the path a larger pretrained encoder will take)."""
    from safetensors.torch import load_file

    from conftest import tiny_docs
    from vnreport.train.heads import build_model

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"c{i}", "text": d.text}, ensure_ascii=False) + "\n"
                              for i, d in enumerate(tiny_docs() * 20)), encoding="utf-8")
    cfg = tmp_path / "pretrain.yaml"
    cfg.write_text(f"corpus: [{{file: {corpus}}}]\ntokenizer: {{learn: true, vocab_size: 300}}\n"
                   "model: {hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 64}\n"
                   "max_length: 64\ntrain: {batch_size: 4, max_steps: 4, warmup_steps: 1, eval_every: 2, save_every: 2}\n"
                   f"output_dir: {tmp_path / 'run'}\n", encoding="utf-8")
    assert main(["pretrain", str(cfg)]) == 0
    encoder = tmp_path / "run" / "encoder"
    model, init = build_model(encoder, {"entities": ("PER", "MISC"), "directives": ()})
    assert init.kept == {"entities": [], "directives": []} and model.entity_head.out_features == 5
    saved = load_file(str(encoder / "model.safetensors"))
    assert torch.equal(model.roberta.embeddings.word_embeddings.weight, saved["roberta.embeddings.word_embeddings.weight"])
