"""`vnreport predict` with the ordinary mistakes of issue 13, item 7: each gets one line on
stderr and exit status 2, never a traceback. The cases are the rows of the first table in
docs/errors.md (checked by test_errors_doc_lists_every_cli_case)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import torch

from test_reliability import _doc_rows
from vnreport.cli import main
from vnreport.loading import DEFAULT_MODEL_DIR

VIETNAMESE = "Chủ tịch UBND tỉnh Nguyễn Văn Ất yêu cầu các sở, ngành đẩy nhanh tiến độ giải ngân vốn đầu tư công."


def cp1258_bytes(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: letters ă â ê ô ơ ư precomposed, tone marks combining."""
    out: list[str] = []
    base = 0
    for ch in unicodedata.normalize("NFD", text):
        if ch in "\u0302\u0306\u031b":  # circumflex, breve, horn: onto their letter
            out[base] = unicodedata.normalize("NFC", out[base] + ch)
        else:
            base = base if unicodedata.combining(ch) else len(out)
            out.append(ch)
    return "".join(out).encode("cp1258")


@dataclass(frozen=True)
class CliCase:
    id: str
    argv: list[str]  # {tmp} is the test's folder, holding good.txt and the files below
    message: str  # as written in docs/errors.md
    files: dict[str, bytes] = field(default_factory=dict)


CLI_CASES = [
    CliCase("missing-file", ["predict", "{tmp}/nothere.txt"], "nothere.txt: no such file"),
    CliCase("folder", ["predict", "{tmp}"], "is a folder; give the files in it"),
    CliCase("evaluate-missing-data", ["evaluate", "--data", "{tmp}/nothere.jsonl"], "nothere.jsonl: no such file"),
    CliCase("cp1258", ["predict", "{tmp}/old.txt"], "it looks like Windows-1258 (Vietnamese): convert it to UTF-8 or pass --encoding cp1258",
            {"old.txt": cp1258_bytes(VIETNAMESE)}),
    CliCase("latin-1", ["predict", "{tmp}/fr.txt"], "it looks like Latin-1 / Windows-1252: convert it to UTF-8 or pass --encoding cp1252",
            {"fr.txt": "Le conseil a approuvé le budget de l'année.".encode("latin-1")}),
    CliCase("utf-16", ["predict", "{tmp}/u16.txt"], "it looks like UTF-16 (it starts with a byte-order mark)",
            {"u16.txt": VIETNAMESE.encode("utf-16")}),
    CliCase("wrong-encoding", ["predict", "{tmp}/good.txt", "--encoding", "ascii"], "good.txt is not ascii (byte 0xe1 at offset 2)"),
    CliCase("unknown-encoding", ["predict", "{tmp}/good.txt", "--encoding", "klingon"], "unknown encoding 'klingon'"),
    CliCase("output-folder-missing", ["predict", "{tmp}/good.txt", "-o", "{tmp}/nodir/out.json"], "folder {tmp}/nodir does not exist"),
    CliCase("output-is-a-folder", ["predict", "{tmp}/good.txt", "-o", "{tmp}"], "is a folder; this format writes a file"),
    CliCase("output-is-an-input", ["predict", "{tmp}/good.txt", "-o", "{tmp}/good.txt"], "is one of the input files; it would be overwritten"),
    CliCase("csv-into-a-file", ["predict", "{tmp}/good.txt", "--format", "csv", "-o", "{tmp}/good.txt"], "is a file; this format writes a folder"),
    CliCase("html-without-output", ["predict", "{tmp}/good.txt", "--format", "html"], "--format html needs -o (a file)"),
    CliCase("device-unavailable", ["predict", "{tmp}/good.txt", "--device", "cuda:99" if torch.cuda.is_available() else "cuda"],
            "cannot be used"),
    CliCase("unknown-device", ["predict", "{tmp}/good.txt", "--device", "gpu"], "unknown device 'gpu': use cpu, cuda or cuda:N"),
    CliCase("model-missing", ["predict", "{tmp}/good.txt", "--model", "{tmp}/nomodel"], "model {tmp}/nomodel: no such folder"),
    CliCase("model-not-a-tagger", ["predict", "{tmp}/good.txt", "--model", "{tmp}"], "has no vnreport.json: it is not a vnreport tagger"),
    CliCase("model-is-a-file", ["predict", "{tmp}/good.txt", "--model", "{tmp}/good.txt"], "is a file; a model is a folder"),
    CliCase("model-corrupt", ["predict", "{tmp}/good.txt", "--model", "{tmp}/corrupt"], "cannot be loaded, its files are missing or corrupt"),
    CliCase("batch-size-0", ["predict", "{tmp}/good.txt", "--batch-size", "0"], "argument --batch-size: must be a positive integer, got 0"),
    CliCase("batch-size-negative", ["predict", "{tmp}/good.txt", "--batch-size", "-1"], "argument --batch-size: must be a positive integer, got -1"),
    CliCase("stride-too-large", ["predict", "{tmp}/good.txt", "--stride", "254"], "stride must be ≥ 0 and smaller than the window (254 subwords), got 254"),
]


def _setup(tmp: Path, case: CliCase) -> list[str]:
    (tmp / "good.txt").write_text(VIETNAMESE, encoding="utf-8")
    for name, data in case.files.items():
        (tmp / name).write_bytes(data)
    if case.id == "model-corrupt":
        shutil.copytree(DEFAULT_MODEL_DIR, tmp / "corrupt")
        weights = tmp / "corrupt" / "model.safetensors"
        weights.write_bytes(weights.read_bytes()[:1000])
    return [a.replace("{tmp}", str(tmp)) for a in case.argv]


@pytest.mark.parametrize("case", CLI_CASES, ids=lambda c: c.id)
def test_item7_cli_mistakes_get_one_line_and_exit_2(case, tmp_path, capsys):
    argv = _setup(tmp_path, case)
    try:
        rc = main(argv)
    except SystemExit as e:  # argparse's own errors
        rc = e.code
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and err, err
    assert case.message.replace("{tmp}", str(tmp_path)) in err[-1] and err[-1].startswith(("error:", "vnreport predict: error:"))
    assert len(err) == 1, err


def test_errors_doc_lists_every_cli_case():
    rows = _doc_rows("| Command line |")
    assert set(rows) == {c.id for c in CLI_CASES}
    for case in CLI_CASES:
        assert case.message.replace("{tmp}/", "") in rows[case.id].replace("\\|", "|"), case.id


def test_item7_encoding_option_reads_legacy_files_with_offsets_into_the_decoded_text(tmp_path, capsys):
    (tmp_path / "old.txt").write_bytes(cp1258_bytes(VIETNAMESE))
    assert main(["predict", str(tmp_path / "old.txt"), "--encoding", "cp1258"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert unicodedata.normalize("NFC", doc["text"]) == VIETNAMESE
    assert doc["entities"] and all(doc["text"][s["start"]:s["end"]] == s["text"] for s in doc["entities"])


def test_item7_utf8_bom_is_removed_so_offsets_match_an_editor(tmp_path, capsys):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + VIETNAMESE.encode("utf-8"))
    (tmp_path / "plain.txt").write_text(VIETNAMESE, encoding="utf-8")
    assert main(["predict", str(tmp_path / "bom.txt"), str(tmp_path / "plain.txt"), "--format", "jsonl"]) == 0
    with_bom, plain = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert with_bom["text"] == VIETNAMESE
    assert with_bom["entities"] == plain["entities"] and plain["entities"]


def test_item7_an_existing_output_file_is_replaced(tmp_path, capsys):
    (tmp_path / "good.txt").write_text(VIETNAMESE, encoding="utf-8")
    out = tmp_path / "out.json"
    out.write_text("old content that is longer than nothing " * 100, encoding="utf-8")
    assert main(["predict", str(tmp_path / "good.txt"), "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["text"] == VIETNAMESE


def test_item7_real_process_exit_status_and_no_traceback(tmp_path):
    r = subprocess.run([sys.executable, "-c", "import sys; from vnreport.cli import main; sys.exit(main())",
                        "predict", str(tmp_path / "nothere.txt")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.strip() == f"error: {tmp_path / 'nothere.txt'}: no such file"


def test_data_commands_do_not_wait_for_torch(tmp_path):
    """`vnreport data ...` (checking an annotator's file, validating, stats) runs without the model:
    building the command line must not import torch, which costs seconds per call."""
    r = subprocess.run([sys.executable, "-c", "import sys; from vnreport.cli import build_parser; "
                        "build_parser().parse_args(['data', 'validate', 'x.jsonl']); print('torch' in sys.modules)"],
                       capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == "False", r.stderr


def test_repeated_set_options_all_apply():
    """`--set a=1 --set b=2` keeps both overrides (the last one alone used to win, silently)."""
    from vnreport.cli import build_parser

    for cmd in ("train", "pretrain"):
        args = build_parser().parse_args([cmd, "c.yaml", "--set", "train.epochs=1", "--set", "a=1", "b=2"])
        assert args.set == ["train.epochs=1", "a=1", "b=2"]
