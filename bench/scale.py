"""Answers at scale: a full extractive answer against one query embedding, at 1k, 10k and 100k chunks,
and the memory of the serving process.

    python -m bench.scale [--sizes 1000 10000 100000] [--questions 200] [--json]

The corpus is synthetic but real Chinese: the 848 CMRC 2018 dev passages (../shared/data/cmrc2018,
CC BY-SA 4.0), copied until the index holds the wanted number of chunks. Copy k tags every sentence
with 「（k）」, so that every copy has its own chunks and its own quotable units, as a large real corpus
would. Vectors are embedded once: the untagged texts by the real bundled model (cached in
.bench-cache/), each tagged copy as its original's vector plus a little seeded noise (a near-duplicate).
Questions are the passages' own CMRC questions, each asked once, and always embedded by the real model.

For each size, a child process ingests, and another one serves: it opens the index as the app does,
times one query embedding per question (the baseline, same run) and one full answer per question
(another question each time, so nothing is cached), and reports its peak RSS.
"""

import argparse
import hashlib
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent
CMRC = ROOT.parent / "shared" / "data" / "cmrc2018"
CACHE = ROOT / ".bench-cache"
TAG = re.compile(r"（\d+）")
NOISE = 0.02


def passages() -> list[dict]:
    return [json.loads(line) for line in (CMRC / "passages.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]


def tagged(text: str, k: int) -> str:
    """Copy k of a text: every sentence ends in 「（k）」 (copy 0 is the original)."""
    return text if k == 0 else re.sub(r"([。！？])", rf"（{k}）\1", text)


class NearCopies(Embeddings):
    """Real vectors for original texts (cached), an original's vector plus seeded noise for a copy."""

    def __init__(self, model: Embeddings, identity: str) -> None:
        from bench.cache import CachedEmbeddings

        self.real = CachedEmbeddings(model, identity, CACHE)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        bases = [TAG.sub("", t) for t in texts]
        vectors = np.asarray(self.real.embed_documents(bases), dtype=np.float32)
        for i, (text, base) in enumerate(zip(texts, bases)):
            if text != base:
                rng = np.random.default_rng(int(hashlib.sha1(text.encode()).hexdigest()[:12], 16))
                vectors[i] += NOISE * rng.standard_normal(vectors.shape[1]).astype(np.float32)
                vectors[i] /= np.linalg.norm(vectors[i])
        return vectors.tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.real.inner.embed_query(text)  # never cached: the baseline is the model's own time


def settings_for(data: Path):
    from bot.config import Settings

    return Settings(_env_file=None, data_dir=data, corpus_dir=data / "none", embed_batch_size=256, chroma_host=None)


def ingest(data: Path, chunks: int) -> dict:
    """Build the synthetic corpus up to `chunks` chunks and ingest it."""
    from bot.index.chunking import chunk_item
    from bot.index.corpus import Item
    from bot.index.embeddings import embedding_identity, make_embeddings
    from bot.index.store import Store

    settings = settings_for(data)
    items, total, k = [], 0, 0
    base = passages()
    while total < chunks:
        for p in base:
            text = tagged(p["text"], k)
            first = re.match(r"[^。！？]*[。！？]", text)
            item = Item(
                id=f"course-{p['id'].lower().replace('_', '-')}-{k}", kind="course", title=p["title"], industry="通用",
                themes=("思政教育",), summary=first.group() if first else text[:60], lesson="", questions=("你怎么看？",),
                source="CMRC 2018", status="approved", body=text, path="",
            )
            items.append(item)
            total += len(chunk_item(item, settings))
            if total >= chunks:
                break
        k += 1
    embeddings = NearCopies(make_embeddings(settings), embedding_identity(settings))
    started = time.monotonic()
    report = Store(settings, embeddings, writer=True).sync(items)
    return {"items": len(items), "chunks": report.chunks_total, "copies": k, "ingest_s": round(time.monotonic() - started, 1)}


def serve(data: Path, n: int) -> dict:
    """Open the index as the app does and time query embeddings and full answers."""
    from bot.chat.answer import answer
    from bot.chat.retrieve import HybridRetriever
    from bot.index.embeddings import make_embeddings
    from bot.index.store import Store

    settings = settings_for(data)
    model = make_embeddings(settings)
    opened = time.monotonic()
    store = Store(settings, model)
    open_s = time.monotonic() - opened
    retriever = HybridRetriever(store=store, settings=settings)
    questions = [json.loads(line)["question"] for line in (CMRC / "questions.jsonl").read_text(encoding="utf-8").splitlines()[: 2 * n]]
    answer(questions[0], retriever=retriever)  # warm up (jieba, first search)
    embeds, answers, outcomes = [], [], []
    for q in questions[1 : n + 1]:
        t = time.perf_counter()
        model.embed_query(q + "？")  # a different text from the one answered next, so neither is cached
        embeds.append(time.perf_counter() - t)
        t = time.perf_counter()
        outcomes.append(answer(q, retriever=retriever).outcome)
        answers.append(time.perf_counter() - t)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    ordered = sorted(answers)
    return {
        "open_s": round(open_s, 1),
        "embed_p50_ms": round(1000 * statistics.median(embeds), 1),
        "answer_p50_ms": round(1000 * statistics.median(answers), 1),
        "answer_p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 1),
        "ratio": round(statistics.median(answers) / statistics.median(embeds), 2),
        "answered": round(sum(o == "answered" for o in outcomes) / len(outcomes), 3),
        "rss_mb": round(rss),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--ingest", metavar="DIR", help=argparse.SUPPRESS)  # child: ingest --sizes[0] chunks into DIR
    parser.add_argument("--serve", metavar="DIR", help=argparse.SUPPRESS)  # child: serve DIR
    args = parser.parse_args(argv)
    if args.ingest:
        print(json.dumps(ingest(Path(args.ingest), args.sizes[0])))
        return 0
    if args.serve:
        print(json.dumps(serve(Path(args.serve), args.questions)))
        return 0
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
            me = [sys.executable, "-m", "bench.scale"]
            built = subprocess.run([*me, "--ingest", tmp, "--sizes", str(size)], cwd=ROOT, capture_output=True, text=True)
            if built.returncode:
                print(built.stderr[-2000:], file=sys.stderr)
                return 2
            served = subprocess.run([*me, "--serve", tmp, "--questions", str(args.questions)], cwd=ROOT, capture_output=True, text=True)
            if served.returncode:
                print(served.stderr[-2000:], file=sys.stderr)
                return 2
            row = {"size": size, **json.loads(built.stdout.splitlines()[-1]), **json.loads(served.stdout.splitlines()[-1])}
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print("| chunks | items | ingest | open | query embedding p50 | answer p50 / p95 | answer ÷ embedding | answered | RSS |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['chunks']:,} | {r['items']:,} | {r['ingest_s']} s | {r['open_s']} s | {r['embed_p50_ms']} ms | "
              f"{r['answer_p50_ms']} / {r['answer_p95_ms']} ms | {r['ratio']} | {r['answered']} | {r['rss_mb']} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
