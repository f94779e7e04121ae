"""Chroma (dense) and BM25 (lexical) kept in step over one committed set of chunks.

The one writer (`sync`, under the ingest lock) adds new chunks to Chroma first (ids derive from
item id and content hash, so a re-run never duplicates), then commits a manifest naming the chunk
set atomically (see `manifest`), then deletes what the manifest no longer names. Readers only ever
see chunks of a committed manifest, through an immutable snapshot that `Store.snapshot` swaps when
a new generation is committed, so a run killed at any point leaves the previous answers intact,
the next run finishes the job, and a running app answers from the new commit within seconds.
"""

import errno
import fcntl
import hashlib
import json
import logging
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from bot.chat.understand import Lexicon, Reader
from bot.config import Settings
from bot.errors import LecturerError, Unavailable
from bot.index.chunking import UNITS_VERSION, answer_units, asked_rows, chunk_item
from bot.index.corpus import Item
from bot.index.embeddings import embedding_identity
from bot.index.lexical import Tokenizer
from bot.index.manifest import MANIFESTS, ChromaManifests, FileManifests, Manifests
from bot.index.snapshot import QueryVectors, Snapshot, Unit, user_words, vector_keys

log = logging.getLogger(__name__)
FORMAT = 3
SENTENCES = "{collection}-sentences"  # the second collection: vectors of what answers quote
Progress = Callable[[str, int, int], None]
__all__ = ["Store", "Snapshot", "Unit", "SyncReport", "drop_index", "ingest_lock", "make_client", "writer_lock"]


def unit_key(heading: str, text: str) -> str:
    """Content address of a unit's vector: the same words under the same heading share one."""
    raw = f"{UNITS_VERSION}|{heading}|{text}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:20]


def asked_key(question: str) -> str:
    """Content address of a 「常见问法」's vector (embedded as a question, unlike a unit)."""
    return "q" + hashlib.sha1(question.encode("utf-8")).hexdigest()[:19]


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
            raise Unavailable(
                f"无法连接向量数据库 {settings.chroma_host}:{settings.chroma_port}，请确认 Chroma 服务已启动", repr(exc)
            ) from exc
    path = settings.index_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


class Store:
    """The live index: the current snapshot for readers (swapped when a new commit appears) and `sync`,
    the one writer's way to bring the index to a corpus."""

    def __init__(
        self, settings: Settings, embeddings: Embeddings, *, identity: str | None = None, writer: bool = False
    ) -> None:
        """Open the committed index. A reader (the default) refuses an index whose vectors do not
        match its manifest; the writer (ingest) opens it anyway, to repair it."""
        from langchain_chroma import Chroma

        self.settings = settings
        self.embeddings = embeddings
        self.query_vectors = QueryVectors(embeddings)
        self.identity = identity or embedding_identity(settings)
        self.dir = settings.index_dir
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LecturerError(f"无法创建数据目录 {self.dir}，请检查权限和磁盘空间。", repr(exc)) from exc
        self.writer = writer
        try:
            client = make_client(settings)
            self.manifests: Manifests = (
                ChromaManifests(client, settings.collection) if settings.chroma_host else FileManifests(self.dir)
            )
            self.vectors = Chroma(
                collection_name=settings.collection,
                embedding_function=embeddings,
                client=client,
                collection_metadata={"embedding": self.identity},
                collection_configuration={"hnsw": {"space": "cosine"}},
            )
            self.sentences = client.get_or_create_collection(
                SENTENCES.format(collection=settings.collection),
                metadata={"embedding": self.identity},
                configuration={"hnsw": {"space": "cosine"}},
                embedding_function=None,
            )
        except LecturerError:
            raise
        except Exception as exc:  # chromadb's own errors: a damaged directory, a server gone away
            raise chroma_failed(settings, exc) from exc
        stored = (self.vectors._collection.metadata or {}).get("embedding")
        if stored and stored != self.identity:
            raise LecturerError(
                f"向量库集合「{settings.collection}」是用「{stored}」建立的，与当前模型「{self.identity}」不符。"
                "请运行 python ingest.py --rebuild 重建索引。",
                f"collection embedding mismatch: {stored} != {self.identity}",
            )
        self._swap = threading.Lock()
        self._checked = time.monotonic()
        self.current = self._open(self._committed())

    # Reading ---------------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """The latest committed snapshot: the commit's generation is asked at most every
        `index_refresh_seconds`, and a new one is loaded by one caller while the others go on
        with the current one."""
        if time.monotonic() - self._checked < self.settings.index_refresh_seconds or self.writer:
            return self.current
        if self._swap.acquire(blocking=False):
            try:
                self._checked = time.monotonic()
                self.refresh()
            except LecturerError as exc:
                log.warning("index not refreshed, answering from generation %s: %s", self.current.generation, exc.detail)
            finally:
                self._swap.release()
        return self.current

    def refresh(self) -> bool:
        """Load the committed generation if it is not the current one; True if it was swapped in."""
        try:
            generation = self.manifests.generation()
        except LecturerError:
            raise
        except Exception as exc:
            raise chroma_failed(self.settings, exc) from exc
        if generation == self.current.generation:
            return False
        fresh = self._open(self._committed())
        self.current = fresh  # one assignment: a question holds the snapshot it started with
        log.info("index generation %s is live (%s items)", fresh.generation, len(fresh.items))
        return True

    def __getattr__(self, name: str):
        """Reading attributes (items, docs, dense, …) come from the latest snapshot."""
        if name.startswith("_") or name == "current":
            raise AttributeError(name)
        return getattr(self.snapshot(), name)

    def _committed(self) -> dict | None:
        """The committed manifest of this format and model, if any. The writer reads a damaged one as
        none: it rebuilds the manifest, reusing every vector already in Chroma."""
        try:
            manifest = self.manifests.read()
        except LecturerError as exc:
            if self.writer and "损坏" in exc.message:
                log.warning("committed manifest unreadable, rebuilding it: %s", exc.detail)
                return None
            raise
        except Exception as exc:
            raise chroma_failed(self.settings, exc) from exc
        if manifest and manifest.get("format") != FORMAT:
            # An index from an earlier version: readers see an empty store (and are told to ingest);
            # the next ingest rebuilds the manifest, reusing every chunk already embedded.
            log.warning("manifest format %s != %s: run ingest.py", manifest.get("format"), FORMAT)
            return None
        if manifest:
            missing = [k for k in ("embedding", "generation", "items", "chunks", "units") if k not in manifest]
            if missing and self.writer:
                log.warning("committed manifest lacks %s, rebuilding it", missing)
                return None
            if missing:
                raise LecturerError(
                    "索引清单不完整，请运行 python ingest.py --rebuild 重建索引。", f"manifest lacks {missing}"
                )
            if manifest["embedding"] != self.identity:
                raise LecturerError(
                    f"索引是用向量模型「{manifest['embedding']}」建立的，当前配置是「{self.identity}」。"
                    "请改回原模型，或运行 python ingest.py --rebuild 重建索引。",
                    f"embedding mismatch: index={manifest['embedding']} settings={self.identity}",
                )
        return manifest

    def _open(self, manifest: dict | None, previous: Snapshot | None = None) -> Snapshot:
        """A snapshot of `manifest`, its chunk and unit vectors read from Chroma (those of `previous`,
        by default the current snapshot, reused). The writer skips the vectors: it is about to repair them."""
        if self.writer:
            none = np.zeros((0, 0), dtype=np.float32)
            return Snapshot(manifest, none, none, self.query_vectors)
        previous = previous or self.__dict__.get("current")
        chunks = self._read_vectors(
            self.vectors._collection,
            list((manifest or {}).get("chunks", {})),
            previous and zip((d.id for d in previous.docs), previous.chunk_vectors),
            "向量库与索引清单不一致（片段向量缺失，可能是向量库目录被删除或替换），请运行 python ingest.py 修复。",
        )
        units = self._read_vectors(
            self.sentences,
            vector_keys(manifest or {}),
            previous and zip(previous.unit_keys, previous.unit_vectors),
            "向量库与索引清单不一致（缺少句子向量），请运行 python ingest.py 修复。",
        )
        return Snapshot(manifest, chunks, units, self.query_vectors)

    def _read_vectors(self, collection, keys: list[str], known, missing_message: str) -> np.ndarray:
        """The vectors of `keys` as one matrix, rows in their order: those `known` (pairs of key and
        row) reused, the others read from the collection."""
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        wanted = set(keys)
        found: dict[str, np.ndarray] = {key: row for key, row in known or () if key in wanted}
        unique = sorted(wanted - found.keys())
        try:
            for start in range(0, len(unique), 2000):
                got = collection.get(ids=unique[start : start + 2000], include=["embeddings"])
                found.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32)))
        except Exception as exc:
            raise chroma_failed(self.settings, exc) from exc
        missing = wanted - found.keys()
        if missing:
            raise LecturerError(missing_message, f"{len(missing)} vectors missing from {collection.name}, e.g. {sorted(missing)[:3]}")
        return np.stack([found[k] for k in keys])

    # Writing ---------------------------------------------------------------------------

    def sync(
        self, items: list[Item], progress: bool = False, lexicon: Lexicon | None = None, on_progress: Progress | None = None
    ) -> SyncReport:
        """Make both indexes describe exactly `items` (approved ones), embedding only new chunks;
        the lexicon (how workers word things) is committed with them. `on_progress(stage, done, total)`
        hears each embedded batch ("chunks" then "units")."""
        try:
            with writer_lock(self.settings):
                return self._sync(items, progress, lexicon, on_progress or (lambda *_: None))
        except LecturerError:
            raise
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise Unavailable("磁盘已满：索引写不进去，现有索引未改动。请清理磁盘空间后重新导入。", repr(exc)) from exc
            raise Unavailable("写入索引失败（数据目录只读？），现有索引未改动。请检查权限后重新导入。", repr(exc)) from exc
        except Exception as exc:  # chromadb's own errors
            raise chroma_failed(self.settings, exc) from exc

    def _sync(self, items: list[Item], progress: bool, lexicon: Lexicon | None, on_progress: Progress) -> SyncReport:
        started = time.monotonic()
        # What another writer committed since this store was opened is the starting point.
        committed = self._committed()
        old = (committed or {}).get("items", {})
        new_items = {i.id: i for i in items if i.status == "approved"}
        chunks = {i_id: chunk_item(item, self.settings) for i_id, item in new_items.items()}
        existing = set(self.vectors._collection.get(include=[])["ids"])
        missing = [d for docs in chunks.values() for d in docs if d.id not in existing]
        self._embed(missing, progress, on_progress)
        units = {i_id: [(unit_key(h, t), h, t) for h, t in answer_units(item)] for i_id, item in new_items.items()}
        unit_keys = {key for us in units.values() for key, _, _ in us}
        have = set(self.sentences.get(include=[])["ids"])
        todo = {key: unit_text(h, t) for us in units.values() for key, h, t in us if key not in have}
        self._embed_units(todo, progress, on_progress)
        asked = asked_of(new_items, units, Reader(lexicon or Lexicon(), new_items.values()))
        self._embed_asked({key: text for rows in asked.values() for key, _, _, _, text in rows if key not in have})
        unit_keys |= {row[0] for rows in asked.values() for row in rows}
        generation = max((committed or {}).get("generation", 0), self.current.generation) + 1
        manifest = self._manifest(new_items, chunks, units, asdict(lexicon or Lexicon()), generation, asked)
        old_hashes = (committed or {}).get("hashes", {})
        hashes = manifest["hashes"]
        changed = (
            not committed
            or manifest["chunks"].keys() != committed["chunks"].keys()
            or json.loads(json.dumps(manifest["units"])) != committed.get("units")
            or json.loads(json.dumps(manifest["lexicon"])) != committed.get("lexicon")
            or json.loads(json.dumps(manifest["asked"])) != committed.get("asked")
        )
        if changed:
            self.manifests.commit(manifest)
        stale = existing - set(manifest["chunks"])
        if stale:
            self.vectors.delete(ids=sorted(stale))
        stale_units = have - unit_keys
        if stale_units:
            self.sentences.delete(ids=sorted(stale_units))
        # The snapshot of what is now committed, from the manifest in hand (no second read of it).
        self.current = self._open(manifest if changed else committed)
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

    def _manifest(
        self, items: dict[str, Item], chunks: dict, units: dict, lexicon: dict, generation: int, asked: dict
    ) -> dict:
        tokenizer = Tokenizer(user_words(items.values()))
        return {
            "format": FORMAT,
            "embedding": self.identity,
            "generation": generation,
            "items": {k: asdict(v) for k, v in items.items()},
            "hashes": {k: docs[0].metadata["item_hash"] for k, docs in chunks.items()},
            "units": units,
            "asked": asked,
            "lexicon": lexicon,
            "chunks": {
                d.id: {"text": d.page_content, "metadata": d.metadata, "tokens": tokenizer(d.page_content)}
                for docs in chunks.values()
                for d in docs
            },
        }

    def preview(self, items: list[Item]) -> Snapshot:
        """The current snapshot with `items` added, or put in place of their earlier versions, as if
        approved, and never committed: how a trainer's draft would answer. Their chunks and units are
        embedded under their content ids; readers never see them (the next ingest removes them)."""
        try:
            base = self.snapshot()
            changed = {i.id: replace(i, status="approved") for i in items}
            every = {**base.items, **changed}
            chunks = {i_id: base.chunks_of[i_id] if i_id not in changed else chunk_item(item, self.settings)
                      for i_id, item in every.items()}
            fresh = [d for i_id in changed for d in chunks[i_id]]
            have = set(self.vectors._collection.get(ids=[d.id for d in fresh], include=[])["ids"]) if fresh else set()
            self._embed([d for d in fresh if d.id not in have], False, lambda *_: None)
            units = {i_id: [(unit_key(h, t), h, t) for h, t in answer_units(item)] for i_id, item in every.items()}
            keys = [key for i_id in changed for key, _, _ in units[i_id]]
            known = set(self.sentences.get(ids=keys, include=[])["ids"]) if keys else set()
            todo = {key: unit_text(h, t) for i_id in changed for key, h, t in units[i_id] if key not in known}
            self._embed_units(todo, False, lambda *_: None)
            asked = asked_of(every, units, Reader(Lexicon.from_dict(base.lexicon), every.values()))
            questions = {key: text for i_id in changed for key, _, _, _, text in asked.get(i_id, [])}
            known = set(self.sentences.get(ids=sorted(questions), include=[])["ids"]) if questions else set()
            self._embed_asked({k: q for k, q in questions.items() if k not in known})
            manifest = self._manifest(every, chunks, units, base.lexicon, base.generation, asked)
            return self._open(manifest, base)
        except LecturerError:
            raise
        except Exception as exc:
            raise chroma_failed(self.settings, exc) from exc

    def _embed(self, docs: list[Document], progress: bool, on_progress: Progress) -> None:
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
                on_progress("chunks", start + len(part), len(docs))

    def _embed_units(self, todo: dict[str, str], progress: bool, on_progress: Progress) -> None:
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
                on_progress("units", start + len(part), len(keys))


    def _embed_asked(self, todo: dict[str, str]) -> None:
        """Embed 「常见问法」 as questions (a worker's question is compared with them, not with passages)."""
        keys = sorted(todo)
        for start in range(0, len(keys), self.settings.embed_batch_size):
            part = keys[start : start + self.settings.embed_batch_size]
            vectors = [self.embeddings.embed_query(todo[k]) for k in part]
            self.sentences.add(ids=part, embeddings=vectors, documents=[todo[k] for k in part])


def asked_of(items: dict[str, Item], units: dict[str, list], reader: Reader) -> dict[str, list]:
    """Per item with 「常见问法」: [key, question, index of the answering unit among its units or -1,
    what it asks, the text embedded]. A question is embedded as the lecturer reads a worker's (spoken
    words replaced, the corpus's terms added), so both sides are compared in the same words."""
    out = {}
    for i_id, item in items.items():
        rows = []
        for question, row in asked_rows(item, [(h, t) for _, h, t in units[i_id]]):
            read = reader.read(question)
            rows.append([asked_key(read.query), question, row, read.asks, read.query])
        if rows:
            out[i_id] = rows
    return out


def chroma_failed(settings: Settings, exc: Exception) -> LecturerError:
    """Chroma's own error, as what the operator can do about it."""
    if settings.chroma_host:
        return Unavailable(
            f"无法访问向量数据库服务 {settings.chroma_host}:{settings.chroma_port}，请确认 Chroma 服务在运行；恢复后会自动重连。",
            f"chroma server: {exc!r}",
        )
    text = str(exc).lower()
    if "disk is full" in text or "no space left" in text or getattr(exc, "errno", None) == errno.ENOSPC:
        return Unavailable("磁盘已满：向量库写不进去，现有索引未改动。请清理磁盘空间后重新导入。", f"embedded chroma: {exc!r}")
    if "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        return Unavailable("数据目录只读：向量库无法打开。请检查数据目录的权限。", f"embedded chroma: {exc!r}")
    return Unavailable(
        "向量库文件无法读取（可能已损坏）。请运行 python ingest.py --rebuild 重建索引（教材文件不受影响）。",
        f"embedded chroma: {exc!r}",
    )


def drop_index(settings: Settings) -> None:
    """Forget the whole index (both stores and the manifests), e.g. to change the embedding model or
    to recover from a damaged Chroma directory; refused, with nothing touched, while an ingest holds
    the lock."""
    try:
        settings.index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LecturerError(f"无法创建数据目录 {settings.index_dir}，请检查权限和磁盘空间。", repr(exc)) from exc
    with writer_lock(settings):
        try:
            client = make_client(settings)
            names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
            for name in (SENTENCES, MANIFESTS, "{collection}"):
                if name.format(collection=settings.collection) in names:
                    client.delete_collection(name.format(collection=settings.collection))
        except LecturerError:
            raise
        except Exception as exc:
            if settings.chroma_host:
                raise chroma_failed(settings, exc) from exc
            # A damaged embedded directory cannot always be opened: it is removed whole.
            log.warning("chroma directory unreadable, removing it: %r", exc)
            forget_embedded(settings.index_dir / "chroma")
        FileManifests(settings.index_dir).clear()


def forget_embedded(path: Path) -> None:
    """Remove an embedded Chroma directory and the client this process keeps open on it."""
    from chromadb.api.shared_system_client import SharedSystemClient

    system = SharedSystemClient._identifier_to_system.pop(str(path), None)
    SharedSystemClient._identifier_to_refcount.pop(str(path), None)
    if system is not None:
        try:
            system.stop()
        except Exception as exc:
            log.warning("closing the damaged chroma client: %r", exc)
    shutil.rmtree(path, ignore_errors=True)


WRITER_LOCK = 7_262_002  # the PostgreSQL advisory lock replicas' writers take (any fixed number)


@contextmanager
def writer_lock(settings: Settings) -> Iterator[None]:
    """The one writer across every process that shares the index: the data directory's file lock,
    and, where replicas share a Chroma server and a PostgreSQL, an advisory lock there too, so that
    two machines never ingest at once."""
    with ingest_lock(settings.index_dir):
        url = settings.state_target
        if not (settings.chroma_host and isinstance(url, str)):
            yield
            return
        try:
            import psycopg

            conn = psycopg.connect(url, autocommit=True, connect_timeout=5)
        except Exception as exc:  # psycopg missing or the database down
            raise Unavailable("无法连接状态数据库，不能确认没有别的副本正在导入，现有索引未改动。", repr(exc)) from exc
        with conn:
            if not conn.execute("SELECT pg_try_advisory_lock(%s)", (WRITER_LOCK,)).fetchone()[0]:
                raise LecturerError("另一个导入正在进行（在另一台服务器上），请等它结束后再试", "writer advisory lock held")
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (WRITER_LOCK,))


@contextmanager
def ingest_lock(index_dir: Path) -> Iterator[None]:
    """The one writer: an ingest or a rebuild holds this, a second one is refused at once."""
    try:
        handle = open(index_dir / ".lock", "a")
    except OSError as exc:
        raise Unavailable(f"无法写入数据目录 {index_dir}（只读或磁盘已满？），现有索引未改动。", repr(exc)) from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise LecturerError("另一个导入正在进行，请等它结束后再试", "ingest lock held") from exc
        yield
