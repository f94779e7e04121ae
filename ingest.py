"""Ingest corpus/ into the lecturer's indexes.

    python ingest.py [--check] [--corpus DIR] [--db DIR] [--rebuild] [--quiet]
"""

import argparse
import logging
import os
import sys

from bot.chat.understand import LEXICON_FILE, Lexicon, check_lexicon
from bot.config import load_settings
from bot.corpus import load_corpus
from bot.embeddings import make_embeddings
from bot.errors import LecturerError
from bot.store import Store, drop_index

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
    for problem in lexicon_problems:
        print(f"{LEXICON_FILE}: {problem}", file=sys.stderr)
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
