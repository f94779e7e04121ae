"""Command line:

    python -m bot ask "问题" [--db DIR] [--json]
    python -m bot lesson --team NAME --industry INDUSTRY [--theme THEME] [--date YYYY-MM-DD] [--preview]
                         [--json] [--db DIR] [--html FILE] [--markdown FILE]
    python -m bot users add|passwd|remove|list [NAME] [--password-stdin] [--db DIR]
"""

import argparse
import json
import logging
import sys

from bot.config import Settings, load_settings
from bot.errors import LecturerError


def read_history(path: str | None):
    """The conversation so far from a JSON file: [{"role": "user"|"assistant", "content": "..."}, …]."""
    from pathlib import Path

    from bot.chat.conversation import parse_history

    if not path:
        return ()
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise LecturerError(f"读不到对话历史文件 {path}，请检查路径。", repr(exc)) from exc
    except ValueError as exc:
        raise LecturerError(f"对话历史文件 {path} 不是合法的 JSON。", repr(exc)) from exc
    return parse_history(raw)


def ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.chat.answer import answer, clean_question
    from bot.chat.result import to_dict
    from bot.chat.retrieve import make_retriever
    from bot.llm import make_llm

    question = clean_question(args.question, settings.max_question_chars)
    history = read_history(args.history)
    retriever = make_retriever(settings)
    if retriever.store.is_empty:
        from bot.prompts import EMPTY_STORE

        raise LecturerError(EMPTY_STORE, "empty store")
    result = answer(question, retriever=retriever, llm=make_llm(settings), history=history)
    if args.json:
        print(json.dumps(to_dict(result), ensure_ascii=False, indent=2))
        return 0
    print(result.text)
    for i, choice in enumerate(result.choices, 1):
        print(f"  {i}. {choice.label}（可以这样问：{choice.question}）")
    for c in result.citations:
        who = f"（{c.person}）" if c.person else ""
        print(f"\n[{c.n}] 《{c.title}》{who} {c.id}\n    来源：{c.source}\n    引文：{c.quote}")
    return 0


def lesson(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from bot.chat.retrieve import make_retriever
    from bot.lesson import build_lesson, clean_team, parse_day
    from bot.lesson.export import to_html, to_markdown, to_script_markdown
    from bot.llm import make_llm
    from bot.state import State

    team, day = clean_team(args.team), parse_day(args.date)  # refuse bad input before loading anything
    retriever = make_retriever(settings)
    result = build_lesson(
        team, args.industry, theme=args.theme, day=day, preview=args.preview, instead_of=args.instead_of or "",
        store=retriever.store, settings=settings, state=State(settings.state_target), llm=make_llm(settings),
    )
    markdown = to_markdown(result)
    for path, text in ((args.markdown, markdown), (args.html, to_html(result) if args.html else "")):
        if path:
            try:
                Path(path).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise LecturerError(f"无法写入文件 {path}，请检查路径和权限。", repr(exc)) from exc
            print(f"已写入 {path}", file=sys.stderr)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:  # what a team leader prints and reads: no [n]; the cited version is --markdown and --json
        print(to_script_markdown(result), end="")
    return 0


def users(args: argparse.Namespace, settings: Settings) -> int:
    """Trainer accounts for the 管理 area: add, passwd, remove, list."""
    from getpass import getpass

    from bot.manage.accounts import Accounts
    from bot.state import State

    accounts = Accounts(State(settings.state_target), settings.manage_session_hours)
    if args.action == "list":
        print("\n".join(accounts.names()) or "（还没有培训师账号）")
        return 0
    if not args.name:
        raise LecturerError("请给出用户名，例如：python -m bot users add 张老师", "no name")
    if args.action == "remove":
        accounts.remove(args.name)
        print(f"已删除培训师账号「{args.name}」。")
        return 0
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass("密码（至少 8 位）：")
        if getpass("再输入一次：") != password:
            raise LecturerError("两次输入的密码不一致。", "password mismatch")
    if args.action == "add":
        accounts.add(args.name, password)
        print(f"已创建培训师账号「{args.name}」，可在 /login 登录管理页面。")
    else:
        accounts.set_password(args.name, password)
        print(f"已修改「{args.name}」的密码，其原有登录已失效。")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="渝工 AI 讲师命令行")
    sub = parser.add_subparsers(dest="command", required=True)
    p_ask = sub.add_parser("ask", help="向讲师提问")
    p_ask.add_argument("question")
    p_ask.add_argument("--db", help="数据目录")
    p_ask.add_argument("--json", action="store_true", help="输出 JSON")
    p_ask.add_argument("--history", metavar="FILE", help="对话历史 JSON 文件：[{\"role\": \"user\", \"content\": \"…\"}, …]")
    p_ask.set_defaults(run=ask)
    p_lesson = sub.add_parser("lesson", help="生成班前充电十分钟讲稿")
    p_lesson.add_argument("--team", required=True, help="班组名称")
    p_lesson.add_argument("--industry", required=True, help="行业，例如 电力")
    p_lesson.add_argument("--theme", help="主题，例如 工匠精神（默认不限）")
    p_lesson.add_argument("--date", help="日期 YYYY-MM-DD（默认今天）")
    p_lesson.add_argument("--preview", action="store_true", help="只预览，不记录（不影响故事轮换）")
    p_lesson.add_argument("--instead-of", metavar="STORY_ID", help="换一篇：当天改讲另一个故事（给出要换掉的故事 id）")
    p_lesson.add_argument("--db", help="数据目录")
    p_lesson.add_argument("--json", action="store_true", help="输出 JSON")
    p_lesson.add_argument("--html", metavar="FILE", help="另存为可打印的 HTML 页面")
    p_lesson.add_argument("--markdown", metavar="FILE", help="另存为 Markdown")
    p_lesson.set_defaults(run=lesson)
    p_users = sub.add_parser("users", help="管理培训师账号（登录管理页面用）")
    p_users.add_argument("action", choices=["add", "passwd", "remove", "list"], help="add 新建、passwd 改密码、remove 删除、list 列出")
    p_users.add_argument("name", nargs="?", help="用户名")
    p_users.add_argument("--password-stdin", action="store_true", help="从标准输入读密码（脚本用）")
    p_users.add_argument("--db", help="数据目录")
    p_users.set_defaults(run=users)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings(**({"data_dir": args.db} if getattr(args, "db", None) else {}))
        return args.run(args, settings)
    except LecturerError as exc:
        logging.getLogger("bot").info("%s", exc.detail)
        print(exc.message, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
