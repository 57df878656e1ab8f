"""The HTTP service: a JSON API over one loaded tagger, and the page at `/`.

FastAPI gives the request shapes as pydantic models (validated, and documented at `/docs`
from the same code), Starlette's TestClient for tests, and uvicorn's worker processes;
fastapi-offline serves the Swagger UI of `/docs` from its package, so nothing comes from a CDN.
Every bad request gets a 4xx with one line in `{"error": ...}`; nothing is truncated.
"""
from __future__ import annotations

from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from vnreport.serve.batcher import MicroBatcher
from vnreport.serve.config import ServeConfig

STATIC = files("vnreport.serve") / "static"
SHAPE = 'a JSON object like {"texts": ["..."], "records": true} sent as Content-Type: application/json'


class PredictRequest(BaseModel):
    """What `POST /v1/predict` takes."""

    model_config = ConfigDict(extra="forbid")
    texts: list[StrictStr] = Field(description="plain texts, one per document (any string, offsets index it)")
    ids: list[StrictStr] | None = Field(None, description="optional ids, one per text, returned as each document's id")
    records: StrictBool = Field(True, description="add officials, indicators and directive_records (SPEC.md §3)")
    view: StrictBool = Field(False, description="add each document's HTML view and its three tables as CSV (the page's)")


class ApiError(Exception):
    """A request the service refuses: the status and one line for the caller."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


class BodyLimit:
    """ASGI middleware: read a request body only up to `max_bytes`, else answer 413.

    It checks the declared Content-Length first and then counts what actually arrives
    (a chunked body has no length), and hands the app the body it read."""

    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        too_large = error(413, f"the request body is larger than the limit of {self.max_bytes} bytes (--max-body-bytes); split it")
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            return await too_large(scope, receive, send)
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_bytes:
                return await too_large(scope, receive, send)
            more = message.get("more_body", False)
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)


def _where(loc: tuple) -> str:
    parts = [str(p) for p in loc[1:] if not isinstance(p, int)]
    return ".".join(parts) + "".join(f"[{p}]" for p in loc[1:] if isinstance(p, int))


def describe_invalid(errors: list[dict[str, Any]]) -> tuple[int, str]:
    """pydantic's errors → (status, one line naming the field), for the first error.

    An unknown field comes first: `{"text": ...}` is a typo of `texts`, not two problems."""
    first = sorted(errors, key=lambda e: e["type"] != "extra_forbidden")[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    if first["type"] == "json_invalid":
        return 400, f"the body is not valid JSON ({first.get('ctx', {}).get('error', first['msg'])}); send {SHAPE}"
    if len(first["loc"]) <= 1:
        return 422, f"the body must be {SHAPE}{more}"
    if first["type"] == "extra_forbidden":
        return 422, f"{_where(first['loc'])}: unknown field (known: {', '.join(PredictRequest.model_fields)}){more}"
    return 422, f"{_where(first['loc'])}: {first['msg']}{more}"


def check_limits(req: PredictRequest, cfg: ServeConfig) -> None:
    """Refuse what is too large (413) or not text (422) before it reaches the model."""
    if len(req.texts) > cfg.max_texts:
        raise ApiError(413, f"{len(req.texts)} texts in one request; the limit is {cfg.max_texts} (--max-texts): split the request")
    if req.ids is not None and len(req.ids) != len(req.texts):
        raise ApiError(422, f"ids: {len(req.ids)} ids for {len(req.texts)} texts; give one id per text or none")
    for i, text in enumerate(req.texts):
        if len(text) > cfg.max_chars:
            raise ApiError(413, f"texts[{i}] has {len(text)} characters; the limit is {cfg.max_chars} (--max-chars): split the text")
    for field_name, strings in (("texts", req.texts), ("ids", req.ids or [])):
        for i, text in enumerate(strings):
            try:
                text.encode("utf-8")  # JSON may escape half a surrogate pair; the answer could not be encoded
            except UnicodeEncodeError as e:
                raise ApiError(422, f"{field_name}[{i}]: character {e.start} is an unpaired surrogate, not Unicode text") from None


def answer(docs: list, req: PredictRequest) -> dict[str, Any]:
    """The response body: SPEC.md §2 documents (+ records, + the page's view when asked)."""
    from vnreport.output.html import render
    from vnreport.output.tables import TABLES, csv_text

    out = []
    for i, doc in enumerate(docs):
        if req.ids is not None:
            doc.id = req.ids[i]
        d = doc.to_dict(records=req.records)
        if req.view:
            d["view"] = {"html": render(doc, doc.id), "csv": {t: csv_text([doc], [doc.id or ""], t) for t in TABLES}}
        out.append(d)
    return {"documents": out}


def create_app(config: ServeConfig | None = None, tagger=None) -> FastAPI:
    """The app for one worker; it loads the model once, at startup (or uses `tagger`)."""
    cfg = config or ServeConfig()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if cfg.torch_threads:
            import torch

            torch.set_num_threads(cfg.torch_threads)
        if tagger is not None:
            app.state.tagger = tagger
        else:
            from vnreport.loading import load

            app.state.tagger = await run_in_threadpool(load, cfg.model, device=cfg.device)
        app.state.batcher = MicroBatcher(lambda texts: app.state.tagger.predict(texts), cfg.batching, cfg.max_batch,
                                         cfg.batch_wait_ms)
        yield
        await app.state.batcher.close()

    from vnreport.version import __version__

    app = FastAPIOffline(title="vnreport", version=__version__, lifespan=lifespan,
                          description="Officials, indicators and directives in Vietnamese local-government reports.")
    app.state.config = cfg
    app.add_middleware(BodyLimit, max_bytes=cfg.max_body_bytes)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return error(*describe_invalid(list(exc.errors())))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException):
        return error(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(ApiError)
    async def _refused(request: Request, exc: ApiError):
        return error(exc.status, str(exc))

    @app.post("/v1/predict")
    async def predict(req: PredictRequest, request: Request) -> dict[str, Any]:
        """Spans (SPEC.md §2) and records (§3) for each text: `{"documents": [...]}`, in order."""
        check_limits(req, cfg)
        docs = await request.app.state.batcher.submit(req.texts)
        return await run_in_threadpool(answer, docs, req)

    @app.get("/v1/health")
    async def health(request: Request) -> dict[str, Any]:
        """Up and with a model: the batching settings and how many model calls were made."""
        b = request.app.state.batcher
        return {"status": "ok", "vnreport_version": __version__, "model_calls": b.calls,
                "batching": {"enabled": b.enabled, "max_batch": b.max_batch, "wait_ms": b.wait * 1000},
                "limits": {"max_body_bytes": cfg.max_body_bytes, "max_texts": cfg.max_texts, "max_chars": cfg.max_chars}}

    @app.get("/v1/model")
    async def model(request: Request) -> dict[str, Any]:
        """The model's own description (`vnreport.json`): labels, versions, metrics, licence."""
        return request.app.state.tagger.meta

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(str(STATIC / "index.html"))

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app


def app_from_env() -> FastAPI:
    """uvicorn's factory for each worker process (settings from `ServeConfig.to_env`)."""
    return create_app(ServeConfig.from_env())
