"""Flat tables of records (one row per record, with the file it came from) and CSV files of them."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Iterable, Sequence, TextIO

from vnreport.document import Document

TABLES = ("officials", "indicators", "directives")
COLUMNS: dict[str, list[str]] = {
    "officials": ["file", "name", "titles", "titles_normalized", "organization", "mentions", "offsets"],
    "indicators": ["file", "name", "start", "end", "value", "unit", "denominator", "range", "value_text", "parsed", "rates",
                   "dates", "offsets", "period"],
    "directives": ["file", "start", "end", "issuer", "issuer_offsets", "addressee", "addressee_offsets", "text"],
}


def _offsets(pairs: Iterable[tuple[int, int]]) -> str:
    return ";".join(f"{s}-{e}" for s, e in pairs)


def official_rows(name: str, doc: Document) -> list[dict[str, object]]:
    return [{"file": name, "name": o.name or "", "titles": " | ".join(t.text for t in o.titles),
             "titles_normalized": " | ".join(t.normalized for t in o.titles), "organization": o.organization or "",
             "mentions": len(o.mentions), "offsets": _offsets((m.start, m.end) for m in o.mentions)}
            for o in doc.officials]


def indicator_rows(name: str, doc: Document) -> list[dict[str, object]]:
    rows = []
    for r in doc.indicators:
        main = r.main
        rows.append({
            "file": name, "name": r.name, "start": r.start, "end": r.end,
            "value": "" if r.value is None else r.value, "unit": r.unit or "",
            "denominator": "" if main is None or main.quantity.denominator is None else main.quantity.denominator,
            "range": f"{main.quantity.low}-{main.quantity.high}" if main and main.quantity.low is not None else "",
            "value_text": main.quantity.text if main else "", "parsed": main.quantity.parsed if main else "",
            "rates": " | ".join(f.span.text + (f" ({', '.join(filter(None, (f.base, f.direction)))})" if f.base or f.direction else "")
                                for f in r.rates),
            "dates": " | ".join(d.text for d in r.dates),
            "offsets": _offsets([(r.start, r.end)] + [(f.span.start, f.span.end) for f in r.values + r.rates]
                                + [(d.start, d.end) for d in r.dates]),
            "period": r.period.text if r.period else "",
        })
    return rows


def directive_rows(name: str, doc: Document) -> list[dict[str, object]]:
    rows = []
    for r in doc.directive_records:
        iss = r.issuer.to_dict() if r.issuer else None
        rows.append({"file": name, "start": r.start, "end": r.end, "issuer": iss["text"] if iss else "",
                     "issuer_offsets": f"{iss['start']}-{iss['end']}" if iss else "",
                     "addressee": r.addressee.text if r.addressee else "",
                     "addressee_offsets": f"{r.addressee.start}-{r.addressee.end}" if r.addressee else "",
                     "text": r.text})
    return rows


ROWS = {"officials": official_rows, "indicators": indicator_rows, "directives": directive_rows}


def write_table(docs: Sequence[Document], names: Sequence[str], table: str, f: TextIO) -> None:
    """One table (`officials`, `indicators` or `directives`) of all documents as CSV into `f`."""
    w = csv.DictWriter(f, fieldnames=COLUMNS[table])
    w.writeheader()
    w.writerows(row for name, doc in zip(names, docs) for row in ROWS[table](name, doc))


def csv_text(docs: Sequence[Document], names: Sequence[str], table: str) -> str:
    """The same CSV as `write_csv` writes, as a string (the served page offers it for download)."""
    buf = io.StringIO(newline="")
    write_table(docs, names, table, buf)
    return buf.getvalue()


def write_csv(docs: Sequence[Document], names: Sequence[str], out_dir: str | Path) -> list[Path]:
    """Write officials.csv, indicators.csv and directives.csv into `out_dir`; return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in TABLES:
        path = out / f"{table}.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            write_table(docs, names, table, f)
        paths.append(path)
    return paths
