"""CSV and HTML output of records, from the library and from `vnreport predict`."""
from __future__ import annotations

import csv
import re
import subprocess

import pytest

from conftest import REPO, load_benchmark, tiny_docs
from vnreport.cli import main
from vnreport.data.io import load_jsonl
from vnreport.output.tables import write_csv
from vnreport.output.html import render_html
from vnreport.schema import ENTITY_LABELS
from vnreport.document import Document


@pytest.fixture(scope="module")
def seeds() -> list[Document]:
    docs = [d for s in ("train", "dev", "test") for d in load_jsonl(REPO / "data" / "gold" / f"{s}.jsonl")]
    return sorted((d for d in docs if d.id.startswith("seed-")), key=lambda d: d.id)


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_csv_one_row_per_record_with_file_name(seeds, tmp_path):
    names = [f"{d.id}.txt" for d in seeds]
    write_csv(seeds, names, tmp_path)
    officials = read_csv(tmp_path / "officials.csv")
    indicators = read_csv(tmp_path / "indicators.csv")
    directives = read_csv(tmp_path / "directives.csv")
    assert len(officials) == sum(len(d.officials) for d in seeds)
    assert len(indicators) == sum(len(d.indicators) for d in seeds)
    assert len(directives) == sum(len(d.directives) for d in seeds)
    thuan = [r for r in officials if r["name"] == "Trần Nam Thuần"]
    assert len(thuan) == 1 and thuan[0]["file"] == "seed-001.txt"
    assert thuan[0]["titles"] == "Phó Bí thư Huyện ủy | Chủ tịch UBND huyện"
    revenue = [r for r in indicators if r["name"] == "Thu ngân sách nhà nước"][0]
    assert (revenue["value"], revenue["unit"], revenue["value_text"]) == ("139396000000", "đồng", "139.396 triệu đồng")
    assert revenue["rates"] == "45,76% (plan)"
    assert revenue["period"] == "năm 2023" and list(revenue)[-1] == "period"  # a new column, after the old ones
    district = [r for r in indicators if r["name"] == "thu ngân sách huyện"][0]
    assert district["denominator"] == "133761000000"
    text = seeds[1].text
    s, e = map(int, revenue["offsets"].split(";")[0].split("-"))
    assert text[s:e] == "Thu ngân sách nhà nước"
    assert {r["issuer"] for r in directives if r["file"] == "seed-001.txt"} == {"Trần Nam Thuần"}


def test_csv_header_without_records(tmp_path):
    write_csv([Document("")], ["empty.txt"], tmp_path)
    assert (tmp_path / "indicators.csv").read_text(encoding="utf-8").startswith("file,name,start,end,value,unit")


def test_html_is_self_contained_and_shows_every_span(seeds):
    page = render_html(seeds, [d.id for d in seeds])
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", page)  # nothing loaded from elsewhere
    for label in ENTITY_LABELS:
        assert f">{label}</span>" in page  # the legend
    for d in seeds:
        assert page.count('class="d first') >= 1
        for s in d.entities:
            assert f'id="d{seeds.index(d)}-{s.start}-{s.end}"' in page
    assert "139 396 000 000" in page and "46 124 000 000 / 133 761 000 000" in page
    assert page.count("<table>") == 3 * len(seeds) - sum(
        not rows for d in seeds for rows in (d.officials, d.indicators, d.directive_records))


def test_html_escapes_text():
    page = render_html([Document("a <b> & c")], ["x<y>.txt"])
    assert "a &lt;b&gt; &amp; c" in page and "x&lt;y&gt;.txt" in page


def test_html_entity_inside_directive_stays_marked():
    doc = tiny_docs()[2]  # a DATE inside the first DIR
    page = render_html([doc], ["t"])
    date = next(s for s in doc.entities if s.label == "DATE")
    piece = re.search(rf'<span class="d [^"]*"[^>]*><span class="e" id="d0-{date.start}-{date.end}"', page)
    assert piece is not None


def test_cli_predict_csv_and_html(tiny_model, tmp_path):
    f1 = tmp_path / "a.txt"
    f1.write_text(tiny_docs()[1].text, encoding="utf-8")
    model = str(tiny_model[0])
    assert main(["predict", str(f1), "--model", model, "--device", "cpu", "--format", "csv", "-o", str(tmp_path / "csv")]) == 0
    rows = read_csv(tmp_path / "csv" / "indicators.csv")
    assert rows and all(r["file"] == str(f1) for r in rows)
    assert {p.name for p in (tmp_path / "csv").iterdir()} == {"officials.csv", "indicators.csv", "directives.csv"}
    page = tmp_path / "out.html"
    assert main(["predict", str(f1), "--model", model, "--device", "cpu", "--format", "html", "-o", str(page)]) == 0
    assert "Indicators" in page.read_text(encoding="utf-8")
    assert main(["predict", str(f1), "--model", model, "--format", "html"]) == 2  # html needs -o


def test_html_renders_in_chromium(seeds, tmp_path):
    render = load_benchmark("render_html")
    chromium, screenshot = render.chromium, render.screenshot
    if chromium() is None:
        pytest.skip("chromium is not installed")
    html = tmp_path / "p.html"
    html.write_text(render_html(seeds[:1], ["seed-000"]), encoding="utf-8")
    try:
        png = screenshot(html, tmp_path / "p.png")
    except subprocess.TimeoutExpired:
        pytest.skip("chromium did not finish")
    assert png.stat().st_size > 20_000  # a page with text and colors, not a blank image
