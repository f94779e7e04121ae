"""Story rotation per team, kept in SQLite: no story comes back before the others have had their turn."""

import hashlib
import json
import sqlite3
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

from bot.corpus import Item
from bot.errors import LecturerError


def choose_story(stories: list[Item], last_used: dict[str, str], team: str, day: date) -> Item:
    """The least recently used story (never used counts as oldest); ties broken by a hash of team and date."""
    oldest = min(last_used.get(i.id, "") for i in stories)
    pool = sorted((i for i in stories if last_used.get(i.id, "") == oldest), key=lambda i: i.id)
    digest = int(hashlib.sha256(f"{team}|{day.isoformat()}".encode()).hexdigest(), 16)
    return pool[digest % len(pool)]


SCHEMA = """CREATE TABLE IF NOT EXISTS lessons (
    team TEXT NOT NULL, day TEXT NOT NULL, industry TEXT NOT NULL, theme TEXT NOT NULL,
    story_id TEXT NOT NULL, lesson TEXT NOT NULL, created TEXT NOT NULL, PRIMARY KEY (team, day))"""


def _connect(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=10)
        conn.execute(SCHEMA)
        return conn
    except (OSError, sqlite3.Error) as exc:
        raise LecturerError(f"无法打开班前课记录 {path}，请检查数据目录是否可写。", repr(exc)) from exc


def history(path: Path, team: str, day: date) -> tuple[dict | None, dict[str, str]]:
    """This team's lesson recorded for the day (if any), and when each story was last used on other days."""
    if not path.exists():
        return None, {}
    try:
        with closing(_connect(path)) as conn:
            rows = conn.execute("SELECT day, story_id, lesson FROM lessons WHERE team = ?", (team,)).fetchall()
    except sqlite3.Error as exc:
        raise LecturerError(f"班前课记录 {path} 无法读取，文件可能已损坏。", repr(exc)) from exc
    recorded = next((json.loads(lesson) for d, _, lesson in rows if d == day.isoformat()), None)
    last_used: dict[str, str] = {}
    for d, story_id, _ in rows:
        if d != day.isoformat():
            last_used[story_id] = max(d, last_used.get(story_id, ""))
    return recorded, last_used


def record(path: Path, lesson: dict) -> None:
    """Keep a lesson (as `Lesson.to_dict` gives it) as its team's lesson of the day, replacing any earlier one."""
    row = [lesson[k] for k in ("team", "date", "industry", "theme", "story_id")]
    try:
        with closing(_connect(path)) as conn, conn:
            conn.execute(
                "INSERT OR REPLACE INTO lessons VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*row, json.dumps(lesson, ensure_ascii=False), datetime.now().isoformat(timespec="seconds")),
            )
    except sqlite3.Error as exc:
        raise LecturerError(f"班前课记录 {path} 写入失败，请稍后再试。", repr(exc)) from exc
