"""State written while serving (feedback, the question log, each team's lessons), behind one small
SQLite layer with numbered migrations.

Each migration runs once, in order, inside a transaction; `PRAGMA user_version` records how far a
database has come, so an older file is brought up to date when it is opened.
"""

import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.errors import LecturerError

log = logging.getLogger(__name__)

MIGRATIONS: tuple[str, ...] = (
    """CREATE TABLE feedback (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
        comment TEXT NOT NULL DEFAULT '',
        items TEXT NOT NULL DEFAULT ''
    )""",
    # What workers asked and what came of it, for the trainers: no names, addresses or cookies.
    """CREATE TABLE questions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created TEXT NOT NULL,
        question TEXT NOT NULL,
        outcome TEXT NOT NULL,
        items TEXT NOT NULL DEFAULT '',
        latency_ms INTEGER NOT NULL,
        channel TEXT NOT NULL
    )""",
    "CREATE INDEX questions_created ON questions (created)",
    # Each team's pre-shift lesson of a day, as Lesson.to_dict gives it; the rotation reads them back.
    """CREATE TABLE lessons (
        team TEXT NOT NULL,
        day TEXT NOT NULL,
        industry TEXT NOT NULL,
        theme TEXT NOT NULL,
        story_id TEXT NOT NULL,
        lesson TEXT NOT NULL,
        created TEXT NOT NULL,
        PRIMARY KEY (team, day)
    )""",
)


class LessonBook:
    """One team's lessons, read and written inside one transaction (see `State.lessons`)."""

    def __init__(self, conn: sqlite3.Connection, team: str) -> None:
        self.conn = conn
        self.team = team

    def get(self, day: date) -> dict | None:
        """The team's lesson recorded for this day, if any."""
        row = self.conn.execute(
            "SELECT lesson FROM lessons WHERE team = ? AND day = ?", (self.team, day.isoformat())
        ).fetchone()
        return json.loads(row[0]) if row else None

    def around(self, day: date, days: int) -> list[dict]:
        """The team's lessons of the other days within `days` of this one, by day."""
        low, high = (day - timedelta(days=days)).isoformat(), (day + timedelta(days=days)).isoformat()
        rows = self.conn.execute(
            "SELECT lesson FROM lessons WHERE team = ? AND day BETWEEN ? AND ? AND day != ? ORDER BY day",
            (self.team, low, high, day.isoformat()),
        ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def save(self, lesson: dict) -> None:
        """Keep a lesson as the team's lesson of its day, replacing any earlier one."""
        row = [lesson[k] for k in ("team", "date", "industry", "theme", "story_id")]
        self.conn.execute(
            "INSERT OR REPLACE INTO lessons VALUES (?, ?, ?, ?, ?, ?, ?)",
            (*row, json.dumps(lesson, ensure_ascii=False), datetime.now(UTC).isoformat(timespec="seconds")),
        )


class State:
    """The state database of one deployment (a SQLite file under the data directory)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10)
            migrate(conn)
            return conn
        except (OSError, sqlite3.Error) as exc:
            raise LecturerError(f"无法打开状态数据库 {self.path.name}，请检查数据目录是否可写、磁盘是否已满。", repr(exc)) from exc

    def add_feedback(self, question: str, answer: str, rating: str, comment: str = "", items: tuple[str, ...] = ()) -> int:
        """Keep one worker's rating of an answer; returns its row id."""
        try:
            with closing(self._connect()) as conn, conn:
                cursor = conn.execute(
                    "INSERT INTO feedback (created, question, answer, rating, comment, items) VALUES (?, ?, ?, ?, ?, ?)",
                    (datetime.now(UTC).isoformat(timespec="seconds"), question, answer, rating, comment, ",".join(items)),
                )
                return int(cursor.lastrowid)
        except sqlite3.Error as exc:
            raise LecturerError("反馈没有保存成功，请稍后再试。", repr(exc)) from exc

    def log_question(
        self, question: str, outcome: str, items: tuple[str, ...], latency_ms: int, channel: str, keep_days: int
    ) -> None:
        """Record one answered question; rows older than `keep_days` are removed (0 keeps nothing)."""
        now = datetime.now(UTC)
        with closing(self._connect()) as conn, conn:
            if keep_days > 0:
                conn.execute(
                    "INSERT INTO questions (created, question, outcome, items, latency_ms, channel) VALUES (?, ?, ?, ?, ?, ?)",
                    (now.isoformat(timespec="seconds"), question, outcome, ",".join(dict.fromkeys(items)), latency_ms, channel),
                )
            if keep_days > 0:
                cutoff = (now - timedelta(days=keep_days)).isoformat(timespec="seconds")
                conn.execute("DELETE FROM questions WHERE created < ?", (cutoff,))
            else:
                conn.execute("DELETE FROM questions")

    def questions(self) -> list[dict]:
        """The question log, oldest first."""
        with closing(self._connect()) as conn:
            conn.row_factory = sqlite3.Row
            return [dict(r) for r in conn.execute("SELECT * FROM questions ORDER BY id")]

    @contextmanager
    def lessons(self, team: str) -> Iterator[LessonBook]:
        """A team's lessons in one write transaction: the rotation reads the history and records the
        new lesson with no other writer in between, so lessons made at once never pick alike."""
        conn = self._connect()
        try:
            conn.isolation_level = None
            conn.execute("BEGIN IMMEDIATE")
            yield LessonBook(conn, team)
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.rollback()
            raise LecturerError("班前课记录暂时无法读写（数据库忙或已损坏），请稍后再试。", repr(exc)) from exc
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.close()

    def team_industry(self, team: str) -> str | None:
        """The industry of the team's latest recorded lesson, so the tab can remember it."""
        with closing(self._connect()) as conn:
            row = conn.execute(
                "SELECT industry FROM lessons WHERE team = ? ORDER BY created DESC, day DESC LIMIT 1", (team,)
            ).fetchone()
        return row[0] if row else None

    def feedback(self) -> list[dict]:
        """Every feedback row, oldest first."""
        with closing(self._connect()) as conn:
            conn.row_factory = sqlite3.Row
            return [dict(r) for r in conn.execute("SELECT * FROM feedback ORDER BY id")]


def migrate(conn: sqlite3.Connection) -> None:
    """Run the migrations this database has not had yet, one writer at a time: processes and threads
    opening a new file together each see the version the one before them left."""
    if conn.execute("PRAGMA user_version").fetchone()[0] >= len(MIGRATIONS):
        return
    level, conn.isolation_level = conn.isolation_level, None
    try:
        conn.execute("BEGIN IMMEDIATE")
        done = conn.execute("PRAGMA user_version").fetchone()[0]
        for version, statement in enumerate(MIGRATIONS[done:], start=done + 1):
            conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")
            log.info("state database migrated to version %d", version)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.isolation_level = level
