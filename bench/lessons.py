"""Pre-shift lessons over 20 consecutive days per trade: reading time, variety and stories.

    python -m bench.lessons [--db DATA_DIR] [--start 2025-06-15 ...] [--days 20]

For each trade (industry) and start date, one team gets a lesson a day for --days days (recorded in
a temporary state database, so the rotation works as it does for a real team). Printed per trade:
the shortest and longest reading time, the worst overlap between two days (the share of the smaller
day's sentences around the story that the other day also says; the target is at most a third), the
sentences a day shares on average with each day up to three days either side ("close": what a team
notices as 「same as the other day」), how many lessons tell another trade's deed in passing
("other"), how many distinct stories were told and how many were borrowed from other trades.
"""

import argparse
import itertools
import json
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.answers import open_retriever
from bot.lesson.compose import build_lesson, lesson_options, spoken_around_story
from bot.state import State


def overlap(a: frozenset, b: frozenset) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def run(db: str | None, starts: list[date], days: int) -> list[dict]:
    retriever = open_retriever(db)
    settings, store = retriever.settings, retriever.store
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for start in starts:
            state = State(Path(tmp) / f"state-{start}.sqlite3")
            for industry in lesson_options(store)[0]:
                began = time.perf_counter()
                lessons = [
                    build_lesson(f"{industry}一班", industry, day=start + timedelta(d), store=store, settings=settings,
                                 state=state)
                    for d in range(days)
                ]
                seconds = (time.perf_counter() - began) / days
                around = [spoken_around_story(x.to_dict()) for x in lessons]
                minutes = [x.reading_minutes for x in lessons]
                ids = [x.story_id for x in lessons]
                close = [len(around[a] & around[b]) for a, b in itertools.combinations(range(len(around)), 2) if b - a <= 3]
                others = [  # lessons that tell, in one line, the deed of someone of another trade
                    any(c.id in store.items and store.items[c.id].kind == "story" and c.id != x.story_id
                        and store.items[c.id].industry != industry for c in x.citations)
                    for x in lessons
                ]
                rows.append({
                    "start": start.isoformat(),
                    "industry": industry,
                    "minutes_min": min(minutes),
                    "minutes_max": max(minutes),
                    "worst_overlap": round(max(overlap(a, b) for a, b in itertools.combinations(around, 2)), 3),
                    "stories": len(set(ids)),
                    "borrowed": sum(store.items[i].industry != industry for i in ids),
                    "close_shared": round(sum(close) / max(1, len(close)), 2),
                    "other_trade_deed": sum(others),
                    "ms_per_lesson": round(seconds * 1000, 1),
                })
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="已导入教材的数据目录（默认：临时导入自带教材）")
    parser.add_argument("--start", nargs="*", default=["2025-06-15", "2025-11-20", "2026-02-01"])
    parser.add_argument("--days", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = run(args.db, [date.fromisoformat(s) for s in args.start], args.days)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(f"{'start':<11}{'industry':<8}{'minutes':>12}{'worst':>8}{'close':>7}{'other':>7}{'stories':>9}{'borrowed':>10}{'ms':>7}")
    for r in rows:
        print(f"{r['start']:<11}{r['industry']:<8}{r['minutes_min']:>6}–{r['minutes_max']:<5}{r['worst_overlap']:>8}"
              f"{r['close_shared']:>7}{r['other_trade_deed']:>7}{r['stories']:>9}{r['borrowed']:>10}{r['ms_per_lesson']:>7}")
    worst = max(r["worst_overlap"] for r in rows)
    short = sum(r["minutes_min"] < 6 or r["minutes_max"] > 7 for r in rows)
    print(f"\nworst overlap {worst:.3f} (target ≤ 0.333); trade runs outside 6–7 minutes: {short} of {len(rows)}")
    close = sum(r["close_shared"] for r in rows) / len(rows)
    other = sum(r["other_trade_deed"] for r in rows) / sum(args.days for _ in rows)
    print(f"sentences a day shares with each of the 3 days either side: {close:.2f} on average; "
          f"lessons telling another trade's deed in passing: {other:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
