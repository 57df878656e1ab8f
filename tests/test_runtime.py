"""CPU runtimes chosen at load time: ONNX Runtime keeps the spans, int8 keeps valid spans, mistakes are refused."""
from __future__ import annotations

import pytest

import vnreport
from conftest import tiny_docs

TEXTS = [d.text for d in tiny_docs()] + ["", tiny_docs()[1].text * 30]


def spans(docs):
    return [[(s.start, s.end, s.label) for s in d.entities + d.directives] for d in docs]


def test_onnx_runtime_gives_the_spans_of_torch(tiny_model, tiny_tagger):
    pytest.importorskip("onnxruntime", reason="ONNX Runtime is not installed: pip install 'vnreport[onnx]'")
    onnx = vnreport.load(tiny_model[0], device="cpu", runtime="onnx")
    assert type(onnx.model).__name__ == "OnnxTagger"
    a, b = tiny_tagger.predict(TEXTS), onnx.predict(TEXTS)
    assert spans(a) == spans(b)
    assert [s.score for d in b for s in d.entities] == pytest.approx([s.score for d in a for s in d.entities], abs=1e-4)


@pytest.mark.parametrize("runtime", ["onnx", "torch"])
def test_int8_keeps_offsets_valid_and_most_spans(tiny_model, tiny_tagger, runtime):
    if runtime == "onnx":
        pytest.importorskip("onnxruntime", reason="ONNX Runtime is not installed: pip install 'vnreport[onnx]'")
    q = vnreport.load(tiny_model[0], device="cpu", quantize="int8", runtime=runtime)
    docs = q.predict(TEXTS)
    for doc, text in zip(docs, TEXTS):
        assert all(text[s.start:s.end] == s.text for s in doc.entities + doc.directives)
    ref = {x for d in spans(tiny_tagger.predict(TEXTS[:6])) for x in d}
    got = {x for d in spans(docs[:6]) for x in d}
    assert len(ref & got) >= 0.8 * len(ref)  # quantization moves a few spans, not most


def test_options_are_checked(tiny_model, tiny_tagger, tmp_path):
    with pytest.raises(ValueError, match="quantize"):
        vnreport.load(tiny_model[0], device="cpu", quantize="int4")
    with pytest.raises(ValueError, match="runtime"):
        vnreport.load(tiny_model[0], device="cpu", runtime="tensorrt")
    q = vnreport.load(tiny_model[0], device="cpu", quantize="int8", runtime="torch")
    with pytest.raises(ValueError, match="cannot be saved"):
        q.save(tmp_path / "q")
