"""A trainer with a browser and no terminal: log in, import a Word file and a PDF, fill the form,
save, have a second trainer approve, see the chat cite the new item without a restart, retire it,
undo. Real server on loopback, real headless Chromium, real index worker."""

import shutil
import time
from pathlib import Path

import httpx
import pytest
from test_browser import CHROMIUM, FLAGS
from test_manage import BODY, print_pdf, word_document

from bot.chat.retrieve import HybridRetriever
from bot.index.corpus import load_corpus
from bot.index.store import Store
from bot.web.manage_ui import LABELS
from conftest import free_port, make_settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (make test installs it)"),
]
QUESTION = "张建华是怎么带出零事故班组的？"


@pytest.fixture
def served(tmp_path, small_corpus, embeddings):
    from bot.web.app import Background, create_app
    from bot.web.services import build_services

    settings = make_settings(tmp_path / "data", small_corpus, api_keys="k", index_refresh_seconds=0)
    store = Store(settings, embeddings)
    store.sync(load_corpus(small_corpus).items)
    services = build_services(settings, retriever=HybridRetriever(store=store, settings=settings))
    for name in ("张老师", "李老师"):
        services.accounts.add(name, "secret123")
    with Background(create_app(services), free_port()) as url:
        yield url, services


def cited(url: str) -> set[str]:
    reply = httpx.post(f"{url}/api/ask", json={"question": QUESTION}, headers={"Authorization": "Bearer k"}, timeout=60)
    return {c["id"] for c in reply.json()["citations"]}


def wait_until(check, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False


def documents(folder: Path) -> tuple[Path, Path]:
    """The trainer's two files: a Word story and a printed PDF notice."""
    word = folder / "张建华.docx"
    word.write_bytes(word_document("带电作业班长张建华", BODY))
    return word, print_pdf("冬训通知", "本周六上午九点在二楼会议室开展冬季安全培训。", folder / "冬训.pdf", CHROMIUM)


def log_in(page, url: str, name: str) -> None:
    page.goto(f"{url}/manage/")
    page.fill("#name", name)
    page.fill("#password", "secret123")
    page.click("button[type=submit]")
    page.get_by_text(f"当前培训师：{name}").wait_for(timeout=60_000)


def field(page, name: str):
    """A form field by its label (the labels are long: 「正文（段与段之间空一行）」)."""
    return page.get_by_label(LABELS[name], exact=True).first


def choose(page, name: str, value: str) -> None:
    box = field(page, name)
    box.click()
    box.fill(value)
    box.press("Enter")


def test_a_trainer_adds_reviews_retires_and_undoes_in_the_browser(served, tmp_path):
    url, services = served
    word, pdf = documents(tmp_path)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        log_in(page, url, "张老师")

        page.get_by_role("tab", name="导入文档").click()
        page.locator("#manage-upload input[type=file]").set_input_files(str(pdf))
        page.get_by_role("button", name="导入到表单").click()
        page.get_by_text("已从文档导入", exact=False).wait_for(timeout=60_000)  # the form's tab comes up by itself
        assert "冬季安全培训" in field(page, "body").input_value()

        page.get_by_role("tab", name="导入文档").click()
        page.locator("#manage-upload").get_by_label("Clear").click()
        page.locator("#manage-upload input[type=file]").set_input_files(str(word))
        page.get_by_role("button", name="导入到表单").click()
        page.get_by_text("已从文档导入", exact=False).wait_for(timeout=60_000)
        page.wait_for_function("() => [...document.querySelectorAll('input,textarea')].some(e => e.value === '带电作业班长张建华')")
        assert field(page, "title").input_value() == "带电作业班长张建华"
        field(page, "id").fill("story-zhang-jianhua")
        field(page, "person").fill("张建华")
        field(page, "employer").fill("山城电力检修班")
        field(page, "year").fill("2021")
        choose(page, "industry", "机械制造")
        choose(page, "themes", "工匠精神")
        field(page, "lesson").fill("安全和技术都是一天天练出来的。")
        field(page, "questions").fill("你的岗位上最需要苦练的是哪一项？")
        page.get_by_role("button", name="保存草稿").click()
        page.get_by_text("已保存为草稿", exact=False).wait_for(timeout=60_000)
        page.get_by_role("button", name="审核批准").click()
        page.get_by_text("需要另一位培训师审核", exact=False).wait_for(timeout=60_000)
        assert "story-zhang-jianhua" not in cited(url), "a draft never reaches workers"

        page.get_by_role("button", name="退出登录").click()
        page.wait_for_url("**/login", timeout=30_000)
        log_in(page, url, "李老师")
        page.get_by_text("带电作业班长张建华").first.click()
        page.get_by_text("状态：草稿", exact=False).wait_for(timeout=60_000)
        page.get_by_role("button", name="审核批准").click()
        page.get_by_text("已批准，正在导入", exact=False).wait_for(timeout=60_000)
        assert wait_until(lambda: "story-zhang-jianhua" in cited(url)), "the chat cites the new item without a restart"

        page.get_by_role("button", name="停用").click()
        page.get_by_text("已停用", exact=False).first.wait_for(timeout=60_000)
        assert wait_until(lambda: "story-zhang-jianhua" not in cited(url)), "a retired item is gone"
        page.get_by_role("button", name="撤销上一次修改").click()
        page.get_by_text("已恢复到上一个版本", exact=False).wait_for(timeout=60_000)
        page.get_by_text("状态：已批准", exact=False).wait_for(timeout=30_000)
        assert wait_until(lambda: "story-zhang-jianhua" in cited(url)), "undo brings it back"
        shots = tmp_path / "shots"
        shots.mkdir()
        page.screenshot(path=str(shots / "manage.png"), full_page=True)
        if Path("/tmp/lecturer-shots").is_dir():
            shutil.copy(shots / "manage.png", "/tmp/lecturer-shots/manage.png")
        browser.close()
    actions = [r["action"] for r in services.editor.history("story-zhang-jianhua")]
    assert actions == ["undone", "retired", "approved", "saved"]
