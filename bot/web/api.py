"""The HTTP API under /api: the same answers as the chat and `bot ask --json`, for a union's own apps.

Every error is JSON `{"error": {"code", "message"}}` with a Chinese message and the right status.
"""

import json
import logging
import secrets
import time
from collections.abc import Iterator
from typing import Literal

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot import prompts
from bot.chat.answer import clean_question, stream_answer
from bot.chat.conversation import MAX_TURNS, parse_history
from bot.chat.result import to_dict
from bot.chat.retrieve import Filters
from bot.errors import LecturerError, Unavailable
from bot.lesson import build_lesson
from bot.web.services import Services

log = logging.getLogger(__name__)

NO_KEYS = "接口未启用：请在配置中设置 LECTURER_API_KEYS（一个或多个密钥，用英文逗号分隔），然后重启服务。"
BAD_KEY = "缺少或无效的接口密钥：请在请求头中带上 Authorization: Bearer 您的密钥。"
TOO_LARGE = "请求太大了：请把问题和对话历史控制在 {limit} 字节以内。"
FAILED = "抱歉，讲师这边出了点问题，请稍后再试。"


class Turn(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class AskFilters(BaseModel):
    kind: Literal["story", "course"] | None = None
    industry: str | None = None
    themes: list[str] = Field(default_factory=list, max_length=10)


class AskRequest(BaseModel):
    question: str
    history: list[Turn] = Field(default_factory=list, max_length=200)
    filters: AskFilters | None = None


class LessonRequest(BaseModel):
    team: str
    industry: str
    theme: str | None = None
    date: str | None = Field(None, description="YYYY-MM-DD，默认今天")
    preview: bool = False
    instead_of: str = Field("", max_length=100, description="换一篇：当天不再讲的故事 id")


class FeedbackRequest(BaseModel):
    question: str = Field(max_length=2000)
    answer: str = Field(max_length=20_000)
    rating: Literal["up", "down"]
    comment: str = Field("", max_length=2000)
    items: list[str] = Field(default_factory=list, max_length=20)


class ApiError(Exception):
    """An error the API reports as JSON with this status."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error(status: int, code: str, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers or None)


def router(services: Services) -> APIRouter:
    """The /api routes over the shared services."""
    settings = services.settings

    def authorised(request: Request) -> None:
        keys = services.api_keys
        if not keys:
            raise ApiError(503, "api_disabled", NO_KEYS)
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        # Headers arrive as latin-1; compare bytes, so a key with any characters is checked, not a crash.
        sent = key.strip().encode("latin-1", errors="replace")
        if scheme.lower() != "bearer" or not any(secrets.compare_digest(sent, k.encode("utf-8")) for k in keys):
            raise ApiError(401, "unauthorised", BAD_KEY)

    def ready() -> None:
        if services.retriever.store.is_empty:
            raise ApiError(503, "empty_index", prompts.EMPTY_STORE)

    def ask_args(body: AskRequest) -> dict:
        question = clean_question(body.question, settings.max_question_chars)
        history = parse_history([t.model_dump() for t in body.history[-2 * MAX_TURNS :]])
        f = body.filters
        filters = Filters(kind=f.kind, industry=f.industry, themes=tuple(f.themes)) if f and (f.kind or f.industry or f.themes) else None
        return dict(question=question, retriever=services.retriever, llm=services.llm, filters=filters, history=history)

    api = APIRouter(prefix="/api", dependencies=[Depends(authorised)])

    @api.post("/ask", summary="回答一个问题（与 bot ask --json 相同的 JSON）")
    def ask(body: AskRequest) -> dict:
        ready()
        args = ask_args(body)
        started = time.monotonic()
        snapshots = list(stream_answer(**args))
        if not snapshots:
            raise ApiError(500, "no_answer", FAILED)
        services.record(args["question"], snapshots[-1], time.monotonic() - started, "api")
        return to_dict(snapshots[-1])

    @api.post("/ask/stream", summary="流式回答：每行一个 JSON 快照（NDJSON），最后一行 done 为 true")
    def ask_stream(body: AskRequest) -> StreamingResponse:
        ready()
        args = ask_args(body)  # refuse bad input before the stream starts

        def lines() -> Iterator[str]:
            last = None
            started = time.monotonic()
            try:
                for last in stream_answer(**args):
                    yield json.dumps({**to_dict(last), "done": False}, ensure_ascii=False) + "\n"
                if last is not None:
                    services.record(args["question"], last, time.monotonic() - started, "api")
                    yield json.dumps({**to_dict(last), "done": True}, ensure_ascii=False) + "\n"
            except Exception:
                log.exception("streamed answer failed")
                yield json.dumps({"error": {"code": "failed", "message": FAILED}, "done": True}, ensure_ascii=False) + "\n"

        return StreamingResponse(lines(), media_type="application/x-ndjson")

    @api.post("/lesson", summary="生成（或取回）班组当天的班前充电十分钟讲稿")
    def lesson(body: LessonRequest) -> dict:
        ready()
        result = build_lesson(
            body.team, body.industry, theme=body.theme, day=body.date, preview=body.preview, instead_of=body.instead_of,
            store=services.retriever.store, settings=settings, state=services.state, llm=services.llm,
        )
        return result.to_dict()

    @api.get("/items/{item_id}", summary="一篇教材（故事或课程）")
    def item(item_id: str) -> dict:
        found = services.retriever.store.items.get(item_id)
        if found is None:
            raise ApiError(404, "not_found", f"没有找到编号为「{item_id[:80]}」的教材。")
        fields = ("id", "kind", "title", "person", "employer", "industry", "themes", "summary", "source", "lesson", "body")
        return {k: getattr(found, k) for k in fields if hasattr(found, k)}

    @api.post("/feedback", summary="职工对一个回答的评价", status_code=201)
    def feedback(body: FeedbackRequest) -> dict:
        row = services.state.add_feedback(body.question, body.answer, body.rating, body.comment, tuple(body.items))
        return {"id": row, "message": "谢谢您的反馈！"}

    @api.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    def unknown(rest: str) -> None:
        raise ApiError(404, "not_found", "没有这个接口地址，接口列表见 /api/docs。")

    return api


def install(app: FastAPI, services: Services) -> None:
    """Add the API, /healthz, the size limit and the JSON error handlers to the app."""
    app.include_router(router(services))
    limit = services.settings.max_request_bytes

    @app.get("/healthz", summary="服务状态：索引版本、教材和片段数、存储是否可用")
    def healthz() -> JSONResponse:
        live = services.retriever.store
        store = live.snapshot()
        body = {
            "status": "ok" if not store.is_empty else "empty",
            "generation": store.generation,
            "items": len(store.items),
            "chunks": len(store.docs),
            "store": "ok",
        }
        try:
            body["committed"] = live.manifests.generation()  # the store answers (a Chroma server is up)
        except Exception as exc:  # say so, with a status a load balancer understands
            log.error("health check: store unreachable: %r", exc)
            message = exc.message if isinstance(exc, LecturerError) else "向量数据库无法访问。"
            if store.is_empty:
                return JSONResponse({**body, "status": "error", "store": message}, status_code=503)
            # The loaded snapshot still answers (it holds every vector it searches); only a new ingest
            # would not be seen: keep this replica in service, and say so.
            return JSONResponse({**body, "status": "degraded", "store": message})
        return JSONResponse(body)

    @app.middleware("http")
    async def limit_size(request: Request, call_next):
        if request.url.path.startswith("/api/"):
            length = request.headers.get("content-length")
            if length is not None and (not length.isdigit() or int(length) > limit):
                return error(413, "too_large", TOO_LARGE.format(limit=limit))
            if length is None and request.method in ("POST", "PUT", "PATCH"):
                body = b""
                async for chunk in request.stream():
                    body += chunk
                    if len(body) > limit:
                        return error(413, "too_large", TOO_LARGE.format(limit=limit))
                request._body = body  # read already: let the route see it
        return await call_next(request)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}
        return error(exc.status, exc.code, exc.message, **headers)

    @app.exception_handler(LecturerError)
    async def lecturer_error(request: Request, exc: LecturerError) -> JSONResponse:
        if isinstance(exc, Unavailable):
            log.error("api unavailable %s: %s", request.url.path, exc.detail)
            return error(503, "unavailable", exc.message, **{"Retry-After": "5"})
        log.warning("api refused %s: %s", request.url.path, exc.detail)
        return error(400, "bad_request", exc.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = sorted({".".join(str(p) for p in e.get("loc", ()) if p != "body") for e in exc.errors()})
        log.info("invalid api request %s: %s", request.url.path, exc.errors()[:5])
        return error(422, "invalid", f"请求格式不对，请检查这些字段：{'、'.join(f for f in fields if f) or '请求体'}（须为 JSON）。")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = {404: "没有这个接口地址。", 405: "这个接口不支持该请求方法。"}.get(exc.status_code, FAILED)
        return error(exc.status_code, "http", message)

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> JSONResponse:
        log.exception("api request failed: %s", request.url.path)
        return error(500, "failed", FAILED)
