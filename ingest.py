"""Ingest corpus/ into the lecturer's indexes.

    python ingest.py [--check] [--corpus DIR] [--db DIR] [--rebuild] [--quiet]
"""

import argparse
import logging
import os
import sys

from bot.chat.understand import LEXICON_FILE, Lexicon, check_lexicon, doubt_problems
from bot.config import load_settings
from bot.errors import LecturerError
from bot.index.corpus import Vocabulary, load_corpus
from bot.index.embeddings import make_embeddings
from bot.index.store import Store, drop_index
from bot.index.worker import APP_RUNNING, app_is_serving, hand_over
from bot.lesson.calendar import lesson_problems

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a model hub: models are local
log = logging.getLogger("ingest")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="把 corpus/ 中的教材导入 AI 讲师的索引（增量）")
    parser.add_argument("--check", action="store_true", help="只校验教材，不导入")
    parser.add_argument("--corpus", help="教材目录（默认 LECTURER_CORPUS_DIR 或 corpus）")
    parser.add_argument("--db", help="数据目录（默认 LECTURER_DATA_DIR 或 data）")
    parser.add_argument("--rebuild", action="store_true", help="删除现有索引后重建（更换向量模型时用）")
    parser.add_argument("--quiet", action="store_true", help="不显示进度条")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    overrides = {k: v for k, v in {"corpus_dir": args.corpus, "data_dir": args.db}.items() if v}
    try:
        settings = load_settings(**overrides)
    except LecturerError as exc:
        print(exc.message, file=sys.stderr)
        return 2

    corpus = load_corpus(settings.corpus_dir)
    lexicon_problems = check_lexicon(settings.corpus_dir / LEXICON_FILE) if (settings.corpus_dir / LEXICON_FILE).is_file() else []
    if not lexicon_problems:
        lexicon_problems = doubt_problems(Lexicon.load(settings.corpus_dir), corpus.items)
    lexicon_problems = [f"{LEXICON_FILE}: {p}" for p in lexicon_problems]
    lexicon_problems += lesson_problems(corpus.items, settings.corpus_dir, Vocabulary.load(settings.corpus_dir)[0].industries)
    for problem in lexicon_problems:
        print(problem, file=sys.stderr)
    if corpus.problems or lexicon_problems:
        for problem in corpus.problems:
            print(problem, file=sys.stderr)
        print(f"教材校验未通过：{len(corpus.problems) + len(lexicon_problems)} 个问题，现有索引未改动。", file=sys.stderr)
        return 1
    kinds = {k: sum(1 for i in corpus.items if i.kind == k) for k in ("story", "course")}
    print(
        f"校验通过：共 {len(corpus.items)} 条（故事 {kinds['story']}，课程 {kinds['course']}），"
        f"其中已批准 {len(corpus.approved)} 条。"
    )
    if args.check:
        return 0
    if not settings.chroma_host and app_is_serving(settings.index_dir):
        # The embedded index belongs to the running app: it runs the ingest and swaps it in.
        if args.rebuild:
            print(f"{APP_RUNNING}：请先停止应用，再重建索引。", file=sys.stderr)
            return 2
        print("讲师应用正在运行，由应用在后台导入，完成后立即生效：", file=sys.stderr)
        try:
            job = hand_over(settings.index_dir, settings.corpus_dir, say=lambda s: print(s, file=sys.stderr))
        except LecturerError as exc:
            log.error("%s", exc.detail)
            print(exc.message, file=sys.stderr)
            return 2
        print(job.summary if job.state == "live" else job.describe(), file=sys.stderr if job.state != "live" else sys.stdout)
        return 0 if job.state == "live" else 2
    try:
        if args.rebuild:
            drop_index(settings)
        store = Store(settings, make_embeddings(settings), writer=True)
        report = store.sync(corpus.items, progress=not args.quiet, lexicon=Lexicon.load(settings.corpus_dir))
    except LecturerError as exc:
        log.error("%s", exc.detail)
        print(exc.message, file=sys.stderr)
        return 2
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
