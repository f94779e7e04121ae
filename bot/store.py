"""Chroma (dense) and BM25 (lexical) kept in step over one committed set of chunks.

Ingest adds new chunks to Chroma first (ids derive from item id and content hash, so a
re-run never duplicates), then commits a manifest naming the chunk set atomically, then
deletes what the manifest no longer names. Readers only ever see chunks of the committed
manifest, so a run killed at any point leaves the previous answers intact, and the next
run finishes the job.
"""

import fcntl
import hashlib
import json
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from bot.chat.citations import Checker
from bot.chat.understand import Lexicon, Reader
from bot.chunking import UNITS_VERSION, answer_units, chunk_item
from bot.config import Settings
from bot.corpus import Item
from bot.embeddings import embedding_identity
from bot.errors import LecturerError
from bot.lexical import LexicalIndex, Tokenizer

log = logging.getLogger(__name__)
CURRENT = "CURRENT"
FORMAT = 2
SENTENCES = "{collection}-sentences"  # the second collection: vectors of what answers quote


@dataclass(frozen=True)
class Unit:
    """One quotable unit of an item (see chunking.answer_units) and the row of its vector."""

    item_id: str
    heading: str
    text: str
    row: int


def unit_key(heading: str, text: str) -> str:
    """Content address of a unit's vector: the same words under the same heading share one."""
    raw = f"{UNITS_VERSION}|{heading}|{text}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:20]


def unit_text(heading: str, text: str) -> str:
    """What is embedded for a unit: the heading gives a FAQ-style answer its question."""
    return f"{heading}：{text}" if heading else text


@dataclass(frozen=True)
class SyncReport:
    """What one ingest changed."""

    added: tuple[str, ...]
    updated: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: tuple[str, ...]
    chunks_embedded: int
    chunks_total: int
    seconds: float
    units_embedded: int = 0

    def summary(self) -> str:
        return (
            f"新增 {len(self.added)} 条，更新 {len(self.updated)} 条，删除 {len(self.removed)} 条，"
            f"未变 {len(self.unchanged)} 条；嵌入 {self.chunks_embedded} 个文本块（共 {self.chunks_total} 个）、"
            f"{self.units_embedded} 个句子，"
            f"用时 {self.seconds:.1f} 秒"
        )


def make_client(settings: Settings):
    """An embedded Chroma under the data directory, or a Chroma server; telemetry off."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_host:
        try:
            return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        except Exception as exc:  # chromadb raises plain ValueError/ConnectionError here
            raise LecturerError(
                f"无法连接向量数据库 {settings.chroma_host}:{settings.chroma_port}，请确认 Chroma 服务已启动", repr(exc)
            ) from exc
    path = settings.index_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


class Store:
    """Both indexes, reading the committed manifest; `sync` brings them to a corpus."""

    def __init__(
        self, settings: Settings, embeddings: Embeddings, *, identity: str | None = None, writer: bool = False
    ) -> None:
        """Open the committed index. A reader (the default) refuses an index whose vectors do not
        match its manifest; the writer (ingest) opens it anyway, to repair it."""
        from langchain_chroma import Chroma

        self.settings = settings
        self.embeddings = embeddings
        self._query_vectors: dict[str, tuple[float, ...]] = {}
        self.identity = identity or embedding_identity(settings)
        self.dir = settings.index_dir
        self.dir.mkdir(parents=True, exist_ok=True)
        self.manifest = self._committed()
        if self.manifest and self.manifest["embedding"] != self.identity:
            raise LecturerError(
                f"索引是用向量模型「{self.manifest['embedding']}」建立的，当前配置是「{self.identity}」。"
                "请改回原模型，或运行 python ingest.py --rebuild 重建索引。",
                f"embedding mismatch: index={self.manifest['embedding']} settings={self.identity}",
            )
        self.vectors = Chroma(
            collection_name=settings.collection,
            embedding_function=embeddings,
            client=make_client(settings),
            collection_metadata={"embedding": self.identity},
            collection_configuration={"hnsw": {"space": "cosine"}},
        )
        self.sentences = self.vectors._client.get_or_create_collection(
            SENTENCES.format(collection=settings.collection),
            metadata={"embedding": self.identity},
            configuration={"hnsw": {"space": "cosine"}},
            embedding_function=None,
        )
        stored = (self.vectors._collection.metadata or {}).get("embedding")
        if stored and stored != self.identity:
            raise LecturerError(
                f"向量库集合「{settings.collection}」是用「{stored}」建立的，与当前模型「{self.identity}」不符。"
                "请运行 python ingest.py --rebuild 重建索引。",
                f"collection embedding mismatch: {stored} != {self.identity}",
            )
        self.writer = writer
        self._load()

    # Reading ---------------------------------------------------------------------------

    def _committed(self) -> dict | None:
        """The committed manifest of this format, if any."""
        manifest = self._read_manifest()
        if manifest and manifest.get("format") != FORMAT:
            # An index from an earlier version: readers see an empty store (and are told to ingest);
            # the next ingest rebuilds the manifest, reusing every chunk already embedded.
            log.warning("manifest format %s != %s: run ingest.py", manifest.get("format"), FORMAT)
            return None
        return manifest

    def _read_manifest(self) -> dict | None:
        pointer = self.dir / CURRENT
        if not pointer.exists():
            return None
        name = pointer.read_text(encoding="utf-8").strip()
        try:
            return json.loads((self.dir / name).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise LecturerError("索引文件已损坏，请运行 python ingest.py --rebuild 重建", f"{name}: {exc!r}") from exc

    def _load(self) -> None:
        manifest = self.manifest or {"items": {}, "chunks": {}}
        self.items: dict[str, Item] = {
            k: Item(
                **{
                    **v,
                    "themes": tuple(v["themes"]),
                    "questions": tuple(v["questions"]),
                    "honours": tuple(v["honours"]),
                }
            )
            for k, v in manifest["items"].items()
        }
        self.docs: list[Document] = [
            Document(id=cid, page_content=c["text"], metadata=c["metadata"]) for cid, c in manifest["chunks"].items()
        ]
        self.position = {d.id: i for i, d in enumerate(self.docs)}
        self.tokenizer = Tokenizer(self._user_words(self.items.values()))
        self.lexical_index = LexicalIndex([c["tokens"] for c in manifest["chunks"].values()])
        self._document_frequency: dict[str, int] = {}
        self.reader = Reader(Lexicon.from_dict(manifest.get("lexicon") or {}), self.items.values())
        self.chunks_of: dict[str, list[Document]] = {}
        for doc in self.docs:
            self.chunks_of.setdefault(doc.metadata["item_id"], []).append(doc)
        keys = [key for units in manifest.get("units", {}).values() for key, _, _ in units]
        if not self.writer:
            self._check_vectors(len(self.docs))
        self.unit_vectors = self._unit_vectors(keys) if not self.writer else np.zeros((0, 0), dtype=np.float32)
        self.units: dict[str, list[Unit]] = {}
        row = 0
        for item_id, units in manifest.get("units", {}).items():
            for _, heading, text in units:
                self.units.setdefault(item_id, []).append(Unit(item_id, heading, text, row))
                row += 1

    def _check_vectors(self, expected: int) -> None:
        """The chunk vectors the manifest commits are all in Chroma (a lost or replaced Chroma
        directory would otherwise make every question look out of scope)."""
        if expected and self.vectors._collection.count() < expected:
            raise LecturerError(
                "向量库与索引清单不一致（片段向量缺失，可能是向量库目录被删除或替换），请运行 python ingest.py 修复。",
                f"chroma holds {self.vectors._collection.count()} chunks, manifest {expected}",
            )

    def _unit_vectors(self, keys: list[str]) -> np.ndarray:
        """The committed units' vectors as one matrix, rows in manifest order."""
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        found: dict[str, np.ndarray] = {}
        unique = sorted(set(keys))
        for start in range(0, len(unique), 2000):
            got = self.sentences.get(ids=unique[start : start + 2000], include=["embeddings"])
            found.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32)))
        missing = [k for k in unique if k not in found]
        if missing:
            raise LecturerError(
                "向量库与索引清单不一致（缺少句子向量），请运行 python ingest.py 修复。",
                f"{len(missing)} unit vectors missing, e.g. {missing[:3]}",
            )
        return np.stack([found[k] for k in keys])

    @staticmethod
    def _user_words(items) -> list[str]:
        words = set()
        for item in items:
            words.update(p for p in item.person.replace("，", "、").split("、"))
            words.update([item.employer, item.industry, *item.themes])
        return sorted(w for w in words if w)

    @cached_property
    def checker(self) -> Checker:
        """The support check for generated sentences, knowing the committed items' names."""
        return Checker.for_items(self.items.values())

    @property
    def is_empty(self) -> bool:
        return not self.docs

    def embed_query(self, query: str) -> tuple[float, ...]:
        """The query's vector, remembered: retrieval and answering both need it."""
        if query not in self._query_vectors:
            if len(self._query_vectors) > 256:
                self._query_vectors.clear()
            self._query_vectors[query] = tuple(self.embeddings.embed_query(query))
        return self._query_vectors[query]

    def document_frequency(self, token: str) -> int:
        """How many committed chunks contain the token (for the gate's keyword weights)."""
        if token not in self._document_frequency:
            self._document_frequency[token] = sum(1 for d in self.docs if token in d.page_content.lower())
        return self._document_frequency[token]

    def lexical(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[Document, float]]:
        """The k best chunks by BM25 (positive scores only), optionally only from `allowed` items."""
        scores = self.lexical_index.scores(self.tokenizer(query))
        order = scores.argsort()[::-1]
        out = []
        for i in order:
            if scores[i] <= 0 or len(out) >= k:
                break
            doc = self.docs[i]
            if allowed is None or doc.metadata["item_id"] in allowed:
                out.append((doc, float(scores[i])))
        return out

    def dense(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[Document, float]]:
        """The k nearest committed chunks by cosine similarity to the query."""
        if self.is_empty:
            return []
        vector = list(self.embed_query(query))
        where = {"item_id": {"$in": sorted(allowed)}} if allowed is not None else None
        if allowed is not None and not allowed:
            return []
        # Over-fetch: chunks of an interrupted ingest may sit in Chroma uncommitted.
        found = self.vectors.similarity_search_by_vector_with_relevance_scores(vector, k=k + 10, filter=where)
        out = []
        for doc, distance in found:
            pos = self.position.get(doc.id)
            if pos is not None:
                out.append((self.docs[pos], 1.0 - float(distance)))
        return out[:k]

    # Writing ---------------------------------------------------------------------------

    def _lock(self):
        return ingest_lock(self.dir)

    def sync(self, items: list[Item], progress: bool = False, lexicon: Lexicon | None = None) -> SyncReport:
        """Make both indexes describe exactly `items` (approved ones), embedding only new chunks;
        the lexicon (how workers word things) is committed with them."""
        started = time.monotonic()
        with self._lock():
            # What another writer committed since this store was opened is the starting point.
            self.manifest = self._committed()
            old = (self.manifest or {}).get("items", {})
            new_items = {i.id: i for i in items if i.status == "approved"}
            chunks = {i_id: chunk_item(item, self.settings) for i_id, item in new_items.items()}
            existing = set(self.vectors._collection.get(include=[])["ids"])
            missing = [d for docs in chunks.values() for d in docs if d.id not in existing]
            self._embed(missing, progress)
            units = {i_id: [(unit_key(h, t), h, t) for h, t in answer_units(item)] for i_id, item in new_items.items()}
            unit_keys = {key for us in units.values() for key, _, _ in us}
            have = set(self.sentences.get(include=[])["ids"])
            todo = {key: unit_text(h, t) for us in units.values() for key, h, t in us if key not in have}
            self._embed_units(todo, progress)
            tokenizer = Tokenizer(self._user_words(new_items.values()))
            manifest = {
                "format": FORMAT,
                "embedding": self.identity,
                "generation": (self.manifest or {}).get("generation", 0) + 1,
                "items": {k: asdict(v) for k, v in new_items.items()},
                "hashes": {k: docs[0].metadata["item_hash"] for k, docs in chunks.items()},
                "units": units,
                "lexicon": asdict(lexicon or Lexicon()),
                "chunks": {
                    d.id: {"text": d.page_content, "metadata": d.metadata, "tokens": tokenizer(d.page_content)}
                    for docs in chunks.values()
                    for d in docs
                },
            }
            old_hashes = (self.manifest or {}).get("hashes", {})
            hashes = manifest["hashes"]
            if (
                not self.manifest
                or manifest["chunks"].keys() != self.manifest["chunks"].keys()
                or json.loads(json.dumps(manifest["units"])) != self.manifest.get("units")
                or json.loads(json.dumps(manifest["lexicon"])) != self.manifest.get("lexicon")
            ):
                self._commit(manifest)
            stale = existing - set(manifest["chunks"])
            if stale:
                self.vectors.delete(ids=sorted(stale))
            stale_units = have - unit_keys
            if stale_units:
                self.sentences.delete(ids=sorted(stale_units))
            self._remove_old_manifests()
        self.manifest = self._committed()
        self._load()
        return SyncReport(
            added=tuple(sorted(k for k in new_items if k not in old)),
            updated=tuple(sorted(k for k in new_items if k in old and old_hashes.get(k) != hashes[k])),
            removed=tuple(sorted(k for k in old if k not in new_items)),
            unchanged=tuple(sorted(k for k in new_items if k in old and old_hashes.get(k) == hashes[k])),
            chunks_embedded=len(missing),
            units_embedded=len(todo),
            chunks_total=len(manifest["chunks"]),
            seconds=time.monotonic() - started,
        )

    def _embed(self, docs: list[Document], progress: bool) -> None:
        if not docs:
            return
        from tqdm import tqdm

        batch = self.settings.embed_batch_size
        with tqdm(total=len(docs), desc="嵌入文本块", unit="块", disable=not progress, mininterval=0.2) as bar:
            for start in range(0, len(docs), batch):
                part = docs[start : start + batch]
                self.vectors.add_texts(
                    [d.page_content for d in part], metadatas=[d.metadata for d in part], ids=[d.id for d in part]
                )
                bar.update(len(part))

    def _embed_units(self, todo: dict[str, str], progress: bool) -> None:
        if not todo:
            return
        from tqdm import tqdm

        keys = sorted(todo)
        batch = self.settings.embed_batch_size
        with tqdm(total=len(keys), desc="嵌入可引用的句子", unit="句", disable=not progress, mininterval=0.2) as bar:
            for start in range(0, len(keys), batch):
                part = keys[start : start + batch]
                vectors = self.embeddings.embed_documents([todo[k] for k in part])
                self.sentences.add(ids=part, embeddings=vectors, documents=[todo[k] for k in part])
                bar.update(len(part))

    def _commit(self, manifest: dict) -> None:
        """Atomically make `manifest` the committed chunk set."""
        name = f"manifest-{manifest['generation']}.json"
        _atomic_write(self.dir / name, json.dumps(manifest, ensure_ascii=False))
        _atomic_write(self.dir / CURRENT, name)

    def _remove_old_manifests(self) -> None:
        current = (self.dir / CURRENT).read_text(encoding="utf-8").strip() if (self.dir / CURRENT).exists() else ""
        for path in self.dir.glob("manifest-*.json"):
            if path.name != current:
                path.unlink(missing_ok=True)


def drop_index(settings: Settings) -> None:
    """Forget the whole index (both stores), e.g. to change the embedding model; refused, with
    nothing touched, while an ingest holds the lock."""
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    with ingest_lock(settings.index_dir):
        _drop(settings)


def _drop(settings: Settings) -> None:
    client = make_client(settings)
    names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    for name in (settings.collection, SENTENCES.format(collection=settings.collection)):
        if name in names:
            client.delete_collection(name)
    for name in [CURRENT, *(p.name for p in settings.index_dir.glob("manifest-*.json"))]:
        (settings.index_dir / name).unlink(missing_ok=True)


@contextmanager
def ingest_lock(index_dir: Path) -> Iterator[None]:
    """The one writer: an ingest or a rebuild holds this, a second one is refused at once."""
    with open(index_dir / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise LecturerError("另一个导入正在进行，请等它结束后再试", "ingest lock held") from exc
        yield


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
