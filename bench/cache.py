"""Embeddings cached on disk, so a benchmark rerun embeds nothing it has embedded before."""

import hashlib
import sqlite3
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings


class CachedEmbeddings(Embeddings):
    """Wraps a model; vectors are stored in SQLite, keyed by model identity, role and text hash."""

    def __init__(self, inner: Embeddings, identity: str, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.inner = inner
        self.identity = identity
        self.db = sqlite3.connect(directory / "embeddings.sqlite")
        self.db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        self.misses = 0

    def _key(self, role: str, text: str) -> str:
        return hashlib.sha256(f"{self.identity}\0{role}\0{text}".encode()).hexdigest()

    def _cached(self, role: str, texts: list[str], embed) -> list[list[float]]:
        keys = [self._key(role, t) for t in texts]
        found: dict[str, list[float]] = {}
        for start in range(0, len(keys), 500):  # SQLite caps the number of bound parameters
            part = keys[start : start + 500]
            rows = self.db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(part))})", part)
            found.update((k, np.frombuffer(v, dtype=np.float32).tolist()) for k, v in rows)
        todo = [i for i, k in enumerate(keys) if k not in found]
        if todo:
            self.misses += len(todo)
            vectors = embed([texts[i] for i in todo])
            rows = [(keys[i], np.asarray(v, dtype=np.float32).tobytes()) for i, v in zip(todo, vectors)]
            self.db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
            self.db.commit()
            found.update((keys[i], list(v)) for i, v in zip(todo, vectors))
        return [found[k] for k in keys]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._cached("passage", texts, self.inner.embed_documents)

    def embed_query(self, text: str) -> list[float]:
        return self._cached("query", [text], lambda t: [self.inner.embed_query(t[0])])[0]
