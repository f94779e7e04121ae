"""Choosing what an answer quotes: the units of an item that carry what was asked, whole, once,
in reading order, each cited to the chunk that holds it."""

import math
import re
from dataclasses import dataclass

import numpy as np
from langchain_core.documents import Document

from bot.chat.citations import Citation
from bot.chat.decide import QUOTED, stated_count, stated_size
from bot.chat.understand import YES_OR_NO, Understood
from bot.index.chunking import ORDINAL, chunk_body
from bot.index.corpus import JOB_SPIRIT, LESSON_TALK, SAFETY_THEME, SEASONS, SUB_JOB_POINTS, Item
from bot.index.store import Store, Unit

# What carries each kind of answer (a number for 多少, a year for 哪年, a name for 谁).
CARRIES = {
    "said": QUOTED,
    "number": re.compile(r"\d|[一二三四五六七八九十百千万两]+(个|次|年|天|名|项|位|台|条|岁|倍|米|吨|万|小时|分钟|元|人|家|所|场|期)|百分之"),
    "when": re.compile(r"(\d{4}|[一二〇零三四五六七八九]{4})年|\d+月|[一二三四五六七八九十]+月|年代"),
    "who": re.compile(r"[\u4e00-\u9fff]{2,3}(师傅|同志|书记|主任|校长|代表|院士|技师)|叫|名叫|人称|被称为|是.{2,4}[，。]"),
    # 「李四光是哪里人」: a birthplace or 「是湖北人」, not any place the story names
    "origin": re.compile(r"出生(在|于)|生于|老家|家乡|籍贯|是[\u4e00-\u9fff]{1,6}人[，。]"),
    "where": re.compile(r"[\u4e00-\u9fff]{1,6}(油田|厂|公司|集团|局|队|矿|省|市|县|港|大学|学院|研究院|研究所|中学|小学|学校|医院|车间|码头)"),
    "how": re.compile(r"先|再|然后|必须|要|应当|应该|不准|严禁|立即|马上|及时|步|第一|第二|用|把"),
    "why": re.compile(r"因为|所以|为了|由于|原因|因此|才|是为"),
    "list": re.compile(r"、|；|第一|一是|包括|分别|和"),
}
# 「孟泰后来当了个啥子」「她当过啥子领导没得」: a post asked, stated by the office held or taken up
POST_ASKED = re.compile(r"当(了|上|过|的)?个?(什么|啥)|(什么|啥)(子)?(官|职务|职位|领导|干部)")
POST_STATED = re.compile(
    r"担任|出任|当上|升任|提拔|任命|调任|走上[^。，]{0,8}(岗位|领导)"
    r"|当选|(厂长|主任|书记|经理|队长|班长|校长|院长|局长|所长|部长|组长|总工程师|主席)(?![们])"
)
# 「她最后是咋个牺牲的」: how someone died, told in the story's own words (「献出了年轻的生命」)
DEATH_ASKED = re.compile(
    r"(怎么|咋|因为什么|为什么|什么原因|哪年|什么时候)[^，。？?]{0,3}(牺牲|去世|死|走的|逝世|病逝|遇难|殉职)"
    r"|(救|抢救|活)(回来|过来|下来|活)了?(没|吗|不|么)"  # 「他后来呢 救回来没得」
)
DEATH_STATED = re.compile(r"牺牲|去世|逝世|病逝|离开了?人世|献出了[^。，]{0,6}生命|遇难|殉职|没能回到|没有回来")
# 「他那套操作法是咋个琢磨出来的」「是看到啥子东西想出来的」: how an invention came about, told by the trial or the
# moment of insight (「无意中晃动手机上的挂坠……受到启发，开始琢磨……」), not by what it was named or did later
CAME_ABOUT_ASKED = re.compile(r"(咋|怎么|怎样|如何|啥|什么)[^，。？?]{0,6}(琢磨|想|发明|摸索|悟|研究|试)(出来|到的|出的)")
CAME_ABOUT_STATED = re.compile(r"启发|灵感|琢磨|想到|悟出|摸索")
# 「他攻关那个滚轮到底是拿来做啥的」: what a thing is for, stated as what it is used for (「滚轮是用来修整砂轮的精密工具」)
PURPOSE_ASKED = re.compile(r"(?:拿来|用来)(?:做|干|搞)(?:啥|什么)|(?:做|干|管)(?:啥|什么)(?:子)?用|是(?:干|做)(?:啥|什么)用的")
PURPOSE_STATED = re.compile(r"用来|用于|专门用|起[^。，]{0,6}作用")
ASKED_FACTS = (
    (POST_ASKED, POST_STATED), (DEATH_ASKED, DEATH_STATED), (CAME_ABOUT_ASKED, CAME_ABOUT_STATED), (PURPOSE_ASKED, PURPOSE_STATED)
)
# 「后来」「之后」 tell when, not what: 「他后来当了个啥子」 is not answered by 「后来到鞍山……当了配管学徒工」
WHEN_WORDS = frozenset({"后来", "之后", "以后", "后头", "最后", "后面", "当时", "那时"})
# What a worker can do (「可以先打这个电话」), not a rule about them (「……不受一年时效的限制」)
# Where to turn (not an emergency's 立即, 马上), and what one can do at all
TURN_TO = re.compile(r"可以(先|向|找|拨打|打|申请|到|请)|拨打|打电话")
ACTION = re.compile(rf"{TURN_TO.pattern}|先(向|找|打|报告|停|撤)|立即|马上|及时(报告|就医|撤离|上报)|报警|就医|撤离")
LEXICAL_WEIGHT = 0.12  # measured on the tuning halves of bench/data/answers_*.yaml
CARRIES_WEIGHT = 0.02
COUNT_WEIGHT = 0.08  # a unit that states the count asked for (「好多场」: 1320场)
MARGIN = 0.035  # units within this of the best one are said too
TODO_MARGIN = 0.05  # asked what to do, the best unit that says where to turn comes along within this
# A unit a trainer named as the answer to a 「常见问法」 that asks the same kind of thing (who, why,
# how…) gains this much per unit of cosine above the floor (the worker's question against the
# trainer's, both embedded as questions). Below 0.95 e5-small matches questions by their topic, not
# by what they ask: floors of 0.90 and 0.93 lost 2–5 answers on each tuning half (bench/RESULTS.md).
ASKED_WEIGHT = 1.0
ASKED_FLOOR = 0.95
ORDINAL_MARGIN = 0.08  # the siblings of an enumeration come along within this
# 「风好大哦 桥吊还吊不吊」 is answered by 「天气一变化……该停就停」, not by 「码头上涌现过不少知名的劳模……」.
SPIRIT_PENALTY = 0.03
# A sub-job's safety point (「折返换端时……」, 「手术间用电刀前……」) is said where it stands out: a nurse
# pricked by a needle hears the first aid before the theatre's rule on diathermy. Its own job's question
# finds it 0.05–0.06 ahead of the course's general points (bench/RESULTS.md).
SUB_JOB_PENALTY = 0.02
# 「电客车在区间停了 乘客闹着要开门」 is not answered by 「先靠边安全停车」: a sentence about another of the
# trade's sub-jobs than the one the question names (the vocabulary's jobs, read as the lessons read them)
OTHER_JOB_PENALTY = 0.04
# A trade's talk (「班前说一说」) answers what its rules leave out (「有人硬闯逃票」), not what they say.
TALK_PENALTY = 0.02
# A safety course's advice for a season (「冬季……结冰」, 「高温天气……」) where the question names no
# weather of its season is said where it answers best, never alongside: workers trying the chat heard
# winter and summer points tacked onto a question about a gas smell.
SEASON_ASKED = {
    "炎热": re.compile(r"热|暑|高温|夏|晒|太阳"),
    "冰雪": re.compile(r"冰|雪|冻|霜|滑"),
    "冬季": re.compile(r"冬|冷|寒|冻|取暖|烤火|炉|炭"),
    "汛期": re.compile(r"雨|汛|雷|台风|洪|风"),
    "雾": re.compile(r"雾|看不清|能见度"),
}
# Nor is it said first where another point answers nearly as well: 「出车前要检查些啥子」 in December heard
# 「高温天气出车前要查看发动机水温……」 before the everyday check it asked about. A point with a clause that holds
# all year (「冬季……；巡视中发现导线断线落地……」) is not held back.
ASIDE_PENALTY = 0.03
# What a term means, asked (「那两句咋个理解」「再讲细点」), is said where the material defines it: 「爱岗敬业，就是……」
# 「当环卫工之前都做些啥子」: what someone did before what the question names, told just before it
BEFORE_ASKED = re.compile(r"([^，。？?\s]{2,8})(之前|以前)[^，。？?]{0,4}(做|干|搞|在|是)")
MEANING_ASKED = re.compile(r"什么意思|啥意思|怎么理解|咋个?理解|讲细|说细|具体说说|具体讲讲|是指什么|指的是什么|怎么讲")
DEFINES = re.compile(r"([\u4e00-\u9fff]{2,8})，(?:就|也就)?(?:是|不是)")
DEFINES_WEIGHT = 0.05
CLAUSES = re.compile(r"(?<=[；;])")
MAX_UNITS = 4
MAX_CHARS = 330
STORY_EXTRA = 70  # the passage after the best one in a story may go this far over
# A story sentence that draws a consequence or hands out a name (「因为这手绝活，同事们都叫他……」,
# 「于是……」) says why only together with what comes before it.
CONSEQUENCE = re.compile(
    r"^(因为这|因此|所以|于是|就这样|这样|从此|从那以后|日积月累|久而久之|渐渐|慢慢地|后来)|"
    r"(叫他|叫她|称他|称她|称为|被称作|被誉为|人称|外号|喊他|喊她)"
)
# In a story, 「他是怎么处理的」「做了什么」 is told by what happened after the situation the question names.
TELLS_WHAT_FOLLOWED = ("how", "other")
# How much of what follows the best passage of a story comes along, in characters, whole units: short
# units count for little (「吴登云便决定取自己的皮。」 does not yet say where the skin came from).
# Measured on the tuning halves (bench/RESULTS.md): one unit, or two for how and other, lost 3–6 answers.
FOLLOWING_CHARS = 50
FOLLOWED_CHARS = 60


@dataclass(frozen=True)
class Scored:
    """A unit with how well it answers the question."""

    unit: Unit
    score: float
    cosine: float
    aside: bool = False  # said only where it answers best, never alongside (another season's advice)


def idf_weights(store: Store, tokens: list[str]) -> dict[str, float]:
    """Rarer words weigh more (chunk-level document frequency)."""
    n = max(len(store.docs), 1)
    return {t: math.log(1 + n / (1 + store.document_frequency(t))) for t in set(tokens)}


KNOWN_SHARE = 0.5  # what a word that picks the story out counts for among those that ask the detail


def score_units(
    understood: Understood, item_ids: list[str], store: Store, query: str, talk: bool = False, practical: bool = False
) -> list[Scored]:
    """Every unit of the items (with `talk`, their lesson talk's too), scored against the question:
    cosine, words in common, and whether it carries what was asked. A `practical` question (what to do,
    whether it may be done) is answered by a course's rules before its words on the spirit of the job."""
    units = [u for item_id in item_ids for u in store.units.get(item_id, []) + (store.talk_units.get(item_id, []) if talk else [])]
    if not units:
        return []
    vector = np.asarray(store.embed_query(query), dtype=np.float32)
    cosines = store.unit_vectors[[u.row for u in units]] @ vector
    # Every unit of a story is about its person: words in common count only for what is asked about them.
    names = "".join([*understood.persons, *(store.items[i].person for i in item_ids if i in store.items)])
    # So are the words that pick the story out (its title and summary: 「女地质队长」「寒潮」「牺牲」): the
    # detail asked is in the words left (「怀里」).
    known = "".join(f"{store.items[i].title}{store.items[i].summary}" for i in item_ids if i in store.items and store.items[i].kind == "story")
    tokens = store.tokenizer(query)
    post = POST_ASKED.search(understood.text)
    # nor is 「当了配管学徒工」 by its 当: the post asked is stated in other words (担任、当上……副厂长)
    frame = post.group(0) if post else ""
    tokens = [t for t in tokens if t not in WHEN_WORDS and t not in frame]
    tokens = [t for t in tokens if t not in names] or tokens
    weights = idf_weights(store, tokens)
    if any(t not in known for t in weights):
        weights = {t: w * (KNOWN_SHARE if t in known else 1.0) for t, w in weights.items()}
    total = sum(weights.values()) or 1.0
    carries = CARRIES.get(understood.asks)
    # 「拉几个人去田头 要得不嘛」 asks whether, not how many: no count is wanted
    yes_or_no = understood.asks != "number" and YES_OR_NO.search(understood.text)
    count = None if yes_or_no else stated_count(understood.text, query) or stated_size(understood.text)
    facts = [stated for asked, stated in ASKED_FACTS if asked.search(understood.text)]
    lexicon = store.reader.lexicon
    trades = {store.items[i].industry for i in item_ids if i in store.items}
    asker = {trade: lexicon.jobs_in(trade, f"{understood.text} {query}") for trade in trades}
    # the words that only name the asker's sub-jobs (「电客车」), which say nothing else the question asks
    naming = {trade: [w for t, job, words in lexicon.jobs if t == trade and job in jobs for w in words] for trade, jobs in asker.items()}
    asked: dict[int, float] = {}
    for question, cosine in store.asked_near(query, set(item_ids)):
        if question.unit is not None and question.asks == understood.asks:
            asked.setdefault(question.unit.row, cosine)  # nearest first
    safety = {i for i in item_ids if i in store.items and SAFETY_THEME in store.items[i].themes}
    # a term the question or the point it leans on names (「艰苦奋斗、勇于创新 第二对……」)
    meaning = f"{understood.text} {query}" if MEANING_ASKED.search(understood.text) else ""
    out = []
    for unit, cosine in zip(units, cosines):
        text = f"{unit.heading}{unit.text}".lower()
        lexical = sum(w for t, w in weights.items() if t in text) / total
        bonus = 1.0 if carries is not None and carries.search(unit.text) else 0.0
        # a count is stated in so many words (not by a talk's 「两个人一块儿去」 to a question on manholes)
        counted = count is not None and count.search(unit.text) and unit.heading != LESSON_TALK
        counted = counted or any(stated.search(unit.text) for stated in facts)
        if counted or understood.asks in ("origin", "said") and bonus:
            bonus += COUNT_WEIGHT / CARRIES_WEIGHT  # a count, a birthplace or a quotation is stated in so many words
        score = float(cosine) + LEXICAL_WEIGHT * lexical + CARRIES_WEIGHT * bonus
        score += ASKED_WEIGHT * max(0.0, asked.get(unit.row, 0.0) - ASKED_FLOOR)
        if meaning and (term := DEFINES.match(unit.text)) and term.group(1) in meaning:
            score += DEFINES_WEIGHT  # 「淡泊名利那两句 再讲细点」: 「淡泊名利，是……」, not the list that names it
        if practical and unit.heading == JOB_SPIRIT:
            score -= SPIRIT_PENALTY
        trade = store.items[unit.item_id].industry if unit.item_id in store.items else None
        jobs = asker.get(trade)
        if jobs and lexicon.for_another_job(trade, unit.text, jobs):
            score -= OTHER_JOB_PENALTY
        own_job = unit.heading == SUB_JOB_POINTS and bool(jobs) and own_point(lexicon, trade, unit.text, jobs, naming[trade], weights)
        if unit.heading == SUB_JOB_POINTS and not own_job:
            score -= SUB_JOB_PENALTY  # one job's rule answers a question about that job, not every nearby one
        elif unit.heading == LESSON_TALK and not talk:
            score -= TALK_PENALTY
        seasons = seasons_of(unit.text) if unit.item_id in safety else []
        # the season may have been named by the question a correction asks again (「冬天洗澡门关得死死的」)
        aside = bool(seasons) and not any(SEASON_ASKED[n].search(f"{understood.text} {query}") for n in seasons)
        if aside and all(seasons_of(clause) for clause in CLAUSES.split(unit.text) if clause.strip()):
            score -= ASIDE_PENALTY
        out.append(Scored(unit, score, float(cosine), aside))
    return out


def own_point(lexicon, industry: str, text: str, jobs: frozenset[str], naming: list[str], weights: dict[str, float]) -> bool:
    """Whether a sub-job's point is for the asker's own sub-job and says something else the question
    asks about (「检车员进入车底……」 to a wagon inspector going under a wagon), not only the job's name
    (「电客车运行中不离开操纵台」 to a train driver stopped in a tunnel whose passengers want the doors open).
    `naming`: the words of the asker's sub-jobs."""
    if not lexicon.jobs_in(industry, text) & jobs:
        return False
    return any(t in text and not any(t in w or w in t for w in naming) for t in weights)


def seasons_of(text: str) -> list[str]:
    """The seasons whose advice a text gives."""
    return [name for name, pattern, _, _ in SEASONS if pattern.search(text)]


def choose(
    scored: list[Scored],
    *,
    shown: tuple[str, ...] = (),
    heard: tuple[str, ...] = (),
    limit: int = MAX_UNITS,
    summary: int | None = None,
    asks: str = "other",
    story: bool = False,
    todo: bool = False,
    before: tuple[str, ...] = (),
) -> list[Unit]:
    """The best units, their near-equals, and the rest of an enumeration the best one starts; never
    one already said, never two saying the same; in reading order. `scored` is in reading order.

    A story's units (`story`, or `summary` given) are said in its order; a course's best unit first.
    In a story (`summary` is its first unit) the passage after the best one comes along: a story
    tells what happened next, and why or how is often said just after the sentence that matches;
    a why is said before a sentence that draws the consequence (`asks` is what the question asks), and
    what someone did before what the question names (`before`, its words: 「当环卫工之前做些啥」) is the
    sentence before the one that tells it.
    A question on what to do (`todo`) hears first the best unit that says what one can do. What an
    earlier answer said (`heard`) is said again only where it answers (nearly) best: asked again, not as padding."""
    # sentences as an answer split them (at 「；」 too): a unit may span two said one after the other
    said, heard_text = "".join(shown), "".join(heard)
    # where to turn is said again to 「那我该咋办」 (asked what to do, it is the answer, not padding)
    fresh = [
        s for s in scored
        if todo and TURN_TO.search(s.unit.text) or s.unit.text not in said and not any(similar(s.unit.text, old) for old in shown)
    ]
    if not fresh:
        return []
    ranked = sorted(fresh, key=lambda s: -s.score)
    best = ranked[0]
    if heard:
        # a story's summary heard already tells nothing new, and told again it would open the story from its
        # start (「她那次遭寒潮是咋回事」 after 杨拯陆's summary got her childhood: workers' trial 11)
        fresh = [
            s for s in fresh
            if (s.score >= best.score - MARGIN and s.unit.row != summary)
            or s.unit.text not in heard_text
            or todo and TURN_TO.search(s.unit.text)
        ] or fresh
        best = max(fresh, key=lambda s: s.score)
        kept = {id(s) for s in fresh}
        ranked = [s for s in ranked if id(s) in kept]
    # 「遭针头扎了一下 现在咋个弄」 answered by the point that says what to do at once (「第三，一旦……立即……」):
    # the rest of the list (hand washing, the lead apron) is not what to do now (workers' trial 10)
    enumerating = bool(ORDINAL.match(best.unit.text)) and not (todo and ACTION.search(best.unit.text))
    picked: list[Scored] = []
    chars = 0
    for s in ranked:
        near = s.score >= best.score - MARGIN
        sibling = (
            enumerating
            and ORDINAL.match(s.unit.text)
            and s.unit.heading == best.unit.heading
            and s.score >= best.score - ORDINAL_MARGIN
        )
        if not (s is best or near or sibling) or s.aside and s is not best:
            continue
        if len(picked) >= limit or (picked and chars + len(s.unit.text) > MAX_CHARS):
            continue
        twin = next((p for p in picked if similar(s.unit.text, p.unit.text)), None)
        if twin is not None:
            if near and len(s.unit.text) > 2 * len(twin.unit.text):
                picked[picked.index(twin)] = s  # the fuller telling of the same thing
                chars += len(s.unit.text) - len(twin.unit.text)
            continue
        picked.append(s)
        chars += len(s.unit.text)
    if todo and not any(ACTION.search(p.unit.text) for p in picked):
        # 「工钱拖了三个月了 我们咋办嘛 找哪个」: the time limit answered best, the number to call a little less
        doing = next((s for s in ranked if TURN_TO.search(s.unit.text) and not s.aside and s.score >= best.score - TODO_MARGIN), None)
        if doing is not None:
            picked = [*picked[: limit - 1], doing]
    if summary is not None:
        told = [s for s in ranked if s.unit.row != summary]
        if len(picked) == 1 and picked[0].unit.row == summary and told:
            picked.append(told[0])  # a story's summary never answers alone
        if told:
            picked = _story_context(scored, fresh, picked, told[0], asks, before)
    ordered = sorted((s.unit for s in picked), key=lambda u: u.row)
    if summary is not None or story:
        return ordered  # a story is told in its order
    # A course's best unit first (with the rest of its enumeration in their order, when the question
    # asks what they are), then what else is near it: 「热天扫地 头昏 想吐」 heard 「清扫时不只扫中间……」
    # before the heat point it asked about, 「安全帽不戴要得不」 the third of ten rules before the fifth.
    listed = enumerating and asks == "list"
    lead = best.unit
    if todo and not ACTION.search(lead.text) and lead.heading != LESSON_TALK:  # a talk tells what to do its own way
        # 「老板三个月没发工资了……咋办嘛」 heard the arbitration time limit before the number to call
        lead = next((s.unit for s in sorted(picked, key=lambda s: -s.score) if ACTION.search(s.unit.text)), lead)
    first = [u for u in ordered if u is lead or listed and ORDINAL.match(u.text) and u.heading == best.unit.heading]
    return [*first, *(u for u in ordered if u not in first)]


def _story_context(
    scored: list[Scored], fresh: list[Scored], picked: list[Scored], anchor: Scored, asks: str, before: tuple[str, ...] = ()
) -> list[Scored]:
    """The story around the passage that matches best: what leads up to a consequence or a
    nickname (a why is said before it), and what happened next (how it was handled is told after)."""
    picked = list(picked)
    budget = MAX_CHARS + STORY_EXTRA
    at = next(i for i, s in enumerate(scored) if s is anchor)

    def take(s: Scored) -> bool:
        chars = sum(len(p.unit.text) for p in picked)
        if (
            s not in fresh
            or s in picked
            or s.unit.heading != anchor.unit.heading and asks != "why"
            or chars + len(s.unit.text) > budget
            or any(similar(s.unit.text, p.unit.text) for p in picked)
        ):
            return False
        picked.append(s)
        return True

    # 「刚到杭州……当环卫工之前都做些啥」: the sentence before 「2005年……成了环卫工人」
    # where it is first told after the summary (scored[0]); its sentence before says what came before it
    named = next((s for s in scored[1:] if any(w in s.unit.text for w in before)), None) if before else None
    if named is not None and (n := scored.index(named)) > 1 and scored[n - 1] in fresh and scored[n - 1] not in picked:
        picked.append(scored[n - 1])  # what was asked, over the budget the rest keeps to
    if asks == "why" and CONSEQUENCE.search(anchor.unit.text):
        back = at
        while back > 1 and CONSEQUENCE.search(scored[back].unit.text) and take(scored[back - 1]):
            back -= 1  # 「于是他……」 leans on the sentence before it too
        return picked
    want = FOLLOWED_CHARS if asks in TELLS_WHAT_FOLLOWED else FOLLOWING_CHARS
    told = 0  # characters of what follows, counting units already picked for themselves
    for s in scored[at + 1 :]:
        if told >= want or (s not in picked and not take(s)):
            break
        told += len(s.unit.text)
    return picked


def similar(a: str, b: str) -> bool:
    """Two sentences that say nearly the same thing (character bigram overlap)."""
    x, y = ({s[i : i + 2] for i in range(len(s) - 1)} for s in (a, b))
    return bool(x and y) and len(x & y) / min(len(x), len(y)) > 0.6


def cite_units(units: list[Unit], item: Item, docs: list[Document], start: int) -> tuple[list[str], list[Citation]]:
    """Each unit with its [n]; consecutive units found in one chunk share a citation whose quote
    spans them. A unit no single chunk holds is cited sentence by sentence."""
    from bot.index.chunking import split_sentences

    pieces: list[tuple[str, Document, int]] = []
    for unit in units:
        found = _find(unit.text, docs)
        if found:
            pieces.append((unit.text, *found))
            continue
        for sentence in split_sentences(unit.text):
            found = _find(sentence, docs)
            if found:
                pieces.append((sentence, *found))
    texts: list[str] = []
    spans: list[list] = []  # [doc, begin, end]
    for text, doc, at in pieces:
        last = spans[-1] if spans else None
        if last and last[0] is doc and at >= last[2] and not chunk_body(doc)[last[2] : at].strip(" \n"):
            last[2] = at + len(text)
        elif last and last[0] is doc and last[1] <= at and at + len(text) <= last[2]:
            pass
        else:
            spans.append([doc, at, at + len(text)])
        texts.append(f"{text}[{start + len(spans)}]")
    citations = [
        Citation(start + i + 1, item.id, item.title, item.person, item.source, chunk_body(doc)[b:e], doc.id)
        for i, (doc, b, e) in enumerate(spans)
    ]
    return texts, citations


def _find(text: str, docs: list[Document]) -> tuple[Document, int] | None:
    for doc in docs:
        at = chunk_body(doc).find(text)
        if at >= 0:
            return doc, at
    return None


def opener(item: Item) -> str:
    """One plain line that says what the answer is about, naming the item: a connective, not a fact."""
    if item.kind == "story" and item.person:
        return f"说到{item.person}，《{item.title}》里是这样讲的："
    return f"《{item.title}》里是这样讲的："
