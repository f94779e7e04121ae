"""Reading a worker's question the way it was meant: spoken and dialect words, everyday names,
nicknames and misspelt names become the corpus's words before retrieval and the gate.

The mapping is data (`corpus/lexicon.yaml`) that trainers extend; this module only applies it.
"""

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from bot.chat.decide import SAID_ASKED
from bot.errors import LecturerError
from bot.index.corpus import GENERAL, Item, Vocabulary, states_a_spirit

log = logging.getLogger(__name__)
LEXICON_FILE = "lexicon.yaml"
SECTIONS = ("spoken", "terms", "aliases", "industries", "not_trades", "feelings", "doubts")

# What the question asks for, in the order tried (first match wins). Applied after spoken words
# are replaced, so 啥时候 has become 什么时候 and 咋 怎么.
ASKS: tuple[tuple[str, re.Pattern], ...] = (
    # 「叶欣说过啥子话」: someone's own words, said in quotation marks
    ("said", re.compile(SAID_ASKED)),
    ("who", re.compile(r"谁|哪位|哪个人|叫什么名|什么人")),
    ("when", re.compile(r"哪一?年|什么时候|何时|几月|哪天|哪一天|多少年代")),
    ("number", re.compile(r"多少|(?<![好这那前头十])几[个次年天名项位台条岁倍米吨号万千百]|多长|多久|多大|多高|多远|多重|多薄|多厚|多深|多宽|多快|几成")),
    ("origin", re.compile(r"(?<![的子婆公亲妈爸儿女])是?哪里人|哪儿的人|哪的人|老家在|籍贯|家乡在哪")),
    ("where", re.compile(r"哪个(油田|厂|单位|公司|地方|学校|钻井队|队|港|车间|城市|省)|哪家|哪里|哪儿|什么地方|什么单位|哪所")),
    ("why", re.compile(r"为什么|为何|凭什么|原因|怎么回事|咋回事")),
    ("how", re.compile(r"怎么|怎样|如何|咋|办法|步骤|做法|注意|该干|第一步|要带|处理|应该")),
    ("list", re.compile(r"哪些|有什么|有啥|包括|包含|指什么|是指|是什么|什么是|啥是|叫什么")),
)
YES_OR_NO = re.compile(r"要得不|得行不|行不行|行不|能不能|可不可以|可以不|可以吗|行吗|要不要|要紧不|算不算|犯法不|违规不|([\u4e00-\u9fff])不\1")
EXACT_COUNT = re.compile(r"多少|好多|多久|多长|几点|几号|几岁|几年|几天|几次")
# 「老板几个月不发工资 该咋办」: what to do is asked, and 几个月 only says how long it has been
WHAT_TO_DO = re.compile(r"怎么办|怎么整|怎么弄|怎么处理|该怎么|找哪|找谁")
ASKED_COUNT = re.compile(r"多少|好多|多久|多长")
# Questions about attitudes and the spirits: answered with the idea and one story that shows it.
VALUES = re.compile(
    r"精神|意义|放弃|坚持|态度|价值|怎么看待|(你|您|讲师|大家|别人|人家)怎么看|值得|迷茫|想不通|泄气|灰心|没劲|吃苦|奉献|敬业|干一行|爱一行|热爱|初心|"
    r"平凡|普通岗位|出息|光荣|取舍|值不值|有什么用|图什么|不走|学到什么|学习什么|榜样|为什么要去?(学|干|当|做|坚持|吃苦|较真|守|拼|认真|加班|带徒|讲|评)|干好本职|匠心|钻研|创新|传承|带徒|"
    r"较真|差不多就行|凑合|将就|马虎|吃亏|辞职|不想干|混日子|没意思|有什么意思|图个|出路|前途|看不起|瞧不起|丢人|低人一等|"
    r"划不来|跳槽|哪有份|轮不到|坐办公室|出力气|差不多就得|差不多得了|抠那么细|不情愿|想不开|这把年纪|年纪大了|"
    r"学不进去|学得进去|教会徒弟|不干了|想走(?![\u4e00-\u9fff])|想走(?=了|人|算)|混得|太孬|这辈子|一辈子|普工|普通工人|奔头|盼头|换个?工作|改行|转行|孤单|孤独|寂寞|想家|好累|太累了|累得遭不住|撑得到|撑不下去|撑不住|熬不住|扛不住|拖后腿|嫌弃|嫌他|嫌(我|我们)(工资|挣|穷|没|脏|土|老)|"
    r"(我|俺)(就|只|不过)是个|跟我有(啥|什么)关系|关我(啥|什么)事|学.{0,4}干啥|学.{0,4}有啥用|(啥|什么)滋味|"
    r"随便(写|填|勾|签)|改.{0,8}(记录|数据)|(记录|数据).{0,4}改|填合格|弄虚作假|造假|没人(查|看|管)|没有人(查|来查|看)|自己(搞|弄|整|做)错|认错|瞒着|太苦了|累死累活|"
    # tune8: pride hurt, being worn out, innovation left to others
    r"憋屈|不好意思(说|开口)|抬不起头|没面子|咬牙硬撑|硬撑|都在熬|技术员的事|力气活|"
    # tune9: learning late, records filled in roughly
    r"(才|再|现在|这把年纪|岁数|好几了?)[^，。？?]{0,4}(?<!求)学[^，。？?]{0,6}(来不及|来得及)|(差不多|大概|马马虎虎)(填|写|勾)"
)
# 「天津有个供电抢修的班长……画那些有啥子用」: someone described by their deed, whose story answers, not a doubt
DESCRIBED = re.compile(r"有(个|位)[\u4e00-\u9fff]{1,10}的(师傅|班长|司机|工人|劳模|工匠|女工|焊工|钳工|老师|护士|队长|人)")
# 「入工会到底有啥子用」「辞职半年了加班费还要得到不」: a rights or service question, not one about attitudes.
PRACTICAL_MATTER = re.compile(
    r"(?<!出双倍)(?<!几倍)工资(?!又低|太低|不高|低|高|还没|才|比)|加班费|合同|工伤|年休假|年假|休假|带薪|请假|产假|婚假|病假|入会|工会|申请|帮扶|仲裁|社保|补偿|赔偿|开除|辞退|扣钱|扣工资|维权|找哪|找谁|准备什么|要带什么|手续|材料|有没有规定|有没得规定|有规定没|有啥规定|有什么规定|规定(没得|没有|吗)"
)
# A values question is the lecturer's to answer when it is about work: the job, the trade, the team.
WORKLIFE = re.compile(
    r"工作|上班|干活|活路|岗位|班组|班长|工友|同事|师傅|徒弟|带徒|手艺|技术|技能|学历|文凭|读书|干一行|行业|单位|厂|车间|工地|"
    r"加班|进度|工期|安全|质量|帮别人|帮人|吃亏|辞职|跳槽|劳模|工匠|劳动|职工|工人|一线|本职|较真|差不多就行|"
    r"护士|医生|老师|司机|环卫|保洁|外卖|快递|骑手|技校|普工|工序|记录|夜班|电焊|不干了|工资|炉前|井站|"
    r"苦干|累死累活|上了.{0,4}班|扫大街|革新|活干|评先进"
)
HAN = re.compile(r"[\u4e00-\u9fff]")
COINED = re.compile(r"[“\"]([\u4e00-\u9fff]{4,6})[”\"]")


@dataclass(frozen=True)
class Doubt:
    """A worker's doubt the lexicon names, with what answers it."""

    name: str
    talk: str  # words of the spirit talk's paragraph that answers it, or ""
    stories: tuple[tuple[str, str], ...]  # (story id, words of the sentence it is answered by), best first


@dataclass(frozen=True)
class Lexicon:
    """Trainer-curated words: spoken → standard (replaced), everyday → corpus terms (added),
    nicknames → names (added), the words that point to an industry and those that only seem to."""

    spoken: dict[str, str] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    industries: dict[str, tuple[str, ...]] = field(default_factory=dict)
    not_trades: dict[str, str] = field(default_factory=dict)  # 老师傅 holds 老师 and is no teacher
    feelings: dict[str, str] = field(default_factory=dict)  # 「累、熬不住」 → how a values answer opens to them
    # a worker's doubt (「学历不高」) → the words that say it, the stories that answer it (id → words of the
    # sentence told) and the spirit talk's paragraph that does (words of it, or "")
    doubts: dict[str, dict] = field(default_factory=dict)
    # each trade's sub-jobs and their words, as the vocabulary has them (「电客车」: a metro driver, not a bus one)
    jobs: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    @classmethod
    def load(cls, corpus_dir: Path) -> "Lexicon":
        """The lexicon under the corpus directory; none there is an empty one."""
        path = corpus_dir / LEXICON_FILE
        if not path.is_file():
            return cls()
        problems = check_lexicon(path)
        if problems:
            raise LecturerError(f"{LEXICON_FILE} 有误：" + "；".join(problems), f"bad lexicon {path}: {problems}")
        jobs = Vocabulary.load(corpus_dir)[0].jobs
        return cls.from_dict({**(yaml.safe_load(path.read_text(encoding="utf-8")) or {}), "jobs": jobs})

    @classmethod
    def from_dict(cls, data: dict) -> "Lexicon":
        """A lexicon from its YAML or manifest form."""
        return cls(
            spoken={str(k): str(v) for k, v in (data.get("spoken") or {}).items()},
            terms={str(k): str(v) for k, v in (data.get("terms") or {}).items()},
            aliases={str(k): str(v) for k, v in (data.get("aliases") or {}).items()},
            industries={str(k): tuple(map(str, v or ())) for k, v in (data.get("industries") or {}).items()},
            not_trades={str(k): str(v) for k, v in (data.get("not_trades") or {}).items()},
            feelings={str(k): str(v) for k, v in (data.get("feelings") or {}).items()},
            doubts={
                str(name): {
                    "words": str(entry.get("words") or ""),
                    "talk": str(entry.get("talk") or ""),
                    "stories": {str(k): str(v) for k, v in (entry.get("stories") or {}).items()},
                }
                for name, entry in (data.get("doubts") or {}).items()
            },
            jobs=tuple((str(industry), str(job), tuple(map(str, words))) for industry, job, words in data.get("jobs") or ()),
        )

    def doubts_in(self, *texts: str) -> list[Doubt]:
        """The doubts a question says, the one it says first first (「初中没读完 想辞了不干了」: schooling, then quitting)."""
        said = []
        for name, entry in self.doubts.items():
            found = [t.find(w) for t in texts for w in entry["words"].split("、") if w and w in t]
            if found:
                said.append((min(found), Doubt(name, entry["talk"], tuple(entry["stories"].items()))))
        return [doubt for _, doubt in sorted(said, key=lambda s: s[0])]

    @cached_property
    def sub_jobs(self) -> Vocabulary:
        """The sub-jobs as the lessons read them, built once per lexicon."""
        return Vocabulary(jobs=self.jobs)

    def jobs_in(self, industry: str, text: str) -> frozenset[str]:
        """The sub-jobs of the trade a text is about, as the lessons read them (Vocabulary.jobs_in)."""
        return self.sub_jobs.jobs_in(industry, text)

    def for_another_job(self, industry: str, text: str, jobs: frozenset[str]) -> bool:
        """Whether a rule speaks to another of the trade's sub-jobs than `jobs` (「先靠边安全停车……再起步」 is
        the bus driver's, not the metro driver's). What it forbids names what nobody may do, not whose rule
        it is: 「横越线路……严禁钻车底、跳车钩」 is for everyone on the line, though 车钩 is a repairer's word."""
        allowed = FORBIDDING.sub("", text)
        about = self.jobs_in(industry, allowed)
        return bool(jobs and about and not about & jobs)

    def feeling(self, text: str) -> str:
        """How to open to the feeling a question says first (「上夜班太累了」: tiredness), or ""."""
        said = [(text.find(w), opener) for words, opener in self.feelings.items() for w in words.split("、") if w and w in text]
        return min(said, key=lambda found: found[0])[1] if said else ""


FORBIDDING = re.compile(r"(严禁|禁止|不得|不准|不要|不能)[^，。；]*")


def check_lexicon(path: Path) -> list[str]:
    """Every problem in a lexicon file, in Chinese with the line where YAML can say it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return ["不是 UTF-8 编码"]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [f"YAML 格式错误{f'（第 {mark.line + 1} 行）' if mark else ''}，请检查冒号和缩进"]
    if data is None:
        return []
    if not isinstance(data, dict):
        return ["顶层应为 spoken / terms / aliases / industries 几个部分"]
    problems = [f"未知部分「{k}」" for k in data if k not in SECTIONS]
    for section in SECTIONS:
        value = data.get(section)
        if value is None:
            continue
        if not isinstance(value, dict):
            problems.append(f"「{section}」应为「词: 说法」的映射")
            continue
        for key, target in value.items():
            if not isinstance(key, str) or not key.strip():
                problems.append(f"「{section}」里有空的词条")
            elif section == "doubts":
                problems += _doubt_shape(key, target)
            elif section == "industries":
                if not (isinstance(target, list) and all(isinstance(t, str) and t.strip() for t in target)):
                    problems.append(f"industries 的「{key}」应为词语列表")
            elif not isinstance(target, str) or not target.strip():
                problems.append(f"「{section}」的「{key}」缺少对应的说法")
    return problems


def _doubt_shape(name: str, entry) -> list[str]:
    """What is wrong with one doubt's entry: words, and stories (id: words of a sentence), a talk or both."""
    if not isinstance(entry, dict):
        return [f"doubts 的「{name}」应包含 words 和 stories"]
    problems = [f"doubts 的「{name}」有未知的一项「{k}」" for k in entry if k not in ("words", "stories", "talk")]
    if not isinstance(entry.get("words"), str) or not entry["words"].strip():
        problems.append(f"doubts 的「{name}」缺少 words（工友会说的词，用“、”隔开）")
    stories = entry.get("stories", {})
    if not isinstance(stories, dict) or not all(isinstance(v, str) and v.strip() for v in stories.values()):
        problems.append(f"doubts 的「{name}」的 stories 应为「故事 id: 故事里的一句原文」")
    if "talk" in entry and not (isinstance(entry["talk"], str) and entry["talk"].strip()):
        problems.append(f"doubts 的「{name}」的 talk 应为一段原文")
    if not stories and not entry.get("talk"):
        problems.append(f"doubts 的「{name}」至少要有 stories 或 talk")
    return problems


def doubt_problems(lexicon: Lexicon, items: Iterable[Item]) -> list[str]:
    """Each doubt's stories exist and say the words given; its talk is said by a spirit course."""
    by_id = {i.id: i for i in items}
    talks = "".join(i.body for i in by_id.values() if states_a_spirit(i))
    problems = []
    for name, entry in lexicon.doubts.items():
        for story_id, words in entry["stories"].items():
            item = by_id.get(story_id)
            if item is None or item.kind != "story":
                problems.append(f"doubts 的「{name}」：没有 id 为 {story_id} 的故事")
            elif words not in item.body:
                problems.append(f"doubts 的「{name}」：故事 {story_id} 正文里没有「{words}」")
        if entry["talk"] and entry["talk"] not in talks:
            problems.append(f"doubts 的「{name}」：精神课正文里没有「{entry['talk']}」")
    return problems


@dataclass(frozen=True)
class Understood:
    """A question as the lecturer reads it."""

    original: str
    text: str  # spoken words replaced and misspelt names corrected
    expansions: tuple[str, ...] = ()  # corpus terms and names the question refers to in other words
    mapped: tuple[str, ...] = ()  # the question's own words the lexicon knows (冲床, 炉子边): not unknown words
    asks: str = "other"  # who | when | number | where | why | how | list | other
    values: bool = False  # about attitudes or the spirits
    worklife: bool = False  # and about work: the lecturer's to answer with an idea and a story
    persons: tuple[str, ...] = ()  # corpus people the question names
    industry: str | None = None  # the trade the question is about, if it says

    @property
    def unnamed(self) -> str:
        """The question without the names it mentions (胡双钱's 钱 is not money)."""
        text = self.text
        for person in self.persons:
            text = text.replace(person, "他")
        return text

    @property
    def query(self) -> str:
        """What retrieval searches for."""
        return " ".join([self.text, *self.expansions]) if self.expansions else self.text


GAP = "…"  # in a lexicon word, a few characters of anything: 「欠…工资」 is said 「欠我们三个月工资」
GAP_CHARS = 6


def said_in(word: str, text: str) -> tuple[str, ...]:
    """The pieces of a lexicon word the text says, in order (a word with … may have a few characters
    between its pieces); empty when it does not say it."""
    if GAP not in word:
        return (word,) if word in text else ()
    pieces = tuple(p for p in word.split(GAP) if p)
    pattern = f".{{0,{GAP_CHARS}}}".join(re.escape(p) for p in pieces)
    return pieces if pieces and re.search(pattern, text) else ()


class Reader:
    """Applies a lexicon, and the names of the people in the committed items, to questions."""

    def __init__(self, lexicon: Lexicon, items: Iterable[Item]) -> None:
        self.lexicon = lexicon
        self.spoken = sorted(lexicon.spoken.items(), key=lambda kv: -len(kv[0]))
        self.persons = sorted(
            {p.strip() for item in items if item.kind == "story" for p in re.split(r"[、，,]", item.person) if p.strip()},
            key=len,
            reverse=True,
        )
        self.industries = {i.industry for i in items if i.industry != GENERAL}
        # 非机动车 names no railway for holding 动车: the lexicon's own longer words are masked first.
        known = {*(k for k in lexicon.terms if GAP not in k), *lexicon.aliases, *(t for v in (*lexicon.terms.values(), *lexicon.aliases.values()) for t in v.split())}
        trade_words = {w for words in lexicon.industries.values() for w in words} | self.industries
        self.compounds = sorted(
            ((k, masked) for k in known if (masked := _masked(k, trade_words)) != k), key=lambda c: len(c[0]), reverse=True
        )
        # The material's own coinages in quotes (理响青工, 振超效率) are misheard like names: 李响青工.
        coined = {m for i in items for m in COINED.findall(f"{i.title}{i.summary}{i.body}")}
        # So are a trade's longer words (接处网 for 接触网); its two-character ones are too common to guess at.
        trades = sorted({w for words in lexicon.industries.values() for w in words if len(w) >= 3})
        self.sounds = {name: _sounds(name) for name in [*self.persons, *sorted(coined), *trades] if len(name) >= 2}
        self.trade_words = frozenset(trades)

    def read(self, question: str) -> Understood:
        """Replace spoken words, correct names, add the corpus's words for what the question means."""
        text = question
        for word, standard in self.spoken:
            text = text.replace(word, standard)
        text = self.correct_names(text)
        expansions: list[str] = []
        mapped: list[str] = []
        for source in (self.lexicon.terms, self.lexicon.aliases):
            for word, target in source.items():
                if found := said_in(word, text):
                    mapped.extend(found)
                    expansions.extend(t for t in target.split() if t not in text and t not in expansions)
        mapped += [w for words in self.lexicon.industries.values() for w in words if w in text]
        joined = " ".join([text, *expansions])
        named = [p for p in self.persons if p in joined]
        # 王进 is not named where only 王进喜 is: a name inside a longer named one does not count.
        persons = tuple(p for p in named if not any(p != q and p in q and q in joined for q in named))
        # 「用拖拉机拉几个人去田头 要得不嘛」: 几个 is 「a few」 where the question asks yes or no
        loose = YES_OR_NO.search(text) and not EXACT_COUNT.search(text) or WHAT_TO_DO.search(text) and not ASKED_COUNT.search(text)
        asks = next((name for name, pattern in ASKS if pattern.search(text) and not (name == "number" and loose)), "other")
        return Understood(
            original=question,
            text=text,
            expansions=tuple(expansions),
            mapped=tuple(mapped),
            asks=asks,
            values=bool(VALUES.search(text)) and not persons and not PRACTICAL_MATTER.search(text) and not DESCRIBED.search(text),
            worklife=bool(WORKLIFE.search(text)),
            persons=persons,
            industry=self.industry_of(joined),
        )

    def industry_of(self, text: str) -> str | None:
        """The one industry the text names (or points to through its words), else None."""
        for compound, masked in self.compounds:
            text = text.replace(compound, masked)
        for word in self.lexicon.not_trades:
            text = text.replace(word, " " * len(word))
        found = {i for i in self.industries if i in text}
        for industry, words in self.lexicon.industries.items():
            if industry in self.industries and any(w in text for w in words):
                found.add(industry)
        return found.pop() if len(found) == 1 else None

    def correct_names(self, text: str) -> str:
        """A person's name, a coinage of the material or a trade's word, written with a character that
        sounds the same (许振朝 → 许振超, 李响青工 → 理响青工, 接处网 → 接触网)."""
        for person in self.persons:
            # 「叫时啥子祥」: the character in the middle forgotten (啥子 has become 什么)
            if len(person) == 3 and (forgot := f"{person[0]}什么{person[2]}") in text:
                log.info("name completed: %s -> %s", forgot, person)
                text = text.replace(forgot, person)
        if not self.sounds:
            return text
        for name, sounds in self.sounds.items():
            if name in text:
                continue
            size = len(name)
            for start in range(len(text) - size + 1):
                window = text[start : start + size]
                if window[0] != name[0] and window[1:] != name[1:]:
                    continue  # keep either the surname or the given name as written
                if sum(a != b for a, b in zip(window, name)) != 1 or not all(HAN.fullmatch(c) for c in window):
                    continue
                if name in self.trade_words and _a_word(window):
                    continue  # 煤气罐 is a word of its own, not a misspelt 煤气管
                if all(s & t for s, t in zip(_sounds(window), sounds)):
                    log.info("name corrected: %s -> %s", window, name)
                    text = text[:start] + name + text[start + size :]
                    break
        return text


def _a_word(text: str) -> bool:
    import jieba

    jieba.initialize()
    return bool(jieba.dt.FREQ.get(text))


def _masked(word: str, trade_words: set[str]) -> str:
    """The word with the trades' words it holds only inside a dictionary word of its own blanked out:
    动车 in 非机动车 (inside 机动车); not 燃气 in 燃气泄漏 or 农药 in 打农药. A trade's own word (国家电网,
    listed under 电力) is left whole."""
    import jieba

    if word in trade_words:
        return word
    jieba.initialize()
    for w in trade_words:
        at = word.find(w)
        if at <= 0 or w == word:
            continue
        # a dictionary word that starts before the trade's word and takes it in, short of the whole word
        inside = any(jieba.dt.FREQ.get(word[a:b]) for a in range(at) for b in range(at + len(w), len(word) + 1) if b - a < len(word))
        if inside:
            word = word[:at] + " " * len(w) + word[at + len(w) :]
    return word


@lru_cache(maxsize=4096)
def _sounds(text: str) -> tuple[frozenset[str], ...]:
    """Each character's possible readings without tones (heteronyms included: 朝 is zhao and chao)."""
    from pypinyin import Style, pinyin

    return tuple(frozenset(r) for r in pinyin(text, style=Style.NORMAL, heteronym=True, errors=lambda c: [c]))
