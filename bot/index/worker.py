"""The app's one writer: ingests run in a background thread, one at a time, with a visible state.

An embedded Chroma directory may be opened by one process only, so while the app serves it, the
app itself is the writer: `python ingest.py` finds the app's serving lock, leaves a request file in
`index/requests/` and follows the job's status file, and the app's worker runs the ingest on its own
store. Readers go on answering from the current snapshot and swap when the commit is made.
"""

import fcntl
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bot.chat.understand import Lexicon
from bot.errors import LecturerError
from bot.index.corpus import load_corpus
from bot.index.manifest import atomic_write
from bot.index.store import Store

log = logging.getLogger(__name__)

REQUESTS = "requests"
POLL_SECONDS = 0.5
STAGES = {"chunks": "嵌入文本块", "units": "嵌入可引用的句子"}
APP_RUNNING = "讲师应用正在使用这个数据目录"


@dataclass
class Job:
    """One ingest: queued → embedding → live, or failed; `done`/`total` count the current stage."""

    id: str
    corpus_dir: str
    state: str = "queued"
    stage: str = ""
    done: int = 0
    total: int = 0
    summary: str = ""
    message: str = ""
    generation: int = 0
    handed: bool = False  # handed over by ingest.py, which follows its status file
    created: float = field(default_factory=time.time)

    def describe(self) -> str:
        """The state in words, for the trainer and the console."""
        if self.state == "embedding":
            return f"正在{STAGES.get(self.stage, '处理')} {self.done}/{self.total}"
        return {"queued": "排队中", "checking": "正在校验教材", "live": f"已生效：{self.summary}",
                "failed": f"导入失败：{self.message}"}.get(self.state, self.state)


class IndexWorker:
    """Runs ingests for the app in one background thread; with `requests_dir`, also those that
    `ingest.py` hands over while the app serves an embedded index."""

    def __init__(self, store: Store, requests_dir: Path | None = None) -> None:
        self.store = store
        self.requests_dir = requests_dir
        self.jobs: dict[str, Job] = {}
        self._queue: list[Job] = []
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def start(self) -> "IndexWorker":
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="index-worker", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()
        if self._thread is not None:
            self._thread.join(timeout=60)

    def submit(self, corpus_dir: Path, job_id: str | None = None, handed: bool = False) -> Job:
        """Queue an ingest of `corpus_dir`; the job's state is in `jobs`."""
        job = Job(job_id or uuid.uuid4().hex[:12], str(corpus_dir), handed=handed)
        with self._wake:
            self.jobs[job.id] = job
            self._queue.append(job)
            self._wake.notify()
        self._publish(job)
        return job

    def _run(self) -> None:
        while True:
            with self._wake:
                if not self._queue and not self._stopping:
                    self._wake.wait(timeout=POLL_SECONDS)
                if self._stopping:
                    return
                job = self._queue.pop(0) if self._queue else None
            if job is None:
                self._take_requests()
            else:
                self._ingest(job)

    def _take_requests(self) -> None:
        """Queue each request file `ingest.py` left (renamed first, so it is taken once)."""
        if self.requests_dir is None or not self.requests_dir.is_dir():
            return
        for path in sorted(self.requests_dir.glob("*.request.json")):
            taken = path.with_suffix(".taken")
            try:
                os.replace(path, taken)
                request = json.loads(taken.read_text(encoding="utf-8"))
                self.submit(Path(request["corpus_dir"]), path.name.removesuffix(".request.json"), handed=True)
            except (OSError, ValueError, KeyError) as exc:
                log.warning("ingest request %s unreadable: %r", path.name, exc)
            finally:
                taken.unlink(missing_ok=True)

    def _ingest(self, job: Job) -> None:
        def progress(stage: str, done: int, total: int) -> None:
            job.state, job.stage, job.done, job.total = "embedding", stage, done, total
            self._publish(job)

        try:
            job.state = "checking"
            self._publish(job)
            corpus = load_corpus(Path(job.corpus_dir))
            if corpus.problems:
                raise LecturerError(
                    f"教材校验未通过（{len(corpus.problems)} 个问题），现有索引未改动：" + "；".join(map(str, corpus.problems[:5])),
                    f"{len(corpus.problems)} corpus problems",
                )
            report = self.store.sync(corpus.items, lexicon=Lexicon.load(Path(job.corpus_dir)), on_progress=progress)
            job.state, job.summary, job.generation = "live", report.summary(), self.store.current.generation
            log.info("ingest %s live: %s", job.id, report.summary())
        except LecturerError as exc:
            job.state, job.message = "failed", exc.message
            log.error("ingest %s failed: %s", job.id, exc.detail)
        except Exception as exc:  # never let the worker die: the app keeps answering from the last commit
            job.state, job.message = "failed", "导入时发生内部错误，现有索引未改动，详情见日志。"
            log.exception("ingest %s failed: %r", job.id, exc)
        self._publish(job)

    def _publish(self, job: Job) -> None:
        """The job's state where `ingest.py` reads it (only for handed-over jobs)."""
        if self.requests_dir is None or not job.handed:
            return
        try:
            self.requests_dir.mkdir(parents=True, exist_ok=True)
            atomic_write(self.requests_dir / f"{job.id}.status.json", json.dumps(asdict(job), ensure_ascii=False))
        except OSError as exc:
            log.warning("ingest status not written: %r", exc)


# The serving lock and the hand-over, for an embedded index ---------------------------------


@contextmanager
def serving(index_dir: Path) -> Iterator[None]:
    """Held by the app while it serves an embedded index: a second app on the same directory is refused,
    and `ingest.py` knows to hand its job over."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        handle = open(index_dir / ".serving", "a")
    except OSError as exc:  # a read-only data directory: it can be served, not written, so no lock is needed
        log.warning("serving a read-only index without the serving lock: %r", exc)
        yield
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise LecturerError(
                f"{APP_RUNNING}：嵌入式向量库只能由一个进程打开。多个副本请使用 Chroma 服务（LECTURER_CHROMA_HOST）。",
                "serving lock held",
            ) from exc
        yield


def app_is_serving(index_dir: Path) -> bool:
    """Whether an app holds the serving lock of this index directory."""
    try:
        handle = open(index_dir / ".serving")
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def hand_over(index_dir: Path, corpus_dir: Path, *, say=print, pickup_seconds: float = 15, seconds: float = 3600) -> Job:
    """Ask the serving app to ingest `corpus_dir` and follow the job to its end, saying each new state."""
    requests = index_dir / REQUESTS
    requests.mkdir(parents=True, exist_ok=True)
    job_id = uuid.uuid4().hex[:12]
    atomic_write(requests / f"{job_id}.request.json", json.dumps({"corpus_dir": str(corpus_dir.resolve())}))
    status = requests / f"{job_id}.status.json"
    started, said = time.monotonic(), ""
    while time.monotonic() - started < seconds:
        if status.exists():
            try:
                job = Job(**json.loads(status.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                job = None
            if job is not None:
                if job.describe() != said and job.state != "live":
                    said = job.describe()
                    say(said)
                if job.state in ("live", "failed"):
                    status.unlink(missing_ok=True)
                    return job
        elif time.monotonic() - started > pickup_seconds:
            (requests / f"{job_id}.request.json").unlink(missing_ok=True)
            raise LecturerError(
                f"{APP_RUNNING}，但它没有接手导入请求。请确认应用运行正常，或停止应用后再导入。", "hand-over not picked up"
            )
        time.sleep(POLL_SECONDS / 2)
    raise LecturerError("导入超时，请在应用日志中查看进度。", "hand-over timed out")
