"""班前充电十分钟: a pre-shift talk for a team leader to read aloud, around one story.

The talk follows the course-pre-shift-ten-minutes plan: greet this team about today, tell the
story in full, name its spirit, turn to the listeners and their job, remind of two or three safety
points for the season, and leave questions to discuss. It has two faces: `sections`, every factual
sentence quoted from the corpus (or the calendar) with its [n] citation, for --json, the Markdown
export and the trainers; and `script`, the same words as speech, with no markers, for reading aloud.
What is said around the story rotates against the team's recent lessons (rotation.py).
"""

import logging
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta

from langchain_core.documents import Document
from langchain_core.messages import HumanMessage, SystemMessage

from bot import prompts
from bot.chat.citations import MARKER, Citation, renumber, sentences_of, sources, strip_markers
from bot.chat.generate import Enforcer, Passage
from bot.chat.retrieve import Hit
from bot.config import Settings
from bot.errors import LecturerError
from bot.index.chunking import split_sentences, talk_document
from bot.index.corpus import (
    ADDRESSES_LISTENERS,
    GENERAL,
    JOB_SPIRIT,
    LESSON_ONLY,
    LESSON_TALK,
    REMINDER,
    SEASONS,
    SUB_JOB_POINTS,
    Item,
    Vocabulary,
)
from bot.index.store import Store
from bot.lesson.calendar import (
    GENERAL_SAFETY,
    Day,
    after_spring_festival,
    back_from,
    day_document,
    days_for,
    holiday_on,
    load_calendar,
)
from bot.lesson.quotes import Draft, as_said, fit, parts, render, size, whole_sentences
from bot.lesson.rotation import (
    CLOSE_DAYS,
    MAX_SHARE,
    RARE,
    TWIN_DAYS,
    Option,
    Past,
    Picker,
    choose_story,
    for_the_season,
    job_words,
    pair_counts,
    pairs,
    restating,
    seasonal,
    sentences,
    topics_of,
    unlike,
)
from bot.lesson.words import LessonWords
from bot.llm import LLM, Unavailable
from bot.prompts import EMPTY_STORE
from bot.state import State

log = logging.getLogger(__name__)

SPIRITS = {
    "劳模精神": "course-spirit-model-worker",
    "劳动精神": "course-spirit-labour",
    "工匠精神": "course-spirit-craftsman",
}
DEFAULT_SPIRIT = "劳模精神"
POINTS = "安全要点"
ANY_THEME = "不限"
MAX_TEAM_CHARS = 30
OCCASION_WORDS = re.compile(r"^(国际|中国|世界|全国)|(日|节)$")  # 「国际护士节」 is about 护士
OCCASION_AHEAD = 3  # days a trade's own day keeps its story for
ECHO = 0.91  # story cards this near are one story told twice (the top 0.5% of the corpus's pairs)
EXAMPLE_GAP = 3  # a story told this close (either way) is not someone else's example that day
MAX_EXAMPLES = 4  # more one-line deeds of others than this reads like a list
MAX_SPIRIT = 1  # spirit paragraphs a day: one moral a talk (two in a row read as sermons: reviews 13, trials 13 to 15);
# one more only where the trade has no words of its own left to fill the reading time, never a third
CAMPAIGN_DAYS = 7  # a campaign week or month opens the lesson at most once in this many days
ENOUGH = 3  # of the trade's points or paragraphs, as few as a team may be left to rotate when the others are not its own
JOB_FIT = 5  # days of recency credit for a job paragraph that names the team's job (「收运」 for 收运班)
LOOKBACK_DAYS = 20  # the rotation compares a day with the team's lessons this many days either way

OPENING, STORY, SPIRIT, LINK, SAFETY, QUESTIONS = range(6)
HEADINGS = ("一、开场", "二、讲故事", "三、悟精神", "四、联岗位", "五、提安全", "六、议一议")
SOURCES = "来源"

# Framing: the only sentences a lesson says without a citation (they state no fact). Each part has
# several wordings, rotated like everything else, so no two days open or turn alike.
GREETING = "{team}的{address}，大家好，今天是{day}。"
NO_DAY = (
    "十分钟不长，咱们先给自己充充电。",
    "上班之前，咱们花十分钟，听一个故事，说几句安全。",
    "人到齐了，咱们抓紧时间，用十分钟把心收一收、把弦绷一绷。",
    "新的一天，先把精神头提起来，再把安全放心上。",
    "干活之前先充充电，今天这十分钟，咱们边听边想。",
    "趁着上岗前这十分钟，咱们先听个故事、提个醒。",
    "活儿要干好，心先要静下来，咱们用十分钟开个好头。",
    "大家精神都不错，咱们抓紧十分钟，说说今天的事。",
)
# What a day without an occasion is, said of it: its weekday, or the season the vocabulary's climate puts its
# month in (the months its weather advice is given). Only what is true of every such day: a team leader heard
# 「大家精神都不错」 on any day alike (team leaders' trial). A season's lines are said in turn with NO_DAY's.
WEEKDAY_LINES = {
    0: ("新的一周开始了，咱们先用十分钟把心收一收。", "周一了，把周末的心收回来，咱们从这十分钟开个头。"),
    4: ("今天周五了，越到周末越容易松劲，咱们把心收住。", "周五了，一周快到头，越到这时候越不能松劲。"),
    5: ("今天周六，大家还在岗位上，辛苦了，咱们抓紧十分钟。",),
    6: ("今天周日，别人在休息，咱们还在岗位上，大家辛苦了。",),
}
SEASON_LINES = {  # by the season names of the vocabulary's climate
    "炎热": ("这个季节天热，人容易乏，咱们先把精神头提起来。", "天热的时候，心更要静，咱们用十分钟开个好头。"),
    "冬季": ("天冷了，手脚容易发僵，咱们先把精神提起来。",),
    "汛期": ("现在是汛期，说下雨就下雨，上下班路上多留个心。", "汛期里雨多路滑，咱们先把心收一收，再说今天的事。"),
    "雾": ("这个季节早上容易起雾，上班路上看不清的时候宁可慢一点。", "雾多的季节，路上多留个心，咱们先充充电。"),
    "冰雪": ("天寒地冻，路上可能结冰，走路开车都慢一点。",),
}
# What is true only as a season begins: 「入冬以后早晚凉」 on 小寒 was heard as November's words (trial 14).
ONSET_LINES = {"冬季": ("入冬以后早晚凉，大家多穿一件，咱们抓紧十分钟。",)}
SEASON_OF = {line: name for table in (SEASON_LINES, ONSET_LINES) for name, lines in table.items() for line in lines}
# A holiday's days and the first day back are no ordinary weekdays: 「周一了，把周末的心收回来」 on 5-03, inside
# the May Day holiday, and 「周五了，一周快到头」 on 10-08, back from the National Day week (trial 13).
ON_HOLIDAY = (
    "{holiday}假期里大家还守在岗位上，辛苦了；别人过节，咱们把安全守好。",
    "今天还在{holiday}假期里，大家没歇着，辛苦了，咱们抓紧十分钟。",
)
BACK_FROM_HOLIDAY = (
    "{holiday}假期刚过，今天是节后头一天，人回来了，心也要跟着回来。",
    "歇了几天{holiday}，今天回到岗位上，手上生的地方慢一点，先把家伙什点检一遍。",
    "过完{holiday}假期，头一天上班最容易走神，咱们用十分钟把心收回来。",
)
HOLIDAY_NAMES = ("元旦", "春节", "清明", "五一", "端午", "中秋", "国庆")
# The weeks after the Spring Festival (`after_spring_festival`) are no ordinary weeks: 「周一了，把周末的心收回来」 on
# 正月十四 to a crew just back (trial 15). What is true of every such day, to a team that worked through the festival too;
# then what is true only of a team that had the holiday off and is back at work (节后复工).
AFTER_FESTIVAL = (
    "年过完了，作息还没完全倒回来，人容易犯困，这几天更要打起精神。",
    "春节刚过去没多久，节后这段日子最容易松劲，咱们把安全这根弦重新绷紧。",
    "过年的热闹刚散，心思容易还留在家里，节后这几周一样一样按规矩来，不图快。",
    "节后人陆续回来了，手上的事多起来，越是这时候越要稳，不抢那一会儿工夫。",
)
RESUMING = (
    "节后复工头几周，设备歇了一阵，人也歇了一阵，开工前先把设备和现场仔细查一遍。",
    "节后刚复工，新面孔多、生手多，老同事多带一带，谁拿不准就先问。",
    "复工头几天最怕手生，咱们先慢后快，把每一步的规矩重新过一遍。",
)
STORY_INTRO = (
    "今天要讲的，是{person}的故事。",
    "先给大家讲讲{person}。",
    "今天的故事，主人公是{person}。",
    "咱们今天认识一个人：{person}。",
    "下面这个故事，说的是{person}。",
    "先说一个人：{person}。",
    "咱们从{person}讲起。",
    "咱们先听听{person}是怎么干的。",
)
UNNAMED_INTRO = (  # the story names its person in its own first sentence (「……有一位职工叫王蕴琦。」)
    "今天给大家讲一个人的故事。",
    "先给大家讲一个故事。",
    "今天的故事，从一个人讲起。",
)
HOME_INTRO = (  # the story's person is of the team's own town or port (「华坪县中学」 hears 张桂梅)
    "今天要讲的，是咱们{place}的{person}。",
    "今天说一个咱们{place}的人：{person}。",
    "今天的故事不远，就是咱们{place}的{person}。",
)
TURN = (  # said after the story and the examples: never 「这个故事」
    "说回咱们自己的岗位。",
    "这些道理放到咱们每天的活里，该怎么落地呢？",
    "这份精神离咱们并不远，就在每天的岗位上。",
    "咱们也对照一下自己。",
    "说完别人，再看看咱们自己。",
    "回到咱们自己的活上来。",
    "咱们自己的岗位，同样有这样的讲究。",
    "落到咱们自己身上，就是下面这些事。",
)
SPIRIT_INTRO = (  # said before the spirit course's words, so they follow from the story (team leaders' review)
    "{person}身上这股劲儿，放到咱们平常的日子里，是什么样子？",
    "像{person}这样的人，靠的是什么，咱们说几句。",
    "{person}的故事讲完了，再说几句心里话。",
    "听了{person}的事，咱们也想一想。",
)
EXAMPLES_INTRO = (  # said before one or several one-line deeds of others
    "这样的人，各行各业都有。",
    "像这样的劳动者，咱们身边还有不少。",
    "榜样就在各行各业。",
    "这样的劳动者还有很多。",
    "学榜样，不只学一个人。",
    "同样的精神，在别的岗位上也能看到。",
    "说到这儿，再讲讲别人是怎么做的。",
    "身边的榜样，也不止一位。",
)
SAFETY_INTRO = (
    "干活之前，再说几句安全。",
    "安全的事，今天提醒大家几点。",
    "咱们把安全再过一遍。",  # not 「最后」: the discussion comes after it (「最后」 was said twice)
    "今天的安全提醒，请大家记牢。",
    "上岗之前，这几条安全要点大家再听一遍。",
    "上班前，安全的事再叮嘱几句。",
    "安全这根弦，咱们天天都要绷紧。",
    "下面几条安全要点，请大家听仔细。",
)
QUESTIONS_INTRO = (
    "请大家结合今天的活，想一想、议一议。",
    "下面留两三分钟，大家说说自己的想法。",
    "咱们议一议，谁先来说？",
    "最后请大家一起议一议。",
    "这几个问题，大家边想边说。",
    "留几个问题，咱们现在就聊一聊。",
    "咱们花两三分钟，一起聊一聊。",
    "下面请大家说说自己的看法。",
)
# The second question when the story asks the listeners only one about their own work: what they would
# do, never one that checks what the story said (a team leader's review: 14 of 18 discussions had one).
# Said before the shift: 「今天」, never 「明天」; and nothing that puts the team in the place of someone who
# died (「换成咱们站在吴斌的位置上」 after his death, review 14).
WHAT_IF = (
    "{person}的做法里，哪一点咱们今天上班就能用上？",
    "咱们身边有没有像{person}这样的人和事，谁来说一说？",
    "{person}的这股劲儿，咱们平时干活能用在哪里？",
    "{person}身上哪一点最打动你，咱们班组能学着做的是什么？",
)  # one sentence each: the discussion's lines are read, and checked, a question at a time
CLOSING = (  # the team leader's last words, after the discussion
    "好，今天就说到这儿，大家上岗注意安全！",
    "就说这些，大家把心收回来，安安全全干好今天的活！",  # only on a day back at work (`closings`)
    "好了，上岗吧，干活前再把安全想一遍！",
    "今天的班前会就到这里，大家平平安安上班、平平安安回家！",
    "就说到这儿，祝大家今天一切顺利、平平安安！",
    # said to any trade (teachers hear no 上岗, 干活 or 班前会: the same closing four days running, trial 7)
    "好，今天就聊到这儿，大家各自忙起来，每一步都多留一分心！",
    "今天就说这么多，平平安安出门，平平安安回家！",
)
# Words of coming back to work: 「大家把心收回来」 closed an ordinary Tuesday, and a Monday that had opened with
# 「新的一周开始了……把心收一收」 (trial 14).
COMING_BACK = re.compile(r"心收|收回来|收一收|收住")
ASKED_OF = {t: re.compile(re.escape(t).replace(re.escape("{person}"), ".+?") + "$") for t in WHAT_IF}
ORDINALS = "一二三"
QUESTION = "第{n}个问题：{q}"
QUESTION_LEAD = re.compile(r"^第[一二三]个问题：")
DAY_LINES = tuple(line for lines in (*WEEKDAY_LINES.values(), *SEASON_LINES.values(), *ONSET_LINES.values(), AFTER_FESTIVAL, RESUMING)
                  for line in lines) + tuple(
    line.format(holiday=name) for line in (*ON_HOLIDAY, *BACK_FROM_HOLIDAY) for name in HOLIDAY_NAMES)
FRAMING = (*NO_DAY, *DAY_LINES, *STORY_INTRO, *UNNAMED_INTRO, *HOME_INTRO, *SPIRIT_INTRO, *EXAMPLES_INTRO, *TURN, *SAFETY_INTRO, *QUESTIONS_INTRO, *WHAT_IF, *CLOSING)
NOTE_NO_STORY = "「{industry}」暂无{theme}故事，本课选用了其他行业的故事。"
NOTE_BORROWED = "「{industry}」的故事近期都讲过了，本课借用其他行业{theme}的故事。"
NOTE_NO_SAFETY = "「{industry}」暂无专门的班前安全课，安全提醒选用了通用的安全生产内容。"
# A one-line deed that ends in a death is too grim to read out in passing before a shift.
DEATH = re.compile(r"去世|牺牲|遇难|病逝|殉职|离开人世|长眠|献出了.{0,4}生命")
YEAR = re.compile(r"\d{4}年")  # a spirit course's paragraph with a year in it is policy history, not a talk
ORDINAL_LEAD = re.compile(r"^第[一二三四五六七八九十]+[，、,]")
# 「淡泊名利，是……」: a spirit course's definition reads like a dictionary, not like a talk.
DEFINITION = re.compile(r"^[^，。；不]{2,8}，(就)?是")
# What a spirit paragraph says when it speaks to a story of each theme (the spirit themes themselves pick
# the course): after 叶欣 a paragraph on owning up to mistakes, after 孟泰 one on learning from anyone, after
# 时传祥 one on earning one's pay were heard as a change of subject (team leaders' trial 10, problem 3).
SPIRIT_FITS = {
    "无私奉献": re.compile(r"奉献|顶一顶|搭把手|多出一点力|为他人|另一头受益|低人一等"),
    "创新攻关": re.compile(r"创新|小点子|琢磨|想办法|攻下来|难题"),
    "技能提升": re.compile(r"跟谁都能学|多学|手艺|带徒弟|练|讲给新同事"),
    "学历提升": re.compile(r"多学|学几样|读书"),
    "爱岗敬业": re.compile(r"本职|多看一眼|没人看着|看得起手上的活|干得扎实|回头看一眼|收尾当正事|不起眼"),
    "安全生产": re.compile(r"隐患|不对劲|按规矩|为啥这样定|别慌|蛮干"),
    "思政教育": re.compile(r"本职|看得起手上的活|另一头受益"),
    "职工权益": re.compile(r"权益|休息不是偷懒"),
    "工会服务": re.compile(r"能帮就帮|搭把手"),
}
# A paragraph that draws on a deed of its own is said after a story only where the story tells of that deed:
# 「肯放下架子，跟谁都能学」 fits those who went to ask the old hands (李万君, 竺士杰), not 王蕴琦, who went
# back to school for a degree (team leaders' trial: 技能提升 was his theme, but not this kind of learning).
BORNE_OUT = (
    (re.compile(r"跟谁都能学|放下架子"), re.compile(r"请教|拜师|取经|偷师")),
    (re.compile(r"带徒弟|讲给新同事"), re.compile(r"徒弟|带出|传给|教给|传授")),
)
# A story that ends in its hero's death (叶欣, 吴斌, 黄大年) is followed only by what fits it, and never by
# owning up to mistakes (heard as if the hero had made one), by every day being like the one before, by
# honours weighed against quiet work nobody watches (「评先进……是没人看着的时候活也干得一样好」 after 叶欣,
# who died in the SARS ward, made small of her) or by not working oneself too hard (heard as blame).
GRAVE = re.compile(DEATH.pattern + r"|离开了人世|逝世|倒在.{0,12}(一线|岗位)")
LIGHT = re.compile(r"差错|认错|出了错|和昨天差不多|没人看着|评先进|蛮干|别硬撑")
# A story's last paragraph that draws its moral for the listeners (「学李萌，就是……」「他的故事告诉我们」).
MORAL = re.compile(r"我们|咱们|大家|学[^，。、]{1,4}，就是|告诉|说明|提醒|启示|值得|借鉴|诠释")


@dataclass(frozen=True)
class Section:
    """One part of the lesson: a heading and its text with [n] markers."""

    heading: str
    text: str


@dataclass(frozen=True)
class Lesson:
    """A pre-shift lesson: cited sections (for JSON and export) and the plain script to read aloud."""

    title: str
    team: str
    day: str
    industry: str
    theme: str
    sections: tuple[Section, ...]
    script: str
    reading_minutes: float
    discussion_minutes: int
    story_id: str
    citations: tuple[Citation, ...]
    note: str = ""

    def to_dict(self) -> dict:
        """The lesson as plain JSON-ready data (also how it is recorded)."""
        data = asdict(self)
        data["date"] = data.pop("day")
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Lesson":
        """The inverse of `to_dict`."""
        return cls(
            **{k: v for k, v in data.items() if k not in {"date", "sections", "citations"}},
            day=data["date"],
            sections=tuple(Section(**s) for s in data["sections"]),
            citations=tuple(Citation(**c) for c in data["citations"]),
        )



# Signs a team leader cannot read out, said in words: 「±660千伏」, 「毕业论文课题+现场技改项目」.
SPOKEN_SIGNS = (("±", "正负"), ("＋", "加"), ("+", "加"))


def script_of(sections: list[Section] | tuple[Section, ...]) -> str:
    """The words to read aloud: every paragraph, no headings, no markers, no sources, no signs."""
    text = "\n\n".join(
        strip_markers(p).strip()
        for s in sections
        if s.heading != SOURCES
        for p in s.text.split("\n\n")
        if p.strip()
    )
    for sign, words in SPOKEN_SIGNS:
        text = text.replace(sign, words)
    return text


def spoken_around_story(lesson: dict, with_story_lesson: bool = False) -> frozenset[str]:
    """The sentences a recorded lesson said around its story: not the story section, not a paragraph
    quoted from the story item (its lesson, unless asked for) and not the story's own questions. When
    a story comes back, these come back with it; the rotation keeps everything else apart (and, asking
    for the story's lesson too, never says yesterday's moral again as today's link to the job)."""
    story_numbers = {str(c.get("n")) for c in lesson.get("citations", ()) if c.get("id") == lesson.get("story_id")}
    out: set[str] = set()
    for section in lesson.get("sections", ()):
        if section.get("heading") in (HEADINGS[STORY], SOURCES):
            continue
        for paragraph in section.get("text", "").split("\n\n"):
            numbers = set(MARKER.findall(paragraph))
            own = numbers and numbers <= story_numbers and not with_story_lesson
            if QUESTION_LEAD.match(paragraph.strip()):
                # The story's own questions come back with it; a question of ours is kept by its wording
                # (「{person}的这股劲儿……」), so the days close by ask it in other words.
                out.update(t for t in WHAT_IF if with_story_lesson and ASKED_OF[t].match(QUESTION_LEAD.sub("", paragraph.strip())))
                continue
            if own:
                continue
            out.update(sentences(paragraph))
    return frozenset(out)


def past_of(recorded: list[dict]) -> list[Past]:
    """The rotation's view of the team's recorded lessons."""
    out = []
    for lesson in recorded:
        try:
            day, story_id = date.fromisoformat(lesson["date"]), lesson["story_id"]
            out.append(Past(day, story_id, spoken_around_story(lesson, True), spoken_around_story(lesson)))
        except (KeyError, TypeError, ValueError) as exc:
            log.warning("unreadable recorded lesson skipped by the rotation: %r", exc)
    return out


# Input ----------------------------------------------------------------------------------


def clean_team(team: str | None) -> str:
    """A team name fit for a title and a record key, or a LecturerError saying what is wrong."""
    text = unicodedata.normalize("NFKC", team or "")
    text = re.sub(r"\s+", " ", "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")).strip()
    if not text:
        raise LecturerError("请填写班组名称，例如“检修一班”：讲稿开头要称呼大家，轮换记录也按班组保存。", "empty team")
    if len(text) > MAX_TEAM_CHARS:
        raise LecturerError(
            f"班组名称太长了（{len(text)} 字），请控制在 {MAX_TEAM_CHARS} 字以内。", f"team {len(text)} chars"
        )
    return text


def parse_day(text: str | None, today: date | None = None) -> date:
    """A YYYY-MM-DD date (today when empty), or a LecturerError giving the expected format."""
    text = (text or "").strip()
    if not text:
        return today or date.today()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError as exc:
        raise LecturerError(f"日期「{text}」无法识别，请按 YYYY-MM-DD 格式填写，例如 2025-05-01。", repr(exc)) from exc


def lesson_options(store: Store) -> tuple[list[str], list[str]]:
    """The industries (most material first, 通用 last) and the story themes a lesson can be asked for."""
    industries: dict[str, int] = defaultdict(int)
    themes: dict[str, int] = defaultdict(int)
    for item in store.items.values():
        industries[item.industry] += 1
        if item.kind == "story":
            for theme in item.themes:
                themes[theme] += 1
    rank = sorted(industries, key=lambda k: (k == GENERAL, -industries[k], k))
    return rank, sorted(themes, key=lambda k: (-themes[k], k))


def check_choice(industry: str | None, theme: str | None, store: Store) -> tuple[str, str]:
    """The industry and theme ("" for any), or a LecturerError listing the valid ones."""
    industries, themes = lesson_options(store)
    industry, theme = (industry or "").strip(), (theme or "").strip()
    if industry not in industries:
        what = f"没有「{industry}」这个行业" if industry else "请选择行业"
        raise LecturerError(f"{what}。可选的行业有：{'、'.join(industries)}。", f"unknown industry {industry!r}")
    if theme in ("", ANY_THEME):
        return industry, ""
    if theme not in themes:
        raise LecturerError(
            f"没有「{theme}」这个主题。可选的主题有：{'、'.join(themes)}（或不限）。", f"unknown theme {theme!r}"
        )
    return industry, theme


# Choice ---------------------------------------------------------------------------------


def candidates(store: Store, industry: str, theme: str) -> tuple[list[Item], list[Item], str]:
    """The team's own stories that fit, those of other industries (on a shared theme where one is
    asked for), and a note when the industry has none and others stand in."""
    stories = sorted((i for i in store.items.values() if i.kind == "story"), key=lambda i: i.id)
    themed = [i for i in stories if not theme or theme in i.themes]
    own = [i for i in themed if i.industry == industry]
    others = [i for i in themed if i.industry != industry]
    if not themed:
        raise LecturerError("教材库里还没有可用的故事，请先导入教材。", "no stories")
    if own:
        return own, others, ""
    return [], others, NOTE_NO_STORY.format(industry=industry, theme=f"「{theme}」主题的" if theme else "")


def say_day(day: date) -> str:
    return f"{day.month}月{day.day}日，星期{'一二三四五六日'[day.weekday()]}"


def industry_courses(items: dict[str, Item], industry: str) -> list[Item]:
    return sorted((i for i in items.values() if i.kind == "course" and i.industry == industry), key=lambda i: i.id)


def course_with(items: dict[str, Item], industry: str, heading: str) -> Item | None:
    """The first course of an industry with a section of that heading."""
    return next((c for c in industry_courses(items, industry) if heading in parts(c.body)), None)


def alike(a: str, b: str) -> bool:
    """Two sentences saying much the same (over a third of the shorter one's character pairs shared)."""
    pa, pb = ({x[i : i + 2] for i in range(len(x) - 1)} for x in (a, b))
    return bool(pa and pb) and len(pa & pb) / min(len(pa), len(pb)) >= 0.35


def said(options) -> list[str]:
    """The sentences of the options picked (None for a part left out)."""
    return [x for o in options if o for x in o.sentences]


def lesson_talk(course: Item, docs: dict[str, list[Document]]) -> list[str]:
    """A course's 「班前说一说」 paragraphs; the document they are quoted from joins the course's chunks
    (the index never holds it, so the chat never quotes it)."""
    talk = talk_document(course)
    if talk is None:
        return []
    docs[course.id] = [*docs.get(course.id, []), talk]
    return parts(course.body).get(LESSON_TALK, [])


def for_occasion(stories: list[Item], calendar: list[Day], day: date, industry: str) -> frozenset[str]:
    """The stories a trade's own day is about: those whose title or summary says a word the day lists
    (中国医师节: 医生, 行医…) or, when it lists none, the core of its name (国际护士节: 护士)."""
    own = [d for d in days_for(calendar, day, industry) if d.daily and industry in d.industries]
    words = {w for d in own for w in (d.about or (OCCASION_WORDS.sub("", d.name),))}
    words = {w for w in words if len(w) >= 2}
    return frozenset(i.id for i in stories if any(w in f"{i.title}{i.summary}" for w in words))


def echoing(store: Store, recent: list[str]) -> frozenset[str]:
    """The stories whose card (summary and lesson) is as near one of `recent` as the nearest pairs of
    the corpus are (许振超 and 孔祥瑞, 时传祥 and 李萌: each the other's nearest, at 0.92–0.93)."""
    snap = store.snapshot()
    told = [snap.chunks_of[i][0].id for i in recent if snap.chunks_of.get(i)]
    if not told or not snap.chunk_vectors.size:
        return frozenset()
    stories = [i for i in snap.items.values() if i.kind == "story" and snap.chunks_of.get(i.id)]
    cards = snap.chunk_vectors[[snap.position[snap.chunks_of[i.id][0].id] for i in stories]]
    near = (cards @ snap.chunk_vectors[[snap.position[c] for c in told]].T).max(axis=1)
    return frozenset(i.id for i, c in zip(stories, near, strict=True) if c >= ECHO and i.id not in recent)


TWIN_WORDS = 3  # times a story says its sub-job's words when it is a story of that sub-job (竺士杰: 桥吊, 19)


def story_job(story: Item, vocabulary: Vocabulary) -> str:
    """The sub-job a story is of: the one of its trade whose words it says most, at least TWIN_WORDS times, alone."""
    counts = Counter({job: sum(story.body.count(w) for w in ws) for trade, job, ws in vocabulary.jobs if trade == story.industry})
    top = counts.most_common(2) + [("", 0)]
    return top[0][0] if top[0][1] >= TWIN_WORDS and top[1][1] < top[0][1] else ""


def twins_of(stories: list[Item], past: list[Past], day: date, vocabulary: Vocabulary, store: Store) -> frozenset[str]:
    """The stories heard as the one of a day next to this one: of its trade's same sub-job (竺士杰 then 许振超, two
    quay-crane drivers; 郑玉晓 then 张兵, two bus drivers: trial 14), or someone that day named in passing."""
    near = [p for p in past if abs((p.day - day).days) <= TWIN_DAYS and p.story_id in store.items]
    kinds = {(store.items[p.story_id].industry, job) for p in near if (job := story_job(store.items[p.story_id], vocabulary))}
    heard = "".join(s for p in near for s in p.sentences)
    trades = {trade for trade, _ in kinds}
    return frozenset(i.id for i in stories if any(n in heard for n in names(i))
                     or (i.industry in trades and (i.industry, story_job(i, vocabulary)) in kinds))


def spirit_fits(story: Item, paragraph: str) -> bool:
    """Whether a spirit paragraph speaks to one of the story's themes, draws on no deed the story does not
    tell of, and, after a story of a death, says nothing light (mistakes owned up to, one day like the next)."""
    if GRAVE.search(story.body) and LIGHT.search(paragraph):
        return False
    if any(cue.search(paragraph) and not deed.search(story.body) for cue, deed in BORNE_OUT):
        return False
    return any(SPIRIT_FITS[t].search(paragraph) for t in story.themes if t in SPIRIT_FITS)


def safety_points(course: Item, month: int, climate: dict[str, frozenset[int]]) -> list[Option]:
    """A safety course's points as the lesson says them in this month (its sub-jobs' too: for_team picks), each
    quoted from the course; a seasonal point counts as said some days sooner (it comes first in its season)."""
    sections = parts(course.body)
    found = sections.get(POINTS) or [p for k, ps in sections.items() if k not in (REMINDER, *LESSON_ONLY) for p in ps]
    return [
        Option(p, sentences(as_said(spoken_point(told))), (course, spoken_point(told)), 3 if seasonal(told) else 0)  # heard as said
        for p in found + sections.get(SUB_JOB_POINTS, [])
        if (told := for_the_season(p, month, climate))
    ]


def day_lines(
    day: date, climate: dict[str, frozenset[int]], calendar: list[Day] | None = None, shifts: bool = False
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What can be said of a day without an occasion: its weekday's lines, and its season's. A public
    holiday's day, the first day back after one and the weeks after the Spring Festival are said as such and never
    as a weekday. A team that works `shifts` (weekends and holidays alike) hears nothing of weekends, nor of coming
    back from a holiday, but of the weeks after the festival all the same."""
    seasons = [name for name, months in climate.items() if day.month in months]
    season = tuple(line for name in seasons for line in SEASON_LINES.get(name, ()))
    season += tuple(line for name in seasons if onset(day.month, climate[name]) for line in ONSET_LINES.get(name, ()))
    if holiday := holiday_on(calendar or [], day):
        return tuple(line.format(holiday=holiday.name) for line in ON_HOLIDAY), season
    after = after_spring_festival(calendar or [], day)  # 节后: said in place of the weekday
    if shifts:
        return (AFTER_FESTIVAL if after else ()), season
    if holiday := back_from(calendar or [], day):
        return tuple(line.format(holiday=holiday.name) for line in BACK_FROM_HOLIDAY), season
    return (AFTER_FESTIVAL + RESUMING if after else WEEKDAY_LINES.get(day.weekday(), ())), season


def onset(month: int, months: frozenset[int]) -> bool:
    """Whether the month is the first of a season's months (December of 冬季's 12, 1, 2)."""
    return month in months and (month - 2) % 12 + 1 not in months


def closings(back: bool) -> tuple[str, ...]:
    """The closings for a day: those of coming back to work only on the first day back (`back_at_work`)."""
    return tuple(c for c in CLOSING if back or not COMING_BACK.search(c))


def back_at_work(day: date, calendar: list[Day], shifts: bool) -> bool:
    """Whether the day is the first back after a weekend or a holiday (never for a team that works `shifts`)."""
    return not shifts and not holiday_on(calendar, day) and (day.weekday() == 0 or back_from(calendar, day) is not None)


HEAT = next(pattern for name, pattern, _, _ in SEASONS if name == "炎热")
# A heat point about work out of doors: its trade is outdoors (the vocabulary's 盛夏露天 months, June in Chongqing).
OUTDOOR = re.compile(r"露天|野外|井场|外场|机坪|巡线|巡道|出车|下地|中午|午间")  # not 「户外活动」 of a school
PEAK, PEAK_OUTDOOR = "盛夏", "盛夏露天"  # the vocabulary's climate: a heat point every day in these months


def peak_heat(month: int, climate: dict[str, frozenset[int]], hot: list[Option]) -> bool:
    """Whether the month is the height of summer for this trade: every trade's peak months, and those of
    the outdoor trades where the trade's heat points speak of work out of doors."""
    outdoor = any(OUTDOOR.search(o.key) for o in hot)
    return month in climate.get(PEAK, ()) or (outdoor and month in climate.get(PEAK_OUTDOOR, ()))


def introduces_itself(story: Item) -> bool:
    """Whether the story's first sentence brings in its person by name (「有一位老师傅，他叫傅国涛」)."""
    first = next((p for ps in parts(story.body).values() for p in ps), "")
    opening = whole_sentences(first)[:1]
    return bool(opening) and any(re.search(rf"(叫|名叫){re.escape(n)}", opening[0]) for n in names(story) or [story.person])


NAMES_TODAY = re.compile(r"今天是[^，。！；]{1,12}[节日][，。！；]")


def alike_name(name: str, talk: str) -> bool:
    """Whether the talk names the day already: in full, by the name's core (「119消防日」 for
    「119消防宣传日」, 「护士节」 for 「国际护士节」) or by its last words (「国家公祭日」 for
    「南京大屠杀死难者国家公祭日」), or by a name of its own (「今天是三八节」): the day was named twice in a row."""
    name = name.strip()
    core = re.sub(r"^(全国|国际|世界|中国)|宣传|纪念", "", name)
    return (name in talk or (len(core) >= 3 and core in talk) or any(name[k:] in talk for k in range(len(name) - 4))
            or bool(NAMES_TODAY.match(talk)))


def names(item: Item) -> list[str]:
    """The people a story is about."""
    return [n.strip() for n in re.split(r"[、，,]", item.person) if len(n.strip()) >= 2]


def framing(options: tuple[str, ...], **fields: str) -> list[Option]:
    return [Option(o, sentences(o.format(**fields)), o.format(**fields)) for o in options]


def quoted(key: str, paragraphs: list[str], payload) -> Option:
    return Option(key, tuple(s for p in paragraphs for s in sentences(p)), payload)


def quads(*texts: str) -> set[str]:
    """Every run of four Chinese characters in the texts: 「停机断电」「拉好手刹」 heard twice in one talk."""
    plain = [re.sub(r"[^\u4e00-\u9fff]", "", t) for t in texts]
    return {p[i : i + 4] for p in plain for i in range(len(p) - 3)}


def own_jobs(vocabulary: Vocabulary, industry: str, team: str) -> frozenset[str]:
    """The team's sub-jobs; of several its name ends on, the ones another word of the name names apart (「保洁中队」
    is a sweepers' crew, not the sweeper trucks' too, though 中队 names both: trial 14)."""
    jobs = vocabulary.team_jobs(industry, team)
    named = {job: {w for w in ws if w in team} for trade, job, ws in vocabulary.jobs if trade == industry and job in jobs}
    # A word inside a longer one the name says for another sub-job names nothing apart: 「心内科护理组」's 「内科」 is its
    # 「心内科」, a ward's (病房) and cardiology's alike.
    inside = {job: {w for w in ws if any(w != v and w in v for k, vs in named.items() if k != job for v in vs)} for job, ws in named.items()}
    apart = {job for job, ws in named.items() if ws - inside[job] - set().union(*(v for k, v in named.items() if k != job))}
    return frozenset(apart) if len(jobs) > 1 and apart else jobs


# 「今天我们开公交……」: a closing said to the story's own trade.
TODAY_WE = re.compile(r"^(今天|如今|现在)[，,]?.{0,8}(我们|咱们)")
ASKS_US = re.compile(r"我们|咱们|你")  # a question about the listeners' own work, not about the story


def said_to_others(
    story: Item, industry: str, jobs: frozenset[str], vocabulary: Vocabulary, text: str, spoken: bool = False
) -> bool:
    """Whether words of a story that talk to its listeners talk to another trade (「今天我们开公交」 told to
    nurses) or, in the team's own trade, only to another sub-job (「开井盖先通风」 told to street sweepers).
    Its lesson and its questions are `spoken` to the listeners; its text only where it says 我们 or 咱们."""
    if not spoken and not ADDRESSES_LISTENERS.search(text):
        return False
    if story.industry not in (industry, GENERAL):
        return bool(TODAY_WE.search(text) or any(w in text for w in vocabulary.trade_words(story.industry)))
    about = vocabulary.jobs_in(industry, text)
    return bool(jobs and about and not about & jobs)


# 「二〇一一年，他荣获……称号。二〇一二年，……授予他……称号。」: an honour a sentence.
HONOURED = re.compile(r"授予|荣获|获评|被评为|评为|当选|入选|受到.{0,8}表彰|(获得|获).{0,30}(称号|奖|荣誉|勋章)|称号|奖章|勋章")
# The state's highest honours (《国家勋章和国家荣誉称号法》, the 七一勋章 and 改革先锋): never cut from a run of honours.
STATE_HONOUR = re.compile(r"共和国勋章|友谊勋章|七一勋章|八一勋章|国家荣誉称号|人民楷模|人民教育家|人民科学家|人民英雄|改革先锋")
# The model worker's own title, what the lesson is about: kept in a run of honours once (王进's 「全国劳动模范」 came
# after his work's 科技进步奖 and was never heard: trial 14).
MODEL_TITLE = re.compile(r"全国劳动模范|全国劳模|全国先进工作者")
SPOKEN = re.compile(r"说|表示|笑着|问")  # 「当选全总副主席后……他却笑着说，还是叫“巨师傅”吧」 is a moment, not a title


HEADING_LIKE = 10  # 「防范煤气中毒。」「严格执行工作票制度。」: a point's title, no more characters than this


def spoken_point(point: str) -> str:
    """A safety point as said aloud: without its ordinal (「第一，」) and without its title where what
    follows says it (a team leader does not read 「落实手卫生。」 as a sentence of its own)."""
    point = ORDINAL_LEAD.sub("", point)
    said = whole_sentences(point)
    if len(said) > 1 and len(said[0]) <= HEADING_LIKE and not re.search(r"[，,、；;：:]", said[0]):
        return "".join(said[1:])
    return point


def fewer_honours(paragraph: str, title: str = "") -> str:
    """A paragraph with only the first sentence of each run of honours: a roll of them read aloud is a
    list of titles, and a story ends on it (team leaders' review: 9 of 18 lessons). The honour the title
    names stays (「……的“七一勋章”获得者」: team leaders' trial 10 never heard it), and so do the state's
    highest (王启民's 「人民楷模」 came last in his run and was never heard: trial 13) and, once, the model
    worker's own title."""
    named = [w for w in re.findall(r"[“\"]([^”\"]+)[”\"]", title) if w]
    kept: list[str] = []
    previous = False
    for sentence in whole_sentences(paragraph):
        honoured = bool(HONOURED.search(sentence)) and not SPOKEN.search(sentence)
        titled = MODEL_TITLE.search(sentence) and not MODEL_TITLE.search("".join(kept))
        if not (honoured and previous) or any(w in sentence for w in named) or STATE_HONOUR.search(sentence) or titled:
            kept.append(sentence)
        previous = honoured
    return "".join(kept)


def opens_about(said: tuple[str, ...], industry: str, vocabulary: Vocabulary) -> frozenset[str]:
    """The sub-jobs a paragraph is about: those its first sentence names, else those it names at all."""
    return (said and vocabulary.jobs_in(industry, said[0])) or vocabulary.jobs_in(industry, "".join(said))


# 「今天，铁路建设越来越快……」: a borrowed story's turn to its own trade's present, which is not the room's.
NOW = re.compile(r"^(今天|如今|现在|眼下)")
THIRD_PERSON = re.compile(r"[他她]")
# 「今天，我们很多老师也在乡村学校……」: words that place the listeners somewhere, true only of a team whose name
# places it there (not of 沙坪坝区第一实验小学, a city school: team leaders' trial).
PLACED = re.compile(r"(我们|咱们)[^。，]{0,8}在(乡村|农村|山区|山村|大山|深山|偏远|边远|牧区|海岛)")
RURAL_TEAM = re.compile(r"[乡村镇县]|山区|牧区|海岛")


def placed_elsewhere(team: str, text: str) -> bool:
    """Whether words to the listeners place them where the team's name does not (the countryside)."""
    return bool(PLACED.search(text)) and not RURAL_TEAM.search(team)


def told_story(story: Item, industry: str, jobs: frozenset[str], vocabulary: Vocabulary, team: str = "") -> list[str]:
    """The story's paragraphs as told to this team: its closing words to its own trade or sub-job, or that
    place the listeners where this team is not, are left out (what happened before them in that paragraph
    is kept), as is a borrowed story's sentence on its own trade today; and of a run of honours only the first."""
    told = [fewer_honours(p, story.title) for ps in parts(story.body).values() for p in ps]
    if not told:
        return told
    whole = last = whole_sentences(told[-1])
    if story.industry not in (industry, GENERAL):
        last = [s for s in last if not (NOW.match(s) and not ADDRESSES_LISTENERS.search(s)
                                        and not THIRD_PERSON.search(s) and not any(n in s for n in names(story)))]
    start = next((k for k, s in enumerate(last) if ADDRESSES_LISTENERS.search(s)), len(last))
    closing = "".join(last[start:])
    if start < len(last) and (said_to_others(story, industry, jobs, vocabulary, closing) or placed_elsewhere(team, closing)):
        last = last[:start]
    if last == whole:
        return told
    return told[:-1] + (["".join(last)] if last else [])


def draft_lesson(
    story: Item, *, team: str, day: date, industry: str, spirit: str, store: Store, settings: Settings, past: list[Past],
    calendar: list[Day], vocabulary: Vocabulary, avoid: frozenset[str] = frozenset(), more: int = 0,
    words: LessonWords | None = None,
) -> tuple[Draft, str]:
    """Every candidate sentence of the lesson, by section and tier, and a note if general safety stands in.

    What every lesson says is picked first, each part the wording that shares least with the team's
    recent days; then the extras that fill the reading time, only where they keep that overlap low."""
    items = dict(store.items)
    docs = dict(store.chunks_of)  # each item's chunks in order; the day's calendar entry is added below
    pick = Picker(past, team, day, avoid)
    address = vocabulary.greeting(industry)
    words = words or LessonWords()
    jobs = own_jobs(vocabulary, industry, team)  # 「轧钢厂精整班」: 精整
    marks = vocabulary.marks(industry, jobs)  # what its own job's paragraphs and stories say
    home = words.places_in(industry, team)  # 「轨道18号线项目钢筋班」: 轨道交通

    def for_team(options: list[Option], needed: bool = True, strict: bool = False) -> list[Option]:
        """The paragraphs a team of its sub-job should hear: none only about another one (no furnace
        lines for a finishing crew), unless that leaves none of what the lesson needs (a team whose sub-job
        is not recognised is told what names none first: `prefer` below). `strict`: nor, while enough is
        left, a paragraph naming a thing only another sub-job has (「信号设备」 to a track crew, 「油井」
        to a gas platform), though it names the team's too."""
        options = on_site(options) or options
        if not jobs:
            return options
        # What a paragraph opens with says whose it is: 「宿管老师晚上查寝……跟班主任说」 is the dorm
        # supervisors', though it names the class teacher it hands over to (team leaders' review).
        fit = [o for o in options if not (about := opens_about(o.sentences, industry, vocabulary)) or about & jobs]
        fit = [o for o in fit if not words.speaks_of_others(industry, jobs, "".join(o.sentences))
               and not words.not_theirs(industry, jobs, "".join(o.sentences))]
        if strict:
            own = [o for o in fit if not any(w in x for w in others_jobs for x in o.sentences)]
            fit = own if len(own) >= ENOUGH else fit
        return fit or (options if needed else [])

    def on_site(options: list[Option]) -> list[Option]:
        """The paragraphs for the works the team's name places it on: none only of another (「楼盖好以后……」 to a
        rebar crew on a metro line: trial 14); a team whose name names no works hears them all."""
        return [o for o in options if not home or not (at := words.places_in(industry, "".join(o.sentences))) or at & home]

    def prefer(options: list[Option]) -> list[Option]:
        """For a team whose sub-job is not recognised, what names no sub-job, where there is any: a body-shop
        welding crew heard 浇包 and 数控 points every day (team leaders' trial 13). What fills the reading
        time may still be another sub-job's, so the trade's twenty days do not run short."""
        general = [o for o in options if not vocabulary.jobs_in(industry, "".join(o.sentences))]
        return general if not jobs and general else options

    # Words only the other sub-jobs of the trade have (a word two sub-jobs share, 「炉前」, is the team's too).
    mine = {w for trade, job, ws in vocabulary.jobs if trade == industry and job in jobs for w in (job, *ws)}
    others_jobs = {w for trade, job, ws in vocabulary.jobs if trade == industry and job not in jobs for w in (job, *ws)} - mine

    close = [p for p in past if abs((p.day - day).days) <= CLOSE_DAYS and p.story_id in store.items]

    def spoken(options: tuple[str, ...], **fields: str) -> list[Option]:
        """The team leader's own words that fit this trade (no 上岗 and 干活 to teachers). A line about the
        story's person is not said in the words the days close by said of theirs (「王进的这股劲儿……」 the
        day after 「李万君的这股劲儿……」: team leaders' review)."""
        framed = framing(options, **fields)
        if "person" in fields:
            framed = [o for o in framed if not any(
                o.key in p.sentences or set(sentences(o.key.format(**fields | {"person": store.items[p.story_id].person}))) & p.sentences
                for p in close
            )] or framed
        return [o for o in framed if not vocabulary.unfit_for(industry, o.payload)] or framed

    pick.count = 1  # the greeting, said each day in other words
    note = ""

    # The day: its most important occasion; a campaign running all week or month is said once a week.
    # A day whose words are another workplace's is not said to this trade (质量月's 「每道工序」 to teachers).
    # A day of several wordings (春节's week) is said in the one the days close by did not say.
    occasion, occasion_name = None, ""

    fitting = ((d, [t for t in d.talks_for(industry) if not vocabulary.unfit_for(industry, t)]) for d in days_for(calendar, day, industry))
    for entry, talks in [(d, talks) for d, talks in fitting if talks][:1]:
        item = entry.as_item()
        options = [quoted(f"{item.id}#{k}", [t], (item, t)) for k, t in enumerate(talks)]
        if entry.daily or min(pick.recency(o) for o in options) >= CAMPAIGN_DAYS:
            items[item.id], docs[item.id] = item, [day_document(item)]
            occasion = pick.one(options)
            occasion_name = entry.name if entry.daily else ""
    # A day without one is opened with what is true of it (its weekday, its season), in turn with lines said any day.
    shifts = words.works_weekends(industry, jobs)  # sweepers, bus drivers, nurses: no weekend talk
    weekday, season = day_lines(day, dict(vocabulary.climate), calendar, shifts)
    # A season's weather is not said the day after, in whatever words (the fog two days running: trial 15).
    heard = {SEASON_OF[o.key] for o in spoken(season) if pick.recency(o) <= TWIN_DAYS}
    season = tuple(line for line in season if SEASON_OF[line] not in heard)
    opening = None if occasion else pick.one(
        pick.unsaid_close(spoken(weekday)) or pick.unsaid_close(spoken(season)) or spoken(NO_DAY)
    )
    person = story.person or story.title
    place = story.home_in(team)
    if introduces_itself(story):  # 「……有一位职工叫王蕴琦。」 after 「咱们从王蕴琦讲起。」 names him twice
        intro = pick.one(spoken(UNNAMED_INTRO))
    else:
        intro = pick.one(spoken(HOME_INTRO, person=person, place=place) if place else spoken(STORY_INTRO, person=person))

    # The spirit: a part of the spirit course, preferring one that names people of the team's own trade
    # (or no one of another); the link to the job: what the industry's courses, and the lessons its
    # other stories draw, say about the job; safety: points for the season, not the ones said lately.
    spirits = []
    foreign = {n for i in store.items.values() if i.kind == "story" and i.industry != industry for n in names(i)}
    kin = [spirit] + [t for t in story.themes if t in SPIRITS and t != spirit]
    for rank, course in enumerate(c for c in (items.get(SPIRITS[t]) for t in kin) if c):
        lesson_talk(course, docs)  # its words for the team are among its paragraphs below
        for k, p in enumerate(p for ps in parts(course.body).values() for p in ps):
            if YEAR.search(p) or DEFINITION.match(p):
                continue
            named = any(n in p for n in foreign) or vocabulary.unfit_for(industry, p)  # or a factory's words to nurses
            boost = -10 * named - 5 * rank  # the main spirit first, and no one of another trade where avoidable
            spirits.append(Option(f"{course.id}#{k}", sentences(p), (course, [p]), boost))
    spare = []  # said only when nothing else fills the reading time
    if len(own_trade := [o for o in spirits if o.boost > -10]) >= 2:
        spirits, spare = own_trade, [o for o in spirits if o.boost <= -10]
    # The paragraphs that speak to the story's own themes come first; after a story of a death, only they.
    apt = [o for o in spirits if spirit_fits(story, "".join(o.sentences))]
    if GRAVE.search(story.body):
        # nothing light after a death; what fits comes first (apt), the rest only fills the reading time, so
        # that a short day does not fall back on yesterday's job paragraph (骨科护理组 after 叶欣)
        spirits = [o for o in spirits if not LIGHT.search("".join(o.sentences))]
        spare = [o for o in spare if not LIGHT.search("".join(o.sentences))]
    links = []
    for c in industry_courses(items, industry):
        links += [quoted(f"{c.id}#job{k}", [p], (c, p)) for k, p in enumerate(parts(c.body).get(JOB_SPIRIT, []))]
        links += [quoted(f"{c.id}#talk{k}", [p], (c, p)) for k, p in enumerate(lesson_talk(c, docs))]
        if c.lesson and POINTS in parts(c.body):
            links.append(quoted(f"{c.id}#lesson", [c.lesson], (c, c.lesson)))
    # People told about today or these days are not brought in again as if new (「青岛港的许振超就是……」).
    recent = {n for i in [story, *(store.items[p.story_id] for p in past if p.story_id in store.items
                                     and abs((p.day - day).days) <= EXAMPLE_GAP)] for n in names(i)}
    links = [o for o in links if not any(n in x for n in recent for x in o.sentences)] or links
    spirits = [o for o in spirits if not any(n in x for n in recent for x in o.sentences)] or spirits
    if not links and (general := items.get("course-spirit-together")):
        links = [quoted(f"{general.id}#{k}", [p], (general, p)) for k, p in enumerate(parts(general.body).get("每天怎么践行", []))]
    safety = course_with(items, industry, POINTS)
    if safety is None and (safety := items.get(GENERAL_SAFETY)):
        note = NOTE_NO_SAFETY.format(industry=industry)
    points, reminders, seasonal_points = [], [], set()
    if safety is not None:
        sections = parts(safety.body)
        points = safety_points(safety, day.month, dict(vocabulary.climate))
        reminders = for_team([quoted(s, [s], s) for p in sections.get(REMINDER, []) for s in sentences(p)], needed=False)
        points = for_team(points)
        seasonal_points = {o.key for o in points if o.boost}
        # the team's own job's points before the trade's others (an emergency ward heard its own on 3 days of 8)
        points = [replace(o, boost=o.boost + JOB_FIT * bool(vocabulary.jobs_in(industry, o.key) & jobs)) for o in points]
    # Examples: what someone else did, in one sentence: the team's own trade first, then the same spirit.
    near = {p.story_id for p in past if abs((p.day - day).days) <= EXAMPLE_GAP}
    told = {p.story_id for p in past}
    kindred = [
        i for i in store.items.values()
        if i.kind == "story" and i.id != story.id and i.summary and i.id not in near
        and (i.id in told if i.industry == industry else spirit in i.themes)
    ]
    kindred = [i for i in kindred if not DEATH.search(sentences(i.summary)[0])]
    examples = [
        Option(i.id, sentences(i.summary)[:1], i, 30 if i.industry == industry else 0)
        for i in sorted(kindred, key=lambda i: i.id)
    ]
    anyone = [  # when those have all been told lately: anyone's deed, the team's own first
        Option(i.id, sentences(i.summary)[:1], i)
        for i in sorted(store.items.values(), key=lambda i: i.id)
        if i.kind == "story" and i.id != story.id and i.summary and i not in kindred and i.id not in near
        and not DEATH.search(sentences(i.summary)[0])
        and (i.industry != industry or i.id in told)
    ]

    # The last of the trade's own words: a deed of its stories not told yet (a stranger's deed read as a list of
    # strangers; one of the trade's own, heard in passing before its story, as news of the trade: round 23).
    untold = [
        Option(i.id, sentences(i.summary)[:1], i)
        for i in sorted(store.items.values(), key=lambda i: i.id)
        if i.kind == "story" and i.industry == industry != GENERAL and i.id != story.id and i.summary
        and i.id not in told and not DEATH.search(sentences(i.summary)[0])
    ]
    turn = pick.one(spoken(TURN))
    told = told_story(story, industry, jobs, vocabulary, team)
    # A link that restates the story's own moral in other words would be heard twice in a row.
    moral_paragraph = told[-1] if told else ""
    moral = sentences(story.lesson) + sentences(moral_paragraph)
    # A story that ends on its moral is not followed by it again; nor by one said to another trade, or in words
    # not for this one (孟泰's 「把工厂当不当家」 to street sweepers: trial 14).
    own_moral = not MORAL.search(moral_paragraph) and not said_to_others(
        story, industry, jobs, vocabulary, story.lesson, spoken=True
    ) and not vocabulary.unfit_for(industry, story.lesson)
    links = [o for o in links if not any(alike(a, b) for a in o.sentences for b in moral)] or links
    # Of the trade's paragraphs, those about this team's own job first (「收运班」: the ones on 收运).
    team_words = job_words(team) | marks
    links = [replace(o, boost=JOB_FIT * any(w in x for w in team_words for x in o.sentences)) for o in for_team(links, strict=True)]

    def unadvised(options: list[Option], given: list[str]) -> list[Option]:
        """The options that give no advice the sentences given gave already, in whatever words (the vest in the
        story's moral and in a link, 例检 in a link and in the reminder: 6 of trial 14's 12 lessons)."""
        heard = words.advice_in("".join(given))
        return [o for o in options if not words.advice_in("".join(o.sentences)) & heard]

    # When the days close by said them all (a sub-job with few paragraphs), the one said longest ago.
    told_links = unadvised(links, list(moral)) or links
    # Drafted again to share less with a recent day, a team with no sub-job takes one of a sub-job's paragraphs rather
    # than the shared one (教育: 「咱们带着学生一起把桌椅摆正……」 four days apart, six drafts in a row: round 23).
    choices = [c for c in (pick.unsaid_close(prefer(told_links)), pick.unsaid_close(told_links)) if c]
    choices = [c for c in choices if pick.clear(c)] or choices
    link_main = pick.pick(choices[0] if choices else sorted(told_links, key=pick.recency)[-1:])
    safety_intro = pick.one(spoken(SAFETY_INTRO)) if points else None
    # What only a few of the trade's paragraphs speak of (「锐器盒」「公交站」): said once a talk.
    topics = topics_of("".join(o.sentences) for o in [*links, *points, *reminders])
    # One instruction is given once a talk, whatever its words (「走路肩、不走道心」 in the link and in a point).
    counts = pair_counts(p for c in items.values() if c.kind == "course" for ps in parts(c.body).values() for p in ps)
    # A word of the team's job that most of its paragraphs say names the job, not an instruction (「入户」 to a
    # household gas team); one that only a few say names one (「拆模」 to carpenters: the link's 「拆模要等技术员
    # 发话……下面拉好警戒」 and the point's 「拆模时下方拉警戒线」 were one instruction, said twice: trial 15).
    skip = frozenset(x for w in marks for x in pairs(w) if counts[x] > RARE)

    def anew(options: list[Option], given: list[Option | None]) -> list[Option]:
        return restating(unadvised(options, said(given) + list(moral)), said(given), counts, skip)
    # In its season a seasonal point (heat in summer, charcoal stoves in winter) comes first unless said
    # these days; two when two seasons meet (December's fog and its stoves: the review found the stoves
    # never said while the fog was).
    due = [o for o in points if o.key in seasonal_points and pick.recency(o) > CLOSE_DAYS]
    # At the height of summer a heat point every day, the one said longest ago where there are several (a
    # rebar crew on 8-03 heard none because 8-02 had said it: team leaders' trial 13).
    hot = [o for o in points if HEAT.search(o.key)]
    # The trade's heat point in turn with the general course's, so that no two days running say it word for word
    # (a sweepers' crew heard its one heat point on 7-20 and 7-21 alike: trial 14).
    point_main = []
    if hot and peak_heat(day.month, dict(vocabulary.climate), hot):
        common = items.get(GENERAL_SAFETY)
        general_heat = safety_points(common, day.month, dict(vocabulary.climate)) if common is not None else []
        hot_too = hot + [o for o in general_heat if HEAT.search(o.key) and o.key not in {p.key for p in hot}]
        point_main = pick.pick(prefer(anew(hot_too, link_main) or hot_too), 1)
    due = [o for o in due if o not in point_main]
    while len(point_main) < 2 and (unsaid := prefer(anew([o for o in due if o not in point_main], [*link_main, *point_main]))):
        # one at a time: two due points may give one instruction (the winter masks of 第七 and of the 门诊 point)
        point_main += pick.pick(unsaid)
    while len(point_main) < 2 and (rest := [o for o in points if o not in point_main]):
        # Two points, not one said twice; the second only if the days close by did not say it (a
        # finishing crew's few points are not read out again the day after tomorrow).
        if point_main and not (rest := pick.unsaid_close(rest)):
            break
        # The first is the one due (said longest ago); the second not about what the talk said already.
        unheard = unlike(rest, said([*link_main, *point_main]), topics) if point_main else anew(rest, link_main)
        unheard = anew(unheard, [*link_main, *point_main])
        if point_main and not (unheard := unheard or anew(rest, [*link_main, *point_main])):
            break  # nor one that gives an instruction the talk gave already (a gas platform heard its 硫化氢 alarm twice)
        point_main += pick.pick(prefer(unheard or rest))
    ask = pick.one(spoken(QUESTIONS_INTRO))
    opened = occasion.payload[1] if occasion else opening.payload if opening else ""
    back = back_at_work(day, calendar, shifts) and not COMING_BACK.search(opened)
    closing = pick.one(spoken(closings(back)))
    # Extras fill the reading time, most useful first, each only if no recent day then shares too much.
    # The story's questions, but not those that ask about the listeners' work in another trade's terms
    # (「我们每天进站、开门、起步时……」 to teachers): the team's own safety course asks in their place.
    asked = [
        q for q in story.questions
        if not (ASKS_US.search(q) and said_to_others(story, industry, jobs, vocabulary, q, spoken=True))
        and not vocabulary.unfit_for(industry, q)  # 「我们班组、车间」 asked of farmers
        # a borrowed story's question in any other trade's words (「咱们手上哪件工具……」 after 徐立平's 刀具)
        and (story.industry in (industry, GENERAL) or not any(w in q for w in vocabulary.others_words(industry)))
    ]
    # Two questions about the listeners' own work: one that checks what the story said (「张兵是怎样用一杯水
    # 和一把豆子练技术的？」) is answered by one person in ten seconds, and of three only the first gets
    # discussed (team leaders' reviews). The team's own safety course asks where the story does not; what
    # they would do in the story's place makes the second.
    asked = [q for q in asked if ASKS_US.search(q)]
    if not asked and safety is not None and safety.industry == industry:
        asked = [q for q in safety.questions if ASKS_US.search(q)
                 and (not (about := vocabulary.jobs_in(industry, q)) or not jobs or about & jobs)][:1]
    asked = asked[:2]
    if len(asked) < 2:
        asked.append(pick.one(spoken(WHAT_IF, person=story.person or story.title)).payload)
    chars = sum(size(p) for p in (*told, story.lesson if own_moral else "", *asked)) + 40
    for option in (occasion, opening, intro, turn, *link_main, safety_intro, *point_main, ask, closing):
        chars += sum(size(x) for x in option.sentences) if option else 0
    target = sum(lesson_window(settings)) // 2
    extra: dict[str, list[Option]] = defaultdict(list)
    own_examples = [o for o in examples if o.payload.industry == industry]
    # Others' deeds in passing are the team's own trade's: a port crane driver's seconds saved, said in one
    # breath to school canteen staff, is heard as a list of strangers (reviews, rounds 9 and 10).
    # Only when nothing else is left to say in the reading time are they of other trades.
    strangers = [o for o in examples + anyone if o.payload.industry != industry]
    if industry != GENERAL:
        examples, anyone = own_examples, [o for o in anyone if o.payload.industry == industry]
    # What the day says already, so that nothing added says it again in other words (「手卫生不怕麻烦」 twice).
    today = said([occasion, *link_main, *point_main]) + list(moral)
    # Someone else's deed in one sentence, never stale: one of the team's own trade; others' only when
    # the day must be drafted again to say less of the days before, or to fill the reading time below.
    extra["example"] = pick.pick(unlike(examples, today), 1 + more) if more else pick.pick(
        unlike(pick.unsaid_close(own_examples), today), 1
    )
    today += said(extra["example"])
    rank = {o.key: 1 for o in extra["example"]}  # the order extras were taken in is the order the reading time keeps them
    chars += sum(size(x) for o in extra["example"] for x in o.sentences) + 10
    fresh = pick.unsaid_close  # extras the days either side did not say
    other_links = [o for o in links if o not in link_main]
    other_points = [o for o in points if o not in point_main]
    # A job paragraph heard one or two days before comes back only at the last, for a sub-job with few paragraphs (a bus
    # crew heard 「带徒弟出车」 on two days of three once the spirit paragraphs no longer filled the time: round 23).
    aged_links = [o for o in other_links if pick.recency(o) > CLOSE_DAYS - 1]

    def not_again(name: str, options: list[Option]) -> list[Option]:
        """No second point the days close by said: a finishing crew's few points were read again the days after."""
        said_again = [o for o in [*point_main, *extra["point"]] if not fresh([o])]
        return fresh(options) if name == "point" and said_again else options

    # One moral a talk: a story that ends on its moral, or is followed by its own lesson line, hears no spirit paragraph
    # after it (the story's 「学X，就是要……」 or its lesson, then a spirit paragraph: two morals in a row in all 12 of
    # trial 15's lessons); a story without one hears one spirit paragraph. What is new of the trade's own fills the time:
    # the job's paragraphs and points even on a topic said already (in no four words the talk said).
    moralised = own_moral or bool(MORAL.search(moral_paragraph))
    sermons = 0 if moralised else MAX_SPIRIT
    new_left = (
        ("link", fresh(other_links), 3, True),
        ("point", fresh(other_points), 2, True),
        ("link", fresh(other_links), 4, True),  # one more of the trade's own, not said the days close by
        ("point", fresh(other_points), 3, True),
    ) if moralised else ()
    head = (  # (part, options, at most, only while short of the reading time)
        ("spirit", fresh(apt), sermons, False),  # a paragraph that speaks to the story's themes
        ("example", fresh(own_examples), 2, False),
        ("link", fresh(other_links), 1, False),  # the trade's paragraphs last longer
        ("reminder", fresh(reminders), 1, False),
        # Short of the reading time: first what the days either side did not say, then, before a
        # list of others' deeds, what they did.
        ("link", fresh(other_links), 1, True),  # two of the trade's paragraphs a day keep them fresh for days
        ("spirit", fresh(apt), sermons, True),
        ("spirit", fresh(spirits), sermons, True),  # what the team leader says, before others' deeds in passing
        ("example", fresh(examples), 2, True),
        ("point", fresh(other_points), 1, True),
    )
    pools = (
        *head,
        *new_left,
        # Only where the trade has nothing new of its own left to fill the reading time (a tally crew's fourth day): one
        # spirit paragraph after all, rather than the days close by's paragraphs again or a talk too short.
        ("spirit", fresh(apt) + [o for o in fresh(spirits) if o not in apt], MAX_SPIRIT, True),
        ("link", aged_links, 2, True),  # said some days ago, never yesterday's or the day before's again
        # One spirit paragraph said these days, rather than another trade's deed (the only moral of a talk whose story
        # draws none; after one that does, the last of its own trade's words: a sub-job with few paragraphs).
        ("spirit", spirits, MAX_SPIRIT, True),
        ("example", examples + anyone, MAX_EXAMPLES, True),
        ("example", examples + anyone, MAX_EXAMPLES + 2, True),
        # A topic said twice, rather than a talk too short; then a point said these days; then, and only
        # then, another trade's deed (a railway blaster's, padding 「换一篇」 for a gas team: trial 13); last, a
        # spirit paragraph in words not for this trade (a factory's to nurses and teachers).
        ("link", fresh(other_links), 3, True),
        ("point", fresh(other_points), 2, True),
        ("point", other_points, 2, True),
        ("link", other_links, 2, True),  # a sub-job with few paragraphs: one said a few days ago
        ("link", aged_links, 3, True),  # a third, not of the two days either side
        # Still short with all its trade's words said (a sub-job with few paragraphs, on its fourth day): a deed of the
        # trade's own not told yet, then a second spirit paragraph, never a third, rather than another trade's deed
        # (8 of 32 such lessons: round 23).
        ("example", examples + anyone + untold, MAX_EXAMPLES, True),
        ("spirit", spirits, MAX_SPIRIT + 1, True),
        ("stranger", [o for o in strangers if o not in extra["example"]], 1, True),
        ("spirit", spare, MAX_SPIRIT + 1, True),
    )
    loose = set(range(len(head), len(head) + len(new_left)))  # the new job paragraphs and points after the moral
    relaxed = set(range(len(pools) - 9, len(pools))) | loose  # the last but another trade's deed may say a topic twice
    low = lesson_window(settings)[0] + 25
    for k, (name, pool, most, short) in enumerate(pools):
        while chars < (low if short else target) and len(extra[name]) < most:
            heard = topics if name in ("link", "point", "reminder") and k not in relaxed else frozenset()
            left = unlike([o for o in pool if o not in extra[name]], today, heard)
            if k in loose:
                left = [o for o in left if not quads(*o.sentences) & quads(*today)]
            elif k in relaxed and name in ("link", "point", "reminder"):
                # A topic said twice rather than a talk too short, but in other words where the trade has them: a
                # nurse's or teacher's fourth paragraph of the day that shares no four characters with the job and
                # safety paragraphs said (「才不会在」「班主任和」 heard twice: 8 times in 40 lessons of round 23)
                job_said = quads(*(x for o in [*link_main, *point_main, *extra["link"], *extra["point"], *extra["reminder"]]
                                   for x in o.sentences))
                left = [o for o in left if not quads(*o.sentences) & job_said] or left
            if name in ("link", "point", "reminder"):
                left = restating(unadvised(not_again(name, left), today), today, counts, skip)
            option = pick.extra(left)
            if option is None:
                break
            extra[name].append(option)
            today += list(option.sentences)
            rank[option.key] = len(rank) + 2
            chars += sum(size(x) for x in option.sentences)

    extra["example"] += extra.pop("stranger", [])
    log.debug("lesson estimate %d of %d chars; extras %s", chars, target, {k: len(v) for k, v in extra.items()})
    examples_intro = pick.one(spoken(EXAMPLES_INTRO)) if extra["example"] else None
    spirit_intro = pick.one(spoken(SPIRIT_INTRO, person=story.person or story.title)) if extra["spirit"] else None
    draft = Draft(items, docs)
    today = say_day(day)
    # 「今天是3月5日，星期三，学雷锋纪念日。」: why today, said once, and without a bracket that cannot be
    # read aloud (「全国消防日（119消防宣传日）」 is said 「全国消防日」, or not at all where the talk says 「119消防日」).
    spoken_names = [n for n in re.split(r"[（()）]", occasion_name) if n.strip()] if occasion_name else []
    if occasion and spoken_names and not any(alike_name(n, occasion.payload[1]) for n in spoken_names):
        today += f"，{spoken_names[0].strip()}"
    draft.say(OPENING, GREETING.format(team=team, address=address, day=today))
    if occasion:
        draft.quote(OPENING, occasion.payload[0], [occasion.payload[1]], 0)
    elif opening:
        draft.say(OPENING, opening.payload)
    draft.say(STORY, intro.payload)
    draft.quote(STORY, story, told, 0)
    if own_moral:
        draft.quote(SPIRIT, story, [story.lesson], 0)
    for k, option in enumerate(extra["spirit"]):
        lead = spirit_intro.payload if k == 0 and spirit_intro else ""
        draft.quote(SPIRIT, option.payload[0], option.payload[1], rank[option.key], lead)
    for k, option in enumerate(sorted(extra["example"], key=lambda o: rank[o.key])):
        lead = examples_intro.payload if k == 0 else ""
        draft.quote(SPIRIT, option.payload, list(option.sentences), rank[option.key], lead)
    for k, option in enumerate(link_main + extra["link"]):
        tier = 0 if k == 0 else rank[option.key]
        draft.quote(LINK, option.payload[0], [option.payload[1]], tier, turn.payload if k == 0 else "")
    if safety is not None and safety_intro:
        draft.say(SAFETY, safety_intro.payload)
        for tier, option in [(0, o) for o in point_main] + [(rank[o.key], o) for o in extra["point"]]:
            draft.quote(SAFETY, option.payload[0], [option.payload[1]], tier)
        for option in extra["reminder"]:
            draft.quote(SAFETY, safety, [option.payload], rank[option.key])
    draft.say(QUESTIONS, ask.payload)
    for k, question in enumerate(asked):
        draft.say(QUESTIONS, QUESTION.format(n=ORDINALS[k], q=question), 0)
    draft.say(QUESTIONS, closing.payload)
    return draft, note


def rewrite(
    text: str, part: str, team: str, citations: list[Citation], items: dict[str, Item], llm: LLM, store: Store
) -> str | None:
    """The section rephrased by the LLM, each sentence checked against the passage it cites;
    None keeps the composed text."""
    paragraphs = text.split("\n\n")
    lead = 0
    while lead < len(paragraphs) and not MARKER.search(paragraphs[lead]):
        lead += 1
    body = "\n\n".join(paragraphs[lead:])
    # Framing that opens the first cited paragraph (「故事讲完了，说回咱们自己。」) stays as it is.
    opener = re.match(r"(?:[^\[。！？]*[。！？](?!\[))*", body).group() if body else ""
    body = body[len(opener):]
    used = sorted({int(n) for n in MARKER.findall(body)})
    if not used:
        return None
    by_n = {c.n: c for c in citations}
    passages = []
    for k, n in enumerate(used, 1):
        c = by_n[n]
        doc = Document(id=c.chunk_id, page_content=c.quote, metadata={"body_offset": 0})
        passages.append(Passage(k, Hit(items[c.id], (doc,), 0.0, 0.0), doc, c.quote, split_sentences(c.quote)))
    numbered = "\n\n".join(f"[{p.n}] 《{p.hit.item.title}》{p.text}" for p in passages)
    messages = [
        SystemMessage(prompts.LESSON_SYSTEM.format(length=size(body))),
        HumanMessage(prompts.LESSON_USER.format(part=part, team=team, passages=numbered, draft=MARKER.sub("", body))),
    ]
    try:
        reply = llm.invoke(messages)
    except Unavailable as exc:  # the composed text still serves the lesson
        log.warning("LLM rewrite of %s failed: %s", part, exc)
        return None
    enforcer = Enforcer(passages, store.checker, llm.support)
    for sentence in sentences_of([reply]):
        enforcer.check(sentence)
    answer = enforcer.answer()
    if not answer.citations or enforcer.dropped > enforcer.kept + enforcer.repaired:
        log.warning("LLM rewrite of %s: %s; using the composed text", part, enforcer.enforcement)
        return None
    to_global = {k: used[n - 1] for n, k in enforcer.numbers.items()}
    rewritten = MARKER.sub(lambda m: f"[{to_global[int(m.group(1))]}]", answer.text)
    return "\n\n".join(paragraphs[:lead] + [opener + rewritten])


def lesson_window(settings: Settings) -> tuple[int, int]:
    """The script's length in characters: the reading time's bounds at the reading speed."""
    cpm = settings.lesson_chars_per_minute
    return round(settings.lesson_min_minutes * cpm), round(settings.lesson_max_minutes * cpm)


def assemble(headings: list[str], texts: list[str], citations: list[Citation]) -> tuple[tuple[Section, ...], tuple[Citation, ...]]:
    """Sections numbered in reading order (empty ones left out), the sources last."""
    texts, citations = renumber(texts, citations)
    sections = tuple(Section(h, t) for h, t in zip(headings, texts, strict=True) if t)
    return sections + (Section(SOURCES, sources(citations)),), tuple(citations)


def compose_lesson(
    story: Item,
    *,
    team: str,
    day: date,
    industry: str,
    store: Store,
    settings: Settings,
    theme: str = "",
    note: str = "",
    past: list[Past] | None = None,
    llm: LLM | None = None,
    vocabulary: Vocabulary | None = None,
    calendar: list[Day] | None = None,
    words: LessonWords | None = None,
) -> Lesson:
    """The lesson around one story, its script fitted to the reading time; rephrased in part by the LLM if given."""
    spirit = theme if theme in SPIRITS else next((t for t in story.themes if t in SPIRITS), DEFAULT_SPIRIT)
    low, high = lesson_window(settings)
    headings = list(HEADINGS)
    headings[SPIRIT] += f"：{spirit}"
    # The picks estimate what the reading time keeps; where the day still shares more than a third
    # with a recent one, it is drafted again steering clear of the sentences the two share.
    calendar = load_calendar(settings.corpus_dir) if calendar is None else calendar
    vocabulary = vocabulary or Vocabulary.load(settings.corpus_dir)[0]
    words = words or LessonWords.load(settings.corpus_dir)
    avoid: frozenset[str] = frozenset()
    for attempt in range(6):
        draft, safety_note = draft_lesson(
            story, team=team, day=day, industry=industry, spirit=spirit, store=store, settings=settings,
            past=past or [], calendar=calendar, vocabulary=vocabulary, avoid=avoid, words=words,
            more=max(0, attempt - 2),  # then more deeds never said lately
        )
        texts, citations = render(fit(draft.units, 0, low, high), draft.items, len(HEADINGS))
        sections, cited = assemble(headings, texts, citations)
        said = spoken_around_story({"sections": [asdict(x) for x in sections], "citations": [asdict(c) for c in cited],
                                    "story_id": story.id})
        shared = [said & p.around for p in past or [] if len(said & p.around) > MAX_SHARE * min(len(said), len(p.around))]
        if not shared:
            break
        log.debug("lesson %s %s shares %s with recent days; drafting again", team, day, [sorted(x) for x in shared])
        avoid = avoid.union(*shared)
    sections = spirit_named(sections, cited)
    script = script_of(sections)
    lesson = Lesson(
        title=f"班前充电十分钟｜{story.title}",
        team=team,
        day=day.isoformat(),
        industry=industry,
        theme=theme,
        sections=sections,
        script=script,
        reading_minutes=round(size(script) / settings.lesson_chars_per_minute, 1),
        discussion_minutes=3 if len(story.questions) >= 2 else 2,
        story_id=story.id,
        citations=cited,
        note="".join(n for n in (note, safety_note) if n),
    )
    return polish(lesson, draft.items, llm, store, settings) if llm is not None else lesson


def spirit_named(sections: tuple[Section, ...], cited: tuple[Citation, ...]) -> tuple[Section, ...]:
    """The spirit section headed by the spirit whose course its first course paragraph quotes (the heading
    said 工匠精神 above a 劳模精神 paragraph: trial 13); as it was where it quotes none."""
    course_of = {c.n: c.id for c in cited}
    spirit_of = {course: name for name, course in SPIRITS.items()}
    out = []
    for section in sections:
        if section.heading.startswith(HEADINGS[SPIRIT]):
            quoted = [spirit_of[course_of[int(n)]] for n in MARKER.findall(section.text) if course_of.get(int(n)) in spirit_of]
            if quoted:
                section = replace(section, heading=f"{HEADINGS[SPIRIT]}：{quoted[0]}")
        out.append(section)
    return tuple(out)


def polish(lesson: Lesson, items: dict[str, Item], llm: LLM, store: Store, settings: Settings) -> Lesson:
    """The opening and the link to the job rephrased by the LLM, sentence by sentence checked against
    what they cite; a rewrite is kept only if the script stays within (or comes closer to) the reading time."""
    low, high = lesson_window(settings)
    target = (low + high) / 2
    headings = [s.heading for s in lesson.sections if s.heading != SOURCES]
    texts = [s.text for s in lesson.sections if s.heading != SOURCES]
    citations = list(lesson.citations)
    for k, heading in enumerate(headings):
        if not heading.startswith((HEADINGS[OPENING], HEADINGS[LINK])):
            continue
        new = rewrite(texts[k], heading, lesson.team, citations, items, llm, store)
        if new is None:
            continue
        before = sum(size(t) for t in texts)
        after = before - size(texts[k]) + size(new)
        if low <= after <= high or abs(after - target) <= abs(before - target):
            texts[k] = new
    sections, cited = assemble(headings, texts, citations)
    script = script_of(sections)
    return replace(
        lesson,
        sections=sections,
        script=script,
        reading_minutes=round(size(script) / settings.lesson_chars_per_minute, 1),
        citations=cited,
    )


def build_lesson(
    team: str | None,
    industry: str | None,
    *,
    store: Store,
    settings: Settings,
    state: State,
    theme: str | None = None,
    day: str | date | None = None,
    preview: bool = False,
    instead_of: str = "",
    llm: LLM | None = None,
) -> Lesson:
    """The team's lesson for the day: the recorded one if there is one, else a new one (recorded
    unless previewing). `instead_of` (「换一篇」) draws another story than that one for the day.

    The team's history is read and the new lesson recorded in one transaction, so lessons made at
    the same time for one team rotate as if made one after another. The LLM, if any, rephrases
    after the record is written, so a slow model never holds the lock."""
    team = clean_team(team)
    day = day if isinstance(day, date) else parse_day(day)
    store = store.snapshot()  # one generation for the whole lesson
    if store.is_empty:
        raise LecturerError(EMPTY_STORE, "empty store")
    industry, theme = check_choice(industry, theme, store)
    with state.lessons(team) as book:
        recorded = book.get(day)
        if recorded and not instead_of and recorded.get("industry") == industry and recorded.get("theme") == theme:
            try:
                return Lesson.from_dict(recorded)
            except (KeyError, TypeError) as exc:  # recorded by an older version: compose it afresh
                log.warning("unreadable recorded lesson for %s %s: %r", team, day, exc)
        past = past_of(book.around(day, LOOKBACK_DAYS))
        own, others, note = candidates(store, industry, theme)
        vocabulary = Vocabulary.load(settings.corpus_dir)[0]  # read once for the story and the lesson around it
        words = LessonWords.load(settings.corpus_dir)
        marks = vocabulary.marks(industry, own_jobs(vocabulary, industry, team))
        echoes = echoing(store, [p.story_id for p in past if abs((p.day - day).days) <= CLOSE_DAYS])
        calendar = load_calendar(settings.corpus_dir)
        favour = for_occasion(own, calendar, day, industry)  # 护士节: the nurse's story
        # and the story a trade's own day in the next few days will want is kept for it
        saved = {i for k in range(1, OCCASION_AHEAD + 1) for i in for_occasion(own, calendar, day + timedelta(k), industry)}
        story, borrowed = choose_story(own, others, past, team, day, settings.lesson_story_gap, instead_of, marks,
                                       echoes | (saved - favour), favour, twins_of(own + others, past, day, vocabulary, store))
        if borrowed and own:
            note = NOTE_BORROWED.format(industry=industry, theme=f"「{theme}」主题" if theme else "同主题")
        lesson = compose_lesson(
            story, team=team, day=day, industry=industry, store=store, settings=settings, theme=theme, note=note,
            past=past, vocabulary=vocabulary, calendar=calendar, words=words,  # each read once for the story and the lesson
        )
        if not preview:
            book.save(lesson.to_dict())
    if llm is None:
        return lesson
    polished = polish(lesson, store.items | calendar_items(settings), llm, store, settings)
    if polished != lesson and not preview:
        with state.lessons(team) as book:
            if (book.get(day) or {}).get("story_id") == lesson.story_id:
                book.save(polished.to_dict())
    return polished


def calendar_items(settings: Settings) -> dict[str, Item]:
    """The calendar's entries as citable items, by id."""
    return {item.id: item for item in (d.as_item() for d in load_calendar(settings.corpus_dir))}
