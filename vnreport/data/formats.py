"""Labeled data in any of the formats we read, chosen by file name, so a training config may
point at JSONL, CoNLL or a Label Studio export directly."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from vnreport.data.io import DataError, load_jsonl
from vnreport.document import Document
from vnreport.schema import LabelSet

CONLL_SUFFIXES = (".conll", ".conllu", ".bio", ".bioes", ".iob", ".iob2", ".tsv")


def read_labeled(path: str | Path, labels: LabelSet | None = None, conll: dict[str, Any] | None = None) -> list[Document]:
    """Validated documents of `path`: JSONL (`.jsonl`), CoNLL (see CONLL_SUFFIXES; `conll` holds
    `segmented`, `tag_column`, `directive_column`) or a Label Studio export (`.json`)."""
    name = str(path).lower()
    if name.endswith(CONLL_SUFFIXES):
        from vnreport.data.conll import ConllFormat, read_conll

        try:
            fmt = ConllFormat.from_options(**(conll or {}))
        except (TypeError, ValueError) as e:
            raise DataError(path, None, f"data.conll options: {e}") from None
        return read_conll(path, labels, fmt)
    if name.endswith(".json"):
        from vnreport.data.labelstudio import import_file

        return import_file(path, labels)
    return load_jsonl(path, labels)
