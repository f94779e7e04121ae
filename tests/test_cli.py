"""Command lines: ingest.py's summary and `python -m bot ask`."""

import json
import subprocess
import sys

import pytest

from conftest import ROOT, SMALL_CORPUS


def run(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "db"
    first = run("ingest.py", "--corpus", str(SMALL_CORPUS), "--db", str(path), "--quiet")
    assert first.returncode == 0, first.stderr
    assert "新增 3 条" in first.stdout and "用时" in first.stdout
    again = run("ingest.py", "--corpus", str(SMALL_CORPUS), "--db", str(path), "--quiet")
    assert "未变 3 条" in again.stdout and "嵌入 0 个文本块" in again.stdout
    return path


def test_ask_json_schema(db):
    out = run("-m", "bot", "ask", "王秀英出车前检查什么？", "--db", str(db), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"answer", "outcome", "abstained", "mode", "enforcement", "notice", "citations", "choices"}
    assert isinstance(data["answer"], str) and data["abstained"] is False and data["outcome"] == "answered"
    assert data["citations"] and all(
        set(c) == {"n", "id", "title", "person", "source", "quote"} and isinstance(c["n"], int) for c in data["citations"]
    )
    assert data["citations"][0]["id"] == "story-test-driver"


def test_ask_plain_text_lists_citations(db):
    out = run("-m", "bot", "ask", "焊接前要清理什么？", "--db", str(db))
    assert out.returncode == 0 and "[1]" in out.stdout and "来源：测试用教材" in out.stdout


def test_ask_declines_in_json(db):
    data = json.loads(run("-m", "bot", "ask", "帮我写个Python脚本", "--db", str(db), "--json").stdout)
    assert data["abstained"] is True and data["citations"] == []


@pytest.mark.parametrize("question", ["", "   ", "字" * 10_000, "🙂🙂"])
def test_ask_bad_input_is_a_message_not_a_traceback(db, question):
    out = run("-m", "bot", "ask", question, "--db", str(db))
    assert out.returncode == 2 and out.stderr.strip() and "Traceback" not in out.stderr


def test_ask_on_empty_store_says_how_to_ingest(tmp_path):
    out = run("-m", "bot", "ask", "什么是工匠精神？", "--db", str(tmp_path / "none"))
    assert out.returncode == 2 and "python ingest.py" in out.stderr


def test_cli_takes_history_from_a_file(db, tmp_path):
    history = tmp_path / "history.json"
    history.write_text(json.dumps([{"role": "user", "content": "李建国是怎么练仰焊的？"},
                                   {"role": "assistant", "content": "说到李建国，……"}], ensure_ascii=False), encoding="utf-8")
    out = run("-m", "bot", "ask", "他后来呢", "--db", str(db), "--json", "--history", str(history))
    data = json.loads(out.stdout)
    assert data["outcome"] == "answered" and data["citations"][0]["id"] == "story-test-welder"
    alone = json.loads(run("-m", "bot", "ask", "他后来呢", "--db", str(db), "--json").stdout)
    assert alone["outcome"] == "clarify" and alone["abstained"] is True
    history.write_text("{不是 JSON", encoding="utf-8")
    bad = run("-m", "bot", "ask", "他后来呢", "--db", str(db), "--history", str(history))
    assert bad.returncode == 2 and "不是合法的 JSON" in bad.stderr and "Traceback" not in bad.stderr
