"""The optional LLM: any OpenAI-compatible chat endpoint, off by default."""

from langchain_core.language_models import BaseChatModel

from bot.config import Settings
from bot.errors import LecturerError


def make_llm(settings: Settings) -> BaseChatModel | None:
    """The configured chat model, or None for the extractive answerer."""
    match settings.llm:
        case "none":
            return None
        case "openai":
            try:
                from langchain_openai import ChatOpenAI
            except ImportError as exc:
                raise LecturerError("未安装 LLM 支持，请运行：pip install -e '.[llm]'", repr(exc)) from exc
            return ChatOpenAI(
                model=settings.llm_model,
                base_url=settings.llm_base_url,
                api_key=settings.llm_api_key or "not-needed",
                temperature=settings.llm_temperature,
                timeout=60,
                max_retries=1,
            )
