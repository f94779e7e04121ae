"""The composition root: settings → the services every adapter (Gradio, HTTP API) shares, built once."""

import logging
from dataclasses import dataclass

from pydantic import SecretStr

from bot.chat.result import Answer
from bot.chat.retrieve import HybridRetriever, make_retriever
from bot.config import Settings
from bot.index.worker import REQUESTS, IndexWorker
from bot.llm import LLM, make_llm
from bot.manage.accounts import COOKIE, Accounts
from bot.manage.items import Editor
from bot.manage.questions import QuestionLog
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
    accounts: Accounts
    editor: Editor
    questions: QuestionLog

    @property
    def api_keys(self) -> frozenset[str]:
        """The configured API keys (none: the API is switched off)."""
        keys = self.settings.api_keys
        raw = keys.get_secret_value() if isinstance(keys, SecretStr) else keys or ""
        return frozenset(k.strip() for k in raw.split(",") if k.strip())


    def trainer_of(self, request) -> str | None:
        """The trainer whose live session cookie comes with the request (None: not logged in)."""
        try:
            return self.accounts.user(request.cookies.get(COOKIE))
        except Exception as exc:  # the state database is down: nobody is logged in
            log.warning("session not checked: %r", exc)
            return None

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
    state = State(settings.state_target)
    worker = IndexWorker(retriever.store, requests)
    return Services(
        settings=settings,
        retriever=retriever,
        llm=make_llm(settings),
        state=state,
        worker=worker,
        accounts=Accounts(state, settings.manage_session_hours),
        editor=Editor(settings.corpus_dir, settings.data_dir, state, lambda: worker.submit(settings.corpus_dir).id,
                      settings.manage_single_trainer),
        questions=QuestionLog(state),
    )
