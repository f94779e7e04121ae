"""Follow-ups: 「他后来呢」「第三条是啥意思」「还有别的吗」「那电力行业呢」, resolved against the
earlier turns of the conversation; with nothing to resolve against, the lecturer asks back."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.chat.citations import plain_sentences
from bot.errors import LecturerError

MAX_TURNS = 20  # only the latest turns matter for a follow-up; the rest is ignored
# A pronoun as the subject of a clause: 「他带徒弟没」「除了那个 他还搞了啥」, not 「跳下去拉他」.
PRONOUN = re.compile(r"(^|[\s，,。？?！!]|除了(那个|这个|这些|那些))(那么?|那个|还有|再|所以|然后)?(他|她|他们|她们|这位|那位|此人|这个人|这人|其)(?![们]?[？?]?$)")
HE_OR_SHE = re.compile(r"[他她]")  # anywhere: a follow-up only while someone is being talked about
# 「那个师傅当年咋个没跑」: someone the conversation named (with none named, the lecturer asks who).
THAT_ONE = re.compile(r"^(那|这)(个|位)(师傅|老师傅|劳模|工匠|大姐|人)")
BESIDES = re.compile(r"除了|还[有干做搞]|别的|其他|其它")  # 「他还干了啥」: what was not said yet
# 「这个要注意啥」 leans on the last answer; 「那个焊工劳模叫啥」 names something new.
DEMONSTRATIVE = re.compile(r"^(那么?)?(这个|那个|这件事|这事|那件事|这些|那些|它|这|该)(要|是|怎|咋|啥|什|为|有|能|会|可|该|呢|吗|具|再|还|到底|指|说|讲|[？?]|$)")
# 「那三个零是哪三个」「这两条咋个理解」: so many things the last answer named
COUNTED_BACK = re.compile(r"^(那|这)(几|[两二三四五六七八九十]{1,2})(个|条|点|句|样|件|种|项|招|步|大)")
LATER = re.compile(r"^(那|那么)?(他|她|他们|她们|这个人|这位)?(后来|之后|再后来|最后|后面|后头)(呢|怎么样|咋样|如何|怎样|干了什么|又|做了什么)")
# 「还有类似的吗 也是搞环卫的」: another like it, of the kind the rest of the question says.
MORE = re.compile(
    r"^(那|那么)?(还有|还有没有|还有没得|有没有|有没得)(别的|其他|其它|别人|另外)?(的)?(吗|呢|没有|没得|例子|故事|人)?[？?]?$|"
    # 「还有没得别的老师的故事」: another story of a kind (the kind is left in the question)
    r"别的(故事|例子|人)|(别的|其他|其它|另外)(?=[^，。？?\s]{0,6}(故事|例子|(劳模|工匠)(?!精神)))|再(讲|说|来)(一个|一篇|个)|^(那|那么)?(还有|还有没有|有没有)(类似|差不多|这样)的?(吗|呢|没有)?[？?]?(\s|$)"
)
DETAIL = re.compile(
    r"(再|讲|说)(细|详细|具体)(一)?(点|些)|展开(讲|说)|详细(讲|说)|多讲(点|些)|具体(讲讲|说说|点|些)|然后呢|接着(讲|说)|"
    # 「还有没得别的办法」: more of what answers the question just asked, not another story
    r"^(那|那么)?(还有|有没有|还有没有|还有没得|有没得)(别的|其他|其它|啥|什么)?(好)?(办法|路子|法子|招|途径|渠道|门路)(吗|呢|没有|没得|不)?[？?]?$|"
    # On its own, a bare why / how / for example asks more about what was just said.
    r"^(那|那么)?(为什么|怎么回事|怎么办|怎么做|举个例子|比如说?|有什么例子)(呢|啊|嘛|吧|没有)?[？?！!。]?$"
)
# 「那跟他同一个油田的另外一个劳模呢」「那另外两种精神呢」: someone or something besides what was told.
# not 「她那次遭寒潮是咋回事 还有其他人不」: whether others were with her (workers' trial 11)
ANOTHER = re.compile(r"(另外|别的|其他|其它)(一|两|二|几)?(个|位|种|名)?(劳模|人(?![不没])|工匠|师傅|精神|故事|例子)|(另外|别的|其他|其它)(一|两|二|几)(个|位|种|名)")
NTH = re.compile(r"第([一二三四五六七八九十两\d]+)(条|点|个|句|项|步|招|对|种|部分)")
SWITCH = re.compile(r"^(那|那么)(.{1,8}?)(行业|的|那边|方面)?(呢|咋样|怎么样|怎么说|如何)[？?]?$|^()(.{1,8}?)(行业)?呢[？?]?$")
# 「我说的是地铁站务员 不是开公交的」「不是问电工 是问焊工」「搞错了 我问的是北京21路卖票那个」「我问的不是护士 是
# 我们医生……」「我不是油田的 我在钢厂」: the last question again, about what the worker meant.
WRONG_LEAD = r"(?P<lead>(?:不是|不对|搞错了|弄错了|说错了|错了|搞混了|搞反了)[^，,。？?！!\s]{0,12}?[，,\s]*)"
MEANT_END = r"(?:的那个|的那位|那个|那位|的|啊|哈|嘛)?(?=[，,。！!？?\s]|$|不是)"
CORRECTION = re.compile(
    rf"^{WRONG_LEAD}?(?:我|俺)?想?(?:说|问|讲|找|是说|是问)的(?:其实)?是(?P<meant>[^，,。？?！!\s]{{2,18}}?){MEANT_END}|"
    r"^不是(?:说|问)?[^，,。？?！!\s]{1,10}[，,\s]*(?:我说的是|我问的是|是说|是问|而是|是)(?P<also>[^，,。？?！!\s]{2,10}?)(?:的|啊|哈|嘛)?[。！!]?$|"
    rf"^(?:我|俺)?想?(?:说|问|讲)的不是[^，,。？?！!\s]{{1,12}}[，,\s]*(?:而是|是)(?P<other>[^，,。？?！!\s]{{2,20}}?){MEANT_END}|"
    r"^(?:我|俺)不是(?:干|搞|开|在)?[^，,。？?！!\s]{1,8}?的?[，,\s]+(?:我|俺)(?:是|在|干|搞|开)(?P<trade>[^，,。？?！!\s]{2,10}?)"
    r"(?:的|上班|工作|干活)?(?=[，,。！!？?\s]|$)"
)
PLAIN_MEANT = 10  # without a word that says the last answer was wrong, a longer 「我说的是……」 is a statement
NEGATED = re.compile(r"^[，,\s]*不是(?:说|问)?[^，,。？?！!\s]{1,10}")  # 「不是公交车」: what was not meant
# Words that ask something: a part of a two-part question, or what a correction asks next.
ASKING = re.compile(
    r"[？?]|吗|呢|啥|什么|咋|怎么|怎样|如何|哪|几|多少|好多|好久|是不是|要不要|能不能|可不可以|得行不|要得不|[\u4e00-\u9fff]得不(?![\u4e00-\u9fff])|行不行|([\u4e00-\u9fff])不\1|"
    r"(?:[过了]|还在)[\u4e00-\u9fff]{0,6}(?:没有|没得|莫得)$"  # 「他读过书没得」「还在开车没得」
)
ASKED_ANEW = 4  # characters the rest of a correction needs to ask something of its own
NOT_MEANT = re.compile(r"真|假|对|实话|这|那|开玩笑|气话|.*(啥|什么|咋|怎么|吗|多少|好多|哪)")  # 「我说的是真的」 corrects nothing; 「我问的是加班费咋算」 asks anew
NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@dataclass(frozen=True)
class Message:
    """One turn of a conversation, as the chat and the API send it."""

    role: str  # user | assistant
    content: str


@dataclass(frozen=True)
class FollowUp:
    """What a follow-up refers to."""

    kind: str  # pronoun | later | more | detail | nth | switch
    nth: int = 0
    unit: str = ""  # what the n-th counts: 条, 步, 对 (a pair of a list said in pairs)
    subject: str = ""  # for a switch: what to ask the previous question about instead
    asked: str = ""  # for a correction that asks anew (「我说的是地铁站 不是公交车 地面湿滑要放啥子警示」): what it asks
    corrects: bool = False  # the worker said the last answer was about the wrong one


@dataclass(frozen=True)
class Context:
    """What the earlier turns leave for the next question."""

    previous: str = ""  # the last question that stood on its own
    person: str = ""  # the person last talked about
    said: tuple[str, ...] = ()  # sentences the lecturer has already said
    last_answer: str = ""
    titles: tuple[str, ...] = field(default_factory=tuple)  # 《titles》 named in the last answer


def text_of(content: object) -> object:
    """A message's words: Gradio gives content as parts ([{"type": "text", "text": ...}])."""
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return content


def parse_history(raw: object) -> tuple[Message, ...]:
    """Validate a history: a list of {"role": "user"|"assistant", "content": str}; Gradio's own
    message dicts (with metadata, or content given as parts) are accepted too."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise LecturerError("对话历史格式不对：应为消息列表。", f"history is {type(raw).__name__}")
    out: list[Message] = []
    for i, message in enumerate(raw[-4 * MAX_TURNS :]):
        if not isinstance(message, dict):
            message = getattr(message, "__dict__", None) or {}
        role, content = message.get("role"), message.get("content")
        if role not in ("user", "assistant"):
            raise LecturerError(
                f"对话历史第 {i + 1} 条的 role 应为 user 或 assistant。", f"history[{i}].role={role!r}"
            )
        content = text_of(content)
        if not isinstance(content, str):
            continue  # files and components carry no words to follow up on
        metadata = message.get("metadata") or {}
        if isinstance(metadata, dict) and metadata.get("title"):
            continue  # a citation card: the answer itself carries what was said
        out.append(Message(role, content))
    return tuple(out)


# What 「再讲细点」 says besides asking for more: 「再讲细点，他给自己定了些啥规矩」 names its detail.
DETAIL_CUE = re.compile(r"(再|讲|说)?(细|详细|具体)(一)?(点|些)|展开(讲|说)|多讲(点|些)|[他她]|什么|怎么|[，,。？?！!\s]")
NAMED_DETAIL = 4  # this many characters of its own beside the cue say what the detail is about


def names_its_detail(question: str) -> bool:
    """Whether a 「再讲细点」 follow-up also says what it wants told."""
    return len(re.findall(r"[\u4e00-\u9fff]", DETAIL_CUE.sub("", question))) >= NAMED_DETAIL


# 「怀孕了老板想辞我 他能这样搞不」: the 他 is someone the question itself named.
# 「宗伟是干啥子的 他们学校……」: the question first asks who someone is, then says 他.
ASKED_ABOUT = re.compile(r"^[\u4e00-\u9fff]{2,4}是(干|做|谁|哪|什么)")
ANTECEDENT = re.compile(
    r"老板|领导|班长|组长|队长|师傅|工友|同事|老公|丈夫|老婆|妻子|爱人|孩子|儿子|女儿|父亲|母亲|爸|妈|医生|护士|司机|经理|"
    r"主任|单位|公司|厂里|工头|包工头|徒弟|乘客|病人|患者|学生|家长|邻居|朋友"
)


def _antecedent(question: str) -> bool:
    """Whether someone the question names comes before its first 他/她."""
    at = re.search(r"[他她]", question)
    return bool(at and (ANTECEDENT.search(question[: at.start()]) or ASKED_ABOUT.search(question[: at.start()])))


def corrected(question: str) -> tuple[str, str, bool] | None:
    """What a correction says was meant, what it goes on to ask and whether it says the last answer was
    wrong (「搞错了」「不是……」), or None if it corrects nothing."""
    m = CORRECTION.search(question)
    if not m:
        return None
    subject = m["meant"] or m["also"] or m["other"] or m["trade"]
    if NOT_MEANT.match(subject) or m["meant"] and not m["lead"] and len(subject) > PLAIN_MEANT:
        return None
    return subject, NEGATED.sub("", question[m.end() :]).strip(" ，,。"), not (m["meant"] and not m["lead"])


def switched_to(subject: str, rest: str, wrong: bool) -> FollowUp:
    """The previous question about what was meant, or what the correction asks next about it."""
    asked = rest if len(re.findall(r"[\u4e00-\u9fff]", rest)) >= ASKED_ANEW and ASKING.search(rest) else ""
    return FollowUp("switch", subject=subject, asked=asked, corrects=wrong)


def follow_up(question: str, persons: Iterable[str], industries: Iterable[str]) -> FollowUp | None:
    """How the question leans on earlier turns, or None if it stands on its own."""
    q = question.strip()
    named = any(p in q for p in persons)
    meant = corrected(q)
    if meant and meant[2] and not named:  # 「搞错了 我问的是北京21路卖票那个 她那个热线……」: not a 她 follow-up
        return switched_to(*meant)
    if m := NTH.search(q):
        n = NUMERALS.get(m.group(1)) or (int(m.group(1)) if m.group(1).isdigit() else 0)
        first_step = n == 1 and m.group(2) == "步"  # 「第一步找哪个」: where a procedure starts
        if n and len(q) <= 24 and not named and not first_step:
            return FollowUp("nth", nth=n, unit=m.group(2))
    if LATER.search(q) and not named:
        return FollowUp("later")
    if MORE.search(q) or ANOTHER.search(q) and not named and len(q) <= 24:
        return FollowUp("more")
    if DETAIL.search(q) and len(q) <= 16:
        return FollowUp("detail")
    pointing = DEMONSTRATIVE.search(q) or THAT_ONE.search(q) or COUNTED_BACK.search(q)
    if (PRONOUN.search(q) and not _antecedent(q) or pointing) and not named and len(q) <= 30:
        return FollowUp("pronoun")
    if meant and not named:
        return switched_to(*meant)
    if m := SWITCH.search(q):
        subject = (m.group(2) or m.group(6) or "").strip()
        if subject and (any(i in subject or subject in i for i in industries) or m.group(1)):
            return FollowUp("switch", subject=subject)
    return None


# A list after a colon, its points apart by 、 (the last by 和): 「措施：停电、验电、装设接地线和装设遮栏。」
INLINE_LIST = re.compile(r"[：:](?P<points>[^，。；：:、]{1,12}(?:、[^，。；：:、]{1,12}){1,}(?:(?:和|及)[^，。；：:、]{1,12})?)[。；]")
PAIRED_LIST = re.compile(r"[：:](?P<points>[^，。；：:、]{1,8}、[^，。；：:、]{1,8}(?:，[^，。；：:、]{1,8}、[^，。；：:、]{1,8})+)[。；]")
SUBTITLE = re.compile(r"《([^》：:]*)[：:][^》]*》")


def context(history: tuple[Message, ...], persons: Iterable[str], standalone) -> Context:
    """The previous standalone question, the person last talked about and what was said."""
    persons = list(persons)
    previous, person, said, last_answer = "", "", [], ""
    for message in history:
        if message.role == "assistant":
            said.extend(plain_sentences(message.content))
            last_answer = message.content
        elif standalone(message.content):
            previous = message.content
        # The person named last, in the question or in the answer's opening line.
        # A title's subtitle may name someone else (《李萌：退伍女兵走进时传祥所……》): only its head counts.
        text = message.content if message.role == "user" else SUBTITLE.sub(r"《\1》", message.content.split("\n", 1)[0])
        if message.role == "user" and (meant := corrected(text)) and meant[2]:
            person = ""  # 「不是这个 我说的是开地铁的」: whom the last answer told is not whom 「他后来呢」 asks about
        found = [(text.rfind(p), p) for p in persons if p in text]
        if found:
            person = max(found)[1]
    titles = tuple(re.findall(r"《([^》]+)》", last_answer.split("\n", 1)[0]))
    return Context(previous, person, tuple(said), last_answer, titles)


def nth_point(answer: str, n: int, units: Iterable[str] = (), pairs: bool = False) -> str:
    """The n-th point of an answer: the sentence that says 第n; else the item's own n-th point
    (「第四步呢」 after an answer that stopped at the second: 「四是……」 of the item discussed); else the
    answer's n-th sentence."""
    sentences = plain_sentences(answer)
    numeral = "一二三四五六七八九十"[n - 1] if n <= 10 else str(n)
    ordinal = re.compile(rf"^(第{numeral}(?![十百])|{n}[、.．]|{numeral}是)")
    found = [s for s in sentences if ordinal.match(s)]
    if found:
        return found[0]
    # 「第二对咋个理解」 after 「……概括为二十四个字：爱岗敬业、争创一流，艰苦奋斗、勇于创新，……」: pairs
    for s in sentences if pairs else ():
        if (listed := PAIRED_LIST.search(s)) and len(groups := listed["points"].split("，")) >= n:
            return groups[n - 1]
    # 「第二条啥意思」 after 「……技术措施：停电、验电、装设接地线……」: the list said within one sentence
    for s in sentences:
        if (listed := INLINE_LIST.search(s)) and len(points := re.split(r"、|和|及", listed["points"])) >= n:
            return points[n - 1]
    found = [u for u in units if ordinal.match(u)]
    if found:
        return found[0]
    if not sentences:
        return ""
    body = [s for s in sentences[1:] if not s.startswith("讲师点评")] or sentences
    return body[n - 1] if n <= len(body) else ""
