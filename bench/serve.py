"""Serving benchmark: many clients on /api/ask and many Gradio chat sessions at once, against one
client alone in the same run; optionally two replicas on one Chroma server and one state database.

    python -m bench.serve --db DIR [--clients 64] [--gradio 32] [--seconds 30] [--json]
    python -m bench.serve --db DIR --replicas 2 --state-url postgresql://... [--clients 64]

Starts the real app (`python app.py`: FastAPI + the mounted Gradio UI, uvicorn) in its own process
on a free loopback port over the index in --db (feedback rows go to its state database), then runs
one client for a baseline, `--clients` concurrent API clients and `--gradio` concurrent chat sessions
(gradio_client, the chat's own endpoint) for `--seconds` each, asking in-corpus questions from
bench/data/answers_tune.yaml in turn. Reports throughput, p50/p95 latency, errors, feedback rows
written and lost, and the ratios to the baseline.

With `--replicas N`, a `chroma run` is started on a temporary directory, the corpus ingested into it
(the manifest lives in the server), and N apps are started on it sharing `--state-url` (PostgreSQL);
the clients are spread over the replicas. It also checks that every replica gives the same answer to
every question, and that one team's lessons made at once on alternating replicas rotate as one.
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


def hammer(urls: list[str], clients: int, seconds: float, asked: list[str], gradio: bool = False) -> dict:
    """`clients` threads asking for `seconds` (spread over the replicas' urls), through the API or as
    Gradio chat sessions; every fifth answer is rated (feedback, through the API)."""
    latencies: list[float] = []
    errors: list[str] = []
    feedback_sent = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        nonlocal feedback_sent
        url = urls[n % len(urls)]
        chat = None
        if gradio:
            from gradio_client import Client

            chat = Client(url, verbose=False)
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {KEY}"}, timeout=120) as http:
            i = n
            while time.monotonic() < stop:
                q = asked[i % len(asked)]
                i += clients
                started = time.monotonic()
                try:
                    if chat is not None:
                        messages = chat.predict(q, api_name="/chat")
                        text = str(messages[0]["content"] if isinstance(messages, list) and messages else messages)
                        ok, reply = bool(text.strip()), "empty reply"  # an answer, a question back or a decline
                    else:
                        reply = http.post("/api/ask", json={"question": q})
                        ok, text = reply.status_code == 200, ""
                        text = reply.json()["answer"] if ok else ""
                    if ok and i % 5 == 0:
                        rated = http.post("/api/feedback", json={"question": q, "answer": text[:20000], "rating": "up"})
                        with lock:
                            feedback_sent += rated.status_code == 201
                except Exception as exc:  # httpx errors, and gradio_client's own
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc, seconds: float = 180) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            return False
        time.sleep(0.5)
    return False


def same_answers(urls: list[str], asked: list[str]) -> dict:
    """Every question asked of every replica: how many got the same JSON everywhere."""
    same = 0
    with httpx.Client(headers={"Authorization": f"Bearer {KEY}"}, timeout=120) as http:
        for q in asked:
            answers = [http.post(f"{u}/api/ask", json={"question": q}).json() for u in urls]
            same += all(a == answers[0] for a in answers)
    return {"questions": len(asked), "same_everywhere": same}


def rotation(urls: list[str], days: int = 12) -> dict:
    """One team's lessons for `days` days, made at once on alternating replicas: no story on two
    days running, and every day recorded once."""
    from concurrent.futures import ThreadPoolExecutor
    from datetime import date, timedelta

    team = f"压测{int(time.time())}班"
    dates = [(date(2025, 10, 1) + timedelta(d)).isoformat() for d in range(days)]

    def make(n: int) -> str:
        body = {"team": team, "industry": "电力", "date": dates[n]}
        reply = httpx.post(f"{urls[n % len(urls)]}/api/lesson", json=body, headers={"Authorization": f"Bearer {KEY}"}, timeout=300)
        return reply.json().get("story_id", "") if reply.status_code == 200 else f"error {reply.status_code}"

    with ThreadPoolExecutor(len(dates)) as pool:
        stories = list(pool.map(make, range(days)))
    again = [make(n) for n in range(days)]  # asked again: each day's recorded lesson comes back
    return {
        "days": days,
        "errors": sum(s.startswith("error") for s in stories),
        "repeats_on_consecutive_days": sum(a == b for a, b in zip(stories, stories[1:])),
        "distinct_stories": len(set(stories)),
        "recorded_once": again == stories,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.serve", description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="data directory with an ingested index (python ingest.py --db DIR)")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--gradio", type=int, default=0, help="Gradio chat sessions for a second phase (0: none)")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--state-url", help="the replicas' shared PostgreSQL (postgresql://...)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    import subprocess
    import tempfile

    from bot.config import Settings
    from bot.state import State

    root = Path(__file__).resolve().parent.parent
    state = State(args.state_url or Settings(data_dir=args.db).state_path)
    before = len(state.feedback())
    env = {**os.environ, "LECTURER_API_KEYS": KEY, "LECTURER_DATA_DIR": str(args.db)}
    if args.state_url:
        env["LECTURER_STATE_URL"] = args.state_url
    processes: list = []
    scratch = tempfile.TemporaryDirectory(prefix="bench-serve-")
    result: dict = {"replicas": args.replicas, "cpus": os.cpu_count()}
    try:
        if args.replicas > 1:
            chroma_port = free_port()
            chroma = subprocess.Popen(
                [str(Path(sys.executable).parent / "chroma"), "run", "--path", f"{scratch.name}/chroma", "--port", str(chroma_port)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
            )
            processes.append(chroma)
            time.sleep(3)
            env.update(LECTURER_CHROMA_HOST="127.0.0.1", LECTURER_CHROMA_PORT=str(chroma_port))
            started = time.monotonic()
            subprocess.run([sys.executable, "ingest.py", "--quiet"], cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)
            result["ingest_into_server_s"] = round(time.monotonic() - started, 1)
        urls = []
        for n in range(args.replicas):
            port = free_port()
            data = args.db if args.replicas == 1 else f"{scratch.name}/replica{n}"
            # Each app in its own process, as it is deployed: the clients' threads do not share its interpreter.
            proc = subprocess.Popen([sys.executable, "app.py"], cwd=root, env={**env, "LECTURER_PORT": str(port), "LECTURER_DATA_DIR": str(data)},
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            processes.append(proc)
            urls.append(f"http://127.0.0.1:{port}")
            if not wait_healthy(urls[-1], proc):
                print("the app did not start", file=sys.stderr)
                return 2
        asked = questions()
        result["baseline"] = hammer(urls[:1], 1, min(args.seconds, 10), asked)
        result["loaded"] = hammer(urls, args.clients, args.seconds, asked)
        if args.gradio:
            result["gradio"] = hammer(urls, args.gradio, args.seconds, asked, gradio=True)
        if args.replicas > 1:
            base = sorted(set(asked), key=asked.index)[:60]
            result["same_answers"] = same_answers(urls, base)
            result["rotation"] = rotation(urls)
    finally:
        for proc in reversed(processes):
            proc.terminate()
            proc.wait(timeout=30)
        scratch.cleanup()
    phases = [name for name in ("baseline", "loaded", "gradio") if name in result]
    kept = len(state.feedback()) - before
    sent = sum(result[name]["feedback_sent"] for name in phases)
    baseline, loaded = result["baseline"], result["loaded"]
    result.update(
        feedback_rows=kept,
        feedback_lost=sent - kept,
        p95_vs_single_client_p50=round(loaded["p95_s"] / baseline["p50_s"], 1) if loaded["p95_s"] and baseline["p50_s"] else None,
        throughput_vs_single_client=round(loaded["answers_per_s"] / baseline["answers_per_s"], 2) if baseline["answers_per_s"] else None,
    )
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for name in phases:
            r = result[name]
            print(f"{name:9} clients {r['clients']:3}  answers {r['answers']:5}  errors {r['errors']}  "
                  f"{r['answers_per_s']} answers/s  p50 {r['p50_s']} s  p95 {r['p95_s']} s")
        print(f"feedback rows {kept}, lost {result['feedback_lost']}; p95 under load ÷ single-client p50 "
              f"{result['p95_vs_single_client_p50']}; throughput ÷ single client {result['throughput_vs_single_client']}")
        for key in ("ingest_into_server_s", "same_answers", "rotation"):
            if key in result:
                print(f"{key}: {result[key]}")
    failed = any(result[name]["errors"] for name in phases) or result["feedback_lost"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
