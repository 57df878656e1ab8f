"""`Document`: a text with its spans per layer and, built on demand, its structured records.

It sits above `schema` (spans) and `records` (rules over spans), so neither imports it back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vnreport.records import Records, build_records
from vnreport.schema import Span


@dataclass
class Document:
    """One text with its spans per layer and, once built, its structured records."""

    text: str
    entities: list[Span] = field(default_factory=list)
    directives: list[Span] = field(default_factory=list)
    id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    _records: tuple[Any, Any] | None = field(default=None, init=False, repr=False, compare=False)

    def layer(self, name: str) -> list[Span]:
        return getattr(self, name)

    @property
    def records(self) -> Records:
        """Officials, indicators and directive records (SPEC.md §3), rebuilt only when the spans change."""
        key = (self.text, tuple(self.entities), tuple(self.directives))
        if self._records is None or self._records[0] != key:
            self._records = (key, build_records(self))
        return self._records[1]

    @property
    def officials(self) -> list:
        return self.records.officials

    @property
    def indicators(self) -> list:
        return self.records.indicators

    @property
    def directive_records(self) -> list:
        return self.records.directives

    def to_dict(self, records: bool = True) -> dict[str, Any]:
        """SPEC.md §2 format, plus the three record lists unless `records` is false."""
        d: dict[str, Any] = {}
        if self.id is not None:
            d["id"] = self.id
        d["text"] = self.text
        d["entities"] = [s.to_dict() for s in self.entities]
        d["directives"] = [s.to_dict() for s in self.directives]
        if records:
            d.update(self.records.to_dict())
        if self.meta:
            d["meta"] = self.meta
        return d

    def _repr_html_(self) -> str:
        """The colored view in Jupyter: the same HTML as `vnreport.render(doc)`."""
        from vnreport.output.html import render

        return render(self, self.id)
