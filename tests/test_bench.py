"""The retrieval benchmark: its metrics on hand-made rankings, and a small real run end to end."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from langchain_core.documents import Document

from bench.retrieval import VARIANTS, first_rank, passages_of, score
from bot.chat.retrieve import fuse, rrf, standardise

ROOT = Path(__file__).resolve().parents[1]
TRIAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "cmrc2018" / "trial"


def test_first_rank_and_scores_by_hand():
    rankings = [["a", "b", "c"], ["b", "a"], ["c", "d", "e", "f", "g", "a"], ["x", "y"]]
    ranks = [first_rank(r, "a") for r in rankings]
    assert ranks == [1, 2, 6, None]
    m = score(ranks)
    assert m["hit1"] == pytest.approx(1 / 4)
    assert m["hit5"] == pytest.approx(2 / 4)
    assert m["mrr"] == pytest.approx((1 + 1 / 2 + 1 / 6 + 0) / 4)
    assert score([]) == {"hit1": 0.0, "hit5": 0.0, "mrr": 0.0}


def test_passages_of_keeps_first_chunk_order_and_depth():
    chunks = [Document(page_content="", metadata={"item_id": i}) for i in ["p2", "p2", "p1", "p3", "p1", "p4"]]
    assert passages_of(chunks) == ["p2", "p1", "p3", "p4"]
    assert passages_of(chunks, depth=2) == ["p2", "p1"]


def test_fuse_by_hand():
    assert standardise([1.0, 3.0]) == [-1.0, 1.0]
    assert standardise([2.0, 2.0]) == [0.0, 0.0]
    dense = [("a", 0.90), ("b", 0.89), ("d", 0.70)]
    lexical = [("b", 10.0), ("a", 9.9), ("c", 9.8)]
    # Without scores it is RRF (times k): a and b tie on ranks, and so do c and d.
    plain = fuse(dense, lexical, [1.0, 1.0], 60, 0.0)
    expected = rrf([["a", "b", "d"], ["b", "a", "c"]], [1.0, 1.0], 60)
    assert plain == pytest.approx({key: 60 * value for key, value in expected.items()})
    assert plain["a"] == pytest.approx(plain["b"]) and plain["c"] == pytest.approx(plain["d"])
    # Scores break both ties. a's cosine lead over b is large against the cosines' spread, b's BM25
    # lead over a small against BM25's; c (BM25 only) counts with the lowest cosine, d (dense only)
    # with BM25 0, and c's BM25 is near the top.
    fused = fuse(dense, lexical, [1.0, 1.0], 60, 1.0)
    assert sorted(fused, key=fused.get, reverse=True) == ["a", "b", "c", "d"]


@pytest.mark.skipif(not TRIAL.is_dir(), reason=f"benchmark data not found at {TRIAL}")
def test_benchmark_runs_end_to_end(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LECTURER_")}
    env["PYTHONPATH"] = str(ROOT)
    command = [
        sys.executable, "-m", "bench.retrieval", "--json", "--limit", "20", "--cache", str(tmp_path / "cache"),
        "--passages", str(TRIAL / "passages.jsonl"), "--questions", str(TRIAL / "questions.jsonl"),
    ]  # fmt: skip

    def run() -> dict:
        done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    first = run()
    assert first["passages"] == 20
    assert first["questions"] > 20
    assert isinstance(first["seconds"], float)
    for variant in VARIANTS:
        assert first[variant].keys() == {"hit1", "hit5", "mrr"}
        m = first[variant]
        assert 0 <= m["hit1"] <= m["hit5"] <= 1 and m["hit1"] <= m["mrr"] <= 1
    again = run()
    assert again["embedded"] == 0, "the second run should take every embedding from the cache"
    assert {v: again[v] for v in VARIANTS} == {v: first[v] for v in VARIANTS}


def test_serving_benchmark_runs_end_to_end(tmp_path, small_corpus):
    """Two clients for two seconds against the real app over the small corpus: no errors, nothing lost."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LECTURER_")}
    db = tmp_path / "data"
    ingest = [sys.executable, "ingest.py", "--corpus", str(small_corpus), "--db", str(db), "--quiet"]
    assert subprocess.run(ingest, cwd=ROOT, env=env, capture_output=True, timeout=300).returncode == 0
    command = [sys.executable, "-m", "bench.serve", "--db", str(db), "--clients", "2", "--gradio", "2", "--seconds", "2", "--json"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["loaded"]["errors"] == 0 and result["loaded"]["answers"] > 0 and result["feedback_lost"] == 0
    assert result["baseline"]["p50_s"] > 0
    assert result["gradio"]["errors"] == 0 and result["gradio"]["answers"] > 0, "chat sessions through the Gradio API"


@pytest.mark.skipif(not (TRIAL.parent / "passages.jsonl").is_file(), reason="CMRC 2018 dev passages not found")
def test_scale_benchmark_runs_end_to_end():
    """The scale benchmark at a toy size: it ingests, serves in its own process and reports the ratio and memory."""
    command = [sys.executable, "-m", "bench.scale", "--sizes", "200", "--questions", "5", "--json"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    [row] = json.loads(done.stdout)
    assert row["chunks"] >= 200 and row["embed_p50_ms"] > 0 and row["answer_p50_ms"] > 0 and row["rss_mb"] > 0


def test_every_answer_case_names_items_of_the_corpus_that_hold_its_facts():
    """The evaluation sets stay true to the corpus they judge: a fact an answer must contain is in one of
    the items the case names, word for word, so an edit of the corpus cannot quietly fail a case."""
    from bench.answers import HELD_OUT, TUNING, load_cases
    from bot.index.corpus import load_corpus

    items = {i.id: i for i in load_corpus(ROOT / "corpus").items}
    wrong = []
    for split in (*TUNING, *HELD_OUT):
        for case in load_cases(split):
            named = [items[i] for i in case.get("items") or [] if i in items]
            if len(named) != len(case.get("items") or []):
                wrong.append(f"{case['id']}: unknown item")
            elif case["expect"] == "answer" and not any(f in i.body or f in i.lesson for f in case["facts"] for i in named):
                wrong.append(f"{case['id']}: no fact in its items")
    assert not wrong, wrong
