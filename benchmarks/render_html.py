"""Render the HTML view of the seed reports in headless Chromium and save PNG screenshots.

The page is meant for people, so it is checked the way people see it: open the PNGs.

    python benchmarks/render_html.py [--out DIR] [--model DIR | --gold] [--height 1000]

With --gold (the default when no model is given) the gold spans of data/gold are shown,
otherwise the spans the model predicts. Needs `chromium` (Debian: apt-get install chromium).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from vnreport.data.io import load_jsonl  # noqa: E402
from vnreport.output.html import render_html  # noqa: E402
from vnreport.document import Document  # noqa: E402

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def chromium() -> str | None:
    return next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)


def screenshot(html: Path, png: Path, width: int = 1400, height: int = 1000) -> Path:
    """Render `html` to `png` with headless Chromium; raise if no image came out."""
    exe = chromium()
    if exe is None:
        raise FileNotFoundError("chromium is not installed (apt-get install -y chromium)")
    png.unlink(missing_ok=True)
    subprocess.run([exe, *CHROMIUM_FLAGS, f"--screenshot={png}", f"--window-size={width},{height}", html.resolve().as_uri()],
                   check=True, capture_output=True, timeout=120)
    if not png.exists() or png.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
        raise RuntimeError(f"chromium wrote no PNG for {html}")
    return png


def seed_documents() -> list[Document]:
    docs = [d for s in ("train", "dev", "test") for d in load_jsonl(REPO / "data" / "gold" / f"{s}.jsonl")]
    return sorted((d for d in docs if d.id.startswith("seed-")), key=lambda d: d.id)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="/tmp/vnreport-render")
    ap.add_argument("--model", help="show the spans this model predicts (default: gold spans)")
    ap.add_argument("--device")
    ap.add_argument("--height", type=int, default=1000)
    args = ap.parse_args(argv)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    docs = seed_documents()
    if args.model:
        import vnreport

        preds = vnreport.load(args.model, device=args.device).predict([d.text for d in docs])
        for d, p in zip(docs, preds):
            p.id = d.id
        docs = preds
    for d in docs:
        html = out / f"{d.id}.html"
        html.write_text(render_html([d], [d.id], title=f"vnreport — {d.id}"), encoding="utf-8")
        print(screenshot(html, out / f"{d.id}.png", height=args.height))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
