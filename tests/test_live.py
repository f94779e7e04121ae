"""The live index: a running app answers from each new commit without a restart, and while it serves
an embedded index it is the one writer (ingest.py hands its job over)."""

import os
import subprocess
import sys
import time

import httpx
import pytest

from bot.chat.answer import answer
from bot.chat.retrieve import HybridRetriever
from bot.index.corpus import load_corpus
from bot.index.store import Store
from bot.state import State
from conftest import ROOT, free_port, unique, wait_for_port

KEY = "live-key"
WELDER = "李建国是怎么练仰焊的？"


def retire(corpus, item_id: str) -> None:
    path = corpus / f"{item_id}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("status: approved", "status: retired"), encoding="utf-8")


def cited(body: dict) -> set[str]:
    return {c["id"] for c in body["citations"]}


def test_a_reader_swaps_to_a_new_commit_and_a_question_keeps_its_snapshot(small_settings, embeddings):
    """Two stores on one index as two parts of one process would hold them: the reader sees the
    writer's commit within its refresh interval, and a retriever pinned before it keeps the old one."""
    settings = small_settings.model_copy(update={"index_refresh_seconds": 0})
    writer = Store(settings, embeddings)
    writer.sync(load_corpus(settings.corpus_dir).items)
    reader = HybridRetriever(store=writer, settings=settings)
    pinned = reader.pinned()
    assert "story-test-welder" in {c.id for c in answer(WELDER, retriever=reader).citations}
    retire(settings.corpus_dir, "story-test-welder")
    writer.sync(load_corpus(settings.corpus_dir).items)
    assert "story-test-welder" not in writer.snapshot().items
    assert "story-test-welder" not in {c.id for c in answer(WELDER, retriever=reader).citations}
    assert "story-test-welder" in pinned.store.items, "a pinned snapshot never changes under a question"
    assert pinned.store.generation < reader.store.snapshot().generation


@pytest.fixture
def app(small_settings, embeddings):
    """`python app.py` on an ingested copy of the small corpus, as an operator runs it."""
    Store(small_settings, embeddings).sync(load_corpus(small_settings.corpus_dir).items)
    port = free_port()
    env = {
        **os.environ, "LECTURER_DATA_DIR": str(small_settings.data_dir), "LECTURER_CORPUS_DIR": str(small_settings.corpus_dir),
        "LECTURER_PORT": str(port), "LECTURER_API_KEYS": KEY,
    }
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, proc, 120)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {KEY}"}, timeout=60) as client:
            yield client, env
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_retire_while_the_app_serves_and_the_next_answer_no_longer_cites_it(app, small_settings):
    client, env = app
    before = client.get("/healthz").json()
    assert "story-test-welder" in cited(client.post("/api/ask", json={"question": WELDER}).json())
    retire(small_settings.corpus_dir, "story-test-welder")
    done = subprocess.run([sys.executable, "ingest.py", "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "由应用在后台导入" in done.stderr and "删除 1 条" in done.stdout
    assert "story-test-welder" not in cited(client.post("/api/ask", json={"question": WELDER}).json())
    after = client.get("/healthz").json()
    assert after["generation"] == before["generation"] + 1 and after["items"] == before["items"] - 1

    # Rebuilding under a running app is refused with nothing touched; a second app on the directory too.
    rebuild = subprocess.run([sys.executable, "ingest.py", "--rebuild"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert rebuild.returncode == 2 and "请先停止应用" in rebuild.stderr
    second = subprocess.run(
        [sys.executable, "app.py"], cwd=ROOT, env={**env, "LECTURER_PORT": str(free_port())},
        capture_output=True, text=True, timeout=120,
    )
    assert second.returncode == 2 and "只能由一个进程打开" in second.stderr and "Traceback" not in second.stderr
    assert client.get("/healthz").json()["generation"] == after["generation"]


def test_a_bad_corpus_handed_to_the_app_changes_nothing(app, small_settings):
    client, env = app
    before = client.get("/healthz").json()
    bad = small_settings.corpus_dir / "story-test-welder.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("kind: story", "kind: 故事"), encoding="utf-8")
    done = subprocess.run([sys.executable, "ingest.py", "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "现有索引未改动" in done.stderr  # checked here, before anything is handed over
    time.sleep(0.2)
    assert client.get("/healthz").json()["generation"] == before["generation"]
    assert "story-test-welder" in cited(client.post("/api/ask", json={"question": WELDER}).json())


def start_app(env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "app.py"], cwd=ROOT, env={**env, "LECTURER_PORT": str(port)},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    return proc, f"http://127.0.0.1:{port}"


def test_two_replicas_on_one_chroma_server_answer_as_one_and_swap_together(tmp_path, small_corpus, chroma_server, postgres_url):
    """Two `app.py` processes with their own data directories share one Chroma server and one
    PostgreSQL: the manifest lives in the server, an ingest from a third directory reaches both
    within seconds, and what workers rate on either lands in one database."""
    env = {
        **os.environ, "LECTURER_CORPUS_DIR": str(small_corpus), "LECTURER_CHROMA_HOST": "127.0.0.1",
        "LECTURER_STATE_URL": postgres_url,
        "LECTURER_CHROMA_PORT": str(chroma_server), "LECTURER_COLLECTION": unique("replicas"), "LECTURER_API_KEYS": KEY,
    }
    ingest = [sys.executable, "ingest.py", "--quiet"]
    first = subprocess.run(ingest, cwd=ROOT, env={**env, "LECTURER_DATA_DIR": str(tmp_path / "c")}, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    clients: list[httpx.Client] = []
    replicas = [start_app({**env, "LECTURER_DATA_DIR": str(tmp_path / name)}) for name in ("a", "b")]
    try:
        for proc, url in replicas:
            wait_for_port(int(url.rsplit(":", 1)[1]), proc, 120)
            clients.append(httpx.Client(base_url=url, headers={"Authorization": f"Bearer {KEY}"}, timeout=60))
        answers = [c.post("/api/ask", json={"question": WELDER}).json() for c in clients]
        assert answers[0] == answers[1] and "story-test-welder" in cited(answers[0])
        generation = clients[0].get("/healthz").json()["generation"]
        for n, client in enumerate(clients):
            rated = {"question": WELDER, "answer": answers[n]["answer"], "rating": "up", "items": ["story-test-welder"]}
            assert client.post("/api/feedback", json=rated).status_code == 201
        assert len(State(postgres_url).feedback()) == 2
        assert {r["channel"] for r in State(postgres_url).questions()} == {"api"} and len(State(postgres_url).questions()) == 2

        retire(small_corpus, "story-test-welder")
        again = subprocess.run(ingest, cwd=ROOT, env={**env, "LECTURER_DATA_DIR": str(tmp_path / "c")}, capture_output=True, text=True)
        assert again.returncode == 0 and "删除 1 条" in again.stdout, again.stderr
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(c.get("/healthz").json()["generation"] == generation for c in clients):
            time.sleep(0.2)
        assert [c.get("/healthz").json()["generation"] for c in clients] == [generation + 1] * 2
        answers = [c.post("/api/ask", json={"question": WELDER}).json() for c in clients]
        assert answers[0] == answers[1] and "story-test-welder" not in cited(answers[0])
    finally:
        for client in clients:
            client.close()
        for proc, _ in replicas:
            proc.terminate()
            proc.wait(timeout=30)


def test_replicas_never_ingest_at_once(tmp_path, small_corpus, chroma_server, postgres_url):
    """Two machines share a Chroma server and PostgreSQL: while one holds the writers' advisory lock,
    an ingest elsewhere is refused with nothing touched, and goes through once the lock is free."""
    import psycopg

    from bot.index.store import WRITER_LOCK

    env = {
        **os.environ, "LECTURER_CORPUS_DIR": str(small_corpus), "LECTURER_CHROMA_HOST": "127.0.0.1",
        "LECTURER_CHROMA_PORT": str(chroma_server), "LECTURER_COLLECTION": unique("writers"),
        "LECTURER_STATE_URL": postgres_url, "LECTURER_DATA_DIR": str(tmp_path / "data"),
    }
    ingest = [sys.executable, "ingest.py", "--quiet"]
    with psycopg.connect(postgres_url, autocommit=True) as other_machine:
        assert other_machine.execute("SELECT pg_try_advisory_lock(%s)", (WRITER_LOCK,)).fetchone()[0]
        refused = subprocess.run(ingest, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert refused.returncode == 2 and "另一台服务器" in refused.stderr and "Traceback" not in refused.stderr
        other_machine.execute("SELECT pg_advisory_unlock(%s)", (WRITER_LOCK,))
    done = subprocess.run(ingest, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "新增 3 条" in done.stdout, done.stderr
