"""The lesson's own words in corpus/vocabulary.yaml: places, whose words a sub-job's people are, what is not
said to a sub-job, who works weekends, and which words give one piece of advice. The chat never reads them
(bot.index.corpus.Vocabulary reads the rest of the file)."""

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.index.corpus import VOCABULARY_FILE

log = logging.getLogger(__name__)

Table = tuple[tuple[str, str, tuple[str, ...]], ...]  # (industry, name, words)


@dataclass(frozen=True)
class LessonWords:
    """What the vocabulary file says for the lesson alone (empty where it says nothing)."""

    places: Table = ()  # (industry, place, words): the works a team's name may place it on (轨道, 房建)
    said_of: Table = ()  # (industry, sub-job, words): words that speak of that sub-job's people as others
    not_for: Table = ()  # (industry, sub-job, words): words of work that sub-job does not do (换挡 to city buses)
    weekend_work: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (industry, its sub-jobs that work weekends; () all)
    advice: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (name, words): words that give one piece of advice

    def places_in(self, industry: str, text: str) -> frozenset[str]:
        """The places of the industry a text names (「楼盖好以后」: 房建)."""
        return frozenset(place for trade, place, words in self.places if trade == industry and any(w in text for w in words))

    def speaks_of_others(self, industry: str, jobs: frozenset[str], text: str) -> bool:
        """Whether a text speaks of the team's own people as someone else (「让司机老远就能看见咱们」 to crane drivers)."""
        return any(trade == industry and job in jobs and any(w in text for w in words) for trade, job, words in self.said_of)

    def not_theirs(self, industry: str, jobs: frozenset[str], text: str) -> bool:
        """Whether a text speaks of work the team's sub-job does not do (「换挡」 to city bus drivers, most of them automatic)."""
        return any(trade == industry and job in jobs and any(w in text for w in words) for trade, job, words in self.not_for)

    def works_weekends(self, industry: str, jobs: frozenset[str]) -> bool:
        """Whether a team works weekends and holidays as on any day: its whole trade, or its sub-job, is listed."""
        listed = dict(self.weekend_work)
        return industry in listed and (not listed[industry] or bool(set(listed[industry]) & jobs))

    def advice_in(self, text: str) -> frozenset[str]:
        """The pieces of advice a text gives (「反光背心穿在最外面」 and 「穿好反光服」: 反光衣)."""
        return frozenset(name for name, words in self.advice if any(w in text for w in words))

    @classmethod
    def load(cls, root: Path) -> "LessonWords":
        """The lesson's words of the vocabulary file, read again only when the file changes (parsing it took a third
        of a lesson's time); none where it is missing or unreadable (logged)."""
        path = root / VOCABULARY_FILE
        try:
            return read(str(path), path.stat().st_mtime_ns)
        except OSError as exc:
            log.warning("lesson words of %s unreadable: %r", VOCABULARY_FILE, exc)
            return cls()


@lru_cache(maxsize=8)
def read(path: str, stamp: int) -> LessonWords:
    """The lesson's words of the vocabulary file at `path` as it was at `stamp` (its modification time)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        return LessonWords(table(data.get("places")), table(data.get("said_of")), table(data.get("not_for")),
                           weekend(data.get("weekend_work")), groups(data.get("advice")))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, AttributeError, TypeError, ValueError) as exc:
        log.warning("lesson words of %s unreadable: %r", path, exc)
        return LessonWords()


def words_of(raw: object) -> tuple[str, ...]:
    """A list of words, stripped (a ValueError if it is not one)."""
    if not isinstance(raw, list) or not all(isinstance(w, str) and w.strip() for w in raw):
        raise ValueError(f"not a list of words: {raw!r}")
    return tuple(w.strip() for w in raw)


def table(raw: object) -> Table:
    """「行业: {名: [词, 词]}」 as (industry, name, words) rows."""
    return tuple((str(trade), str(name), words_of(ws)) for trade, names in (raw or {}).items() for name, ws in names.items())


def weekend(raw: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """「行业: [岗位]」 (an empty list: the whole trade) as rows."""
    return tuple((str(trade), words_of(jobs) if jobs else ()) for trade, jobs in (raw or {}).items())


def groups(raw: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """「名: [词, 词]」 as rows."""
    return tuple((str(name), words_of(ws)) for name, ws in (raw or {}).items())
