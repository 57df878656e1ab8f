"""Reliability of the Python API (issue 13): exact offsets for any string, clear errors for
wrong arguments, numbers never rounded in silence. The API cases are the rows of the
second table in docs/errors.md (checked by test_errors_doc_lists_every_case)."""
from __future__ import annotations

import json
import shutil
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable

import pytest
import torch

import vnreport
from conftest import REPO, SHARED
from vnreport.loading import DEFAULT_MODEL_DIR
from vnreport.normalize import normalize
from vnreport.records.numbers import parse_quantity

SEED = SHARED / "seeds" / "000_0d145819312b56d9.txt"
needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="needs ../shared beside the repository")


@pytest.fixture(scope="module")
def tagger():
    return vnreport.load(device="cpu")


def _spans(doc) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in doc.entities + doc.directives]


# -- item 1: the map back to the caller's characters is exact ------------------------------
@needs_shared
def test_item1_composition_across_a_chunk_leaves_earlier_spans_alone(tagger):
    head = SEED.read_text(encoding="utf-8")[:1500]
    text = head + " \u09C7\u09BE"  # Bengali e + aa compose to one character across our cut
    norm = normalize(text)
    assert norm.text == unicodedata.normalize("NFC", text)
    assert norm.starts[:1500] == tuple(range(1500)) and norm.to_original(1501, 1502) == (1501, 1503)
    whole = [s for s in _spans(tagger.predict(text)) if s[1] <= 1500]
    assert whole == [s for s in _spans(tagger.predict(head)) if s[1] <= 1500]
    assert whole and all(e - s < 200 for s, e, _ in whole)


def test_item1_reordered_marks_keep_their_own_positions(tagger):
    text = "\u0301\u0303\u0323" * 50  # NFC moves every U+0323 before the other marks
    norm = normalize(text)
    assert norm.text == unicodedata.normalize("NFC", text)
    assert all(norm.ends[i] - norm.starts[i] == 1 for i in range(len(norm.text)))
    assert sorted(norm.starts) == list(range(150))
    for s, e, _ in _spans(tagger.predict(text)):
        assert e - s <= 3, (s, e)


def test_item1_a_composed_character_covers_exactly_its_sources():
    text = "Chu\u0309 te\u0302\u0323ch A\u030a\u0301 x"  # ủ, ệ (marks out of order), Ǻ (three-way)
    norm = normalize(text)
    assert norm.text == "Chủ tệch Ǻ x"
    assert [norm.to_original(i, i + 1) for i in range(len(norm.text))] == [
        (0, 1), (1, 2), (2, 4), (4, 5), (5, 6), (6, 9), (9, 10), (10, 11), (11, 12), (12, 15), (15, 16), (16, 17)]


def test_item1_the_boundary_table_scans_every_code_point_that_matters():
    from vnreport.normalize import SCAN_END

    assert not [cp for cp in range(SCAN_END, 0x110000) if unicodedata.combining(chr(cp))
                or unicodedata.decomposition(chr(cp)) and not unicodedata.decomposition(chr(cp)).startswith("<")]


# -- item 5: lone surrogates ---------------------------------------------------------------
def test_item5_lone_surrogates_do_not_crash_and_offsets_index_the_callers_string(tagger):
    clean = "Chủ tịch UBND tỉnh Nguyễn Văn An chủ trì hội nghị ngày 5/3/2024."
    for text in ["abc \udfff", "\ud800", clean.replace(" ", "\udcff", 1), clean + " \udcc3\udca9"]:
        doc = tagger.predict(text)
        assert doc.text == text
        for s in doc.entities + doc.directives:
            assert s.text == text[s.start:s.end]
    with_surrogate = tagger.predict(clean.replace("ngày", "ng\udcffy"))
    assert [s for s in _spans(with_surrogate) if s[1] < clean.index("ngày")] == \
        [s for s in _spans(tagger.predict(clean.replace("ngày", "ng\ufffdy"))) if s[1] < clean.index("ngày")]


# -- item 10: numbers beyond the decimal context ---------------------------------------------
@pytest.mark.parametrize("text", ["1234567890123456789012345678901234 tỷ", "9" * 4400 + " đồng", "1" + "0" * 4400,
                                  "123456789012345678,5 ha", "1/" + "9" * 40 + " tiêu chí"])
def test_item10_numbers_that_would_be_rounded_stay_text(text):
    q = parse_quantity(text)
    assert not q.parsed and q.value is None and q.text == text
    assert json.loads(json.dumps(q.to_dict()))["parsed"] is False


def test_item10_big_numbers_in_a_document_serialize(tagger):
    from vnreport.document import Document
    from vnreport.schema import Span

    text = "Tổng thu ngân sách đạt " + "9" * 4400 + " đồng."
    s, e = text.index("9"), len(text) - 1
    doc = Document(text, entities=[Span(0, 18, "IND", text[:18]), Span(s, e, "VALUE", text[s:e])])
    d = json.loads(json.dumps(doc.to_dict(), ensure_ascii=False))
    assert d["indicators"][0]["values"][0]["parsed"] is False
    assert parse_quantity("9.999.999.999.999.999.999.999.999 đồng").value == 9_999_999_999_999_999_999_999_999


# -- item 7 (Python API): the second table of docs/errors.md ---------------------------------
@dataclass(frozen=True)
class ApiCase:
    id: str
    call: Callable[[Any, Any], Any]  # (tagger, tmp_path) -> result
    error: type[BaseException]
    message: str  # as written in docs/errors.md


def _corrupt_model(tmp_path):
    dst = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, dst)
    data = (dst / "model.safetensors").read_bytes()
    (dst / "model.safetensors").write_bytes(data[: len(data) // 3])
    return dst


API_CASES = [
    ApiCase("predict-none", lambda t, p: t.predict(None), TypeError, "predict() takes str or a list of str, not NoneType"),
    ApiCase("predict-bytes", lambda t, p: t.predict(b"abc"), TypeError, "not bytes: decode them first"),
    ApiCase("predict-dict", lambda t, p: t.predict({"text": "abc"}), TypeError, "predict() takes str or a list of str, not dict"),
    ApiCase("predict-int", lambda t, p: t.predict(3), TypeError, "predict() takes str or a list of str, not int"),
    ApiCase("predict-list-item", lambda t, p: t.predict(["ok", 3]), TypeError, "item 1 is int"),
    ApiCase("predict-batch-size", lambda t, p: t.predict(["a"], batch_size=0), ValueError, "batch_size must be a positive integer"),
    ApiCase("load-missing", lambda t, p: vnreport.load(p / "nothere"), FileNotFoundError, "no such folder"),
    ApiCase("load-not-a-tagger", lambda t, p: vnreport.load(p), ValueError, "not a vnreport tagger"),
    ApiCase("load-corrupt", lambda t, p: vnreport.load(_corrupt_model(p)), ValueError, "its files are missing or corrupt"),
    ApiCase("load-stride", lambda t, p: vnreport.load(stride=254), ValueError, "smaller than the window (254 subwords)"),
    ApiCase("load-device", lambda t, p: vnreport.load(device="cuda:99" if torch.cuda.is_available() else "cuda"),
            ValueError, "cannot be used"),
    ApiCase("load-unknown-device", lambda t, p: vnreport.load(device="gpu"), ValueError, "unknown device 'gpu'"),
]


@pytest.mark.parametrize("case", API_CASES, ids=lambda c: c.id)
def test_item7_api_errors_say_what_is_expected(case, tagger, tmp_path):
    from vnreport.errors import UserError

    with pytest.raises(case.error) as info:
        case.call(tagger, tmp_path)
    assert case.message in str(info.value) and "\n" not in str(info.value)
    assert isinstance(info.value, UserError) or case.error is TypeError


def test_item7_iterables_of_str_are_still_accepted(tagger):
    texts = ("Sở Tài chính", "UBND tỉnh")
    assert [d.text for d in tagger.predict(texts)] == [d.text for d in tagger.predict(t for t in texts)] == list(texts)


def _doc_rows(table: str) -> dict[str, str]:
    """`case-id` -> its row, from the table of docs/errors.md whose header names `table`."""
    text = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")
    block = text.split(table, 1)[1].split("\n\n", 1)[0]
    rows = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0].startswith("`") and cells[0].endswith("`"):
            rows[cells[0].strip("`")] = line
    return rows


def test_errors_doc_lists_every_api_case():
    rows = _doc_rows("| Python call |")
    assert set(rows) == {c.id for c in API_CASES}
    for case in API_CASES:
        assert case.message in rows[case.id] and case.error.__name__ in rows[case.id], case.id
