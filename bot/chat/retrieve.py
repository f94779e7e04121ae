"""Hybrid retrieval: dense and BM25 fused by reciprocal rank and standardised score, grouped per item, gated."""

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from bot.chat.decide import refusal
from bot.config import Settings
from bot.index.corpus import Item
from bot.index.store import Store


@dataclass(frozen=True)
class Filters:
    """Optional restrictions on what may be retrieved."""

    kind: str | None = None
    industry: str | None = None
    themes: tuple[str, ...] = ()
    items: tuple[str, ...] = ()  # only these items (a follow-up about what was just discussed)
    exclude: tuple[str, ...] = ()  # never these (「还有别的吗」: what was shown already)

    def allowed(self, items: dict[str, Item]) -> set[str] | None:
        if not (self.kind or self.industry or self.themes or self.items or self.exclude):
            return None
        pool = [items[i] for i in self.items if i in items] if self.items else items.values()
        return {
            i.id
            for i in pool
            if (not self.kind or i.kind == self.kind)
            and (not self.industry or i.industry == self.industry)
            and (not self.themes or set(self.themes) & set(i.themes))
            and (not self.items or i.id in self.items)
            and i.id not in self.exclude
        }


@dataclass(frozen=True)
class Hit:
    """One item, with its best chunks in fused order."""

    item: Item
    chunks: tuple[Document, ...]
    score: float
    dense: float


@dataclass(frozen=True)
class Retrieval:
    """What retrieval found, and whether it is enough to answer."""

    query: str
    hits: tuple[Hit, ...]
    supported: bool
    reason: str = ""
    dense: float = 0.0
    overlap: float = 0.0


def rrf(rankings: list[list[str]], weights: list[float], k: int) -> dict[str, float]:
    """Weighted reciprocal rank fusion of ranked id lists."""
    fused: dict[str, float] = defaultdict(float)
    for ranking, weight in zip(rankings, weights):
        for rank, key in enumerate(ranking):
            fused[key] += weight / (k + rank + 1)
    return dict(fused)


def fuse(
    dense: list[tuple[str, float]], lexical: list[tuple[str, float]], weights: list[float], k: int, score_weight: float
) -> dict[str, float]:
    """Weighted RRF (scaled by k, so a first place is worth about 1) plus `score_weight` times the
    weighted sum of each retriever's standardised scores over the union of both candidate lists.

    Ranks alone ignore how far apart two candidates are; scores alone let one retriever's slight
    margin outvote the other's preference. So ranks lead and scores settle near-ties (see
    bench/RESULTS.md). A chunk only BM25 proposed gets the lowest cosine of the dense list (its own
    is no higher); one only the dense retriever proposed gets BM25 0.
    """
    ranks = rrf([[i for i, _ in dense], [i for i, _ in lexical]], weights, k)
    cosine, bm25 = dict(dense), dict(lexical)
    floor = min(cosine.values(), default=0.0)
    d = standardise([cosine.get(i, floor) for i in ranks])
    b = standardise([bm25.get(i, 0.0) for i in ranks])
    return {
        i: k * rank + score_weight * (weights[0] * x + weights[1] * y) for (i, rank), x, y in zip(ranks.items(), d, b)
    }


def standardise(values: list[float]) -> list[float]:
    """z-scores (mean 0, standard deviation 1); all 0 when the values do not vary."""
    if not values:
        return []
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    return [(v - mean) / sd if sd > 1e-12 else 0.0 for v in values]


class HybridRetriever(BaseRetriever):
    """The project's retriever: a LangChain `BaseRetriever` over a `Store`."""

    store: Any
    settings: Any

    def pinned(self) -> "HybridRetriever":
        """This retriever over the latest snapshot of the index, so that every search made for one
        question sees the same generation (a snapshot's `snapshot()` is itself)."""
        snapshot = self.store.snapshot()
        return self if snapshot is self.store else self.model_copy(update={"store": snapshot})

    def reader(self):
        """How questions are read against the committed corpus and lexicon."""
        return self.store.reader

    def search(self, query: str, filters: Filters | None = None) -> Retrieval:
        """Fused, grouped and gated results for one question."""
        s: Settings = self.settings
        reason = refusal(query)
        if reason:
            return Retrieval(query, (), False, reason)
        hits, best_dense = self.rank(query, filters)
        overlap = self.overlap(query, hits[0]) if hits else 0.0
        supported = bool(hits) and best_dense + s.gate_overlap_weight * overlap >= s.gate_threshold
        return Retrieval(query, hits, supported, "" if supported else "no_match", best_dense, overlap)

    def rank(self, query: str, filters: Filters | None = None) -> tuple[tuple[Hit, ...], float]:
        """The fused ranking of items, ungated, with the best dense cosine seen."""
        store = self.store.snapshot()
        s: Settings = self.settings
        allowed = store.allowed(filters) if filters else None
        dense = store.dense(query, s.candidates, allowed)
        lexical = store.lexical(query, s.candidates, allowed)
        fused = fuse(
            [(d.id, x) for d, x in dense],
            [(d.id, x) for d, x in lexical],
            [s.dense_weight, s.lexical_weight * self.lexical_trust(query, lexical)],
            s.rrf_k,
            s.score_weight,
        )
        by_id = {d.id: d for d, _ in dense + lexical}
        cosine = {d.id: score for d, score in dense}
        hits = group_by_item(
            [(by_id[cid], score) for cid, score in sorted(fused.items(), key=lambda kv: -kv[1])],
            store.items,
            cosine,
            s.top_items,
            s.chunks_per_item,
        )
        return hits, max((score for _, score in dense), default=0.0)

    def lexical_trust(self, query: str, lexical: list[tuple[Document, float]]) -> float:
        """How far to trust BM25 for this question: fully when its first chunk holds at least
        `lexical_trust_coverage` of the question's (IDF-weighted) words, less as the words differ.

        A question asked in other words than the passage's (「咋个躲火车」 for 「避让列车」) still
        shares a few common words with some chunk, and BM25 then ranks that chunk first with
        confidence it has not earned; the dense retriever reads meaning. Measured on paraphrased
        questions (bench/RESULTS.md)."""
        trust_at = self.settings.lexical_trust_coverage
        if not lexical or trust_at <= 0:
            return 1.0
        return min(1.0, self.coverage(query, lexical[0][0].page_content) / trust_at)

    def coverage(self, query: str, text: str) -> float:
        """IDF-weighted share of the question's words found in the text."""
        store = self.store.snapshot()
        tokens = set(store.tokenizer(query))
        if not tokens:
            return 0.0
        text = text.lower()
        n = max(len(store.docs), 1)
        weights = {t: math.log(1 + n / (1 + store.document_frequency(t))) for t in tokens}
        return sum(w for t, w in weights.items() if t in text) / sum(weights.values())

    def overlap(self, query: str, hit: Hit) -> float:
        """IDF-weighted share of the question's content words found in the top item's chunks."""
        return self.coverage(query, "".join(c.page_content for c in hit.chunks))

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        result = self.search(query)
        return [c for h in result.hits for c in h.chunks] if result.supported else []


def group_by_item(
    ranked: list[tuple[Document, float]], items: dict[str, Item], cosine: dict[str, float], top_items: int, per_item: int
) -> tuple[Hit, ...]:
    """Group fused chunks per item so one story does not take every slot."""
    groups: dict[str, list[tuple[Document, float]]] = {}
    for doc, score in ranked:
        item_id = doc.metadata["item_id"]
        if item_id not in groups and len(groups) >= top_items:
            continue
        group = groups.setdefault(item_id, [])
        if len(group) < per_item:
            group.append((doc, score))
    return tuple(
        Hit(
            item=items[item_id],
            chunks=tuple(d for d, _ in group),
            score=group[0][1],
            dense=max((cosine.get(d.id, 0.0) for d, _ in group), default=0.0),
        )
        for item_id, group in groups.items()
    )


def make_retriever(settings: Settings, embeddings=None) -> HybridRetriever:
    """Open the store under the settings' data directory and wrap it in the hybrid retriever."""
    from bot.index.embeddings import make_embeddings

    store = Store(settings, embeddings or make_embeddings(settings))
    return HybridRetriever(store=store, settings=settings)
