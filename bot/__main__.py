"""Command line: python -m bot ask "问题" [--db DIR] [--json]"""

import argparse
import json
import logging
import sys
from dataclasses import asdict

from bot.config import Settings
from bot.errors import LecturerError


def ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.answer import answer, clean_question
    from bot.llm import make_llm
    from bot.retrieve import make_retriever

    question = clean_question(args.question, settings.max_question_chars)
    retriever = make_retriever(settings)
    if retriever.store.is_empty:
        from bot.prompts import EMPTY_STORE

        raise LecturerError(EMPTY_STORE, "empty store")
    result = answer(question, retriever=retriever, llm=make_llm(settings))
    if args.json:
        citations = [{k: v for k, v in asdict(c).items() if k != "chunk_id"} for c in result.citations]
        payload = {"answer": result.text, "abstained": result.abstained, "citations": citations}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return 0
    print(result.text)
    for c in result.citations:
        who = f"（{c.person}）" if c.person else ""
        print(f"\n[{c.n}] 《{c.title}》{who} {c.id}\n    来源：{c.source}\n    引文：{c.quote}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="渝工 AI 讲师命令行")
    sub = parser.add_subparsers(dest="command", required=True)
    p_ask = sub.add_parser("ask", help="向讲师提问")
    p_ask.add_argument("question")
    p_ask.add_argument("--db", help="数据目录")
    p_ask.add_argument("--json", action="store_true", help="输出 JSON")
    p_ask.set_defaults(run=ask)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings(**({"data_dir": args.db} if getattr(args, "db", None) else {}))
    try:
        return args.run(args, settings)
    except LecturerError as exc:
        logging.getLogger("bot").info("%s", exc.detail)
        print(exc.message, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
