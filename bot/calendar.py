"""The pre-shift calendar (corpus/calendar.yaml): the days a lesson can open with."""

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from langchain_core.documents import Document

from bot.corpus import Item
from bot.errors import LecturerError

FILE = "calendar.yaml"
MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class Day:
    """One calendar entry: a fixed date ("MM-DD") or a whole month."""

    name: str
    theme: str
    talk: str
    source: str
    date: str = ""
    month: int | None = None

    @property
    def key(self) -> str:
        return self.date or f"m{self.month:02d}"

    def matches(self, day: date) -> bool:
        return self.date == f"{day.month:02d}-{day.day:02d}" if self.date else self.month == day.month

    def as_item(self) -> Item:
        """The entry as a citable item: its body is the name and theme, then the talk."""
        return Item(
            id=f"calendar-{self.key.replace('-', '')}-{hashlib.sha1(self.name.encode()).hexdigest()[:6]}",
            kind="calendar",
            title=f"班前会日历：{self.name}",
            industry="通用",
            themes=(),
            summary=self.theme,
            lesson=self.talk,
            questions=(),
            source=self.source,
            status="approved",
            body=f"{self.name}：{self.theme}\n{self.talk}",
            path=FILE,
        )


def load_calendar(corpus_dir: Path) -> list[Day]:
    """The calendar entries, or none if the corpus has no calendar file."""
    path = corpus_dir / FILE
    if not path.is_file():
        return []
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LecturerError(f"班前会日历 {path} 无法读取，请检查文件格式", repr(exc)) from exc
    if not isinstance(raw, list):
        raise LecturerError(f"班前会日历 {path} 应是条目列表", f"calendar is {type(raw).__name__}")
    days = []
    for n, entry in enumerate(raw, 1):
        try:
            day = Day(
                name=str(entry["name"]).strip(),
                theme=str(entry["theme"]).strip(),
                talk=str(entry["talk"]).strip(),
                source=str(entry.get("source") or "").strip(),
                date=str(entry.get("date") or "").strip(),
                month=int(entry["month"]) if entry.get("month") is not None else None,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise LecturerError(f"班前会日历第 {n} 条缺少 name/theme/talk 或格式不对", repr(exc)) from exc
        if not (MONTH_DAY.match(day.date) or (not day.date and day.month and 1 <= day.month <= 12)):
            raise LecturerError(f"班前会日历第 {n} 条（{day.name}）须有 date（\"MM-DD\"）或 month（1–12）", repr(entry))
        days.append(day)
    return days


def days_for(days: list[Day], day: date) -> list[Day]:
    """The entries for a date: that day's own first, then the month's."""
    return [d for d in days if d.date and d.matches(day)] + [d for d in days if not d.date and d.matches(day)]


def day_document(item: Item) -> Document:
    """A calendar item's one chunk, shaped like a store chunk so it can be cited the same way."""
    return Document(
        id=f"{item.id}:0",
        page_content=item.body,
        metadata={"item_id": item.id, "chunk_index": 0, "body_offset": 0, "title": item.title},
    )
