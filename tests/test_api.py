"""The HTTP API: a real uvicorn server on loopback with the Gradio UI mounted, called with httpx."""

import json

import httpx
import pytest

from bot.state import State
from bot.web.app import Background, create_app
from bot.web.services import build_services
from conftest import free_port

KEY = "test-key-1"


@pytest.fixture(scope="module")
def server(small_retriever, tmp_path_factory):
    settings = small_retriever.settings.model_copy(
        update={"api_keys": f"other-key, {KEY}", "data_dir": tmp_path_factory.mktemp("api") / "data"}
    )
    services = build_services(settings, retriever=small_retriever)
    with Background(create_app(services), free_port()) as url:
        yield url, services


@pytest.fixture(scope="module")
def api(server):
    url, _ = server
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {KEY}"}, timeout=120) as client:
        yield client


def test_ask_answers_with_citations_like_the_cli(api):
    reply = api.post("/api/ask", json={"question": "李建国是怎么练仰焊的？"})
    assert reply.status_code == 200
    body = reply.json()
    assert body["outcome"] == "answered" and body["abstained"] is False
    assert "仰焊" in body["answer"] and body["citations"][0]["id"] == "story-test-welder"
    assert set(body) == {"answer", "outcome", "abstained", "mode", "enforcement", "notice", "citations", "choices"}
    assert body["mode"] == "extractive" and body["enforcement"] is None and body["notice"] == ""


def test_ask_follows_the_history_it_is_sent(api):
    first = api.post("/api/ask", json={"question": "李建国是怎么练仰焊的？"}).json()
    history = [{"role": "user", "content": "李建国是怎么练仰焊的？"}, {"role": "assistant", "content": first["answer"]}]
    alone = api.post("/api/ask", json={"question": "他后来呢"}).json()
    assert alone["outcome"] == "clarify"
    follow = api.post("/api/ask", json={"question": "他后来呢", "history": history}).json()
    assert follow["outcome"] == "answered" and {c["id"] for c in follow["citations"]} == {"story-test-welder"}


def test_filters_restrict_what_is_quoted(api):
    body = api.post("/api/ask", json={"question": "出车前检查什么？", "filters": {"kind": "course"}}).json()
    assert all(c["id"].startswith("course-") for c in body["citations"])


def test_streaming_sends_growing_snapshots_then_the_final_answer(api):
    with api.stream("POST", "/api/ask/stream", json={"question": "李建国是怎么练仰焊的？"}) as reply:
        assert reply.status_code == 200 and reply.headers["content-type"].startswith("application/x-ndjson")
        lines = [json.loads(line) for line in reply.iter_lines() if line]
    assert len(lines) >= 2 and lines[-1]["done"] and not any(line["done"] for line in lines[:-1])
    assert lines[-1]["answer"] == api.post("/api/ask", json={"question": "李建国是怎么练仰焊的？"}).json()["answer"]


@pytest.mark.parametrize(
    "headers, status, code",
    [({}, 401, "unauthorised"), ({"Authorization": "Bearer wrong"}, 401, "unauthorised"),
     ({"Authorization": KEY}, 401, "unauthorised"), ({"Authorization": "Bearer 密钥".encode()}, 401, "unauthorised")],
)
def test_a_key_is_required(server, headers, status, code):
    url, _ = server
    reply = httpx.post(f"{url}/api/ask", json={"question": "你好"}, headers=headers)
    assert reply.status_code == status and reply.json()["error"]["code"] == code
    assert "Authorization: Bearer" in reply.json()["error"]["message"]


def test_without_configured_keys_the_api_says_how_to_switch_it_on(small_retriever, tmp_path):
    settings = small_retriever.settings.model_copy(update={"api_keys": None, "data_dir": tmp_path})
    with Background(create_app(build_services(settings, retriever=small_retriever)), free_port()) as url:
        reply = httpx.post(f"{url}/api/ask", json={"question": "你好"}, headers={"Authorization": "Bearer x"})
        assert reply.status_code == 503 and "LECTURER_API_KEYS" in reply.json()["error"]["message"]
        assert httpx.get(f"{url}/healthz").status_code == 200  # health needs no key


@pytest.mark.parametrize(
    "payload, status, words",
    [({"q": "漏了 question"}, 422, "question"), ({"question": 123}, 422, "question"),
     ({"question": "   "}, 400, "请先输入"), ({"question": "问" * 10_000}, 400, "问题太长了"),
     ({"question": "你好", "history": [{"role": "bot", "content": "x"}]}, 422, "history")],
)
def test_bad_requests_get_a_chinese_message_and_the_right_status(api, payload, status, words):
    reply = api.post("/api/ask", json=payload)
    assert reply.status_code == status and words in reply.json()["error"]["message"]


def test_malformed_json_and_oversized_bodies_are_refused(api):
    reply = api.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert reply.status_code == 422 and "JSON" in reply.json()["error"]["message"]
    big = json.dumps({"question": "问" * 30_000}).encode()
    assert api.post("/api/ask", content=big, headers={"content-type": "application/json"}).status_code == 413

    def chunked():  # no Content-Length: the limit still holds
        yield big

    reply = api.post("/api/ask", content=chunked(), headers={"content-type": "application/json"})
    assert reply.status_code == 413 and "字节" in reply.json()["error"]["message"]


def test_items_lesson_and_unknown_paths(api):
    item = api.get("/api/items/story-test-welder").json()
    assert item["person"] == "李建国" and item["body"]
    missing = api.get("/api/items/no-such-item")
    assert missing.status_code == 404 and "没有找到" in missing.json()["error"]["message"]
    assert api.get("/api/items/course-test-draft").status_code == 404  # drafts never reach workers
    lesson = api.post("/api/lesson", json={"team": "检修一班", "industry": "机械制造", "date": "2025-06-03"})
    body = lesson.json()
    assert lesson.status_code == 200 and body["team"] == "检修一班" and body["sections"]
    assert body["script"] and "[1]" not in body["script"] and body["discussion_minutes"] in (2, 3)
    # 换一篇: another story for the same day, recorded in its place.
    again = api.post("/api/lesson", json={"team": "检修一班", "industry": "机械制造", "date": "2025-06-03",
                                          "instead_of": body["story_id"]}).json()
    assert again["story_id"] != body["story_id"]
    same = api.post("/api/lesson", json={"team": "检修一班", "industry": "机械制造", "date": "2025-06-03"}).json()
    assert same["story_id"] == again["story_id"]
    bad = api.post("/api/lesson", json={"team": "检修一班", "industry": "不存在的行业"})
    assert bad.status_code == 400 and bad.json()["error"]["message"]
    nowhere = api.get("/api/nothing-here")
    assert nowhere.status_code == 404 and "/api/docs" in nowhere.json()["error"]["message"]


def test_feedback_is_kept(api, server):
    _, services = server
    reply = api.post("/api/feedback", json={"question": "李建国是谁", "answer": "……", "rating": "down", "comment": "没答到点子上"})
    assert reply.status_code == 201
    rows = State(services.settings.state_path).feedback()
    assert rows[-1]["id"] == reply.json()["id"] and rows[-1]["rating"] == "down" and rows[-1]["comment"] == "没答到点子上"
    assert api.post("/api/feedback", json={"question": "q", "answer": "a", "rating": "meh"}).status_code == 422


def test_health_schema_and_the_chat_share_one_port(server, small_retriever):
    url, _ = server
    health = httpx.get(f"{url}/healthz").json()
    assert health["status"] == "ok" and health["items"] == len(small_retriever.store.items) and health["chunks"] > 0
    schema = httpx.get(f"{url}/api/openapi.json").json()
    assert {"/api/ask", "/api/ask/stream", "/api/lesson", "/api/items/{item_id}", "/api/feedback"} <= set(schema["paths"])
    from gradio_client import Client

    reply = Client(f"{url}/", verbose=False).predict("李建国是怎么练仰焊的？", api_name="/chat")
    assert "仰焊" in json.dumps(reply, ensure_ascii=False)
    _, services = server
    assert any(r["channel"] == "chat" for r in State(services.settings.state_path).questions())


def test_answered_questions_are_logged_for_the_trainers(api, server):
    _, services = server
    api.post("/api/ask", json={"question": "李建国是怎么练仰焊的？"})
    rows = State(services.settings.state_path).questions()
    last = rows[-1]
    assert last["question"].startswith("李建国是怎么练仰焊的") and last["outcome"] == "answered" and last["channel"] == "api"
    assert last["items"] == "story-test-welder" and last["latency_ms"] >= 0
    assert set(last) == {"id", "created", "question", "outcome", "items", "latency_ms", "channel"}  # nothing about who


def test_the_question_log_keeps_only_its_retention(tmp_path):
    state = State(tmp_path / "state.sqlite3")
    state.log_question("旧问题", "answered", (), 5, "chat", keep_days=30)
    import sqlite3

    with sqlite3.connect(tmp_path / "state.sqlite3") as conn:
        conn.execute("UPDATE questions SET created = '2020-01-01T00:00:00+00:00'")
    state.log_question("新问题", "declined", (), 5, "chat", keep_days=30)
    assert [r["question"] for r in state.questions()] == ["新问题"]
    state.log_question("不保留", "answered", (), 5, "chat", keep_days=0)
    assert state.questions() == []


def test_an_older_state_database_is_migrated(tmp_path):
    import sqlite3

    from bot.state import MIGRATIONS

    path = tmp_path / "state.sqlite3"
    with sqlite3.connect(path) as conn:  # a database from before the question log
        conn.execute(MIGRATIONS[0].format(serial="INTEGER PRIMARY KEY AUTOINCREMENT"))
        conn.execute("PRAGMA user_version = 1")
        conn.execute("INSERT INTO feedback (created, question, answer, rating) VALUES ('2026-01-01', 'q', 'a', 'up')")
    state = State(path)
    state.log_question("问", "answered", ("x",), 1, "api", keep_days=30)
    assert len(state.feedback()) == 1 and len(state.questions()) == 1
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_a_chunked_body_within_the_limit_is_answered(api):
    def chunked():  # no Content-Length: read by the size check, then handed on to the route
        yield json.dumps({"question": "李建国是怎么练仰焊的？"}).encode()

    reply = api.post("/api/ask", content=chunked(), headers={"content-type": "application/json"})
    assert reply.status_code == 200 and reply.json()["outcome"] == "answered"
