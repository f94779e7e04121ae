"""The 管理 area's parts with real files, a real state database, real Chroma and a real server:
accounts and sessions, editing with review and undo, concurrent saves, document import, preview,
and no trainer route open to an anonymous caller."""

import io
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bot.chat.answer import answer
from bot.chat.retrieve import HybridRetriever
from bot.errors import LecturerError
from bot.index.corpus import load_corpus
from bot.index.store import Store
from bot.manage.accounts import MAX_FAILURES, Accounts
from bot.manage.documents import draft_fields, extract
from bot.manage.items import Editor
from bot.manage.questions import QuestionLog
from bot.state import State
from conftest import ROOT, free_port

BODY = "\n\n".join([
    "张建华是山城电力检修班的班长，二十年来一直在高压线路上做带电作业。刚进班组时，他连绝缘手套都戴不稳，师傅让他每天下班后在训练场练两个小时。",
    "有一年冬天，一场冻雨压断了城郊的三条线路。张建华带着班组在零下的山坡上连续干了三十个小时，一根一根地更换断股的导线，保证了两个镇的居民用电。",
    "他把多年的经验写成了一本带电作业口袋书，里面有四十多个常见险情的处置步骤。新来的年轻人人手一本，班组十年没有发生一起人身事故。",
    "有人问他累不累，他说：线路那头是千家万户的灯，看到村里亮了，心里就踏实了。如今他带出的徒弟，有六个已经当上了班长。",
])


def new_story(item_id: str = "story-zhang-jianhua", **changes) -> dict:
    fields = {
        "id": item_id, "kind": "story", "title": "带电作业班长张建华", "person": "张建华", "honours": "市级劳动模范",
        "employer": "山城电力检修班", "industry": "机械制造", "region": "重庆", "year": "2021", "themes": ["工匠精神"],
        "summary": "检修班长张建华二十年坚守带电作业一线，带出一支零事故班组。", "lesson": "安全和技术都是一天天练出来的。",
        "questions": "你的岗位上最需要苦练的是哪一项？", "source": "测试用教材", "body": BODY, "_new": True,
    }
    return fields | changes


@pytest.fixture
def state(tmp_path) -> State:
    return State(tmp_path / "state.sqlite3")


@pytest.fixture
def editor(small_corpus, tmp_path, state) -> Editor:
    jobs: list[int] = []
    editor = Editor(small_corpus, tmp_path / "data", state, lambda: jobs.append(1) or str(len(jobs)))
    editor.jobs = jobs
    return editor


def status_of(editor: Editor, item_id: str) -> str:
    return next(i.status for i in load_corpus(editor.corpus_dir).items if i.id == item_id)


# Accounts ---------------------------------------------------------------------------------


def test_accounts_hash_passwords_expire_sessions_and_limit_failures(state):
    accounts = Accounts(state, session_hours=1 / 3600)  # one-second sessions
    accounts.add("张老师", "secret123")
    with pytest.raises(LecturerError):
        accounts.add("李老师", "short")
    stored = state.rows("SELECT password FROM trainers")[0]["password"]
    assert "secret123" not in stored and stored.startswith("scrypt$")
    login = accounts.login("张老师", "secret123")
    assert login.token and accounts.user(login.token) == "张老师"
    assert login.token not in str(state.rows("SELECT token FROM sessions")), "only a hash of the token is kept"
    time.sleep(1.5)
    assert accounts.user(login.token) is None, "the session expired"
    for _ in range(MAX_FAILURES):
        assert accounts.login("张老师", "wrong-password").message == "用户名或密码不对。"
    locked = accounts.login("张老师", "secret123")
    assert not locked.token and "次数过多" in locked.message
    assert accounts.login("没有这个人", "secret123").message == "用户名或密码不对。"


def test_users_command_creates_an_account_with_no_default_password(tmp_path):
    run = [sys.executable, "-m", "bot", "users", "add", "王老师", "--password-stdin", "--db", str(tmp_path / "data")]
    done = subprocess.run(run, input="secret123\n", cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "已创建" in done.stdout
    short = subprocess.run([*run[:5], "赵老师", *run[6:]], input="123\n", cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert short.returncode == 2 and "至少 8 位" in short.stderr and "Traceback" not in short.stderr
    listed = subprocess.run([*run[:4], "list", "--db", str(tmp_path / "data")], cwd=ROOT, capture_output=True, text=True)
    assert listed.stdout.split() == ["王老师"]


# Editing and review -------------------------------------------------------------------------


def test_a_new_story_is_a_draft_until_a_second_trainer_approves_it(editor):
    assert editor.check(new_story(year="二〇二一")) == {"year": "应为整数，实际是「二〇二一」，请只写阿拉伯数字，如 2021"}
    assert "body" in editor.check(new_story(body="太短了。"))
    saved = editor.save(new_story(), "", "张老师")
    assert saved.ok, saved.message
    path = editor.corpus_dir / "stories" / "story-zhang-jianhua.md"
    assert path.is_file() and status_of(editor, "story-zhang-jianhua") == "draft"
    assert "张建华" in path.read_text(encoding="utf-8"), "the file in corpus/ is the source of truth"
    refused = editor.approve("story-zhang-jianhua", "张老师")
    assert not refused.ok and "另一位培训师" in refused.message
    assert editor.approve("story-zhang-jianhua", "李老师").ok
    assert status_of(editor, "story-zhang-jianhua") == "approved"
    assert [r["action"] for r in editor.history("story-zhang-jianhua")] == ["approved", "saved"]
    assert len(editor.jobs) == 2, "each change queued an ingest"
    taken = editor.save(new_story(title="另一个标题"), "", "李老师")
    assert not taken.ok and "已被其他教材使用" in taken.message


def test_a_trainer_adds_asked_questions_in_the_form(editor):
    asked = "张建华咋个练的手稳｜师傅让他每天下班后在训练场练两个小时\n他带出了好多班长"
    assert editor.check(new_story(asked="练手｜这句不在正文里")) == {
        "asked": "第 1 条：「这句不在正文里」在正文里找不到——竖线后面的原句要一字不差地从正文复制"
    }
    assert editor.save(new_story(asked=asked), "", "张老师").ok
    fields, _, _ = editor.open("story-zhang-jianhua")
    assert fields["asked"] == asked
    item = next(i for i in load_corpus(editor.corpus_dir).items if i.id == "story-zhang-jianhua")
    assert item.asked == tuple(asked.split("\n"))


def test_one_trainer_unions_may_approve_their_own(small_corpus, tmp_path, state):
    editor = Editor(small_corpus, tmp_path / "data", state, single_trainer=True)
    assert editor.save(new_story(), "", "张老师").ok
    assert editor.approve("story-zhang-jianhua", "张老师").ok


def test_an_edit_of_an_approved_item_waits_for_review_and_undo_takes_it_back(editor):
    fields, version, status = editor.open("story-test-welder")
    assert status == "approved"
    path = editor.corpus_dir / "story-test-welder.md"
    before = path.read_text(encoding="utf-8")
    saved = editor.save(fields | {"lesson": "手艺是练出来的。"}, version, "张老师")
    assert saved.ok and "原来的版本" in saved.message
    assert path.read_text(encoding="utf-8") == before, "workers keep the approved text until the edit is approved"
    assert editor.open("story-test-welder")[2] == "pending"
    assert editor.undo("story-test-welder", "张老师").ok
    assert editor.open("story-test-welder")[2] == "approved" and path.read_text(encoding="utf-8") == before
    fields, version, _ = editor.open("story-test-welder")
    assert editor.save(fields | {"lesson": "手艺是练出来的。"}, version, "张老师").ok
    assert editor.approve("story-test-welder", "李老师").ok
    assert "手艺是练出来的。" in path.read_text(encoding="utf-8")
    assert editor.set_status("story-test-welder", "retired", "李老师").ok and status_of(editor, "story-test-welder") == "retired"
    assert editor.set_status("story-test-welder", "approved", "李老师").ok and status_of(editor, "story-test-welder") == "approved"
    assert editor.undo("story-test-welder", "李老师").ok and status_of(editor, "story-test-welder") == "retired"


def test_undoing_twice_never_puts_an_unreviewed_edit_on_the_air(editor):
    """An edit waiting for review, then 撤销 twice: the first drops the edit, the second finds nothing to
    undo; the approved text stays approved and unchanged (a trainer's review found it went live)."""
    path = editor.corpus_dir / "story-test-welder.md"
    before = path.read_text(encoding="utf-8")
    fields, version, _ = editor.open("story-test-welder")
    assert editor.save(fields | {"lesson": "没审核的点评。"}, version, "张老师").ok
    assert editor.undo("story-test-welder", "张老师").ok
    second = editor.undo("story-test-welder", "张老师")
    assert not second.ok and "没有可以撤销" in second.message
    assert path.read_text(encoding="utf-8") == before and status_of(editor, "story-test-welder") == "approved"
    assert editor.open("story-test-welder")[2] == "approved"


def test_retiring_an_item_with_a_waiting_edit_and_undo_undo_the_retirement(editor):
    fields, version, _ = editor.open("story-test-welder")
    assert editor.save(fields | {"lesson": "待审核的点评。"}, version, "张老师").ok
    assert editor.set_status("story-test-welder", "retired", "李老师").ok
    assert editor.open("story-test-welder")[2] == "retired", "the form says what workers get"
    assert editor.undo("story-test-welder", "李老师").ok and status_of(editor, "story-test-welder") == "approved"


def test_a_save_based_on_an_older_version_is_refused_and_both_texts_are_kept(editor):
    fields, version, _ = editor.open("course-test-draft")
    first = editor.save(fields | {"summary": "第一位培训师的摘要。"}, version, "张老师")
    assert first.ok
    second = editor.save(fields | {"summary": "第二位培训师的摘要。"}, version, "李老师")
    assert not second.ok and "张老师" in second.message and "合并" in second.message
    assert "第一位培训师的摘要。" in (editor.corpus_dir / "course-test-draft.md").read_text(encoding="utf-8")
    [kept] = list((editor.dir / "conflicts").glob("course-test-draft-*.md"))
    assert "第二位培训师的摘要。" in kept.read_text(encoding="utf-8")


# Import -----------------------------------------------------------------------------------


def word_document(title: str, body: str) -> bytes:
    """A .docx made as a trainer's Word would: a title line, then one paragraph each."""
    import docx

    document = docx.Document()
    for paragraph in [title, *body.split("\n\n")]:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def print_pdf(title: str, body: str, pdf: Path, chromium: str = "chromium") -> Path:
    """A PDF printed by a real browser from a page with the title and the paragraphs."""
    page = pdf.with_suffix(".html")
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    page.write_text(f"<html><meta charset='utf-8'><body><h1>{title}</h1>{paragraphs}</body></html>", encoding="utf-8")
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                    page.as_uri()], capture_output=True, timeout=120)
    return pdf


def test_a_word_document_becomes_a_draft(tmp_path):
    fields = draft_fields("张建华.docx", extract("张建华.docx", word_document("带电作业班长张建华", BODY)))
    assert fields["title"] == "带电作业班长张建华" and fields["body"] == BODY
    assert fields["summary"].startswith("张建华是山城电力检修班的班长") and fields["source"].endswith("张建华.docx")


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs chromium to print a PDF")
def test_a_pdf_printed_by_a_browser_becomes_a_draft(tmp_path):
    pdf = print_pdf("带电作业班长张建华", BODY, tmp_path / "story.pdf")
    text = extract("story.pdf", pdf.read_bytes())
    fields = draft_fields("story.pdf", text)
    assert fields["title"] == "带电作业班长张建华"
    assert "冻雨压断了城郊的三条线路" in fields["body"] and "六个已经当上了班长" in fields["body"]


@pytest.mark.parametrize("name, data, words", [
    ("a.exe", b"MZ", "不支持"), ("a.pdf", b"%PDF-1.4 broken", "读不出"), ("a.txt", b"", "没有读到文字"),
])
def test_bad_uploads_get_a_message(name, data, words):
    with pytest.raises(LecturerError) as raised:
        extract(name, data)
    assert words in raised.value.message


def test_a_gb18030_text_file_is_read():
    assert extract("a.txt", "工匠精神。".encode("gb18030")) == "工匠精神。"


# Preview ----------------------------------------------------------------------------------


def test_preview_answers_from_the_draft_and_readers_never_see_it(small_settings, embeddings, editor):
    store = Store(small_settings, embeddings)
    store.sync(load_corpus(small_settings.corpus_dir).items)
    from bot.web.manage_ui import draft_item

    draft = draft_item(new_story())
    snapshot = store.preview([draft])
    got = answer("张建华是怎么带出零事故班组的？", retriever=HybridRetriever(store=snapshot, settings=small_settings))
    assert "story-zhang-jianhua" in {c.id for c in got.citations}
    assert "story-zhang-jianhua" not in store.snapshot().items
    live = answer("张建华是怎么带出零事故班组的？", retriever=HybridRetriever(store=store, settings=small_settings))
    assert "story-zhang-jianhua" not in {c.id for c in live.citations}


# The question log -------------------------------------------------------------------------


def test_the_question_log_groups_counts_and_marks_handled(state):
    for q in ("工资拖欠找谁？", "工资拖欠找谁", "焊工要穿戴什么"):
        state.log_question(q, "declined" if "工资" in q else "answered", (), 5, "chat", 30)
    state.add_feedback("焊工要穿戴什么", "……", "down", "没说手套")
    log = QuestionLog(state)
    top = log.most_asked()
    assert (top[0].question.rstrip("？"), top[0].count) == ("工资拖欠找谁", 2)
    assert [a.question.rstrip("？") for a in log.most_asked(declined_only=True)] == ["工资拖欠找谁"]
    assert log.disliked()[0].comment == "没说手套"
    log.mark_handled("工资拖欠找谁？", "张老师")
    assert log.most_asked()[0].handled_by == "张老师"


def test_a_question_from_the_log_goes_into_the_item_that_answered_it(state, editor):
    from bot.manage.items import with_asked

    state.log_question("李师傅咋个练的仰焊", "answered", ("story-test-welder", "course-test-safety"), 5, "chat", 30)
    state.add_feedback("李师傅咋个练的仰焊？", "……", "down", "没说到点子上", ("story-test-welder",))
    assert QuestionLog(state).items_of("李师傅咋个练的仰焊") == ["story-test-welder"]
    assert QuestionLog(state).items_of("没人问过") == []
    fields, _, _ = editor.open("story-test-welder")
    added = with_asked(fields, "李师傅咋个练的仰焊")
    assert added["asked"].endswith("李师傅咋个练的仰焊｜")
    assert with_asked(added, "李师傅咋个练的仰焊") == added  # asked once


# The server: no trainer route for an anonymous caller ---------------------------------------


@pytest.fixture(scope="module")
def manage_server(small_retriever, tmp_path_factory):
    from bot.web.app import Background, create_app
    from bot.web.services import build_services

    root = tmp_path_factory.mktemp("manage")
    shutil.copytree(small_retriever.settings.corpus_dir, root / "corpus")
    settings = small_retriever.settings.model_copy(update={"data_dir": root / "data", "corpus_dir": root / "corpus", "api_keys": "k"})
    services = build_services(settings, retriever=small_retriever)
    services.accounts.add("张老师", "secret123")
    with Background(create_app(services), free_port()) as url:
        yield url


def test_every_trainer_route_is_refused_without_a_login(manage_server):
    with httpx.Client(base_url=manage_server, timeout=60, follow_redirects=False) as anonymous:
        page = anonymous.get("/manage/")
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        for method, path in [("GET", "/manage/config"), ("GET", "/manage/gradio_api/info"), ("POST", "/manage/gradio_api/queue/join"),
                             ("POST", "/manage/gradio_api/upload"), ("GET", "/manage/gradio_api/openapi.json")]:
            reply = anonymous.request(method, path, json={"fn_index": 0, "data": [], "session_hash": "x"})
            assert reply.status_code in (401, 403), (path, reply.status_code)
        assert anonymous.post("/gradio_api/upload", files={"files": ("a.txt", b"x")}).status_code == 403, "the chat takes no uploads"
        assert anonymous.post("/login", data={"name": "张老师", "password": "nope"}).status_code == 401
    with httpx.Client(base_url=manage_server, timeout=60, follow_redirects=False) as trainer:
        done = trainer.post("/login", data={"name": "张老师", "password": "secret123", "next": "https://evil.example/"})
        assert done.status_code == 303 and done.headers["location"] == "/manage/", "never sent away from the site"
        assert "HttpOnly" in done.headers["set-cookie"] and "SameSite=strict" in done.headers["set-cookie"]
        assert trainer.get("/manage/").status_code == 200
        assert trainer.get("/manage").headers["location"] == "/manage/", "the address as typed in the README works"
        assert trainer.get("/manage/config").status_code == 200
        trainer.post("/logout")
        assert trainer.get("/manage/").status_code == 303


def test_gradio_client_cannot_call_the_manage_app_anonymously(manage_server):
    from gradio_client import Client
    from gradio_client.exceptions import AuthenticationError

    with pytest.raises(AuthenticationError):
        Client(f"{manage_server}/manage/", verbose=False).view_api(print_info=False)
