"""CoNLL (one token per line) export and import, for exchange with other NER tools and corpora.

Our own export: `token<TAB>entity_tag<TAB>directive_tag<TAB>misc`, a blank line ends a sentence,
a `# id = ...` line starts each document; tokens are segmented words (`Võ_Văn_Hưng`) and `misc`
is `SpaceAfter=No` (as in CoNLL-U) where the next token is glued to this one, so the text comes
back with single spaces and glued punctuation.

Word-segmented corpora (`segmented=True`, the common Vietnamese NER format): one token a line,
syllables joined by `_`, BIO or BIOES tags in any column (`tag_column`, counted from 1, the
token being column 1), other columns ignored, `-DOCSTART-` lines between documents and `<s>`
`</s>` lines around sentences. The text is rebuilt with one sentence a line and punctuation
glued to its word; each document keeps its token offsets (`meta["tokens"]`) so that export
gives back the same tokens.

Import never guesses silently: every document is validated as its JSONL line will be read,
and what cannot be converted is named by file and line. Labels are the ones the file uses
unless a label set is given.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, TextIO

from vnreport.data.io import DataError, check_document, labels_used
from vnreport.document import Document
from vnreport.schema import LAYERS, LabelSet, Span, check_label
from vnreport.segment import Segmenter, get_segmenter
from vnreport.spans import char_bio

DOCSTART = "-DOCSTART-"
_NO_SPACE_BEFORE = frozenset(",.;:!?)]}%…”")
_NO_SPACE_AFTER = frozenset("([{“")
_STARTS, _INSIDE, _ENDS = frozenset("BSU"), frozenset("IEL"), frozenset("SUEL")


@dataclass(frozen=True)
class ConllFormat:
    """Where the tags are and how tokens join: the defaults read our own export."""

    tag_column: int = 2
    directive_column: int | None = 3  # None: the file has no directive tags
    segmented: bool = False

    @classmethod
    def corpus(cls, tag_column: int = 2, directive_column: int | None = None) -> "ConllFormat":
        """A word-segmented public corpus: entity tags in `tag_column`, usually no directives."""
        return cls(tag_column, directive_column, True)

    @classmethod
    def from_options(cls, segmented: bool = False, tag_column: int | None = None,
                     directive_column: int | None = None) -> "ConllFormat":
        """The format the options describe: none given reads our own export; otherwise the
        directive tags are read only from a column named for them."""
        if not (segmented or tag_column or directive_column):
            return cls()
        for name, k in (("tag_column", tag_column), ("directive_column", directive_column)):
            if k is not None and (type(k) is not int or k < 2):
                raise ValueError(f"{name} counts columns from 1 (the token), so tags are in column 2 or later, got {k!r}")
        return cls(tag_column or 2, directive_column, segmented)


@dataclass
class ExportStats:
    documents: int = 0
    tokens: int = 0
    misaligned: int = 0


def _tokens(doc: Document, seg: Segmenter) -> list[tuple[int, int, bool]]:
    """(start, end, starts_sentence) per token: the document's own tokens when it came from a
    segmented corpus and they still fit its text, else the segmenter's words."""
    saved = doc.meta.get("tokens")
    if isinstance(saved, list) and _fits(saved, doc.text):
        return [(s, e, i == 0 or "\n" in doc.text[saved[i - 1][1]:s]) for i, (s, e) in enumerate(saved)]
    return [(w.start, w.end, w.sent_start) for w in seg.segment(doc.text)]


def _fits(tokens: list, text: str) -> bool:
    last = 0
    for t in tokens:
        if not (isinstance(t, list) and len(t) == 2 and all(type(x) is int for x in t) and last <= t[0] < t[1] <= len(text)):
            return False
        if text[t[0]:t[1]] != text[t[0]:t[1]].strip() or text[last:t[0]].strip():
            return False
        last = t[1]
    return not text[last:].strip()


def to_bioes(tags: list[str]) -> list[str]:
    """IOB2 → BIOES: single-token spans become S-, last tokens E-."""
    out = []
    for i, tag in enumerate(tags):
        nxt = tags[i + 1] if i + 1 < len(tags) else "O"
        ends = nxt != "I-" + tag[2:]
        if tag.startswith("B-"):
            out.append(("S-" if ends else "B-") + tag[2:])
        elif tag.startswith("I-"):
            out.append(("E-" if ends else "I-") + tag[2:])
        else:
            out.append(tag)
    return out


def export_conll(docs: Iterable[Document], out: TextIO, segmenter: Segmenter | None = None,
                 segmented: bool = False, scheme: str = "BIO") -> ExportStats:
    """Write documents as CoNLL: our 4-column format, or (`segmented`) `token<TAB>tag` lines with
    `-DOCSTART-` between documents (and a directive column when any document has directives)."""
    seg = segmenter or get_segmenter("pyvi")
    stats = ExportStats()
    docs = list(docs)
    with_directives = not segmented or any(d.directives for d in docs)
    for doc in docs:
        tokens = _tokens(doc, seg)
        units = [(s, e) for s, e, _ in tokens]
        starts, ends = {u[0] for u in units}, {u[1] for u in units}
        tags = {}
        for layer in LAYERS:
            spans = doc.layer(layer)
            stats.misaligned += sum(1 for s in spans if s.start not in starts or s.end not in ends)
            tags[layer] = char_bio(units, [(s.start, s.end, s.label) for s in spans])
            if scheme.upper() == "BIOES":
                tags[layer] = to_bioes(tags[layer])
        out.write(f"{DOCSTART}\tO\n\n" if segmented else f"# id = {doc.id}\n")
        for i, (s, e, sent_start) in enumerate(tokens):
            if sent_start and i:
                out.write("\n")
            form = doc.text[s:e].replace(" ", "_")
            cols = [form, tags["entities"][i]] + ([tags["directives"][i]] if with_directives else [])
            if not segmented:
                glued = i + 1 < len(tokens) and tokens[i + 1][0] == e
                cols.append("SpaceAfter=No" if glued else "_")
            out.write("\t".join(cols) + "\n")
        out.write("\n")
        stats.documents += 1
        stats.tokens += len(tokens)
    return stats


def _tag(tag: str, layer: str, labels: LabelSet | None, where: tuple[Path, int]) -> tuple[str, str]:
    """(prefix, label) of a BIO/BIOES tag; ("O", "") outside a span."""
    if tag == "O":
        return "O", ""
    prefix, dash, label = tag.partition("-")
    if not dash or prefix not in _STARTS | _INSIDE or check_label(label):
        raise DataError(*where, f"bad {layer} tag {tag!r} (expected O, or B-/I-/E-/S- and a label)")
    if labels is not None and label not in labels.get(layer, ()):
        allows = ", ".join(labels.get(layer, ())) or "no labels"
        raise DataError(*where, f"bad {layer} tag {tag!r}: {label} is not in the label set ({layer}: {allows})")
    return prefix, label


class _DocBuilder:
    """One document being read: text parts, token offsets, open and finished spans per layer."""

    def __init__(self, doc_id: str, line: int, fmt: ConllFormat):
        self.id, self.line, self.fmt = doc_id, line, fmt
        self.parts: list[str] = []
        self.pos = 0
        self.tokens: list[list[int]] = []
        self.glue_next = False
        self.new_sentence = False
        self.open: dict[str, tuple[str, int]] = {}
        self.spans: dict[str, list[Span]] = {layer: [] for layer in LAYERS}

    def close(self, layer: str) -> None:
        if layer in self.open:
            label, start = self.open.pop(layer)
            self.spans[layer].append(Span(start, self.tokens[-1][1], label))

    def add(self, token: str, space_after: bool, tags: dict[str, tuple[str, str]]) -> None:
        if self.tokens:
            if self.new_sentence and self.fmt.segmented:
                sep = "\n"
            elif self.glue_next or (self.fmt.segmented and (token[0] in _NO_SPACE_BEFORE or self.parts[-1][-1] in _NO_SPACE_AFTER)):
                sep = ""
            else:
                sep = " "
            self.parts.append(sep)
            self.pos += len(sep)
        start = self.pos
        for layer, (prefix, label) in tags.items():
            cur = self.open.get(layer)
            if prefix == "O" or prefix in _STARTS or cur is None or cur[0] != label:
                self.close(layer)
            if prefix != "O" and layer not in self.open:
                self.open[layer] = (label, start)
        self.parts.append(token)
        self.pos += len(token)
        self.tokens.append([start, self.pos])
        for layer, (prefix, _) in tags.items():
            if prefix in _ENDS:
                self.close(layer)
        self.glue_next, self.new_sentence = not space_after, False

    def finish(self) -> Document:
        for layer in LAYERS:
            self.close(layer)
        text = "".join(self.parts)
        meta = {"tokens": self.tokens} if self.fmt.segmented else {}
        return Document(text=text, id=self.id, meta=meta,
                        **{k: [Span(s.start, s.end, s.label, text[s.start:s.end]) for s in v] for k, v in self.spans.items()})


def _token_text(raw: str) -> str:
    """NFC token with the syllable joiner `_` turned into spaces (a token of underscores stays)."""
    tok = unicodedata.normalize("NFC", raw.strip())
    if tok.strip("_"):
        inner = tok.strip("_")
        lead = len(tok) - len(tok.lstrip("_"))
        tok = tok[:lead] + inner.replace("_", " ") + tok[lead + len(inner):]
    return tok


def read_conll(path: str | Path, labels: LabelSet | None = None, fmt: ConllFormat | None = None) -> list[Document]:
    """Documents from a CoNLL file; `labels` restricts the tags (default: the labels the file uses)."""
    path = Path(path)
    fmt = fmt or ConllFormat()
    docs: list[tuple[int, Document]] = []
    ids: dict[str, int] = {}
    cur: _DocBuilder | None = None
    pending: tuple[str, int] | None = None  # a document started by `# id =` or -DOCSTART-, awaiting tokens

    def finish() -> None:
        nonlocal cur
        if cur is not None:
            docs.append((cur.line, cur.finish()))
            cur = None

    def start(doc_id: str, line: int) -> _DocBuilder:
        if not doc_id:
            raise DataError(path, line, "empty document id")
        if doc_id in ids:
            raise DataError(path, line, f"duplicate id {doc_id!r} (first on line {ids[doc_id]})")
        ids[doc_id] = line
        return _DocBuilder(doc_id, line, fmt)

    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except UnicodeDecodeError as e:
        raise DataError(path, None, f"not UTF-8 ({e.reason} at byte {e.start}); convert the file to UTF-8") from None
    except OSError as e:
        raise DataError(path, None, f"cannot read: {e.strerror}") from None
    for lineno, raw in enumerate(lines, 1):
        line = raw.rstrip("\r")
        first = line.split(None, 1)[0] if line.strip() else ""
        if line.startswith("# id ="):
            finish()
            cur, pending = start(line[len("# id ="):].strip(), lineno), None
            continue
        if first == DOCSTART:
            finish()
            pending = (f"{path.stem}-{len(docs)}", lineno)
            continue
        if not line.strip() or first in ("<s>", "</s>"):
            if cur is not None:
                cur.new_sentence = True
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t") if "\t" in line else line.split()
        if len(cols) < fmt.tag_column:
            raise DataError(path, lineno, f"expected at least {fmt.tag_column} columns (tags in column {fmt.tag_column}), got {len(cols)}")
        token = _token_text(cols[0])
        if not token:
            raise DataError(path, lineno, "empty token (a line must start with the token)")
        if cur is None:
            doc_id, at = pending or (f"{path.stem}-{len(docs)}", lineno)
            cur, pending = start(doc_id, at), None
        tags = {"entities": _tag(cols[fmt.tag_column - 1].strip(), "entities", labels, (path, lineno))}
        if fmt.directive_column and len(cols) >= fmt.directive_column:
            tags["directives"] = _tag(cols[fmt.directive_column - 1].strip(), "directives", labels, (path, lineno))
        space_after = fmt.segmented or not (len(cols) >= 4 and "SpaceAfter=No" in cols[3])
        cur.add(token, space_after, tags)
    finish()
    found = labels if labels is not None else labels_used(d for _, d in docs)
    return [check_document(d, path, line, found) for line, d in docs]

