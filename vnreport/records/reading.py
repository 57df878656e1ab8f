"""Hand readings of directive records and how records are matched with them.

A reading (`data/gold/records/<split>-links.jsonl`) gives, for each gold directive of a document,
who issues it and who must carry it out. Why a module: the links benchmark and the linker's
training must match a record with a read directive the same way, and on predicted spans a record
rarely starts where the gold directive does: the record that overlaps it most stands for it.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol, TypeVar

from vnreport.records.party import fold

Reading = dict[str, dict]  # document id -> {"id", "directives": [{"start", "issuer", "addressee", ...}], ...}
ROLES = ("issuer", "addressee")


class Extent(Protocol):
    start: int
    end: int


S = TypeVar("S", bound=Extent)


def load_readings(paths: Iterable[str | Path]) -> Reading:
    """The readings of several files by document id (a later file's reading of a document wins)."""
    return {r["id"]: r for p in paths for r in map(json.loads, Path(p).read_text(encoding="utf-8").splitlines())}


def overlap(a: Extent, b: Extent) -> int:
    """Characters two spans share; 0 when they are apart."""
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def best_match(spans: Sequence[S], target: Extent) -> S | None:
    """The span that overlaps `target` most (the first of equals), or None when none touches it."""
    best = max(spans, key=lambda s: overlap(s, target), default=None)
    return best if best is not None and overlap(best, target) > 0 else None


def matched(records: Sequence[S], gold: Sequence[Extent], entries: list[dict]) -> list[tuple[dict, S | None]]:
    """Each read directive (its gold span found by start in `gold`) with the record standing for it."""
    by_start = {g.start: g for g in gold}
    return [(e, best_match(records, by_start[e["start"]])) for e in entries]


def right(record, entry: dict, role: str) -> bool:
    """Whether a record's issuer or addressee is the reading's (case and spacing folded; a missing
    record is wrong, a missing party is right only where the reading has none)."""
    party = getattr(record, role) if record is not None else None
    return record is not None and fold(party.label if party else None) == fold(entry[role])
