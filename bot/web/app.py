"""One app on one port: the HTTP API under /api, /healthz, and the Gradio UI at /, over one set of services."""

import logging
import threading
import time
from contextlib import asynccontextmanager

import gradio as gr
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from bot.manage.documents import MAX_BYTES as MAX_UPLOAD
from bot.web.api import install
from bot.web.login import install_login
from bot.web.manage_ui import build_manage
from bot.web.services import Services
from bot.web.ui import CSS, build_ui, theme

log = logging.getLogger(__name__)
# The 管理 area is used at a desk, but must not break on a phone: rows stack, the page fits the screen.
MANAGE_CSS = """
@media (max-width: 640px) {
  .gradio-container .row {flex-direction: column !important;}
  .gradio-container .row > * {min-width: 0 !important; width: 100% !important;}
  .gradio-container {max-width: 100vw !important; overflow-x: hidden;}
}
"""


def create_app(services: Services) -> FastAPI:
    """The FastAPI app with the API installed and the chat mounted at /."""
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        services.worker.start()  # the one writer runs while the app serves
        yield
        services.worker.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="渝工 AI 讲师 API",
        description="依据教材回答职工问题（带出处）、生成班前充电十分钟讲稿。所有 /api 接口需要 Authorization: Bearer 密钥。",
        version="1",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    install(app, services)
    install_login(app, services)

    @app.middleware("http")
    async def no_public_uploads(request: Request, call_next):
        # The chat needs no files; only a trainer's 管理 area (behind its login) takes uploads.
        if request.url.path.startswith(("/gradio_api/upload", "/upload")) and request.method == "POST":
            return JSONResponse({"error": {"code": "forbidden", "message": "这里不接受上传文件。"}}, status_code=403)
        return await call_next(request)

    manage = build_manage(services, services.editor, services.questions).queue(default_concurrency_limit=2)
    gr.mount_gradio_app(app, manage, path="/manage", auth_dependency=services.trainer_of, css=CSS + MANAGE_CSS, theme=theme(),
                        show_error=False, footer_links=[], max_file_size=MAX_UPLOAD)
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
