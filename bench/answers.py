"""Answer benchmark: questions typed the way workers talk, judged on what the lecturer did.

    python -m bench.answers [--split tune|heldout|tune2…tune10|fresh|fresh3|fresh4|bank|bank-off|all] [--db DIR] [--json] [--show]

Reads the halves in bench/data/answers_*.yaml (written independently; tune on the tuning halves,
heldout and tune2…tune10 included, and report the fresh ones, fresh4 the newest). The `bank` split asks every 「常见问法」 of the committed corpus that names the
words answering it (1,300 questions from five more writers), each with itself left out of the bank;
`bank-off` asks them with the bank switched off. Each case: the question, optional earlier user turns, what should happen
(answer, clarify, decline), the items that may answer it and key facts of which an answer must
contain one. Follow-ups are asked with the conversation the bot itself produced for the earlier
turns. Latency: each answer against two baselines measured in the same run — one query embedding,
and the first version's hot path (retrieval plus embedding 16 candidate sentences per question).
"""

import argparse
import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from bot.chat.answer import answer
from bot.chat.citations import strip_markers
from bot.chat.conversation import Message
from bot.chat.retrieve import HybridRetriever, make_retriever
from bot.config import Settings
from bot.index.corpus import asked_pairs, load_corpus
from bot.index.snapshot import Snapshot

DATA = Path(__file__).resolve().parent / "data"
SPLITS = {
    "tune": ["answers_tune.yaml"],
    "heldout": ["answers_heldout.yaml"],
    "tune2": ["answers_tune2_c.yaml", "answers_tune2_d.yaml"],
    "tune3": ["answers_tune3_e.yaml", "answers_tune3_f.yaml", "answers_tune3_g.yaml"],
    "tune4": ["answers_tune4_h.yaml", "answers_tune4_i.yaml", "answers_tune4_j.yaml"],
    "tune5": ["answers_tune5_k.yaml"],
    "tune6": ["answers_tune6_m.yaml", "answers_tune6_n.yaml"],
    "tune7": ["answers_tune7_o.yaml"],
    "tune8": ["answers_tune8_q.yaml"],
    "tune9": ["answers_tune9_r.yaml"],
    "tune10": ["answers_tune10_s.yaml"],
    "fresh": ["answers_fresh_a.yaml", "answers_fresh_b.yaml"],
    "fresh3": ["answers_fresh3_l.yaml"],
    "fresh4": ["answers_fresh4_p.yaml"],
}
TUNING = ("tune", "heldout", "tune2", "tune3", "tune4", "tune5", "tune6", "tune7", "tune8", "tune9", "tune10")
HELD_OUT = ("fresh", "fresh3", "fresh4")
SPLITS["all"] = [name for split in (*TUNING, *HELD_OUT) for name in SPLITS[split]]
SPLITS["bank"] = SPLITS["bank-off"] = []
FIRST_VERSION_SENTENCES = 16  # what the first version embedded per answer (its answer_candidates setting)


def load_cases(split: str) -> list[dict]:
    cases = []
    for name in SPLITS[split]:
        for case in yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["cases"]:
            cases.append({**case, "file": name})
    return cases


def bank_cases(retriever: HybridRetriever) -> list[dict]:
    """The corpus's 「常见问法」 with the words that answer them, as answerable cases."""
    items = retriever.store.snapshot().items.values()
    return [
        {"id": f"{item.id}#{n}", "q": q, "expect": "answer", "items": [item.id], "facts": [a], "kind": item.kind}
        for item in items
        for n, (q, a) in enumerate(asked_pairs(item.asked), 1)
        if a
    ]


def run_bank(retriever: HybridRetriever, show: bool, bank: bool = True) -> dict:
    """The bank split, each question asked with itself left out of the bank (leave one out: the other
    questions trainers wrote about the item still help), or with the bank switched off."""
    original = Snapshot.asked_near

    def others(self, query, allowed=None):
        return [(a, c) for a, c in original(self, query, allowed) if bank and c < SAME_QUESTION]

    Snapshot.asked_near = others
    try:
        return run(bank_cases(retriever), retriever, show=show, baselines=False)
    finally:
        Snapshot.asked_near = original


SHOWN_FAILED = 40
SAME_QUESTION = 0.9999  # the cosine of a question with itself (the same words embed the same)


def open_retriever(db: str | None) -> HybridRetriever:
    """The index under --db, or the shipped corpus ingested into a temporary directory."""
    if db:
        return make_retriever(Settings(data_dir=db))
    from bot.chat.understand import Lexicon

    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="bench-answers-")))
    retriever = make_retriever(settings)
    print("导入自带教材（约一分钟）……", file=sys.stderr)
    retriever.store.sync(load_corpus(settings.corpus_dir).items, lexicon=Lexicon.load(settings.corpus_dir))
    return retriever


def judge(case: dict, result) -> dict:
    """What happened against what should have."""
    text = strip_markers(result.text)
    cited = {c.id for c in result.citations}
    facts = case.get("facts") or []
    items = set(case.get("items") or [])
    row = {
        "id": case["id"],
        "kind": case.get("kind", ""),
        "expect": case["expect"],
        "outcome": result.outcome,
        "fact": bool(facts) and any(f in text for f in facts),
        "cites_item": bool(items & cited),
    }
    row["good"] = {
        "answer": result.outcome == "answered" and row["fact"] and row["cites_item"],
        "decline": result.outcome == "declined",
        "clarify": result.outcome == "clarify" or (result.outcome == "answered" and row["cites_item"]),
    }[case["expect"]]
    return row


def first_version_cost(retriever: HybridRetriever, question: str) -> float:
    """Seconds for the first version's hot path: retrieval, then embedding the candidate sentences."""
    store = retriever.store
    started = time.perf_counter()
    result = retriever.search(question)
    sentences = [u.text for h in result.hits[:2] for u in store.units.get(h.item.id, [])][:FIRST_VERSION_SENTENCES]
    if sentences:
        store.embeddings.embed_documents(sentences)
    return time.perf_counter() - started


def run(cases: list[dict], retriever: HybridRetriever, show: bool = False, baselines: bool = True) -> dict:
    rows, latencies, embed_times, first_times = [], [], [], []
    embeddings = retriever.store.embeddings
    for case in cases:
        history: list[Message] = []
        for earlier in case.get("history") or []:
            prior = answer(earlier, retriever=retriever, history=tuple(history))
            history += [Message("user", earlier), Message("assistant", prior.text)]
        started = time.perf_counter()
        result = answer(case["q"], retriever=retriever, history=tuple(history))
        latencies.append(time.perf_counter() - started)
        if baselines:
            started = time.perf_counter()
            embeddings.embed_query(case["q"] + " ")  # uncached: one query embedding
            embed_times.append(time.perf_counter() - started)
            first_times.append(first_version_cost(retriever, case["q"] + "  "))
        row = judge(case, result)
        rows.append(row)
        if show and not row["good"]:
            print(f"\n✗ {case['id']} [{case['expect']}→{result.outcome}] {case['q']}\n{result.text[:300]}", file=sys.stderr)
    return summarise(rows, latencies, embed_times, first_times)


def summarise(rows: list[dict], latencies: list[float], embed: list[float], first: list[float]) -> dict:
    def share(selected: list[dict], key: str = "good") -> float:
        return sum(1 for r in selected if r[key]) / len(selected) if selected else 0.0

    answerable = [r for r in rows if r["expect"] == "answer"]
    unanswerable = [r for r in rows if r["expect"] == "decline"]
    follow = [r for r in rows if r["kind"] == "followup"]
    p50 = statistics.median(latencies)
    return {
        "cases": len(rows),
        "answered_with_fact": share(answerable),
        "wrong_declines": sum(1 for r in answerable if r["outcome"] == "declined") / max(len(answerable), 1),
        "clarified_answerable": sum(1 for r in answerable if r["outcome"] == "clarify") / max(len(answerable), 1),
        "unanswerable_declined": share(unanswerable),
        "wrong_answers_to_unanswerable": sum(1 for r in unanswerable if r["outcome"] == "answered")
        / max(len(unanswerable), 1),
        "clarify_rate": sum(1 for r in rows if r["outcome"] == "clarify") / len(rows),
        "clarify_when_expected": share([r for r in rows if r["expect"] == "clarify"]),
        "followups_resolved": share(follow),
        "latency_p50_s": p50,
        "latency_p95_s": statistics.quantiles(latencies, n=20)[18] if len(latencies) >= 20 else max(latencies),
        **(
            {
                "query_embedding_p50_s": statistics.median(embed),
                "first_version_p50_s": statistics.median(first),
                "p50_vs_first_version": p50 / statistics.median(first),
                "p50_vs_query_embedding": p50 / statistics.median(embed),
            }
            if embed and first
            else {}
        ),
        "by_kind": {
            kind: f"{sum(r['good'] for r in rows if r['kind'] == kind)}/{sum(1 for r in rows if r['kind'] == kind)}"
            for kind in sorted({r["kind"] for r in rows})
        },
        "failed": [r["id"] for r in rows if not r["good"]],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="all")
    parser.add_argument("--db", help="已导入教材的数据目录（默认：临时导入自带教材）")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show", action="store_true", help="打印未通过的题目和回答")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    retriever = open_retriever(args.db)
    report = {}
    for split in ([*TUNING, *HELD_OUT] if args.split == "all" else [args.split]):
        if split.startswith("bank"):
            report[split] = run_bank(retriever, args.show, bank=split == "bank")
        else:
            report[split] = run(load_cases(split), retriever, show=args.show)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for split, r in report.items():
        print(f"\n== {split}（{r['cases']} 题）")
        for key, value in r.items():
            if key not in ("cases", "failed", "by_kind"):
                print(f"  {key:32s} {value:.3f}" if isinstance(value, float) else f"  {key:32s} {value}")
        print(f"  by_kind  {r['by_kind']}")
        more = f" …（共 {len(r['failed'])} 题）" if len(r["failed"]) > SHOWN_FAILED else ""
        print(f"  failed   {' '.join(r['failed'][:SHOWN_FAILED])}{more}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
