"""List relative periods whose labeling disagrees with the guidelines' "Relative periods" rule.

Why: the rule ("năm nay", "5 năm qua", "tuần tới" that name one period are `DATE`; "những năm
qua" and the base of a rate, "so với cùng kỳ năm ngoái", are not) came in round 3, and older
documents left such periods unlabeled, so the model saw both. A finding is a case to read in its
sentence, not an error by itself: a generic "năm sau tăng hơn năm trước" or a preposition
("1 tuần sau lễ") looks the same to a pattern.

    python training/check_relative_periods.py data/gold/train.jsonl data/gold/dev.jsonl data/gold/test.jsonl
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from typing import Iterator

from vnreport.data.io import DataError, iter_documents
from vnreport.document import Document

PERIOD = re.compile(r"(?<!\w)(?:(năm|tháng|tuần|quý) (?:vừa qua|vừa rồi|qua|nay|này|sắp tới|tới|ngoái|trước|sau)"
                    r"|(ngày) (?:vừa qua|qua|tới))(?!\w)", re.I)
COUNT = re.compile(r"(?<![\w/.,-])(?:\d+|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười) $", re.I)
PLURAL = re.compile(r"(?<!\w)(?:những|nhiều|các|mấy|vài|chục|trăm) $", re.I)
RATE_BASE = re.compile(r"(?<!\w)(?:so với|so|cùng kỳ|hơn) $", re.I)
POINT_TAILS = ("trước", "sau")


@dataclass
class Finding:
    """One expression to re-read: `kind` is unlabeled, cut (a DATE ends or starts inside it) or not-a-period."""

    line: int
    doc_id: str
    start: int
    end: int
    kind: str
    text: str


def expressions(text: str) -> Iterator[tuple[int, int, int, bool]]:
    """(start, start without its count, end, names one period) of each relative period; the start
    takes in a count ("5 năm qua"). "hai năm trước" (a point before now, which places a time like
    "13 năm nữa") is left out: the rule does not decide it."""
    for m in PERIOD.finditer(text):
        start, tail = m.start(), m.group().split(" ", 1)[1].lower()
        before = text[max(0, start - 20):start]
        count = COUNT.search(before)
        if count and tail in POINT_TAILS:
            continue
        if PLURAL.search(before) or RATE_BASE.search(before):
            yield start, start, m.end(), False
        elif count or m.group(1):  # days only when counted ("hai ngày qua")
            yield start - len(count.group()) if count else start, start, m.end(), True


def check(doc: Document, line: int) -> list[Finding]:
    found = []
    for start, core, end, period in expressions(doc.text):
        if any(s.label != "DATE" and s.start <= start < s.end for s in doc.entities):
            start = core  # the number belongs to a name ("quận 10 tuần qua")
        overlap = [s for s in doc.entities if s.start < end and start < s.end]
        dates = [s for s in overlap if s.label == "DATE"]
        if period and not overlap:
            kind = "unlabeled"
        elif period and any(s.start > start or s.end < end for s in dates):
            kind = "cut"
        elif not period and dates:
            kind = "not-a-period"
        else:
            continue
        found.append(Finding(line, doc.id or "", start, end, kind, doc.text[start:end]))
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="+", help="SPEC.md §2 JSONL files")
    ap.add_argument("--context", type=int, default=0, help="characters of text to show on each side")
    args = ap.parse_args(argv)
    total = 0
    try:
        for path in args.data:
            for line, doc in iter_documents(path):
                for f in check(doc, line):
                    total += 1
                    where = f"{path}:{f.line} {f.doc_id} [{f.start}, {f.end}) {f.kind} {f.text!r}"
                    if args.context:
                        where += f"  …{doc.text[max(0, f.start - args.context):f.end + args.context]!r}…"
                    print(where)
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"{total} relative period(s) to re-read", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
