"""Requests/s and p50/p95 latency of `vnreport serve` on 127.0.0.1, with and without batching.

Two servers run side by side (batching on, batching off) and the rounds alternate between
them (on, off, on, off ...), best of --rounds, because the CPU is shared with other work.
Each request is one document; 1 and 8 clients send requests back to back over keep-alive
connections. Loopback only: the servers listen on 127.0.0.1.

    python benchmarks/serve_load.py [--model DIR] [--docs paragraphs|reports] [--requests 48] [--rounds 3]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    """`vnreport serve` in a child process on a free loopback port."""

    args: list[str] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 300) -> "LiveServer":
        exe = Path(sys.executable).with_name("vnreport")
        self.proc = subprocess.Popen([str(exe), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                                      "--log-level", "warning", *self.args],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"vnreport serve exited with {self.proc.returncode}: {self.proc.stderr.read()[-2000:]}")
            try:
                if request(self.url, "GET", "/v1/health")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise TimeoutError(f"vnreport serve did not answer on {self.url} within {timeout:.0f} s")

    def rss_mb(self) -> float:
        """Resident memory of the server process (Linux /proc)."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> "LiveServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def request(url: str, method: str, path: str, body: dict | None = None,
            conn: http.client.HTTPConnection | None = None) -> tuple[int, dict]:
    """One request; reuses `conn` (keep-alive) when given."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(url.split("//")[1], timeout=300)
    try:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        conn.request(method, path, body=data, headers={"Content-Type": "application/json"} if data else {})
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read())
    finally:
        if own:
            conn.close()


def run_load(url: str, texts: list[str], clients: int, n_requests: int) -> tuple[float, list[tuple[int, float, int, dict]]]:
    """`n_requests` single-document requests from `clients` threads; request i sends texts[i % len].

    Returns the wall time and, per request, (i, latency s, status, body)."""
    def client(ids: list[int]) -> list[tuple[int, float, int, dict]]:
        conn = http.client.HTTPConnection(url.split("//")[1], timeout=300)
        out = []
        for i in ids:
            t = time.perf_counter()
            status, body = request(url, "POST", "/v1/predict", {"texts": [texts[i % len(texts)]]}, conn)
            out.append((i, time.perf_counter() - t, status, body))
        conn.close()
        return out

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        parts = list(pool.map(client, [list(range(c, n_requests, clients)) for c in range(clients)]))
    return time.perf_counter() - start, sorted((r for p in parts for r in p), key=lambda r: r[0])


def percentile(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, round(q * (len(v) - 1)))]


def documents(kind: str) -> list[str]:
    """Whole seed reports, or their paragraphs of at least 200 characters (news-item sized)."""
    reports = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    if kind == "reports":
        return reports
    return [p.strip() for r in reports for p in r.split("\n") if len(p.strip()) >= 200]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", help="model directory (default: the embedded model)")
    ap.add_argument("--docs", choices=["paragraphs", "reports"], default="paragraphs")
    ap.add_argument("--requests", type=int, default=48, help="requests per round and concurrency")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 8])
    args = ap.parse_args(argv)

    texts = documents(args.docs)
    model = ["--model", args.model] if args.model else []
    modes = {"batching": LiveServer(model), "no batching": LiveServer([*model, "--no-batching"])}
    print(f"{len(texts)} {args.docs}, mean {sum(map(len, texts)) / len(texts):.0f} chars; cpus {os.cpu_count()}, "
          f"load average before start {os.getloadavg()}")
    try:
        for server in modes.values():
            server.start()
            run_load(server.url, texts, 2, len(texts) if args.docs == "reports" else 8)  # warm-up: each report once, or 8 paragraphs
        best: dict[tuple[str, int], tuple[float, float, float]] = {}
        for r in range(args.rounds):
            for clients in args.clients:
                for mode, server in modes.items():  # alternate the modes inside every round
                    wall, results = run_load(server.url, texts, clients, args.requests)
                    assert all(s == 200 for _, _, s, _ in results)
                    lat = [x[1] for x in results]
                    fig = (args.requests / wall, percentile(lat, 0.5) * 1000, percentile(lat, 0.95) * 1000)
                    print(f"round {r + 1} {mode:>11} clients={clients}: {fig[0]:6.2f} req/s  p50 {fig[1]:7.0f} ms  "
                          f"p95 {fig[2]:7.0f} ms  load {os.getloadavg()[0]:.2f}", flush=True)
                    if (mode, clients) not in best or fig[0] > best[mode, clients][0]:
                        best[mode, clients] = fig
        calls = {mode: request(s.url, "GET", "/v1/health")[1]["model_calls"] for mode, s in modes.items()}
    finally:
        for server in modes.values():
            server.stop()
    print(f"\nbest of {args.rounds} rounds ({args.requests} requests each; load average now {os.getloadavg()})")
    print("| mode | clients | req/s | p50 ms | p95 ms |\n|---|---|---|---|---|")
    for (mode, clients), (rps, p50, p95) in sorted(best.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        print(f"| {mode} | {clients} | {rps:.2f} | {p50:.0f} | {p95:.0f} |")
    print(f"model calls (warm-up included): {calls}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
