"""The pre-shift calendar (corpus/calendar.yaml): the days a lesson can open with."""

import hashlib
import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import yaml
from langchain_core.documents import Document

from bot.errors import LecturerError
from bot.index.corpus import GENERAL, Item

GENERAL_SAFETY = "course-safety-general"  # for industries without a safety course of their own
FILE = "calendar.yaml"
MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Day:
    """One calendar entry: a fixed date ("MM-DD"), a span of days ("MM-DD" to "MM-DD"), a whole month, or
    the days it falls on in given years (a lunar festival: 春节 2027-02-05 to 2027-02-12, 端午 2027-06-09)."""

    name: str
    theme: str
    talks: tuple[str, ...]  # what the team leader says of the day: one wording, or several said in turn (春节's week)
    source: str
    date: str = ""
    month: int | None = None
    start: str = ""
    end: str = ""
    industries: tuple[str, ...] = ()
    about: tuple[str, ...] = ()  # words of the stories the day is about (中国医师节: 医生, 行医…)
    own_talks: tuple[str, ...] = ()  # what a team of the day's own industries hears instead (doctors are not told to see one)
    dates: tuple[tuple[str, str], ...] = ()  # ("YYYY-MM-DD", "YYYY-MM-DD") spans, one a year; a day is a span of one

    @property
    def key(self) -> str:
        if self.dates:
            return f"y{self.dates[0][0]}"
        return self.date or (f"{self.start}{self.end}" if self.start else f"m{self.month:02d}")

    @property
    def daily(self) -> bool:
        """Whether the entry is a day (or days) of its own, said each day it falls on, and not a campaign
        week or month, said once a week: a fixed date or a festival of given years (春节 all its week)."""
        return bool(self.date or self.dates)

    def matches(self, day: date) -> bool:
        md = f"{day.month:02d}-{day.day:02d}"
        if self.dates:
            return any(start <= day.isoformat() <= end for start, end in self.dates)
        if self.date:
            return self.date == md
        if self.start:
            return self.start <= md <= self.end if self.start <= self.end else md >= self.start or md <= self.end
        return self.month == day.month

    def talks_for(self, industry: str) -> tuple[str, ...]:
        """The wordings the team leader may say of the day: to its own trade in its own words, where it has them."""
        return self.own_talks if self.own_talks and industry in self.industries else self.talks

    def weight(self, industry: str) -> float:
        """How much the entry matters to a team of this industry: its own trade's day first, then a
        national day, a campaign week, a campaign month, and last another trade's day."""
        if self.industries:
            return 4 if industry in self.industries else 0.5
        return 3 if self.daily else 2 if self.start else 1

    def as_item(self) -> Item:
        """The entry as a citable item: its body is the name and theme, then the talk."""
        return Item(
            id=f"calendar-{self.key.replace('-', '')}-{hashlib.sha1(self.name.encode()).hexdigest()[:6]}",
            kind="calendar",
            title=f"班前会日历：{self.name}",
            industry=GENERAL,
            themes=(),
            summary=self.theme,
            lesson=self.talks[0],
            questions=(),
            source=self.source,
            status="approved",
            body="\n".join((f"{self.name}：{self.theme}", *self.talks, *self.own_talks)),
            path=FILE,
        )


def load_calendar(corpus_dir: Path) -> list[Day]:
    """The calendar entries, or none if the corpus has no calendar file; with the solar terms a lesson
    speaks of (冬至), computed for the years the file's lunar festivals are written for."""
    path = corpus_dir / FILE
    if not path.is_file():
        return []
    days = read_calendar(path)
    years = sorted({int(start[:4]) for d in days for start, _ in d.dates})
    return days + [solar_term_day(term, years) for term in SOLAR_TERM_DAYS] if years else days


def read_calendar(path: Path) -> list[Day]:
    """The entries of the calendar file."""
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
                talks=wordings(entry["talk"]),
                source=str(entry.get("source") or "").strip(),
                date=str(entry.get("date") or "").strip(),
                month=int(entry["month"]) if entry.get("month") is not None else None,
                start=str(entry.get("from") or "").strip(),
                end=str(entry.get("to") or "").strip(),
                industries=tuple(str(i).strip() for i in entry.get("industries") or ()),
                about=tuple(str(w).strip() for w in entry.get("about") or () if str(w).strip()),
                own_talks=wordings(entry.get("own_talk")) if entry.get("own_talk") else (),
                dates=year_spans(entry.get("dates")),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise LecturerError(f"班前会日历第 {n} 条缺少 name/theme/talk 或格式不对", repr(exc)) from exc
        kinds = [bool(MONTH_DAY.match(day.date)), bool(MONTH_DAY.match(day.start) and MONTH_DAY.match(day.end)),
                 bool(day.month and 1 <= day.month <= 12), bool(day.dates)]
        if sum(kinds) != 1:
            raise LecturerError(
                f"班前会日历第 {n} 条（{day.name}）须有且只有一种日子：date（\"MM-DD\"）、from 和 to（\"MM-DD\"）、"
                "month（1–12）或 dates（\"YYYY-MM-DD\" 或 from/to 为 \"YYYY-MM-DD\" 的列表）",
                repr(entry),
            )
        days.append(day)
    return days


def wordings(raw: object) -> tuple[str, ...]:
    """An entry's `talk` or `own_talk`: one text, or a list of them said in turn on the entry's days (a
    ValueError when there is none)."""
    texts = tuple(str(t).strip() for t in (raw if isinstance(raw, list) else [raw]) if t is not None and str(t).strip())
    if not texts:
        raise ValueError(f"no talk in {raw!r}")
    return texts


def year_spans(raw: object) -> tuple[tuple[str, str], ...]:
    """An entry's `dates`: each a "YYYY-MM-DD" day or a {from, to} span of them, checked to be real
    days in order (a ValueError otherwise)."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"dates should be a list, not {raw!r}")
    spans = []
    for one in raw:
        start, end = (one, one) if isinstance(one, (str, date)) else (one["from"], one["to"])  # YAML reads 2027-06-09 as a date
        start, end = str(start).strip(), str(end).strip()
        if not (ISO_DAY.match(start) and ISO_DAY.match(end)) or date.fromisoformat(start) > date.fromisoformat(end):
            raise ValueError(f"not a day or span of days: {one!r}")
        spans.append((start, end))
    return tuple(spans)


def days_for(days: list[Day], day: date, industry: str = "") -> list[Day]:
    """The entries for a date, the one that matters most to this industry first (file order among equals)."""
    matching = [d for d in days if d.matches(day)]
    return sorted(matching, key=lambda d: -d.weight(industry))


def day_document(item: Item) -> Document:
    """A calendar item's one chunk, shaped like a store chunk so it can be cited the same way."""
    return Document(
        id=f"{item.id}:0",
        page_content=item.body,
        metadata={"item_id": item.id, "chunk_index": 0, "body_offset": 0, "title": item.title},
    )


def lesson_problems(items: list[Item], corpus_dir: Path, vocabulary_industries: tuple[str, ...]) -> list[str]:
    """What the pre-shift lesson needs of the corpus, in Chinese: a readable calendar whose industries
    exist, and the general safety course that stands in for trades without their own."""
    problems = []
    try:
        days = load_calendar(corpus_dir)
    except LecturerError as exc:
        return [f"{FILE}: {exc.message}"]
    for day in days:
        for industry in day.industries:
            if vocabulary_industries and industry not in vocabulary_industries:
                problems.append(f"{FILE}: 「{day.name}」的行业「{industry}」不在词表 vocabulary.yaml 里")
    approved = {i.id for i in items if i.status == "approved"}
    if days and GENERAL_SAFETY not in approved:
        problems.append(f"班前课需要通用安全课 {GENERAL_SAFETY}.md（已批准），给没有本行业安全课的班组用")
    return problems


# Solar terms -------------------------------------------------------------------------------------------
# A solar term falls on the day (Beijing time) the sun's apparent longitude reaches its angle: 冬至 270°,
# 清明 15°. The longitude is Meeus's low-precision formula (Astronomical Algorithms, ch. 25: within 0.01°,
# about a quarter of an hour), close enough for the day except within minutes of midnight.
BEIJING = timezone(timedelta(hours=8))
J2000 = 2451545.0
UNIX_EPOCH_JD = 2440587.5


def sun_longitude(jd: float) -> float:
    """The sun's apparent ecliptic longitude in degrees at a Julian day."""
    t = (jd - J2000) / 36525
    mean = 280.46646 + 36000.76983 * t + 0.0003032 * t * t
    anomaly = math.radians(357.52911 + 35999.05029 * t - 0.0001537 * t * t)
    centre = ((1.914602 - 0.004817 * t - 0.000014 * t * t) * math.sin(anomaly)
              + (0.019993 - 0.000101 * t) * math.sin(2 * anomaly) + 0.000289 * math.sin(3 * anomaly))
    node = math.radians(125.04 - 1934.136 * t)
    return (mean + centre - 0.00569 - 0.00478 * math.sin(node)) % 360


def solar_term(year: int, longitude: float) -> date:
    """The day (Beijing time) in `year` on which the sun reaches `longitude` (0 at the March equinox)."""
    march_equinox = datetime(year, 3, 20, tzinfo=UTC).timestamp() / 86400 + UNIX_EPOCH_JD
    jd = march_equinox + longitude / 360 * 365.2422
    for _ in range(10):  # Newton's method: the sun moves about 0.9856° a day
        jd += ((longitude - sun_longitude(jd) + 180) % 360 - 180) / 0.9856
    moment = datetime.fromtimestamp((jd - UNIX_EPOCH_JD) * 86400, tz=UTC)
    return moment.astimezone(BEIJING).date()


@dataclass(frozen=True)
class SolarTerm:
    """A solar term a lesson opens with: its angle and what a team leader says of it."""

    name: str
    longitude: float
    theme: str
    talks: tuple[str, ...]


SOLAR_TERM_DAYS = (
    SolarTerm("冬至", 270, "二十四节气之一，一年中白天最短的一天", (
        "今天冬至，一年里白天最短，天黑得早，下班路上多留神；天冷了，家里炖汤、取暖开火多，记得开窗通风。",
        "今天冬至，数九寒天从今天算起，早晚多穿一件；用火用电取暖的地方，睡前出门前都查一查。",
    )),
)
SOLAR_TERM_SOURCE = "二十四节气（太阳视黄经到达节气度数之日，北京时间，按天文算法推算）"


def solar_term_day(term: SolarTerm, years: list[int]) -> Day:
    """A solar term as a calendar entry: the day it falls on in each year."""
    dates = tuple((d.isoformat(), d.isoformat()) for d in (solar_term(y, term.longitude) for y in years))
    return Day(name=term.name, theme=term.theme, talks=term.talks, source=SOLAR_TERM_SOURCE, dates=dates)


# Public holidays ---------------------------------------------------------------------------------------
# As the State Council has set them since the 2024 revision of 《全国年节及纪念日放假办法》 (2025, 2026): 元旦, 春节
# from 除夕 to 初七 (the calendar's 春节 entry), 清明 (the solar term), 劳动节 5-1 to 5-5, 端午 and 中秋 (the
# calendar's entries), 国庆 10-1 to 10-7 and one day more when 中秋 falls in it (2025: to 10-8). The weekend days
# moved to make a short holiday three days long are set year by year and not known ahead: they are not counted.
LONG_HOLIDAY = 5  # days: a holiday this long is a 长假


@dataclass(frozen=True)
class Holiday:
    """A public holiday: its spoken name and its days."""

    name: str
    start: date
    end: date

    @property
    def long(self) -> bool:
        return (self.end - self.start).days + 1 >= LONG_HOLIDAY


def holidays(days: list[Day], year: int) -> list[Holiday]:
    """The public holidays of a year, from the fixed dates, the solar terms and the calendar's lunar festivals."""
    def lunar(name: str) -> list[tuple[date, date]]:
        return [(date.fromisoformat(s), date.fromisoformat(e)) for d in days if d.name == name
                for s, e in d.dates if int(s[:4]) == year]

    mid_autumn = [s for s, _ in lunar("中秋节")]
    national_end = date(year, 10, 7) + timedelta(days=any(date(year, 10, 1) <= d <= date(year, 10, 8) for d in mid_autumn))
    out = [Holiday("元旦", date(year, 1, 1), date(year, 1, 1))]
    out += [Holiday("春节", s, e) for s, e in lunar("春节")]
    qingming = solar_term(year, 15)
    out += [Holiday("清明", qingming, qingming), Holiday("五一", date(year, 5, 1), date(year, 5, 5))]
    out += [Holiday("端午", s, e) for s, e in lunar("端午节")]
    out += [Holiday("中秋", s, s) for s in mid_autumn if not date(year, 10, 1) <= s <= national_end]
    out.append(Holiday("国庆", date(year, 10, 1), national_end))
    return out


def holiday_on(days: list[Day], day: date) -> Holiday | None:
    """The public holiday the day is one of, if any."""
    return next((h for h in holidays(days, day.year) if h.start <= day <= h.end), None)


def back_from(days: list[Day], day: date) -> Holiday | None:
    """The public holiday that ended the day before, if any: the day is the first back at work. A weekend
    right after it is part of the break (元旦 on a Friday: Monday 2027-01-04 is the first day back, trial 14)."""
    before = day - timedelta(days=1)
    while day.weekday() < 5 and before.weekday() >= 5 and not holiday_on(days, before):
        before -= timedelta(days=1)
    return next((h for h in holidays(days, before.year) if h.end == before), None)


# The weeks after the Spring Festival: 节后复工, from the first day after the holiday through 正月二十, when work
# picks up again with people out of their routine (正月十四, a Monday, was heard as an ordinary one: trial 15). The
# days are the calendar's own 春节 entry's, so no lunar calendar is needed.
AFTER_FESTIVAL_DAYS = 20  # days after 除夕 (the holiday's first day) that are still 节后: 正月二十


def after_spring_festival(days: list[Day], day: date) -> bool:
    """Whether the day falls in the weeks right after the Spring Festival holiday (and not in it)."""
    return any(h.name == "春节" and h.end < day <= h.start + timedelta(days=AFTER_FESTIVAL_DAYS) for h in holidays(days, day.year))
