"""The support check: whether the passage a generated sentence cites backs it. Every name, number,
date, honour and quotation must be the passage's, its content words covered by it, and what it says
not turned round (a negation, an opposite, another doer, steps in another order), nor a result, reason,
aim, date or count tied to another deed, nor some or about told as all or exact. Used by the
generated lecturer and the lessons through `Checker` (built once per index generation)."""

import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from statistics import median
from typing import NamedTuple

import jieba
import jieba.posseg

from bot.chat.citations import strip_markers
from bot.index.corpus import region_places
from bot.index.lexical import STOPWORDS

log = logging.getLogger(__name__)


# Numbers as values ----------------------------------------------------------------------

DIGIT = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
POWER = {"十": 10, "百": 100, "千": 1000}
BIG = {"万": 10_000, "亿": 100_000_000}
NUMERAL = "零〇○一二两三四五六七八九十百千万亿"
# What follows a Chinese numeral that counts something (not 一起, 一直, 十分, 万一).
MEASURE = "年月日号岁名个次位项人倍吨米里时点天周届批件种代条台座家所辆元块秒斤亩户期轮场道门线层篇本张首级等节课套份把根支艘架颗棵箱包对双只头部间栋片处段句遍趟圈步度伏瓦克升毫厘公局声"
CN_NUMBER = re.compile(
    rf"(第)([{NUMERAL}]+(?:点[{NUMERAL}]+)?)|(?<![\d.多余几])()([{NUMERAL}]+(?:点[{NUMERAL}]+)?)(?=[多余几][万亿]|[多余几]?(?:[{MEASURE}]|分钟|小时|摄氏度))"
)
# Digits counted in ten thousands: 5万多名 is 50000多名, as 五万多名 reads; 200多万字 is 2000000多字.
MAGNITUDE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)([多余几]?)([万亿])")
CN_FRACTION = re.compile(rf"([{NUMERAL}]+)分之([{NUMERAL}]+(?:点[{NUMERAL}]+)?)")  # 二十五分之一 is 1/25
# Numerals read digit by digit: years (一九八四年) and runs with a zero (七〇二所, 二〇二一).
CN_DIGITS = re.compile(r"[零〇○一二三四五六七八九]{4}(?=年)|[一二三四五六七八九]?[零〇○一二三四五六七八九]*[〇○][零〇○一二三四五六七八九]*")
CN_PERCENT = re.compile(rf"百分之([{NUMERAL}点]+)(?=([毫厘公]?[米克升秒]|毫|厘)?)")  # 百分之一毫米 is 0.01毫米


def cn_value(text: str) -> float | int | None:
    """二十三 → 23, 一百零五 → 105, 三万五千 → 35000, 十 → 10, 零点七 → 0.7; None if not a numeral."""
    whole, _, fraction = text.partition("点")
    total, section, digit = 0, 0, None
    for ch in whole:
        if ch in DIGIT:
            digit = DIGIT[ch]
        elif ch in POWER:
            section += (1 if digit is None else digit) * POWER[ch]
            digit = None
        elif ch in BIG:
            total += (section + (digit or 0) or 1) * BIG[ch]
            section, digit = 0, None
        else:
            return None
    value = total + section + (digit or 0)
    if fraction:
        if not all(ch in DIGIT for ch in fraction):
            return None
        return float(f"{value}.{''.join(str(DIGIT[ch]) for ch in fraction)}")
    return value


def arabic(text: str) -> str:
    """Chinese numerals that count or date something written as digits: 五十多年 → 50多年,
    一九五〇年 → 1950年, 百分之三十 → 30%, 第三 → 第3; other words (一起, 十分) untouched."""
    text = CN_DIGITS.sub(lambda m: "".join(str(DIGIT[c]) for c in m.group()), text)

    def percent(m: re.Match) -> str:
        value = cn_value(m.group(1))
        if value is None:
            return m.group()
        return f"{value / 100:g}" if m.group(2) else f"{value}%"

    text = CN_PERCENT.sub(percent, text)

    def fraction(m: re.Match) -> str:
        whole, part = cn_value(m.group(1)), cn_value(m.group(2))
        if not whole or part is None:
            return m.group()
        if re.fullmatch(r"10+", str(whole)):  # 千分之三 is 0.003
            return f"{part / whole:g}"
        return f"{part}/{whole}"

    text = CN_FRACTION.sub(fraction, text)

    def number(m: re.Match) -> str:
        ordinal, digits = (m.group(1), m.group(2)) if m.group(1) else ("", m.group(4))
        value = cn_value(digits)
        return m.group() if value is None else f"{ordinal}{value}"

    text = CN_NUMBER.sub(number, text)

    def magnitude(m: re.Match) -> str:
        value = float(m.group(1)) * BIG[m.group(3)]
        return f"{int(value) if value.is_integer() else value}{m.group(2)}"

    return MAGNITUDE.sub(magnitude, text)


# The support check -------------------------------------------------------------------------

NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")
# A number with what it counts: (40, 年) in 40多年; a claim's count must match the passage's.
# An ordinal (第3) is its own kind of number: 「第二，」 never stands in for 「两人」.
COUNT = re.compile(rf"(?<![\d.])(第?\d+(?:\.\d+)?)(?![\d.])[多余几]?([{MEASURE}%]?)")
# A count with 个 before its unit (两个人, 三个月) counts that unit too.
COUNTED = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.])[多余几]?个([{MEASURE}])")
# The first of something (第一个, 第一次, 第一位) is the passage's first in whichever of these words.
FIRST_UNITS = "个次位"
# 「一」 is mostly an article (一台、一种) and is not checked, except where it measures time or a multiple.
MEASURED_ONE = frozenset("年月天日周时岁倍")
QUOTED = re.compile(r"[「“\"『‘《]([^」”\"』’》]{2,})[」”\"』’》]")
PUNCT = re.compile(r"[\s\W_]+", re.U)
# Proper nouns by jieba's tags: people, places, organisations, other names.
PROPER = {"nr", "nrfg", "nrt", "ns", "nt", "nz"}
HONOUR = re.compile(
    r"奖|金牌|银牌|铜牌|勋章|称号|模范|劳模|标兵|先进|英雄|冠军|院士|能手|状元|人大代表|党代表|红旗手|楷模|奋斗者|感动中国|首席|技师|大师|巾帼|十佳|年度人物|荣誉"
)
# jieba tags many everyday words as names or places (那阵子, 师傅 as people; 上岗, 台子上, 井口 as places): a
# person's name begins with a surname, and a place is no verb (上门) or spot (台子上, 井口).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"
    "崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊"
    "葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆"
    "蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿"
    "桂全佟应臧闵苟邬边卞姬富裘"
)
# A post someone holds (「当上了总工程师」 where the passage has 骨干): a hard fact, as an honour is.
POST = re.compile(r"(工程师|总工|厂长|车间主任|经理|书记|主席|院长|校长|局长|处长|科长|队长|班长|组长|董事长|总监)$")
NOT_A_PLACE = re.compile(r"^[上下]|[上下里口]$")
# Everyday words jieba tags as places (深山里, 回国后, 山区长大): no place a claim must share with the passage.
EVERYDAY_PLACES = frozenset("深山 山区 长大 回国".split())
# A word right after 那/这 is no name (那段时间: jieba tags 段时间 a person, 段 being a surname).
DEMONSTRATIVE = frozenset("那这哪每")
# Two characters named with the unit of a place (镇平县, 高丘镇): the same name with another unit is another place.
ADMIN = re.compile(r"(?=([\u4e00-\u9fff]{2})([省市县区镇乡村]))")
NAME_REACH = 4  # words between a description or a verb and the name it goes with (师从/著名/外科/专家/裘法祖)
JOINED = frozenset("和与及同跟、")  # 「上海、北京」 told as 「北京、上海」 keeps each place
PLACE_MATCH = 0.6  # how much of a claim's part, its places left out, a passage part must hold to be the one it retells
# Words a lecturer adds around a fact without adding a fact.
FRAMING = frozenset(
    "可以说 值得一提的是 值得 一提 特别 非常 十分 真正 真是 确实 其实 就是 正是 同时 而且 并且 还有 后来 当时 那时 "
    "这样 那样 这种 那种 这些 那些 他的 她的 自己 大家 咱们 我们 你们 工友 工友们 师傅 师傅们 同事 学习 榜样 "
    "精神 体现 展现 说明 告诉 看到 记住 一定 始终 一直 不断 终于 最终 已经 曾经 通过 作为 成为 不仅 不但 只有".split()
)


# Words that place a deed in time or direction, or join clauses, and state no fact of their own: a retelling
# adds them freely (「……的时候」「拿……去……」), and the checks of order, reason and time read them.
GRAMMAR = frozenset("时候 以后 之后 后 去 个 拿 让 把 过来 起来 下来 进去 要是 遇到 碰上 碰到".split())


@dataclass(frozen=True)
class Support:
    """Whether a passage backs a claim: what of the claim's hard facts it lacks, how much of the
    claim's wording it covers, and how much of its least covered clause (an invented clause
    hides inside a well covered sentence)."""

    missing: tuple[str, ...]
    coverage: float
    weakest: float = 1.0

    def ok(self, threshold: float, clause: float = 0.0) -> bool:
        return not self.missing and self.coverage >= threshold and self.weakest >= (clause or threshold - CLAUSE_SLACK)


# A clause may be covered this much less than the whole sentence (measured with bench.support).
CLAUSE_SLACK = 0.1
# A word the passage lacks still earns this much for each of its characters the passage has (a
# synonym often shares one: 练习 for 练).
PARTIAL = 0.3
# An added fact often hangs on a connective inside one clause (「……，还申请了国家专利」「提前减速并鸣笛示意」):
# it is judged alone.
CLAUSE = re.compile(r"[，,、；;：:。！？!?]|(?<=[^，,、；;：:。！？!?]{4})(?:还|此外|另外|甚至|而且|并且|并(?![不非没未且列肩存购入排]))")


def flat(text: str) -> str:
    """For comparing wording: NFKC, numerals as digits, no punctuation or spaces, lower case."""
    return PUNCT.sub("", arabic(unicodedata.normalize("NFKC", strip_markers(text)))).lower()


def counts_of(text: str) -> set[tuple[str, str]]:
    """Each number with what it counts, punctuation kept so that 3、4 stay two numbers; an ordinal
    of three digits or more is a name too (第七〇二研究所 is 702所)."""
    text = IDIOM.sub("", unicodedata.normalize("NFKC", strip_markers(text)))
    text = re.sub(r"\s+", "", arabic(text))
    found = {(n, "天" if u == "日" else u) for n, u in COUNT.findall(text)}  # 一日 is 一天
    found |= set(COUNTED.findall(text))  # 两个人 is 两人
    return found | {(n[1:], "") for n, _ in found if n.startswith("第") and len(n) > 3}


YEAR = re.compile(r"\d{4}年")
# 一个月, 一小时 are lengths of time, not 一 as an article: the passage must give the same length.
SPAN = re.compile(r"(?<![\d.])(1|半)(个)?(多)?(年|月|天|小时|钟头|星期|礼拜|周)")
SPAN_UNIT = {"年": "年", "月": "月", "天": "天", "小时": "时", "钟头": "时", "星期": "周", "礼拜": "周", "周": "周"}
CLOCK = re.compile(r"(凌晨|早上|早晨|清早|上午|中午|下午|傍晚|晚上|夜里|半夜|夜间)1点")
# A day of the year by its name: the passage must name the same day (「每到国庆假期」 for 「每到“五一”假期」).
HOLIDAYS = tuple(re.compile(p) for p in (
    r"五一|劳动节", r"国庆|十一假期|十一长假", r"春节|过年", r"元旦", r"中秋", r"端午", r"清明", r"元宵", r"除夕|大年三十",
    r"七一|建党", r"八一|建军", r"三八|妇女节", r"五四|青年节", r"六一|儿童节", r"重阳",
))
# A time of day by its name: the passage must name the same time (「趁早上和傍晚」 for 「趁中午和半夜」).
DAYTIMES = tuple(re.compile(p) for p in (
    r"凌晨", r"早上|早晨|清早|清晨|一早|大早", r"上午", r"中午|晌午|正午", r"下午|午后", r"傍晚|黄昏",
    r"晚上|夜里|夜间|晚间|夜晚", r"半夜|深夜|午夜",
))
# The grade of an award (二等奖 told as 一等奖), and an award only put forward (提名奖) told as given.
GRADE = re.compile(r"(?:\d|特)等(?:奖|功)")
NOMINATED = re.compile(r"提名|候选|入围")
IDIOM = re.compile(r"一年到头|一年四季|一天到晚|一年年|一天天|同一年|同一天")  # 「一年到头在外面跑」 counts no year
DAY = re.compile(r"\d{1,2}月\d{1,2}[日号]")
AGE = re.compile(r"\d+岁")  # 「快六十岁时」 dates what it tells as a year does
AGE_ONLY = re.compile(r"(?:快|近|将近)?\d+岁(?:时|那年|的时候)?")
# A part that is only a date (「2006年，」「1953年底，」): it dates the part after it.
DATE_ONLY = re.compile(r"\d{4}年(?:\d{1,2}月)?(?:\d{1,2}[日号])?(?:底|初|春|夏|秋|冬|[春夏秋冬]天)?")
SEGMENT = re.compile(r"[。；！？!?;]")
# A claim's part with a date, worded this well by the passage, must be worded as well by a sentence with that date.
DATED_MATCH = 0.75
# What is given in a year: an award or a title (not 先进 in 最先进, nor 首席 in a job name).
AWARD = re.compile(r"奖|勋章|称号|模范|劳模|标兵|楷模|奋斗者|年度人物|人大代表|红旗手|能手")
# What else a year is given to, where the claim says it was given: a post (「1956年当选全总副主席」, not
# 「1959年……刘少奇主席握着……」) or a title (「被评为全国优秀共产党员」).
TITLE = re.compile(rf"党员|{POST.pattern}")
CONFER = re.compile(r"当选|担任|当上|升任|出任|任命|评为|成为")
# Words that move what follows past the years given before it (「1956年和1959年……，后来还担任了……副主席」).
LATER = re.compile(r"后来|此后|之后|以后|日后|多年后")


def spans(claim: str, plain: str) -> list[str]:
    """Lengths of one or half a unit of time the claim gives that the (flattened) passage does not (「试用期最长
    一个月」, 「学习了半年」), a 钟头 being an hour; 「1月」 alone is January, 「半天」 mostly a while (一年,
    一天 are counted already)."""
    def lengths(text: str, months: bool) -> set[str]:
        return {
            f"{n}{SPAN_UNIT[unit]}" for n, one, _, unit in SPAN.findall(text)
            if (n == "半" and unit != "天") or (unit not in "年天" and (months or one or unit != "月"))
        }

    return [f"时长：{span}" for span in sorted(lengths(flat(claim), False) - lengths(plain, True))]


def nominated(claim: str, passage: str) -> list[str]:
    """An award the passage says someone was nominated for, told as won (「获得第二届中国质量奖」 where the
    passage has 中国质量奖提名奖): the award's last words before 提名 in the claim, without 提名."""
    plain, said = flat(passage), flat(claim)
    if NOMINATED.search(said):
        return []
    tails = {plain[m.start() - 4 : m.start()] for m in NOMINATED.finditer(plain) if m.start() >= 4}
    # where the passage also names the award alone, it may have been won too
    return [
        f"提名：{t}" for t in sorted(tails)
        if t in said and plain.count(t) == len(re.findall(re.escape(t) + f"(?:{NOMINATED.pattern})", plain))
    ][:1]


def marked_parts(claim: str, marker: re.Pattern):
    """Each clause of a claim's sentences that a marker (a reason's or a purpose's word) opens: its
    index, the clause, the match and all the sentence's clauses."""
    for whole in (t for t in SEGMENT.split(strip_markers(claim)) if t.strip()):
        parts = [t for t in PART.split(whole) if t.strip()]
        for i, part in enumerate(parts):
            if m := marker.search(part):
                yield i, part, m, parts


def held(keys: list[str], text: str) -> float:
    """The share of the keys' characters that the (flattened) text holds."""
    size = sum(len(k) for k in keys)
    return sum(len(k) for k in keys if k in text) / size if size else 0.0


def dated(year: str, award: str, segment: str) -> bool:
    """Whether a (flattened) passage sentence gives the award in that year: at one place it names the
    award, the year is the last one given before it, or one of the last run of them (2015年2016年两次获得),
    or, none given before, anywhere in the sentence."""
    if year not in segment:
        return False
    for at in (m.start() for m in re.finditer(re.escape(award), segment)):
        before = list(YEAR.finditer(segment[:at]))
        if before and LATER.search(segment[before[-1].end() + 1 : at]):  # 「2015年以后」 is still 2015
            continue
        run = before[-1:]
        for m in reversed(before[:-1]):
            if run[-1].start() - m.end() > 1:
                break
            run.append(m)
        if any(m.group() == year for m in run) or (not run and not given_else(year, award, segment)):
            return True
    return False


def given_else(year: str, award: str, segment: str) -> bool:
    """Whether a (flattened) passage sentence gives another award right after the year (「……、全国技术能手等荣誉，
    2021年被评为全国道德模范」: 2021 is the year of 道德模范, not of 技术能手)."""
    for m in re.finditer(re.escape(year), segment):
        after = YEAR.split(segment[m.end() :])[0]
        own = [range(a.start(), a.end()) for a in re.finditer(re.escape(award), after)]
        if any(not any(a.start() in r for r in own) for a in AWARD.finditer(after)):
            return True
    return False


def dated_segments(passage: str) -> list[str]:
    """The passage's sentences, flattened, with 「同年」 read as the year given last before it, in its
    sentence or the one before."""
    out, year = [], ""
    for segment in SEGMENT.split(arabic(unicodedata.normalize("NFKC", strip_markers(passage)))):
        text = ""
        for k, piece in enumerate(segment.split("同年")):
            text += (year or "同年") + piece if k else piece
            found = YEAR.findall(piece)
            year = found[-1] if found else year
        out.append(flat(text))
    return out


# Negation and prohibition (not 不断, 不少, 不仅, 不再只是, 未来, 无论, 别人, 非常…; 绕不过去 is one, 不过 alone not).
NEGATION = re.compile(r"不(?!过(?![去来])|再只|[断少仅同但论管久错免已光只如幸禁足然料等及])|没|未(?!来)|无(?!论)|别(?![人的处])|勿|禁止|严禁|非(?!常)")
# A word that only negates (并非, 未能, 不曾, 并没有): what the part negates is found by its other words.
NEGATOR = re.compile(r"(?:并|从|也|都|还|却|绝|决)?(?:不|没|未|非|无)(?:曾|能|有|是|再)?")
ASKED = re.compile(r"(\w)不\1")  # 「漏不漏」 is a question
# What the passage says someone could have done and did not (「本可以留在大城市」): a claim may deny it.
COUNTERFACTUAL = re.compile(r"本可以|本来可以|原本可以|本可|本想|原想|本打算|原打算|本该|本应")
PROHIBIT = re.compile(r"严禁|禁止|不得|不准|不要|不能|不许|切勿|勿")
BARE_NEGATION = re.compile(rf"(?:千万|绝对|绝|一定|就|可|也)?(?:{PROHIBIT.pattern}|不|别|没|没有|无)")
# What a passage denies (「不转户口、不领工资」), and words a claim denies it with other than a negation.
DENIED_WORDS = 8  # characters after a negation taken as what it denies
DENIED_SPAN = 4  # characters a claim may put inside what the passage denies (转了户口, 受一年仲裁时效的限制)
DEGREE = re.compile(r"^(?:算|太|够|很|怎么)")  # between a negation and what it denies (不算拔尖, 不太好)
LACKING = re.compile(r"缺|欠|拒|免|失去|丢|停|禁|难以|无法|否|莫|甭|空|一无|不再|推掉|推辞|谢绝|婉拒")
PERMIT = re.compile(r"可以|允许|准许|不妨")  # 「可以用氧气通风」 where the passage forbids it
PERMIT_MATCH = 0.6
PART = re.compile(r"[，,；;。！？!?：:]")  # the parts compared for negation (a list with 、 stays whole)
FLIP_MATCH = 0.75  # how much of a claim's part a passage part must hold to be the one it retells
# Words that address the listeners: a clause with them and no hard fact draws a lesson.
MORAL = re.compile(r"咱们|我们|大家|值得|让人|令人|学习")
LISTENERS = re.compile(r"咱们|我们|大家|可见")
# Many, some or people at large, which hold a view alike (「很多人觉得」 for 「在不少人眼里」).
CROWD = re.compile(r"很多人|不少人|许多人|好多人|有人|有的人|有些人|人们|大家|别人|人家")
# Who holds a view or says a thing comes before these (「学术界不少人认为」「在很多人眼里」「他常说」).
HOLDS = re.compile(r"认为|觉得|以为|断言|相信|眼里|看来|(?<![可以就是再么来])说(?![明白服过话法起到])")
STORY = re.compile(r"[他她它其]")
# Who did what (「教育部追授他“时代楷模”」 where the passage has 中央宣传部 do it): a doer is a noun or a
# known name; between it and its verb only adverbs, particles and prepositions (「也」「经」「由」).
DOER = frozenset({"n", "nr", "nrfg", "nrt", "ns", "nt", "nz", "b"})
PERSON = frozenset({"nr", "nrfg", "nrt"})
BETWEEN = frozenset({"d", "p", "ud", "ug", "ul", "uv", "uz"})
SELF = frozenset({"本人", "自己", "本身", "亲自"})
# Whom a deed is toward (「李四光向毛泽东询问」), and what may stand between a verb and its doer or object.
TOWARD = frozenset("向对给替帮为")
MANNER = frozenset({"d", "ad", "a"})  # how it was done (主动, 广泛), between a doer and its verb
ASPECT = frozenset("了过着")
HANDLED = frozenset("把将")  # 「把X吃透」: X is what is done to
# Deeds two do together, whichever is named first (「和老校长商量」 is 「老校长和他商量」).
MUTUAL = re.compile(r"合作|交流|商量|商议|讨论|聊|谈|见面|握手|结婚|认识|相识|配合|一起|共同")
WHERE = frozenset("在到从于被")  # 「在海南三亚」「被……」 between a doer and its verb
OBJECT_WORDS = 4  # words from a verb through what it is done to, the run a passage may have as well
AT = frozenset("在到从于")  # 「外国学者在中国考察」: before where a deed is done, the doer before that
PLACE_TAGS = frozenset("nsftm")  # the words of where: places, spots, localisers, times, numbers
PLACE_WORDS = 4
LISTED = 2  # a claim's list items in the passage, for one it lacks to be an added item
EXCHANGE_BETWEEN = 2  # characters between two things that trade places, which stay in place
# What two things may trade (「燃料操作“零缺陷”」, 「家庭晚上上班」, 「几米长」): names of things, times, places, amounts.
TRADED_TAGS = frozenset("ntsm")
TRADE_CONTEXT = 2  # characters beside each of two traded things that are the passage's beside the other
# 他 or 她 alone (not 他们, 其他): who the claim names in its place must be who it stands for.
PRONOUN = re.compile(r"(?<![其吉])[他她](?!们)")
PRONOUN_REST = 4  # characters of what the claim says after a name, found after the pronoun
PRONOUN_GAP = 4  # characters the passage may put between the pronoun and those (他无意中晃动)
SWAP_SHARED = 0.5  # how much of a claim's sentence the passage sentence it retells holds, besides the words swapped
SWAP_RUNS = 2  # runs of words a claim's sentence may swap for others of the passage
SWAP_WORDS = 4  # words in a run swapped
CLAUSE_END = re.compile(r"[，,；;。！？!?]")  # the clauses a swap stays inside (「创建AI讲师：借助……」 is one)
REASSIGN_MATCH = 0.5  # how much of a claim's part a passage part must hold to be the one it retells
DONE_MATCH = 0.9  # or how much of what the part says was done, its doers left out
SAYS = re.compile(r"(说|讲|认为|表示|指出|告诉|强调|(劝|叮嘱|嘱咐|告诫)(他|她|(?:他的|她的)?[\u4e00-\u9fff]{2,3})?)(道)?$")  # a part that ends by saying who speaks
# 「先A(、A2)，再/然后/后/才B」: two steps in the order the claim tells them
STEPS = re.compile(r"先([^。；;！？!?]{2,24}?)[，,、]?\s*(?:然后才|然后|接着|随后|再|才|后)([^，,。；;！？!?]{2,20})")
# The same told otherwise: 「A以后，才B」, 「过去A，后来B」, and the last of three steps (「再B，最后C」).
AFTER = re.compile(r"([^，,。；;！？!?]{2,24}?)(?:之后|以后)[，,]?\s*([^，,。；;！？!?]{0,12}?(?:才|又|再)[^，,。；;！？!?]{2,20})")
BEFORE_NOW = re.compile(r"(?:过去|以前|原先|起初|最初|早先)([^。；;！？!?]{2,24}?)[，,]\s*(?:后来|如今|现在|随后)(?:又|才|也)?([^，,。；;！？!?]{2,20})")
LAST = re.compile(r"(?:再|然后|接着)([^，,。；;！？!?]{2,20}?)[，,、]\s*(?:最后|最终)([^，,。；;！？!?]{2,20})")
SEQUENCES = (STEPS, AFTER, BEFORE_NOW, LAST)
STEP_WORDS = 2  # words of each step found in the passage, for its place there to be trusted
CHANGED = re.compile(r"[由从]([^，,。；;、]{1,8}?)(?:改为|改成|换成|变为|变成|转为)([^，,。；;、]{1,8})")
FROM_TO = re.compile(r"从([^，,。；;、]{1,6}?)(?:把[^，,。；;、]{1,6}?)?(?:送到|运到|调到|搬到|到|至|往)([^，,。；;、]{1,6})")
ORDER = re.compile(r"先([^，,。；;、]{2,14}?)[，,、]?\s*(?:再|后|然后)([^，,。；;]{2,14})")
RUN = 3  # counts of one kind, told in the reverse order, for the order to be wrong
# One thing bearing on another (「滚轮的精度又决定砂轮的精度」): the claim must not turn it round.
RELATION = re.compile(r"([^，,。；;、：:]{2,12}?)(?:又|也|就|还|都)?(决定|影响|带动|制约|取决于)了?([^，,。；;、：:]{2,12})")
# The most of something (「年纪最小的一个」 for 「其中之一」): the passage must single someone out too.
MOST = re.compile(r"最(?![后终初近先好是])[\u4e00-\u9fff]")
SINGLED = re.compile(rf"{MOST.pattern}|唯一|冠军|之最")
FIRST = re.compile(r"第1|首[个位批次届]|头一|初次")  # 最早 for 第一个
CLAIMED_FIRST = re.compile(r"第[1一][个位批次条家人名]|首[个位批次届]|头一[个位批次回]|唯一")  # not 第一，(the first point)
# Where a first or a most holds (「全国第一支」 where the passage has 北京第一支): one line per scope, its words alike.
SCOPES = ("全国 我国 国内 中国 全中国", "世界 全球 国际", "全省", "全市", "全县", "行业 全行业 业内", "亚洲")
SCOPED = re.compile(rf"({'|'.join(w for line in SCOPES for w in line.split())})(?:上|内|里|范围内)?的?(?=第1|第一|首[个位批次届家]|最|唯一)")
SCOPE_REACH = 8  # characters from a scope to the first or most it bounds, in the passage
SINGLE_MATCH = 0.5  # how much of a claim's part (or of what it singles out) the passage part it retells holds
# A claim that gives a reason (「因为论文获了奖，被调到……」) needs a passage that gives one; 「所以」 alone
# often draws what the passage plainly implies (「遇水就会爆炸，所以……得保持干燥」) and is let be.
CAUSE = re.compile(r"因为|由于|因此|因而")
CAUSE_OPEN = re.compile(r"(?:正是|正)?(?:因为|由于)")
EFFECT_OPEN = re.compile(r"所以|因此|因而|于是|才")
# A purpose the claim gives (「……，目的是加强技术交流」) must be one the passage gives: words after its purpose words.
PURPOSE = re.compile(r"为了|目的是|目的就是|为的是|是为了")
PURPOSE_SAID = re.compile(r"为了|为的是|目的|用来|用于|以便|好让|以免|免得|是为|为此")
CAUSE_MATCH = 0.75  # how much of a claim's reason the passage part it retells holds
REASON = re.compile(r"因为|由于|所以|因此|因而|于是|从而|以致|致使|导致|为了|为此|因[^素]|以免|造成|原因|结果|为的是|好让|以便|才(?![能华干])|使得|以至")
# A sentence that goes on from the one before it with its reason or result opens with one, or with a word that
# points back (「这些事，让她……」「所以人们说……」); a reason's word deep inside (「干到满意才罢手」) ties nothing to it.
LINKED = re.compile(r"^(?:[^，,]{0,4}?(?:因为|由于|所以|因此|因而|于是|从而|结果|这|此|那)|正因)")
# What a claim says came of a deed (「……，让集装箱放下去时轻稳无声」) must come of that deed in the passage.
EFFECT = re.compile(r"^(?:所以|因此|因而|于是|从而|结果|使得|让|使)")
# And what it says is done when something happens, or by some means (「遇上下雨下雪，她就……」「依托工作室，……」), must be
# done then, or so, in the passage.
CONDITION = re.compile(r"^(?:一旦|只要|如果|要是|每当|每逢|一遇到|遇到|遇上|碰到|碰上|依托|依靠|靠着|凭着|凭借|借助)")
# Words of opposite sense, one pair a line: a claim must not say of a thing the opposite of what the
# passage says of it (「紫铜导热快」 told as 「导热慢」, 「提高泥浆比重」 as 「把泥浆比重降下来」). Not 安全 and
# 危险: a safety lesson says both of the same work.
OPPOSITES = tuple((frozenset(a.split()), frozenset(b.split())) for a, b in (
    ("快 加快", "慢 放慢 减慢"),
    ("高 提高 升高 抬高 升 上升 增高 调高", "低 降低 降 下降 调低 压低"),
    ("增加 增多 增长 上涨 涨", "减少 减 下降 下跌 跌 降"),
    ("大 扩大 加大", "小 缩小 减小"),
    ("多 增多", "少 减少"),
    ("多数 大多数", "少数"),
    ("长 延长 加长", "短 缩短"),
    ("早 提前", "晚 推迟 延后"),
    ("厚", "薄"), ("宽", "窄"), ("深", "浅"), ("重 加重", "轻 减轻"), ("强 增强", "弱 减弱"), ("热", "冷"),
    ("容易", "难 困难"),
    ("接受 答应 同意 接下", "拒绝 婉拒 推掉 谢绝 回绝 推辞"),
    ("优点 长处 优势", "缺点 毛病 短处 不足 弱点 劣势"),
    ("成功", "失败"), ("赢 胜 获胜 胜利", "输 败 失利"), ("支持 赞成", "反对"),
    ("进口", "出口"), ("打开 开启", "关闭 关上"), ("加热 升温", "冷却 降温"),
    ("继续", "停止 停下 中止 暂停 停工"),
))
# Each word of opposite sense → (its pair, its pole) for every pair it is in (降 is in two).
POLES = {
    word: [(n, side) for n, pair in enumerate(OPPOSITES) for side, pole in enumerate(pair) if word in pole]
    for pair in OPPOSITES for pole in pair for word in pole
}
# What a verb or adjective carries after it without changing its sense (降下来 is 降, 快了 is 快).
COMPLEMENT = re.compile(r"(?:了|过|着|下来|下去|起来|上去|上来|得|些|一些|一点|点)$")
# Words either side of an opposite that say what it is said of: 3 reaches past jieba's odd cuts (接受/了转/做/管理);
# 2 caught 3 fewer of tune4's opposites and neither lost a supported sentence (bench.support, 2026-12-07).
OPPOSITE_REACH = 3


# Who a clause says did something: the noun phrase it opens with, past when and how (「几年干下来，店家已经闻不出……」:
# 店家). A clause that opens with a preposition (在临城县, 和老乡) or is all noun phrase names none.
LEADING = frozenset({"t", "m", "q", "mq", "d", "ad", "c", "f", "tg"})
PHRASE_JOINS = frozenset("的、和与及")
# Who is no one in particular (有人, 对方): a claim may name whom the passage means by it.
INDEFINITE = frozenset("有人 有的 有些 别人 人家 对方 大家 谁 人们 不少人 很多人 许多人".split())
THIRD = frozenset({"他", "她", "他们", "她们"})
MANNER_NOUN = re.compile(r"(.)(.)\1|一(.)\3")  # how, though jieba tags it a noun: 手把手, 面对面, 一步步
WITH = frozenset("和跟与同")  # 「和老乡吃在一起」: the clause opens with whom, not who
CAUSATIVE = frozenset("让使令叫")
UNDERGO = frozenset("被由给")  # 「……由25家单位组建」: who did it comes after
WHEN = re.compile(r"时|时候|后|以后|之后|前|以前|之前|期间|初期|那阵子|那会儿|当年|中")  # 「进站时」「毕业后」: when, not who
SAYING = frozenset("说 讲 认为 觉得 知道 看到 发现 明白 相信 听说 称 叫 夸 表示 指出 告诉 强调 称赞 说道".split())  # 「让X……」: X does what follows
RESULTS = frozenset("出了着过完")  # what follows a verb, not a noun (总结出, 关系到)
# Who may do a deed, by how the word ends (店家, 村民, 工友, 学校, 公司, 班组, 法律援助机构): a claim that gives a deed to
# another of these, or to a name, gives it to someone else; a thing (路况, 海底隧道) is only said of otherwise.
AGENT = re.compile(r"(?:人|者|员|工|家|长|师|生|民|友|们|队|组|厂|厂里|矿|司|局|部|院|校|中心|机构|单位|室|班|团|委|店|户|子|弟|乡|亲|妻|夫|摊|企业|工会|政府|集团)$")
DOER_MATCH = 0.75  # how much of what a claim's clause says was done the passage clause it retells holds

# A rough count (几十吨, 上千万元, 几百万个): the passage must give what it counts the same size.
ROUGH = re.compile(rf"(几|数|上|好几)([十百千万亿]+)[多余]?([{MEASURE}]?)")
PLACES = {"十": 1, "百": 2, "千": 3, "万": 4, "亿": 8}
# Words that stretch a claim to every case: the passage must say so too (「全国每一个省都成立了分队」 for
# 「全国各地成立了许多分队」, 「一律分文不收」 for 「常常不收钱」).
EVERY = re.compile(r"所有|一律|每一[个位次回名]|每[个名]|每[年月周]|全部|全都|从来|一概|统统|个个|人人|无一例外|任何")
EVERY_SAID = re.compile(rf"{EVERY.pattern}|每|年年|月月|天天|全体|均|凡是|一次也|一次都|没有一次|从不|从未|从没")
# Some, many or often in the passage, all or always in the claim (「有的机床闲着」 told as 「机床都闲着」, 「主要靠工人」
# as 「全靠工人」): the claim's part says 都 or 全 of what the passage part it retells says of some.
SOME = re.compile(r"不少|有的|有些|很多|许多|好多|多数|大多|大都|大部分|部分|一些|往往|常常|经常|通常|一般|主要|多半|几乎|基本上")
ALL = re.compile(r"(?<![首成])都(?!市)|(?<![安完健齐周])全(?=是|靠|都|部|要|得|被|能|会|在|由)|所有|一律|总是|无一例外")
ALL_MATCH = 0.6  # how much of a claim's part the passage part it retells holds
# Counts in words, which go with what the passage counts with them.
MANY = re.compile(r"数以[百千万]计|成百上千|成千上万|上千|上百|上万|几十|几百|几千|数十|数百|数千")
MANY_REACH = 6  # characters either side of such a count that say what it counts (a summary's long part words more)
# A hedge the passage puts on what it says (「几乎没有逃生的机会」「就有可能培育出……」) that the claim drops.
HEDGE = re.compile(r"几乎|差不多|近乎|大约|将近|大概|也许|或许|(?<!不)有?可能(?!性)")
HEDGED = 4  # characters after the hedge, which the claim must give for it to tell the same
# A number the passage gives as about (三十多年, 百余人) told as exact (三十年).
ABOUT = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)[多余几]([{MEASURE}])")
EXACT = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)([{MEASURE}])")
# A sentence that starts from another moment than a date before it (「恢复高考后，他……」「二十来年下来」).
TIME_OPEN = re.compile(r"^[^，,。]{1,12}?(?:后|以后|之后|下来|以来)[，,]")


@lru_cache(maxsize=256)
def sentences_of(passage: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A passage's sentences (markers stripped) and each flattened, split once for the checks that pair a
    claim's parts with them: one passage is checked against every sentence that cites it."""
    segments = tuple(t.strip() for t in SEGMENT.split(strip_markers(passage)) if t.strip())
    return segments, tuple(flat(t) for t in segments)


def renamed(claim: str, passage: str) -> list[str]:
    """A place the claim names with another unit than the passage (「高丘县镇平镇」 where it has 镇平县高丘镇)."""
    plain, said = flat(passage), flat(claim)
    theirs: dict[str, set[str]] = {}
    for m in ADMIN.finditer(plain):
        theirs.setdefault(m.group(1), set()).add(m.group(2))
    return [
        f"地名：{m.group(1)}{m.group(2)}" for m in ADMIN.finditer(said)
        if m.group(1) in theirs and m.group(2) not in theirs[m.group(1)] and m.group(1) + m.group(2) not in plain
        and said[m.start() + 2 : m.start() + 4] not in theirs  # 「河南镇平县」: 镇 begins the next place
    ][:1]


# A number with the word after it (past 多 and 个, 两个小时 being 两小时): 500千伏, 15.8秒, 100多道.
AFTER_NUMBER = re.compile(r"(?<![\d.A-Za-z-])(\d+(?:\.\d+)?)(?![\d.])[多余几]?个?([\u4e00-\u9fff]{0,2})")  # not 运-10
PREFIX = "千万百公毫厘平立摄"  # 千伏, 公里: the unit is two characters
# A numeral of a digit and a power (一百, 五十) counts whatever follows it (not 十分, 万一).
SPELLED = re.compile(rf"[一二两三四五六七八九][{NUMERAL}]*[十百千万亿][{NUMERAL}]*(?=[多余几]?[\u4e00-\u9fff])")


def unit_after(text: str) -> str:
    """The unit at the start of the words after a number: 千伏 of 千伏线路, 秒 of 秒钟."""
    return text[:2] if text[:1] in PREFIX else text[:1]


def remeasured(claim: str, passage: str) -> list[str]:
    """A number the claim measures in another unit than the passage, where the unit is none that COUNT
    compares (「500千米」 for 500千伏, 「15.8分钟」 for 15.8秒, 「一百多页」 for 一百多道工序); 一 is mostly an article."""
    def units(text: str) -> list[tuple[str, str]]:
        text = arabic(unicodedata.normalize("NFKC", strip_markers(text)))
        text = SPELLED.sub(lambda m: str(cn_value(m.group()) or m.group()), text)  # 一百多页: 页 is no MEASURE
        return [(n, unit_after(rest)) for n, rest in AFTER_NUMBER.findall(re.sub(r"\s+", "", text))]

    theirs: dict[str, set[str]] = {}
    for number, unit in units(passage):
        theirs.setdefault(number, set()).add(unit)
    return [
        f"单位：{number}{unit}" for number, unit in units(claim)
        if number != "1" and unit and unit[0] not in MEASURE and number in theirs and "" not in theirs[number] and unit not in theirs[number]
    ][:1]


def resized(claim: str, passage: str) -> list[str]:
    """Rough counts the passage gives another size (「几百名候选人」 where it has 几十名, 「几十吨」 for 十几吨).
    A number of the size counting the same thing stands for it (五十多年 for 几十年); 几 and 数 mean at
    least two of the place (十几 is no 几十)."""
    said = {(sum(PLACES[c] for c in m.group(2)), m.group(3)) for m in ROUGH.finditer(passage)}
    values = [(float(n), unit) for n, unit in counts_of(passage) if not n.startswith("第")]
    out = []
    for m in ROUGH.finditer(claim):
        size, unit = sum(PLACES[c] for c in m.group(2)), m.group(3)
        least = 10**size * (1 if m.group(1) == "上" else 2)
        if not any(s == size and (u == unit or not unit) for s, u in said) and not any(
            least <= v < 10 ** (size + 1) and (u == unit or not unit) for v, u in values
        ):
            out.append(f"数量：{m.group()}")
    return out


def unexplained(claim: str, passage: str) -> list[str]:
    """A reason the claim gives where the passage gives none (「……，因为金属工具精度不够，所以只能靠人手」
    from 「……不能碰金属工具，只能靠人手」); not in a lesson to the listeners (「因此咱们……」)."""
    if REASON.search(passage):
        return []
    return [f"因果：{m.group()}" for part in PART.split(claim) if not MORAL.search(part) for m in CAUSE.finditer(part)][:1]


def units_of(text: str) -> list[str]:
    """A text's smallest parts, each item of a list with 、 apart, flattened."""
    return [f for u in re.split(r"[，,；;。！？!?：:、]", unicodedata.normalize("NFKC", strip_markers(text))) if (f := flat(u))]


def within(short: str, text: str, slack: int) -> bool:
    """Whether the characters of `short` occur in order in `text`, spread over at most `slack` more."""
    for start in (i for i, c in enumerate(text) if c == short[0]):
        at = start
        for c in short[1:]:
            at = text.find(c, at + 1)
            if at < 0 or at - start >= len(short) + slack:
                break
        else:
            return True
    return False


def denies(text: str, keys: list[str]) -> bool:
    """Whether a (flattened) text negates one of the keys: it follows a negation closely."""
    return any(k in text[m.end() : m.end() + DENIED_WORDS] for m in NEGATION.finditer(text) for k in keys if len(k) >= 2)


def affirmed(claim: str, passage: str) -> list[str]:
    """What the passage denies, told by the claim with no negation (「不转户口、不领工资」 told as 「转了户口、领上
    了工资」; 「不受一年时效的限制」 as 「同样受一年仲裁时效的限制」): the words after a negation, in order, in a
    part of the claim with no negation nor a word that denies (缺, 拒, 免…), where the passage never says
    them without one."""
    denied, said = [], []
    for unit in units_of(passage):
        m = NEGATION.search(unit)
        if not m:
            said.append(unit)
            continue
        rest = unit[m.end() :]
        rest = rest[1:] if m.group() == "没" and rest.startswith("有") else rest
        graded = DEGREE.sub("", rest, count=1)  # 「成绩不算拔尖」 denies 拔尖
        if len(rest) >= 3 and not NEGATION.search(rest):
            denied.append((graded if len(graded) >= 2 else rest)[:DENIED_WORDS])
    out = []
    for unit in units_of(claim):
        if NEGATION.search(unit) or LACKING.search(unit):
            continue
        for rest in denied:
            if within(rest, unit, DENIED_SPAN) and not any(within(rest, s, DENIED_SPAN) for s in said):
                out.append(f"否定：{unit}")
                break
    return out


def rescoped(claim: str, passage: str) -> list[str]:
    """A first or a most the claim puts in a wider or other scope than the passage (「全国第一支钢筋工青年突击队」
    where it has 北京第一支): the scope's words, or others alike (我国 for 全国), shortly before a first or a
    most in the passage."""
    plain = flat(passage)
    out = []
    for m in SCOPED.finditer(flat(claim)):
        alike = next(line.split() for line in SCOPES if m.group(1) in line.split())
        if not re.search(rf"(?:{'|'.join(alike)}).{{0,{SCOPE_REACH}}}?(?:第1|首|最|唯一)", plain):
            out.append(f"范围：{m.group(1)}")
    return out[:1]


def widened(claim: str, passage: str) -> list[str]:
    """A claim that says every, all or never where the passage says no such thing (not in a lesson to
    the listeners: 「值得咱们每个人学习」)."""
    if EVERY_SAID.search(passage):
        return []
    return [f"范围：{m.group()}" for part in PART.split(claim) if not MORAL.search(part) for m in EVERY.finditer(part)][:1]


def made_exact(claim: str, passage: str) -> list[str]:
    """A count the passage gives as about (「一干就是三十多年」) that the claim gives as exact (三十年), where the
    passage never gives it exact."""
    said, theirs = arabic(unicodedata.normalize("NFKC", strip_markers(claim))), arabic(unicodedata.normalize("NFKC", passage))
    about = set(ABOUT.findall(theirs)) - set(EXACT.findall(theirs))
    return [f"约数：{n}{u}" for n, u in EXACT.findall(said) if (n, u) in about][:1]


def unhedged(claim: str, passage: str) -> list[str]:
    """What the passage hedges (几乎, 可能) that the claim's part says without a hedge (「几乎没有逃生的机会」
    told as 「就没有逃生的机会」; 「就有可能培育出杂交稻」 as 「就一定能培育出杂交稻」), where the passage never says it
    unhedged."""
    hedged = []
    for unit in units_of(passage):
        for m in HEDGE.finditer(unit):
            rest = unit[m.end() : m.end() + HEDGED]
            if len(rest) == HEDGED and not HEDGE.search(rest):
                hedged.append(rest)
    plain = flat(passage)
    out = []
    for unit in units_of(claim):
        if HEDGE.search(unit):
            continue
        for rest in hedged:
            if rest in unit and plain.count(rest) == len(re.findall(rf"(?:{HEDGE.pattern}){re.escape(rest)}", plain)):
                out.append(f"程度：{unit}")
                break
    return out[:1]


def swapped_order(claim: str, passage: str) -> list[str]:
    """「先接导体端，再接接地端」 where the passage says first the earth end, then the conductor; 「由用电改为烧柴油」
    where it changed from diesel to electricity; 「从山东把电送到宁夏」 where it goes from 宁夏 to 山东."""
    out = []
    for pattern in (ORDER, CHANGED, FROM_TO):
        for a, b in pattern.findall(claim):
            for pa, pb in pattern.findall(passage):
                if similar(a, pb) and similar(b, pa) and not (similar(a, pa) and similar(b, pb)):
                    out.append(f"先后：{a}…{b}")
    return out


def put_later(claim: str, passage: str) -> list[str]:
    """The passage's first step told as the second, after another (「先拧紧接头，再泄压处理」 where it has 先泄压再处理
    and 不带着压去拧接头; 「先清料，再停机、断电、挂牌」 for 先停机、断电、挂牌，再去清)."""
    theirs = STEPS.findall(strip_markers(passage))
    return [
        f"先后：{a}…{b}" for a, b in STEPS.findall(strip_markers(claim))
        if any(similar(b, pa) and not similar(a, pa) and not similar(a, pb) for pa, pb in theirs)
    ][:1]


def turned_round(claim: str, passage: str) -> list[str]:
    """「砂轮的精度决定了滚轮的精度」 where the passage has 滚轮的精度决定砂轮的精度: the words that tell the
    two sides apart (砂, 滚) trade places around the same verb (取决于 read the other way round)."""
    def relations(text: str) -> list[tuple[str, set[str], set[str]]]:
        out = []
        for a, verb, b in RELATION.findall(strip_markers(text)):
            if verb == "取决于":
                a, b, verb = b, a, "决定"
            x, y = set(flat(a)), set(flat(b))
            out.append((verb, x - y, y - x))
        return out

    theirs = relations(passage)
    return [
        f"先后：{verb}" for verb, x, y in relations(claim)
        if x and y and any(v == verb and x <= py and y <= px and not (x <= px and y <= py) for v, px, py in theirs)
    ][:1]


def run_reversed(claim: str, passage: str) -> list[str]:
    """Three or more counts of one kind the claim gives in the reverse of the passage's order (「先做七千米级，
    再到五千米级、三千米级、一千米级」 where the trials go from 一千米级 up to 七千米级)."""
    def runs(text: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for number, unit in COUNT.findall(re.sub(r"\s+", "", arabic(unicodedata.normalize("NFKC", strip_markers(text))))):
            if unit and number not in out.setdefault(unit, []):
                out[unit].append(number)
        return out

    theirs = runs(passage)
    out = []
    for unit, numbers in runs(claim).items():
        common = [n for n in numbers if n in theirs.get(unit, ())]
        order = [n for n in theirs.get(unit, ()) if n in common]
        if len(common) >= RUN and common == order[::-1]:
            out.append(f"先后：{common[0]}{unit}…{common[-1]}{unit}")
    return out


def similar(a: str, b: str) -> bool:
    """Two short phrases of mostly the same characters."""
    x, y = set(flat(a)), set(flat(b))
    return bool(x and y) and len(x & y) / min(len(x), len(y)) >= 0.7


def runs_of(indices: list[int]) -> list[list[int]]:
    """Indices grouped into runs of consecutive ones."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


class Placed(NamedTuple):
    """A word of a sentence, where it stands: its clause, and its first and last characters in the sentence."""

    word: str
    tag: str
    key: str
    clause: int
    start: int
    end: int


def slot(words: tuple[Placed, ...], left: str | None, right: str | None) -> list[Placed]:
    """The words between the first `left` and the next `right` after it, in the clause of those two (from its
    start without a left, to its end without a right); none where the two are not there in that order."""
    keys = [w.key for w in words]
    start = keys.index(left) + 1 if left in keys else (0 if left is None else None)
    if start is None:
        return []
    end = keys.index(right, start) if right in keys[start:] else (len(keys) if right is None else None)
    if end is None or (left is None and end == len(keys)):
        return []
    clause = words[start - 1].clause if left else words[end].clause
    return [w for w in words[start:end] if w.clause == clause]


def joined(raw: str, run: list[Placed], left: Placed | None, right: Placed | None) -> tuple[str, str]:
    """What joins a run of words to the words either side of it (「的」 in 主持研制的配网……, 「从」 in 小棉垫从售票台), flattened."""
    return (
        flat(raw[left.end : run[0].start]) if left else "",
        flat(raw[run[-1].end : right.start]) if right else "",
    )


def other_things(run: list[Placed], dropped: list[Placed], keys: list[str]) -> bool:
    """Whether the passage's words in a run's place are other things than the run: a few, a noun on each side,
    none of them said by the claim nor sharing a character with the run."""
    new = set("".join(w.key for w in run))
    return (
        0 < len(dropped) <= SWAP_WORDS + 1 and any(w.tag[0] == "n" for w in run) and any(w.tag[0] == "n" for w in dropped)
        and not any(w.key in keys or set(w.key) & new for w in dropped)
    )


def swapped_for(
    ours: tuple[str, list[Placed]], theirs: tuple[str, tuple[Placed, ...]], left: Placed | None, right: Placed | None, keys: list[str]
) -> list[Placed]:
    """The passage sentence's words a claim's run of words stands in place of: other things, between the words
    either side of the run (or one of them, where the passage has the other elsewhere: 孩子的父亲, 孩子 later), joined
    to them as the run is (a word of one character may begin or end the passage's: 的可摘取式, 可 being no thing)."""
    (raw, run), (text, side) = ours, theirs
    for before, after in dict.fromkeys(((left, right), (None, right), (left, None))):
        dropped = slot(side, before and before.key, after and after.key) if before or after else []
        if not other_things(run, dropped, keys):
            continue
        mine = joined(raw, run, before, after)
        glue = joined(text, dropped, before and side[side.index(dropped[0]) - 1], after and side[side.index(dropped[-1]) + 1])
        if all(bool(a) == bool(b) for a, b in zip(mine, glue)) and glue[0].startswith(mine[0]) and glue[1].endswith(mine[1]):
            return dropped
    return []


def verb_after(words: tuple[tuple[str, str, str], ...], i: int) -> int | None:
    """The word that follows a doer as its verb: past adverbs, particles, 本人 and where it was done
    (「袁隆平在海南三亚发现了」, 「竺士杰本人运用」)."""
    k = next((k for k in range(i + 1, len(words)) if words[k][1] not in BETWEEN and words[k][0] not in SELF and words[k][0] != "们"), None)
    if k is not None and words[k - 1][0] in WHERE:
        k = next((k for k in range(k, min(k + PLACE_WORDS, len(words))) if words[k][1][0] not in PLACE_TAGS), None)
    return k


def doer_before(words: tuple[tuple[str, str, str], ...], m: int) -> int | None:
    """The word before a verb that did it, past adverbs, particles, where it was done, and 「等人」
    (「李必湖等人在海南三亚发现了」: 李必湖)."""
    n = next((n for n in range(m - 1, -1, -1) if words[n][1] not in BETWEEN), None)
    if n is None:
        return None
    place = next((p for p in range(n, max(n - PLACE_WORDS, -1), -1) if words[p][1][0] not in PLACE_TAGS), None)
    if place is not None and place < n and words[place][0] in WHERE:
        n = next((n for n in range(place - 1, -1, -1) if words[n][1] not in BETWEEN), None)
    while n and words[n][0] in ("人", "等", "们"):
        n -= 1
    return n


class Checker:
    """Checks generated sentences against passages, knowing the corpus's names (so that a person,
    employer or place the passage never mentions is caught even when jieba would not tag it)."""

    def __init__(self, names: Iterable[str] = (), places: Iterable[str] = ()) -> None:
        self.names = frozenset(n for n in names if len(n) >= 2)
        self.places = frozenset(p for p in places if len(p) >= 2)
        self.tokenizer = jieba.posseg.POSTokenizer(jieba.Tokenizer())
        self.tokenizer.tokenizer.initialize()
        for name in self.names:
            self.tokenizer.tokenizer.add_word(name, freq=20000, tag="nz")
        # One sentence is checked against several passages: read it once.
        self.clauses = lru_cache(maxsize=512)(self._clauses)
        self.tagged = lru_cache(maxsize=2048)(self._tagged)
        self.cut = lru_cache(maxsize=4096)(self._cut)
        self.sentences = lru_cache(maxsize=512)(self._sentences)
        self.passage_doers = lru_cache(maxsize=256)(self._passage_doers)

    @classmethod
    def for_items(cls, items: Iterable) -> "Checker":
        """A checker that knows the items' people, employers and regions."""
        names: set[str] = set()
        places: set[str] = set()
        for item in items:
            names.update(item.person.replace("，", "、").split("、"))
            names.update((item.employer, item.region))
            province, parts = region_places(item.region)
            names.update(parts)  # 新疆克拉玛依: 克拉玛依 too
            places.update((item.region, province, *parts))
        return cls(names, places)

    def _clauses(self, claim: str) -> tuple[tuple[tuple[str, str, bool], ...], ...]:
        """The claim's content words per clause, flattened, each marked if it must occur verbatim
        (a proper noun, an honour or a known name)."""
        out = []
        for clause in CLAUSE.split(claim):
            words, before = [], ""
            for word, tag in self.tokenizer.cut(arabic(clause)):  # numerals as the passage is compared: 千分之三 is 0.003
                word, previous, before = word.strip(), before, word.strip()
                key = flat(word)
                if not key or word in STOPWORDS or word in FRAMING or word in GRAMMAR or NUMBER.fullmatch(key) or BARE_NEGATION.fullmatch(key):
                    continue  # a negation's wording (千万别, 绝不能 for 严禁) is the polarity check's business
                named = self.proper(word, tag) and not (tag in PERSON and previous in DEMONSTRATIVE)
                strict = len(key) >= 2 and (named or bool(HONOUR.search(word) or POST.search(word)) or word in self.names)
                words.append((word, key, strict))
            out.append(tuple(words))
        return tuple(out)

    @staticmethod
    def proper(word: str, tag: str) -> bool:
        """Whether jieba's tag names someone or somewhere: a person's name begins with a surname, a
        place is no verb or spot (「上岗」「井口」 are tagged places)."""
        if tag in ("nr", "nrfg"):  # not nrt, names heard from other tongues (伊拉克, 洛克菲勒)
            return word[0] in SURNAMES
        if tag == "ns":
            return not NOT_A_PLACE.search(word) and word not in EVERYDAY_PLACES
        return tag in PROPER

    def honours(self, claim: str, plain: str) -> list[str]:
        """An honour named by two words, each in the passage but not together (「全国道德模范」 where it has
        全国劳动模范 and 道德 elsewhere)."""
        words = self.cut(claim)  # 、 between keeps two apart
        return [
            a + b for (a, tag, x), (b, _, y) in zip(words, words[1:])
            if HONOUR.search(b) and len(x) >= 2 and y and (tag[0] in "nab" or tag == "vn") and a not in FRAMING
            and y in plain and x + y not in plain
        ]

    def _cut(self, text: str) -> tuple[tuple[str, str, str], ...]:
        """Every word of a text, punctuation too, with its tag and flattened key."""
        return tuple((w, tag, flat(w)) for w, tag in self.tokenizer.cut(text))

    def _tagged(self, text: str) -> tuple[tuple[str, str, str], ...]:
        """The words of a text with their tags and flattened keys (its cut, read once)."""
        return tuple(w for w in self.cut(text) if w[2])

    @staticmethod
    def wording(word: str, key: str) -> bool:
        """Whether a word is compared when finding the passage part a claim's part retells."""
        return word not in STOPWORDS and word not in FRAMING and not NUMBER.fullmatch(key)

    def is_doer(self, word: str, tag: str) -> bool:
        return len(flat(word)) >= 2 and (tag in DOER or word in self.names)

    def reassigned(self, claim: str, passage: str) -> list[str]:
        """Deeds the claim gives to someone the passage names elsewhere, where the passage part it
        retells has another doer before the same verb (「高凤林主持了……」 from 「由……丁肇中主持」,
        「人民法院应当给予支持」 from 「工会应当给予支持」). Every word is in the passage: only who changed."""
        plain = flat(passage)
        sides = [t for t in PART.split(passage) if t.strip()]
        flats = [flat(t) for t in sides]
        out = []
        for part in PART.split(claim):
            words = self.tagged(part)
            keys = [k for w, _, k in words if self.wording(w, k)]
            size = sum(len(k) for k in keys)
            if size < 4 or not sides:
                continue
            best, j = max((held(keys, side), j) for j, side in enumerate(flats))
            # what was done, without who did it, may be all the part retells (「中央文明委作出决定」 for
            # 「中华全国总工会作出决定」: the doer is most of the words)
            done = [k for w, t, k in words if len(k) >= 2 and self.wording(w, k) and not self.is_doer(w, t)]  # 先 is in 先锋
            if sum(len(k) for k in done) >= 4 and (found := max((held(done, side), j) for j, side in enumerate(flats)))[0] >= DONE_MATCH:
                best, j = found
            if best < REASSIGN_MATCH:
                continue
            side, retold = self.tagged(sides[j]), flat(part)
            for i, (word, tag, key) in enumerate(words):
                if not self.is_doer(word, tag) or key in flats[j] or key not in plain:
                    continue
                k = verb_after(words, i)
                # a doer before its verb, or a distinguishing word before its noun (上级工会 for 基层工会)
                if k is None or not (words[k][1].startswith("v") or tag == "b") or len(words[k][2]) < 2 or words[k][2] not in flats[j]:
                    continue
                verb = words[k][2]
                for m in (m for m, (_, _, key2) in enumerate(side) if key2 == verb):
                    n = doer_before(side, m)
                    if n is None:
                        continue
                    other, other_tag, other_key = side[n]
                    # 「他还被……聘为专家」: who 他 is, the person named last before (read so only where he
                    # undergoes it, or where the claim's doer names no one: 「领导却坚持要她……」 for 「她却坚持……」;
                    # told as the doer, he is too often someone else the claim names rightly)
                    # 「只要自己看着……」 is the person named last before too
                    if (STORY.fullmatch(other) or other in SELF) and (any(w == "被" for w, _, _ in side[n:m]) or not self.named(word, tag)):
                        other = self.last_name("，".join(sides[:j]))
                        other_tag, other_key = "nr", flat(other)
                    if self.is_doer(other, other_tag) and other_key != key and other_key not in retold:
                        out.append(f"谁做的：{word}（原文是{other}）{words[k][0]}")
        return out

    def opener(self, words: tuple[tuple[str, str, str], ...]) -> tuple[list[tuple[str, str, str]], int] | None:
        """The noun phrase a clause opens with as who did what it says, and where what was done begins: past
        times, counts and adverbs, past 「有的」 (「有的店家把垃圾……」), past when (「建校初期」「进站时」), up to the
        word that is no noun, pronoun, 的, 和 or 、; none where the clause opens with a preposition, is all noun
        phrase, has it undergo the deed (「……被……」「……由……组建」) or say something (「同事们说他……」)."""
        n = len(words)
        if (last_word := next((w for w, _, k in reversed(words) if k), "")) and WHEN.fullmatch(last_word):
            return None  # 「2020年武汉抗疫时，」: when the next part happened
        i = 0
        for _ in range(3):  # 「疫情那阵子头班车改到……」: past two phrases of when
            while i < n and (not words[i][2] or (words[i][1] in LEADING and words[i][0] not in WITH) or MANNER_NOUN.fullmatch(words[i][0])):
                i += 1
            if i < n and words[i][0] == "有" and i + 1 < n and (words[i + 1][0] == "的" or words[i + 1][1][0] == "n"):
                i += 2 if words[i + 1][0] == "的" else 1
            elif i < n and words[i][0] in CAUSATIVE:  # 「让矿山的公路管理上了一个台阶」: the 公路管理 rose
                i += 1
            j = i
            while j < n and (
                (self.member(words[j][0], words[j][1]) and not MANNER_NOUN.fullmatch(words[j][0])) or words[j][0] in PHRASE_JOINS or words[j][1] in ("k", "f", "b")
                or (words[j][1] == "a" and j + 1 < n and words[j + 1][1][0] == "n")  # 齐/a 大山/ns 铁矿/n
                or (words[j][1] in ("m", "d") and j > i and j + 1 < n and self.member(*words[j + 1][:2]))  # 、许多普通百姓
                or (words[j][1] == "vn" and j > i and j + 1 < n and words[j + 1][1][0] in "nj")  # 产教/n 融合/vn 联盟/j
            ):
                j += 1
            if j > i and j < n and words[j][0] in RESULTS:  # 「总结出」「关系到」: a verb jieba tags a noun
                j -= 1
            while j > i and words[j - 1][0] in PHRASE_JOINS:
                j -= 1
            k = j
            while k < n and words[k][1] in LEADING:
                k += 1
            when = any(WHEN.fullmatch(w) or t[0] == "t" for w, t, _ in words[j - 1 : k]) if j > i else False
            if when and k < n and (WHEN.fullmatch(words[j - 1][0]) or WHEN.fullmatch(words[j][0]) or self.member(*words[k][:2])):
                i = k  # 「技校毕业后」「建校初期条件……」: when, and who comes after
                continue
            break
        if j == i or any(w in UNDERGO for w, _, _ in words[j : k + 1]) or (k < n and (not words[k][2] or words[k][0] in SAYING)):
            return None  # all noun phrase (k == n), it names what what follows is said of (「……的果树、核桃树，都是……」)
        # a topic before who did it (「危重病人的护理她尽量自己包下来」): the doer is the last person in the phrase, with
        # what is his (「他的妻子」)
        last = max((m for m in range(i, j) if words[m][0] in THIRD or self.personal(*words[m][:2])), default=None)
        if last is not None:
            i, j = last, (j if last + 1 < j and words[last + 1][0] == "的" else last + 1)
        return list(words[i:j]), k

    def member(self, word: str, tag: str) -> bool:
        """Whether a word may be part of who did something: as `party`, a numeral inside it let be (普通百姓)."""
        return self.party(word, tag) or (tag[0] in "nrj" and not re.match(rf"[{NUMERAL}\d]", word))

    def personal(self, word: str, tag: str) -> bool:
        """Whether a word is a person's name: a known one, or one jieba tags so, with a surname."""
        return (
            (tag in PERSON or word in self.names) and 2 <= len(word) <= 4 and word[0] in SURNAMES
            and word not in self.places and tag != "ns"
        )

    def doer_keys(self, run: list[tuple[str, str, str]], *people: str) -> tuple[set[str], set[str]]:
        """Who a clause's opening noun phrase names: its nouns, and 他 or 她 read as the people it may be (the one
        last named as a doer, the story's); and of them, those who may do a deed (a name, a word ending as those who
        act end, a noun with 们)."""
        keys, agents = set(), set()
        for n, (w, t, k) in enumerate(run):
            if len(k) >= 2 and (t[0] in "nj" or w in self.names) and w not in INDEFINITE and not MANNER_NOUN.fullmatch(w):
                keys.add(k)
                if w in self.names or t in PROPER or AGENT.search(k) or (n + 1 < len(run) and run[n + 1][0] == "们"):
                    agents.add(k)
        if any(w in THIRD for w, _, _ in run):
            keys |= {p for p in people if p}
            agents |= {p for p in people if p}
        return keys, agents

    def person_of(self, passage: str) -> str:
        """The person a passage is about: the first its title (its first part) names, else the first it names."""
        title = self.tagged(PART.split(passage)[0])
        return next(
            (k for w, t, k in title if w in self.names and w not in self.places),
            next((k for w, t, k in (*title, *self.tagged(passage)) if self.personal(w, t)), ""),
        )

    def _passage_doers(self, passage: str) -> list[tuple[int, str, set[str] | None, set[str]]]:
        """Each part of the passage: its sentence, its text flattened, who did what it says (its own opening noun
        phrase, or, without one, the last one before it in its sentence, or the first after it), and what of it
        comes before (flattened, the opening noun phrases left out). 他 and 她 are the person last named as a doer,
        or the first the passage names (the title's); and of them, those who may do a deed."""
        person = story = self.person_of(passage)
        parts: list[tuple[int, str, set[str] | None, set[str]]] = []
        for s, sentence in enumerate(t for t in SEGMENT.split(strip_markers(passage)) if t.strip()):
            own: list[tuple[set[str], set[str]] | None] = []
            texts, said = [], []
            for part in (t for t in PART.split(sentence) if t.strip()):
                found = self.opener(self.cut(part))
                # an opening phrase that names no one in particular (一个人, 有人) leaves the doer unknown: no keys
                keys = self.doer_keys(found[0], person, story) if found else None
                if found and not any(w in THIRD for w, _, _ in found[0]) and (named := [k for w, t, k in found[0] if self.personal(w, t)]):
                    person = named[0]  # 「她和队员张广智……」 names no one new for 她
                if own and keys is not None and own[-1] and SAYS.search(said[-1]):  # 「她认为，教师的第一本领是……」
                    keys = (keys[0] | own[-1][0], keys[1] | own[-1][1])
                own.append(keys)
                said.append(part.strip())
                texts.append(flat(part))
            for i, text in enumerate(texts):
                doers = own[i] if own[i] is not None else next(
                    (d for d in [*reversed(own[:i]), *own[i + 1 : i + 2]] if d is not None), None
                )
                parts.append((s, text, *(doers or (None, set()))))
        return parts

    def redone(self, claim: str, passage: str) -> list[str]:
        """A deed the claim gives to another the passage names (「几年干下来，店家已经闻不出垃圾桶的臭味了」 where she
        could no longer smell it, 「齐大山铁矿制定了……技术标准」 where he drew them up, 「工友们组织郭明义报名」): what
        the claim's clause says was done is what a passage part says, and who it says did it, by the noun phrase
        the clause opens with (a name, or a word ending as those who act end: 店家, 工友, 学校), is none of whom the
        passage part's opens with (or, opening with none, the part's before it in its sentence); a topic before the
        doer (「危重病人的护理她……」) is no doer."""
        plain = flat(passage)
        theirs = None
        out = []
        for part in PART.split(strip_markers(claim)):
            words = self.cut(part)
            found = self.opener(words)
            if not found:
                continue
            run, k = found
            keys, agents = self.doer_keys(run)
            ours = {key for key in keys if key in plain}
            done = [key for w, t, key in words[k:] if len(key) >= 2 and self.wording(w, key) and not self.named(w, t)]
            if not ours or sum(len(key) for key in done) < 4:
                continue
            theirs = theirs or self.passage_doers(passage)
            best = max(held(done, text) for _, text, _, _ in theirs)
            tied = [t for t in theirs if held(done, t[1]) == best]
            if best < DOER_MATCH:
                continue
            # the whole phrase another (not 「郭明义的效率」 for 「……铁矿的……效率」), one who may do it, for one who may;
            # not where the claim names the passage's doer too, told otherwise (「于漪把……当作教师的第一本领」 for 「她认为，
            # 教师的第一本领是……」), unless the two trade places (「工友们组织郭明义报名」), nor where the passage part names
            # the claim's before what was done (「许振超从……干起」 for 「青岛港桥吊司机许振超从……干起」)
            strange = sorted(ours & agents)
            said = flat(part)
            person = self.person_of(passage) if PRONOUN.search(part) else ""
            if strange and all(
                doers and doers_agents and not any(key in d or d in key for key in ours for d in doers)
                and not (any(d in said or d == person for d in doers) and not any(key in text for key in ours))
                and not any(0 <= text.find(key) < min((text.find(d) for d in done if d in text), default=0) for key in strange)
                for _, text, doers, doers_agents in tied
            ):
                out.append(f"谁做的：{strange[0]}（原文是{'、'.join(sorted(tied[0][2] or ()))}）")
        return out[:1]

    def named(self, word: str, tag: str) -> bool:
        """Whether a word names a known person, employer or place, or a person by jieba's tag."""
        return word in self.names or (tag in PERSON and len(word) >= 2 and word[0] in SURNAMES)

    def is_place(self, word: str, tag: str) -> bool:
        """Whether a word names a place: a known region, one jieba tags so, or a county, town or village."""
        return word in self.places or (tag == "ns" and not NOT_A_PLACE.search(word) and word not in EVERYDAY_PLACES) or (
            len(word) >= 3 and word[-1] in "省市县镇乡村" and tag.startswith("n")
        )

    def singled_out(self, claim: str, passage: str) -> list[str]:
        """A superlative, a first or an only the claim gives where the passage gives none, or none in the
        part the claim's part retells (「是医院里最年轻的护士长」 where only the title has 最; 「第一个当选院士
        的人」 where 第一个 is said of another deed; 「其中年纪最小的一个」 beside 「第一批……一共十六人」). Not
        最后, 最终, 最初, 最近; 最早 where it has 第一 or 首; not in a lesson to the listeners: 「这就是最实在的
        工匠精神，值得咱们学习」."""
        normal = arabic(unicodedata.normalize("NFKC", strip_markers(passage)))
        segments = [flat(s) for s in PART.split(normal) if s.strip()]
        anywhere = SINGLED.search(normal) or FIRST.search(normal)
        out = []
        for part in PART.split(strip_markers(claim)):
            found = [*MOST.finditer(part), *CLAIMED_FIRST.finditer(part)]
            if not found or MORAL.search(part) or all(self.verbatim(part, m, normal) for m in found):
                continue
            if not anywhere:
                out.append(f"最：{found[0].group()}")
                continue
            # the parts that retell the claim's part, or what it singles out (「陈行行是其中最年轻的一位」 beside
            # 「陈行行名列其中，也是十位年度人物中最年轻的一位」)
            keys = [k for w, _, k in self.tagged(part) if self.wording(w, k)]
            best, j = max((held(keys, s), j) for j, s in enumerate(segments))
            first = min(m.start() for m in found) + 1
            singled = [k for w, _, k in self.tagged(part[first:]) if self.wording(w, k)]
            retold = {j} if best >= SINGLE_MATCH else set()
            retold |= {n for n, s in enumerate(segments) if singled and held(singled, s) >= SINGLE_MATCH}
            most = any(MOST.fullmatch(m.group()) and m.group() != "最早" for m in found)  # the most of something, not a first
            if retold and not any(SINGLED.search(segments[n]) or (not most and FIRST.search(segments[n])) for n in retold):
                out.append(f"最：{found[0].group()}")
        return out[:1]

    @staticmethod
    def verbatim(part: str, m: re.Match, passage: str) -> bool:
        """Whether the passage has a first or a most with the words before it as the claim's part has them (「他花力气
        最多的」: what is singled out is the passage's, whatever part retells the rest)."""
        said = flat(part[max(0, m.start() - TRADE_CONTEXT) : m.end()])
        return len(said) > len(flat(m.group())) and said in flat(passage)

    def reversed_cause(self, claim: str, passage: str) -> list[str]:
        """A reason the claim gives that the passage gives as what came of another (「王蕴琦因为工作中碰到不少
        困难，才去学了工程机械」 where it has 「因为专业跨度大、缺少电力理论，工作中碰到不少困难」): the passage
        part the claim's reason retells follows a part that opens with 因为 or 由于, or opens with 所以, 因此, 才."""
        sides = [t.strip() for t in PART.split(passage) if t.strip()]
        flats = [flat(t) for t in sides]
        effects = {j for j, t in enumerate(sides) if EFFECT_OPEN.match(t) or (j and CAUSE_OPEN.match(sides[j - 1]))}
        out = []
        for part in PART.split(strip_markers(claim)):
            m = CAUSE_OPEN.search(part)
            keys = [k for w, _, k in self.tagged(part[m.end() :]) if self.wording(w, k)] if m and effects else []
            if sum(len(k) for k in keys) < 4:
                continue
            best, j = max((held(keys, f), j) for j, f in enumerate(flats))
            if best >= CAUSE_MATCH and j in effects:
                out.append(f"因果：{part[m.end() :]}")
        return out[:1]

    def keys_of(self, text: str) -> list[str]:
        """A text's words that say something (of two characters or more), names of people left out."""
        return [k for w, t, k in self.tagged(text) if len(k) >= 2 and self.wording(w, k) and not self.named(w, t)]

    def cause_elsewhere(self, claim: str, passage: str) -> list[str]:
        """A reason the claim gives (因为/由于) from a passage sentence that gives no reason for what the claim says
        it caused (「因为井场资料记录不全，不少油井含水上升很快」 where the records are what he kept, and the water
        rose because of the foreign method): the passage words both, in sentences neither the same nor one
        after the other with a reason's word."""
        if not CAUSE_OPEN.search(claim):
            return []
        segments, flats = sentences_of(passage)
        out = []
        for i, part, m, parts in marked_parts(claim, CAUSE_OPEN) if flats else ():
            reason = self.keys_of(part[m.end() :])
            effect = [k for j, t in enumerate(parts) if j != i and not MORAL.search(t) for k in self.keys_of(t)]
            if sum(len(k) for k in reason) < 4 or sum(len(k) for k in effect) < 4:
                continue
            (r, a), (e, b) = (max((held(keys, f), n) for n, f in enumerate(flats)) for keys in (reason, effect))
            if r < CAUSE_MATCH or e < CAUSE_MATCH or a == b or (abs(a - b) == 1 and REASON.search(later := segments[max(a, b)]) and LINKED.search(later.strip())):
                continue
            out.append(f"因果：{part[m.end() :]}")
        return out[:1]

    def effect_elsewhere(self, claim: str, passage: str) -> list[str]:
        """A result the claim draws from a deed (「……，让集装箱放下去时轻稳无声」「……，所以……」) that the passage tells
        of another deed: the deed and the result worded by different passage sentences, neither the one going on
        from the other with a reason's word."""
        segments, flats = sentences_of(passage)
        out = []
        for whole in (t for t in SEGMENT.split(strip_markers(claim)) if t.strip()) if flats else ():
            parts = [t.strip() for t in PART.split(whole) if t.strip()]
            pairs = [(parts[:i], part[m.end() :], part) for i, part in enumerate(parts) if i and (m := EFFECT.match(part))]
            if len(parts) > 1 and (m := CONDITION.match(parts[0])):
                pairs.append(([parts[0][m.end() :]], "，".join(parts[1:]), "，".join(parts[1:])))
            for before, after, part in pairs:
                effect = self.keys_of(after)
                deed = [k for t in before if not MORAL.search(t) for k in self.keys_of(t)]
                if sum(len(k) for k in effect) < 4 or sum(len(k) for k in deed) < 4:
                    continue
                (r, a), (e, b) = (max((held(keys, f), n) for n, f in enumerate(flats)) for keys in (deed, effect))
                if r < CAUSE_MATCH or e < CAUSE_MATCH or a == b or (b == a + 1 and LINKED.search(segments[b])):
                    continue
                out.append(f"因果：{part}")
        return out[:1]

    def purpose_elsewhere(self, claim: str, passage: str) -> list[str]:
        """A purpose the claim gives (为了/目的是) that the passage states as a fact of another sentence
        (「……开辟了一条……“快车道”，目的是加强技术交流」 where 加强技术交流 is one of the alliances' aims and the
        快车道 their purpose): words the passage has, not after any of its purpose words, nor in the sentence
        that words what the claim says was done for it (「尽量自己包下来，能少让一个同事接触危险」 gives its aim)."""
        if not PURPOSE.search(claim):
            return []
        segments, flats = sentences_of(passage)
        aims = [(n, flat(t[m.end() :])) for n, t in enumerate(segments) for m in PURPOSE_SAID.finditer(t)]
        out = []
        for i, part, m, parts in marked_parts(claim, PURPOSE) if flats else ():
            aim = self.keys_of(part[m.end() :])
            done = self.keys_of(part[: m.start()]) + [k for j, t in enumerate(parts) if j != i and not MORAL.search(t) for k in self.keys_of(t)]
            if sum(len(k) for k in aim) < 4 or sum(len(k) for k in done) < 4:
                continue
            (r, a), (e, b) = (max((held(keys, f), n) for n, f in enumerate(flats)) for keys in (aim, done))
            # an aim the passage gives is the aim of what its own sentence says was done (「为了把路扫干净，她凌晨三点就起床」
            # is no aim of the road the workers feared)
            stated = {n for n, said in aims if held(aim, said) >= CAUSE_MATCH}
            # or of the sentence before one that opens with its aim (「……三是加强技术交流。目的都是……」)
            stated |= {n - 1 for n in stated if PURPOSE_SAID.match(segments[n].strip())}
            if e >= CAUSE_MATCH and (b not in stated if stated else r >= CAUSE_MATCH and a != b):
                out.append(f"目的：{part[m.end() :]}")
        return out[:1]

    def requantified(self, claim: str, passage: str) -> list[str]:
        """A count in words (数以百计, 上千, 几十) the claim gives to what the passage counts otherwise (「改进的工艺也数以
        百计」 where the hurdles are 数以百计 and the processes 很多): the passage part that words what the claim says
        around it best lacks it."""
        sides = [flat(t) for t in PART.split(strip_markers(passage)) if t.strip()]
        out = []
        for part in PART.split(strip_markers(claim)):
            for m in MANY.finditer(part):
                keys = self.keys_of(part[max(0, m.start() - MANY_REACH) : m.start()] + "，" + part[m.end() : m.end() + MANY_REACH])
                if sum(len(k) for k in keys) < 4 or not any(m.group() in f for f in sides):
                    continue
                best, j = max((held(keys, f), j) for j, f in enumerate(sides))
                if best >= CAUSE_MATCH and m.group() not in sides[j]:
                    out.append(f"数量：{m.group()}")
        return out[:1]

    def generalised(self, claim: str, passage: str) -> list[str]:
        """All (都, 全) where the passage says some, many or often (「医护人员在救治病人时都被感染了」 where it has 不少
        医护人员……被感染; 「全靠工人」 for 主要靠工人): of the passage parts with the first of the claim's words after
        its 都 or 全, the one that holds the claim's part best says some and not all."""
        sides = [t for t in PART.split(strip_markers(passage)) if t.strip()]
        flats = [flat(t) for t in sides]
        out = []
        parts = PART.split(strip_markers(claim))
        for i, part in enumerate(parts):
            m = ALL.search(part)
            if not m or SOME.search(part) or MORAL.search(part):
                continue
            keys = self.keys_of(part)
            after = [k for k in self.keys_of(part[m.end() :]) if any(k in f for f in flats)][:1]
            if not after or sum(len(k) for k in keys) < 4:
                continue
            # the part with that word, or it and the part before (「他判断焊缝好坏，主要靠手上的感觉」)
            rank = [(max(held(keys, f), held(keys, flats[j - 1] + f) if j else 0), j) for j, f in enumerate(flats) if after[0] in f]
            best, j = max(rank)
            if best >= ALL_MATCH and SOME.search(sides[j]) and not ALL.search(sides[j]):
                out.append(f"范围：{part}")
            elif best >= ALL_MATCH and i and j and not part[: m.start()].strip() and SOME.search(sides[j - 1]) and not SOME.search(parts[i - 1]):
                # the passage's all of some (「不少村子的果树，都是……」) told as all (「太行山区的果树，都是……」): the part
                # opens with 都, what it quantifies is the part before
                if held(self.keys_of(parts[i - 1]), flats[j - 1]) >= ALL_MATCH:
                    out.append(f"范围：{parts[i - 1]}")
        return out[:1]

    def misplaced(self, claim: str, passage: str) -> list[str]:
        """A place the claim puts where the passage part it retells puts another, after the same word
        (「出生在马来西亚」 where it has 出生在福建闽清 and 到马来西亚谋生; 「从山东把电送到宁夏」 for
        从宁夏把电送到山东; 「轰炸西安」 for 轰炸成都, 西安 named elsewhere)."""
        sides = [t for t in PART.split(passage) if t.strip()]
        flats = [flat(t) for t in sides]
        out = []
        for part in PART.split(claim):
            words = [w for w in self.cut(part) if w[0].strip()]
            at = [i for i, (w, t, _) in enumerate(words) if i and self.is_place(w, t)]
            keys = [k for i, (w, _, k) in enumerate(words) if k and i not in at and self.wording(w, k)]
            if not at or not sides or sum(len(k) for k in keys) < 4:
                continue
            best, j = max((held(keys, f), j) for j, f in enumerate(flats))
            if best < PLACE_MATCH:
                continue
            side = [w for w in self.cut(sides[j]) if w[0].strip()]
            for i in at:
                word, key, before = words[i][0], words[i][2], words[i - 1][2]
                theirs = [s for s in range(1, len(side)) if side[s - 1][2] == before and self.is_place(side[s][0], side[s][1])]
                own = [s for s in range(len(side)) if side[s][2] == key]
                same = [s for s in theirs if key in side[s][2] or side[s][2] in key]  # 河南 for 河南省
                if theirs and not same and not any(s and side[s - 1][0] in JOINED for s in own):
                    out.append(f"地点：{word}（原文是{side[theirs[0]][0]}）")
        return out

    def named_after(self, words: tuple[tuple[str, str, str], ...], n: int) -> tuple[str, str, str]:
        """The first name within a few words after the nth, in its part (「师从著名外科专家裘法祖」: 裘法祖)."""
        for word, tag, key in words[n + 1 : n + 1 + NAME_REACH]:
            if not key:
                break
            if self.named(word, tag):
                return word, tag, key
        return "", "", ""

    def _sentences(self, text: str) -> tuple[tuple[str, str, tuple[Placed, ...]], ...]:
        """A text's sentences, each flattened, as written, and with the words `keys_of` keeps placed in it (cut part
        by part, as the other checks cut them)."""
        out, words, raw, clause = [], [], "", 0
        for piece in (*re.split(f"({PART.pattern})", strip_markers(text)), "。"):
            if SEGMENT.fullmatch(piece):
                if raw.strip():
                    out.append((flat(raw), raw, tuple(words)))
                words, raw, clause = [], "", 0
                continue
            if CLAUSE_END.fullmatch(piece):
                clause += 1
            elif not PART.fullmatch(piece):
                at = len(raw)
                for word, tag, key in self.cut(piece):
                    if len(key) >= 2 and self.wording(word, key) and not self.named(word, tag):
                        words.append(Placed(word, tag, key, clause, at, at + len(word)))
                    at += len(word)
            raw += piece
        return tuple(out)

    def substituted(self, claim: str, passage: str) -> list[str]:
        """A thing the claim puts where the passage sentence it retells has another, every word from the passage
        (「他主持研制的配网带电作业机器人，大大缩短了……」 where it has 主持研制的可摘取式低压刀闸 and the robot in
        another sentence; 「孩子的父亲不忍心配合」 where the nurse would not): the claim's sentence is the passage
        sentence with a run or two of its words, each in a clause of its own, swapped for words of elsewhere in the
        passage, joined to the same words of the clause in the same way (「的」「从」 or nothing), with a noun on
        each side of a swap. Names of people are left out (who did it is `reassigned`'s business)."""
        plain = flat(passage)
        sides = self.sentences(passage)
        out = []
        for _, raw, found in self.sentences(claim):
            words = [w for w in found if w.key in plain]  # words the passage lacks are the coverage's business
            if not words or not sides:
                continue
            keys = [w.key for w in words]
            text, theirs, side = max(sides, key=lambda s: held(keys, s[0]))
            outside = [i for i, k in enumerate(keys) if k not in text]
            runs = runs_of(outside)
            size, swapped = sum(len(k) for k in keys), sum(len(keys[i]) for i in outside)
            clauses = [words[r[0]].clause for r in runs]
            if not runs or len(runs) > SWAP_RUNS or size - swapped < SWAP_SHARED * size or len(set(clauses)) < len(clauses):
                continue
            for r in runs:
                run = words[r[0] : r[-1] + 1]
                # the words either side of the run in its clause (none at its start or end)
                left = words[r[0] - 1] if r[0] and words[r[0] - 1].clause == run[0].clause else None
                right = words[r[-1] + 1] if r[-1] + 1 < len(words) and words[r[-1] + 1].clause == run[-1].clause else None
                if len(r) > SWAP_WORDS or run[0].clause != run[-1].clause or not (left or right):
                    continue
                if dropped := swapped_for((raw, run), (theirs, side), left, right, keys):
                    out.append(f"换了：{''.join(w.key for w in run)}（原文是{''.join(w.key for w in dropped)}）")
                    break
        return out[:1]

    def exchanged(self, claim: str, passage: str) -> list[str]:
        """Two things that trade places in what the claim retells word for word (「把水缓慢倒入酸中」 where the
        passage has 把酸缓慢倒入水中): the claim's words from the one to the other, the two traded, are the
        passage's, and as the claim has them are not; the words between stay in place."""
        plain = flat(passage)
        out = []
        for part in PART.split(strip_markers(claim)):
            said = flat(part)
            nouns = [k for _, t, k in self.cut(part) if t[0] == "n" and k and said.count(k) == 1]
            for x, y in ((x, y) for x in nouns for y in nouns if said.index(x) < said.index(y)):
                span = said[said.index(x) : said.index(y) + len(y)]
                between = span[len(x) : -len(y)]  # what stays in place (缓慢倒入), not a word turned round (领用危化品)
                if len(between) >= EXCHANGE_BETWEEN and span not in plain and y + between + x in plain:
                    out.append(f"对调：{x}…{y}")
        return out[:1]

    def traded(self, claim: str, passage: str) -> list[str]:
        """Two things the claim gives each other's place, farther apart than `exchanged` reaches (「燃料操作“零缺陷”、换料
        设备“零失误”」 for 燃料操作“零失误”、换料设备“零缺陷”; 「家庭晚上上班，到了白天……」 for 白天上班……到了晚上;
        「追授南丁格尔奖章……最高荣誉白求恩奖章」): the words beside each, with the other in its place, are the passage's,
        and as the claim has them are not."""
        plain = flat(passage)
        out = []
        for sentence in (t for t in SEGMENT.split(strip_markers(claim)) if t.strip()):
            said = flat(sentence)
            things = list(dict.fromkeys(
                k for _, t, k in self.cut(sentence)
                if len(k) >= 2 and t[0] in TRADED_TAGS and k in plain and said.count(k) == 1 and not NUMBER.fullmatch(k)
            ))
            for x, y in ((x, y) for i, x in enumerate(things) for y in things[i + 1 :] if x not in y and y not in x):
                if self.in_place_of(x, y, said, plain) and self.in_place_of(y, x, said, plain):
                    out.append(f"对调：{x}…{y}")
        return out[:1]

    @staticmethod
    def in_place_of(x: str, y: str, said: str, plain: str) -> bool:
        """Whether the words on one side of x in the (flattened) claim go with y in the passage, and not with x."""
        at = said.index(x)
        before, after = said[max(0, at - TRADE_CONTEXT) : at], said[at + len(x) : at + len(x) + TRADE_CONTEXT]
        return any(
            len(side) == TRADE_CONTEXT and (y + side if right else side + y) in plain and (x + side if right else side + x) not in plain
            for side, right in ((before, False), (after, True))
        )

    @staticmethod
    def party(word: str, tag: str) -> bool:
        """Whether a word may be one who does or undergoes a deed: a noun, a pronoun, or a name jieba tags a time
        (周恩来), not a length of time (八小时)."""
        if re.search(rf"[{NUMERAL}\d]", word):
            return False
        if tag == "t":
            return len(word) in (2, 3) and word[0] in SURNAMES and not re.search(r"[时年月日天]$", word)
        return tag[0] in "nrj"

    def parties(self, words: tuple[tuple[str, str, str], ...], m: int) -> tuple[set[str], set[str]]:
        """The keys of who does the mth word, a verb (the nouns right before it, or before 向/对/给 and whom it
        is toward), and of whom or what it is done to (whom it is toward, the nouns right after it)."""
        def group(k: int, step: int) -> tuple[set[str], int]:
            while 0 <= k < len(words) and words[k][1] in MANNER:
                k += step
            found = set()
            # a noun phrase runs on through 、 and 的 (「毛泽东、周恩来」「联盟里的企业」)
            while 0 <= k < len(words) and (self.party(words[k][0], words[k][1]) or words[k][0] in "、和与及的" or words[k][1] == "f"):
                found.add(words[k][2])
                k += step
            return {f for f in found if len(f) >= 2}, k

        doers, k = group(m - 1, -1)
        toward: set[str] = set()
        if k >= 0 and (words[k][0] in TOWARD or words[k][0] in HANDLED):  # 「把作业标准吃透」: what is done to
            toward, (doers, _) = doers, group(k - 1, -1)
        elif k >= 0 and words[k][0] == "被":  # 「他被老校长找到」: who did it comes after 被
            toward = group(k - 1, -1)[0]
        elif k >= 0 and words[k][0] in AT and doers:  # 「外国学者在中国考察」: where, not who
            doers = group(k - 1, -1)[0]
        k = m + 1
        while k < len(words) and words[k][0] in ASPECT:
            k += 1
        if k < len(words) and words[k][0] == "的":  # 「成立的联盟」: what it qualifies, not its object
            return doers, toward
        return doers, toward | group(k, 1)[0]

    def swapped_roles(self, claim: str, passage: str) -> list[str]:
        """Who did it and to whom, swapped (「李四光向毛泽东、周恩来询问」 where 毛泽东、周恩来向他询问; 「主动找到老校长」
        where 老校长找到他): the doer of the verb in the passage part the claim's part retells is whom the claim
        has it done to, and none of the claim's doers. Not deeds done together (合作, 商量)."""
        sides = [t for t in PART.split(passage) if t.strip()]
        flats = [flat(t) for t in sides]
        out = []
        for part in PART.split(claim):
            words = self.cut(part)
            keys = [k for w, _, k in words if k and self.wording(w, k)]
            if sum(len(k) for k in keys) < 4 or not sides or MUTUAL.search(part):
                continue
            best, j = max((held(keys, f), j) for j, f in enumerate(flats))
            if best < REASSIGN_MATCH:
                continue
            side = self.cut(sides[j])
            for m, (word, tag, key) in enumerate(words):
                if not tag.startswith("v") or len(key) < 2:
                    continue
                doers, done_to = self.parties(words, m)
                said = [self.parties(side, n)[0] for n, (_, _, k) in enumerate(side) if k == key]
                # 「生活救助、医疗救助」: one of them is the claim's, or the passage has the verb before that object too
                after = "".join(k for _, _, k in words[m : m + OBJECT_WORDS])
                if any(theirs & doers for theirs in said) or (all(d in after for d in done_to) and after in flats[j]):
                    continue
                for theirs in said:
                    if theirs & done_to:
                        out.append(f"谁对谁：{word}（原文是{'、'.join(sorted(theirs & done_to))}{word}）")
        return out[:1]

    def stood_for(self, claim: str, passage: str) -> list[str]:
        """Someone the claim puts where the passage has 他 or 她 for another (「张广智怀里还紧紧护着……图纸」 where
        「她怀里还紧紧护着……」 is the story's 杨拯陆; 「师傅晃动手机上的挂坠」 for 「他无意中晃动……」): what the claim
        says after the name follows the pronoun in the passage, and the pronoun stands for the story's person (one
        the title names), someone named before it in its sentence, or who the sentence before speaks of first."""
        sentences = [t for t in SEGMENT.split(strip_markers(passage)) if t.strip()]
        plain, out = flat(passage), []
        for part in PART.split(strip_markers(claim)):
            words = [w for w in self.cut(part) if w[2]]
            # the one the part speaks of: its first word, past when (有一次, 1958年)
            i = next((i for i, (_, t, _) in enumerate(words) if t[0] not in "mtdpc"), None)
            if i is None or i + 1 >= len(words):
                continue
            word, tag, key = words[i]
            rest = "".join(k for _, _, k in words[i + 1 :])[:PRONOUN_REST]
            if not (self.named(word, tag) or tag in PERSON) or key not in plain or len(rest) < PRONOUN_REST:
                continue
            for n, sentence in enumerate(sentences):
                for m in PRONOUN.finditer(sentence):
                    # the pronoun opens a part of the passage, as the name opens the claim's
                    if not 0 <= flat(sentence[m.end() :]).find(rest) <= PRONOUN_GAP or flat(PART.split(sentence[: m.start()])[-1]):
                        continue
                    before = self.tagged(sentence[: m.start()])
                    first = next((k for w, t, k in self.tagged(sentences[n - 1]) if self.is_doer(w, t)), "") if n else ""
                    named = {k for w, t, k in (*self.tagged(sentences[0]), *before) if self.is_doer(w, t)}  # the title's too
                    if key not in named | {first}:
                        out.append(f"谁：{word}（原文是{m.group()}）")
        return out[:1]

    def retitled(self, claim: str, passage: str) -> list[str]:
        """A name the claim puts right after a description or a verb the passage puts before another name
        (「特级技师王蕴琦」 where it has 特级技师傅国涛 and 王蕴琦 elsewhere; 「思政专家曾永洪」 where 曾永洪 is a
        劳模; 「师从吴孟超」 where he 师从著名外科专家裘法祖)."""
        plain, words = flat(passage), self.cut(claim)
        named = [
            (before, key, name, own) for (before, _, key), (name, tag, own) in zip(words, words[1:])
            if len(key) >= 2 and self.wording(before, key) and self.named(name, tag) and own in plain and key + own not in plain
        ]
        theirs = self.cut(passage) if named else ()
        out = []
        for before, key, name, own in named:
            others = [
                b for b, t, kb in (self.named_after(theirs, n) for n, (_, _, k) in enumerate(theirs) if k == key)
                if kb and kb != own and not re.search(f"{re.escape(key + kb)}(和|及|与)?{re.escape(own)}", plain)
            ]  # 「劳模王进喜、李建国」: both are 劳模
            if others:
                out.append(f"谁：{before}{name}（原文是{others[0]}）")
        return out

    def word_at(self, text: str, i: int) -> str:
        """The first (0) or last (-1) word of a text, flattened."""
        keys = [k for _, _, k in self.tagged(text)]
        return keys[i] if keys else ""

    def listed(self, claim: str, passage: str) -> list[str]:
        """An item the claim adds to a list the passage gives (「跳绳、高抬腿、健步走和广播体操」 where it lists
        跳绳、高抬腿、健步走): two of the claim's items in the passage, another with not half its characters there."""
        plain = flat(passage)
        out = []
        for part in PART.split(strip_markers(claim)):
            pieces = part.split("、")
            if len(pieces) < 2:
                continue
            firsts = [piece for t in pieces[1:] for piece in re.split(r"以及|和|及|与|或者|或", t, maxsplit=1)]
            # an item is a short piece, or the first word of a longer one (the last word before the first 、)
            items = [self.word_at(pieces[0], -1)] + [flat(t) if len(flat(t)) <= 4 else self.word_at(t, 0) for t in firsts]
            items = [k for k in items if len(k) >= 2]
            # an item reworded (装接地线 for 装设接地线, 喝水 for 喝口水) shares most of its characters with the passage
            new = [k for k in items if sum(c in plain for c in k) < len(k) / 2]
            if new and sum(k in plain for k in items) >= LISTED:
                out.append(f"列举：{new[0]}")
        return out

    def misquoted(self, claim: str, passage: str) -> list[str]:
        """Words the claim puts in another speaker's mouth (「李万君常对徒弟们说，什么活都得有人干」 where his
        father said it; a programme's 劳模工匠 for the one person who 认为 it): the part after 「……说」 is
        retold from a passage part whose sentence names other speakers before its own 「说」."""
        claim_parts = [t for t in PART.split(claim) if t.strip()]
        sentences = [s for s in SEGMENT.split(passage) if s.strip()]
        out = []
        for i, speech in enumerate(claim_parts[:-1]):
            if not SAYS.search(speech.strip()):
                continue
            # who speaks, not whom they advise (「王曙群劝他的师傅」)
            speakers = {k for w, t, k in self.tagged(speech.strip()[: SAYS.search(speech.strip()).start()]) if self.is_doer(w, t)}
            said = [k for w, _, k in self.tagged(claim_parts[i + 1]) if self.wording(w, k)]
            size = sum(len(k) for k in said)
            if not speakers or size < 4:
                continue
            for sentence in sentences:
                sides = [t for t in PART.split(sentence) if t.strip()]
                for j in range(1, len(sides)):
                    if held(said, flat(sides[j])) < FLIP_MATCH:
                        continue
                    before = "，".join(sides[:j])
                    if not any(SAYS.search(t.strip()) for t in sides[:j]):
                        continue
                    theirs = {k for w, t, k in self.tagged(before) if self.is_doer(w, t)}
                    if theirs and not speakers & theirs:
                        out.append(f"谁说的：{speech}")
        return out

    def speaker(self, text: str, before: str = "") -> str:
        """Who speaks in a part that ends by saying so: the first person it names, or, when it opens with
        他 or 她, the first person named before it (「时传祥出席群英会，他握着刘少奇主席的手说」: 时传祥)."""
        if STORY.match(text.strip()) and before:
            return self.first_name(before)
        return self.first_name(text)

    def last_name(self, text: str) -> str:
        """The last person a text names by a surname and a name."""
        return next((k for w, t, k in reversed(self.tagged(text)) if len(k) >= 2 and (t in PERSON or w in self.names) and w[0] in SURNAMES), "")

    def first_name(self, text: str) -> str:
        return next((k for w, t, k in self.tagged(text) if len(k) >= 2 and (t in PERSON or w in self.names)), "")

    def misspoken(self, claim: str, passage: str) -> list[str]:
        """Words the claim gives one named person to say that the passage has another say (「时传祥……，他握着刘少奇
        主席的手说：掏粪工人是人民的勤务员……」 where 刘少奇 said it to him). The speaker of a passage sentence is
        the first person it names before the words said, or the previous sentence's when it opens with 他 or 她."""
        sentences = [s for s in SEGMENT.split(passage) if s.strip()]
        out = []
        for whole in (s for s in SEGMENT.split(claim) if s.strip()):
            parts = [t for t in PART.split(whole) if t.strip()]
            for i, speech in enumerate(parts[:-1]):
                if not SAYS.search(speech.strip()):
                    continue
                theirs = self.speaker(speech, "，".join(parts[:i]))
                said = [k for w, _, k in self.tagged(parts[i + 1]) if self.wording(w, k)]
                if not theirs or sum(len(k) for k in said) < 4:
                    continue
                for n, sentence in enumerate(sentences):
                    sides = [t for t in PART.split(sentence) if t.strip()]
                    j = next((j for j in range(1, len(sides)) if held(said, flat(sides[j])) >= FLIP_MATCH), None)
                    if j is None:
                        continue
                    before = "，".join(sides[:j])
                    own = self.speaker(before, sentences[n - 1] if n else "")
                    if own and own != theirs and theirs not in flat(before):
                        out.append(f"谁说的：{theirs}（原文是{own}）")
        return out

    def holder(self, text: str, passage: str) -> str:
        """Who a view is told as held by, flattened, 他 or 她 read as the story's person (「在很多人眼里」: 很多人)."""
        text = re.sub(r"^(?:在|而|可|但)", "", text.strip())
        return flat(PRONOUN.sub(self.person_of(passage) or "他", text))

    def misheld(self, claim: str, passage: str) -> list[str]:
        """A view or a saying the claim gives to others than the passage does (「人们说他离开生产一线什么都不是」 where
        he says it himself; 「管延安的亲戚觉得……」 for 在很多人眼里): the passage sentence that words what is held best
        says who holds it before it, and the two share no word."""
        segments, flats = sentences_of(passage)
        out = []
        for whole in (t for t in SEGMENT.split(strip_markers(claim)) if t.strip()) if flats else ():
            parts = [t for t in PART.split(whole) if t.strip()]
            for i, part in enumerate(parts):
                m = HOLDS.search(part)
                theirs = self.holder(part[: m.start()], passage) if m else ""
                if not theirs or LISTENERS.search(part[: m.start()]) or STORY.fullmatch(part[: m.start()].strip()):
                    continue
                view = self.keys_of(part[m.end() :] + "，".join(parts[i + 1 :]))
                if sum(len(k) for k in view) < 4:
                    continue
                best, n = max((held(view, f), n) for n, f in enumerate(flats))
                if best < CAUSE_MATCH:
                    continue
                start = min((at for k in view if (at := segments[n].find(k)) >= 0), default=0)
                said = list(HOLDS.finditer(segments[n][:start]))
                if not said:
                    continue
                opened = max(segments[n].rfind(c, 0, said[-1].start()) for c in "，,；;：:") + 1
                own = self.holder(segments[n][opened : said[-1].start()], passage)
                crowd = CROWD.search(own) and CROWD.search(theirs)  # 很多人 for 不少人
                if len(own) >= 2 and not crowd and not any(theirs[c : c + 2] in own for c in range(len(theirs) - 1)):
                    out.append(f"谁说的：{part[: m.start()]}（原文是{segments[n][opened : said[-1].start()]}）")
        return out[:1]

    def undenied(self, claim: str, passage: str) -> list[str]:
        """What the passage denies, told by the claim with no negation in other function words (「把这套操作法当成
        自己的“独门秘籍”」 for 「没有把它当成自己的“独门秘籍”」): every content word after a plain negation, two or
        more, in a part of the claim with no negation nor a word that denies, where no passage part says them all
        without one."""
        denied, said = [], []
        for unit in re.split(r"[，,；;。！？!?：:、]", strip_markers(passage)):
            m = NEGATION.search(unit)
            if not m:
                said.append(flat(unit))
            elif not NEGATION.search(unit[m.end() :]):
                words = [k for w, t, k in self.tagged(unit[m.end() :]) if len(k) >= 2 and self.wording(w, k) and not self.named(w, t)]
                if len(words) >= 2 and sum(len(k) for k in words) >= 4:
                    denied.append(words)
        out = []
        for unit in units_of(claim):
            if NEGATION.search(unit) or LACKING.search(unit):
                continue
            for words in denied:
                if all(k in unit for k in words) and not any(all(k in s for k in words) for s in said):
                    out.append(f"否定：{unit}")
                    break
        return out[:1]

    def stated(self, claim: str) -> tuple:
        """The claim's clauses that state something: the lesson a lecturer draws for the listeners at
        the end (「……，这份劲头值得咱们学习」「……，可见平时的好习惯在关键时刻能救命」) states no fact, and is
        not held against the sentence as long as a stated fact comes before it and it names no known
        person or honour (jieba tags 敬佩 a name)."""
        clauses, texts = self.clauses(claim), CLAUSE.split(claim)
        factual = len(clauses)
        while factual > 1 and (not clauses[factual - 1] or MORAL.search(texts[factual - 1])):
            factual -= 1
        # spoken to the listeners, a lesson runs on past its first clause (「咱们手握方向盘，心里得装着一车人的安全」)
        # while it says nothing of the story's people or numbers
        spoken = next(
            (k for k in range(1, len(texts)) if LISTENERS.search(texts[k]) and not any(self.about_story(t) for t in texts[k:])),
            factual,
        )
        factual = min(factual, spoken)
        moral = [word for words in clauses[factual:] for word, _, _ in words]
        if any(clauses[:factual]) and not any(w in self.names or HONOUR.search(w) for w in moral):
            return clauses[:factual]
        return clauses

    @staticmethod
    def about_story(text: str) -> bool:
        """Whether a clause speaks of the story's people (他、她) or gives a count."""
        return bool(STORY.search(text)) or any(n != "1" or unit in MEASURED_ONE for n, unit in counts_of(text))

    def flipped(self, claim: str, passage: str) -> list[str]:
        """Parts of the claim that negate what the passage's matching part states, or state what it
        forbids (「严禁用氧气通风」 told as 「可以用氧气通风」). The words that negate (并非, 未能) and the names
        are not wording: they would hide the part the claim retells."""
        sides = [t for t in PART.split(passage) if t.strip()]
        flats = [flat(t) for t in sides]
        parts = [t for t in PART.split(claim) if t.strip()]
        out = []
        for i, text in enumerate(parts):
            # who is not what is negated: the passage often has 他 for the name (「自己也从刨工成长为……」)
            keys = [k for w, t, k in self.tagged(text) if self.wording(w, k) and not NEGATOR.fullmatch(k) and not self.named(w, t)]
            size = sum(len(k) for k in keys)
            if size < 4 or not sides:
                continue
            best, j = max((held(keys, side), j) for j, side in enumerate(flats))
            permits = PERMIT.search(text) and not NEGATION.search(text) and PROHIBIT.search(sides[j])
            if best < FLIP_MATCH and not (permits and best >= PERMIT_MATCH):
                continue
            near_claim = "".join(parts[max(0, i - 1) : i + 2])
            if permits or self.denied_anew(text, sides[j], flats) or (
                PROHIBIT.search(sides[j]) and not NEGATION.search(near_claim)
            ):
                out.append(f"否定：{text}")
        return out

    def denied_anew(self, text: str, side: str, flats: list[str]) -> bool:
        """Whether a claim's part negates what the passage part it retells states: the words it negates are
        there, and neither that part nor another one negates them (「……，其实并非后来肝脏手术的底子」 where the
        passage has 「却是后来所有肝脏手术的底子，没有它，……」; 「单位不能约定试用期」 beside 「不得约定试用期」)."""
        text = ASKED.sub("", text)  # 「漏不漏气」 asks, it does not deny
        m = NEGATION.search(text)
        if not m or NEGATION.search(side) or COUNTERFACTUAL.search(side):
            return False
        negated = [k for w, _, k in self.tagged(text[m.end() :]) if len(k) >= 2 and self.wording(w, k) and not NEGATOR.fullmatch(k)]
        keys = [k for w, _, k in self.tagged(text) if len(k) >= 2 and self.wording(w, k) and not NEGATOR.fullmatch(k)]
        return any(k in flat(side) for k in negated) and not any(denies(f, keys) for f in flats)

    def senses(self, text: str) -> Iterator[tuple[tuple[int, int], str, set[str]]]:
        """Each word of opposite sense in the text's parts, as (its pair in OPPOSITES, its pole), with the
        content words near it (what it is said of); none after a negation (「不慢」 agrees with 「快」)."""
        for part in PART.split(text):
            words = [(w, k) for w, _, k in self.tagged(part)]
            tags = [t for _, t, _ in self.tagged(part)]
            for i, (_, key) in enumerate(words):
                found = POLES.get(key) or POLES.get(COMPLEMENT.sub("", key))
                if not found and len(key) == 2 and tags[i].startswith("v"):
                    found = POLES.get(key[1])  # a verb with its result: 装少 is 少 of what is loaded
                if not found or (i and NEGATION.fullmatch(words[i - 1][1])):
                    continue
                near = {
                    k for w, k in words[max(0, i - OPPOSITE_REACH) : i] + words[i + 1 : i + 1 + OPPOSITE_REACH]
                    if len(k) >= 2 and self.wording(w, k)
                }
                for sense in found:
                    yield sense, key, near

    def opposed(self, claim: str, passage: str) -> list[str]:
        """Words the claim says of a thing where the passage says the opposite of it, with no negation
        (「紫铜导热慢」 where it has 导热快; 「接受了转做管理的机会」 where it has 婉拒过 it): a word of one
        pole near a content word the passage has near words of the other pole only."""
        ours = list(self.senses(claim))
        theirs = list(self.senses(passage)) if ours else []
        out = []
        for (pair, side), key, near in ours:
            for thing in near:
                said = {sense: k for sense, k, n in theirs if thing in n}
                if (pair, 1 - side) in said and (pair, side) not in said:
                    out.append(f"反义：{key}（原文是{said[pair, 1 - side]}）")
                    break
        return out

    def unbound_years(self, claim: str, passage: str) -> list[str]:
        """Years the claim ties to an award the passage ties to another year (「2021年，中宣部授予她“时代楷模”」
        where the passage gives 时代楷模 in 2020 and 七一勋章 in 2021): every award the claim names after a
        year, before the next, must share a passage sentence with that year, the last year given before the
        award there (「2019年3月，2018年“大国工匠年度人物”发布」 is no 2019 award). The passage's 「同年」 is
        the year it gave last."""
        text = arabic(claim)
        segments = dated_segments(passage)
        years = list(YEAR.finditer(text))
        out = []
        for k, year in enumerate(years):
            span = text[year.end() : years[k + 1].start() if k + 1 < len(years) else len(text)]
            span = span[: later.start()] if (later := LATER.search(span)) else span
            quoted = [flat(q) for q in QUOTED.findall(span)]
            awards = [q for q in quoted if AWARD.search(q)] + [
                key for words in self.clauses(span) for word, key, _ in words
                if (AWARD.search(word) or (TITLE.search(word) and CONFER.search(span))) and not any(key in q for q in quoted)
            ]
            unbound = [a for a in awards if not any(dated(flat(year.group()), a, s) for s in segments)]
            if unbound:
                out.append(f"{year.group()}…{unbound[0]}")
        return out

    def misdated(self, claim: str, passage: str) -> list[str]:
        """A day the claim gives to what the passage says on another day (「12月2日是全国消防日」 where
        the passage has 11月9日 for it): the claim's part with the date must be retold by a passage
        sentence with that date."""
        segments = dated_segments(passage)
        plain = flat(passage)
        out = []
        for part in PART.split(arabic(unicodedata.normalize("NFKC", claim))):
            for day in DAY.findall(part):
                keys = [k for w, _, k in self.tagged(DAY.sub("", part)) if len(k) > 1 and self.wording(w, k)]
                size = sum(len(k) for k in keys)
                if size < 4 or held(keys, plain) < DATED_MATCH:
                    continue  # words the passage lacks are the coverage's business
                dated = [s for s in segments if flat(day) in s]
                if dated and max(held(keys, s) for s in dated) < DATED_MATCH:
                    out.append(f"日期：{day}")
        return out

    def redated(self, claim: str, passage: str) -> list[str]:
        """A year or a day the claim gives to what the passage tells of at another time (「2019年，林巧稚在北京逝世」
        where she died in 1983 and 2019 is the year of an honour; 「2008年，张桂梅……街头募捐」 where 2008 is the year
        the school opened, told after): the passage sentence that words the claim's part best gives another date, or
        none, and the date the claim gives comes only after it, or before it with another date or a 「后来」 between."""
        segments = dated_segments(passage)
        raw = SEGMENT.split(arabic(unicodedata.normalize("NFKC", strip_markers(passage))))  # as dated_segments splits it
        plain = flat(passage)
        out = []
        for date, text in self.dated_parts(claim):
            keys = [k for w, t, k in self.tagged(text) if len(k) > 1 and self.wording(w, k) and not NUMBER.search(k) and not (self.personal(w, t) and (w in self.names or len(w) <= 3))]  # jieba takes 闻名全国 for a name
            if sum(len(k) for k in keys) < 4 or date not in plain:
                continue
            kind = next(k for k in (YEAR, DAY, AGE) if k.fullmatch(date))
            best = max(held(keys, s) for s in segments)
            tied = [n for n, s in enumerate(segments) if held(keys, s) == best]
            if best < DATED_MATCH or any(date in segments[n] for n in tied):
                continue
            if all(kind.search(segments[n]) or LATER.search(segments[n]) or TIME_OPEN.search(raw[n]) or self.date_before(segments[:n], kind) != date for n in tied):
                out.append(f"日期：{date}")
        return out[:1]

    @staticmethod
    def date_before(segments: list[str], kind: re.Pattern) -> str:
        """The last date of a kind the (flattened) sentences give, which a sentence after them without one goes on in."""
        return next((found[-1] for s in reversed(segments) if (found := kind.findall(s))), "")

    def dated_parts(self, claim: str) -> Iterator[tuple[str, str]]:
        """Each date of the claim (a year, a day of a month, an age) that is the only one of its part, with what the part
        says besides (the next part's words where the part is only the date: 「2019年，……」), flattened."""
        parts = [t for t in PART.split(arabic(unicodedata.normalize("NFKC", strip_markers(claim)))) if t.strip()]
        for i, part in enumerate(parts):
            for kind in (YEAR, DAY, AGE):
                found = kind.findall(flat(part))
                if len(found) != 1:
                    continue
                rest = kind.sub("", part)
                alone = DATE_ONLY.fullmatch(re.sub(r"\s+", "", part)) or AGE_ONLY.fullmatch(re.sub(r"\s+", "", part))
                if alone or not flat(re.sub(r"\d+月|\d+[日号]|[底初春夏秋冬]", "", flat(rest))):
                    rest = parts[i + 1] if i + 1 < len(parts) else ""
                yield found[0], rest

    def reordered(self, claim: str, passage: str) -> list[str]:
        """Steps the claim puts first and then (先…再/然后/后/才, A以后才B, 过去A后来B, 再B最后C) that the
        passage tells the other way round, in whatever words it orders them (「他先用手稳住方向，然后一步一步减速」
        retold as 「先一步步减速……然后才用手稳住方向」; 「……拧下来，再抽出……」 as 「先抽出……再……拧下来」;
        「回国参加辛亥革命以后，才到日本加入了同盟会」): where each step's words are first found in the passage,
        apart from the words both steps share, taken at their median (a title's 核燃料 does not put 燃料棒 first)."""
        plain = flat(passage)
        out = []
        for m in (m for pattern in SEQUENCES for m in pattern.finditer(strip_markers(claim))):
            first, then = ({k for w, _, k in self.tagged(step) if len(k) > 1 and self.wording(w, k) and k in plain} for step in m.group(1, 2))
            first, then = first - then, then - first
            if len(first) < STEP_WORDS or len(then) < STEP_WORDS:
                continue
            if median(plain.find(k) for k in first) > median(plain.find(k) for k in then):
                out.append(f"先后：{m.group(1)[:8]}…{m.group(2)[:8]}")
        return out

    def counted(self, part: str) -> list[str]:
        """What a part counts: its words, not its counts (几天, 多年 are no wording) nor who counted (the person is
        named in the title)."""
        return [
            k for w, t, k in self.tagged(COUNT.sub("", part))
            if len(k) > 1 and self.wording(w, k) and not NUMBER.search(k) and not (t in PERSON or w in self.names)
        ]

    def miscounted(self, claim: str, passage: str) -> list[str]:
        """A count the claim gives to what the passage counts otherwise (「“三进”宣讲不少于100场次」 where
        the talks are 1000场次 and the sports events 100): the passage sentence that words the claim's part
        best counts the same thing with another number."""
        normal = arabic(unicodedata.normalize("NFKC", passage))
        # the title's words are the story's in brief (「……握方向盘二十多年的公交女司机」): a sentence of the story
        # that words the claim's part as well comes first
        segments = [(flat(s), not s.startswith("《"), s) for s in SEGMENT.split(normal) if s.strip()]
        # and clause by clause: 「1956年出席……，1959年被评为劳动模范」 retold with the two years swapped
        clauses = [(flat(s), True, s) for s in PART.split(normal) if s.strip()]
        out = []
        parts = PART.split(arabic(unicodedata.normalize("NFKC", strip_markers(claim))))
        whole = self.counted("，".join(parts))
        for i, part in enumerate(parts):
            for number, unit in counts_of(part):
                if number == "1" or number.startswith("第") or not unit:
                    continue
                keys = self.counted(part)
                if DATE_ONLY.fullmatch(re.sub(r"\s+", "", part)) and i + 1 < len(parts) and not YEAR.search(parts[i + 1]):
                    keys = self.counted(parts[i + 1])  # 「2006年，……」: the date heads the next part
                borrowed = sum(len(k) for k in keys) < 4 and i > 0
                if borrowed:  # 「……吃住在码头，用了十几天才办完清关」: the sentence's part before says where
                    keys = self.counted(parts[i - 1]) + keys
                if sum(len(k) for k in keys) < 4 or not segments:
                    continue
                alone = sum(u == unit for _, u in counts_of(part)) == 1 and not borrowed  # one count of its kind in the part
                for pieces in (segments, clauses) if alone else (segments,):
                    # of pieces that word the part as well (「支付不低于工资……的报酬」 thrice, with 150%, 200%, 300%), the one
                    # that words the rest of the claim best; any of them where that ties too
                    rank = [((held(keys, f), story), held(whole, f), s) for f, story, s in pieces]
                    best, most = max(r[:2] for r in rank)
                    tied = [s for r in rank if r[:2] == (best, most) for s in r[2:]]
                    theirs = {n for piece in tied for n, u in counts_of(piece) if u == unit}
                    if best[0] >= DATED_MATCH and theirs and number not in theirs:
                        out.append(f"数量：{number}{unit}")
                        break
        return out

    def support(self, claim: str, passage: str) -> Support:
        """The hard facts of `claim` (names, numbers, dates, honours, quoted phrases) the passage
        lacks, and the share of the claim's content words (by characters) the passage holds."""
        claim = unicodedata.normalize("NFKC", strip_markers(claim))
        plain = flat(passage)
        missing: list[str] = []
        for m in QUOTED.finditer(claim):
            if flat(m.group(1)) not in plain:
                missing.append(m.group(1))
        counts = counts_of(passage)
        bare = {n for n, _ in counts}
        clock = {("1", "点")} if CLOCK.search(arabic(claim)) else set()  # 凌晨一点 is an hour, not 一点儿
        for number, unit in sorted(counts_of(claim)):
            times = unit == "度" and (number, "次") in counts  # 两度获得 is 两次获得
            first = number == "第1" and unit in FIRST_UNITS and any(n == "第1" and u in FIRST_UNITS for n, u in counts)
            if (number != "1" or unit in MEASURED_ONE or (number, unit) in clock) and (number, unit) not in counts and (number, "") not in counts and not (not unit and number in bare) and not times and not first:
                missing.append(number + unit)
        missing += spans(claim, plain)
        missing += self.unbound_years(claim, passage)
        missing += self.misdated(claim, passage)
        missing += self.redated(claim, passage)
        missing += self.miscounted(claim, passage)
        undated = CN_DIGITS.sub("#", claim), CN_DIGITS.sub("#", passage)  # 一九五一年 names no 五一
        missing += [f"日子：{m.group()}" for day in HOLIDAYS if (m := day.search(undated[0])) and not day.search(undated[1])]
        missing += [f"时候：{m.group()}" for time in DAYTIMES if (m := time.search(claim)) and not time.search(passage)]
        missing += [f"等级：{g}" for g in GRADE.findall(flat(claim)) if g not in plain]
        missing += nominated(claim, passage)
        missing += swapped_order(claim, passage)
        missing += put_later(claim, passage)
        missing += turned_round(claim, passage)
        missing += run_reversed(claim, passage)
        missing += self.reordered(claim, passage)
        missing += resized(claim, passage)
        missing += remeasured(claim, passage)
        missing += renamed(claim, passage)
        missing += self.misplaced(claim, passage)
        missing += widened(claim, passage)
        missing += rescoped(claim, passage)
        missing += unexplained(claim, passage)
        missing += self.singled_out(claim, passage)
        missing += self.reversed_cause(claim, passage)
        missing += self.cause_elsewhere(claim, passage)
        missing += self.purpose_elsewhere(claim, passage)
        missing += self.effect_elsewhere(claim, passage)
        missing += self.generalised(claim, passage)
        missing += self.requantified(claim, passage)
        missing += unhedged(claim, passage)
        missing += made_exact(claim, passage)
        missing += self.flipped(claim, passage)
        missing += affirmed(claim, passage)
        missing += self.undenied(claim, passage)
        missing += self.opposed(claim, passage)
        missing += self.reassigned(claim, passage)
        missing += self.redone(claim, passage)
        missing += self.retitled(claim, passage)
        missing += self.substituted(claim, passage)
        missing += self.swapped_roles(claim, passage)
        missing += self.exchanged(claim, passage)
        missing += self.traded(claim, passage)
        missing += self.stood_for(claim, passage)
        missing += self.listed(claim, passage)
        missing += self.misquoted(claim, passage)
        missing += self.misspoken(claim, passage)
        missing += self.misheld(claim, passage)
        missing += self.honours(claim, plain)
        clauses = self.stated(claim)
        total = covered = 0.0
        weakest = 1.0
        for words in clauses:
            clause_total = clause_covered = 0.0
            for word, key, strict in words:
                # a post may have 的 inside it in the passage (小学校长: 黑虎庙小学的校长)
                inside = key in plain or bool(POST.search(word) and within(key, plain, 1))
                if not inside and strict:
                    missing.append(word)
                clause_total += len(key)
                clause_covered += len(key) if inside else PARTIAL * sum(c in plain for c in key)
            if clause_total >= 4:  # a clause of a word or two says too little to judge alone
                weakest = min(weakest, clause_covered / clause_total)
            total += clause_total
            covered += clause_covered
        return Support(tuple(dict.fromkeys(missing)), covered / total if total else 1.0, weakest)
