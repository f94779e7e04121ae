"""The web chat: a real Gradio server on a free port, driven by gradio_client."""

import os
import subprocess
import sys

import pytest

from bot import prompts
from bot.chat.retrieve import HybridRetriever
from bot.index.store import Store
from bot.web.ui import build_ui, launch
from conftest import ROOT, free_port, make_settings, wait_for_port


def serve(retriever: HybridRetriever):
    settings = retriever.settings.model_copy(update={"port": free_port()})
    demo = launch(build_ui(settings, retriever), settings, prevent_thread_lock=True, quiet=True)
    return demo, f"http://127.0.0.1:{settings.port}/"


@pytest.fixture(scope="module")
def client(small_retriever):
    from gradio_client import Client

    demo, url = serve(small_retriever)
    yield Client(url, verbose=False)
    demo.close()


def texts(reply) -> list[str]:
    """The chat messages' contents (gradio_client returns the last yielded message list)."""
    messages = reply if isinstance(reply, list) else [reply]
    return [m["content"] if isinstance(m, dict) else str(m) for m in messages]


def flat(value) -> str:
    if isinstance(value, dict):
        return " ".join(flat(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(flat(v) for v in value)
    return str(value)


def test_round_trip_answer_with_citation_cards(client):
    reply = client.predict("李建国是怎么练仰焊的？", api_name="/chat")
    contents = texts(reply)
    assert "仰焊" in flat(contents[0]) and "[1]" in flat(contents[0])
    assert len(contents) >= 2  # one card per citation
    assert "焊工李师傅" in flat(reply[1])


@pytest.mark.parametrize(
    "question, expected",
    [
        ("", "请先输入"),
        ("   ", "请先输入"),
        ("问" * 10_000, "问题太长了"),
        ("🤔🤔", "没能看懂"),
        ("\x00\x01\x02", "请先输入"),
        ("国足昨晚上踢赢没得", prompts.DECLINE[:10]),
    ],
)
def test_bad_input_gets_a_clear_message(client, question, expected):
    reply = client.predict(question, api_name="/chat")
    assert expected in flat(reply)
    assert "Traceback" not in flat(reply) and "Error" not in flat(reply)


def test_empty_store_says_how_to_ingest(tmp_path, embeddings):
    from gradio_client import Client

    settings = make_settings(tmp_path / "empty")
    demo, url = serve(HybridRetriever(store=Store(settings, embeddings), settings=settings))
    try:
        reply = Client(url, verbose=False).predict("什么是工匠精神？", api_name="/chat")
        assert "python ingest.py" in flat(reply)
    finally:
        demo.close()


def test_app_py_serves_on_the_configured_port(tmp_path):
    """`python app.py` starts, binds host and port from the settings, and sends nothing off the machine."""
    port = free_port()
    env = {**os.environ, "LECTURER_DATA_DIR": str(tmp_path / "data"), "LECTURER_PORT": str(port)}
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, proc, 120)
        from gradio_client import Client

        assert "python ingest.py" in flat(Client(f"http://127.0.0.1:{port}/", verbose=False).predict("你好", api_name="/chat"))
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_concurrent_questions_get_the_same_answers_as_one_at_a_time(small_retriever):
    """The app answers several workers at once (queue concurrency 4) on one shared model."""
    from concurrent.futures import ThreadPoolExecutor

    from bot.chat.answer import answer

    questions = ["李建国是怎么练仰焊的？", "王秀英出车前检查什么？", "焊接前要清理什么？", "焊工要穿戴哪些防护用品？"] * 3
    alone = {q: answer(q, retriever=small_retriever) for q in set(questions)}
    small_retriever.store.query_vectors.clear()
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda q: answer(q, retriever=small_retriever), questions))
    assert together == [alone[q] for q in questions]


def test_clarify_choices_are_buttons():
    from bot.chat.answer import Answer, Choice
    from bot.web.ui import render

    asked = Answer(prompts.CLARIFY, outcome="clarify", choices=(Choice("艾爱国：焊工", "《艾爱国》：那个焊工劳模是谁", "story-ai-aiguo"),))
    message = render(asked)[0]
    assert message.options == [{"value": "《艾爱国》：那个焊工劳模是谁", "label": "艾爱国：焊工"}]


def test_one_card_per_cited_item_with_each_passage_under_its_number():
    from bot.chat.citations import Citation
    from bot.chat.result import Answer
    from bot.web.ui import render

    cites = (Citation(1, "a", "甲的故事", "甲", "报道", "第一段。", "a1"), Citation(2, "a", "甲的故事", "甲", "报道", "第二段。", "a2"),
             Citation(3, "b", "乙课", "", "课程", "第三段。", "b1"))
    messages = render(Answer("一[1]二[2]三[3]", cites))
    assert [m.metadata["title"] for m in messages[1:]] == ["[1][2] 甲的故事 · 甲", "[3] 乙课"]
    assert "> [1] 第一段。" in messages[1].content and "> [2] 第二段。" in messages[1].content
    assert messages[2].content.startswith("> 第三段。") and messages[2].content.count("出处") == 1


def test_a_notice_is_shown_above_the_answer():
    from bot.chat.result import Answer
    from bot.web.ui import render

    content = render(Answer("答案[1]", notice=prompts.LLM_UNAVAILABLE))[0].content
    assert content.startswith(f"*{prompts.LLM_UNAVAILABLE}*\n\n") and content.endswith("答案[1]")
    assert not render(Answer("答案[1]"))[0].content.startswith("*")


def test_chat_follows_the_conversation(small_retriever):
    """The chat adapter passes Gradio's history (citation cards included) to the lecturer."""
    from bot.web.ui import respond

    first = list(respond("李建国是怎么练仰焊的？", [], retriever=small_retriever, settings=small_retriever.settings))[-1]
    history = [{"role": "user", "content": "李建国是怎么练仰焊的？"}]
    history += [{"role": "assistant", "content": m.content, "metadata": m.metadata} for m in first]
    follow = list(respond("他后来呢", history, retriever=small_retriever, settings=small_retriever.settings))[-1]
    assert "李建国" in follow[0].content and "[1]" in follow[0].content
    alone = list(respond("他后来呢", [], retriever=small_retriever, settings=small_retriever.settings))[-1]
    assert alone[0].content == prompts.CLARIFY_NO_CONTEXT


@pytest.mark.parametrize("command", [["app.py"], ["ingest.py", "--check"], ["-m", "bot", "ask", "你好"]])
def test_a_bad_setting_is_named_in_one_line(tmp_path, command):
    env = {**os.environ, "LECTURER_DATA_DIR": str(tmp_path / "data"), "LECTURER_PORT": "abc"}
    done = subprocess.run([sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "LECTURER_PORT" in done.stderr and "Traceback" not in done.stderr + done.stdout
    assert len(done.stderr.strip().splitlines()) == 1


def test_corpus_text_is_shown_as_text_not_html_or_links():
    from bot.chat.answer import Answer
    from bot.chat.citations import Citation
    from bot.web.ui import render

    evil = '他说：<img src=http://example.com/x.png onerror=alert(1)>，详见[这里](http://example.com)。'
    cite = Citation(1, "story-x", "标题<b>粗</b>", "某人", "[报道](http://example.com/source)", evil, "c1")
    messages = render(Answer(f"说到某人：\n\n{evil}[1]", (cite,)))
    for m in messages:
        text = m.content + str(m.metadata or "")
        assert "<img" not in text and "<b>" not in text and "](http" not in text
    assert "example.com" in messages[1].content  # still there, as text
