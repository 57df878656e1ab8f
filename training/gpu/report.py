"""On the device, after issue9.sh's runs: one JSON of figures per encoder (MLM dev loss, tokens,
minutes, dev F1 after fine-tuning), and the tagger with the best mean of dev entity and directive
F1 on dev's real documents (issue9.sh fine-tunes with data.dev_origin=real) saved in fp16 as
one tar split into parts the device tool can send back (8 files of at most 16 MiB, 64 MiB in
all). Rejoin here with `cat tagger.tar.part* | tar x`."""
from __future__ import annotations

import io
import json
import sys
import tarfile
from pathlib import Path

import torch

from vnreport.loading import load

PART = 15 * 2**20


def main() -> None:
    runs, out = Path(sys.argv[1]), Path(sys.argv[2])
    figures = {}
    for enc in sorted(runs.glob("enc-*")):
        size = enc.name.removeprefix("enc-")
        hist = json.loads((enc / "encoder" / "pretrain_history.json").read_text())
        meta = json.loads((runs / f"ft-{size}" / "best" / "vnreport.json").read_text())
        dev = meta["metrics"]["dev"]["layers"]
        figures[size] = {"mlm_last": hist[-1], "mlm_first": hist[0],
                         "dev_entities_strict": dev["entities"]["strict"], "dev_directives_strict": dev["directives"]["strict"]["DIR"],
                         "dev_directives_partial": dev["directives"]["partial"]["DIR"]}
    (out / "figures.json").write_text(json.dumps(figures, indent=2))

    def dev_mean_f1(size: str) -> float:
        return (float(figures[size]["dev_entities_strict"]["micro"]["f1"]) + float(figures[size]["dev_directives_strict"]["f1"])) / 2

    best = max(figures, key=dev_mean_f1)
    tagger = load(str(runs / f"ft-{best}" / "best"), device="cpu")
    tagger.model.to(torch.float16)
    pkg = runs / "packaged"
    tagger.save(pkg)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        tar.add(pkg, arcname=f"tagger-{best}")
    data = buf.getvalue()
    for i in range(0, len(data), PART):
        (out / f"tagger.tar.part{i // PART}").write_bytes(data[i:i + PART])
    print(json.dumps({"best": best, **{k: dev_mean_f1(k) for k in figures}}))


if __name__ == "__main__":
    main()
