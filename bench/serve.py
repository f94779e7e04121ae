"""Serving benchmark: many clients on /api/ask at once, against one client alone in the same run.

    python -m bench.serve --db DIR [--clients 64] [--seconds 30] [--json]

Starts the real app (`python app.py`: FastAPI + the mounted Gradio UI, uvicorn) in its own process
on a free loopback port over the index in --db (feedback rows go to its state.sqlite3), then runs one client for a baseline and `--clients` concurrent clients for
`--seconds`, each asking in-corpus questions from bench/data/answers_tune.yaml in turn. Reports
throughput, p50/p95 latency, errors, feedback rows written and lost, and the ratios to the baseline.
"""

import argparse
import json
import os
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

import httpx
import yaml

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

KEY = "bench-key"
DATA = Path(__file__).resolve().parent / "data" / "answers_tune.yaml"


OPENERS = ("", "请问", "师傅，", "想问下", "老师，", "问一哈", "麻烦问下，", "我想晓得", "请教一下，", "打扰了，")
ENDINGS = ("", "呢", "啊", "嘛", "？")


def questions() -> list[str]:
    """In-corpus questions, each worded many ways, so that (almost) no question repeats within a run
    and every answer embeds its question (the app remembers the vectors of recent questions)."""
    cases = yaml.safe_load(DATA.read_text(encoding="utf-8"))["cases"]
    base = [c["q"] for c in cases if c["expect"] == "answer" and not c.get("history")]
    return [f"{o}{q}{e}" for o in OPENERS for e in ENDINGS for q in base]


def hammer(url: str, clients: int, seconds: float, asked: list[str]) -> dict:
    """`clients` threads asking for `seconds`; every fifth answer is rated (feedback)."""
    latencies: list[float] = []
    errors: list[str] = []
    feedback_sent = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        nonlocal feedback_sent
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {KEY}"}, timeout=120) as http:
            i = n
            while time.monotonic() < stop:
                q = asked[i % len(asked)]
                i += clients
                started = time.monotonic()
                try:
                    reply = http.post("/api/ask", json={"question": q})
                    ok = reply.status_code == 200
                    if ok and i % 5 == 0:
                        rated = http.post("/api/feedback", json={"question": q, "answer": reply.json()["answer"], "rating": "up"})
                        with lock:
                            feedback_sent += rated.status_code == 201
                except httpx.HTTPError as exc:
                    ok, reply = False, exc
                with lock:
                    if ok:
                        latencies.append(time.monotonic() - started)
                    else:
                        errors.append(str(getattr(reply, "status_code", reply))[:80])

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - began
    ordered = sorted(latencies)
    return {
        "clients": clients,
        "answers": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:5],
        "feedback_sent": feedback_sent,
        "answers_per_s": round(len(latencies) / wall, 2),
        "p50_s": round(statistics.median(ordered), 3) if ordered else None,
        "p95_s": round(ordered[int(0.95 * (len(ordered) - 1))], 3) if ordered else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.serve", description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="data directory with an ingested index (python ingest.py --db DIR)")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    import subprocess

    from bot.config import Settings
    from bot.state import State

    root = Path(__file__).resolve().parent.parent
    state = State(Settings(data_dir=args.db).state_path)
    before = len(state.feedback())
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "LECTURER_API_KEYS": KEY, "LECTURER_DATA_DIR": str(args.db), "LECTURER_PORT": str(port)}
    # The app in its own process, as it is deployed: the clients' threads do not share its interpreter.
    server = subprocess.Popen([sys.executable, "app.py"], cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                print("the app did not start", file=sys.stderr)
                return 2
            time.sleep(0.5)
        asked = questions()
        baseline = hammer(url, 1, min(args.seconds, 10), asked)
        loaded = hammer(url, args.clients, args.seconds, asked)
    finally:
        server.terminate()
        server.wait(timeout=30)
    kept = len(state.feedback()) - before
    sent = baseline["feedback_sent"] + loaded["feedback_sent"]
    result = {
        "baseline": baseline,
        "loaded": loaded,
        "feedback_rows": kept,
        "feedback_lost": sent - kept,
        "p95_vs_single_client_p50": round(loaded["p95_s"] / baseline["p50_s"], 1) if loaded["p95_s"] and baseline["p50_s"] else None,
        "throughput_vs_single_client": round(loaded["answers_per_s"] / baseline["answers_per_s"], 2) if baseline["answers_per_s"] else None,
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for name in ("baseline", "loaded"):
            r = result[name]
            print(f"{name:9} clients {r['clients']:3}  answers {r['answers']:5}  errors {r['errors']}  "
                  f"{r['answers_per_s']} answers/s  p50 {r['p50_s']} s  p95 {r['p95_s']} s")
        print(f"feedback rows {kept}, lost {result['feedback_lost']}; p95 under load ÷ single-client p50 "
              f"{result['p95_vs_single_client_p50']}; throughput ÷ single client {result['throughput_vs_single_client']}")
    return 0 if not loaded["errors"] and not result["feedback_lost"] else 1


if __name__ == "__main__":
    sys.exit(main())
