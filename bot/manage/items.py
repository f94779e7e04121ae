"""Editing the corpus from the browser: forms in, Markdown files out, reviewed, versioned, ingested.

The files in corpus/ stay the source of truth. A new item is written there as a draft; an edit of
an approved item waits in `data/manage/pending/` (workers keep hearing the approved text) until a
second trainer approves it. Every overwrite keeps the previous text in `data/manage/versions/` for
undo, a save based on an older version is refused and kept in `data/manage/conflicts/`, and every
change is ingested by the app's background worker.
"""

import hashlib
import re
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml

from bot.errors import LecturerError
from bot.index.corpus import FIELDS, Item, Vocabulary, asked_pairs, corpus_files, load_corpus, outside, parse_item
from bot.index.manifest import atomic_write
from bot.state import State

TEXT_FIELDS = ("id", "kind", "title", "person", "employer", "industry", "region", "year", "summary", "lesson", "source", "body")
LIST_FIELDS = ("honours", "themes", "questions", "asked")
FOLDERS = {"story": "stories", "course": "courses"}
FIELD_WORDS = {
    "id": "编号", "kind": "类型", "title": "标题", "person": "人物", "honours": "荣誉", "employer": "单位", "industry": "行业",
    "region": "地区", "year": "年份", "themes": "主题", "summary": "摘要", "lesson": "讲师点评", "questions": "讨论题",
    "source": "来源", "body": "正文", "status": "状态", "asked": "常见问法",
}
STATUS_WORDS = {"approved": "已批准", "draft": "草稿", "retired": "已停用", "pending": "修改待审核"}


def version_of(text: str) -> str:
    """A short content hash: what a form was opened from, to refuse a save over someone else's."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def render(fields: dict, status: str) -> str:
    """An item's Markdown file: YAML front matter in the corpus's field order, then the body."""
    meta: dict = {}
    for name in FIELDS:
        if name == "status":
            meta["status"] = status
            continue
        value = fields.get(name)
        if name in LIST_FIELDS:
            value = [v.strip() for v in (value or []) if str(v).strip()] if isinstance(value, list) else split_lines(value)
            if value or name in ("themes", "questions") or (name == "honours" and fields.get("kind") == "story"):
                meta[name] = value
            continue
        if name == "year":
            text = str(value or "").strip()
            if text:
                meta[name] = int(text) if text.isdigit() else text
            continue
        text = str(value or "").strip()
        if text:
            meta[name] = text
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000).strip()
    body = normalise_body(str(fields.get("body") or ""))
    return f"---\n{front}\n---\n{body}\n"


def split_lines(value) -> list[str]:
    """A list field typed in a text area: one entry per line (、 and ， also separate honours and themes)."""
    return [v.strip() for v in re.split(r"[\n]+", str(value or "")) if v.strip()]


def normalise_body(text: str) -> str:
    """Paragraphs separated by one blank line, trailing spaces gone."""
    paragraphs = [re.sub(r"[ \t]+\n", "\n", p).strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    return "\n\n".join(p for p in paragraphs if p)


def with_asked(fields: dict, question: str) -> dict:
    """The form with a worker's question added to its 「常见问法」, the words that answer it left for the
    trainer to paste after the bar."""
    lines = [line for line in str(fields.get("asked") or "").split("\n") if line.strip()]
    if not any(asked == question.strip() for asked, _ in asked_pairs(lines)):
        lines.append(f"{question.strip()}｜")
    return fields | {"asked": "\n".join(lines)}


def form_of(item: Item) -> dict:
    """The form's fields for an item (lists one entry per line)."""
    fields = {name: getattr(item, name) for name in TEXT_FIELDS}
    fields["year"] = "" if item.year is None else str(item.year)
    for name in LIST_FIELDS:
        fields[name] = list(getattr(item, name)) if name == "themes" else "\n".join(getattr(item, name))
    return fields


@dataclass(frozen=True)
class Entry:
    """One row of the item list."""

    item: Item
    status: str  # approved, draft, retired, or pending (an approved item with an edit waiting)


@dataclass(frozen=True)
class Outcome:
    """What a save or a review did, in Chinese, and the version the form now stands on."""

    ok: bool
    message: str
    version: str = ""
    job: str = ""


class Editor:
    """The trainers' changes to one corpus directory, one at a time."""

    def __init__(self, corpus_dir: Path, data_dir: Path, state: State, submit=None, single_trainer: bool = False) -> None:
        self.corpus_dir = corpus_dir
        self.dir = data_dir / "manage"
        self.state = state
        self.submit = submit or (lambda: None)  # queues an ingest; returns a job id
        self.single_trainer = single_trainer
        self._lock = threading.Lock()

    # Reading ----------------------------------------------------------------------------

    def vocabulary(self) -> Vocabulary:
        return Vocabulary.load(self.corpus_dir)[0]

    def entries(self, query: str = "", kind: str = "", industry: str = "", theme: str = "", status: str = "") -> list[Entry]:
        """The items, newest edits first, filtered by words in title/person/id/body and by each field."""
        pending = {p.stem for p in (self.dir / "pending").glob("*.md")}
        out = []
        for item in load_corpus(self.corpus_dir).items:
            state = "pending" if item.id in pending and item.status == "approved" else item.status
            if kind and item.kind != kind or industry and item.industry != industry or theme and theme not in item.themes:
                continue
            if status and state != status:
                continue
            if query and not any(query.lower() in x.lower() for x in (item.id, item.title, item.person, item.employer, item.body)):
                continue
            out.append(Entry(item, state))
        return sorted(out, key=lambda e: (e.status != "pending", e.status != "draft", e.item.id))

    def path_of(self, item_id: str) -> Path | None:
        """The item's file in the corpus, if it has one: named after its id (the check holds every file to that)."""
        return next((p for p in corpus_files(self.corpus_dir) if p.stem == item_id and not outside(p, self.corpus_dir)), None)

    def open(self, item_id: str) -> tuple[dict, str, str]:
        """The form's fields for an item (its waiting edit, if any), the version they stand on and its status."""
        path = self.path_of(item_id)
        if path is None:
            raise LecturerError(f"没有找到编号为「{item_id}」的教材。", f"no item {item_id}")
        pending = self.dir / "pending" / f"{item_id}.md"
        source = pending if pending.is_file() else path
        text = source.read_text(encoding="utf-8")
        item, _ = parse_item(source, source.parent, self.vocabulary())
        filed, _ = parse_item(path, self.corpus_dir, self.vocabulary())
        if item is None or filed is None:
            raise LecturerError(f"教材文件 {path.name} 有格式问题，请先在文件里修正或运行 python ingest.py --check。", "unparseable")
        status = "pending" if source == pending and filed.status == "approved" else filed.status
        return form_of(item), version_of(text), status

    def check(self, fields: dict) -> dict[str, str]:
        """Field-by-field problems of the form as it stands, in Chinese ({} when it can be saved)."""
        item_id = str(fields.get("id") or "").strip()
        with tempfile.TemporaryDirectory(prefix="lecturer-check-") as tmp:
            path = Path(tmp) / f"{item_id or 'new'}.md"
            path.write_text(render(fields, "draft"), encoding="utf-8")
            _, problems = parse_item(path, Path(tmp), self.vocabulary())
        out: dict[str, list[str]] = {}
        for problem in problems:
            reason = problem.reason.replace(f"「{path.name}」", "").strip()
            if problem.field == "year" and "整数" in reason:
                reason += "，请只写阿拉伯数字，如 2021"
            if problem.field == "id" and "文件名" in reason:
                continue  # the editor names the file after the id itself
            out.setdefault(problem.field if problem.field != "-" else "body", []).append(reason)
        existing = self.path_of(item_id) if item_id else None
        if existing is not None and fields.get("_new"):
            out.setdefault("id", []).append(f"编号「{item_id}」已被其他教材使用，请换一个")
        return {k: "；".join(v) for k, v in out.items()}

    def history(self, item_id: str) -> list[dict]:
        """Who did what to the item, newest first."""
        return self.state.rows("SELECT action, name, at FROM reviews WHERE item_id = ? ORDER BY id DESC", (item_id,))

    # Writing ----------------------------------------------------------------------------

    def save(self, fields: dict, version: str, user: str) -> Outcome:
        """Write the form: a new item as a draft file, an approved item's edit as a waiting edit, any
        other in place. Refused (with the text kept aside) if the item changed since `version`."""
        problems = self.check(fields)
        if problems:
            return Outcome(False, "还有问题没改好：" + "；".join(f"{FIELD_WORDS.get(k, k)}：{v}" for k, v in problems.items()))
        item_id = str(fields["id"]).strip()
        with self._lock:
            path = self.path_of(item_id)
            if path is None:
                if version:
                    return Outcome(False, f"教材「{item_id}」已不存在（可能被改了编号），请重新打开。")
                folder = self.corpus_dir / FOLDERS.get(str(fields.get("kind")), "")
                folder.mkdir(parents=True, exist_ok=True)
                target, status = folder / f"{item_id}.md", "draft"
            else:
                current, _ = parse_item(path, self.corpus_dir, self.vocabulary())
                status = current.status if current else "draft"
                pending = self.dir / "pending" / f"{item_id}.md"
                target = pending if status == "approved" else path
                if status == "approved" and not pending.is_file():
                    base = path  # the first edit of an approved item starts from its file
                else:
                    base = target
                on_disk = version_of(base.read_text(encoding="utf-8"))
                if version != on_disk:
                    kept = self._keep("conflicts", item_id, render(fields, status), user)
                    last = next((r["name"] for r in self.history(item_id) if r["action"] in ("saved", "approved")), "另一位培训师")
                    return Outcome(
                        False,
                        f"这篇教材在您打开之后已被「{last}」修改，您的保存没有覆盖它。您的文本已另存为 {kept.name}；"
                        "请重新打开教材，把您的修改合并进去后再保存。",
                    )
                if status == "approved":
                    status = "draft"  # the waiting edit; the file keeps its approved text
            text = render(fields, status)
            if target.is_file():
                self._keep("versions", item_id, target.read_text(encoding="utf-8"), user)
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, text)
            self._record(item_id, "saved", user, version_of(text))
        job = self.submit()
        waiting = "（已批准的教材：修改审核通过前，职工仍看到原来的版本）" if target.parent.name == "pending" else ""
        return Outcome(True, f"已保存为草稿{waiting}，需要另一位培训师审核后才会讲给职工。", version_of(text), job or "")

    def approve(self, item_id: str, user: str) -> Outcome:
        """Approve the item's draft or waiting edit; a second trainer must do it unless the union has one."""
        with self._lock:
            path = self.path_of(item_id)
            if path is None:
                return Outcome(False, f"没有找到编号为「{item_id}」的教材。")
            pending = self.dir / "pending" / f"{item_id}.md"
            source = pending if pending.is_file() else path
            item, _ = parse_item(source, source.parent, self.vocabulary())
            if item is None:
                return Outcome(False, "这篇教材还有格式问题，不能批准。")
            if source == path and item.status != "draft":
                return Outcome(False, f"这篇教材现在是「{STATUS_WORDS[item.status]}」，没有待审核的内容。")
            saver = next((r["name"] for r in self.history(item_id) if r["action"] == "saved"), "")
            if saver == user and not self.single_trainer:
                return Outcome(False, "自己保存的修改需要另一位培训师审核批准（只有一位培训师的工会可在设置中开启自审）。")
            text = source.read_text(encoding="utf-8")
            approved = re.sub(r"(?m)^status:.*$", "status: approved", text, count=1)
            self._keep("versions", item_id, path.read_text(encoding="utf-8"), user)
            atomic_write(path, approved)
            pending.unlink(missing_ok=True)
            self._record(item_id, "approved", user, version_of(approved))
        job = self.submit()
        return Outcome(True, "已批准，正在导入，稍后职工就能问到。", version_of(approved), job or "")

    def set_status(self, item_id: str, status: str, user: str) -> Outcome:
        """Retire an item (workers no longer hear it) or restore a retired one."""
        with self._lock:
            path = self.path_of(item_id)
            if path is None:
                return Outcome(False, f"没有找到编号为「{item_id}」的教材。")
            text = path.read_text(encoding="utf-8")
            item, _ = parse_item(path, self.corpus_dir, self.vocabulary())
            if item is None:
                return Outcome(False, "这篇教材有格式问题，请先修正。")
            if status == "retired" and item.status == "retired" or status == "approved" and item.status != "retired":
                return Outcome(False, f"这篇教材现在是「{STATUS_WORDS[item.status]}」。")
            changed = re.sub(r"(?m)^status:.*$", f"status: {status}", text, count=1)
            self._keep("versions", item_id, text, user)
            atomic_write(path, changed)
            self._record(item_id, "retired" if status == "retired" else "restored", user, version_of(changed))
        job = self.submit()
        word = "已停用，职工不会再听到它" if status == "retired" else "已恢复"
        return Outcome(True, f"{word}（正在更新索引）。", version_of(changed), job or "")

    def undo(self, item_id: str, user: str) -> Outcome:
        """Take back the last change: a waiting edit is dropped; otherwise the file returns to the
        version before the last overwrite (the current text is kept as a version too)."""
        with self._lock:
            pending = self.dir / "pending" / f"{item_id}.md"
            last = next((r["action"] for r in self.history(item_id)), "")
            if pending.is_file() and last == "saved":
                # Kept aside, never on the undo stack: a later undo must not bring unreviewed text back.
                self._keep("discarded", item_id, pending.read_text(encoding="utf-8"), user)
                pending.unlink()
                self._record(item_id, "undone", user, "")
                return Outcome(True, "已撤销待审核的修改，教材保持原来的版本。")
            path = self.path_of(item_id)
            versions = sorted((self.dir / "versions" / item_id).glob("*.md"))
            if path is None or not versions:
                return Outcome(False, "没有可以撤销的修改。")
            previous = versions[-1].read_text(encoding="utf-8")
            self._keep("versions", item_id, path.read_text(encoding="utf-8"), user)
            versions[-1].unlink()
            atomic_write(path, previous)
            self._record(item_id, "undone", user, version_of(previous))
        job = self.submit()
        return Outcome(True, "已恢复到上一个版本（正在更新索引）。", version_of(previous), job or "")

    def _keep(self, kind: str, item_id: str, text: str, user: str) -> Path:
        folder = self.dir / kind / item_id if kind in ("versions", "discarded") else self.dir / kind
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = folder / (f"{stamp}.md" if kind in ("versions", "discarded") else f"{item_id}-{stamp}-{version_of(user)[:6]}.md")
        atomic_write(path, text)
        return path

    def _record(self, item_id: str, action: str, user: str, version: str) -> None:
        self.state.run(("INSERT INTO reviews (item_id, action, name, at, version) VALUES (?, ?, ?, ?, ?)", (item_id, action, user, now(), version)))
