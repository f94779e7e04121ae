"""The composition root: settings → the services every adapter (Gradio, HTTP API) shares, built once."""

import logging
from dataclasses import dataclass

from pydantic import SecretStr

from bot.chat.result import Answer
from bot.chat.retrieve import HybridRetriever, make_retriever
from bot.config import Settings
from bot.index.worker import REQUESTS, IndexWorker
from bot.llm import LLM, make_llm
from bot.state import State

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Services:
    """What answering, lessons and feedback need, shared by every request."""

    settings: Settings
    retriever: HybridRetriever
    llm: LLM | None
    state: State
    worker: IndexWorker  # the one writer while the app runs (started by the app, not by tests that only read)

    @property
    def api_keys(self) -> frozenset[str]:
        """The configured API keys (none: the API is switched off)."""
        keys = self.settings.api_keys
        raw = keys.get_secret_value() if isinstance(keys, SecretStr) else keys or ""
        return frozenset(k.strip() for k in raw.split(",") if k.strip())


    def record(self, question: str, answer: Answer, seconds: float, channel: str) -> None:
        """Keep the question in the log the trainers read; a failure to log never fails the answer."""
        try:
            self.state.log_question(
                question, answer.outcome, tuple(c.id for c in answer.citations), round(seconds * 1000), channel,
                self.settings.question_log_days,
            )
        except Exception as exc:
            log.warning("question not logged: %r", exc)


def build_services(settings: Settings, retriever: HybridRetriever | None = None) -> Services:
    """Open the index, the optional LLM and the state database for these settings."""
    retriever = retriever or make_retriever(settings)
    requests = None if settings.chroma_host else settings.index_dir / REQUESTS  # ingest.py hands over here
    return Services(
        settings=settings,
        retriever=retriever,
        llm=make_llm(settings),
        state=State(settings.state_target),
        worker=IndexWorker(retriever.store, requests),
    )
