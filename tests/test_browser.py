"""A real headless Chromium on a phone-sized screen: ask a question, see the cited answer."""

import re
import shutil
from pathlib import Path

import pytest

from test_app import serve

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (make test installs it)"),
]
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def page(small_retriever, tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api")
    demo, url = serve(small_retriever)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
        page = context.new_page()
        outside: list[str] = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_placeholder("请输入问题").wait_for(timeout=60_000)
        page.outside_requests = outside
        yield page
        browser.close()
    demo.close()


def test_phone_chat_shows_cited_answer_and_expandable_card(page, tmp_path_factory):
    box = page.get_by_placeholder("请输入问题")
    box.fill("王秀英出车前检查什么？")
    box.press("Enter")
    page.get_by_text("[1]", exact=False).first.wait_for(timeout=60_000)
    page.get_by_text("讲师点评").first.wait_for(timeout=60_000)
    body = page.inner_text("body")
    assert "轮胎" in body and "讲师点评" in body
    card = page.get_by_text(re.compile(r"\[1\](\[\d+\])* 公交司机王大姐")).first  # one card per item, all its [n]
    card.wait_for(timeout=30_000)
    card.click()
    page.get_by_text("来源：测试用教材", exact=False).first.wait_for(timeout=30_000)
    # The page fits a phone: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot = Path(tmp_path_factory.mktemp("shots")) / "phone-chat.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert page.outside_requests == []  # nothing leaves the machine: no analytics, no web fonts


def test_phone_lesson_tab_generates_a_readable_lesson(page, tmp_path_factory):
    page.get_by_role("tab", name="班前充电十分钟").click()
    page.get_by_label("班组名称").fill("焊接二班")
    page.get_by_text("预览（不记录）").click()
    page.get_by_role("button", name="生成").click()
    page.get_by_text("请选择行业").first.wait_for(timeout=60_000)  # no industry is chosen for the team
    page.get_by_label("行业（请选择）").click()
    page.get_by_role("option", name="机械制造").click()
    page.get_by_role("button", name="生成").click()
    page.get_by_text("一、开场").first.wait_for(timeout=60_000)
    script = page.inner_text("#lesson-script")
    assert "焊接二班的工友们，大家好" in script and "朗读约" in script and "讨论" in script and "来源" in script
    assert "[1]" not in script.split("来源")[0], "the read-aloud text has no markers"
    for name in ("换一篇", "打印", "下载打印版"):
        assert page.get_by_role("button", name=name).first.is_visible()
    day = page.get_by_label("日期").bounding_box()
    assert day and day["x"] >= 0 and day["x"] + day["width"] <= 390, "the date field fits the phone"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(Path(tmp_path_factory.mktemp("shots")) / "phone-lesson.png"), full_page=True)
    assert page.outside_requests == []
