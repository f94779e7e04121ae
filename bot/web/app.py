"""One app on one port: the HTTP API under /api, /healthz, and the Gradio UI at /, over one set of services."""

import logging
import threading
import time

import gradio as gr
import uvicorn
from fastapi import FastAPI

from bot.web.api import install
from bot.web.services import Services
from bot.web.ui import CSS, build_ui, theme

log = logging.getLogger(__name__)


def create_app(services: Services) -> FastAPI:
    """The FastAPI app with the API installed and the chat mounted at /."""
    app = FastAPI(
        title="渝工 AI 讲师 API",
        description="依据教材回答职工问题（带出处）、生成班前充电十分钟讲稿。所有 /api 接口需要 Authorization: Bearer 密钥。",
        version="1",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    install(app, services)
    demo = build_ui(services.settings, services.retriever, services.llm, services.record, services.state).queue(default_concurrency_limit=4)
    return gr.mount_gradio_app(app, demo, path="/", css=CSS, theme=theme(), show_error=False, footer_links=["api"])


def serve(app: FastAPI, host: str, port: int) -> None:
    """Serve until interrupted."""
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


class Background:
    """The app served from a thread (tests, benchmarks): `with Background(app, port) as url:`."""

    def __init__(self, app: FastAPI, port: int, host: str = "127.0.0.1") -> None:
        self.server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://{host}:{port}"

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the app did not start")
            time.sleep(0.05)
        return self.url

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
