"""What a team hears each day: the story, and the parts around it, rotated against its recent lessons.

A team's history is its recorded lessons of the days around this one (before and after: lessons
are often made ahead, and not in date order). The story is the one heard longest ago, counted in
days either way; a story of the team's own industry comes back only after a gap, and in between a
story on the same themes is borrowed from another industry. Every other part (opening, spirit,
link to the job, safety points, framing) is picked so the day shares as few sentences as possible
with any day near it, then by what was said longest ago.
"""

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.index.corpus import SEASONS, Item


def in_season(text: str, month: int, climate: dict[str, frozenset[int]] | None = None) -> bool:
    """False for advice that belongs to another season (heat advice in November; ice where the
    vocabulary's climate has none). Advice naming the weathers of several seasons (「大风、雷雨、大雾等
    恶劣天气」) is given in any of them, but never heat or ice advice out of its own."""
    climate = climate or {}
    found = [(climate.get(name, months), strict) for name, pattern, months, strict in SEASONS if pattern.search(text)]
    if any(strict and month not in months for months, strict in found):
        return False
    return not found or any(month in months for months, _ in found)


CLAUSE = re.compile(r".+?(?:[。；！？][”’」』）)]*|$)", re.S)


def for_the_season(text: str, month: int, climate: dict[str, frozenset[int]] | None = None) -> str:
    """Advice with what belongs to another season left out, clause by clause: Chongqing's winter
    point keeps 「宿舍和作业场所严禁用炭火、煤炉取暖」 without the ice it has none of (team leaders'
    review: the whole point was dropped, so no December talk warned of charcoal). Empty when nothing
    is left. The clauses are kept as written (a quote is the material's words): one that ended at ；
    ends the point there, and the lesson says it as the end of a sentence."""
    if in_season(text, month, climate):
        return text
    # A point that opens on its season is that season's, judged as a whole: out of all its seasons none of it is
    # said, not even a clause that names no season (「管线和阀门冻堵时用蒸汽或热水解冻」 after 「冬季井场……结冰」,
    # said in June: trial 13). One that only adds weather to a point for any day keeps the rest (分拣垃圾戴手套).
    climate = climate or {}
    first = next((m.group() for m in CLAUSE.finditer(text) if m.group().strip()), "")
    if seasonal(first) and not any(month in climate.get(name, months) for name, pattern, months, _ in SEASONS if pattern.search(text)):
        return ""
    kept = [c for c in (m.group() for m in CLAUSE.finditer(text)) if c.strip() and in_season(c, month, climate)]
    if not kept:
        return ""
    return "".join(kept)


def seasonal(text: str) -> bool:
    return any(pattern.search(text) for _, pattern, _, _ in SEASONS)


SENTENCE = re.compile(r".+?(?:[。！？!?][”’」』）)]*|$)", re.S)


def sentences(text: str) -> tuple[str, ...]:
    """Whole sentences as the rotation compares them: ending at 。！？ (not ；), no [n], no spaces."""
    plain = re.sub(r"\[\d+\]|\s", "", text)
    return tuple(m.group() for m in SENTENCE.finditer(plain) if m.group())


ECHO = 6  # characters in a row two sentences share when one says the other's point again


def phrases(*texts: str) -> set[str]:
    """Every run of ECHO characters in the texts, punctuation left out: what a listener recognises."""
    plain = [re.sub(r"\W", "", t) for t in texts]
    return {p[i : i + ECHO] for p in plain for i in range(len(p) - ECHO + 1)}


def unlike(options: list["Option"], sentences_said, topics: frozenset[str] = frozenset()) -> list["Option"]:
    """The options none of whose sentences shares a phrase with the sentences said, nor one of `topics`
    (what only a few of the trade's paragraphs speak of: 「锐器盒」「公交站」) said in other words."""
    heard = phrases(*sentences_said)
    spoken = topics & runs(*sentences_said)
    return [o for o in options if not heard & phrases(*o.sentences) and not spoken & runs(*o.sentences)]


TOPIC = 3  # characters: 「锐器盒」「安全带」「反光背」 name what a warning is about
TOPICAL = 6  # a run in at most this many of the trade's paragraphs names a topic, not a turn of phrase


def runs(*texts: str) -> set[str]:
    """Every run of TOPIC Chinese characters in the texts."""
    plain = [re.sub(r"[^\u4e00-\u9fff]", "", t) for t in texts]
    return {p[i : i + TOPIC] for p in plain for i in range(len(p) - TOPIC + 1)}


def topics_of(paragraphs: Iterable[str]) -> frozenset[str]:
    """The runs that name a topic among these paragraphs: in more than one of them, at most TOPICAL."""
    counts = Counter(r for p in paragraphs for r in runs(p))
    return frozenset(r for r, n in counts.items() if 1 < n <= TOPICAL)


def pairs(text: str) -> set[str]:
    """Every two Chinese characters in a row: the words a listener hears."""
    plain = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {plain[i : i + 2] for i in range(len(plain) - 1)}


RARE = 3  # paragraphs of all the courses a word is in at most, when it marks one instruction (「路肩」「先保」)
UNCOMMON = 25  # ... and at most, when it joins a rare one to say the same (「报警」 beside 「先保」; not 「安全」, 108)


def pair_counts(paragraphs: Iterable[str]) -> Counter:
    """In how many of the paragraphs each pair of characters is (measured on the courses: 966 paragraphs)."""
    return Counter(p for text in paragraphs for p in pairs(text))


def restates(a: str, b: str, counts: Counter, skip: frozenset[str] = frozenset()) -> bool:
    """Whether two sentences give one instruction in other words: they share a rare word and one more
    uncommon one (or three uncommon ones), not one word of three characters, and not a word of the team's job (`skip`: 「入户」 names
    the job, not the instruction). 「走在路肩上，别往道心里走」 and 「巡道时走路肩、不走道心」; 「报警一响先保人」
    and 「听到报警……先保住人」: each said twice in one talk (team leaders' trial 13)."""
    plain_a, plain_b = (re.sub(r"[^\u4e00-\u9fff]", "", x) for x in (a, b))
    shared = {p: counts[p] for p in pairs(a) & pairs(b) if p not in skip and counts[p] <= UNCOMMON}
    if not shared:
        return False
    at = sorted(plain_a.find(p) for p in shared)
    words = sum(not (k and x == at[k - 1] + 1 and plain_a[x - 1 : x + 2] in plain_b) for k, x in enumerate(at))
    # or three uncommon words at all: 「检修和清理……切断电源并上锁挂牌」 and 「修理和清理一定先断电挂牌」
    return words >= 3 or (words >= 2 and min(shared.values()) <= RARE)


def restating(options: list["Option"], sentences_said: Iterable[str], counts: Counter, skip: frozenset[str] = frozenset()) -> list["Option"]:
    """The options none of whose sentences restates one said (`restates`)."""
    said = list(sentences_said)
    return [o for o in options if not any(restates(x, s, counts, skip) for x in o.sentences for s in said)]


def unheard(options: list["Option"], heard: set[str]) -> list["Option"]:
    """The options none of whose sentences holds one of the phrases heard."""
    return [o for o in options if not heard & phrases(*o.sentences)]


def echoes(a: str, b: str) -> bool:
    """Two sentences sharing a phrase (「手卫生不怕麻烦」「对医务人员来说」): heard twice."""
    return bool(phrases(a) & phrases(b))


@dataclass(frozen=True)
class Past:
    """One recorded lesson of the team: its day, story and the sentences said around the story."""

    day: date
    story_id: str
    sentences: frozenset[str]  # everything said around the story, its lesson included
    around: frozenset[str] = frozenset()  # the same without what came with the story (what variety is measured on)


@dataclass(frozen=True)
class Option:
    """Something a part of the lesson can say: a key and the sentences it would add."""

    key: str
    sentences: tuple[str, ...]
    payload: object = None
    boost: int = 0  # days of recency credit (a seasonal point in its season)


MAX_SHARE = 1 / 3  # of the sentences around the story, the most a day may share with any recent day
SHARED_CAP = 3  # sentences any one day may share before that outweighs the days close by
CLOSE_DAYS = 3  # days either way whose sentences a new day avoids above all
TWIN_DAYS = 1  # days either way on which a story of the same sub-job is heard as the same story again
EXTRA_SHARE = 0.3  # extras stop a little short of it: what the reading time keeps is an estimate


def tiebreak(*parts: str) -> int:
    """A stable pseudo-random number for a team, day and choice."""
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:12], 16)


def distance(day: date, days: list[date]) -> float:
    """Days to the nearest of `days` (either way); infinite when there are none."""
    return min((abs((day - d).days) for d in days), default=math.inf)


# Parts of a team's name that say nothing about its job (「检修一班」「808路车队」「骨科护理组」).
UNIT_WORDS = re.compile(r"[\d一二三四五六七八九十百]+|[班组队股室部站所处]|车间|工区|中心|分公司|公司|路|号")


def job_words(team: str) -> set[str]:
    """Two-character pieces of a team's name that may name its job: 「骨科护理组」 → 骨科, 科护, 护理."""
    pieces = [p for p in UNIT_WORDS.split(re.sub(r"\s", "", team)) if len(p) >= 2]
    return {p[i : i + 2] for p in pieces for i in range(len(p) - 1)}


def job_fit(item: Item, words: set[str]) -> int:
    """How many of the team's job words the story mentions: a nursing team hears the nurse's story first."""
    text = f"{item.title}{item.summary}{item.body}"
    return sum(w in text for w in words)


def choose_story(
    own: list[Item], others: list[Item], past: list[Past], team: str, day: date, gap: int, avoid: str = "",
    marks: set[str] = frozenset(), echoes: frozenset[str] = frozenset(), favour: frozenset[str] = frozenset(),
    twins: frozenset[str] = frozenset(),
) -> tuple[Item, bool]:
    """The story for the day and whether it is borrowed from another industry.

    Own-industry stories not told within `gap` days come first, the one told longest ago (never
    counts as longest), among equals the one nearest the team's job; if none, another industry's
    story on a shared theme, nearest the job first; failing both, whatever was told longest ago.
    `avoid` (the story being replaced by 「换一篇」) is never chosen while another exists; `marks` are
    the words of the team's sub-job (a 精整 team: 矫直, 剪切线), counted as the words of its name are.
    `echoes` are stories much like one told these days (two port crane drivers with little schooling
    who became experts, on consecutive days): among stories told equally long ago, the others first.
    `favour` are the stories the day is about (the nurse's on 护士节): first among those not told lately.
    `twins` are stories like the one told the day before or after (another quay-crane driver the day after 竺士杰,
    or someone that day's talk named in passing): another trade's story not told lately comes before them, and
    before an echo (else 竺士杰, out of the way as a twin, left 孔祥瑞 the day after 许振超).
    """
    themes = {t for item in own for t in item.themes}
    words = job_words(team) | set(marks)

    def score(item: Item) -> tuple:
        shared = len(themes & set(item.themes))
        return (
            item.id in favour,
            distance(day, [p.day for p in past if p.story_id == item.id]),
            item.id not in echoes,
            shared > 0,
            job_fit(item, words),
            shared,
            tiebreak(team, day.isoformat(), item.id),
        )

    def ok(item: Item) -> bool:
        return item.id != avoid

    def apart(item: Item) -> bool:
        return item.id in favour or item.id not in twins | echoes

    fresh = [i for i in own if ok(i) and score(i)[1] >= gap]
    borrowed = [i for i in others if ok(i) and score(i)[1] >= gap]
    for pool, lent in ((list(filter(apart, fresh)), False), (list(filter(apart, borrowed)), True), (fresh, False), (borrowed, True)):
        if pool:
            return max(pool, key=score), lent
    pool = [i for i in own + others if ok(i)] or own + others
    best = max(pool, key=score)
    return best, best not in own


class Picker:
    """Picks the parts of one day's lesson against the team's recent lessons."""

    def __init__(self, past: list[Past], team: str, day: date, avoid: frozenset[str] = frozenset()) -> None:
        self.past = past
        self.team = team
        self.day = day
        self.avoid = avoid  # sentences to keep out of the day where anything else will do
        self.shared = [0] * len(past)
        self.count = 0  # sentences said today around the story
        # what the days close by (either way) said, as phrases: gathered once, asked of every option
        self.close_phrases = phrases(*(s for p in past if abs((p.day - day).days) <= CLOSE_DAYS for s in p.sentences))

    def _overlaps(self, option: Option) -> list[int]:
        said = set(option.sentences)
        return [n + len(said & p.sentences) for n, p in zip(self.shared, self.past, strict=True)]

    def recency(self, option: Option) -> float:
        """Days since (or until) a recent day said any of the option's sentences."""
        said = set(option.sentences)
        return distance(self.day, [p.day for p in self.past if said & p.sentences])

    def _score(self, option: Option) -> tuple:
        overlaps = self._overlaps(option)
        said = set(option.sentences)
        # What the days just before and after said counts first: a team notices 「same as yesterday」.
        close = sum(len(said & p.sentences) for p in self.past if abs((p.day - self.day).days) <= CLOSE_DAYS)
        return (
            max(max(overlaps, default=0) - SHARED_CAP, 0),  # no day far past a few shared sentences
            close,
            max(overlaps, default=0),
            sum(overlaps),
            -(self.recency(option) + option.boost),
            tiebreak(self.team, self.day.isoformat(), option.key),
        )

    def unsaid_close(self, options: list[Option]) -> list[Option]:
        """The options none of whose sentences the days close by (either way) said, even in part
        (「严谨就是仁心」 one day, 「严谨就是最好的仁心」 two days later)."""
        return unheard(options, self.close_phrases)

    def take(self, option: Option) -> Option:
        """Count an option as said today."""
        self.shared = self._overlaps(option)
        self.count += len(option.sentences)
        return option

    def pick(self, options: list[Option], k: int = 1) -> list[Option]:
        """Up to k options, each the one that adds least to the overlap with any recent day."""
        chosen: list[Option] = []
        clear = self.clear(options)
        left = clear if len(clear) >= k else list(options)
        for _ in range(min(k, len(left))):
            best = min(left, key=self._score)
            left.remove(best)
            chosen.append(self.take(best))
        return chosen

    def clear(self, options: list[Option]) -> list[Option]:
        """The options that say none of the sentences to keep out of the day."""
        return [o for o in options if not self.avoid.intersection(o.sentences)]

    def one(self, options: list[Option]) -> Option | None:
        picked = self.pick(options)
        return picked[0] if picked else None

    def extra(self, options: list[Option]) -> Option | None:
        """The best option that leaves no recent day sharing more than a third of the sentences said
        around the story (or, where the day already does, sharing a smaller part than before)."""

        def fits(option: Option) -> bool:
            after = self._overlaps(option)
            for before, now, past in zip(self.shared, after, self.past, strict=True):
                share_now = now / max(1, min(self.count, len(past.sentences)))  # as if it were cut again
                share_before = before / max(1, min(self.count, len(past.sentences)))
                if share_now > EXTRA_SHARE and share_now > share_before:
                    return False
            return True

        return self.one([o for o in options if fits(o)])
