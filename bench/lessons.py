"""Pre-shift lessons over 20 consecutive days per trade: reading time, variety and stories.

    python -m bench.lessons [--db DATA_DIR] [--start 2025-06-15 ...] [--days 20]

For each trade (industry) and start date, one team gets a lesson a day for --days days (recorded in
a temporary state database, so the rotation works as it does for a real team). Printed per trade:
the shortest and longest reading time, the worst overlap between two days (the share of the smaller
day's sentences around the story that the other day also says; the target is at most a third), the
sentences a day shares on average with each day up to three days either side ("close": what a team
notices as 「same as the other day」), how many lessons tell another trade's deed in passing
("other"), how many distinct stories were told and how many were borrowed from other trades, and how many
sentences talk to the team (我们, 咱们) about another trade's work ("to others": a borrowed story's
「今天我们开公交……」 read to nurses).

Then one team per trade named for a sub-job (「轧钢厂精整班」「散货码头装卸一队」, the sub-jobs of
corpus/vocabulary.yaml) gets --days lessons from the first start: of the trade course's paragraphs said
around the story, how many are about the team's own sub-job ("own") and how many only about another
("foreign": furnace lines for a finishing crew), per lesson, and how many sentences talk to the team about
another sub-job's work ("to others": 「开井盖先通风」 read to street sweepers). The sub-jobs are read from the vocabulary
file here, not through the lecturer's code, so an older version can be measured the same way.
"""

import argparse
import itertools
import json
import re
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import yaml

from bench.answers import open_retriever
from bot.lesson.compose import HEADINGS, LINK, SAFETY, build_lesson, lesson_options, spoken_around_story
from bot.state import State

ADDRESS = re.compile(r"我们|咱们")


def marks(corpus_dir: Path) -> dict[str, set[str]]:
    """The words that mark each trade: its name, its sub-jobs and their words (read here, not through the lecturer)."""
    return {industry: {industry, *(w for job, words in table.items() for w in (job, *words))}
            for industry, table in sub_jobs(corpus_dir).items()}


QUESTION = re.compile(r"^第.个问题：(.+)$", re.M)


def said_elsewhere(lesson, store, industry: str, own: set[str], others: set[str]) -> int:
    """Sentences of a lesson that talk to the listeners (我们, 咱们) about work that is not theirs: a word of
    `others` and none of `own` (「今天我们开公交……」 read to nurses). Counted in what the lesson quotes from
    stories and from another trade's items, and in its questions to discuss; the team's own courses are
    measured above ("foreign")."""
    quoted = [c.quote for c in lesson.citations if (item := store.items.get(c.id)) is not None
              and (item.kind == "story" or item.industry not in (industry, "通用"))]
    texts = [s for q in quoted for s in re.split(r"(?<=[。！？])", q)] + QUESTION.findall(lesson.script)
    return sum(bool(ADDRESS.search(s)) and any(w in s for w in others) and not any(w in s for w in own) for s in texts)


def said_twice(lesson) -> int:
    """Pairs of paragraphs in the job and safety parts of one talk that share a run of four characters
    (「公交站台」「车道弯腰」「锐器盒的」): a warning a listener hears twice that morning."""
    paragraphs = [re.sub(r"[^\u4e00-\u9fff]", "", re.sub(r"\[\d+\]", "", p))
                  for s in lesson.sections if s.heading in (HEADINGS[LINK], HEADINGS[SAFETY])
                  for p in s.text.split("\n\n") if p.strip()]
    runs = [{p[i:i + 4] for i in range(len(p) - 3)} for p in paragraphs]
    return sum(bool(a & b) for a, b in itertools.combinations(runs, 2))


def overlap(a: frozenset, b: frozenset) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def run(retriever, starts: list[date], days: int) -> list[dict]:
    settings, store = retriever.settings, retriever.store
    trade_marks = marks(Path(settings.corpus_dir))
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
                others_deed = [  # lessons that tell, in one line, the deed of someone of another trade
                    any(c.id in store.items and store.items[c.id].kind == "story" and c.id != x.story_id
                        and store.items[c.id].industry != industry for c in x.citations)
                    for x in lessons
                ]
                own = trade_marks.get(industry, {industry})
                others = {w for trade, words in trade_marks.items() if trade != industry for w in words} - own
                rows.append({
                    "start": start.isoformat(),
                    "industry": industry,
                    "minutes_min": min(minutes),
                    "minutes_max": max(minutes),
                    "worst_overlap": round(max(overlap(a, b) for a, b in itertools.combinations(around, 2)), 3),
                    "stories": len(set(ids)),
                    "borrowed": sum(store.items[i].industry != industry for i in ids),
                    "close_shared": round(sum(close) / max(1, len(close)), 2),
                    "other_trade_deed": sum(others_deed),
                    "said_to_others": sum(said_elsewhere(x, store, industry, own, others) for x in lessons),
                    "said_twice": sum(said_twice(x) for x in lessons),
                    "ms_per_lesson": round(seconds * 1000, 1),
                })
    return rows


# A team of one sub-job in each trade, named as such teams are.
SUB_JOB_TEAMS = {
    "电力": "集控站运维值班", "航空航天": "航线维修班", "机械制造": "冲压车间二班", "铁路": "信号车间", "船舶": "涂装车间",
    "石油": "压裂一队", "港口": "散货码头装卸一队", "建筑": "钢筋班组", "冶金": "轧钢厂精整班", "环卫": "环卫收运班",
    "燃气地质": "入户安检一组", "教育": "学校食堂班组", "医疗": "急诊科护理组", "农业": "猪场饲养班",
    "公共交通": "环线乘务中心电客车司机一队",
}


def sub_jobs(corpus_dir: Path) -> dict[str, dict[str, list[str]]]:
    data = yaml.safe_load((corpus_dir / "vocabulary.yaml").read_text(encoding="utf-8")) or {}
    return {industry: {job: [job, *words] for job, words in table.items()} for industry, table in (data.get("jobs") or {}).items()}


def run_sub_jobs(retriever, start: date, days: int) -> list[dict]:
    settings, store = retriever.settings, retriever.store
    jobs = sub_jobs(Path(settings.corpus_dir))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        state = State(Path(tmp) / "state.sqlite3")
        for industry, team in SUB_JOB_TEAMS.items():
            table = jobs.get(industry, {})

            def about(text: str, table=table) -> set[str]:
                return {job for job, words in table.items() if any(w in text for w in words)}

            # the sub-job named last (「轧钢厂精整班」: 精整), as the lecturer reads a team's name
            ends = {job: max((team.rfind(w) + len(w) for w in words if w in team), default=-1) for job, words in table.items()}
            mine = {job for job, end in ends.items() if end == max(ends.values(), default=-1) and end >= 0}
            own = foreign = elsewhere = 0
            mine_words = {w for job in mine for w in table[job]}
            other_words = {w for job, words in table.items() if job not in mine for w in words} - mine_words
            for d in range(days):
                lesson = build_lesson(team, industry, day=start + timedelta(d), store=store, settings=settings, state=state)
                elsewhere += said_elsewhere(lesson, store, industry, mine_words, other_words)
                for c in lesson.citations:
                    item = store.items.get(c.id)
                    if item is None or item.kind != "course" or item.industry != industry:
                        continue
                    said = about(c.quote)
                    own += bool(said & mine)
                    foreign += bool(said) and not said & mine
            rows.append({"industry": industry, "team": team, "jobs": sorted(mine),
                         "own_per_lesson": round(own / days, 2), "foreign_per_lesson": round(foreign / days, 2),
                         "said_to_other_jobs": round(elsewhere / days, 2)})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="已导入教材的数据目录（默认：临时导入自带教材）")
    parser.add_argument("--start", nargs="*", default=["2025-06-15", "2025-11-20", "2026-02-01"])
    parser.add_argument("--days", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    retriever = open_retriever(args.db)
    rows = run(retriever, [date.fromisoformat(s) for s in args.start], args.days)
    teams = run_sub_jobs(retriever, date.fromisoformat(args.start[0]), args.days)
    if args.json:
        print(json.dumps({"trades": rows, "sub_jobs": teams}, ensure_ascii=False, indent=2))
        return 0
    print(f"{'start':<11}{'industry':<8}{'minutes':>12}{'worst':>8}{'close':>7}{'other':>7}{'stories':>9}{'borrowed':>10}"
          f"{'to others':>11}{'ms':>7}")
    for r in rows:
        print(f"{r['start']:<11}{r['industry']:<8}{r['minutes_min']:>6}–{r['minutes_max']:<5}{r['worst_overlap']:>8}"
              f"{r['close_shared']:>7}{r['other_trade_deed']:>7}{r['stories']:>9}{r['borrowed']:>10}"
              f"{r['said_to_others']:>11}{r['ms_per_lesson']:>7}")
    worst = max(r["worst_overlap"] for r in rows)
    short = sum(r["minutes_min"] < 6 or r["minutes_max"] > 7 for r in rows)
    print(f"\nworst overlap {worst:.3f} (target ≤ 0.333); trade runs outside 6–7 minutes: {short} of {len(rows)}")
    close = sum(r["close_shared"] for r in rows) / len(rows)
    other = sum(r["other_trade_deed"] for r in rows) / sum(args.days for _ in rows)
    print(f"sentences a day shares with each of the 3 days either side: {close:.2f} on average; "
          f"lessons telling another trade's deed in passing: {other:.2f}")
    twice = sum(r["said_twice"] for r in rows) / sum(args.days for _ in rows)
    print(f"pairs of job and safety paragraphs in one talk that share a run of 4 characters: {twice:.2f} per lesson")
    to_others = sum(r["said_to_others"] for r in rows) / sum(args.days for _ in rows)
    print(f"sentences per lesson that talk to the team about another trade's work (「今天我们开公交」 to nurses): {to_others:.2f}")
    print(f"\n{'industry':<10}{'team':<18}{'sub-jobs':<14}{'own':>6}{'foreign':>9}{'to others':>11}   (per lesson)")
    for t in teams:
        print(f"{t['industry']:<10}{t['team']:<18}{'、'.join(t['jobs']):<14}{t['own_per_lesson']:>6}{t['foreign_per_lesson']:>9}"
              f"{t['said_to_other_jobs']:>11}")
    own = sum(t["own_per_lesson"] for t in teams) / len(teams)
    foreign = sum(t["foreign_per_lesson"] for t in teams) / len(teams)
    print(f"sub-job teams: {own:.2f} paragraphs of their own sub-job and {foreign:.2f} only of another, per lesson")
    elsewhere = sum(t["said_to_other_jobs"] for t in teams) / len(teams)
    print(f"sub-job teams: {elsewhere:.2f} sentences per lesson talk to them about another sub-job's work")
    return 0


if __name__ == "__main__":
    sys.exit(main())
