"""The optional LLM: any OpenAI-compatible chat endpoint, off by default, called with bounded
concurrency and a deadline so that a slow or failing model never holds up the lecturer."""

import logging
import threading
import time
from collections.abc import Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from bot.config import Settings
from bot.errors import LecturerError

log = logging.getLogger(__name__)


class Unavailable(Exception):
    """The model could not answer: busy, too slow, or failing (the message says which, for the log)."""


class LLM:
    """A chat model behind `concurrency` slots (a caller waits at most `queue_seconds` for one) and a
    deadline of `timeout` seconds for a whole reply. Every failure surfaces as `Unavailable`."""

    def __init__(
        self,
        model: BaseChatModel,
        *,
        concurrency: int = 4,
        queue_seconds: float = 5.0,
        timeout: float = 30.0,
        support: float = 0.6,
    ) -> None:
        self.model = model
        self.slots = threading.BoundedSemaphore(concurrency)
        self.queue_seconds = queue_seconds
        self.timeout = timeout
        self.support = support

    def stream(self, messages: list[BaseMessage], stop: list[str] | None = None) -> Iterator[str]:
        """The reply's text as it arrives."""
        if not self.slots.acquire(timeout=self.queue_seconds):
            raise Unavailable(f"all model slots busy for {self.queue_seconds}s")
        try:
            deadline = time.monotonic() + self.timeout
            for chunk in self.model.stream(messages, stop=stop):
                if time.monotonic() > deadline:
                    raise Unavailable(f"reply took longer than {self.timeout}s")
                yield chunk.text if isinstance(chunk.text, str) else str(chunk.content)
        except Unavailable:
            raise
        except Exception as exc:  # any provider error: connection refused, HTTP 5xx, bad JSON
            raise Unavailable(repr(exc)) from exc
        finally:
            self.slots.release()

    def invoke(self, messages: list[BaseMessage], stop: list[str] | None = None) -> str:
        """The whole reply."""
        return "".join(self.stream(messages, stop))


def make_llm(settings: Settings) -> LLM | None:
    """The configured model, or None for the extractive lecturer."""
    match settings.llm:
        case "none":
            return None
        case "openai":
            try:
                from langchain_openai import ChatOpenAI
            except ImportError as exc:
                raise LecturerError("未安装 LLM 支持，请运行：pip install -e '.[llm]'", repr(exc)) from exc
            model = ChatOpenAI(
                model=settings.llm_model,
                base_url=settings.llm_base_url,
                api_key=settings.llm_api_key or "not-needed",
                temperature=settings.llm_temperature,
                timeout=settings.llm_timeout,
                max_tokens=settings.llm_max_tokens,
                max_retries=0,
            )
            return LLM(
                model,
                concurrency=settings.llm_concurrency,
                queue_seconds=settings.llm_queue_seconds,
                timeout=settings.llm_timeout,
                support=settings.llm_support,
            )
