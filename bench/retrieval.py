"""Retrieval benchmark: does the gold passage come first? BM25, dense, plain RRF and the project's hybrid.

    python -m bench.retrieval --passages FILE --questions FILE [--json] [--limit N] [--cache DIR | --no-cache]

Each passage becomes a course item and goes through the project's own pipeline (chunking,
embeddings, Chroma + BM25 via Store.sync) in a temporary data directory; retrieved chunks map
back to passages by item id. Scores are passage-level and per question.
"""

import argparse
import json
import logging
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from langchain_core.documents import Document

from bot.chat.retrieve import HybridRetriever, group_by_item, rrf
from bot.config import Settings
from bot.errors import LecturerError
from bot.index.chunking import split_sentences
from bot.index.corpus import Item
from bot.index.embeddings import embedding_identity, make_embeddings
from bot.index.store import Snapshot, Store

DEPTH = 10  # passages ranked per question; MRR is MRR@10
CHUNK_DEPTH = 100  # chunks asked of each single retriever, enough for DEPTH distinct passages
PLAIN_RRF_K = 60
PLAIN_RRF_CANDIDATES = 30
VARIANTS = {"bm25": "BM25", "dense": "dense (e5)", "rrf": "plain RRF (k=60)", "hybrid": "hybrid (project)"}


@dataclass(frozen=True)
class Question:
    qid: str
    text: str
    gold: str


def read_jsonl(path: Path) -> list[dict]:
    """One JSON object per non-empty line."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def passage_item(passage: dict) -> Item:
    """A passage as a course item. The card is title plus the passage's first sentence: it stands in
    for a curated summary without adding any text the passage does not already have."""
    sentences = split_sentences(passage["text"])
    title = (passage.get("title") or "").replace("_", " ").strip()
    return Item(
        id=passage["id"],
        kind="course",
        title=title,
        industry="通用",
        themes=(),
        summary=sentences[0] if sentences else "",
        lesson="",
        questions=(),
        source="bench",
        status="approved",
        body=passage["text"],
        path="",
    )


def load(passages_path: Path, questions_path: Path, limit: int | None) -> tuple[list[Item], list[Question]]:
    """The items, and the questions whose gold passage is among them (the first `limit` passages if given)."""
    passages = read_jsonl(passages_path)[:limit]
    ids = {p["id"] for p in passages}
    questions = [
        Question(q["qid"], q["question"], q["gold_passage_id"])
        for q in read_jsonl(questions_path)
        if q["gold_passage_id"] in ids and q["question"].strip()
    ]
    return [passage_item(p) for p in passages], questions


# Metrics -------------------------------------------------------------------------------


def passages_of(chunks: Iterable[Document], depth: int = DEPTH) -> list[str]:
    """Distinct item ids in the order their first chunk appears."""
    seen: list[str] = []
    for doc in chunks:
        item_id = doc.metadata["item_id"]
        if item_id not in seen:
            seen.append(item_id)
            if len(seen) == depth:
                break
    return seen


def first_rank(ranking: list[str], gold: str) -> int | None:
    """1-based rank of the gold passage, or None if it is not in the ranking."""
    return ranking.index(gold) + 1 if gold in ranking else None


def score(ranks: list[int | None]) -> dict[str, float]:
    """hit@1, hit@5 and MRR over per-question first ranks (None = not found, counts 0)."""
    n = max(len(ranks), 1)
    return {
        "hit1": sum(r == 1 for r in ranks) / n,
        "hit5": sum(r is not None and r <= 5 for r in ranks) / n,
        "mrr": sum(1 / r for r in ranks if r is not None) / n,
    }


# Running -------------------------------------------------------------------------------


def remember_dense(snapshot: Snapshot) -> Snapshot:
    """The snapshot answering a shallower dense search for the question it last searched deeper, so
    each question costs one vector search (the slow part of a cached run), not two."""
    search = snapshot.dense
    last: list = []

    def dense(query: str, k: int, allowed: set[str] | None = None) -> list[tuple[Document, float]]:
        if allowed is None and last and last[0] == query and last[1] >= k:
            return last[2][:k]
        found = search(query, k, allowed)
        if allowed is None:
            last[:] = [query, k, found]
        return found

    snapshot.dense = dense  # type: ignore[method-assign]
    return snapshot


def rankings(retriever: HybridRetriever, question: str) -> dict[str, list[str]]:
    """Every variant's passage ranking for one question."""
    store: Snapshot = retriever.store
    dense = store.dense(question, CHUNK_DEPTH)  # first: the hybrid's own dense search reuses it
    lexical = store.lexical(question, CHUNK_DEPTH)
    plain = rrf(
        [[d.id for d, _ in dense[:PLAIN_RRF_CANDIDATES]], [d.id for d, _ in lexical[:PLAIN_RRF_CANDIDATES]]],
        [1.0, 1.0],
        PLAIN_RRF_K,
    )
    by_id = {d.id: d for d, _ in dense + lexical}
    plain_hits = group_by_item(
        [(by_id[cid], s) for cid, s in sorted(plain.items(), key=lambda kv: -kv[1])], store.items, {}, DEPTH, 1
    )
    hits, _ = retriever.rank(question)
    return {
        "bm25": passages_of(d for d, _ in lexical),
        "dense": passages_of(d for d, _ in dense),
        "rrf": [h.item.id for h in plain_hits],
        "hybrid": [h.item.id for h in hits],
    }


def run(items: list[Item], questions: list[Question], cache: Path | None, settings: Settings | None = None) -> dict:
    """Ingest the items in a temporary data directory and score every variant on the questions
    (cache None: embed everything, keep nothing)."""
    from bench.cache import CachedEmbeddings

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        base = settings or Settings()
        s = base.model_copy(update={"data_dir": Path(tmp), "top_items": DEPTH, "chroma_host": None})
        identity = embedding_identity(s)
        embeddings = CachedEmbeddings(make_embeddings(s), identity, cache or Path(tmp) / "cache")
        store = Store(s, embeddings, identity=identity)
        report = store.sync(items)
        retriever = HybridRetriever(store=remember_dense(store.snapshot()), settings=s)
        ranks: dict[str, list[int | None]] = {v: [] for v in VARIANTS}
        for q in questions:
            for variant, ranking in rankings(retriever, q.text).items():
                ranks[variant].append(first_rank(ranking, q.gold))
    result: dict = {v: score(r) for v, r in ranks.items()}
    result.update(
        questions=len(questions),
        passages=len(items),
        chunks=report.chunks_total,
        embedded=embeddings.misses,
        embedding=identity,
        seconds=round(time.monotonic() - started, 1),
    )
    return result


def table(result: dict) -> str:
    """The result as a small Markdown table."""
    lines = ["| retriever | hit@1 | hit@5 | MRR@10 |", "| --- | --- | --- | --- |"]
    for variant, label in VARIANTS.items():
        m = result[variant]
        lines.append(f"| {label} | {m['hit1']:.3f} | {m['hit5']:.3f} | {m['mrr']:.3f} |")
    lines.append(
        f"\n{result['questions']} questions, {result['passages']} passages ({result['chunks']} chunks, "
        f"{result['embedded']} texts embedded by the model), {result['embedding']}, {result['seconds']} s"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.retrieval",
        description="Passage-level retrieval benchmark (hit@1, hit@5, MRR@10) of BM25, dense, plain RRF and the "
        "project's hybrid, through the project's own ingest pipeline. Settings (model, fusion knobs) come from "
        "LECTURER_* variables as usual. Passage and query embeddings are cached on disk (--cache), keyed by model "
        "identity and text hash, so a rerun on the same data takes seconds (CMRC dev: under a minute) instead of minutes.",
    )
    parser.add_argument("--passages", type=Path, required=True, help="passages.jsonl (id, title, text)")
    parser.add_argument(
        "--questions", type=Path, required=True, help="questions.jsonl (qid, question, gold_passage_id)"
    )
    parser.add_argument("--limit", type=int, help="use only the first N passages (and their questions)")
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    parser.add_argument(
        "--cache", type=Path, default=Path(".bench-cache"), help="embedding cache (default .bench-cache)"
    )
    parser.add_argument("--no-cache", action="store_true", help="embed everything afresh, cache nothing")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    try:
        items, questions = load(args.passages, args.questions, args.limit)
        if not questions:
            print("no questions for these passages", file=sys.stderr)
            return 1
        result = run(items, questions, None if args.no_cache else args.cache)
    except (OSError, ValueError, KeyError) as exc:
        print(f"cannot read the benchmark data: {exc!r}", file=sys.stderr)
        return 2
    except LecturerError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
