"""`vnreport serve`: the JSON API and the page on uvicorn, the model loaded once per worker."""
from __future__ import annotations

import argparse
import importlib.util
import os
import sys

from vnreport.serve.config import ENV_VAR, ServeConfig

INSTALL_HINT = "vnreport serve needs FastAPI, fastapi-offline and uvicorn: pip install 'vnreport[serve]' (scripts/setup.sh installs them)"


def _cmd_serve(args: argparse.Namespace) -> int:
    missing = [m for m in ("fastapi", "fastapi_offline", "uvicorn") if importlib.util.find_spec(m) is None]
    if missing:
        print(f"error: {INSTALL_HINT} ({', '.join(missing)} missing)", file=sys.stderr)
        return 2
    if args.model and not os.path.isfile(os.path.join(args.model, "vnreport.json")):
        print(f"error: --model {args.model}: not a vnreport model directory (no vnreport.json)", file=sys.stderr)
        return 2
    for name in ("workers", "max_body_bytes", "max_texts", "max_chars", "max_batch"):
        if getattr(args, name) < 1:
            print(f"error: --{name.replace('_', '-')} must be at least 1", file=sys.stderr)
            return 2
    import uvicorn

    cores = os.cpu_count() or 1
    cfg = ServeConfig(model=args.model, device=args.device, max_body_bytes=args.max_body_bytes, max_texts=args.max_texts,
                      max_chars=args.max_chars, batching=not args.no_batching, max_batch=args.max_batch,
                      batch_wait_ms=args.batch_wait_ms,
                      torch_threads=max(1, cores // args.workers) if args.workers > 1 else None)
    os.environ[ENV_VAR] = cfg.to_env()  # each worker process builds its app from this
    uvicorn.run("vnreport.serve.app:app_from_env", factory=True, host=args.host, port=args.port, workers=args.workers,
                log_level=args.log_level)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    d = ServeConfig()
    sv = sub.add_parser("serve", help="HTTP service: JSON API (POST /v1/predict) and a page at /",
                        description="Serve the tagger: POST /v1/predict, GET /v1/health, GET /v1/model, docs at /docs, a page at /.")
    sv.add_argument("--model", help="model directory (default: the embedded model)")
    sv.add_argument("--device", help="cpu, cuda ... (default: cuda if available)")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--workers", type=int, default=1, help="worker processes, each with its own copy of the model")
    sv.add_argument("--max-body-bytes", type=int, default=d.max_body_bytes, help="larger request bodies get 413")
    sv.add_argument("--max-texts", type=int, default=d.max_texts, help="texts per request; more get 413")
    sv.add_argument("--max-chars", type=int, default=d.max_chars, help="characters per text; longer texts get 413")
    sv.add_argument("--no-batching", action="store_true", help="run every request alone instead of merging concurrent ones")
    sv.add_argument("--max-batch", type=int, default=d.max_batch, help="texts merged into one model call")
    sv.add_argument("--batch-wait-ms", type=float, default=d.batch_wait_ms, help="how long a request waits for others to join it")
    sv.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    sv.set_defaults(func=_cmd_serve)
