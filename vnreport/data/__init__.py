"""Labeled data: reading, validating, converting (JSONL, markup, CoNLL, Label Studio)."""
from vnreport.data.io import DataError, load_jsonl, read_documents, write_jsonl

__all__ = ["DataError", "load_jsonl", "read_documents", "write_jsonl"]
