"""Start the lecturer: python app.py [--host HOST] [--port PORT] [--db DIR]

The chat at /, the HTTP API under /api (OpenAPI at /api/docs), /healthz, all on one port.
"""

import argparse
import logging
import os
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main(argv: list[str] | None = None) -> int:
    from bot.config import load_settings
    from bot.errors import LecturerError

    parser = argparse.ArgumentParser(description="启动渝工 AI 讲师（网页和接口）")
    parser.add_argument("--host")
    parser.add_argument("--port", type=int)
    parser.add_argument("--db", help="数据目录（默认 LECTURER_DATA_DIR 或 data）")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    overrides = {k: v for k, v in {"host": args.host, "port": args.port, "data_dir": args.db}.items() if v}
    try:
        settings = load_settings(**overrides)
    except LecturerError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    from contextlib import nullcontext

    from bot.index.worker import serving
    from bot.web.app import create_app, serve
    from bot.web.services import build_services

    try:
        # An embedded index is this process's alone while it serves; a Chroma server is shared by replicas.
        with nullcontext() if settings.chroma_host else serving(settings.index_dir):
            services = build_services(settings)
            if not services.api_keys:
                logging.warning("LECTURER_API_KEYS is not set: /api answers 503 until it is")
            url = f"http://{settings.host}:{settings.port}"
            print(f"渝工 AI 讲师：{url}/  接口文档：{url}/api/docs", file=sys.stderr)
            serve(create_app(services), settings.host, settings.port)
    except LecturerError as exc:
        logging.error("%s", exc.detail)
        print(exc.message, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
