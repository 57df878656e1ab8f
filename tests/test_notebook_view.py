"""The colored view in notebooks: `Document._repr_html_()` and `vnreport.render(doc)`."""
from __future__ import annotations

import re

import vnreport
from conftest import tiny_docs


def test_render_is_the_notebook_view_with_spans_and_tables():
    doc = tiny_docs()[2]
    doc.id = "tiny<2>"
    html = vnreport.render(doc, doc.id)
    assert doc._repr_html_() == html
    assert html.startswith('<div class="vnreport"><style>') and "<script" not in html
    for s in doc.entities:
        assert f'id="d0-{s.start}-{s.end}"' in html
    assert html.count('class="d first') == len(doc.directives) + 1  # + the legend's sample
    assert "<h2>tiny&lt;2&gt;</h2>" in html and "<h3>Directives (2)</h3>" in html


def test_notebook_style_does_not_restyle_the_notebook():
    html = vnreport.render(tiny_docs()[0])
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    selectors = [sel.strip() for rule in re.findall(r"([^{}]+)\{[^{}]*\}", re.sub(r"@media[^{]*\{", "", style))
                 for sel in rule.split(",")]
    assert len(selectors) > 10 and all(sel.startswith(".vnreport") for sel in selectors), selectors
