"""班前充电十分钟: choice and rotation, reading time, citations, bad input, exports, CLI and the LLM path.

Most tests need the shipped corpus (marked slow; the corpus_retriever fixture ingests it once per
session); the CLI tests run on the small test corpus.
"""

import json
import os
import re
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from bot import lesson as L
from bot.calendar import load_calendar
from bot.chunking import chunk_body
from bot.errors import LecturerError
from bot.export import to_html, to_markdown
from bot.lesson import build_lesson, candidates, compose_lesson, reading_chars
from bot.llm import LLM
from bot.web.ui import make_lesson

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = re.compile(r".+?(?:[。！？!?][”’」』）)]*(?:\[\d+\])*|$)")
CALENDAR_DAYS = [date(2025, 5, 1), date(2025, 5, 12), date(2025, 6, 18), date(2025, 8, 20), date(2025, 11, 9)]


@pytest.fixture
def settings(corpus_settings, tmp_path):
    """The shipped corpus's settings with a fresh data directory for the lesson records."""
    return corpus_settings.model_copy(update={"data_dir": tmp_path / "data"})


@pytest.fixture(scope="module")
def calendar_items(corpus_settings) -> dict:
    return {item.id: item for item in (d.as_item() for d in load_calendar(corpus_settings.corpus_dir))}


def lesson_for(retriever, settings, team="检修一班", industry="电力", day=date(2025, 6, 3), **kwargs):
    return build_lesson(team, industry, day=day, store=retriever.store, settings=settings, **kwargs)


def sentences(text: str) -> list[str]:
    """Whole sentences (ending in 。！？ and any markers after), one paragraph at a time."""
    return [m.group().strip() for line in text.split("\n") for m in SENTENCE.finditer(line) if m.group().strip()]


def check_cited(lesson, store, calendar_items) -> None:
    """Every factual sentence carries [n]; every [n] exists; every quote is in the cited item's chunk."""
    story = store.items[lesson.story_id]
    framing = {
        *sentences(L.GREETING.format(team=lesson.team, day=L.say_day(date.fromisoformat(lesson.day)))),
        L.NO_DAY,
        L.QUESTIONS_INTRO,
    }
    used: list[int] = []
    for section in lesson.sections:
        if section.heading == L.SOURCES:
            continue
        for sentence in sentences(section.text):
            markers = [int(n) for n in L.MARKER.findall(sentence)]
            question = re.sub(r"^\d+\. ", "", sentence)
            assert markers or sentence in framing or any(question in q for q in story.questions), sentence
            used += markers
    numbers = [c.n for c in lesson.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    assert set(used) == set(numbers)
    assert sorted(set(used), key=used.index) == numbers, "citations are numbered in order of first use"
    for c in lesson.citations:
        if c.id in calendar_items:
            assert c.quote in calendar_items[c.id].body
            continue
        item = store.items[c.id]
        doc = store.docs[store.position[c.chunk_id]]
        assert doc.metadata["item_id"] == c.id
        assert c.quote and c.quote in chunk_body(doc), (c.id, c.quote[:40])
        assert (c.title, c.person, c.source) == (item.title, item.person, item.source)


# Choice and rotation ---------------------------------------------------------------------


@pytest.mark.slow
def test_forty_days_no_repeat_until_stories_run_out(corpus_retriever, settings):
    # No 通用 story: every 工匠精神 story of any industry is a candidate, so 40 days exhaust them.
    pool, note = candidates(corpus_retriever.store, "通用", "工匠精神")
    assert note and 10 < len(pool) < 40
    start = date(2025, 3, 1)
    chosen = [
        lesson_for(corpus_retriever, settings, "巡线一班", "通用", start + timedelta(d), theme="工匠精神")
        for d in range(40)
    ]
    ids = [x.story_id for x in chosen]
    n = len(pool)
    assert len(set(ids[:n])) == n, "no repeat while unused stories remain"
    assert ids[n:] == ids[: 40 - n], "then the least recently used come back, oldest first"
    assert all("通用" in x.note for x in chosen)


@pytest.mark.slow
def test_rotation_within_an_industry_and_theme(corpus_retriever, settings):
    pool, note = candidates(corpus_retriever.store, "电力", "")
    assert not note and 3 <= len(pool) < 12
    ids = [lesson_for(corpus_retriever, settings, day=date(2025, 9, 1) + timedelta(d)).story_id for d in range(12)]
    assert {corpus_retriever.store.items[i].industry for i in ids} == {"电力"}
    n = len(pool)
    for k in range(12 - n + 1):
        assert len(set(ids[k : k + n])) == n
    # A theme narrows the pool; each lesson's story has it.
    themed = [lesson_for(corpus_retriever, settings, "运检二班", theme="工匠精神", day=date(2025, 9, 1) + timedelta(d)) for d in range(3)]
    assert all("工匠精神" in corpus_retriever.store.items[x.story_id].themes for x in themed)
    assert all(x.sections[2].heading.endswith("工匠精神") for x in themed)


@pytest.mark.slow
def test_same_team_and_date_same_lesson_and_preview_records_nothing(corpus_retriever, settings):
    path = settings.lessons_path
    preview = lesson_for(corpus_retriever, settings, preview=True)
    assert not path.exists(), "a preview creates no record file"
    first = lesson_for(corpus_retriever, settings)
    assert first == preview, "a preview shows the lesson that would be recorded"
    assert lesson_for(corpus_retriever, settings) == first
    assert lesson_for(corpus_retriever, settings, team="  检修一班 ") == first, "the team name is normalised"
    lesson_for(corpus_retriever, settings, day=date(2025, 6, 4), preview=True)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT team, day, story_id FROM lessons").fetchall() == [("检修一班", "2025-06-03", first.story_id)]
    # The next recorded day does not repeat the story; the preview of that day did not use one up.
    assert lesson_for(corpus_retriever, settings, day=date(2025, 6, 4)).story_id != first.story_id
    # Asking the same day for another theme makes (and records) a new lesson for that day.
    themed = lesson_for(corpus_retriever, settings, theme="安全生产")
    assert themed.theme == "安全生产" and lesson_for(corpus_retriever, settings, theme="安全生产") == themed
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT theme FROM lessons WHERE day = '2025-06-03'").fetchall() == [("安全生产",)]


# Reading time and citations --------------------------------------------------------------


@pytest.mark.slow
def test_reading_time_within_8_to_10_minutes_for_every_story(corpus_retriever, settings):
    store = corpus_retriever.store
    stories = [i for i in store.items.values() if i.kind == "story"]
    assert len(stories) >= 30
    minutes = []
    for k, story in enumerate(stories):
        for industry in (story.industry, "通用"):
            day = CALENDAR_DAYS[k % len(CALENDAR_DAYS)]
            lesson = compose_lesson(story, team="班组", day=day, industry=industry, store=store, settings=settings)
            assert 8 <= lesson.reading_minutes <= 10, (story.id, industry, lesson.reading_minutes)
            chars = reading_chars(lesson.title, lesson.sections)
            assert lesson.reading_minutes == round(chars / settings.lesson_chars_per_minute, 1)
            story_text = next(s.text for s in lesson.sections if s.heading == L.HEADINGS[L.STORY])
            assert L.MARKER.sub("", story_text).replace("\n\n", "") == "".join(story.body.split()), "the full story"
            minutes.append(lesson.reading_minutes)
    assert min(minutes) >= 8 and max(minutes) <= 10


@pytest.mark.slow
def test_every_factual_sentence_cited_and_quotes_found(corpus_retriever, settings, calendar_items):
    store = corpus_retriever.store
    industries, _ = L.lesson_options(store)
    for k, story in enumerate(i for i in store.items.values() if i.kind == "story"):
        industry = industries[k % len(industries)]
        day = CALENDAR_DAYS[k % len(CALENDAR_DAYS)] + timedelta(days=k % 2)  # with and without a calendar day
        lesson = compose_lesson(story, team="班组", day=day, industry=industry, store=store, settings=settings)
        check_cited(lesson, store, calendar_items)
        headings = [s.heading for s in lesson.sections]
        assert headings[0] == L.HEADINGS[L.OPENING] and headings[-1] == L.SOURCES and len(headings) == 7


@pytest.mark.slow
def test_opening_ties_the_lesson_to_the_day(corpus_retriever, settings):
    may_day = lesson_for(corpus_retriever, settings, day=date(2025, 5, 1))
    assert "五一国际劳动节" in may_day.sections[0].text
    june = lesson_for(corpus_retriever, settings, team="二班", day=date(2025, 6, 18))
    assert "安全生产月" in june.sections[0].text
    fire = lesson_for(corpus_retriever, settings, team="三班", day=date(2025, 11, 9))
    assert "119" in fire.sections[0].text
    plain = lesson_for(corpus_retriever, settings, team="四班", day=date(2025, 8, 20))
    assert L.NO_DAY in plain.sections[0].text


# Bad input -------------------------------------------------------------------------------


@pytest.mark.slow
def test_bad_input_gives_a_clear_message(corpus_retriever, settings):
    industries, themes = L.lesson_options(corpus_retriever.store)
    with pytest.raises(LecturerError) as err:
        lesson_for(corpus_retriever, settings, industry="火星采矿")
    assert "火星采矿" in err.value.message and all(i in err.value.message for i in industries)
    with pytest.raises(LecturerError) as err:
        lesson_for(corpus_retriever, settings, theme="摸鱼精神")
    assert "摸鱼精神" in err.value.message and all(t in err.value.message for t in themes)
    for team in ("", "   ", None, "\u200b"):
        with pytest.raises(LecturerError, match="班组名称"):
            lesson_for(corpus_retriever, settings, team=team)
    for bad in ("2025/06/01", "2025-13-01", "明天", "20250601"):
        with pytest.raises(LecturerError, match="YYYY-MM-DD"):
            lesson_for(corpus_retriever, settings, day=bad)
    assert not settings.lessons_path.exists()


@pytest.mark.slow
def test_industry_without_stories_falls_back_and_says_so(corpus_retriever, settings):
    lesson = lesson_for(corpus_retriever, settings, industry="燃气地质", theme="劳动精神")
    assert "燃气地质" in lesson.note and "其他行业" in lesson.note
    assert "燃气地质" in to_markdown(lesson) and lesson.to_dict()["note"] == lesson.note
    safety = next(s.text for s in lesson.sections if s.heading == L.HEADINGS[L.SAFETY])
    assert "燃气" in safety, "the safety reminder is still the industry's own"



# Exports, CLI, UI ------------------------------------------------------------------------


class Balance(HTMLParser):
    """Checks that every opened element is closed in order."""

    VOID = {"meta", "br", "link", "img", "hr", "input"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, tag


@pytest.mark.slow
def test_html_export_is_a_complete_escaped_page(corpus_retriever, settings):
    lesson = lesson_for(corpus_retriever, settings, team="<script>alert(1)</script>&班")
    page = to_html(lesson)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in page and "@media print" in page and "<title>" in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;&amp;班" in page
    parser = Balance()
    parser.feed(page)
    assert parser.stack == []
    for section in lesson.sections:
        assert section.heading in page
    assert page.count("<sup>") == sum(len(L.MARKER.findall(s.text)) for s in lesson.sections if s.heading != L.SOURCES)
    markdown = to_markdown(lesson)
    assert markdown.startswith(f"# {lesson.title}") and "朗读约" in markdown


@pytest.fixture(scope="module")
def small_db(tmp_path_factory) -> Path:
    """The small test corpus ingested by the real ingest script."""
    db = tmp_path_factory.mktemp("cli") / "data"
    run = subprocess.run(
        [sys.executable, "ingest.py", "--corpus", "tests/data/corpus", "--db", str(db), "--quiet"],
        cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    return db


def clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LECTURER_")}
    return {**env, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "LECTURER_LLM": "none"}


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "lesson", *args], cwd=ROOT, env=clean_env(), capture_output=True, text=True, timeout=300
    )


def test_cli_json_schema_and_files(small_db, tmp_path):
    html_file, md_file = tmp_path / "l.html", tmp_path / "l.md"
    run = cli("--team", "焊接班", "--industry", "机械制造", "--date", "2025-05-01", "--json", "--db", str(small_db),
              "--html", str(html_file), "--markdown", str(md_file))
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert {"title", "sections", "reading_minutes", "story_id", "citations", "note"} <= data.keys()
    assert data["story_id"] == "story-test-welder" and isinstance(data["reading_minutes"], float)
    assert all(s.keys() == {"heading", "text"} and s["text"] for s in data["sections"])
    assert data["citations"] and all({"n", "id", "title", "person", "source", "quote"} <= c.keys() for c in data["citations"])
    assert "五一国际劳动节" in data["sections"][0]["text"]
    assert html_file.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert md_file.read_text(encoding="utf-8").startswith(f"# {data['title']}")
    assert (small_db / "lessons.sqlite3").exists()


def test_cli_bad_input_exits_2_with_the_message(small_db):
    run = cli("--team", "焊接班", "--industry", "火星", "--db", str(small_db), "--preview")
    assert run.returncode == 2 and "可选的行业有：机械制造、公共交通" in run.stderr and "Traceback" not in run.stderr
    run = cli("--team", "焊接班", "--industry", "机械制造", "--date", "5月1日", "--db", str(small_db))
    assert run.returncode == 2 and "YYYY-MM-DD" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.slow
def test_ui_action_shows_the_lesson_or_the_message(corpus_retriever, settings):
    markdown, path = make_lesson("检修一班", "电力", "不限", "2025-06-03", True, retriever=corpus_retriever, settings=settings)
    assert markdown.startswith("# 班前充电十分钟") and Path(path).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    again, same = make_lesson("检修一班", "电力", "不限", "2025-06-03", True, retriever=corpus_retriever, settings=settings)
    assert same == path  # the same lesson again rewrites its file instead of piling up another
    markdown, path = make_lesson("", "电力", "不限", "", True, retriever=corpus_retriever, settings=settings)
    assert "班组名称" in markdown and path is None


def test_lesson_downloads_are_pruned(tmp_path):
    from bot.web.ui import prune

    for i in range(5):
        (tmp_path / f"{i}.html").write_text("x")
        os.utime(tmp_path / f"{i}.html", (1_000_000 + i, 1_000_000 + i))
    prune(tmp_path, keep=2)
    assert sorted(p.name for p in tmp_path.glob("*.html")) == ["3.html", "4.html"]


# The LLM path ----------------------------------------------------------------------------


def fake_llm() -> LLM:
    """Replies for the opening, then the link to the job: cited, uncited and wrongly cited sentences."""
    return LLM(GenericFakeChatModel(messages=iter([
        AIMessage("工友们，六月是全国安全生产月。[1]这个月每人至少找出一处身边的隐患[1]。这句话没有出处。"),
        AIMessage("电力岗位上，细心本身就是一种本事。[1]按标准、按规程干活。[9]"),
    ])))


@pytest.mark.slow
def test_fake_llm_rewrite_keeps_citations(corpus_retriever, settings, calendar_items):
    loose = settings.model_copy(update={"lesson_min_minutes": 1.0})  # let the short rewrites stand
    plain = lesson_for(corpus_retriever, loose, preview=True)
    lesson = lesson_for(corpus_retriever, loose, preview=True, llm=fake_llm())
    opening, link = lesson.sections[0].text, lesson.sections[3].text
    assert opening.startswith("检修一班的工友们，大家好！") and "工友们，六月是全国安全生产月。[" in opening
    assert "没有出处" not in opening and "按标准、按规程干活" not in link, "uncited or wrongly cited sentences are dropped"
    assert link.startswith("电力岗位上，细心本身就是一种本事。[")
    assert lesson.sections[1:3] == plain.sections[1:3], "the story and spirit are never rewritten"
    check_cited(lesson, corpus_retriever.store, calendar_items)


@pytest.mark.slow
def test_fake_llm_rewrite_that_breaks_the_reading_time_is_refused(corpus_retriever, settings, calendar_items):
    plain = lesson_for(corpus_retriever, settings, preview=True)
    lesson = lesson_for(corpus_retriever, settings, preview=True, llm=fake_llm())
    assert "全国安全生产月。[" in lesson.sections[0].text, "a short opening still fits"
    assert L.MARKER.sub("", lesson.sections[3].text) == L.MARKER.sub("", plain.sections[3].text), "the link would not"
    assert 8 <= lesson.reading_minutes <= 10
    check_cited(lesson, corpus_retriever.store, calendar_items)


@pytest.mark.slow
@pytest.mark.parametrize("replies", [[AIMessage("今天要注意安全，大家加油。")], []], ids=["uncited", "fails"])
def test_fake_llm_without_citations_or_failing_falls_back(corpus_retriever, settings, replies):
    llm = LLM(GenericFakeChatModel(messages=iter(replies * 2)))
    plain = lesson_for(corpus_retriever, settings, preview=True)
    assert lesson_for(corpus_retriever, settings, preview=True, llm=llm) == plain
