"""`vnreport serve`: the tagger behind a JSON API and a page for people (FastAPI + uvicorn)."""
from vnreport.serve.config import ServeConfig

__all__ = ["ServeConfig", "create_app"]


def create_app(config: ServeConfig | None = None, tagger=None):
    """See `vnreport.serve.app.create_app` (imported on use: FastAPI is an optional extra)."""
    from vnreport.serve.app import create_app as _create_app

    return _create_app(config, tagger)
