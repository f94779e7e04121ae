"""The web app: a thin Gradio adapter over `stream_answer` and `build_lesson`."""

import functools
import html
import logging
import os
import re
import tempfile
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from bot import prompts  # noqa: E402
from bot.chat.answer import clean_question, stream_answer  # noqa: E402
from bot.chat.conversation import parse_history, text_of  # noqa: E402
from bot.chat.result import Answer  # noqa: E402
from bot.chat.retrieve import HybridRetriever  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.errors import LecturerError  # noqa: E402
from bot.lesson import ANY_THEME, build_lesson, clean_team, lesson_options  # noqa: E402
from bot.lesson.export import escape_markdown, to_html, to_script_markdown  # noqa: E402
from bot.state import State  # noqa: E402

log = logging.getLogger(__name__)

EXAMPLES = [
    "王进喜是怎样带领钻井队打出第一口井的？",
    "什么是工匠精神？",
    "三宝四口五临边到底是指啥",
    "老板拖了三个月工资不发，我该找哪个",
    "电力行业产教融合联盟帮职工做了哪些事？",
    "上班加班，加班费应该怎么算？",
    "建筑工地高处作业要注意什么？",
]
FONTS = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "system-ui", "sans-serif"]
CSS = """
.gradio-container {max-width: 860px !important; margin: 0 auto;}
.message-wrap .message {font-size: 16px; line-height: 1.7;}
@media (max-width: 640px) {.gradio-container {padding: 4px !important;} h1 {font-size: 1.3em;}}
#lesson-script {font-size: 18px; line-height: 1.8;}
@media print {
  body * {visibility: hidden;}
  #lesson-script, #lesson-script * {visibility: visible;}
  #lesson-script {position: absolute; left: 0; top: 0; width: 100%;}
}
"""


def render(answer: Answer) -> list[gr.ChatMessage]:
    """The answer as chat messages: the text, then one collapsible card per cited item, holding each
    passage quoted from it under its [n] (four cards of one title would crowd a phone)."""
    options = [{"value": c.question, "label": c.label} for c in answer.choices]
    notice = f"*{escape_markdown(answer.notice)}*\n\n" if answer.notice else ""
    messages = [gr.ChatMessage(role="assistant", content=notice + escape_markdown(answer.text), options=options or None)]
    by_item: dict[str, list] = {}
    for c in answer.citations:
        by_item.setdefault(c.id, []).append(c)
    for cites in by_item.values():
        c = cites[0]
        who = f" · {c.person}" if c.person else ""
        title, source = escape_markdown(c.title), escape_markdown(c.source)
        quotes = "\n\n".join(f"> [{x.n}] {escape_markdown(x.quote)}" if len(cites) > 1 else f"> {escape_markdown(x.quote)}" for x in cites)
        markers = "".join(f"[{x.n}]" for x in cites)
        messages.append(
            gr.ChatMessage(
                role="assistant",
                content=f"{quotes}\n\n出处：《{title}》{escape_markdown(who)}｜来源：{source}｜编号：{escape_markdown(c.id)}",
                metadata={"title": html.escape(f"{markers} {c.title}{who}"), "status": "done"},
            )
        )
    return messages


def respond(
    message: str, history: list, *, retriever: HybridRetriever, settings: Settings, llm=None, record=None
) -> Iterator[list[gr.ChatMessage]]:
    """Answer one chat message, streaming; every failure becomes a message, never a traceback.
    `record(question, answer, seconds, channel)` keeps it in the question log."""
    try:
        if retriever.store.is_empty:
            yield [gr.ChatMessage(role="assistant", content=prompts.EMPTY_STORE)]
            return
        question = clean_question(message, settings.max_question_chars)
        conversation = parse_history([m for m in history or [] if _is_message(m)])
        started, snapshot = time.monotonic(), None
        for snapshot in stream_answer(question, retriever=retriever, llm=llm, history=conversation):
            if llm is not None:  # a model's sentences are shown as each passes its check
                yield render(snapshot)
        if llm is None and snapshot is not None:
            yield render(snapshot)  # extractive answers are ready at once: one message, not a stream of them
        if record is not None and snapshot is not None:
            record(question, snapshot, time.monotonic() - started, "chat")
    except LecturerError as exc:
        log.warning("user error: %s", exc.detail)
        yield [gr.ChatMessage(role="assistant", content=exc.message)]
    except Exception:
        log.exception("answer failed for %r", message[:200] if isinstance(message, str) else message)
        yield [gr.ChatMessage(role="assistant", content="抱歉，讲师这边出了点问题，请稍后再问一次。")]


def rated(history: list, index: int) -> tuple[str, str, tuple[str, ...]]:
    """The question, answer and cited items around a rated message (the answer or one of its cards)."""
    messages = [m for m in history or [] if _is_message(m)]
    index = min(index, len(messages) - 1)
    start = next((i for i in range(index, -1, -1) if messages[i]["role"] == "user"), -1)
    question = str(text_of(messages[start]["content"])) if start >= 0 else ""
    answer, items = "", []
    for message in messages[start + 1 :]:
        if message["role"] == "user":
            break
        content = str(text_of(message.get("content")) or "")
        if (message.get("metadata") or {}).get("title"):
            items += re.findall(r"编号：([a-z0-9-]+)", content)
        elif not answer:
            answer = content
    return question, answer, tuple(dict.fromkeys(items))


def on_like(history: list, event: gr.LikeData, *, state: State) -> tuple:
    """Keep a worker's 👍/👎 of an answer; after a 👎, offer a box for what was wrong."""
    index = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
    question, answer, items = rated(history, int(index))
    if not question or event.liked not in (True, False):
        return None, gr.update(visible=False), gr.update()
    try:
        row = state.add_feedback(question[:2000], answer[:20_000], "up" if event.liked else "down", "", items[:20])
    except LecturerError as exc:
        log.warning("feedback not kept: %s", exc.detail)
        return None, gr.update(visible=False), gr.update(value=exc.message, visible=True)
    if event.liked:
        return None, gr.update(visible=False), gr.update(value="谢谢您的反馈！", visible=True)
    return row, gr.update(visible=True, value=""), gr.update(value="谢谢！可以说说哪里不对吗？（可不填）", visible=True)


def on_comment(row: int | None, comment: str, *, state: State) -> tuple:
    """The worker's words on a 👎, added to the feedback row."""
    comment = (comment or "").strip()[:2000]
    if row is None or not comment:
        return gr.update(visible=False), gr.update(value="谢谢您的反馈！", visible=True)
    try:
        state.comment_feedback(row, comment)
    except LecturerError as exc:
        return gr.update(), gr.update(value=exc.message, visible=True)
    return gr.update(visible=False), gr.update(value="收到，培训师会看到您的意见。", visible=True)


def _is_message(message) -> bool:
    """Gradio's history holds dicts; anything else carries nothing to follow up on."""
    return isinstance(message, dict) and message.get("role") in ("user", "assistant")


def make_lesson(
    team: str, industry: str | None, theme: str, day: str | None, preview: bool, instead_of: str = "", *,
    retriever: HybridRetriever, settings: Settings, state: State, llm=None,
) -> tuple[str, str | None, str]:
    """The lesson tab's action: the script to show, an HTML page to print, and the story shown
    (for 「换一篇」); a failure becomes the message."""
    try:
        lesson = build_lesson(
            team, industry, theme=theme, day=(day or "").strip().split(" ")[0], preview=preview,
            instead_of=instead_of or "", store=retriever.store, settings=settings, state=state, llm=llm,
        )
    except LecturerError as exc:
        log.warning("lesson refused: %s", exc.detail)
        return f"**{exc.message}**", None, ""
    except Exception:
        log.exception("lesson failed for team=%r industry=%r", team, industry)
        return "抱歉，讲稿生成出了点问题，请稍后再试。", None, ""
    name = re.sub(r"[^\w-]+", "_", f"班前充电-{lesson.team}-{lesson.day}")
    try:
        path = download_dir() / f"{name}-{lesson.story_id}.html"  # one file per lesson, rewritten, not piled up
        path.write_text(to_html(lesson), encoding="utf-8")
        prune(path.parent)
    except OSError as exc:
        log.warning("lesson download not written: %r", exc)
        return to_script_markdown(lesson) + "\n\n（打印版暂时无法生成，请复制上面的讲稿。）", None, lesson.story_id
    return to_script_markdown(lesson), str(path), lesson.story_id


def remembered_industry(team: str, *, state: State) -> dict:
    """The industry this team chose last time, filled in when its name is entered."""
    try:
        industry = state.team_industry(clean_team(team))
    except LecturerError:
        return gr.update()
    except Exception as exc:
        log.warning("team industry not read: %r", exc)
        return gr.update()
    return gr.update(value=industry) if industry else gr.update()


KEEP_DOWNLOADS = 200  # lesson files kept for download; older ones are removed


@functools.cache
def download_dir() -> Path:
    """One temporary directory per process for lesson downloads."""
    return Path(tempfile.mkdtemp(prefix="lecturer-lessons-"))


def prune(directory: Path, keep: int = KEEP_DOWNLOADS) -> None:
    """Remove all but the newest `keep` files."""
    files = sorted(directory.glob("*.html"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)


def build_ui(settings: Settings, retriever: HybridRetriever, llm=None, record=None, state: State | None = None) -> gr.Blocks:
    """The whole app: the chat tab (and the pre-shift lesson tab); `record` logs each answered question."""
    with gr.Blocks(title="渝工 AI 讲师", fill_height=True) as demo:
        gr.Markdown("## 渝工 AI 讲师\n劳模工匠故事 · 思政课 · 安全常识 · 职工权益。回答均来自教材，并标注出处。")
        state = state or State(settings.state_target)
        with gr.Tab("问讲师"):
            chatbot = gr.Chatbot(label="AI 讲师", show_label=False, height="62vh", placeholder="您好！我是渝工 AI 讲师，请提问。")
            gr.ChatInterface(
                partial(respond, retriever=retriever, settings=settings, llm=llm, record=record),
                chatbot=chatbot,
                textbox=gr.Textbox(placeholder="请输入问题，例如：什么是劳模精神？", submit_btn="发送", stop_btn="停止"),
                examples=EXAMPLES,
                examples_label="试试这些问题",
                api_name="chat",
                fill_height=True,
            )
            thanks = gr.Markdown(visible=False, elem_id="feedback-thanks")
            with gr.Row():
                comment = gr.Textbox(placeholder="哪里不对？比如答非所问、内容有误（可不填）", show_label=False, visible=False,
                                     max_lines=3, elem_id="feedback-comment", scale=4)
                send = gr.Button("提交意见", visible=False, scale=1, elem_id="feedback-send")
            disliked = gr.State(None)
            def like(history: list, event: gr.LikeData) -> tuple:  # gradio fills LikeData by this annotation
                return on_like(history, event, state=state)

            chatbot.like(like, chatbot, [disliked, comment, thanks], api_name=False, queue=False).then(
                lambda row: gr.update(visible=row is not None), disliked, send, api_name=False, queue=False)
            for trigger in (comment.submit, send.click):
                trigger(partial(on_comment, state=state), [disliked, comment], [comment, thanks], api_name=False, queue=False).then(
                    lambda: gr.update(visible=False), None, send, api_name=False, queue=False)
        with gr.Tab("班前充电十分钟"):
            industries, themes = lesson_options(retriever.store)
            with gr.Row():
                team = gr.Textbox(label="班组名称", placeholder="例如：808路车队")
                industry = gr.Dropdown(industries, value=None, label="行业（请选择）")
            with gr.Row():
                theme = gr.Dropdown([ANY_THEME, *themes], value=ANY_THEME, label="主题")
                day = gr.Textbox(label="日期", placeholder="留空为今天，或如 2025-06-15", max_lines=1, elem_id="lesson-day")
            with gr.Row():
                preview = gr.Checkbox(label="预览（不记录）", value=False)
                go = gr.Button("生成", variant="primary")
                again = gr.Button("换一篇")
                printer = gr.Button("打印")
                download = gr.DownloadButton("下载打印版")
            shown = gr.State("")
            output = gr.Markdown(buttons=["copy"], label="讲稿", elem_id="lesson-script")
            team.blur(partial(remembered_industry, state=state), team, industry, show_progress="hidden", queue=False)
            action = partial(make_lesson, retriever=retriever, settings=settings, state=state, llm=llm)
            go.click(action, [team, industry, theme, day, preview], [output, download, shown], api_name="lesson")
            again.click(action, [team, industry, theme, day, preview, shown], [output, download, shown], api_name="lesson_again")
            printer.click(None, None, None, js="() => window.print()")
    return demo


def theme() -> gr.themes.Base:
    """System fonts only: the default theme would fetch web fonts from the internet."""
    return gr.themes.Soft(font=FONTS, font_mono=["ui-monospace", "monospace"])


def launch(demo: gr.Blocks, settings: Settings, **kwargs) -> gr.Blocks:
    """Serve the UI alone on the configured host and port (app.py serves it with the API)."""
    demo.queue(default_concurrency_limit=4).launch(
        server_name=settings.host, server_port=settings.port, css=CSS, theme=theme(), show_error=False, **kwargs
    )
    return demo
