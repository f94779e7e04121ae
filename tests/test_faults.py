"""Faults as an operator meets them: each gives a clear Chinese message (no traceback) and loses nothing."""

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bot.index.store import FORMAT
from conftest import ROOT, SMALL_CORPUS, free_port, unique, wait_for_port

WELDER = "李建国是怎么练仰焊的？"


def run(*args: str, data: Path, corpus: Path = SMALL_CORPUS, env: dict | None = None) -> subprocess.CompletedProcess:
    """A command of the project as an operator types it."""
    full = {**os.environ, "LECTURER_DATA_DIR": str(data), "LECTURER_CORPUS_DIR": str(corpus), **(env or {})}
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=full, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


def ask(data: Path, **kwargs) -> subprocess.CompletedProcess:
    return run("-m", "bot", "ask", WELDER, "--json", data=data, **kwargs)


def cites_welder(done: subprocess.CompletedProcess) -> bool:
    return done.returncode == 0 and "story-test-welder" in {c["id"] for c in json.loads(done.stdout)["citations"]}


@contextlib.contextmanager
def mounted(*command: str, target: Path):
    """A real mount over `target` (read-only bind, or a tiny tmpfs); skipped where mounting is not allowed."""
    if os.geteuid() != 0 or subprocess.run(list(command), capture_output=True).returncode != 0:
        pytest.skip("mounting needs root with CAP_SYS_ADMIN")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


@pytest.fixture
def data(tmp_path) -> Path:
    """An ingested index of the small corpus."""
    data = tmp_path / "data"
    assert run("ingest.py", "--quiet", data=data).returncode == 0
    return data


def test_a_read_only_data_directory(data):
    with mounted("sh", "-c", f"mount --bind {data} {data} && mount -o remount,ro,bind {data}", target=data):
        for done in (ask(data), run("-m", "bot", "lesson", "--team", "焊接一班", "--industry", "机械制造", data=data),
                     run("ingest.py", "--quiet", data=data)):
            assert done.returncode == 2 and "只读" in done.stderr
        port = free_port()
        app = run("app.py", data=data, env={"LECTURER_PORT": str(port)})
        assert app.returncode == 2 and "只读" in app.stderr
    assert cites_welder(ask(data)), "nothing was lost"


def test_a_full_disk_during_an_ingest_keeps_the_old_index(tmp_path, small_corpus):
    data = tmp_path / "data"
    data.mkdir()
    with mounted("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(data), target=data):
        assert run("ingest.py", "--quiet", data=data, corpus=small_corpus).returncode == 0
        filler = data / "filler"
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k", "count=1000"], capture_output=True)
        welder = small_corpus / "story-test-welder.md"
        welder.write_text(welder.read_text(encoding="utf-8").replace("十年下来", "十二年下来"), encoding="utf-8")
        full = run("ingest.py", "--quiet", data=data, corpus=small_corpus)
        assert full.returncode == 2 and "磁盘已满" in full.stderr and "现有索引未改动" in full.stderr
        filler.unlink()
        assert cites_welder(ask(data, corpus=small_corpus)), "the old index still answers"
        again = run("ingest.py", "--quiet", data=data, corpus=small_corpus)
        assert again.returncode == 0 and "更新 1 条" in again.stdout
        assert "十二年下来" in ask(data, corpus=small_corpus).stdout or cites_welder(ask(data, corpus=small_corpus))


def test_a_corrupt_chroma_file_is_named_and_rebuild_recovers(data):
    (data / "index" / "chroma" / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    broken = ask(data)
    assert broken.returncode == 2 and "--rebuild" in broken.stderr
    assert run("ingest.py", "--quiet", data=data).returncode == 2
    rebuilt = run("ingest.py", "--rebuild", "--quiet", data=data)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert cites_welder(ask(data))


@pytest.mark.parametrize("manifest", [f'{{"format": {FORMAT}}}', "{not json", '["a list"]', f'{{"format": {FORMAT}, "embedding": "x"}}'])
def test_a_malformed_manifest_is_named_and_ingest_repairs_it(data, manifest):
    current = data / "index" / (data / "index" / "CURRENT").read_text().strip()
    current.write_text(manifest)
    broken = ask(data)
    assert broken.returncode == 2 and "索引清单" in broken.stderr and "ingest.py" in broken.stderr
    repaired = run("ingest.py", "--quiet", data=data)
    assert repaired.returncode == 0 and "嵌入 0 个文本块" in repaired.stdout, "every vector reused"
    assert cites_welder(ask(data))


def test_chroma_server_down_then_back(tmp_path, small_corpus):
    """A replica whose Chroma server goes away goes on answering from the snapshot it holds (health says
    the store is unreachable), and reports ok again when the server is back."""
    chroma, port = str(Path(sys.executable).parent / "chroma"), free_port()
    start = [chroma, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": {**os.environ, "ANONYMIZED_TELEMETRY": "False"}}
    server = subprocess.Popen(start, **quiet)
    wait_for_port(port, server, 60)
    env = {"LECTURER_CHROMA_HOST": "127.0.0.1", "LECTURER_CHROMA_PORT": str(port), "LECTURER_COLLECTION": unique("down"),
           "LECTURER_API_KEYS": "k"}
    assert run("ingest.py", "--quiet", data=tmp_path / "data", corpus=small_corpus, env=env).returncode == 0
    app_port = free_port()
    full = {**os.environ, **env, "LECTURER_DATA_DIR": str(tmp_path / "data"), "LECTURER_CORPUS_DIR": str(small_corpus),
            "LECTURER_PORT": str(app_port)}
    app = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=full, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for_port(app_port, app, 120)
        client = httpx.Client(base_url=f"http://127.0.0.1:{app_port}", headers={"Authorization": "Bearer k"}, timeout=60)
        assert client.post("/api/ask", json={"question": WELDER}).status_code == 200
        server.terminate()
        server.wait(timeout=20)
        time.sleep(1.5)  # past the snapshot's refresh interval: the next question asks the store
        down = client.post("/api/ask", json={"question": WELDER})
        assert down.status_code == 200 and "story-test-welder" in {c["id"] for c in down.json()["citations"]}
        health = client.get("/healthz")
        assert health.status_code == 200 and health.json()["status"] == "degraded" and "向量数据库" in health.json()["store"]
        server = subprocess.Popen(start, **quiet)
        wait_for_port(port, server, 60)
        deadline = time.monotonic() + 20
        while client.get("/healthz").json()["status"] != "ok" and time.monotonic() < deadline:
            time.sleep(0.5)
        assert client.get("/healthz").json()["status"] == "ok"
    finally:
        app.terminate()
        app.wait(timeout=30)
        server.terminate()
        server.wait(timeout=20)


def test_postgresql_down_is_a_503_with_a_message(tmp_path, small_retriever):
    from bot.web.app import Background, create_app
    from bot.web.services import build_services

    settings = small_retriever.settings.model_copy(
        update={"api_keys": "k", "data_dir": tmp_path / "data", "state_url": "postgresql://postgres@127.0.0.1:1/postgres"}
    )
    with Background(create_app(build_services(settings, retriever=small_retriever)), free_port()) as url:
        client = httpx.Client(base_url=url, headers={"Authorization": "Bearer k"}, timeout=60)
        rated = client.post("/api/feedback", json={"question": "q", "answer": "a", "rating": "up"})
        assert rated.status_code == 503 and "状态数据库" in rated.json()["error"]["message"]
        assert client.post("/api/ask", json={"question": WELDER}).status_code == 200, "answers go on without the log"
