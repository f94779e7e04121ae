"""One committed generation of the index, read-only: what a question is answered from.

A snapshot is built once from a manifest (items, chunks, BM25, the reader's lexicon, the vectors of
every chunk and every quotable unit, read from Chroma when it opens) and never changes. The live store
swaps in a new one when a commit appears; a question pins one snapshot from start to end, so it never
sees half of two versions.
"""

import threading
from dataclasses import asdict, dataclass
from functools import cached_property

import numpy as np
from langchain_core.documents import Document

from bot.chat.support import Checker
from bot.chat.understand import Lexicon, Reader
from bot.index.corpus import LESSON_TALK, Item, states_a_spirit
from bot.index.lexical import LexicalIndex, Tokenizer

EMPTY = {"generation": 0, "items": {}, "chunks": {}}
QUERY_CACHE = 256  # query vectors remembered (retrieval and answering embed the same question)


@dataclass(frozen=True)
class Unit:
    """One quotable unit of an item (see chunking.answer_units) and the row of its vector."""

    item_id: str
    heading: str
    text: str
    row: int


@dataclass(frozen=True)
class Asked:
    """One 「常见问法」 of an item: the question, the unit that answers it (if the trainer named one)
    and the row of the question's vector."""

    item_id: str
    question: str
    unit: Unit | None
    asks: str  # what it asks, as the reader reads it (who, why, how…)
    row: int


def vector_keys(manifest: dict) -> list[str]:
    """The keys of every vector a snapshot holds in memory: the units', then the 「常见问法」's."""
    units = [key for us in manifest.get("units", {}).values() for key, _, _ in us]
    return units + [row[0] for rows in manifest.get("asked", {}).values() for row in rows]


def user_words(items) -> list[str]:
    """Names, employers, industries and themes: words jieba must keep whole."""
    words = set()
    for item in items:
        words.update(p for p in item.person.replace("，", "、").split("、"))
        words.update([item.employer, item.industry, *item.themes])
    return sorted(w for w in words if w)


def item_from_dict(v: dict) -> Item:
    lists = ("themes", "questions", "honours", "asked")
    return Item(**{**v, **{k: tuple(v[k]) for k in lists if k in v}})


class QueryVectors:
    """The embedding of each recent question, shared by every snapshot of one store."""

    def __init__(self, embeddings) -> None:
        self.embeddings = embeddings
        self._vectors: dict[str, tuple[float, ...]] = {}
        self._lock = threading.Lock()

    def __call__(self, query: str) -> tuple[float, ...]:
        with self._lock:
            found = self._vectors.get(query)
        if found is None:
            found = tuple(self.embeddings.embed_query(query))
            with self._lock:
                if len(self._vectors) >= QUERY_CACHE:
                    self._vectors.clear()
                self._vectors[query] = found
        return found

    def clear(self) -> None:
        with self._lock:
            self._vectors.clear()


class Snapshot:
    """Items, chunks, BM25, chunk and unit vectors of one generation.

    Dense search is exact, over the chunk vectors held here, so it never depends on Chroma at question
    time: its approximate index holds every generation's chunks, and in 1 whole-suite run in 5 a search
    through it left out both chunks of the course that answers 「12351是打来做啥子的嘛」. The chunks'
    rows take an eighth of the memory the units' do."""

    def __init__(
        self, manifest: dict | None, chunk_vectors: np.ndarray, unit_vectors: np.ndarray, query_vectors: QueryVectors
    ) -> None:
        manifest = manifest or EMPTY
        self.generation: int = int(manifest.get("generation", 0))
        self.chunk_vectors = chunk_vectors  # one row per chunk, in `docs` order (empty for the writer)
        self.embed_query = query_vectors
        self.embeddings = query_vectors.embeddings
        self.items: dict[str, Item] = {k: item_from_dict(v) for k, v in manifest["items"].items()}
        self.docs: list[Document] = [
            Document(id=cid, page_content=c["text"], metadata=c["metadata"]) for cid, c in manifest["chunks"].items()
        ]
        self.position = {d.id: i for i, d in enumerate(self.docs)}
        self.tokenizer = Tokenizer(user_words(self.items.values()))
        self.lexical_index = LexicalIndex([c["tokens"] for c in manifest["chunks"].values()])
        self._document_frequency: dict[str, int] = {}
        self._allowed: dict = {}
        self.lexicon: dict = manifest.get("lexicon") or asdict(Lexicon())  # as committed (a preview reuses it)
        self.reader = Reader(Lexicon.from_dict(self.lexicon), self.items.values())
        self.chunks_of: dict[str, list[Document]] = {}
        for doc in self.docs:
            self.chunks_of.setdefault(doc.metadata["item_id"], []).append(doc)
        self.unit_keys = vector_keys(manifest)
        self.unit_vectors = unit_vectors  # the units' rows, then the 「常见问法」's
        self.units: dict[str, list[Unit]] = {}
        # What a team leader says about a spirit course's subject (its lesson talk): quoted only for a
        # question about values (「天天重复干一样的活 有啥意思」), never among its answer units. A trade
        # course's talk is among them: it says how the job is done (「下坡早点换低挡」).
        self.talk_units: dict[str, list[Unit]] = {}
        spirited = {i for i, item in self.items.items() if states_a_spirit(item)}
        row = 0
        every: dict[str, list[Unit]] = {}  # an item's units in manifest order: a 「常见问法」 names one by index
        for item_id, units in manifest.get("units", {}).items():
            for _, heading, text in units:
                unit = Unit(item_id, heading, text, row)
                (self.talk_units if heading == LESSON_TALK and item_id in spirited else self.units).setdefault(item_id, []).append(unit)
                every.setdefault(item_id, []).append(unit)
                row += 1
        self.asked: list[Asked] = []
        for item_id, rows in manifest.get("asked", {}).items():
            own = every.get(item_id, [])
            for _, question, n, asks, _ in rows:
                self.asked.append(Asked(item_id, question, own[n] if 0 <= n < len(own) else None, asks, row))
                row += 1

    def snapshot(self) -> "Snapshot":
        """Itself: a snapshot is already pinned."""
        return self

    @cached_property
    def by_title(self) -> dict[str, str]:
        """Each title's item."""
        return {item.title: item.id for item in self.items.values()}

    def allowed(self, filters) -> set[str] | None:
        """The items a search with these filters may return (remembered: filters repeat, items do not change)."""
        key = filters
        found = self._allowed.get(key, False)
        if found is False:
            if len(self._allowed) > 512:
                self._allowed.clear()
            found = self._allowed[key] = filters.allowed(self.items)
        return found

    @cached_property
    def checker(self) -> Checker:
        """The support check for generated sentences, knowing this generation's names."""
        return Checker.for_items(self.items.values())

    @property
    def is_empty(self) -> bool:
        return not self.docs

    def document_frequency(self, token: str) -> int:
        """How many chunks contain the token (for the gate's keyword weights): from the BM25 index, which
        answers at once at any size; only a token no chunk has as a word is looked for as a substring,
        so a word the corpus holds inside a longer one is not taken for unknown."""
        found = self.lexical_index.document_frequency(token)
        if found:
            return found
        found = self._document_frequency.get(token)
        if found is None:
            found = self._document_frequency[token] = int(token in self.text)
        return found

    @cached_property
    def text(self) -> str:
        """Every chunk's text in lower case, in one string (one C-speed search for a rare word)."""
        return "\x00".join(d.page_content.lower() for d in self.docs)

    def lexical(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[Document, float]]:
        """The k best chunks by BM25 (positive scores only), optionally only from `allowed` items."""
        scores = self.lexical_index.scores(self.tokenizer(query))
        positive = np.flatnonzero(scores > 0)  # sort only the chunks that share a word with the query
        order = positive[np.argsort(-scores[positive], kind="stable")]
        out = []
        for i in order:
            if len(out) >= k:
                break
            doc = self.docs[i]
            if allowed is None or doc.metadata["item_id"] in allowed:
                out.append((doc, float(scores[i])))
        return out

    def asked_near(self, query: str, allowed: set[str] | None = None) -> list[tuple[Asked, float]]:
        """Every 「常见问法」 (of `allowed` items) with its cosine to the question, nearest first."""
        asked = [a for a in self.asked if allowed is None or a.item_id in allowed]
        if not asked or not self.unit_vectors.size:
            return []
        vector = np.asarray(self.embed_query(query), dtype=np.float32)
        cosines = self.unit_vectors[[a.row for a in asked]] @ vector
        order = np.argsort(-cosines, kind="stable")
        return [(asked[i], float(cosines[i])) for i in order]

    @cached_property
    def _voters(self) -> tuple[list[str], np.ndarray]:
        """Each answer unit's item and its row (a trade course's talk among them; a spirit course's not)."""
        units = [u for us in self.units.values() for u in us]
        return [u.item_id for u in units], np.asarray([u.row for u in units], dtype=np.intp)

    def unit_vote(self, query: str, per_item: int = 2) -> dict[str, float]:
        """Each item's mean cosine over its `per_item` answer units nearest the question.

        Chunks hold a trade course's rules, never its 「班前说一说」 talk, and a story's chunk mixes
        deeds with words about the job; a unit is one point or one sentence. 「车上两个乘客为抢座位打起
        来了 我还在开车」 is nearest the transit talk's 「先把车稳稳靠边停下，再去说话」 while the chunks
        nearest it are a bus driver's story (workers' trials 5 and 6)."""
        item_ids, rows = self._voters
        if not rows.size or not self.unit_vectors.size:
            return {}
        cosines = self.unit_vectors[rows] @ np.asarray(self.embed_query(query), dtype=np.float32)
        best: dict[str, list[float]] = {}
        for item_id, cosine in zip(item_ids, cosines.tolist()):
            best.setdefault(item_id, []).append(cosine)
        return {i: float(np.mean(sorted(xs, reverse=True)[:per_item])) for i, xs in best.items()}

    def dense(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[Document, float]]:
        """The k nearest chunks (of `allowed` items) by cosine similarity to the query, exactly."""
        if self.is_empty or not self.chunk_vectors.size or (allowed is not None and not allowed):
            return []
        if allowed is None:
            rows = np.arange(len(self.docs))
        else:
            rows = np.asarray(sorted(self.position[d.id] for i in allowed for d in self.chunks_of.get(i, ())), dtype=np.intp)
            if not rows.size:
                return []
        vector = np.asarray(self.embed_query(query), dtype=np.float32)
        cosines = self.chunk_vectors[rows] @ vector
        top = np.argsort(-cosines, kind="stable")[:k]
        return [(self.docs[rows[i]], float(cosines[i])) for i in top]
