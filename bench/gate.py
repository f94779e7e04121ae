"""Gate calibration: how far apart answerable and unanswerable questions score.

    python -m bench.gate [--db DIR] [--questions FILE]

Reads tests/data/gate_questions.yaml (answerable questions with the item that should come
first, and questions the lecturer must decline) against an ingested data directory, and
prints each question's gate score (best dense cosine + weight x keyword overlap), the
lowest answerable and highest unanswerable scores, and the threshold midway between them.
Re-run it after changing the embedding model or the corpus substantially.
"""

import argparse
from pathlib import Path

import yaml

from bot.chat.retrieve import make_retriever
from bot.config import Settings

QUESTIONS = Path(__file__).resolve().parent.parent / "tests" / "data" / "gate_questions.yaml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="数据目录（已导入教材）")
    parser.add_argument("--questions", default=str(QUESTIONS))
    args = parser.parse_args(argv)
    settings = Settings(**({"data_dir": args.db} if args.db else {}))
    retriever = make_retriever(settings)
    data = yaml.safe_load(Path(args.questions).read_text(encoding="utf-8"))
    rows = []
    for case in data["answerable"]:
        r = retriever.search(case["q"])
        top = r.hits[0].item.id if r.hits else "-"
        rows.append(("可答", r.dense + settings.gate_overlap_weight * r.overlap, r, top == case["id"], case["q"]))
    for question in data["unanswerable"]:
        r = retriever.search(question)
        score = r.dense + settings.gate_overlap_weight * r.overlap if not r.reason or r.reason == "no_match" else None
        rows.append(("不可答", score, r, None, question))
    for kind, score, r, right, question in sorted(rows, key=lambda row: row[1] if row[1] is not None else -1):
        shown = f"{score:.3f}" if score is not None else f"拒答:{r.reason}"
        mark = "" if right is None else (" 首条正确" if right else " 首条错误")
        print(f"{kind:4s} {shown:>12s} dense={r.dense:.3f} overlap={r.overlap:.2f}{mark}  {question}")
    low = min(s for k, s, *_ in rows if k == "可答")
    high = max((s for k, s, *_ in rows if k == "不可答" and s is not None), default=0.0)
    right = sum(1 for k, _, _, ok, _ in rows if k == "可答" and ok)
    print(
        f"\n可答最低 {low:.3f}，不可答最高 {high:.3f}，建议阈值 {(low + high) / 2:.3f}"
        f"（当前 {settings.gate_threshold}）；首条正确 {right}/{len(data['answerable'])}"
    )
    return 0 if low > high else 1


if __name__ == "__main__":
    raise SystemExit(main())
