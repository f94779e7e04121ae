"""Start the web chat: python app.py [--host HOST] [--port PORT] [--db DIR]"""

import argparse
import logging
import os
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main(argv: list[str] | None = None) -> int:
    from bot.chat.retrieve import make_retriever
    from bot.config import Settings
    from bot.errors import LecturerError
    from bot.llm import make_llm
    from bot.ui import build_ui, launch

    parser = argparse.ArgumentParser(description="启动渝工 AI 讲师网页")
    parser.add_argument("--host")
    parser.add_argument("--port", type=int)
    parser.add_argument("--db", help="数据目录（默认 LECTURER_DATA_DIR 或 data）")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    overrides = {k: v for k, v in {"host": args.host, "port": args.port, "data_dir": args.db}.items() if v}
    settings = Settings(**overrides)
    try:
        retriever = make_retriever(settings)
        llm = make_llm(settings)
    except LecturerError as exc:
        logging.error("%s", exc.detail)
        print(exc.message, file=sys.stderr)
        return 2
    launch(build_ui(settings, retriever, llm), settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
