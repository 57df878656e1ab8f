"""Words → PhoBERT subword ids, with a cache per word form.

`PhobertTokenizer` is a slow Python BPE; calling it per document is the main cost
outside the forward pass. Reports repeat their vocabulary heavily, so caching the ids
of each word form makes tokenization nearly free after the first few documents.
The first subword of every word carries that word's label.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from vnreport.segment import Word

MAX_SUBWORDS_PER_WORD = 32  # a pathological "word" (a long URL) may not fill a window alone


class SubwordEncoder:
    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.cls_id = tokenizer.cls_token_id
        self.sep_id = tokenizer.sep_token_id
        self.pad_id = tokenizer.pad_token_id
        self.unk_id = tokenizer.unk_token_id
        self._ids = lru_cache(maxsize=200_000)(self._encode_word)

    def _encode_word(self, form: str) -> tuple[int, ...]:
        ids = self.tokenizer.convert_tokens_to_ids(self.tokenizer.tokenize(form))
        return tuple(ids[:MAX_SUBWORDS_PER_WORD]) or (self.unk_id,)

    def encode(self, words: Sequence[Word]) -> list[tuple[int, ...]]:
        """Subword ids per word (never empty)."""
        return [self._ids(w.form) for w in words]
