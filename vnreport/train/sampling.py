"""How often each training document is seen per epoch.

The genre-ranked annotation pool offered its most meeting-like articles first, so later rounds
are thinner in directives (RESULTS.md, session 11); a stage trained on all of them learns to
propose fewer. `data.repeat` gives the directive-dense documents more weight by repeating them.
"""
from __future__ import annotations

from typing import Any

from vnreport.schema import SpanSource
from vnreport.train.config import ConfigError


def repeat_dense(docs: list[SpanSource], spec: dict[str, Any] | None, where: str = "<config>") -> list[SpanSource]:
    """`docs` with each one that has at least `spec["min_dir_spans"]` DIR spans `spec["times"]` times.

    `spec` is the config's `data.repeat` ({"min_dir_spans": 3, "times": 2}); None keeps `docs`."""
    if not spec:
        return docs
    try:
        least, times = int(spec["min_dir_spans"]), int(spec["times"])
    except (KeyError, TypeError, ValueError):
        raise ConfigError(where, None, "data.repeat needs integers min_dir_spans and times, "
                                       f"e.g. {{min_dir_spans: 3, times: 2}}; got {spec!r}") from None
    if least < 1 or times < 1:
        raise ConfigError(where, None, f"data.repeat: min_dir_spans and times must be at least 1; got {spec!r}")
    out: list[SpanSource] = []
    for d in docs:
        dense = sum(1 for s in d.directives if s.label == "DIR") >= least
        out.extend([d] * (times if dense else 1))
    return out
