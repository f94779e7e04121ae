"""A lesson as Markdown with its citations (to check or copy), as the read-aloud script for the tab,
and as a print-friendly HTML page (the script, each paragraph's sources as a small superscript)."""

import html
import re
from datetime import date

from bot.chat.citations import MARKER, strip_markers
from bot.lesson.compose import HEADINGS, QUESTIONS, SOURCES, Lesson

CSS = """
@page { size: A4; margin: 15mm 18mm; }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, serif; font-size: 21px;
       line-height: 1.85; color: #111; max-width: 44em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.55em; line-height: 1.4; margin: 0 0 .3em; }
h2 { font-size: .8em; color: #666; font-weight: normal; margin: 1.2em 0 .3em; padding-bottom: .1em;
     border-bottom: 1px solid #bbb; break-after: avoid; }
p { margin: .45em 0; text-indent: 2em; orphans: 2; widows: 2; }
p.meta, p.note, section.questions p { text-indent: 0; }
p.meta { color: #444; font-size: .9em; }
p.note { border-left: 5px solid #b00; padding: .2em .8em; background: #fff4f4; }
sup { font-size: .55em; color: #666; }
section.sources { font-size: .72em; line-height: 1.6; color: #333; }
section.sources ul { padding-left: 1.2em; margin: 0; }
button.print { font-size: 18px; padding: .3em 1.2em; float: right; cursor: pointer; }
@media print {
  body { font-size: 16pt; max-width: none; margin: 0; padding: 0; color: #000; }
  button.print { display: none; }
  p.note { background: none; }
  article { break-after: page; }
  section { break-inside: auto; }
}
"""


def say_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日"


def meta_line(lesson: Lesson) -> str:
    """Team, date, industry and both times in one line."""
    theme = f"｜主题：{lesson.theme}" if lesson.theme else ""
    return (
        f"{lesson.team}｜{say_date(lesson.day)}｜{lesson.industry}{theme}"
        f"｜朗读约 {lesson.reading_minutes:g} 分钟，讨论 {lesson.discussion_minutes} 分钟"
    )


MARKDOWN_SPECIAL = re.compile(r"([\\`*_|~#])")


def escape_markdown(text: str) -> str:
    """Corpus or user text shown as text in Markdown: no live HTML (an <img> fetching an outside URL),
    no links or images, no emphasis or tables; it reads the same, [n] markers included."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("](", "]\\(")


NUMERALS = "一二三四五六七八九十"


def shown_headings(lesson: Lesson) -> list[str]:
    """Each section's heading as printed, numbered by its place among the sections the lesson has: a talk whose
    story ends on its own moral has no spirit section, and read 「二、讲故事」 then 「四、联岗位」 (trial 15, 12-01)."""
    out, k = [], 0
    for section in lesson.sections:
        head, sep, rest = section.heading.partition("、")
        if sep and head in NUMERALS:
            out.append(f"{NUMERALS[k]}、{rest}")
            k += 1
        else:
            out.append(section.heading)
    return out


def to_markdown(lesson: Lesson) -> str:
    """The lesson as Markdown: title, a line of facts, the note if any, then each section; every text escaped."""
    out = [f"# {escape_markdown(lesson.title)}", escape_markdown(meta_line(lesson))]
    if lesson.note:
        out.append(f"> 说明：{escape_markdown(lesson.note)}")
    for section, heading in zip(lesson.sections, shown_headings(lesson)):
        out += [f"## {escape_markdown(heading)}", escape_markdown(section.text)]
    return "\n\n".join(out) + "\n"


def to_script_markdown(lesson: Lesson) -> str:
    """The lesson as the team leader reads it aloud: plain paragraphs under small headings, no [n]
    in the text; the sources follow at the end."""
    out = [f"# {escape_markdown(lesson.title)}", escape_markdown(meta_line(lesson))]
    if lesson.note:
        out.append(f"> 说明：{escape_markdown(lesson.note)}")
    for section, heading in zip(lesson.sections, shown_headings(lesson)):
        if section.heading == SOURCES:
            lines = "\n".join(f"<small>{escape_markdown(line)}</small>  " for line in section.text.splitlines())
            out += [f"#### {SOURCES}", lines]
            continue
        out.append(f"#### {escape_markdown(heading)}")
        out += [escape_markdown(strip_markers(p).strip()) for p in section.text.split("\n\n") if p.strip()]
    return "\n\n".join(out) + "\n"



def _paragraph(text: str) -> str:
    """A paragraph as read aloud, its sources as one small superscript at its end."""
    numbers = list(dict.fromkeys(MARKER.findall(text)))
    sup = f"<sup>{','.join(numbers)}</sup>" if numbers else ""
    return f"<p>{html.escape(strip_markers(text).strip())}{sup}</p>"


def to_html(lesson: Lesson) -> str:
    """A complete, escaped HTML page for one lesson: large type, printable on its own pages."""
    body = [f"<h1>{html.escape(lesson.title)}</h1>", f'<p class="meta">{html.escape(meta_line(lesson))}</p>']
    if lesson.note:
        body.append(f'<p class="note">说明：{html.escape(lesson.note)}</p>')
    for section, shown in zip(lesson.sections, shown_headings(lesson)):
        heading = f"<h2>{html.escape(shown)}</h2>"
        if section.heading == SOURCES:
            items = "".join(f"<li>{html.escape(line.removeprefix('- '))}</li>" for line in section.text.splitlines())
            body.append(f'<section class="sources">{heading}<ul>{items}</ul></section>')
            continue
        css = ' class="questions"' if section.heading == HEADINGS[QUESTIONS] else ""
        paragraphs = "".join(_paragraph(p) for p in section.text.split("\n\n") if p.strip())
        body.append(f"<section{css}>{heading}{paragraphs}</section>")
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(lesson.title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        '<button class="print" onclick="window.print()">打印</button>\n'
        f'<article class="lesson">\n{chr(10).join(body)}\n</article>\n</body>\n</html>\n'
    )
