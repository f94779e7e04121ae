"""Loading and validating corpus/: every kind of bad file is reported with file, field and reason."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.index.chunking import answer_units, asked_rows
from bot.index.corpus import asked_pairs, load_corpus
from bot.lesson.compose import ASKS_US
from conftest import CORPUS, ROOT

GOOD = """---
id: {id}
kind: course
title: 测试课程
industry: 通用
themes: [工会服务]
summary: 摘要。
lesson: 感悟。
questions: [问题一？]
source: 测试
status: approved
---
正文第一句。
"""


def write(root: Path, name: str, text: str | bytes) -> Path:
    path = root / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems_for(tmp_path: Path, text: str | bytes, name: str = "item.md") -> list[tuple[str, str, str]]:
    write(tmp_path, name, text)
    return [(p.path, p.field, p.reason) for p in load_corpus(tmp_path).problems]


def test_valid_item_loads(tmp_path):
    write(tmp_path, "course-a.md", GOOD.format(id="course-a"))
    write(tmp_path, "README.md", "# 说明，不是教材")
    corpus = load_corpus(tmp_path)
    assert corpus.problems == []
    assert [i.id for i in corpus.items] == ["course-a"]
    assert corpus.items[0].body == "正文第一句。"


@pytest.mark.parametrize(
    "text, field, reason",
    [
        (GOOD.format(id="x").replace("themes: [工会服务]", "themes: [工会服务"), "-", "YAML 格式错误"),
        (GOOD.format(id="x").replace("source: 测试\n", ""), "source", "缺少必填字段"),
        (GOOD.format(id="x").replace("status: approved", "status: approved\ncolour: red"), "colour", "未知字段"),
        (GOOD.format(id="x").replace("kind: course", "kind: poem"), "kind", "未知类型"),
        (GOOD.format(id="x").replace("status: approved", "status: published"), "status", "未知状态"),
        (GOOD.format(id="x").replace("正文第一句。\n", "   \n"), "body", "正文为空"),
        (GOOD.format(id="Bad ID"), "id", "不合规"),
        (GOOD.format(id="x").replace("questions: [问题一？]", "questions: [一, 二, 三, 四]"), "questions", "1–3"),
        (GOOD.format(id="x").replace("themes: [工会服务]", "themes: 工会服务"), "themes", "文本列表"),
        (GOOD.format(id="x").replace("title: 测试课程", "title: [a, b]"), "title", "应为文本"),
        ("没有头信息的正文。", "-", "缺少 YAML 头信息"),
        ("---\n- a\n- b\n---\n正文。", "-", "映射"),
    ],
)
def test_each_problem_is_reported(tmp_path, text, field, reason):
    problems = problems_for(tmp_path, text)
    assert any(p[0] == "item.md" and p[1] == field and reason in p[2] for p in problems), problems


def test_story_needs_person_and_year_as_integer(tmp_path):
    text = GOOD.format(id="story-x").replace("kind: course", "kind: story").replace("正文第一句。", "正文第一句。" * 30)
    problems = problems_for(tmp_path, text, "story-x.md")
    fields = {p[1] for p in problems}
    assert {"person", "honours", "employer", "region", "year"} <= fields
    text = text.replace("status: approved", "status: approved\nperson: 某人\nhonours: []\nemployer: 某厂\nregion: 重庆\nyear: 二〇二〇")
    assert [p[1] for p in problems_for(tmp_path, text, "story-x.md")] == ["year"]


def test_not_utf8_and_too_large(tmp_path):
    assert "UTF-8" in problems_for(tmp_path, GOOD.format(id="x").encode("gbk"), "gbk.md")[0][2]
    big = GOOD.format(id="y") + "很长的正文。" * 200_000
    assert any("文件过大" in p[2] for p in problems_for(tmp_path, big, "big.md"))


def test_duplicate_id_names_both_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write(tmp_path, "a/same.md", GOOD.format(id="same"))
    write(tmp_path, "b/same.md", GOOD.format(id="same"))
    problems = load_corpus(tmp_path).problems
    assert len(problems) == 1 and problems[0].path == "b/same.md" and "a/same.md" in problems[0].reason


VOCABULARY = "industries: [通用, 公共交通, 电力]\nthemes: [工会服务, 无私奉献, 劳模精神]\n"


@pytest.mark.parametrize(
    "change, field, reason",
    [
        (("industry: 通用", "industry: 公交"), "industry", "词表里没有行业「公交」，是不是「公共交通」？"),
        (("themes: [工会服务]", "themes: [奉献精神]"), "themes", "词表里没有主题「奉献精神」，是不是「无私奉献」？"),
        (("正文第一句。", "正文第一句。\n\n第二段没有写完"), "body", "这一段没有以句号、问号或叹号结尾：「…第二段没有写完」"),
    ],
)
def test_check_catches_what_a_trainer_gets_wrong(tmp_path, change, field, reason):
    write(tmp_path, "vocabulary.yaml", VOCABULARY)
    text = GOOD.format(id="course-x").replace(*change)
    assert problems_for(tmp_path, text, "course-x.md") == [("course-x.md", field, reason)]


def test_asked_questions_name_words_copied_from_the_body(tmp_path):
    asked = ("asked:\n  - 第一句说的啥｜正文第一句\n  - 只写问法也行\n  - 第三条｜正文里没有这句话\n  - 摘要说了啥｜摘要\n"
             "  - 两句一起｜正文第一句。第二句也在\n")
    text = GOOD.format(id="course-x").replace("status: approved\n", f"status: approved\n{asked}")
    text = text.replace("正文第一句。\n", "正文第一句。第二句也在。\n")
    assert problems_for(tmp_path, text, "course-x.md") == [
        ("course-x.md", "asked", "第 3 条：「正文里没有这句话」在正文里找不到——竖线后面的原句要一字不差地从正文复制"),
        ("course-x.md", "asked", "第 4 条：「摘要」在正文里找不到——竖线后面的原句要一字不差地从正文复制"),  # a course's summary is not quoted
        ("course-x.md", "asked", "第 5 条：「正文第一句。第二句也在…」跨了两句——竖线后面只复制回答问题的那一句"),
    ]
    (tmp_path / "course-x.md").write_text(
        text.replace("  - 第三条｜正文里没有这句话\n  - 摘要说了啥｜摘要\n  - 两句一起｜正文第一句。第二句也在\n", ""), encoding="utf-8"
    )
    item = load_corpus(tmp_path).items[0]
    assert item.asked == ("第一句说的啥｜正文第一句", "只写问法也行")


def test_a_courses_talk_and_a_sub_jobs_point_answer_asked_questions(tmp_path):
    """「干错了要不要说出来」 is answered by what a team leader says (a spirit course's 「班前说一说」), and
    so is a trade's question its rules leave out (the chat quotes a trade course's talk too)."""
    write(tmp_path, "vocabulary.yaml", VOCABULARY)
    asked = "asked:\n  - 干错了要不要说出来｜自己弄错了就说出来\n"
    talk = "\n## 班前说一说\n\n自己弄错了就说出来，大家帮着改。\n"
    spirit = GOOD.format(id="course-x").replace("themes: [工会服务]", "themes: [劳模精神]")
    spirit = spirit.replace("status: approved\n", f"status: approved\n{asked}") + talk
    assert problems_for(tmp_path, spirit, "course-x.md") == []
    trade = GOOD.format(id="course-y").replace("status: approved\n", f"status: approved\n{asked}") + talk
    assert problems_for(tmp_path, trade, "course-y.md") == []
    assert problems_for(tmp_path, trade.replace("自己弄错了就说出来，", "自己错了要说，"), "course-y.md") == [
        ("course-y.md", "asked", "第 1 条：「自己弄错了就说出来」在正文里找不到——竖线后面的原句要一字不差地从正文复制")
    ]
    # a sub-job's safety point is quoted by the chat, so a 「常见问法」 may name it
    points = "\n## 分岗位安全要点\n\n折返换端时先拔主控钥匙。\n"
    metro = GOOD.format(id="course-y").replace("status: approved\n", "status: approved\nasked:\n  - 折返换端要注意啥｜折返换端时先拔主控钥匙\n")
    assert problems_for(tmp_path, metro + points, "course-y.md") == []


def test_a_short_story_a_misnamed_file_and_a_yaml_slip_are_named(tmp_path):
    story = GOOD.format(id="story-x").replace("kind: course", "kind: story").replace(
        "status: approved", "status: approved\nperson: 某人\nhonours: []\nemployer: 某厂\nregion: 重庆\nyear: 2020"
    )
    problems = problems_for(tmp_path, story, "story-y.md")
    assert ("story-y.md", "body", "故事正文只有 6 字，至少要 150 字，才能在班前会上完整地讲出来") in problems
    assert ("story-y.md", "id", "文件名「story-y.md」与 id「story-x」不一致，请把文件改名为 story-x.md") in problems
    slip = GOOD.format(id="course-z").replace("title: 测试课程", "title 测试课程")  # line 4 of the file
    (tmp_path / "z").mkdir()
    [(_, field, reason)] = problems_for(tmp_path / "z", slip, "course-z.md")
    assert field == "-" and reason.startswith("YAML 格式错误第 4 行附近")
    assert not re.search(r"[a-zA-Z]{3}", reason.replace("YAML", "")), "no English from the parser"


def test_check_reports_every_problem_and_exits_nonzero(tmp_path):
    write(tmp_path, "ok.md", GOOD.format(id="ok"))
    write(tmp_path, "bad.md", GOOD.format(id="bad").replace("kind: course", "kind: poem").replace("source: 测试\n", ""))
    run = subprocess.run(
        [sys.executable, "ingest.py", "--check", "--corpus", str(tmp_path), "--db", str(tmp_path / "db")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 1
    assert "bad.md 第 3 行: kind: 未知类型" in run.stderr and "bad.md: source: 缺少必填字段" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "db").exists()


def test_shipped_corpus_is_valid_and_large_enough():
    corpus = load_corpus(CORPUS)
    assert corpus.problems == []
    kinds = [i.kind for i in corpus.approved]
    assert kinds.count("story") >= 35 and kinds.count("course") >= 30
    for item in corpus.items:
        assert item.path.endswith(f"{item.id}.md"), item.path
        if item.kind == "story":
            assert 600 <= len("".join(item.body.split())) <= 1500, item.id
            # two discussion questions about the listeners' own work: the lesson reads two a day
            assert sum(bool(ASKS_US.search(q)) for q in item.questions) >= 2, item.id
        # every 「常见问法」 that names its answer names words of one quotable unit
        named = [a for _, a in asked_pairs(item.asked)]
        rows = [row for _, row in asked_rows(item, answer_units(item))]
        assert len(item.asked) >= 8 and all(row >= 0 for row, a in zip(rows, named) if a), item.id
    industries = {i.industry for i in corpus.items if i.kind == "story"}
    for industry in ["石油", "港口", "航空航天", "铁路", "电力", "船舶", "机械制造", "建筑", "公共交通", "环卫", "农业", "医疗", "教育"]:
        assert industry in industries
        assert any(i.id.startswith("course-safety-") and i.industry == industry for i in corpus.items), industry


@pytest.mark.parametrize("text", ["industries: [通用\n", "industries: 通用\nthemes: [工会服务]\n"])
def test_a_broken_vocabulary_is_a_problem_not_a_crash(tmp_path, text):
    write(tmp_path, "vocabulary.yaml", text)
    write(tmp_path, "course-x.md", GOOD.format(id="course-x"))
    corpus = load_corpus(tmp_path)
    assert [i.id for i in corpus.items] == ["course-x"]
    assert [p.path for p in corpus.problems] == ["vocabulary.yaml"]
    assert not re.search(r"[a-zA-Z]{3}", corpus.problems[0].reason.replace("YAML", ""))


STORY_META = "status: approved\nperson: 某人\nhonours: []\nemployer: 某厂\nregion: 重庆\nyear: 2020"


@pytest.mark.parametrize("chars, reason", [(300, "只有 300 字，至少要 600 字"), (1600, "有 1600 字，超过 1500 字")])
def test_a_story_must_fit_the_lesson(tmp_path, chars, reason):
    write(tmp_path, "vocabulary.yaml", VOCABULARY + "story_length: {min: 600, max: 1500}\n")
    story = GOOD.format(id="story-x").replace("kind: course", "kind: story").replace("status: approved", STORY_META)
    story = story.replace("正文第一句。", "劳" * (chars - 1) + "。")
    [problem] = load_corpus(tmp_path).problems if write(tmp_path, "story-x.md", story) else []
    assert problem.field == "body" and reason in problem.reason and problem.line == 18, problem


def test_ids_are_matched_whole_and_links_out_of_the_corpus_are_refused(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus, "course-x.md", GOOD.format(id='"course-x\\n"'))
    outside = write(tmp_path, "secret.md", GOOD.format(id="secret"))
    (corpus / "secret.md").symlink_to(outside)
    problems = {(p.path, p.field): p.reason for p in load_corpus(corpus).problems}
    assert "不合规" in problems[("course-x.md", "id")]
    assert "教材目录之外" in problems[("secret.md", "-")]
    assert [i.id for i in load_corpus(corpus).items] == []


def test_problems_name_the_line(tmp_path):
    text = GOOD.format(id="course-x").replace("industry: 通用", "industry: 公交")
    write(tmp_path, "vocabulary.yaml", VOCABULARY)
    [problem] = load_corpus(tmp_path).problems if write(tmp_path, "course-x.md", text) else []
    assert problem.line == 5 and str(problem).startswith("course-x.md 第 5 行: industry:")


@pytest.mark.parametrize(
    "calendar, words",
    [
        ("- name: 安全月\n  theme: 安全\n  talk: 讲安全。\n  month: 13\n", "须有且只有一种日子"),
        ("- name: 护士节\n  theme: 护理\n  talk: 致敬。\n  date: \"05-12\"\n  industries: [护理]\n", "行业「护理」不在词表"),
        ("- name: 劳动节\n  theme: 劳动\n  talk: 致敬。\n  date: \"05-01\"\n", "通用安全课 course-safety-general"),
        ("[broken", "无法读取"),
    ],
)
def test_check_reads_the_calendar_and_what_the_lesson_needs(tmp_path, calendar, words):
    write(tmp_path, "vocabulary.yaml", VOCABULARY)
    write(tmp_path, "course-x.md", GOOD.format(id="course-x"))
    write(tmp_path, "calendar.yaml", calendar)
    run = subprocess.run(
        [sys.executable, "ingest.py", "--check", "--corpus", str(tmp_path), "--db", str(tmp_path / "db")],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 1 and words in run.stderr and "calendar.yaml" in run.stderr or "course-safety-general" in run.stderr
    assert "Traceback" not in run.stderr
