"""班前充电十分钟: a pre-shift lesson to read aloud, composed from one story and the courses around it.

The lesson is the course-pre-shift-ten-minutes plan: open with the day, tell a story, name its
spirit, link it to the job, remind of safety, ask a question. Every factual sentence is quoted
from the corpus (or the calendar) and cited; an LLM, when configured, may only rephrase the
opening and the link to the job under the same citation rule.
"""

import logging
import re
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date

from langchain_core.documents import Document
from langchain_core.messages import HumanMessage, SystemMessage

from bot import prompts
from bot.calendar import Day, day_document, days_for, load_calendar
from bot.chat.citations import MARKER, Citation, renumber, sentences_of, sources
from bot.chat.generate import Enforcer, Passage
from bot.chat.retrieve import Hit
from bot.chunking import split_sentences
from bot.config import Settings
from bot.corpus import Item
from bot.errors import LecturerError
from bot.llm import LLM, Unavailable
from bot.prompts import EMPTY_STORE
from bot.quotes import Draft, fit, parts, render, size
from bot.rotation import choose_story, history, record
from bot.store import Store

log = logging.getLogger(__name__)

SPIRITS = {
    "劳模精神": "course-spirit-model-worker",
    "劳动精神": "course-spirit-labour",
    "工匠精神": "course-spirit-craftsman",
}
DEFAULT_SPIRIT = "劳模精神"
PRACTICE = ("course-spirit-together", "每天怎么践行")  # a general link to the job
GENERAL_SAFETY = "course-rights-occupational-safety"  # for industries without a safety course
JOB, POINTS, REMINDER = "岗位上的精神", "安全要点", "班前提醒"
GENERAL = "通用"
ANY_THEME = "不限"
MAX_TEAM_CHARS = 30

OPENING, STORY, SPIRIT, LINK, SAFETY, QUESTIONS = range(6)
HEADINGS = ("一、开场", "二、讲故事", "三、悟精神", "四、联岗位", "五、提安全", "六、议一议")
SOURCES = "来源"

# Framing: the only sentences a lesson says without a citation (they state no fact).
GREETING = "{team}的工友们，大家好！今天是{day}。"
NO_DAY = "今天不逢节日，咱们照样用十分钟给自己充充电。"
QUESTIONS_INTRO = "请大家结合今天的活，想一想、议一议："
NOTE_NO_STORY = "「{industry}」暂无{theme}故事，本课选用了其他行业的故事。"
NOTE_NO_SAFETY = "「{industry}」暂无专门的班前安全课，安全提醒选用了通用的安全生产内容。"


@dataclass(frozen=True)
class Section:
    """One part of the lesson: a heading and its text with [n] markers."""

    heading: str
    text: str


@dataclass(frozen=True)
class Lesson:
    """A pre-shift lesson, ready to read aloud or export."""

    title: str
    team: str
    day: str
    industry: str
    theme: str
    sections: tuple[Section, ...]
    reading_minutes: float
    story_id: str
    citations: tuple[Citation, ...]
    note: str = ""

    def to_dict(self) -> dict:
        """The lesson as plain JSON-ready data (also how it is recorded)."""
        data = asdict(self)
        data["date"] = data.pop("day")
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Lesson":
        """The inverse of `to_dict`."""
        return cls(
            **{k: v for k, v in data.items() if k not in {"date", "sections", "citations"}},
            day=data["date"],
            sections=tuple(Section(**s) for s in data["sections"]),
            citations=tuple(Citation(**c) for c in data["citations"]),
        )


# Input ----------------------------------------------------------------------------------


def clean_team(team: str | None) -> str:
    """A team name fit for a title and a record key, or a LecturerError saying what is wrong."""
    text = unicodedata.normalize("NFKC", team or "")
    text = re.sub(r"\s+", " ", "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")).strip()
    if not text:
        raise LecturerError("请填写班组名称，例如“检修一班”：讲稿开头要称呼大家，轮换记录也按班组保存。", "empty team")
    if len(text) > MAX_TEAM_CHARS:
        raise LecturerError(
            f"班组名称太长了（{len(text)} 字），请控制在 {MAX_TEAM_CHARS} 字以内。", f"team {len(text)} chars"
        )
    return text


def parse_day(text: str | None, today: date | None = None) -> date:
    """A YYYY-MM-DD date (today when empty), or a LecturerError giving the expected format."""
    text = (text or "").strip()
    if not text:
        return today or date.today()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError as exc:
        raise LecturerError(f"日期「{text}」无法识别，请按 YYYY-MM-DD 格式填写，例如 2025-05-01。", repr(exc)) from exc


def lesson_options(store: Store) -> tuple[list[str], list[str]]:
    """The industries (most material first, 通用 last) and the story themes a lesson can be asked for."""
    industries: dict[str, int] = defaultdict(int)
    themes: dict[str, int] = defaultdict(int)
    for item in store.items.values():
        industries[item.industry] += 1
        if item.kind == "story":
            for theme in item.themes:
                themes[theme] += 1
    rank = sorted(industries, key=lambda k: (k == GENERAL, -industries[k], k))
    return rank, sorted(themes, key=lambda k: (-themes[k], k))


def check_choice(industry: str | None, theme: str | None, store: Store) -> tuple[str, str]:
    """The industry and theme ("" for any), or a LecturerError listing the valid ones."""
    industries, themes = lesson_options(store)
    industry, theme = (industry or "").strip(), (theme or "").strip()
    if industry not in industries:
        what = f"没有「{industry}」这个行业" if industry else "请选择行业"
        raise LecturerError(f"{what}。可选的行业有：{'、'.join(industries)}。", f"unknown industry {industry!r}")
    if theme in ("", ANY_THEME):
        return industry, ""
    if theme not in themes:
        raise LecturerError(
            f"没有「{theme}」这个主题。可选的主题有：{'、'.join(themes)}（或不限）。", f"unknown theme {theme!r}"
        )
    return industry, theme


# Choice ---------------------------------------------------------------------------------


def candidates(store: Store, industry: str, theme: str) -> tuple[list[Item], str]:
    """The stories that fit, and a note when none of this industry does and others stand in."""
    stories = sorted((i for i in store.items.values() if i.kind == "story"), key=lambda i: i.id)
    themed = [i for i in stories if not theme or theme in i.themes]
    own = [i for i in themed if i.industry == industry]
    if own:
        return own, ""
    if not themed:
        raise LecturerError("教材库里还没有可用的故事，请先导入教材。", "no stories")
    return themed, NOTE_NO_STORY.format(industry=industry, theme=f"「{theme}」主题的" if theme else "")


def say_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日，星期{'一二三四五六日'[day.weekday()]}"


def course_with(items: dict[str, Item], industry: str, heading: str) -> Item | None:
    """The first course of an industry with a section of that heading."""
    for item in sorted(items.values(), key=lambda i: i.id):
        if item.kind == "course" and item.industry == industry and heading in parts(item.body):
            return item
    return None


def draft_lesson(
    story: Item, *, team: str, day: date, industry: str, spirit: str, store: Store, days: list[Day]
) -> tuple[Draft, str]:
    """Every candidate sentence of the lesson, by section and tier, and a note if general safety stands in."""
    items = dict(store.items)
    docs: dict[str, list[Document]] = defaultdict(list)
    for doc in store.docs:
        docs[doc.metadata["item_id"]].append(doc)
    for chunks in docs.values():
        chunks.sort(key=lambda d: d.metadata["chunk_index"])
    entries = days_for(days, day)
    day_items = [entry.as_item() for entry in entries]
    for item in day_items:
        items[item.id], docs[item.id] = item, [day_document(item)]
    draft = Draft(items, docs)
    note = ""

    draft.say(OPENING, GREETING.format(team=team, day=say_day(day)))
    for k, item in enumerate(day_items):
        draft.quote(OPENING, item, [item.body], 0 if k == 0 else 2)
    if not day_items:
        draft.say(OPENING, NO_DAY)

    draft.quote(STORY, story, [p for ps in parts(story.body).values() for p in ps], 0)

    draft.quote(SPIRIT, story, [story.lesson], 0)
    if course := items.get(SPIRITS[spirit]):
        sections = parts(course.body)
        draft.quote(SPIRIT, course, sections.pop(""), 1)
        draft.quote(SPIRIT, course, [p for ps in sections.values() for p in ps], 3)

    job = course_with(items, industry, JOB)
    if job:
        draft.quote(LINK, job, parts(job.body)[JOB], 0)
    if practice := items.get(PRACTICE[0]):
        draft.quote(LINK, practice, parts(practice.body).get(PRACTICE[1], []), 2 if job else 0)

    if safety := course_with(items, industry, REMINDER) or course_with(items, industry, POINTS):
        sections = parts(safety.body)
        draft.quote(SAFETY, safety, sections.get(POINTS, []), 1)
        draft.quote(SAFETY, safety, sections.get(REMINDER, []), 0)
    elif general := items.get(GENERAL_SAFETY):
        note = NOTE_NO_SAFETY.format(industry=industry)
        sections = parts(general.body)
        draft.quote(SAFETY, general, sections.pop(""), 0)
        draft.quote(SAFETY, general, [p for ps in sections.values() for p in ps], 1)

    draft.say(QUESTIONS, QUESTIONS_INTRO)
    for k, question in enumerate(story.questions[:2]):
        draft.say(QUESTIONS, f"{k + 1}. {question}", 0 if k == 0 else 1)
    return draft, note


def rewrite(
    text: str, part: str, team: str, citations: list[Citation], items: dict[str, Item], llm: LLM, store: Store
) -> str | None:
    """The section rephrased by the LLM, each sentence checked against the passage it cites;
    None keeps the composed text."""
    paragraphs = text.split("\n\n")
    lead = 0
    while lead < len(paragraphs) and not MARKER.search(paragraphs[lead]):
        lead += 1
    body = "\n\n".join(paragraphs[lead:])
    used = sorted({int(n) for n in MARKER.findall(body)})
    if not used:
        return None
    by_n = {c.n: c for c in citations}
    passages = []
    for k, n in enumerate(used, 1):
        c = by_n[n]
        doc = Document(id=c.chunk_id, page_content=c.quote, metadata={"body_offset": 0})
        passages.append(Passage(k, Hit(items[c.id], (doc,), 0.0, 0.0), doc, c.quote, split_sentences(c.quote)))
    numbered = "\n\n".join(f"[{p.n}] 《{p.hit.item.title}》{p.text}" for p in passages)
    messages = [
        SystemMessage(prompts.LESSON_SYSTEM.format(length=size(body))),
        HumanMessage(prompts.LESSON_USER.format(part=part, team=team, passages=numbered, draft=MARKER.sub("", body))),
    ]
    try:
        reply = llm.invoke(messages)
    except Unavailable as exc:  # the composed text still serves the lesson
        log.warning("LLM rewrite of %s failed: %s", part, exc)
        return None
    enforcer = Enforcer(passages, store.checker, llm.support)
    for sentence in sentences_of([reply]):
        enforcer.check(sentence)
    answer = enforcer.answer()
    if not answer.citations or enforcer.dropped > enforcer.kept + enforcer.repaired:
        log.warning("LLM rewrite of %s: %s; using the composed text", part, enforcer.enforcement)
        return None
    to_global = {k: used[n - 1] for n, k in enforcer.numbers.items()}
    rewritten = MARKER.sub(lambda m: f"[{to_global[int(m.group(1))]}]", answer.text)
    return "\n\n".join(paragraphs[:lead] + [rewritten])


def reading_chars(title: str, sections: tuple[Section, ...] | list[Section]) -> int:
    """Characters read aloud: title, headings and texts, without the sources."""
    return size(title) + sum(size(s.heading) + size(s.text) for s in sections if s.heading != SOURCES)


def compose_lesson(
    story: Item,
    *,
    team: str,
    day: date,
    industry: str,
    store: Store,
    settings: Settings,
    theme: str = "",
    note: str = "",
    llm: LLM | None = None,
) -> Lesson:
    """The lesson around one story, fitted to the reading time; rephrased in part by the LLM if given."""
    spirit = theme if theme in SPIRITS else next((t for t in story.themes if t in SPIRITS), DEFAULT_SPIRIT)
    draft, safety_note = draft_lesson(
        story,
        team=team,
        day=day,
        industry=industry,
        spirit=spirit,
        store=store,
        days=load_calendar(settings.corpus_dir),
    )
    title = f"班前充电十分钟｜{story.title}"
    headings = list(HEADINGS)
    headings[SPIRIT] += f"：{spirit}"
    cpm = settings.lesson_chars_per_minute
    low, high = round(settings.lesson_min_minutes * cpm), round(settings.lesson_max_minutes * cpm)
    overhead = size(title) + sum(map(size, headings))
    texts, citations = render(fit(draft.units, overhead, low, high), draft.items, len(headings))
    if llm is not None:
        target = (low + high) / 2
        for s in (OPENING, LINK):
            new = rewrite(texts[s], headings[s], team, citations, draft.items, llm, store)
            if new is None:
                continue
            before, after = (
                overhead + sum(map(size, texts)),
                overhead + sum(map(size, texts)) - size(texts[s]) + size(new),
            )
            if low <= after <= high or abs(after - target) <= abs(before - target):
                texts[s] = new
    texts, citations = renumber(texts, citations)
    sections = [Section(h, t) for h, t in zip(headings, texts, strict=True) if t] + [
        Section(SOURCES, sources(citations))
    ]
    return Lesson(
        title=title,
        team=team,
        day=day.isoformat(),
        industry=industry,
        theme=theme,
        sections=tuple(sections),
        reading_minutes=round(reading_chars(title, sections) / cpm, 1),
        story_id=story.id,
        citations=tuple(citations),
        note="".join(n for n in (note, safety_note) if n),
    )


def build_lesson(
    team: str | None,
    industry: str | None,
    *,
    store: Store,
    settings: Settings,
    theme: str | None = None,
    day: str | date | None = None,
    preview: bool = False,
    llm: LLM | None = None,
) -> Lesson:
    """The team's lesson for the day: the recorded one if there is one, else a new one (recorded unless previewing)."""
    team = clean_team(team)
    day = day if isinstance(day, date) else parse_day(day)
    if store.is_empty:
        raise LecturerError(EMPTY_STORE, "empty store")
    industry, theme = check_choice(industry, theme, store)
    path = settings.lessons_path
    recorded, last_used = history(path, team, day)
    if recorded and recorded.get("industry") == industry and recorded.get("theme") == theme:
        try:
            return Lesson.from_dict(recorded)
        except (KeyError, TypeError) as exc:  # recorded by an older version: compose it afresh
            log.warning("unreadable recorded lesson for %s %s: %r", team, day, exc)
    stories, note = candidates(store, industry, theme)
    story = choose_story(stories, last_used, team, day)
    lesson = compose_lesson(
        story, team=team, day=day, industry=industry, store=store, settings=settings, theme=theme, note=note, llm=llm
    )
    if not preview:
        record(path, lesson.to_dict())
    return lesson
