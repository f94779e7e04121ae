"""The 管理 (trainer) area: a Gradio app mounted at /manage behind the trainers' login.

Every handler reads the trainer from the request (the session cookie, checked by the mount's
auth dependency); an anonymous request never reaches one. It is a thin adapter over
`bot.manage`: the editor, the question log, the document import and the index worker.
"""

import logging
from datetime import date
from pathlib import Path

import gradio as gr

from bot.chat.answer import answer
from bot.chat.retrieve import HybridRetriever
from bot.errors import LecturerError
from bot.index.corpus import KINDS
from bot.lesson.compose import compose_lesson
from bot.lesson.export import escape_markdown, to_script_markdown
from bot.manage.documents import KINDS as DOCUMENT_KINDS
from bot.manage.documents import draft_fields, extract
from bot.manage.items import STATUS_WORDS, Editor, render, with_asked
from bot.manage.questions import QuestionLog
from bot.web.services import Services

log = logging.getLogger(__name__)

LABELS = {
    "id": "编号（小写字母、数字和连字符，如 story-zhang-san）", "kind": "教材类型", "title": "标题", "person": "人物",
    "honours": "荣誉（每行一项）", "employer": "单位", "industry": "所属行业", "region": "地区", "year": "年份",
    "themes": "主题（可多选）", "summary": "摘要（一两句话）", "lesson": "讲师点评（故事的道理）", "questions": "讨论题（每行一个，1–3 个）",
    "source": "来源", "body": "正文（段与段之间空一行）",
    "asked": "常见问法（每行一条：职工会怎么问｜正文里回答它的原句，原句可不写）",
}
FORM = ("id", "kind", "title", "person", "honours", "employer", "industry", "region", "year", "themes", "summary",
        "lesson", "questions", "source", "body", "asked")
KIND_WORDS = {"story": "故事", "course": "课程"}
HEADERS = ["编号", "标题", "人物", "行业", "类型", "状态"]
ASKED_HEADERS = ["问题", "次数", "结果", "引用的教材", "最近", "已处理"]


def trainer(request: gr.Request | None) -> str:
    """The logged-in trainer; the mount refuses anonymous requests before they get here."""
    name = getattr(request, "username", None) if request is not None else None
    if not name:
        raise LecturerError("请先登录。", "no trainer on a manage request")
    return name


def fields_of(values) -> dict:
    fields = dict(zip(FORM, values))
    fields["themes"] = list(fields.get("themes") or [])
    return fields


def problems_markdown(problems: dict[str, str]) -> str:
    if not problems:
        return "检查通过，可以保存。"
    return "**还需要修改：**\n" + "\n".join(f"- {LABELS[k].split('（')[0] if k in LABELS else k}：{escape_markdown(v)}" for k, v in problems.items())


def sample_questions(fields: dict) -> list[str]:
    """Three questions a worker might ask of the item, for the preview (the trainer may change them)."""
    who, title = str(fields.get("person") or "").split("、")[0].strip(), str(fields.get("title") or "").strip()
    if fields.get("kind") == "story" and who:
        return [f"{who}是谁？", f"{who}是怎么做到的？", f"从{who}身上能学到什么？"]
    return [f"{title}讲的是什么？", f"{title}有哪些要点？", f"{title}和我们有什么关系？"]


def build_manage(services: Services, editor: Editor, questions: QuestionLog) -> gr.Blocks:
    """The 管理 app: items (list, form, check, save, review, preview, undo), import, what workers asked."""
    store = services.retriever.store
    worker = services.worker

    def vocab() -> tuple[list[str], list[str], bool]:
        """The industries and themes to choose from: the vocabulary file's, or (a corpus without one)
        those its items use, and then new ones may be typed."""
        v = editor.vocabulary()
        if v.industries and v.themes:
            return list(v.industries), list(v.themes), False
        items = [e.item for e in editor.entries()]
        return sorted({i.industry for i in items}), sorted({t for i in items for t in i.themes}), True

    industries, themes, free = vocab()

    def listed(query="", kind="", industry="", theme="", status=""):
        rows = editor.entries((query or "").strip(), kind or "", industry or "", theme or "", status or "")
        return [[e.item.id, e.item.title, e.item.person, e.item.industry, KIND_WORDS[e.item.kind], STATUS_WORDS[e.status]] for e in rows]

    def list_label(n: int) -> str:
        return f"教材列表：共 {n} 条（点一行打开）" if n else "教材列表：没有找到符合条件的教材"

    def table(*shown):
        rows = listed(*shown)
        return gr.update(value=rows, label=list_label(len(rows)))

    def titles(ids: str) -> str:
        items = store.snapshot().items
        return "、".join(items[i].title if i in items else i for i in ids.split(",") if i)

    def ingest_state() -> str:
        jobs = list(worker.jobs.values())
        live = store.snapshot()
        line = f"索引版本 {live.generation} · 已上线教材 {len(live.items)} 条"
        if jobs:
            line += f" · 最近一次导入：{jobs[-1].describe()}"
        return line

    with gr.Blocks(title="渝工 AI 讲师 · 管理") as demo:
        with gr.Row():
            gr.Markdown("## 渝工 AI 讲师 · 管理")
            who = gr.Markdown()
            gr.HTML('<form method="post" action="/logout" style="text-align:right"><button type="submit">退出登录</button></form>')
        status_line = gr.Markdown(ingest_state())
        gr.Timer(2.0).tick(ingest_state, None, status_line, show_progress="hidden", queue=False)
        def greet(request: gr.Request) -> str:
            return f"当前培训师：**{escape_markdown(trainer(request))}**"

        demo.load(greet, None, who, queue=False)

        with gr.Tabs() as tabs:
            with gr.Tab("教材", id="items") as items_tab:
                with gr.Row():
                    query = gr.Textbox(label="搜索（标题、人物、编号、正文）", scale=3)
                    kind_filter = gr.Dropdown([("全部", ""), *[(KIND_WORDS[k], k) for k in KINDS]], value="", label="类型", scale=1)
                    industry_filter = gr.Dropdown([("全部", ""), *industries], value="", label="行业", scale=1)
                    theme_filter = gr.Dropdown([("全部", ""), *themes], value="", label="主题", scale=1)
                    status_filter = gr.Dropdown([("全部", ""), *[(w, k) for k, w in STATUS_WORDS.items()]], value="", label="状态", scale=1)
                filters = [query, kind_filter, industry_filter, theme_filter, status_filter]
                first = listed()
                listing = gr.Dataframe(first, headers=HEADERS, interactive=False, wrap=True, max_height=320, label=list_label(len(first)),
                                       column_widths=["22%", "36%", "10%", "12%", "8%", "12%"])
                new = gr.Button("＋ 新建教材")
                version, is_new, current = gr.State(""), gr.State(True), gr.State("")
                history = gr.Markdown("**新建教材**", elem_id="manage-history")
                with gr.Row():
                    box = {"id": gr.Textbox(label=LABELS["id"]),
                           "kind": gr.Dropdown([(KIND_WORDS[k], k) for k in KINDS], value="story", label=LABELS["kind"])}
                    box["title"] = gr.Textbox(label=LABELS["title"])
                with gr.Row():
                    box["person"] = gr.Textbox(label=LABELS["person"])
                    box["employer"] = gr.Textbox(label=LABELS["employer"])
                    box["region"] = gr.Textbox(label=LABELS["region"], value="重庆")
                    box["year"] = gr.Textbox(label=LABELS["year"])
                with gr.Row():
                    box["industry"] = gr.Dropdown(industries, label=LABELS["industry"], value=None, allow_custom_value=free)
                    box["themes"] = gr.Dropdown(themes, multiselect=True, label=LABELS["themes"], allow_custom_value=free)
                    box["honours"] = gr.Textbox(label=LABELS["honours"], lines=2)
                box["summary"] = gr.Textbox(label=LABELS["summary"], lines=2)
                box["body"] = gr.Textbox(label=LABELS["body"], lines=14)
                box["lesson"] = gr.Textbox(label=LABELS["lesson"], lines=2)
                box["questions"] = gr.Textbox(label=LABELS["questions"], lines=3)
                box["source"] = gr.Textbox(label=LABELS["source"])
                box["asked"] = gr.Textbox(label=LABELS["asked"], lines=4)
                form = [box[name] for name in FORM]
                problems = gr.Markdown(elem_id="manage-check")
                with gr.Row():
                    save = gr.Button("保存草稿", variant="primary")
                    approve = gr.Button("审核批准")
                    retire = gr.Button("停用")
                    restore = gr.Button("恢复")
                    undo = gr.Button("撤销上一次修改")
                result = gr.Markdown(elem_id="manage-result")
                with gr.Accordion("预览：这篇教材怎么回答问题、讲成班前课", open=False):
                    samples = [gr.Textbox(label=f"示例问题 {n}") for n in (1, 2, 3)]
                    show = gr.Button("预览")
                    previewed = gr.Markdown(elem_id="manage-preview")

            with gr.Tab("导入文档", id="import"):
                gr.Markdown("上传 Word（.docx）、PDF、.txt 或 .md 文件，内容会填进「教材」页的表单，补全各项后保存为草稿。")
                upload = gr.File(label="文档", file_types=list(DOCUMENT_KINDS), type="filepath", elem_id="manage-upload")
                import_kind = gr.Radio([("故事", "story"), ("课程", "course")], value="story", label="类型")
                bring = gr.Button("导入到表单", variant="primary")
                imported = gr.Markdown()

            with gr.Tab("职工提问", id="asked") as asked_tab:
                gr.Markdown("职工问了什么、哪些没答上、哪些回答被职工评为“没帮助”。选中一行可以标记已处理、"
                            "加进回答它的教材的「常见问法」，或据此新建教材草稿。")
                most = gr.Dataframe(headers=ASKED_HEADERS, interactive=False, wrap=True, max_height=260, label="最常问的问题")
                declined = gr.Dataframe(headers=ASKED_HEADERS, interactive=False, wrap=True, max_height=260, label="没答上的问题")
                disliked = gr.Dataframe(headers=[*ASKED_HEADERS, "意见"], interactive=False, wrap=True, max_height=260, label="职工评为“没帮助”的回答")
                chosen = gr.Textbox(label="选中的问题", interactive=False)
                with gr.Row():
                    handled = gr.Button("标记已处理")
                    add_asked = gr.Button("加进教材的常见问法")
                    draft_from = gr.Button("据此新建教材草稿")
                asked_result = gr.Markdown()

        # Handlers ----------------------------------------------------------------------

        def asked_tables():
            def rows(found, comment=False):
                return [[a.question, a.count, OUTCOMES.get(a.outcome, a.outcome), titles(a.items), a.last[:16].replace("T", " "), a.handled_by,
                         *([a.comment] if comment else [])] for a in found]

            return rows(questions.most_asked()), rows(questions.most_asked(declined_only=True)), rows(questions.disliked(), True)

        def blank(kind="story"):
            fields = {name: "" for name in FORM} | {"kind": kind, "region": "重庆", "themes": [], "industry": None}
            return fields

        def record_of(item_id: str, status: str = "") -> str:
            """The item's status and who did what to it, newest first."""
            if not item_id:
                return "**新建教材**"
            if not status:
                found = next((e for e in editor.entries() if e.item.id == item_id), None)
                status = found.status if found else ""
            lines = [f"- {r['at'][:16].replace('T', ' ')} {escape_markdown(r['name'])}：{ACTIONS.get(r['action'], r['action'])}"
                     for r in editor.history(item_id)]
            return f"**状态：{STATUS_WORDS.get(status, status)}**" + ("\n\n**修改记录**\n" + "\n".join(lines) if lines else "")

        def fill(fields: dict, ver: str, new_item: bool, note: str, status: str = ""):
            fields = fields | {"themes": [t for t in fields.get("themes") or [] if t] if isinstance(fields.get("themes"), list)
                               else [t for t in str(fields.get("themes") or "").split() if t],
                               "industry": fields.get("industry") or None}
            values = [fields.get(name, "") for name in FORM]
            samples_now = sample_questions(fields) if fields.get("title") or fields.get("person") else ["", "", ""]
            item_id = fields.get("id") or ""
            # A blank new form is not told what it lacks before anything is typed.
            typed = any(str(fields.get(n) or "").strip() for n in ("title", "body", "person", "summary"))
            check = problems_markdown(editor.check(fields | {"_new": new_item})) if typed or not new_item else ""
            return [*values, ver, new_item, item_id, note, record_of(item_id if not new_item else "", status), check, *samples_now]

        fill_outputs = [*form, version, is_new, current, result, history, problems, *samples]

        def unchanged(message: str) -> list:
            """Every form output left as it is, with a message in the result line."""
            out = [gr.update()] * len(fill_outputs)
            out[len(FORM) + 3] = message  # result
            return out

        def open_row(event: gr.SelectData, data, request: gr.Request):
            trainer(request)
            row = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
            item_id = data.iloc[row, 0] if hasattr(data, "iloc") else data[row][0]
            try:
                fields, ver, status = editor.open(str(item_id))
            except LecturerError as exc:
                return unchanged(f"**未完成**：{escape_markdown(exc.message)}")
            return fill(fields, ver, False, "", status)

        def start_new(request: gr.Request):
            trainer(request)
            return fill(blank(), "", True, "")

        def live_check(new_item, *values):
            return problems_markdown(editor.check(fields_of(values) | {"_new": new_item}))

        def do_save(request: gr.Request, ver, new_item, *values):
            user = trainer(request)
            values, shown = values[: len(FORM)], values[len(FORM) :]
            fields = fields_of(values) | {"_new": new_item}
            outcome = editor.save(fields, "" if new_item else ver, user)
            if not outcome.ok:
                return gr.update(), gr.update(), gr.update(), f"**未完成**：{escape_markdown(outcome.message)}", gr.update(), gr.update()
            log.info("trainer %s saved %s", user, fields["id"])
            return outcome.version, False, fields["id"], escape_markdown(outcome.message), table(*shown), record_of(fields["id"])

        def review(action):
            def run(request: gr.Request, item_id, *shown):
                user = trainer(request)
                if not item_id:
                    return [*unchanged("请先在列表里打开一篇教材。"), gr.update()]
                outcome = {"approve": lambda: editor.approve(item_id, user), "retire": lambda: editor.set_status(item_id, "retired", user),
                           "restore": lambda: editor.set_status(item_id, "approved", user),
                           "undo": lambda: editor.undo(item_id, user)}[action]()
                message = escape_markdown(outcome.message) if outcome.ok else f"**未完成**：{escape_markdown(outcome.message)}"
                try:  # the form shows what the item is now (after an undo, the text it went back to)
                    fields, ver, status = editor.open(item_id)
                except LecturerError:
                    return [*unchanged(message), table(*shown)]
                return [*fill(fields, ver, False, message, status), table(*shown)]

            return run

        def do_preview(request: gr.Request, new_item, *values):
            trainer(request)
            fields, asked = fields_of(values[: len(FORM)]), values[len(FORM) :]
            problems_now = editor.check(fields | {"_new": new_item})
            if problems_now:
                return ["请先改好表单里的问题，再预览。\n\n" + problems_markdown(problems_now), *[gr.update()] * 3]
            asked = [q if q and q.strip() else generated for q, generated in zip(asked, sample_questions(fields))]
            item = draft_item(fields)
            snapshot = store.preview([item])
            retriever = HybridRetriever(store=snapshot, settings=services.settings)
            out = []
            for question in [q.strip() for q in asked if q and q.strip()][:3]:
                got = answer(question, retriever=retriever)
                cited = "、".join(dict.fromkeys(f"《{escape_markdown(c.title)}》" for c in got.citations)) or "无"
                mark = "（引用了这篇教材）" if item.id in {c.id for c in got.citations} else "（没有引用这篇教材）"
                out.append(f"**问：{escape_markdown(question)}**\n\n{escape_markdown(got.text)}\n\n引用：{cited} {mark}")
            if item.kind == "story":
                lesson = compose_lesson(item, team="预览班组", day=date.today(), industry=item.industry, store=snapshot,
                                        settings=services.settings, theme=item.themes[0] if item.themes else "", past=[])
                out.append("---\n**用它讲班前课（预览，不记录）**\n\n" + to_script_markdown(lesson))
            return ["\n\n".join(out), *asked]

        def do_import(path, kind, request: gr.Request):
            trainer(request)
            if not path:
                return [*unchanged(""), "请先选择一个文件。", gr.Tabs()]
            name = Path(path).name  # Gradio keeps the uploaded file's own name
            try:
                text = extract(name, Path(path).read_bytes())
            except LecturerError as exc:
                return [*unchanged(""), f"**未完成**：{escape_markdown(exc.message)}", gr.Tabs()]
            except OSError as exc:
                log.warning("uploaded file unreadable: %r", exc)
                return [*unchanged(""), "**未完成**：上传的文件读不出来，请重新上传。", gr.Tabs()]
            fields = draft_fields(name, text, kind)
            note = "已从文档导入。请补全编号、行业、主题、讲师点评和讨论题，再保存为草稿。"
            chars = len("".join(fields["body"].split()))
            return [*fill(fields, "", True, note), f"已导入正文 {chars} 字，已转到「教材」页，请补全后保存。", gr.Tabs(selected="items")]

        def select_question(event: gr.SelectData, data):
            row = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
            return data.iloc[row, 0] if hasattr(data, "iloc") else data[row][0]

        def mark(question, request: gr.Request):
            user = trainer(request)
            if not question:
                return "请先选中一个问题。", *asked_tables()
            questions.mark_handled(question, user)
            return f"已标记处理：{escape_markdown(question)}", *asked_tables()

        def asked_into_item(question, request: gr.Request):
            trainer(request)
            if not question:
                return [*unchanged(""), "请先选中一个问题。", gr.Tabs()]
            ids = [i for i in questions.items_of(question) if i in store.snapshot().items]
            if not ids:
                return [*unchanged(""), "这个问题没有引用任何教材：请在「教材」页打开回答它的教材，把问题加进「常见问法」。", gr.Tabs()]
            try:
                fields, ver, status = editor.open(ids[0])
            except LecturerError as exc:
                return [*unchanged(f"**未完成**：{escape_markdown(exc.message)}"), "", gr.Tabs()]
            added = with_asked(fields, question)
            note = (
                "已把问题加进「常见问法」最后一行：在竖线后面粘贴正文里回答它的原句，再保存（不是这篇就换一篇）。"
                if added != fields
                else "这个问题已经在这篇教材的「常见问法」里了：看看竖线后面的原句是不是回答它的那句。"
            )
            return [*fill(added, ver, False, note, status), "已在「教材」页打开这篇教材。", gr.Tabs(selected="items")]

        def draft_question(question, request: gr.Request):
            trainer(request)
            if not question:
                return [*unchanged(""), "请先选中一个问题。", gr.Tabs()]
            fields = blank("course") | {"title": question.rstrip("？?"), "questions": question, "source": "根据职工提问整理"}
            return [*fill(fields, "", True, f"草稿来自职工提问「{escape_markdown(question)}」：请写好正文后保存。"), "已在「教材」页新建草稿。",
                    gr.Tabs(selected="items")]

        for control in filters:
            control.change(table, filters, listing, show_progress="hidden")
        listing.select(open_row, listing, fill_outputs)
        new.click(start_new, None, fill_outputs)
        for control in form:
            control.blur(live_check, [is_new, *form], problems, show_progress="hidden") if isinstance(control, gr.Textbox) else \
                control.change(live_check, [is_new, *form], problems, show_progress="hidden")
        save.click(do_save, [version, is_new, *form, *filters], [version, is_new, current, result, listing, history])
        for button, action in ((approve, "approve"), (retire, "retire"), (restore, "restore"), (undo, "undo")):
            button.click(review(action), [current, *filters], [*fill_outputs, listing])
        show.click(do_preview, [is_new, *form, *samples], [previewed, *samples])
        bring.click(do_import, [upload, import_kind], [*fill_outputs, imported, tabs])
        items_tab.select(table, filters, listing, show_progress="hidden")
        asked_tab.select(asked_tables, None, [most, declined, disliked], show_progress="hidden")
        for frame in (most, declined, disliked):
            frame.select(select_question, frame, chosen)
        handled.click(mark, chosen, [asked_result, most, declined, disliked])
        draft_from.click(draft_question, chosen, [*fill_outputs, asked_result, tabs])
        add_asked.click(asked_into_item, chosen, [*fill_outputs, asked_result, tabs])
        demo.load(asked_tables, None, [most, declined, disliked], queue=False)
    return demo


OUTCOMES = {"answered": "答了", "declined": "没答上", "clarify": "反问"}
ACTIONS = {"saved": "保存", "approved": "批准", "retired": "停用", "restored": "恢复", "undone": "撤销"}


def draft_item(fields: dict):
    """The form as an Item (checked already), for the preview."""
    import tempfile

    from bot.index.corpus import parse_item

    with tempfile.TemporaryDirectory(prefix="lecturer-preview-") as tmp:
        path = Path(tmp) / f"{fields['id']}.md"
        path.write_text(render(fields, "approved"), encoding="utf-8")
        item, problems = parse_item(path, Path(tmp))
    if item is None:
        raise LecturerError("表单还有问题：" + "；".join(p.reason for p in problems), "preview of a bad form")
    return item


