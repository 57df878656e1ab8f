"""Settings of `vnreport serve`: the model, the request limits and the micro-batcher.

They travel to uvicorn's worker processes as JSON in one environment variable, so that every
worker builds the same app (uvicorn starts workers from an import string, not an object).
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

ENV_VAR = "VNREPORT_SERVE_CONFIG"


@dataclass(frozen=True)
class ServeConfig:
    """What one worker needs to build the app; every limit refuses (4xx), never truncates."""

    model: str | None = None          # model directory; None → the embedded model
    device: str | None = None
    max_body_bytes: int = 4_000_000   # whole request body
    max_texts: int = 64               # texts in one request
    max_chars: int = 200_000          # characters in one text (2× the longest report the SPEC promises)
    batching: bool = True             # merge concurrent requests into one predict() call
    max_batch: int = 16               # texts in one merged call
    batch_wait_ms: float = 5.0        # how long the first request of a batch waits for company
    torch_threads: int | None = None  # per worker; None → torch's default

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> "ServeConfig":
        raw = os.environ.get(ENV_VAR)
        return cls(**json.loads(raw)) if raw else cls()
