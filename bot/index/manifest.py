"""Where the committed manifest lives: files beside an embedded Chroma, or a collection of the Chroma
server itself, so that every replica reads the same commit.

A manifest names one generation of the index (items, chunks, units, lexicon). Committing is one
atomic step in both homes: the manifest is written in full first, then a small pointer names it.
Readers ask for the pointer's generation (cheap) and read the manifest only when it has changed.
"""

import json
import logging
import os
from pathlib import Path
from typing import Protocol

from bot.errors import LecturerError

log = logging.getLogger(__name__)

CURRENT = "CURRENT"
MANIFESTS = "{collection}-manifest"  # the server-mode home: a pointer record and the manifest in parts
POINTER = "current"
PART_CHARS = 1_000_000  # one record's document; a manifest of 100k chunks takes a few hundred parts


class Manifests(Protocol):
    """The home of the committed manifest."""

    def generation(self) -> int:
        """The committed generation (0: nothing committed); cheap enough to ask every second."""

    def read(self) -> dict | None:
        """The committed manifest, or None."""

    def commit(self, manifest: dict) -> None:
        """Make `manifest` (with its `generation`) the committed one, atomically."""

    def clear(self) -> None:
        """Forget every manifest (a rebuild)."""


def corrupt(where: str, exc: Exception) -> LecturerError:
    return LecturerError("索引清单已损坏，请运行 python ingest.py 修复（已嵌入的向量会被重用）。", f"{where}: {exc!r}")


class FileManifests:
    """`CURRENT` names `manifest-N.json` in the index directory (embedded Chroma)."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory

    def _current(self) -> str:
        try:
            return (self.dir / CURRENT).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return ""
        except (OSError, UnicodeDecodeError) as exc:
            raise corrupt(CURRENT, exc) from exc

    def generation(self) -> int:
        name = self._current()
        if not name:
            return 0
        try:
            return int(name.removeprefix("manifest-").removesuffix(".json"))
        except ValueError as exc:
            raise corrupt(CURRENT, exc) from exc

    def read(self) -> dict | None:
        name = self._current()
        if not name:
            return None
        try:
            manifest = json.loads((self.dir / name).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise corrupt(name, exc) from exc
        if not isinstance(manifest, dict):
            raise corrupt(name, TypeError(type(manifest).__name__))
        return manifest

    def commit(self, manifest: dict) -> None:
        name = f"manifest-{manifest['generation']}.json"
        atomic_write(self.dir / name, json.dumps(manifest, ensure_ascii=False))
        atomic_write(self.dir / CURRENT, name)
        for path in self.dir.glob("manifest-*.json"):
            if path.name != name:
                path.unlink(missing_ok=True)

    def clear(self) -> None:
        for name in [CURRENT, *(p.name for p in self.dir.glob("manifest-*.json"))]:
            (self.dir / name).unlink(missing_ok=True)


class ChromaManifests:
    """The manifest in a collection of the (shared) Chroma server: parts `N:k`, then the pointer record
    `current` with the generation and the number of parts in its metadata."""

    def __init__(self, client, collection: str) -> None:
        self.name = MANIFESTS.format(collection=collection)
        self.records = client.get_or_create_collection(self.name, embedding_function=None)

    def _pointer(self) -> dict:
        got = self.records.get(ids=[POINTER], include=["metadatas"])
        return (got["metadatas"] or [None])[0] or {}

    def generation(self) -> int:
        return int(self._pointer().get("generation", 0))

    def read(self) -> dict | None:
        pointer = self._pointer()
        generation, parts = int(pointer.get("generation", 0)), int(pointer.get("parts", 0))
        if not generation:
            return None
        ids = [f"{generation}:{k}" for k in range(parts)]
        got = self.records.get(ids=ids, include=["documents"])
        text = dict(zip(got["ids"], got["documents"]))
        try:
            return json.loads("".join(text[i] for i in ids))
        except (KeyError, ValueError) as exc:
            raise corrupt(f"{self.name} generation {generation}", exc) from exc

    def commit(self, manifest: dict) -> None:
        text = json.dumps(manifest, ensure_ascii=False)
        generation = manifest["generation"]
        parts = [text[i : i + PART_CHARS] for i in range(0, len(text), PART_CHARS)] or [""]
        ids = [f"{generation}:{k}" for k in range(len(parts))]
        for start in range(0, len(parts), 4):  # a few MB per request
            self.records.upsert(
                ids=ids[start : start + 4], documents=parts[start : start + 4], embeddings=[[1.0]] * len(parts[start : start + 4])
            )
        self.records.upsert(
            ids=[POINTER], documents=[str(generation)], embeddings=[[1.0]],
            metadatas=[{"generation": generation, "parts": len(parts)}],
        )
        old = [i for i in self.records.get(include=[])["ids"] if i != POINTER and not i.startswith(f"{generation}:")]
        if old:
            self.records.delete(ids=old)

    def clear(self) -> None:
        ids = self.records.get(include=[])["ids"]
        if ids:
            self.records.delete(ids=ids)


def atomic_write(path: Path, text: str) -> None:
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
