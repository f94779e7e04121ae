"""Ingest into real Chroma + BM25: incremental, crash-safe, model-checked, embedded or server."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys

import pytest

from bot.errors import LecturerError
from bot.index.corpus import load_corpus
from bot.index.manifest import FileManifests
from bot.index.store import Store
from conftest import ROOT, make_settings, unique


def sync(settings, embeddings):
    store = Store(settings, embeddings)
    return store, store.sync(load_corpus(settings.corpus_dir).items)


def chroma_ids(store: Store) -> list[str]:
    return store.vectors._collection.get(include=[])["ids"]


def assert_in_step(store: Store) -> None:
    """Chroma, the manifest and the BM25 index describe the same chunks, with no duplicates."""
    ids = chroma_ids(store)
    assert len(ids) == len(set(ids))
    assert set(ids) == {d.id for d in store.docs}
    assert store.lexical_index.size == len(store.docs)
    for item_id in store.items:
        n = [d for d in store.docs if d.metadata["item_id"] == item_id]
        assert len(n) == n[0].metadata["n_chunks"], item_id


def test_first_ingest_then_unchanged_embeds_nothing(small_settings, embeddings):
    store, first = sync(small_settings, embeddings)
    assert first.added == ("course-test-safety", "story-test-driver", "story-test-welder")  # the draft stays out
    assert first.chunks_embedded == first.chunks_total > 3
    assert_in_step(store)
    store, again = sync(small_settings, embeddings)
    assert again.chunks_embedded == 0 and len(again.unchanged) == 3 and not (again.added or again.updated or again.removed)
    assert_in_step(store)


def test_asked_questions_are_committed_with_the_unit_that_answers_them(small_settings, embeddings):
    welder = small_settings.corpus_dir / "story-test-welder.md"
    pinned = "asked:\n  - 李师傅练了多久｜十年下来，他焊过的试板堆满了半间仓库\n  - 李师傅现在还焊不焊\n"
    welder.write_text(welder.read_text(encoding="utf-8").replace("status: approved\n", f"status: approved\n{pinned}"), encoding="utf-8")
    store, report = sync(small_settings, embeddings)
    first, second = store.asked
    assert first.item_id == "story-test-welder" and first.unit is not None and "半间仓库" in first.unit.text
    assert second.unit is None and first.asks == "number"
    near = store.asked_near("李师傅练了多久")
    assert near[0][0] is first and near[0][1] > 0.99
    keys = set(store.sentences.get(include=[])["ids"])
    assert set(store.unit_keys) == keys  # every vector in memory is in Chroma, and nothing else is
    welder.write_text(welder.read_text(encoding="utf-8").replace(pinned, ""), encoding="utf-8")
    store, report = sync(small_settings, embeddings)
    assert report.updated == ("story-test-welder",) and store.asked == []
    assert set(store.unit_keys) == set(store.sentences.get(include=[])["ids"])  # the bank's vectors are gone


def test_edit_delete_and_retire(small_settings, embeddings):
    corpus = small_settings.corpus_dir
    store, _ = sync(small_settings, embeddings)
    welder = corpus / "story-test-welder.md"
    welder.write_text(welder.read_text(encoding="utf-8").replace("十年下来", "十二年下来"), encoding="utf-8")
    store, report = sync(small_settings, embeddings)
    assert report.updated == ("story-test-welder",) and len(report.unchanged) == 2
    assert report.chunks_embedded == sum(1 for d in store.docs if d.metadata["item_id"] == "story-test-welder")
    assert any("十二年下来" in d.page_content for d in store.docs)
    assert not any("十年下来" in d.page_content and "十二年" not in d.page_content for d in store.docs)
    assert_in_step(store)

    (corpus / "course-test-safety.md").unlink()
    driver = corpus / "story-test-driver.md"
    driver.write_text(driver.read_text(encoding="utf-8").replace("status: approved", "status: retired"), encoding="utf-8")
    store, report = sync(small_settings, embeddings)
    assert report.removed == ("course-test-safety", "story-test-driver") and report.chunks_embedded == 0
    assert set(store.items) == {"story-test-welder"}
    assert store.lexical("焊机外壳接地", 5) == [] or all(d.metadata["item_id"] == "story-test-welder" for d, _ in store.lexical("焊机外壳接地", 5))
    assert all(d.metadata["item_id"] == "story-test-welder" for d, _ in store.dense("公交司机例检", 5))
    assert_in_step(store)


def test_dense_search_is_exact_over_the_committed_chunks(small_settings, embeddings):
    """Every committed chunk, ranked by its cosine to the question as Chroma stores its vector: no
    approximate index decides what a question can find (filters included)."""
    import numpy as np

    store, _ = sync(small_settings, embeddings)
    got = store.vectors._collection.get(include=["embeddings"])
    stored = dict(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32)))
    question = "焊接前要清理什么"
    vector = np.asarray(embeddings.embed_query(question), dtype=np.float32)
    every = sorted(((float(stored[d.id] @ vector), d.id) for d in store.docs), reverse=True)
    found = store.dense(question, len(store.docs) + 5)
    assert [d.id for d, _ in found] and {d.id for d, _ in found} == {d.id for d in store.docs}
    assert np.allclose([c for _, c in found], [c for c, _ in every], atol=1e-5)  # the same ranking, ties aside
    driver = store.dense(question, 3, {"story-test-driver"})
    assert driver and all(d.metadata["item_id"] == "story-test-driver" for d, _ in driver)
    assert store.dense(question, 3, set()) == [] and store.dense(question, 3, {"no-such-item"}) == []


def test_interrupted_ingest_keeps_old_answers_and_next_run_heals(small_settings, embeddings, monkeypatch):
    store, clean = sync(small_settings, embeddings)
    welder = small_settings.corpus_dir / "story-test-welder.md"
    welder.write_text(welder.read_text(encoding="utf-8").replace("仰焊", "横焊"), encoding="utf-8")

    def interrupted(self, manifest):
        raise KeyboardInterrupt  # Ctrl-C after the new chunks reached Chroma, before the commit

    monkeypatch.setattr(FileManifests, "commit", interrupted)
    with pytest.raises(KeyboardInterrupt):
        sync(small_settings, embeddings)
    monkeypatch.undo()
    reopened = Store(small_settings, embeddings)
    assert len(chroma_ids(reopened)) > len(reopened.docs)  # uncommitted chunks sit in Chroma ...
    hits = reopened.dense("横焊 仰焊 焊接 李建国", 20)
    assert hits and all("横焊" not in d.page_content for d, _ in hits)  # ... but readers never see them
    assert len({d.id for d, _ in hits}) == len(hits)
    store, healed = sync(small_settings, embeddings)
    assert healed.updated == ("story-test-welder",)
    assert healed.chunks_embedded == 0  # the interrupted run's embeddings are reused
    assert healed.chunks_total == clean.chunks_total
    assert_in_step(store)


def test_killed_ingest_process_then_rerun_matches_clean_ingest(tmp_path, small_corpus, embeddings):
    db = tmp_path / "db"
    env = {**os.environ, "LECTURER_EMBED_BATCH_SIZE": "1", "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "ingest.py", "--corpus", str(small_corpus), "--db", str(db)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    seen = b""
    while proc.poll() is None and not re.search(rb"\b([1-9]\d*)/(\d+)", seen):
        seen += proc.stderr.read1(256)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    rerun = subprocess.run(cmd + ["--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    store = Store(make_settings(db, small_corpus), embeddings)
    assert_in_step(store)
    clean, report = sync(make_settings(tmp_path / "clean", small_corpus), embeddings)
    assert sorted(d.id for d in store.docs) == sorted(d.id for d in clean.docs)
    assert "新增" in rerun.stdout and "嵌入" in rerun.stdout


def test_other_embedding_model_is_a_clear_error(small_settings, embeddings):
    sync(small_settings, embeddings)
    with pytest.raises(LecturerError, match="ingest.py --rebuild"):
        Store(small_settings, embeddings, identity="some-other-model")


def test_invalid_corpus_is_refused_and_index_untouched(tmp_path, small_corpus, small_settings, embeddings):
    store, _ = sync(small_settings, embeddings)
    before = json.loads((small_settings.index_dir / (small_settings.index_dir / "CURRENT").read_text()).read_text())
    (small_corpus / "broken.md").write_text("---\nid: [\n---\n正文。", encoding="utf-8")
    (small_corpus / "story-test-welder.md").unlink()
    run = subprocess.run(
        [sys.executable, "ingest.py", "--corpus", str(small_corpus), "--db", str(small_settings.data_dir)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 1 and "broken.md" in run.stderr and "现有索引未改动" in run.stderr
    after = json.loads((small_settings.index_dir / (small_settings.index_dir / "CURRENT").read_text()).read_text())
    assert after == before
    assert len(chroma_ids(Store(small_settings, embeddings))) == len(before["chunks"])


def test_chroma_server_mode(tmp_path, small_corpus, embeddings, chroma_server):
    settings = make_settings(
        tmp_path / "data", small_corpus, chroma_host="127.0.0.1", chroma_port=chroma_server, collection=unique("server")
    )
    store, report = sync(settings, embeddings)
    assert report.chunks_embedded == report.chunks_total > 0
    assert_in_step(store)
    assert store.dense("公交车出车前检查轮胎和刹车", 1)[0][0].metadata["item_id"] == "story-test-driver"
    assert not (settings.index_dir / "chroma").exists()  # vectors live in the server
    assert not list(settings.index_dir.glob("manifest-*")), "the manifest lives in the server too, for every replica"
    _, again = sync(settings, embeddings)
    assert again.chunks_embedded == 0


def test_keyword_statistics_follow_the_committed_chunks(small_settings, embeddings):
    store, _ = sync(small_settings, embeddings)
    assert store.document_frequency("仰焊") > 0
    (small_settings.corpus_dir / "story-test-welder.md").unlink()
    store.sync(load_corpus(small_settings.corpus_dir).items)
    assert store.document_frequency("仰焊") == 0


def test_an_index_from_the_first_version_is_upgraded_by_the_next_ingest(small_settings, embeddings):
    """A format-1 manifest is not an error: readers see an empty store, ingest rebuilds it reusing the chunks."""
    import json

    from bot.index.manifest import CURRENT

    store, first = sync(small_settings, embeddings)
    path = small_settings.index_dir / (small_settings.index_dir / CURRENT).read_text().strip()
    old = json.loads(path.read_text())
    old["format"] = 1
    del old["units"]
    path.write_text(json.dumps(old, ensure_ascii=False))
    assert Store(small_settings, embeddings).is_empty
    store, again = sync(small_settings, embeddings)
    assert again.chunks_embedded == 0 and not store.is_empty and store.units


def test_lost_vector_store_is_a_clear_error_and_ingest_repairs_it(tmp_path, small_corpus):
    """As an operator meets it: the Chroma directory is gone, the manifest is not."""
    db = tmp_path / "data"

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)

    ingest = ("ingest.py", "--corpus", str(small_corpus), "--db", str(db), "--quiet")
    assert run(*ingest).returncode == 0
    shutil.rmtree(db / "index" / "chroma")
    broken = run("-m", "bot", "ask", "公交司机王秀英出车前检查什么？", "--db", str(db))
    assert broken.returncode == 2 and "python ingest.py" in broken.stderr and "Traceback" not in broken.stderr
    assert run(*ingest).returncode == 0  # re-embeds what is missing
    fixed = run("-m", "bot", "ask", "公交司机王秀英出车前检查什么？", "--db", str(db), "--json")
    assert fixed.returncode == 0 and json.loads(fixed.stdout)["outcome"] == "answered"


def test_rebuild_beside_a_running_ingest_touches_nothing(small_settings, embeddings):
    from bot.index.store import drop_index, ingest_lock

    store, _ = sync(small_settings, embeddings)
    before = len(chroma_ids(store))
    with ingest_lock(small_settings.index_dir):  # an ingest is running
        with pytest.raises(LecturerError, match="另一个导入正在进行"):
            drop_index(small_settings)
    after = Store(small_settings, embeddings)
    assert len(chroma_ids(after)) == before and not after.is_empty


def test_a_writer_starts_from_what_another_committed_meanwhile(small_settings, embeddings):
    """Two ingests opened before either ran: the second reads the manifest under the lock, so it sees
    the first's commit (nothing to redo, the next generation) instead of committing over it."""
    store, _ = sync(small_settings, embeddings)
    first, second = Store(small_settings, embeddings, writer=True), Store(small_settings, embeddings, writer=True)
    welder = small_settings.corpus_dir / "story-test-welder.md"
    welder.write_text(welder.read_text(encoding="utf-8").replace("十年下来", "十二年下来"), encoding="utf-8")
    items = load_corpus(small_settings.corpus_dir).items
    assert first.sync(items).updated == ("story-test-welder",)
    generation = first.current.generation
    report = second.sync(items)
    assert report.updated == () and report.chunks_embedded == 0 and len(report.unchanged) == 3
    assert second.current.generation == generation, "nothing changed, nothing committed again"
    assert_in_step(Store(small_settings, embeddings))
