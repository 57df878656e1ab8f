"""`vnreport predict` and `vnreport evaluate`: tag files, score a model on gold data."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from vnreport.errors import BadValueError, MissingError
from vnreport.textio import check_file, read_text


def _cmd_predict(args: argparse.Namespace) -> int:
    from vnreport.loading import load

    if args.format in ("csv", "html") and not args.output:
        raise BadValueError(f"--format {args.format} needs -o ({'a folder' if args.format == 'csv' else 'a file'})")
    if args.output:
        check_output(Path(args.output), folder=args.format == "csv", inputs=args.files)
    texts = [read_text(f, args.encoding) for f in args.files]  # every file is checked before the model loads
    tagger = load(args.model, device=args.device, stride=args.stride, quantize=args.quantize, runtime=args.runtime)
    docs = tagger.predict(texts, batch_size=args.batch_size, progress=len(texts) > 1, num_workers=args.num_workers)
    for f, d in zip(args.files, docs):
        d.id = f
    if args.format == "csv":
        from vnreport.output.tables import write_csv

        for path in write_csv(docs, args.files, args.output):
            print(f"wrote {path}", file=sys.stderr)
        return 0
    if args.format == "html":
        from vnreport.output.html import render_html

        Path(args.output).write_text(render_html(docs, args.files), encoding="utf-8")
        return 0
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    if args.format == "jsonl":
        for d in docs:
            out.write(json.dumps(d.to_dict(), ensure_ascii=False) + "\n")
    else:
        payload = docs[0].to_dict() if len(docs) == 1 else [d.to_dict() for d in docs]
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    if out is not sys.stdout:
        out.close()
    return 0


def check_output(out: Path, folder: bool, inputs: list[str]) -> None:
    """Refuse an -o that cannot be written, before any work is done. An existing file is
    replaced, as shell redirection and most tools do; a missing parent folder is an error
    (a typo more often than a wish), and so is an -o that names one of the inputs."""
    kind = "folder" if folder else "file"
    if out.exists() and out.is_dir() != folder:
        raise BadValueError(f"-o {out} is a {'file' if folder else 'folder'}; this format writes a {kind}")
    if not out.parent.is_dir():
        raise MissingError(f"-o {out}: folder {out.parent} does not exist; create it first")
    if not folder and any(out.resolve() == Path(f).resolve() for f in inputs):
        raise BadValueError(f"-o {out} is one of the input files; it would be overwritten")


def positive_int(value: str) -> int:
    """argparse type: an integer ≥ 1 (a batch size)."""
    return _int_from(value, 1, "a positive integer")


def non_negative_int(value: str) -> int:
    """argparse type: an integer ≥ 0 (a number of worker processes)."""
    return _int_from(value, 0, "an integer ≥ 0")


def _int_from(value: str, least: int, what: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {what}, got {value!r}") from None
    if n < least:
        raise argparse.ArgumentTypeError(f"must be {what}, got {value}")
    return n


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from vnreport.evaluate import evaluate, write_report
    from vnreport.loading import load

    check_file(args.data)
    tagger = load(args.model, device=args.device, stride=args.stride, quantize=args.quantize, runtime=args.runtime)
    report = evaluate(tagger, args.data, batch_size=args.batch_size, progress=True, origin=args.origin)
    if args.out:
        write_report(report, args.out)
    if args.record:
        from vnreport.loading import DEFAULT_MODEL_DIR, read_meta
        from vnreport.pipeline import META_FILE, write_meta

        model_dir = Path(args.model or DEFAULT_MODEL_DIR)
        meta = read_meta(model_dir / META_FILE)
        key = args.data if args.origin is None else f"{args.data} (origin {args.origin})"
        meta.setdefault("metrics", {}).setdefault("evaluations", {})[key] = {
            layer: {"strict_micro": vars(rep.strict["micro"]), "partial_micro": vars(rep.partial["micro"])}
            for layer, rep in report.layers.items()} | {"documents": report.documents}
        write_meta(model_dir, meta)
    print(json.dumps(report.to_dict(), indent=2) if args.json else report.table())
    return 0


def speed_options(p: argparse.ArgumentParser) -> None:
    from vnreport.windows import DEFAULT_BATCH_SIZE  # not pipeline: `vnreport data ...` must not wait for torch

    p.add_argument("--batch-size", type=positive_int, default=DEFAULT_BATCH_SIZE)
    p.add_argument("--quantize", choices=["int8"], help="int8 dynamic quantization (CPU; ONNX Runtime unless --runtime torch)")
    p.add_argument("--runtime", choices=["torch", "onnx"], help="run the encoder in torch (default) or ONNX Runtime (CPU)")


def register(sub: argparse._SubParsersAction) -> None:
    pr = sub.add_parser("predict", help="tag report files (plain text, UTF-8 unless --encoding)")
    pr.add_argument("files", nargs="+")
    pr.add_argument("--model", help="model directory or hub id (default: the embedded model)")
    pr.add_argument("--device", help="cpu, cuda, cuda:1 ... (default: cuda if available)")
    speed_options(pr)
    pr.add_argument("--num-workers", type=non_negative_int, default=0, help="processes that segment and decode while the model runs")
    pr.add_argument("--stride", type=int, help="overlap between windows in subwords (default: the model's, 64)")
    pr.add_argument("--encoding", help="encoding of the files (default utf-8; e.g. utf-16, cp1258); a UTF-8 byte-order mark is always removed")
    pr.add_argument("--format", choices=["json", "jsonl", "csv", "html"], default="json",
                    help="csv: officials/indicators/directives.csv in the folder -o; html: one page with spans and records")
    pr.add_argument("-o", "--output", help="output file, or folder for csv (default: stdout; required for csv and html)")
    pr.set_defaults(func=_cmd_predict)
    ev = sub.add_parser("evaluate", help="score a model on gold JSONL")
    ev.add_argument("--model", help="model directory or hub id (default: the embedded model)")
    ev.add_argument("--data", required=True)
    ev.add_argument("--origin", help="score only the documents whose meta.origin is this (e.g. real: leave out text the project wrote)")
    ev.add_argument("--device")
    speed_options(ev)
    ev.add_argument("--stride", type=int, help="overlap between windows in subwords (default: the model's, 64)")
    ev.add_argument("--out", help="folder for metrics.json, errors.jsonl, report.txt")
    ev.add_argument("--json", action="store_true", help="print JSON instead of the table")
    ev.add_argument("--record", action="store_true", help="also write the micro scores into the model's vnreport.json")
    ev.set_defaults(func=_cmd_evaluate)

