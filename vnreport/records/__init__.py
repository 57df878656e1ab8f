"""Structured records built from a document's spans (SPEC.md §3): officials, indicators, directives.

Records are computed from spans alone, so they work the same on gold spans (to test this
layer in isolation) and on a model's predictions; each keeps the offsets of its spans.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vnreport.records.directives import DirectiveRecord, build_directives
from vnreport.records.indicators import Figure, Indicator, build_indicators
from vnreport.records.linker import default_linker
from vnreport.records.numbers import Quantity, parse_number, parse_quantity
from vnreport.records.officials import Official, Title, build_officials

if TYPE_CHECKING:
    from vnreport.schema import SpanSource


@dataclass
class Records:
    """The three record lists of one document."""

    officials: list[Official]
    indicators: list[Indicator]
    directives: list[DirectiveRecord]

    def to_dict(self) -> dict[str, Any]:
        return {"officials": [o.to_dict() for o in self.officials],
                "indicators": [i.to_dict() for i in self.indicators],
                "directive_records": [d.to_dict() for d in self.directives]}


def build_records(doc: SpanSource) -> Records:
    """All records of `doc`; directives need the officials to name their issuers, and the shipped
    linker weights choose among the candidates the rules find."""
    officials = build_officials(doc)
    return Records(officials, build_indicators(doc), build_directives(doc, officials, default_linker()))


__all__ = ["DirectiveRecord", "Figure", "Indicator", "Official", "Quantity", "Records", "Title",
           "build_records", "parse_number", "parse_quantity"]
