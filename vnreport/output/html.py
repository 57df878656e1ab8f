"""A self-contained HTML page: each report with its spans colored, and its record tables beside it.

Entities are colored backgrounds; directives are a dashed box around the text, so the
entities inside a directive stay visible. Spans of the two layers may cross, so the text
is cut at every span boundary and each piece is wrapped in the spans that cover it.
"""
from __future__ import annotations

from html import escape
from typing import Sequence

from vnreport.output.tables import ROWS
from vnreport.document import Document
from vnreport.schema import ENTITY_LABELS, Span

COLORS: dict[str, str] = {"PER": "#ffd6a5", "TITLE": "#fdffb6", "ORG": "#caffbf", "LOC": "#9bf6ff",
                          "IND": "#bdb2ff", "VALUE": "#ffc6ff", "RATE": "#ffadad", "DATE": "#d0d0d0"}
DIR_COLOR = "#d62828"

PAGE_CSS = """
body{font-family:system-ui,'Segoe UI',Roboto,'Noto Sans',sans-serif;margin:16px;color:#222;background:#fafafa}
h1{font-size:20px;margin:0 0 8px} h2{font-size:17px;margin:24px 0 8px;border-bottom:2px solid #ccc}
"""
# Scoped under .vnreport so that the view can sit inside other pages (a notebook, the served page).
VIEW_CSS = """
.vnreport h3{font-size:14px;margin:12px 0 4px}
.vnreport .legend{position:sticky;top:0;background:#fafafa;padding:6px 0;z-index:2;border-bottom:1px solid #ddd}
.vnreport .legend span{display:inline-block;margin:2px 6px 2px 0;padding:1px 6px;border-radius:3px;font-size:12px}
.vnreport .report{display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);gap:18px;align-items:start}
.vnreport .text{white-space:pre-wrap;line-height:1.9;background:#fff;color:#222;padding:12px;border:1px solid #ddd;border-radius:4px;font-size:14px}
.vnreport .e{border-radius:3px;padding:1px 0}
.vnreport .e sub{font-size:9px;color:#555;margin-left:2px;vertical-align:baseline}
.vnreport .d{border:1.5px dashed %(dir)s;border-radius:3px;padding:2px 1px;background:rgba(214,40,40,.05)}
.vnreport .d.first{border-right:none}.vnreport .d.mid{border-left:none;border-right:none}.vnreport .d.last{border-left:none}
.vnreport .d.first::before{content:'DIR';font-size:9px;color:%(dir)s;font-weight:bold;margin-right:2px}
.vnreport .tables{font-size:12px;position:sticky;top:40px;max-height:95vh;overflow:auto}
.vnreport table{border-collapse:collapse;width:100%%;margin-bottom:10px;background:#fff;color:#222}
.vnreport th,.vnreport td{border:1px solid #ddd;padding:3px 5px;vertical-align:top;text-align:left}
.vnreport th{background:#eee} .vnreport td.num{text-align:right;white-space:nowrap}
.vnreport a{color:inherit}
@media (max-width:700px){.vnreport .report{grid-template-columns:minmax(0,1fr)}.vnreport .tables{position:static;max-height:none}}
""" % {"dir": DIR_COLOR}


def _legend() -> str:
    items = [f'<span style="background:{COLORS[lab]}">{lab}</span>' for lab in ENTITY_LABELS]
    items.append('<span class="d first last" style="background:#fff">directive</span>')
    return '<div class="legend">' + "".join(items) + "</div>"


def _anchor(n: int, s: Span) -> str:
    return f"d{n}-{s.start}-{s.end}"


def render_text(doc: Document, n: int = 0) -> str:
    """The text as HTML with every span of both layers marked (cut at all span boundaries)."""
    text, spans = doc.text, doc.entities + doc.directives
    cuts = sorted({0, len(text), *(p for s in spans for p in (s.start, s.end))})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        piece = escape(text[a:b])
        for e in (s for s in doc.entities if s.start <= a and b <= s.end):
            tip = escape(e.label + (f" {e.score:.2f}" if e.score is not None else ""))
            tag = f"<sub>{e.label}</sub>" if b == e.end else ""
            ident = f' id="{_anchor(n, e)}"' if a == e.start else ""
            piece = f'<span class="e"{ident} title="{tip}" style="background:{COLORS.get(e.label, "#eee")}">{piece}{tag}</span>'
        for d in (s for s in doc.directives if s.start <= a and b <= s.end):
            part = ("first " if a == d.start else "") + ("last" if b == d.end else "")
            ident = f' id="{_anchor(n, d)}"' if a == d.start else ""
            piece = f'<span class="d {part.strip() or "mid"}"{ident} title="DIR">{piece}</span>'
        out.append(piece)
    return "".join(out)


def _number(v: object) -> str:
    """154228000000 → "154 228 000 000" (a space groups thousands, readable in any locale)."""
    return f"{v:,}".replace(",", " ") if isinstance(v, (int, float)) and not isinstance(v, bool) else ""


def _table(title: str, rows: list[dict[str, object]], columns: list[str], n: int) -> str:
    if not rows:
        return f"<h3>{title}</h3><p><i>none</i></p>"
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = []
    for r in rows:
        cells = []
        for c in columns:
            v = r.get(c, "")
            if c == "value":
                shown = _number(v) + (f" / {_number(r['denominator'])}" if r.get("denominator") != "" else "")
                cells.append(f'<td class="num">{escape(shown or str(r.get("range", "")))}</td>')
            elif c in ("name", "text") and "offsets" in r and r["offsets"]:
                first = str(r["offsets"]).split(";")[0].split("-")
                cells.append(f'<td><a href="#d{n}-{first[0]}-{first[1]}">{escape(str(v)) or "—"}</a></td>')
            elif c == "text" and "start" in r:
                cells.append(f'<td><a href="#d{n}-{r["start"]}-{r["end"]}">{escape(str(v))}</a></td>')
            else:
                cells.append(f"<td>{escape(str(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<h3>{title} ({len(rows)})</h3><table><tr>{head}</tr>{''.join(body)}</table>"


def _section(doc: Document, name: str, n: int) -> str:
    """One report: its text with spans beside its three record tables."""
    tables = (_table("Officials", ROWS["officials"](name, doc), ["name", "titles", "organization", "mentions"], n)
              + _table("Indicators", ROWS["indicators"](name, doc), ["name", "value", "unit", "rates", "dates", "period"], n)
              + _table("Directives", ROWS["directives"](name, doc), ["issuer", "addressee", "text"], n))
    return f'<div class="report"><div class="text">{render_text(doc, n)}</div><div class="tables">{tables}</div></div>'


def render(doc: Document, name: str | None = None, n: int = 0) -> str:
    """One document as an HTML fragment with its own scoped style and no script: the view in
    notebooks (`Document._repr_html_`) and on the page of `vnreport serve`."""
    head = f"<h2>{escape(name)}</h2>" if name else ""
    return f'<div class="vnreport"><style>{VIEW_CSS}</style>{_legend()}{head}{_section(doc, name or "", n)}</div>'


def render_html(docs: Sequence[Document], names: Sequence[str], title: str = "vnreport") -> str:
    """One self-contained page (inline CSS, no scripts or external files) for all reports."""
    sections = "".join(f"<h2>{escape(name)}</h2>{_section(doc, name, n)}" for n, (name, doc) in enumerate(zip(names, docs)))
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{escape(title)}</title>'
            f'<style>{PAGE_CSS}{VIEW_CSS}</style></head><body class="vnreport"><h1>{escape(title)}</h1>{_legend()}{sections}</body></html>')
