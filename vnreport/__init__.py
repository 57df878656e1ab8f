"""vnreport: officials, indicators and directives in Vietnamese local-government reports."""
from __future__ import annotations

from vnreport.version import __version__  # noqa: E402

from vnreport.schema import Span  # noqa: E402
from vnreport.document import Document  # noqa: E402


def load(path_or_hub_id=None, device=None, dtype=None, stride=None, quantize=None, runtime=None):
    """Load a tagger (see `vnreport.loading.load`); no argument → the embedded default model."""
    from vnreport.loading import load as _load

    return _load(path_or_hub_id, device=device, dtype=dtype, stride=stride, quantize=quantize, runtime=runtime)


_default = None


def predict(text, **kwargs):
    """Shortcut: predict with the embedded default model, loaded once."""
    global _default
    if _default is None:
        _default = load()
    return _default.predict(text, **kwargs)


def render(doc: Document, name: str | None = None) -> str:
    """The HTML view of one document (colored spans and the three record tables), as in notebooks."""
    from vnreport.output.html import render as _render

    return _render(doc, name)


__all__ = ["Document", "Span", "load", "predict", "render", "__version__"]
