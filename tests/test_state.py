"""The state layer on both engines: SQLite (one deployment) and a real PostgreSQL (replicas)."""

import itertools
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest

from bot.errors import LecturerError
from bot.lesson.compose import build_lesson, candidates
from bot.state import State


@pytest.fixture(params=["sqlite", "postgres"])
def target(request, tmp_path):
    if request.param == "sqlite":
        return tmp_path / "state.sqlite3"
    return request.getfixturevalue("postgres_url")


def test_feedback_and_questions_under_32_concurrent_writers_lose_no_row(target):
    states = [State(target), State(target)]  # two replicas on one database
    with ThreadPoolExecutor(32) as pool:
        ids = list(pool.map(lambda n: states[n % 2].add_feedback(f"问题{n}", "答", "up" if n % 3 else "down", "", ("x",)), range(96)))
        list(pool.map(lambda n: states[n % 2].log_question(f"问{n}", "answered", ("a", "a", "b"), n, "api", 30), range(96)))
    assert len(set(ids)) == 96
    assert sorted(r["question"] for r in states[0].feedback()) == sorted(f"问题{n}" for n in range(96))
    rows = states[1].questions()
    assert len(rows) == 96 and rows[0]["items"] == "a,b"
    assert set(rows[0]) == {"id", "created", "question", "outcome", "items", "latency_ms", "channel"}


def test_the_question_log_keeps_only_its_retention(target):
    state = State(target)
    state.log_question("旧问题", "answered", (), 5, "chat", keep_days=30)
    with state._connect() as conn:
        conn.execute("UPDATE questions SET created = '2020-01-01T00:00:00+00:00'")
    state.log_question("新问题", "declined", (), 5, "chat", keep_days=30)
    assert [r["question"] for r in state.questions()] == ["新问题"]
    state.log_question("不保留", "answered", (), 5, "chat", keep_days=0)
    assert state.questions() == []


def test_a_database_that_cannot_be_reached_is_a_clear_message(tmp_path, postgres_server):
    down = postgres_server.rsplit(":", 1)[0] + ":1/postgres"  # nothing listens on port 1
    with pytest.raises(LecturerError) as raised:
        State(down).add_feedback("问", "答", "up")
    assert "状态数据库" in raised.value.message and "Traceback" not in raised.value.message
    (tmp_path / "file").write_text("x")  # a data directory that cannot be created (root ignores modes)
    with pytest.raises(LecturerError) as raised:
        State(tmp_path / "file" / "sub" / "state.sqlite3").feedback()
    assert "数据目录是否可写" in raised.value.message


@pytest.mark.slow
def test_two_replicas_rotate_one_teams_lessons_as_one(corpus_retriever, corpus_settings, postgres_url):
    """Eight lessons for one team on eight days, made at once through two State objects on one
    PostgreSQL (two replicas): every own story used, no story twice in a row, all recorded."""
    settings = corpus_settings
    states = [State(postgres_url), State(postgres_url)]
    own, _, _ = candidates(corpus_retriever.store, "电力", "")
    days = [date(2025, 10, 1) + timedelta(d) for d in range(8)]

    def make(n: int):
        return build_lesson("配电一班", "电力", day=days[n], store=corpus_retriever.store, settings=settings, state=states[n % 2])

    with ThreadPoolExecutor(8) as pool:
        made = list(pool.map(make, range(8)))
    ids = [x.story_id for x in made]
    assert {i for i in ids if i in {o.id for o in own}} == {o.id for o in own}, "every own story used"
    assert all(a != b for a, b in itertools.pairwise(ids)), ids
    with states[0]._connect() as conn:
        rows = conn.execute("SELECT day, story_id FROM lessons WHERE team = '配电一班' ORDER BY day").fetchall()
    assert [r[1] for r in rows] == ids
    assert states[1].team_industry("配电一班") == "电力"
