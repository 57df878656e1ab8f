"""The JSON API of `vnreport serve` through Starlette's TestClient: every endpoint, every bad input."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from conftest import tiny_docs  # noqa: E402
from vnreport.cli import main  # noqa: E402
from vnreport.serve import ServeConfig, create_app  # noqa: E402

LIMITS = ServeConfig(max_body_bytes=4000, max_texts=3, max_chars=500)


@pytest.fixture(scope="module")
def client(tiny_tagger):
    with TestClient(create_app(LIMITS, tagger=tiny_tagger)) as c:
        yield c


def calls(client) -> int:
    return client.get("/v1/health").json()["model_calls"]


def test_health_and_model(client, tiny_tagger):
    health = client.get("/v1/health").json()
    assert health["status"] == "ok" and health["batching"]["enabled"] is True
    assert health["limits"] == {"max_body_bytes": 4000, "max_texts": 3, "max_chars": 500}
    model = client.get("/v1/model").json()
    assert model["labels"] == tiny_tagger.meta["labels"] and "vnreport_version" in model


def test_predict_returns_the_library_answer(client, tiny_tagger):
    texts = [d.text for d in tiny_docs()[:3]]
    r = client.post("/v1/predict", json={"texts": texts, "ids": ["a", "b", "c"]})
    assert r.status_code == 200
    docs = r.json()["documents"]
    assert [d["id"] for d in docs] == ["a", "b", "c"]
    for text, d in zip(texts, docs):
        want = tiny_tagger.predict(text).to_dict()
        assert d == {"id": d["id"], **want}
        assert all(text[s["start"]:s["end"]] == s["text"] for s in d["entities"] + d["directives"])
    assert docs[1]["indicators"] and docs[0]["officials"] and docs[2]["directive_records"]


def test_predict_without_records_and_with_view(client):
    text = tiny_docs()[1].text
    plain = client.post("/v1/predict", json={"texts": [text], "records": False}).json()["documents"][0]
    assert set(plain) == {"text", "entities", "directives"}
    viewed = client.post("/v1/predict", json={"texts": [text], "ids": ["r.txt"], "view": True}).json()["documents"][0]
    assert 'class="e"' in viewed["view"]["html"] and "<h2>r.txt</h2>" in viewed["view"]["html"]
    csv = viewed["view"]["csv"]
    assert set(csv) == {"officials", "indicators", "directives"}
    assert csv["indicators"].startswith("file,name,") and csv["indicators"].count("\nr.txt,") == len(viewed["indicators"])


def test_empty_inputs_are_valid(client):
    assert client.post("/v1/predict", json={"texts": []}).json() == {"documents": []}
    d = client.post("/v1/predict", json={"texts": [""]}).json()["documents"][0]
    assert d["text"] == "" and d["entities"] == [] and d["officials"] == []


BAD = [  # (what, request kwargs, status, words the one-line message must contain)
    ("not JSON", {"content": b'{"texts": ["a",', "headers": {"Content-Type": "application/json"}}, 400, "not valid JSON"),
    ("bytes not UTF-8", {"content": b'{"texts": ["\xff\xfe"]}', "headers": {"Content-Type": "application/json"}}, 400, ""),
    ("deeply nested", {"content": b"[" * 3000, "headers": {"Content-Type": "application/json"}}, 400, ""),
    ("empty body", {"content": b"", "headers": {"Content-Type": "application/json"}}, 422, "JSON object"),
    ("a list, not an object", {"json": ["a"]}, 422, "JSON object"),
    ("form-encoded", {"data": {"texts": "a"}}, 422, "Content-Type: application/json"),
    ("no texts", {"json": {}}, 422, "texts: Field required"),
    ("texts is a string", {"json": {"texts": "a"}}, 422, "texts: Input should be a valid list"),
    ("texts is null", {"json": {"texts": None}}, 422, "texts"),
    ("a number among texts", {"json": {"texts": ["a", 5]}}, 422, "texts[1]: Input should be a valid string"),
    ("records not a bool", {"json": {"texts": ["a"], "records": "yes"}}, 422, "records"),
    ("unknown field", {"json": {"text": "a"}}, 422, "text: unknown field"),
    ("ids of another length", {"json": {"texts": ["a", "b"], "ids": ["x"]}}, 422, "ids: 1 ids for 2 texts"),
    ("id not a string", {"json": {"texts": ["a"], "ids": [1]}}, 422, "ids[0]"),
    ("unpaired surrogate", {"content": b'{"texts": ["ok", "a\\ud800b"]}', "headers": {"Content-Type": "application/json"}},
     422, "texts[1]: character 1 is an unpaired surrogate"),
    ("unpaired surrogate in an id", {"content": b'{"texts": ["ok"], "ids": ["\\udc00"]}',
                                     "headers": {"Content-Type": "application/json"}}, 422, "ids[0]: character 0"),
    ("too many texts", {"json": {"texts": ["a"] * 4}}, 413, "4 texts in one request; the limit is 3"),
    ("a text too long", {"json": {"texts": ["a", "x" * 501]}}, 413, "texts[1] has 501 characters; the limit is 500"),
    ("body too large", {"json": {"texts": ["a" * 450] * 3, "ids": ["y" * 1000] * 3}}, 413, "larger than the limit of 4000 bytes"),
    ("chunked body too large", {"content": iter([b'{"texts": ["', b"a" * 3000, b"a" * 3000, b'"]}']),
                                "headers": {"Content-Type": "application/json"}}, 413, "4000 bytes"),
]


@pytest.mark.parametrize("what,kwargs,status,words", BAD, ids=[b[0] for b in BAD])
def test_bad_input_gets_one_clear_4xx_and_never_reaches_the_model(client, what, kwargs, status, words):
    before = calls(client)
    r = client.post("/v1/predict", **kwargs)
    assert r.status_code == status, r.text
    message = r.json()["error"]
    assert words in message and "\n" not in message
    assert calls(client) == before  # refused, not truncated and run


def test_wrong_method_and_path(client):
    r = client.get("/v1/predict")
    assert r.status_code == 405 and r.json() == {"error": "Method Not Allowed"}
    assert client.get("/v2/predict").json() == {"error": "Not Found"}


def test_page_and_docs_are_served_from_the_app(client):
    page = client.get("/")
    assert page.status_code == 200 and 'id="text"' in page.text and 'type="file"' in page.text
    for asset in ("static/page.js", "static/page.css"):
        r = client.get("/" + asset)
        assert r.status_code == 200 and f'"{asset}"' in page.text
        assert "http://" not in r.text and "https://" not in r.text  # no external asset
    assert "http" not in page.text.replace('"http-equiv', "")
    assert "/v1/predict" in client.get("/openapi.json").json()["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger-ui-bundle.js" in docs.text and "cdn" not in docs.text
    assert client.get("/redoc").status_code == 200
    for asset in [a for a in docs.text.split('"') if a.startswith("/static-offline-docs/")]:
        assert client.get(asset).status_code == 200, asset


def test_model_loaded_once_per_app(tiny_tagger, tiny_model, monkeypatch):
    import vnreport.loading

    loads = []
    monkeypatch.setattr(vnreport.loading, "load", lambda *a, **k: loads.append(a) or tiny_tagger)
    with TestClient(create_app(ServeConfig(model=str(tiny_model[0])))) as c:
        for _ in range(3):
            assert c.post("/v1/predict", json={"texts": ["Chủ tịch UBND huyện"]}).status_code == 200
        assert c.get("/v1/model").status_code == 200
    assert loads == [(str(tiny_model[0]),)]


def test_serve_command_without_the_extra_says_how_to_install(monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "fastapi" else real(name, *a))
    assert main(["serve"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "pip install 'vnreport[serve]'" in err


def test_serve_command_refuses_a_bad_model_dir(tmp_path, capsys):
    assert main(["serve", "--model", str(tmp_path)]) == 2
    assert str(tmp_path) in capsys.readouterr().err
    assert main(["serve", "--workers", "0"]) == 2


def test_config_travels_to_workers_as_json(monkeypatch):
    from vnreport.serve.config import ENV_VAR

    cfg = ServeConfig(model="m", max_texts=7, batching=False)
    monkeypatch.setenv(ENV_VAR, cfg.to_env())
    assert ServeConfig.from_env() == cfg
    assert json.loads(cfg.to_env())["max_texts"] == 7
