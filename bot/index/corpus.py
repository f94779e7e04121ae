"""Load and validate the curated material in corpus/: one Markdown file per item."""

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

MAX_FILE_BYTES = 1_000_000
KINDS = ("story", "course")
STATUSES = ("approved", "draft", "retired")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.S)

# field -> (type, required for stories, required for courses)
FIELDS: dict[str, tuple[type, bool, bool]] = {
    "id": (str, True, True),
    "kind": (str, True, True),
    "title": (str, True, True),
    "person": (str, True, False),
    "honours": (list, True, False),
    "employer": (str, True, False),
    "industry": (str, True, True),
    "region": (str, True, False),
    "year": (int, True, False),
    "themes": (list, True, True),
    "summary": (str, True, True),
    "lesson": (str, True, True),
    "questions": (list, True, True),
    "source": (str, True, True),
    "status": (str, True, True),
    "asked": (list, False, False),
}
NOT_ITEMS = {"README.md"}
VOCABULARY_FILE = "vocabulary.yaml"
# A course section under this heading is what a team leader says around a lesson's story (a spirit in
# plain words to the team): lessons read it aloud; the chat never searches it, and quotes a spirit
# course's only after the idea that course states, for a question about values.
LESSON_TALK = "班前说一说"
# The spirits a course may state; a course themed with nothing else states one (not a programme
# that mentions one): its idea and its talk answer questions about values.
SPIRITS = ("劳模精神", "劳动精神", "工匠精神", "爱岗敬业")
# Words of a story or a talk addressed to its listeners (「今天我们开公交……」「学叶欣，咱们要学……」).
ADDRESSES_LISTENERS = re.compile(r"我们|咱们")
# Safety points of one sub-job each: read in lessons to its teams, never searched (another trade's point
# would win an item by a shared word), but quoted from the course the question found (「折返换端有啥子要注意的」
# hears the metro drivers' point, not the bus drivers' general ones).
SUB_JOB_POINTS = "分岗位安全要点"
JOB_SPIRIT = "岗位上的精神"  # a safety course's words on the spirit of the job: lessons link the story to the job with them
LESSON_ONLY = (LESSON_TALK, SUB_JOB_POINTS)  # sections read aloud in lessons, never searched
SAFETY_THEME = "安全生产"  # the theme of the trades' safety courses
GENERAL = "通用"  # the industry of what is for every trade
REMINDER = "班前提醒"  # a course's words to a team before the shift: 「各位工友，今天……」
PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|"
    "云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆"
)
NOT_PLACES = re.compile(r"自治[州县区旗]|新区")  # parts of a region that name no place of their own


def region_places(region: str) -> tuple[str, list[str]]:
    """A region's province and the places after it: 新疆克孜勒苏柯尔克孜自治州乌恰县 → 新疆, [克孜勒苏柯尔克孜, 乌恰县]."""
    province = re.match(rf"({PROVINCES})(省|市|自治区)?", region)
    rest = region[province.end():] if province else region
    return (province.group(1) if province else ""), [p for p in NOT_PLACES.split(rest) if p]

# Safety advice that belongs to a season: its name, the words that mark it, the months it may be given
# in unless the vocabulary's climate says otherwise, and whether a text naming it is held to those
# months even when it names another season too (heat and ice are never said out of their season).
SEASONS: tuple[tuple[str, re.Pattern, frozenset[int], bool], ...] = (
    ("炎热", re.compile(r"高温天气|防暑|中暑|酷暑|暑期|夏季|暴晒"), frozenset(range(6, 10)), True),
    ("冰雪", re.compile(r"冰冻|结冰|冰雪|清雪|除冰|防冻|雨雪|霜雪"), frozenset((12, 1, 2)), True),
    ("冬季", re.compile(r"严寒|低温天气|防寒|冬季|取暖"), frozenset((12, 1, 2)), False),
    ("汛期", re.compile(r"汛期|暴雨|雷雨|台风|防汛"), frozenset(range(4, 10)), False),
    ("雾", re.compile(r"雾"), frozenset((11, 12, 1, 2, 3)), False),  # Chongqing's fog season
)
HEADING = re.compile(r"^#+\s*")
MIN_STORY_CHARS = 150  # a story is told in full in a lesson: a few lines are not a story
SENTENCE_END = tuple("。！？…”」』）)!?")
# 「常见问法」: how workers ask about an item, each optionally with the words of the body that answer it
# (「艾爱国焊紫铜手烫不烫｜每次焊完，他手上都会烫起血泡」). Questions are matched to questions, which
# holds when a worker's words differ from the material's.
ASKED_SEPARATOR = re.compile(r"\s*[｜|]\s*")
MAX_ASKED_CHARS = 80
MIN_ANSWER_CHARS = 4


@dataclass(frozen=True)
class Item:
    """One validated corpus item."""

    id: str
    kind: str
    title: str
    industry: str
    themes: tuple[str, ...]
    summary: str
    lesson: str
    questions: tuple[str, ...]
    source: str
    status: str
    body: str
    path: str
    person: str = ""
    honours: tuple[str, ...] = ()
    employer: str = ""
    region: str = ""
    year: int | None = None
    asked: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Title with the person, as shown in citations."""
        return f"{self.title}（{self.person}）" if self.person else self.title

    def home_in(self, team: str) -> str:
        """The place of the item's region that a team's name names, the most precise one: 「华坪县中学初二
        年级组」 hears 张桂梅 (云南丽江华坪) as one of its own town's, 「宁波港桥吊一队」 竺士杰 (浙江宁波)."""
        province, parts = region_places(self.region)
        parts = [province] * bool(province) + parts
        places = [part[i:j] for part in parts for i in range(len(part)) for j in range(i + 2, len(part) + 1)]
        return max((p for p in places if p in team), key=len, default="")


@dataclass(frozen=True)
class Problem:
    """One reason a file was refused."""

    path: str
    field: str
    reason: str
    line: int = 0  # 1-based line of the mistake in the file, 0 when it is the whole file

    def __str__(self) -> str:
        where = f" 第 {self.line} 行" if self.line else ""
        return f"{self.path}{where}: {self.field}: {self.reason}"


DEFAULT_GREETING = "工友们"


@dataclass(frozen=True)
class Vocabulary:
    """The industries and themes items may use (corpus/vocabulary.yaml); empty: anything goes."""

    industries: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    greetings: tuple[tuple[str, str], ...] = ()  # (industry, how a team of it is addressed)
    story_min: int = MIN_STORY_CHARS  # a story's body in characters (story_length in the file)
    story_max: int = 0  # 0: no upper limit
    jobs: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (industry, sub-job, the words that mark it)
    climate: tuple[tuple[str, frozenset[int]], ...] = ()  # (season, the months its advice is given in)
    unfit: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (industry, words its teams would not say of their work)

    def greeting(self, industry: str) -> str:
        """How a team leader addresses a team of this industry (工友们 unless the file says otherwise)."""
        return dict(self.greetings).get(industry) or dict(self.greetings).get(GENERAL) or DEFAULT_GREETING

    def jobs_in(self, industry: str, text: str) -> frozenset[str]:
        """The sub-jobs of the industry a paragraph is about: 「炉前、轧线」 → 炼铁, 炼钢, 轧钢. A sub-job
        whose only words here are also words of one the paragraph names by a word of its own is not
        about it: 「加热炉……煤气……报警仪」 is the rolling mill's (轧钢: 加热炉), not the furnaces'."""
        named = {job: set(words) for trade, job, words in self.jobs if trade == industry}
        present = {job: {w for w in words if w in text} for job, words in named.items()}
        shared = Counter(w for words in named.values() for w in words)
        own = {job for job, words in present.items() if any(shared[w] == 1 for w in words)}
        return frozenset(
            job for job, words in present.items()
            if words and (job in own or not any(words <= named[k] for k in own if k != job))
        )

    def unfit_for(self, industry: str, text: str) -> bool:
        """Whether a paragraph speaks of another workplace than this trade's (工友, 车间, 螺栓 to nurses)."""
        return any(w in text for w in dict(self.unfit).get(industry, ()))

    def trade_words(self, industry: str) -> frozenset[str]:
        """What marks a paragraph as said to one trade: its name, its sub-jobs and their words."""
        return frozenset({industry} | {w for trade, job, words in self.jobs if trade == industry for w in (job, *words)})

    def others_words(self, industry: str) -> frozenset[str]:
        """What marks a paragraph as said to another trade, and not to this one too (「咱们手上哪件工具用着
        别扭」 names 刀具 of a machine shop; read to nurses it talks to someone else)."""
        trades = {trade for trade, _, _ in self.jobs} - {industry}
        return frozenset(w for trade in trades for w in self.trade_words(trade)) - self.trade_words(industry)

    def team_jobs(self, industry: str, team: str) -> frozenset[str]:
        """The sub-job a team's name names: the one named last, since what comes before names the plant
        or the line it works in (「轧钢厂精整班」 is a finishing crew, 「公交保修分公司二车间」 a repair shop);
        of those ending there, the one named by the longer word where one word holds another: 「收运中队」 is
        a collection crew, though its 「中队」 names the street-cleaning ones (team leaders' trial 10)."""
        words = {job: [w for w in ws if w in team] for trade, job, ws in self.jobs if trade == industry}
        ends = {job: max((team.rfind(w) + len(w) for w in ws), default=-1) for job, ws in words.items()}
        last = max(ends.values(), default=-1)
        if last < 0:
            return frozenset()
        named = {job: max(len(w) for w in words[job] if team.rfind(w) + len(w) == last) for job, end in ends.items() if end == last}
        return frozenset(job for job, n in named.items() if n == max(named.values()))

    def job_marks(self, industry: str, team: str) -> frozenset[str]:
        """The words of the team's sub-job: what its own job's paragraphs and stories say."""
        return self.marks(industry, self.team_jobs(industry, team))

    def marks(self, industry: str, jobs: frozenset[str]) -> frozenset[str]:
        """The words of the industry's sub-jobs given."""
        return frozenset(w for trade, job, words in self.jobs if trade == industry and job in jobs for w in words)

    @classmethod
    def load(cls, root: Path) -> tuple["Vocabulary", list[Problem]]:
        path = root / VOCABULARY_FILE
        if not path.is_file():
            return cls(), []
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            return cls(), [Problem(VOCABULARY_FILE, "-", f"无法读取词表：{yaml_problem(exc)}")]
        lists = {k: data.get(k) if isinstance(data, dict) else None for k in ("industries", "themes")}
        bad = [k for k, v in lists.items() if not (isinstance(v, list) and all(isinstance(x, str) for x in v))]
        if bad:
            return cls(), [Problem(VOCABULARY_FILE, k, "应为文本列表") for k in bad]
        greetings = data.get("greetings") or {}
        if not (isinstance(greetings, dict) and all(isinstance(v, str) and v.strip() for v in greetings.values())):
            return cls(), [Problem(VOCABULARY_FILE, "greetings", "应为「行业: 称呼」的列表，例如「医疗: 各位同事」")]
        unknown = [k for k in greetings if k not in lists["industries"]]
        if unknown:
            return cls(), [
                Problem(VOCABULARY_FILE, "greetings", f"「{k}」不在 industries 里{suggest(str(k), tuple(lists['industries']))}")
                for k in unknown
            ]
        pairs = tuple((str(k), v.strip()) for k, v in greetings.items())
        length = data.get("story_length") or {}
        low, high = (length.get(k, d) if isinstance(length, dict) else None for k, d in (("min", MIN_STORY_CHARS), ("max", 0)))
        if not (isinstance(low, int) and isinstance(high, int) and 0 < low and (high == 0 or high >= low)):
            return cls(), [Problem(VOCABULARY_FILE, "story_length", "应为「min: 字数」和「max: 字数」，例如 min: 600、max: 1500")]
        jobs, problems = read_jobs(data.get("jobs") or {}, lists["industries"])
        climate = data.get("climate") or {}
        if not (isinstance(climate, dict) and all(
            isinstance(m, list) and all(isinstance(x, int) and 1 <= x <= 12 for x in m) for m in climate.values()
        )):
            problems.append(Problem(VOCABULARY_FILE, "climate", "应为「季节: [月份, 月份]」，例如「冰雪: [12, 1, 2]」，月份是 1–12"))
        unfit = data.get("unfit") or {}
        if not (isinstance(unfit, dict) and all(
            isinstance(ws, list) and all(isinstance(w, str) and w.strip() for w in ws) for ws in unfit.values()
        )):
            problems.append(Problem(VOCABULARY_FILE, "unfit", "应为「行业: [词, 词]」，例如「医疗: [车间, 螺栓]」"))
        else:
            problems += [
                Problem(VOCABULARY_FILE, "unfit", f"「{k}」不在 industries 里{suggest(str(k), tuple(lists['industries']))}")
                for k in unfit if k not in lists["industries"]
            ]
        if problems:
            return cls(), problems
        months = tuple((str(k), frozenset(v)) for k, v in climate.items())
        words = tuple((str(k), tuple(w.strip() for w in ws)) for k, ws in unfit.items())
        return cls(tuple(lists["industries"]), tuple(lists["themes"]), pairs, low, high, jobs, months, words), []


def read_jobs(data: object, industries: list[str]) -> tuple[tuple[tuple[str, str, tuple[str, ...]], ...], list[Problem]]:
    """The vocabulary's sub-jobs: for each industry, each sub-job and the words that mark it (the
    sub-job's own name is one of them)."""
    usage = "应为「行业: {岗位: [词, 词]}」，例如「冶金: {精整: [矫直, 剪切线]}」"
    if not isinstance(data, dict):
        return (), [Problem(VOCABULARY_FILE, "jobs", usage)]
    jobs, problems = [], []
    for industry, table in data.items():
        if industry not in industries:
            problems.append(Problem(VOCABULARY_FILE, "jobs", f"「{industry}」不在 industries 里{suggest(str(industry), tuple(industries))}"))
        elif not isinstance(table, dict) or not all(
            isinstance(words, list) and all(isinstance(w, str) and w.strip() for w in words) for words in table.values()
        ):
            problems.append(Problem(VOCABULARY_FILE, f"jobs.{industry}", usage))
        else:
            jobs += [(industry, str(job), tuple(dict.fromkeys([str(job), *(w.strip() for w in words)]))) for job, words in table.items()]
    return tuple(jobs), problems


def suggest(value: str, choices: tuple[str, ...]) -> str:
    """「，是不是「公共交通」？」 for 公交: a choice that contains it or shares two of its characters."""
    close = [c for c in choices if value in c or c in value or len(set(value) & set(c)) >= 2]
    return f"，是不是「{close[0]}」？" if close else f"，可选：{'、'.join(choices)}"


def yaml_problem(exc: Exception) -> str:
    """A YAML error in Chinese, at the line where the broken entry starts."""
    mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
    where = f"第 {mark.line + 2} 行附近" if mark else ""
    return f"YAML 格式错误{where}：请检查这一行的「字段: 值」——冒号后要有空格，引号要成对，列表项以「- 」开头，缩进要对齐"


@dataclass
class Corpus:
    """Every item found, and every problem found on the way."""

    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def approved(self) -> list[Item]:
        """Only approved items reach workers."""
        return [i for i in self.items if i.status == "approved"]


def corpus_files(root: Path) -> list[Path]:
    """The item files under root, in a stable order (links leading out of root included, to be refused)."""
    return sorted(p for p in root.rglob("*.md") if p.name not in NOT_ITEMS and p.is_file())


def outside(path: Path, root: Path) -> bool:
    """Whether a file is, or links to, something outside the corpus directory."""
    return not path.resolve().is_relative_to(root.resolve())


def load_corpus(root: Path) -> Corpus:
    """Read and validate every item under root; never raises for bad files."""
    corpus = Corpus()
    if not root.is_dir():
        corpus.problems.append(Problem(str(root), "-", "目录不存在"))
        return corpus
    vocabulary, problems = Vocabulary.load(root)
    corpus.problems.extend(problems)
    seen: dict[str, str] = {}
    for path in corpus_files(root):
        if outside(path, root):
            corpus.problems.append(Problem(str(path.relative_to(root)), "-", "这是指向教材目录之外的链接，不会被读取；请把文件本身放进教材目录"))
            continue
        item, problems = parse_item(path, root, vocabulary)
        corpus.problems.extend(problems)
        if item is None:
            continue
        if item.id in seen:
            corpus.problems.append(Problem(item.path, "id", f"重复的 id「{item.id}」，已在 {seen[item.id]} 使用"))
            continue
        seen[item.id] = item.path
        corpus.items.append(item)
    return corpus


def parse_item(path: Path, root: Path, vocabulary: Vocabulary = Vocabulary()) -> tuple[Item | None, list[Problem]]:
    """Parse one file into an Item, or say every reason it cannot be one."""
    rel = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

    def fail(field_name: str, reason: str) -> tuple[None, list[Problem]]:
        return None, [Problem(rel, field_name, reason)]

    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return fail("-", f"文件过大（{size} 字节，上限 {MAX_FILE_BYTES}）")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return fail("-", f"不是 UTF-8 编码（第 {exc.start} 字节）")
    text = text.lstrip("\ufeff")
    match = FRONT_MATTER.match(text)
    if not match:
        return fail("-", "缺少 YAML 头信息（文件须以 --- 开头，并以 --- 结束头信息）")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        return fail("-", yaml_problem(exc))
    if not isinstance(meta, dict):
        return fail("-", "YAML 头信息必须是「字段: 值」的映射")
    problems = check_fields(meta, rel) + check_vocabulary(meta, rel, vocabulary)
    body = match.group(2).strip()
    problems += check_body(body, meta, rel, vocabulary) + check_asked(meta, body, rel)
    if isinstance(meta.get("id"), str) and ID_PATTERN.fullmatch(meta["id"]) and path.stem != meta["id"]:
        problems.append(Problem(rel, "id", f"文件名「{path.name}」与 id「{meta['id']}」不一致，请把文件改名为 {meta['id']}.md"))
    if problems:
        return None, [locate(p, text) for p in problems]
    return Item(
        id=meta["id"],
        kind=meta["kind"],
        title=meta["title"].strip(),
        industry=meta["industry"].strip(),
        themes=tuple(t.strip() for t in meta["themes"]),
        summary=meta["summary"].strip(),
        lesson=meta["lesson"].strip(),
        questions=tuple(q.strip() for q in meta["questions"]),
        source=meta["source"].strip(),
        status=meta["status"],
        body=body,
        path=rel,
        person=(meta.get("person") or "").strip(),
        honours=tuple(str(h).strip() for h in meta.get("honours") or ()),
        employer=(meta.get("employer") or "").strip(),
        region=(meta.get("region") or "").strip(),
        year=meta.get("year"),
        asked=tuple(a.strip() for a in meta.get("asked") or ()),
    ), []


def locate(problem: Problem, text: str) -> Problem:
    """The problem with the line it is about: the field's line in the front matter, or for the body
    the line of the paragraph quoted in the reason (else the body's first line)."""
    lines = text.splitlines()
    if problem.field == "body":
        quoted = re.search(r"「…(.+?)」", problem.reason)
        for n, line in enumerate(lines, 1):
            if quoted and quoted.group(1).strip() and line.rstrip().endswith(quoted.group(1).strip()):
                return replace(problem, line=n)
        closing = [n for n, line in enumerate(lines, 1) if line.strip() == "---"]
        return replace(problem, line=closing[1] + 1 if len(closing) > 1 else 0)
    for n, line in enumerate(lines, 1):
        if re.match(rf"{re.escape(problem.field)}\s*:", line):
            return replace(problem, line=n)
    return problem


def check_vocabulary(meta: dict, rel: str, vocabulary: Vocabulary) -> list[Problem]:
    """Industry and themes from the vocabulary, so that no item makes up a new one."""
    problems = []
    industry = meta.get("industry")
    if vocabulary.industries and isinstance(industry, str) and industry.strip() not in vocabulary.industries:
        problems.append(Problem(rel, "industry", f"词表里没有行业「{industry}」{suggest(industry.strip(), vocabulary.industries)}"))
    themes = meta.get("themes")
    if vocabulary.themes and isinstance(themes, list):
        for theme in themes:
            if isinstance(theme, str) and theme.strip() not in vocabulary.themes:
                problems.append(Problem(rel, "themes", f"词表里没有主题「{theme}」{suggest(theme.strip(), vocabulary.themes)}"))
    return problems


def check_body(body: str, meta: dict, rel: str, vocabulary: Vocabulary = Vocabulary()) -> list[Problem]:
    """The body: not empty, a story long enough to tell and short enough for ten minutes, every
    paragraph ending its sentence."""
    if not body:
        return [Problem(rel, "body", "正文为空")]
    problems = []
    chars = len(re.sub(r"\s", "", body))
    if meta.get("kind") == "story" and chars < vocabulary.story_min:
        problems.append(Problem(rel, "body", f"故事正文只有 {chars} 字，至少要 {vocabulary.story_min} 字，才能在班前会上完整地讲出来"))
    if meta.get("kind") == "story" and vocabulary.story_max and chars > vocabulary.story_max:
        problems.append(Problem(rel, "body", f"故事正文有 {chars} 字，超过 {vocabulary.story_max} 字，班前会上讲不完，请精简"))
    for paragraph in re.split(r"\n\s*\n", body):
        text = paragraph.strip()
        if text and not text.startswith("#") and not text.endswith(SENTENCE_END) and not text.endswith(("：", ":")):
            problems.append(Problem(rel, "body", f"这一段没有以句号、问号或叹号结尾：「…{text[-20:]}」"))
    return problems


def asked_pairs(entries) -> list[tuple[str, str]]:
    """(question, the body's words that answer it or '') for each 「常见问法」 entry."""
    return [tuple((ASKED_SEPARATOR.split(e.strip(), maxsplit=1) + [""])[:2]) for e in entries]


def states_a_spirit(item: Item) -> bool:
    """A course themed with the spirits only (劳模精神、工匠精神……): it states the idea a values question asks."""
    return spirit_course(item.kind, item.themes)


def spirit_course(kind: object, themes: object) -> bool:
    """states_a_spirit, for an item's fields as read (a front matter being checked)."""
    return (kind == "course" and isinstance(themes, (list, tuple)) and bool(themes)
            and all(isinstance(t, str) for t in themes) and set(themes) <= set(SPIRITS))


def headed_blocks(text: str) -> Iterator[tuple[str, str]]:
    """A body's blocks (paragraphs and heading lines), each with the heading it sits under (its own, for a
    heading)."""
    heading = ""
    for block in re.split(r"\n\s*\n", text):
        first = block.strip().split("\n")[0]
        if first.startswith("#"):
            heading = HEADING.sub("", first).strip()
        yield heading, block


def split_talk(body: str) -> tuple[str, str]:
    """A body without its lesson-only sections (LESSON_ONLY), and those sections: what a team leader
    says around a lesson's story and the safety points of each sub-job, read aloud in lessons and never
    searched (an answer from the course may quote them)."""
    kept, talk = [], []
    for heading, block in headed_blocks(body):
        (talk if heading in LESSON_ONLY else kept).append(block)
    return "\n\n".join(kept), "\n\n".join(talk)


def check_asked(meta: dict, body: str, rel: str) -> list[Problem]:
    """Each 「常见问法」 a question of sensible length; its answer, if given, copied from what the chat quotes."""
    entries = meta.get("asked")
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        return []  # check_fields says what is wrong with the field itself
    summary = str(meta.get("summary") or "") if meta.get("kind") == "story" else ""  # a story's summary is quotable
    body, talk = split_talk(body)
    # The lesson-only sections are quotable too: a spirit course's 「班前说一说」 answers a values question
    # (「干错了要不要说出来」), a trade's its job (「下坡刹车咋个踩」), a sub-job's point its job (「折返换端要注意啥」).
    quotable = re.sub(r"\s", "", body + summary + talk)
    problems = []
    for n, (question, answer) in enumerate(asked_pairs(entries), 1):
        if not 2 <= len(question) <= MAX_ASKED_CHARS:
            problems.append(Problem(rel, "asked", f"第 {n} 条：问法应为 2–{MAX_ASKED_CHARS} 个字"))
        elif answer and (len(answer) < MIN_ANSWER_CHARS or re.sub(r"\s", "", answer) not in quotable):
            problems.append(
                Problem(rel, "asked", f"第 {n} 条：「{answer[:20]}」在正文里找不到——竖线后面的原句要一字不差地从正文复制")
            )
        elif answer and re.search(r"[。！？!?]", answer.rstrip("。！？!?”’」』\"")):
            # the lecturer quotes a sentence at a time: an answer across two would never be found
            problems.append(Problem(rel, "asked", f"第 {n} 条：「{answer[:20]}…」跨了两句——竖线后面只复制回答问题的那一句"))
    return problems


def check_fields(meta: dict, rel: str) -> list[Problem]:
    """Every field problem in one front matter: unknown, missing, wrong type or value."""
    problems = [Problem(rel, str(k), "未知字段") for k in meta if k not in FIELDS]
    kind = meta.get("kind")
    if "kind" in meta and kind not in KINDS:
        problems.append(Problem(rel, "kind", f"未知类型「{kind}」，应为 {' 或 '.join(KINDS)}"))
    for name, (typ, for_story, for_course) in FIELDS.items():
        required = for_story if kind == "story" else for_course
        value = meta.get(name)
        if value is None or (typ is str and isinstance(value, str) and not value.strip()):
            if required:
                problems.append(Problem(rel, name, "缺少必填字段"))
            continue
        if typ is int and (isinstance(value, bool) or not isinstance(value, int)):
            problems.append(Problem(rel, name, f"应为整数，实际是「{value}」"))
        elif typ is str and not isinstance(value, str):
            problems.append(Problem(rel, name, f"应为文本，实际是「{value}」"))
        elif typ is list and not (isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)):
            problems.append(Problem(rel, name, "应为文本列表（每项非空）"))
    if isinstance(meta.get("id"), str) and not ID_PATTERN.fullmatch(meta["id"]):
        problems.append(Problem(rel, "id", f"「{meta['id']}」不合规：只能用小写字母、数字和连字符"))
    if "status" in meta and meta["status"] not in STATUSES:
        problems.append(Problem(rel, "status", f"未知状态「{meta['status']}」，应为 {'、'.join(STATUSES)}"))
    questions = meta.get("questions")
    if isinstance(questions, list) and not 1 <= len(questions) <= 3:
        problems.append(Problem(rel, "questions", f"应有 1–3 个讨论题，实际 {len(questions)} 个"))
    themes = meta.get("themes")
    if isinstance(themes, list) and not themes:
        problems.append(Problem(rel, "themes", "至少需要一个主题"))
    return problems
