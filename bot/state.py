"""State written while serving (feedback, the question log, each team's lessons), behind one small
layer: SQLite under the data directory by default, PostgreSQL for replicas (`LECTURER_STATE_URL`).

Schema changes are numbered migrations, each run once, in order, inside a transaction that one
process at a time holds (SQLite: `BEGIN IMMEDIATE` and `PRAGMA user_version`; PostgreSQL: an advisory
lock and a `schema_version` table), so an older database is brought up to date when it is opened.
"""

import json
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.errors import LecturerError, Unavailable

log = logging.getLogger(__name__)

MIGRATIONS: tuple[str, ...] = (
    """CREATE TABLE feedback (
        id {serial},
        created TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
        comment TEXT NOT NULL DEFAULT '',
        items TEXT NOT NULL DEFAULT ''
    )""",
    # What workers asked and what came of it, for the trainers: no names, addresses or cookies.
    """CREATE TABLE questions (
        id {serial},
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
    # The 管理 area: trainer accounts (scrypt hashes), their sessions (sha256 of the cookie token),
    # failed logins (for the limit), who did what to which item, and questions marked handled.
    "CREATE TABLE trainers (name TEXT PRIMARY KEY, password TEXT NOT NULL, created TEXT NOT NULL)",
    "CREATE TABLE sessions (token TEXT PRIMARY KEY, name TEXT NOT NULL, expires TEXT NOT NULL)",
    "CREATE TABLE login_failures (name TEXT NOT NULL, at TEXT NOT NULL)",
    """CREATE TABLE reviews (
        id {serial},
        item_id TEXT NOT NULL,
        action TEXT NOT NULL,
        name TEXT NOT NULL,
        at TEXT NOT NULL,
        version TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE TABLE handled (question TEXT PRIMARY KEY, name TEXT NOT NULL, at TEXT NOT NULL)",
)


MIGRATION_LOCK = 7_262_001  # the advisory lock PostgreSQL migrations take (any fixed number)


class Database:
    """How one engine connects, spells a statement and serialises writers."""

    errors: tuple[type[BaseException], ...] = (sqlite3.Error,)

    def connect(self):
        raise NotImplementedError

    def sql(self, statement: str) -> str:
        return statement

    def begin_exclusive(self, conn, key: str) -> None:
        """Start a transaction no other writer of `key` runs beside."""
        raise NotImplementedError

    def commit(self, conn) -> None:
        conn.commit()


class SQLite(Database):
    """A SQLite file: one writer at a time for the whole file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name

    def connect(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10)
        migrate_sqlite(conn)
        return conn

    def begin_exclusive(self, conn, key: str) -> None:
        conn.isolation_level = None
        conn.execute("BEGIN IMMEDIATE")

    def commit(self, conn) -> None:
        conn.execute("COMMIT")  # begun by hand, in autocommit mode


class PostgreSQL(Database):
    """A PostgreSQL database shared by replicas: writers of one key (a team) take its advisory lock."""

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError as exc:
            raise LecturerError(
                "使用 PostgreSQL 需要先安装驱动：pip install 'psycopg[binary]'（或 pip install -e '.[postgres]'）。",
                repr(exc),
            ) from exc
        self.psycopg = psycopg
        self.url = url
        self.name = "PostgreSQL"
        self.errors = (psycopg.Error,)
        self._migrated = False

    def connect(self):
        conn = self.psycopg.connect(self.url, connect_timeout=5)
        if not self._migrated:
            migrate_postgres(conn)
            self._migrated = True
        return conn

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s")

    def begin_exclusive(self, conn, key: str) -> None:
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (key,))


class LessonBook:
    """One team's lessons, read and written inside one transaction (see `State.lessons`)."""

    def __init__(self, conn, db: Database, team: str) -> None:
        self.conn = conn
        self.db = db
        self.team = team

    def _rows(self, statement: str, args: tuple) -> list:
        return self.conn.execute(self.db.sql(statement), args).fetchall()

    def get(self, day: date) -> dict | None:
        """The team's lesson recorded for this day, if any."""
        rows = self._rows("SELECT lesson FROM lessons WHERE team = ? AND day = ?", (self.team, day.isoformat()))
        return json.loads(rows[0][0]) if rows else None

    def around(self, day: date, days: int) -> list[dict]:
        """The team's lessons of the other days within `days` of this one, by day."""
        low, high = (day - timedelta(days=days)).isoformat(), (day + timedelta(days=days)).isoformat()
        rows = self._rows(
            "SELECT lesson FROM lessons WHERE team = ? AND day BETWEEN ? AND ? AND day != ? ORDER BY day",
            (self.team, low, high, day.isoformat()),
        )
        return [json.loads(r[0]) for r in rows]

    def save(self, lesson: dict) -> None:
        """Keep a lesson as the team's lesson of its day, replacing any earlier one."""
        row = [lesson[k] for k in ("team", "date", "industry", "theme", "story_id")]
        self.conn.execute(
            self.db.sql(
                "INSERT INTO lessons (team, day, industry, theme, story_id, lesson, created) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (team, day) DO UPDATE SET industry = excluded.industry, theme = excluded.theme, "
                "story_id = excluded.story_id, lesson = excluded.lesson, created = excluded.created"
            ),
            (*row, json.dumps(lesson, ensure_ascii=False), datetime.now(UTC).isoformat(timespec="seconds")),
        )


def open_database(target: "Path | str") -> Database:
    """A SQLite file for a path, PostgreSQL for a postgresql:// URL."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        return PostgreSQL(text)
    return SQLite(Path(target))


class State:
    """The state database of one deployment: a SQLite file under the data directory, or the
    PostgreSQL database that replicas share."""

    def __init__(self, target: "Path | str") -> None:
        self.db = open_database(target)

    def _connect(self):
        try:
            return self.db.connect()
        except (OSError, *self.db.errors) as exc:
            raise Unavailable(
                f"无法打开状态数据库 {self.db.name}，请检查数据目录是否可写、磁盘是否已满，或数据库服务是否在运行。", repr(exc)
            ) from exc

    def _rows(self, statement: str, args: tuple = ()) -> list[dict]:
        with closing(self._connect()) as conn:
            cursor = conn.execute(self.db.sql(statement), args)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    def rows(self, statement: str, args: tuple = ()) -> list[dict]:
        """The rows of one query (`?` placeholders on every engine), as dicts."""
        try:
            return self._rows(statement, args)
        except LecturerError:
            raise
        except self.db.errors as exc:
            raise Unavailable("数据库暂时无法读取，请稍后再试。", repr(exc)) from exc

    def run(self, *statements: tuple[str, tuple]) -> None:
        """Run statements (each `(sql, args)`) in one transaction."""
        try:
            with closing(self._connect()) as conn, conn:
                for statement, args in statements:
                    conn.execute(self.db.sql(statement), args)
        except LecturerError:
            raise
        except self.db.errors as exc:
            raise Unavailable("保存没有成功，请稍后再试。", repr(exc)) from exc

    def add_feedback(self, question: str, answer: str, rating: str, comment: str = "", items: tuple[str, ...] = ()) -> int:
        """Keep one worker's rating of an answer; returns its row id."""
        try:
            with closing(self._connect()) as conn, conn:
                cursor = conn.execute(
                    self.db.sql(
                        "INSERT INTO feedback (created, question, answer, rating, comment, items) VALUES (?, ?, ?, ?, ?, ?) "
                        "RETURNING id"
                    ),
                    (datetime.now(UTC).isoformat(timespec="seconds"), question, answer, rating, comment, ",".join(items)),
                )
                return int(cursor.fetchone()[0])
        except LecturerError:
            raise
        except self.db.errors as exc:
            raise Unavailable("反馈没有保存成功，请稍后再试。", repr(exc)) from exc

    def comment_feedback(self, row: int, comment: str) -> None:
        """Add the worker's words to a rating already kept."""
        self.run(("UPDATE feedback SET comment = ? WHERE id = ?", (comment, int(row))))

    def log_question(
        self, question: str, outcome: str, items: tuple[str, ...], latency_ms: int, channel: str, keep_days: int
    ) -> None:
        """Record one answered question; rows older than `keep_days` are removed (0 keeps nothing)."""
        now = datetime.now(UTC)
        with closing(self._connect()) as conn, conn:
            if keep_days > 0:
                conn.execute(
                    self.db.sql(
                        "INSERT INTO questions (created, question, outcome, items, latency_ms, channel) VALUES (?, ?, ?, ?, ?, ?)"
                    ),
                    (now.isoformat(timespec="seconds"), question, outcome, ",".join(dict.fromkeys(items)), latency_ms, channel),
                )
                cutoff = (now - timedelta(days=keep_days)).isoformat(timespec="seconds")
                conn.execute(self.db.sql("DELETE FROM questions WHERE created < ?"), (cutoff,))
            else:
                conn.execute("DELETE FROM questions")

    def questions(self) -> list[dict]:
        """The question log, oldest first."""
        return self._rows("SELECT * FROM questions ORDER BY id")

    @contextmanager
    def lessons(self, team: str) -> Iterator[LessonBook]:
        """A team's lessons in one write transaction: the rotation reads the history and records the
        new lesson with no other writer of the team in between (in any replica), so lessons made at
        once never pick alike."""
        conn = self._connect()
        try:
            self.db.begin_exclusive(conn, f"lessons:{team}")
            yield LessonBook(conn, self.db, team)
            self.db.commit(conn)
        except self.db.errors as exc:
            conn.rollback()
            raise Unavailable("班前课记录暂时无法读写（数据库忙、只读或磁盘已满），请稍后再试。", repr(exc)) from exc
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.close()

    def team_industry(self, team: str) -> str | None:
        """The industry of the team's latest recorded lesson, so the tab can remember it."""
        rows = self._rows("SELECT industry FROM lessons WHERE team = ? ORDER BY created DESC, day DESC LIMIT 1", (team,))
        return rows[0]["industry"] if rows else None

    def feedback(self) -> list[dict]:
        """Every feedback row, oldest first."""
        return self._rows("SELECT * FROM feedback ORDER BY id")


def migrate_sqlite(conn: sqlite3.Connection) -> None:
    """Run the migrations this file has not had yet, one writer at a time: processes and threads
    opening a new file together each see the version the one before them left."""
    if conn.execute("PRAGMA user_version").fetchone()[0] >= len(MIGRATIONS):
        return
    level, conn.isolation_level = conn.isolation_level, None
    try:
        conn.execute("BEGIN IMMEDIATE")
        done = conn.execute("PRAGMA user_version").fetchone()[0]
        for version, statement in enumerate(MIGRATIONS[done:], start=done + 1):
            conn.execute(statement.format(serial="INTEGER PRIMARY KEY AUTOINCREMENT"))
            conn.execute(f"PRAGMA user_version = {version}")
            log.info("state database migrated to version %d", version)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.isolation_level = level


def migrate_postgres(conn) -> None:
    """The same migrations in PostgreSQL, under an advisory lock so replicas starting together run each once."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        done = row[0] or 0
        for version, statement in enumerate(MIGRATIONS[done:], start=done + 1):
            conn.execute(statement.format(serial="BIGSERIAL PRIMARY KEY"))
            conn.execute("INSERT INTO schema_version VALUES (%s)", (version,))
            log.info("state database migrated to version %d", version)
