"""Choose real articles to annotate: meetings of province, district and commune governments and
sector conferences from the news corpora, ranked by genre cues and split by document at random.

Why: the test split must hold real reports of the genre with enough indicators and directives,
and the choice must be reproducible and blind to any model. Only cue counts are used (no model),
the most genre-like articles are kept, then a seeded shuffle assigns each document to test, dev or train, so the test
split is not selected on what a model gets right.

    python training/select_annotation_pool.py --out data/pool-round3.tsv
    python training/select_annotation_pool.py --train-only --n 64 --exclude data/annotation_pool_ids.txt \
        data/predicted/self-train-r1.jsonl --avoid-events data/gold/dev.jsonl data/gold/test.jsonl \
        --out data/annotation_pool_round4.tsv   # round 4: train only
    python training/select_annotation_pool.py --train-only --loose --n 64 --exclude data/annotation_pool_ids.txt \
        data/predicted/self-train-r1.jsonl --avoid-events data/gold/dev.jsonl data/gold/test.jsonl \
        --out data/annotation_pool_round5.tsv   # round 5: train only, looser genre test
    # round 6: the same command with --out data/annotation_pool_round6.tsv, once the round-5 ids are
    # in data/annotation_pool_ids.txt
    python training/select_annotation_pool.py --only dev --loose --n 32 --exclude data/annotation_pool_ids.txt \
        data/predicted/self-train-r1.jsonl --avoid-events data/gold/train.jsonl data/gold/dev.jsonl \
        data/gold/test.jsonl --out data/annotation_pool_round12.tsv   # round 12: dev only, annotated blind
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from dataclasses import dataclass
from typing import Callable
from pathlib import Path

CORPORA = ("../shared/corpus/news-vnds-gov.jsonl.gz", "../shared/corpus/news-baomoi.jsonl.gz")
MEETING = re.compile(r"phiên họp|kỳ họp|giao ban|sơ kết|tổng kết|hội nghị|làm việc với|buổi làm việc|tiếp xúc cử tri|thường kỳ")
BODY = re.compile(r"UBND (?:tỉnh|huyện|thành phố|thị xã|xã|phường|quận|TP)|HĐND|Huyện ủy|Tỉnh ủy|Thành ủy|Thị ủy|Đảng ủy|Sở [A-ZĐ]")
DIRECTIVE = re.compile(r"(?:đề nghị|yêu cầu|chỉ đạo|giao cho|nhấn mạnh|lưu ý|cần tập trung|phải)\s")
FIGURE = re.compile(r"\d[\d.,]*\s?(?:%|tỷ đồng|triệu đồng|ha\b|tấn|km|hộ|doanh nghiệp|dự án|lượt)")
TITLE = re.compile(r"(?:Phó )?(?:Chủ tịch|Bí thư|Giám đốc|Trưởng ban|Trưởng phòng)\s")
LEVEL = (("commune", re.compile(r"UBND (?:xã|phường|thị trấn)|Đảng ủy (?:xã|phường)")),
         ("district", re.compile(r"UBND (?:huyện|thị xã|quận)|Huyện ủy|HĐND huyện")),
         ("province", re.compile(r"UBND (?:tỉnh|thành phố|TP)|Tỉnh ủy|HĐND tỉnh")))
OFF_GENRE = re.compile(r"khởi tố|bị can|bị cáo|tai nạn|xổ số|bóng đá|ca sĩ|điều tra vụ|thanh tra|sai phạm|kỷ luật|xét xử|vụ án|tử vong|cưỡng chế|khiếu nại")
# the genre itself: a meeting that reviews results and sets tasks
REVIEW = re.compile(r"kinh tế\s?[-–]\s?xã hội|KT-XH|nhiệm vụ (?:năm|trọng tâm|thời gian tới|những tháng)|tháng đầu năm|tháng cuối năm|"
                    r"sơ kết|tổng kết|giao ban|kỳ họp thứ|phương hướng|kế hoạch năm|chỉ tiêu|quý [IV1-4]+|"
                    r"nông thôn mới|giải ngân|thu ngân sách|dự toán")


def features(text: str) -> dict[str, int] | None:
    """Cue counts of one article, or None when it is outside the genre or the length we annotate."""
    if not 1200 <= len(text) <= 6000 or len(OFF_GENRE.findall(text)) > 1 or not REVIEW.search(text):
        return None
    f = {"meeting": len(MEETING.findall(text)), "body": len(BODY.findall(text)),
         "directive": len(DIRECTIVE.findall(text)), "figure": len(FIGURE.findall(text)),
         "title": len(TITLE.findall(text))}
    if f["meeting"] < 1 or f["body"] < 3 or f["title"] < 1 or f["directive"] < 1 or f["figure"] < 3:
        return None
    return f


def near_genre(text: str) -> dict[str, int] | None:
    """A looser genre test than `features`, once the articles that pass that one are used up (by
    annotation rounds 3 and 4; self-training needs more too): a meeting of bodies with a
    directive or figures."""
    if not 600 <= len(text) <= 8000 or len(OFF_GENRE.findall(text)) > 1:
        return None
    f = {"meeting": len(MEETING.findall(text)), "body": len(BODY.findall(text)),
         "directive": len(DIRECTIVE.findall(text)), "figure": len(FIGURE.findall(text)), "title": 0}
    if f["meeting"] < 1 or f["body"] < 2 or f["directive"] + f["figure"] < 2:
        return None
    return f


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    """Word n-grams, to find two articles that report the same event in overlapping words."""
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def level(text: str) -> str:
    """The lowest level of government the article is about (where its meeting most likely sits)."""
    for name, pat in LEVEL:
        if len(pat.findall(text)) >= 2:
            return name
    return "province"


@dataclass
class Candidate:
    """A genre-like corpus article, with what the pool and self-training need to know of it."""
    score: float
    id: str
    corpus: str
    level: str
    kind: str
    text: str
    shingles: set[tuple[str, ...]]


def genre_ranked(seen: set[str], accept: Callable[[str], dict[str, int] | None] = features) -> list[Candidate]:
    """Every article of CORPORA that `accept` takes and not in `seen`, most genre-like first."""
    ranked: list[Candidate] = []
    for corpus in CORPORA:
        with gzip.open(corpus, "rt", encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                text = rec["text"]
                f_ = accept(text)
                if f_ is None or rec["id"] in seen:
                    continue
                kind = "figures" if f_["figure"] >= 6 else "directives" if f_["directive"] >= 3 else "mixed"
                score = (min(f_["meeting"], 4) + min(f_["body"], 8) / 2 + min(f_["directive"], 6)
                         + min(f_["figure"], 10) / 2 + min(f_["title"], 4) + 2 * len(REVIEW.findall(text)))
                ranked.append(Candidate(score, rec["id"], Path(corpus).name, level(text), kind, text, shingles(text)))
    return sorted(ranked, key=lambda c: (-c.score, c.id))


def same_event(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> bool:
    """Two articles that share this many word 5-grams report the same event."""
    return len(a & b) > 0.08 * min(len(a), len(b))


def distinct_events(ranked: list[Candidate], n: int, avoid: list[set[tuple[str, ...]]] = ()) -> list[Candidate]:
    """The first `n` candidates that report no event already kept or in `avoid`.

    Why: the same event reported twice would put one story in train and its twin in test."""
    kept: list[Candidate] = []
    for c in ranked:
        if any(same_event(c.shingles, k) for k in avoid) or any(same_event(c.shingles, k.shingles) for k in kept):
            continue
        kept.append(c)
        if len(kept) == n:
            break
    return kept


def ids_in(path: str) -> set[str]:
    """Corpus ids listed in a file: one per line, or the references of a JSONL data file."""
    text = Path(path).read_text(encoding="utf-8")
    if not path.endswith(".jsonl"):
        return set(text.split())
    recs = [json.loads(line) for line in text.splitlines() if line.strip()]
    return {r.get("text_ref", {}).get("id", r["id"]) for r in recs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--exclude", nargs="*", default=["data/annotation_pool_ids.txt"],
                    help="files of ids already offered (or JSONL data files whose documents to leave out)")
    ap.add_argument("--avoid-events", nargs="*", default=[],
                    help="JSONL data files (dev, test) whose events no chosen article may report again")
    ap.add_argument("--n", type=int, default=170, help="how many of the most genre-like articles to take")
    ap.add_argument("--only", choices=["train", "dev", "test"], help="put every chosen article in this split (a later round)")
    ap.add_argument("--train-only", action="store_const", const="train", dest="only", help="the same as --only train")
    ap.add_argument("--loose", action="store_true", help="the looser genre test (once the strict one is used up)")
    ap.add_argument("--seed", type=int, default=20261127)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    seen = {i for p in args.exclude for i in ids_in(p)}
    avoid = []
    if args.avoid_events:
        from vnreport.data.io import DataError, load_jsonl
        try:
            avoid = [shingles(d.text) for p in args.avoid_events for d in load_jsonl(p)]
        except (OSError, DataError) as e:
            sys.exit(f"error: --avoid-events: {e}")
    rows = [(c.id, c.corpus, c.level, c.kind) for c in distinct_events(genre_ranked(seen, near_genre if args.loose else features), args.n, avoid)]
    rng = random.Random(args.seed)
    rng.shuffle(rows)
    # split by document: 30 % test, 14 % dev, the rest train, interleaved so every stratum is in each
    splits = [args.only] if args.only else [
        "test", "train", "dev", "train", "test", "train", "train", "test", "train", "train",
        "test", "dev", "train", "train", "test", "train", "test", "train", "train", "train"]
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("id\tcorpus\tlevel\tkind\tsplit\n")
        for i, (doc_id, corpus, lvl, kind) in enumerate(rows):
            out.write(f"{doc_id}\t{corpus}\t{lvl}\t{kind}\t{splits[i % len(splits)]}\n")
    print(f"{len(rows)} documents -> {args.out}")


if __name__ == "__main__":
    main()
