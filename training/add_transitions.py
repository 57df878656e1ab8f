"""Add learned CRF transitions to a saved model's vnreport.json, or take them out.

    python benchmarks/crf_vs_viterbi.py --out transitions.json      # fit them on train, measure on dev
    python training/add_transitions.py MODEL_DIR transitions.json   # the decoder then uses them
    python training/add_transitions.py MODEL_DIR transitions.json --layers entities
    python training/add_transitions.py MODEL_DIR --remove

Only vnreport.json changes (the weights stay as they are), and only for the weights the file was
fitted on (its `model_sha256`) and the labels it names. The decoder adds the scores to the
model's log-probabilities under the same hard constraints; a model without them decodes on its
probabilities alone, as before.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from vnreport.errors import UserError
from vnreport.loading import read_meta
from vnreport.pipeline import META_FILE, read_transitions, weights_sha256, write_meta


def add(model_dir: Path, transitions_file: Path | None, layers: list[str] | None = None) -> dict:
    """vnreport.json of `model_dir` with the file's transitions (None: without any), written back."""
    meta = read_meta(model_dir / META_FILE)
    meta.pop("transitions", None)
    if transitions_file is not None:
        try:
            record = json.loads(transitions_file.read_text(encoding="utf-8"))
            spec = record["transitions"]
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise UserError(f"{transitions_file} holds no transitions ({e}); write it with benchmarks/crf_vs_viterbi.py --out") from None
        fitted_for = record.get("model_sha256")
        if fitted_for is not None and fitted_for != weights_sha256(model_dir):
            raise UserError(f"{transitions_file} was fitted on the probabilities of other weights than {model_dir}'s; "
                            f"fit them again with benchmarks/crf_vs_viterbi.py --model {model_dir} --out FILE")
        if layers:
            missing = [layer for layer in layers if layer not in spec]
            if missing:
                raise UserError(f"{transitions_file} has no transitions for {', '.join(missing)} "
                                f"(it has {', '.join(spec) or 'none'})")
            spec = {layer: spec[layer] for layer in layers}
        read_transitions(spec, meta["labels"], str(transitions_file))  # refuses scores made for other labels before anything is written
        meta["transitions"] = spec
    write_meta(model_dir, meta)
    return meta


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model_dir", type=Path)
    ap.add_argument("transitions", type=Path, nargs="?", help="JSON written by benchmarks/crf_vs_viterbi.py --out")
    ap.add_argument("--layers", nargs="+", help="add only these layers' transitions (default: all in the file)")
    ap.add_argument("--remove", action="store_true", help="take the transitions out: decode on probabilities alone")
    args = ap.parse_args()
    if (args.transitions is None) != args.remove:
        ap.error("give a transitions file or --remove")
    try:
        meta = add(args.model_dir, args.transitions, args.layers)
    except UserError as e:
        sys.exit(f"error: {e}")
    print(f"{args.model_dir / META_FILE}: transitions for {', '.join(meta.get('transitions', {})) or 'no layer'}")


if __name__ == "__main__":
    main()
