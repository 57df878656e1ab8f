"""`vnreport data ...`: validate, count, convert and annotate labeled data."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from vnreport.data.io import DataError
from vnreport.schema import LabelSet


def add_label_args(p: argparse.ArgumentParser, what: str) -> None:
    """`--labels entities=A,B directives=` or `--config CONFIG`: the label set of the data."""
    p.add_argument("--labels", nargs="+", metavar="LAYER=LABELS",
                   help=f"label set {what}, e.g. --labels entities=PER,ORG,LOC,MISC directives= (a layer left out has no labels)")
    p.add_argument("--config", help=f"take the label set {what} from a training config's 'labels'")


def resolve_labels(args: argparse.Namespace) -> LabelSet | None:
    """The label set given by --labels or --config (None: the command's default). File names written after
    --labels are taken back as files (they have no "=")."""
    from vnreport.schema import parse_label_args
    from vnreport.train.config import config_labels, load_config

    items = args.labels or []
    if hasattr(args, "files"):
        args.files = list(args.files or []) + [x for x in items if "=" not in x]
        if not args.files:
            raise DataError("vnreport data", None, "no input files given")
    if args.labels and args.config:
        raise DataError("vnreport data", None, "give --labels or --config, not both")
    if args.config:
        return config_labels(load_config(args.config))
    if args.labels:
        try:
            return parse_label_args([x for x in items if "=" in x])
        except ValueError as e:
            raise DataError("--labels", None, str(e)) from None
    return None


def _cmd_data_validate(args: argparse.Namespace) -> int:
    """Each file against the label set; then no document in two files (a train/dev leak)."""
    from vnreport.data.io import find_leaks, iter_documents

    labels = resolve_labels(args)
    found = {}
    for path in args.files:
        found[path] = list(iter_documents(path, labels))
        print(f"{path}: ok, {len(found[path])} documents")
    leaks = find_leaks(found)
    for line in leaks:
        print(f"error: {line}", file=sys.stderr)
    return 2 if leaks else 0


def _cmd_data_stats(args: argparse.Namespace) -> int:
    from vnreport.data import stats
    from vnreport.data.io import load_jsonl

    labels = resolve_labels(args)
    rows = {Path(p).stem: stats.compute(load_jsonl(p, labels)) for p in args.files}
    declared = [lab for labs in labels.values() for lab in labs] if labels else None
    if args.json:
        print(json.dumps({k: v.row(declared) for k, v in rows.items()}, indent=2))
    else:
        print(stats.markdown_table(rows, declared))
    return 0


def conll_format(args: argparse.Namespace):
    """--segmented / --tag-column / --directive-column → a ConllFormat (none: our own export)."""
    from vnreport.data.conll import ConllFormat

    try:
        return ConllFormat.from_options(args.segmented, args.tag_column, args.directive_column)
    except ValueError as e:
        raise DataError("vnreport data from-conll", None, str(e)) from None


def _unique(docs_by_file: list[tuple[str, list]]) -> list:
    """All documents, refusing an id that two input files share (the output would hold it twice)."""
    first: dict[str, str] = {}
    out = []
    for path, docs in docs_by_file:
        for d in docs:
            if d.id in first:
                raise DataError(path, None, f"document id {d.id!r} is also in {first[d.id]}")
            first[d.id] = path
            out.append(d)
    return out


def _summary(docs: list, output: str) -> str:
    from vnreport.data.io import labels_used
    from vnreport.schema import format_label_set

    return f"wrote {len(docs)} documents to {output}; labels: {format_label_set(labels_used(docs))}"


def _cmd_convert(args: argparse.Namespace) -> int:
    """JSONL <-> CoNLL / Label Studio; the direction follows the subcommand. Imports take the
    labels the file uses unless --labels/--config declares them."""
    from vnreport.data import conll, labelstudio
    from vnreport.data.io import load_jsonl, write_jsonl

    labels = resolve_labels(args)
    if args.data_cmd == "to-conll":
        with open(args.output, "w", encoding="utf-8") as f:
            st = conll.export_conll((d for p in args.files for d in load_jsonl(p, labels)), f,
                                    segmented=args.segmented, scheme=args.scheme)
        print(f"wrote {st.documents} documents, {st.tokens} tokens to {args.output}; "
              f"{st.misaligned} spans had an edge inside a token and were widened to it")
    elif args.data_cmd == "from-conll":
        fmt = conll_format(args)
        docs = _unique([(p, conll.read_conll(p, labels, fmt)) for p in args.files])
        write_jsonl(docs, args.output, inline_text=True)
        print(_summary(docs, args.output))
    elif args.data_cmd == "to-labelstudio":
        docs = [d for p in args.files for d in load_jsonl(p, labels)]
        labelstudio.export_file(docs, args.output)
        xml = labelstudio.labeling_config(labels)
        Path(args.output).with_suffix(".config.xml").write_text(xml, encoding="utf-8")
        print(f"wrote {args.output} and its labeling config {Path(args.output).with_suffix('.config.xml')}")
    else:
        docs = _unique([(p, labelstudio.import_file(p, labels)) for p in args.files])
        write_jsonl(docs, args.output, inline_text=True)
        print(_summary(docs, args.output))
    return 0


def _cmd_silver(args: argparse.Namespace) -> int:
    from tqdm.auto import tqdm

    from vnreport.data.io import open_text, write_jsonl
    from vnreport.data.silver import label_document

    exclude: set[str] = set()
    for path in args.exclude:  # a list of ids, or labeled JSONL whose documents must not get silver twins
        text = Path(path).read_text(encoding="utf-8")
        exclude |= {json.loads(line)["id"] for line in text.splitlines() if line.strip()} if path.endswith(".jsonl") else set(text.split())
    docs = []
    with open_text(args.corpus) as f:
        for line in tqdm(f, desc="silver", unit="doc"):
            rec = json.loads(line)
            if rec["id"] in exclude:
                continue
            doc = label_document(rec["text"], rec["id"])
            doc.meta["text_ref"] = {"file": args.ref_as or args.corpus, "id": rec["id"]}
            docs.append(doc)
    write_jsonl(docs, args.output)
    print(f"wrote {len(docs)} silver documents to {args.output}")
    return 0


def _cmd_lf_eval(args: argparse.Namespace) -> int:
    from vnreport.data.io import load_jsonl
    from vnreport.data.silver import label_document
    from vnreport.evaluate import score

    gold = load_jsonl(args.data)
    report = score(gold, [label_document(d.text, d.id) for d in gold])
    print(json.dumps(report.to_dict(), indent=2) if args.json else report.table())
    return 0


def _cmd_markup_export(args: argparse.Namespace) -> int:
    from vnreport.data.io import fetch_ref_text
    from vnreport.data.markup import parse_ref

    ref = parse_ref(args.ref)
    text = fetch_ref_text(ref, Path.cwd())
    meta = json.dumps({"origin": "real", "source": ref["file"].rsplit("/", 1)[-1]})
    out = f"#@ id: {args.id}\n#@ ref: {args.ref}\n#@ meta: {meta}\n{text}\n"
    Path(args.output).write_text(out, encoding="utf-8") if args.output else sys.stdout.write(out)
    return 0


def _cmd_markup_check(args: argparse.Namespace) -> int:
    from vnreport.data.markup import parse_markup

    labels = resolve_labels(args)
    for path in args.files:
        doc = parse_markup(Path(path).read_text(encoding="utf-8"), path, labels)
        counts: dict[str, int] = {}
        for s in doc.entities + doc.directives:
            counts[s.label] = counts.get(s.label, 0) + 1
        print(f"{path}: ok, id={doc.id}, {len(doc.text)} chars, " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
        if args.list:
            for s in sorted(doc.entities + doc.directives, key=lambda s: s.start):
                print(f"  [{s.start},{s.end}) {s.label:6} {s.text}")
    return 0


def _cmd_markup_build(args: argparse.Namespace) -> int:
    from vnreport.data.io import write_jsonl
    from vnreport.data.markup import parse_markup

    labels = resolve_labels(args)
    docs = _unique([(p, [parse_markup(Path(p).read_text(encoding="utf-8"), p, labels)]) for p in args.files])
    write_jsonl(docs, args.output)
    print(f"wrote {len(docs)} documents to {args.output}")
    return 0


def _cmd_markup_render(args: argparse.Namespace) -> int:
    from vnreport.data.io import load_jsonl
    from vnreport.data.markup import to_markup

    out = Path(args.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    for doc in load_jsonl(args.file, resolve_labels(args)):
        (out / f"{doc.id}.txt").write_text(to_markup(doc), encoding="utf-8")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    data = sub.add_parser("data", help="validate, count and convert labeled data").add_subparsers(dest="data_cmd", required=True)
    v = data.add_parser("validate", help="check JSONL files against SPEC.md §2")
    v.add_argument("files", nargs="*", help="JSONL files; several are also checked for a document in two of them")
    add_label_args(v, "the spans may use (default SPEC.md's)")
    v.set_defaults(func=_cmd_data_validate)
    s = data.add_parser("stats", help="documents, sentences and spans per label")
    s.add_argument("files", nargs="*")
    s.add_argument("--json", action="store_true")
    add_label_args(s, "of the data (default SPEC.md's)")
    s.set_defaults(func=_cmd_data_stats)
    e = data.add_parser("markup-export", help="write a real document's text as a markup file to annotate")
    e.add_argument("--ref", required=True, help="FILE#ID (JSONL corpus) or FILE (plain text)")
    e.add_argument("--id", required=True)
    e.add_argument("-o", "--output")
    e.set_defaults(func=_cmd_markup_export)
    c = data.add_parser("markup-check", help="parse markup files and report their spans")
    c.add_argument("files", nargs="*")
    c.add_argument("--list", action="store_true", help="print every span")
    add_label_args(c, "whose tags the markup uses (default SPEC.md's)")
    c.set_defaults(func=_cmd_markup_check)
    b = data.add_parser("markup-build", help="markup files -> one JSONL file")
    b.add_argument("files", nargs="*")
    b.add_argument("-o", "--output", required=True)
    add_label_args(b, "whose tags the markup uses (default SPEC.md's)")
    b.set_defaults(func=_cmd_markup_build)
    r = data.add_parser("markup-render", help="JSONL -> one markup file per document")
    r.add_argument("file")
    r.add_argument("-o", "--output-dir", required=True)
    add_label_args(r, "of the JSONL (default SPEC.md's)")
    r.set_defaults(func=_cmd_markup_render)
    for name, help_ in (("to-conll", "JSONL -> CoNLL (token, entity tag, directive tag, SpaceAfter)"),
                        ("from-conll", "CoNLL -> JSONL (text rebuilt from tokens)"),
                        ("to-labelstudio", "JSONL -> Label Studio tasks (+ labeling config XML)"),
                        ("from-labelstudio", "Label Studio export -> JSONL")):
        cv = data.add_parser(name, help=help_)
        cv.add_argument("files", nargs="*")
        cv.add_argument("-o", "--output", required=True)
        add_label_args(cv, "of the data (imports default to the labels the file uses, exports to SPEC.md's)")
        if "conll" in name:
            cv.add_argument("--segmented", action="store_true",
                            help="a word-segmented corpus: token<TAB>tag lines, syllables joined by '_', -DOCSTART- between documents")
        if name == "from-conll":
            cv.add_argument("--tag-column", type=int, help="column of the entity tags (BIO or BIOES), counted from 1 = the token (default 2)")
            cv.add_argument("--directive-column", type=int, help="column of the directive tags (default: 3 in our own format, else none)")
        if name == "to-conll":
            cv.add_argument("--scheme", choices=["BIO", "BIOES"], default="BIO", help="tag scheme written (default BIO)")
        cv.set_defaults(func=_cmd_convert)
    sv = data.add_parser("silver", help="rule-made (silver) labels over an unlabeled JSONL corpus")
    sv.add_argument("--corpus", required=True)
    sv.add_argument("--exclude", nargs="*", default=[], help="files of ids (.txt) or labeled JSONL whose documents to skip")
    sv.add_argument("--ref-as", help="path to record in text_ref (default: --corpus as given)")
    sv.add_argument("-o", "--output", required=True)
    sv.set_defaults(func=_cmd_silver)
    lf = data.add_parser("lf-eval", help="precision/recall of the labeling functions against gold")
    lf.add_argument("--data", required=True)
    lf.add_argument("--json", action="store_true")
    lf.set_defaults(func=_cmd_lf_eval)
