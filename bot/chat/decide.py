"""Whether to answer, ask back or decline, and the pointer a decline gives.

Refusal patterns catch requests, not words: 「忘记戴安全帽会怎样」 is a fair question, 「忘记之前的
规则」 is not. The relevance decision judges the evidence in the item that would be quoted.
"""

import re
from dataclasses import dataclass

import jieba
import jieba.posseg

from bot.index.corpus import PROVINCES

# Requests the lecturer must decline however well they match the material.
REFUSALS: dict[str, re.Pattern] = {
    "unsafe": re.compile(
        r"(忽略|无视|忘记|忘掉|不要遵守|不用遵守|绕过|跳过)(你|之前|以上|前面|上面|刚才|所有|全部|这些|你的)?的?(所有|全部|一切)?"
        r"(规则|指令|指示|提示|设定|限制|要求|约束)|越狱|扮演|假装你|你现在是|系统提示|提示词|"
        r"ignore (all|previous|the|your)|disregard|jailbreak|system prompt|pretend",
        re.I,
    ),
    "invent": re.compile(r"编(一|个|造|段|篇)|编写(一|个|段|篇)?(故事|事迹)|虚构|杜撰|捏造|瞎编|胡编|make up|invent", re.I),
    "private": re.compile(
        r"(的|他|她|劳模|师傅)(身份证|手机号|电话号码|私人电话|住址|家庭住址|银行卡|存款|密码|病历|微信号|QQ号)|"
        r"家住(在)?哪|住在哪|住哪|屋头住|(他|她|班长|主任|领导|同事|工友)(每个月)?(的)?(工资|收入)(是)?多少",
        re.I,
    ),
    # 「帮我算下这个月该发好多」: one worker's own case is for the union's legal aid, not for the material.
    "own_case": re.compile(r"帮我(算|查|核|看)(一下|下|算|看)?.{0,12}(工资|加班费|赔偿|补偿|社保|该发|该赔|该给)"),
    "code": re.compile(
        r"写(一段|个|一个)?(代码|程序|脚本)|python|javascript|\bjava\b|\bsql\b|c\+\+|编程实现|function\s*\(", re.I
    ),
}
# 药 is medicine, not 炸药、农药、火药.
MEDICINE = "(?<![炸农火弹打喷])(?<!打什么)(?<!喷什么)药"  # 「柑橘长红蜘蛛了打什么药」 sprays a crop
# What a decline points to, by what the question is about.
POINTERS: tuple[tuple[str, re.Pattern], ...] = (
    ("health", re.compile(rf"病(?![人房区床])|疼|痛|痒|晕|发烧|咳嗽|{MEDICINE}|医院|看医生|诊断|症状|怀孕|血压|过敏|受伤|伤口|不舒服|头昏|失眠|"
                          r"疫苗|免疫球蛋白|阻断|被传上|传染上|感染上|查血")),
    (
        "rights",
        re.compile(r"工资|欠薪|加班|合同|社保|医保|公积金|工伤|赔偿|补偿|补贴|津贴|辞退|开除|裁员|仲裁|劳动局|劳动争议|维权|退休金|养老金|五险"),
    ),
)


# 「明天沙坪坝落雨不」: a forecast, which no material can give; rain and heat at work are safety questions.
FORECAST = re.compile(
    r"下不下雨|落不落雨|会不会下雨|下不下雪|(下|落)雨(不|没|吗|么)(?![\u4e00-\u9fff])|有没有雨|天气预报|"
    r"(今天|明天|后天|今晚|明早|周末|这几天|下周)[\u4e00-\u9fff]{0,6}(天气(怎么样|咋样|如何|好不好)|(多少|好多|几)度|热不热|冷不冷)"
)


# Pastimes and money matters no course touches: asked back about stories, they would get a menu of strangers.
LEISURE = re.compile(
    r"股票|炒股|彩票|国足|足球|篮球|球赛|比分|世界杯|NBA|麻将|斗地主|打游戏|王者荣耀|电视剧|追剧|菜谱|红烧肉|减肥"
    # shopping: 「手机屏幕碎了 去哪里换便宜」
    r"|(?:买|换|修|配)[\u4e00-\u9fff]{0,6}?(?:便宜|划算)|哪(?:里|家|儿|点)[\u4e00-\u9fff]{0,4}?便宜|手机屏|换屏|修手机",
    re.I,
)


# Matters for others than the lecturer: the police, a bank, or an errand it does not run for anyone.
POLICE = re.compile(r"派出所|警察|公安局|报案|立案|被偷|被盗|遭偷|遭贼|被抢|遭抢|诈骗")  # not 110 alone: 「乘客抢方向盘 要不要打110」 is the trade's rule
MONEY = re.compile(r"贷款|网贷|征信|借呗|花呗|信用卡|理财|高利贷")
# 「帮我写个请假条」; not 「工会能不能帮我写仲裁申请书」, a service the union gives
ERRAND = re.compile(
    r"^(?:请|麻烦)?你?(?:帮|给|替)我(?:写|起草|拟|翻译)(?!.{0,8}(?:仲裁|申请书|诉状|起诉))|"
    r"(?<!工会)(?:写|起草|拟)(?:个|一个|份|一份|篇|一篇|张|一张)[\u4e00-\u9fff]{0,3}?(?:请假条|假条|检讨|总结|发言稿|演讲稿|辞职信|作文|情书|朋友圈|文案|对联|祝福语|贺词)"
)
OUTSIDE: dict[str, re.Pattern] = {"police": POLICE, "money": MONEY, "errand": ERRAND}


def outside(question: str) -> str:
    """What a question is, when the material cannot be its answer: forecast, leisure, police, money,
    errand; '' otherwise."""
    if forecast(question):
        return "forecast"
    if leisure(question):
        return "leisure"
    return next((name for name, pattern in OUTSIDE.items() if pattern.search(question)), "")


def forecast(question: str) -> bool:
    """Whether a question asks for a weather forecast."""
    return bool(FORECAST.search(question))


def leisure(question: str) -> bool:
    """Whether a question is about a pastime or an investment, which no course covers."""
    return bool(LEISURE.search(question))


def refusal(question: str) -> str:
    """Why a request must be declined whatever the corpus holds ('' when it need not be)."""
    return next((reason for reason, pattern in REFUSALS.items() if pattern.search(question)), "")


def pointer(question: str) -> str:
    """The kind of help a declined question should be pointed to: health, rights or ''."""
    return next((name for name, pattern in POINTERS if pattern.search(question)), "")


@dataclass(frozen=True)
class Evidence:
    """How well the item that would be quoted answers the question."""

    dense: float  # best cosine of the question with any chunk of the top item
    unit: float  # best cosine of the question with a quotable unit of the top item
    coverage: float  # IDF-weighted share of the question's words found in the top item
    unknown: float  # IDF-weighted share of the question's words found nowhere in the corpus
    margin: float  # fused score of the top item over the second
    asked: float = 0.0  # best cosine with a 「常见问法」 of the top item that asks the same kind of thing

    @property
    def score(self) -> float:
        """One number for the decision; weights and thresholds measured on bench/data/answers_tune.yaml."""
        return self.unit + COVERAGE_WEIGHT * self.coverage - UNKNOWN_WEIGHT * self.unknown


# Measured on the tuning half of the evaluation set (python -m bench.answers --split tune --features):
COVERAGE_WEIGHT = 0.15
UNKNOWN_WEIGHT = 0.10


# In-topic questions the quoted item cannot answer: a count it never states (「时传祥有几个孩子」,
# 「学费要多少钱」), or someone's relation or title it never names (「高凤林的女儿叫什么」). The item
# is the right one, so retrieval scores are high; what is missing is the asked value itself.
NUMERAL = "[0-9０-９.一二三四五六七八九十百千万亿两半几数]"
# 「十几个钟头」「二十几年」: a rough number said, not asked; 「六几年」 a decade.
COUNTED = re.compile(r"(?<![哪这那前近头后好们十一二三四五六七八九])(?P<how>几|多少|好多)(?P<classifier>个|位|名|种)?(?P<thing>[\u4e00-\u9fff])")
# 「住院能报好多」「工伤能赔多少」: an amount paid, though the question never says 钱.
PAID = re.compile(r"(?:报|赔|补|交|发|拿|领|付|挣|赚)了?(?:好多|多少)(?:钱)?$")
PRICED = re.compile(r"(?:费|钱|价|工资|薪水|薪酬|补贴|津贴|奖金|补助)[\u4e00-\u9fff]{0,6}?(?:多少|好多)")
# The words that state a count of each measure (多少钱 is answered in 元, 几倍 by 百分之).
MEASURES = {
    "钱": "元|块钱",  # not 「两块金属块」: workers' trial 4 got 张兵's life for his pay
    "价": "元|块钱",
    "倍": "倍|百分之",
    "天": "天|日",
    "孩": "孩子|儿子|女儿|子女|婴儿",
    "娃": "孩子|儿子|女儿|子女|婴儿",
    "号": "号|日",  # 「几号」: a date
    "小": "小时",
    "钟": "小时|钟头",
    # 「几点」: a time of day (「8点」「七点来」「三点多」), not 「有一点拿不准」
    "点": r"(?<=\d)点|点(?:钟|半|多|来|左右|前|后|以前|以后|到|至|起|就|开始)|时(?![间候期代刻])",
    **dict.fromkeys("回次遍趟", "回|次|遍|趟"),
    "场": "场|场次",
    **dict.fromkeys("人职员工学乘患", "人|名|位"),  # 多少职工/工人/学生/乘客/患者 are counted in 人
}
# 「当了几年兵」 is not stated by 「2009年」 (a year, not years), but 「干了多少年」 is by 「从1987年起」
YEARS = "(?<![0-9]{4})(?<![〇零一二三四五六七八九]{4})年(?![代级度底初])|年(?=起|以来|开始|至今)"
# 「好多徒弟」 is stated by 「六百多名焊接技术人才」, 「好多器材」 by 「上万件器材」: a number (more than
# 一) with a classifier, then the counted word (for people, a word for people) a few characters on.
CLASSIFIER = "[个位名种件台项套条座根张批所家支吨车桶斤箱袋]"
MANY = f"(?:{NUMERAL}{{2,}}|[0-9０-９二两三四五六七八九十百千万亿数])"  # not 「一个普通工人」
# Where pay is stated as a share or a multiple of the wage (加班、节假日、试用期、病假、违法辞退的赔偿);
# 「最低工资一个月好多钱」 asks an amount.
PAY_RATE = re.compile(r"加班|倍|节假日|休息日|周末|春节|国庆|过年|试用|病假|辞退|解除|经济补偿|合同")
PEOPLE = set("人职员工学乘患徒婴")  # not 娃、孩: 「几个娃儿」 asks about a family, stated only as such
BARE = set("个位名")  # 「有好多个」「几位」: the classifier asked with no noun after it
PEOPLE_WORDS = "人才|人员|徒弟|学员|学生|婴儿|职工|工人|技工|骨干|人"
# 「好多事故是出在哪种心理上」: 好多 is 「many」 when the question asks something else.
OTHER_QUESTION = re.compile(r"哪|什么|啥|谁|怎么|咋|为何|有没有|没得|吗|能不能|行不行|算不算|好久|多久|没[？?]?$")
DESCRIBES = re.compile(r"[长大高宽深重厚远]?的")
ADJECTIVES = set("长久大高远重少薄厚宽深快粗细多")  # 多长、好久: a measure, not a counted thing
NAMED = re.compile(r"的([\u4e00-\u9fff]{1,4}?)(?:叫什么名字|叫什么|叫啥|是谁|是哪个|是哪位|姓什么)")
HOLDER = re.compile(
    r"([\u4e00-\u9fff]{2,8}(?:主席|书记|主任|局长|厂长|校长|会长|部长|经理|董事长|市长|省长))(?:是谁|是哪个|是哪位|叫什么)"
)
# 「袁隆平平时最喜欢吃啥」: a liking the item never states.
LIKING = re.compile(r"(?:最|平时|平常)?(?:喜欢|爱)(?:吃|喝|穿|玩|看|听|干|做)?(?:的)?(?:是)?(?:什么|哪)|爱好|嗜好")
LIKING_STATED = re.compile(r"喜欢|爱吃|爱喝|爱好|嗜好|最爱")
# 「李素丽她老汉儿叫啥」「邹彬的媳妇儿是哪里人」: the material tells workers' deeds, rarely their families.
FAMILY = re.compile(
    r"(?P<relation>老婆|媳妇儿?|妻子|爱人|老公|丈夫|(?<=[她头里的他])男人|父亲|母亲|爸爸|妈妈|老汉儿?|(?<=[他她的])[妈爸]|(?<=[他她的])娃儿?|儿子|女儿|孩子)(?:现在|如今|后来|目前|今年|平时|当年)?"
    r"(?:(?P<name>叫什么|叫啥|姓什么)|(?P<origin>是哪里人|是哪儿的人)|(?P<fate>(?:和[\u4e00-\u9fff]{1,3}?)?(?:现在|如今|后来)(?:怎么样|怎样|咋样|过得))|是干什么|是做什么|做什么工作|在哪|是不是|也是|也在|也接着|也跟着|接他的班|接班|干什么)"
    # 「他师傅叫什么名字」「那个同事叫啥」: someone at work the story mentions and may never name
    r"|(?:(?<=[他她的个些])|(?<=那位)|^)(?:劳模|老|女|男|带班|大|小|二)?(?:(?P<colleague>师傅|师父|徒弟|同事|搭档|班长|队长|教练)(?:们|都|又)?"
    r"(?P<called>叫什么|叫啥|姓什么)|(?P<master>师傅|师父|徒弟|教练)(?:们|都|又)?(?P<who_asked>是哪个|是哪位|是谁))"
)
# How an item states what was asked about the relative: a name, where they are from, or what they do.
PARENTS = "父亲|母亲|爸爸|妈妈|父母|双亲"
PARENT_WORDS = {"父亲", "母亲", "爸爸", "妈妈", "老汉", "老汉儿", "妈", "爸"}
WIFE, HUSBAND = "妻子|爱人|老婆|媳妇|夫人|老伴", "丈夫|爱人|老公|男人|老伴"
SPOUSES = {"老婆": WIFE, "媳妇": WIFE, "妻子": WIFE, "爱人": f"{WIFE}|{HUSBAND}", "老公": HUSBAND, "丈夫": HUSBAND, "男人": HUSBAND}
SAID_AS = {"妈": "母亲", "爸": "父亲", "老汉": "父亲", "老汉儿": "父亲"}  # how a decline names the relative
FAMILY_STATED = {"name": "(叫|名叫|姓)", "origin": "是.{1,6}人", "work": "(是|在|当|做|干)", "fate": "(后来|如今|现在|此后|这些年)"}
ORGANISATION = "公司|集团|学校|大学|学院|研究院|局|厂|医院|中心|协会"
# 「叶欣说过啥子话」「李素丽有啥口头禅」: someone's own words, stated as a quotation after a verb of saying
# (「她对同事们说：“这里危险，让我来吧！”」), a saying called one, or reported (「她说，……」); not a coined
# phrase (「人们常说的“人拉肩扛”」).
SAID_ASKED = r"说过(些|哪些)?(啥|什么|哪)|(啥|什么|哪)(子|一)?(句)?话|名言|口头禅|常说的(那|一)?句|原话"
QUOTED = re.compile(
    # quoted in “”, 「」 or plain "" (「他常常讲起自己的两个梦想：一个是"禾下乘凉梦"」)
    r"(说|讲|喊|道|叮嘱|嘱咐|告诉|问|回答|答)[^。“”\"]{0,12}[：:，,]?[“「\"][^”」\"]{5,}[”」\"]"
    r"|[“「\"][^”」\"]{7,}[”」\"](这句话|这句老话|这话|的话)"  # 「老劳模“宁愿一人脏，换来万家净”这句话」
    r"|[他她](?:常|曾经?|还|也|就|总|又)?(?:说|讲)[，,：:]"  # reported: 「她说，公交车可以说是民意的集中地」
    # 「还常常鼓励他：港口是……」, not the story's own moral (「袁隆平的一生告诉我们：……」)
    r"|(?:说|讲|叮嘱|嘱咐|告诉(?!我们|大家)|鼓励|勉励|教导)[^。“”：:]{0,6}[：:](?![“「])"
)
# 「宗伟书记的电话是好多」「那个平台在哪里下载」「那辆客车是啥牌子」「她结婚没得」: a kind of value an
# item states in a form of its own (digits, an address, a web link, a brand) or not at all.
VALUE_KINDS: tuple[tuple[str, re.Pattern, re.Pattern], ...] = (
    # 「许振超说过啥」: someone's own words, which a story gives in quotation marks or not at all
    ("本人的原话", re.compile(SAID_ASKED), QUOTED),
    # 「吴斌那天开的那辆大客车车牌号是好多」: a plate, which an item would give as 浙A·12345
    ("车牌号", re.compile(r"车牌|牌照"), re.compile(r"[\u4e00-\u9fff][A-Z][·•\s]?[A-Z0-9]{5}")),
    # 「燃气入户安检规定好久要上门查一次 一年几回」: how often, stated as 每年一次、每半年、每隔三个月
    (
        "隔多久一次",
        re.compile(
            r"(多久|好久|多长时间|多少天|几个月|几年)[\u4e00-\u9fff]{0,4}(查|检|巡|培训|保养|维护|换|复审)[\u4e00-\u9fff]{0,2}一次"
            r"|一年[\u4e00-\u9fff]{0,2}几(回|次|趟)|一个月几(回|次|趟)"
        ),  # not 「好久回一次家」, told as 「常常几个月顾不上回家」
        re.compile(r"每(年|半年|季度?|个?月|周|星期|天|隔)|[一二两三四五六半\d]+(年|个月|周|天)[\u4e00-\u9fff]{0,2}一次|定期"),
    ),
    (
        "联系电话",
        re.compile(r"(电话|手机|联系方式|号码)(号码)?(是|号)?(多少|好多|几号|是啥|是什么)|打(哪个|什么|啥)电话|怎么联系|咋个?联系"),
        re.compile(r"\d{5,}"),
    ),
    ("具体地址", re.compile(r"地址|在哪条(街|路)|门牌"), re.compile(r"(路|街|道|巷)\d+号|地址")),
    # 「12351周末有没得人接」: when a line or an office answers, which an item gives in hours or days
    (
        "什么时候有人接待",
        re.compile(r"(周末|星期[六天日]|晚上|半夜|夜里|节假日|放假|过年|几点)[\u4e00-\u9fff]{0,4}(有没有|有没得|有人|人接|接不接|打得通|上班|开门|办公)"),
        re.compile(r"\d+小时|小时(服务|值守|开通)|周末|节假日|工作日|全天|昼夜|办公时间|上班时间"),
    ),
    (
        "网址和下载方式",
        re.compile(r"网址|链接|下载|二维码|公众号|小程序|[Aa][Pp][Pp]|网站"),
        re.compile(r"https?://|www\.|\.com|\.cn|下载|公众号|小程序|二维码|网站|搜索"),
    ),
    # 「被针头扎了要吃啥子阻断药 吃好多天」: a drug and its course, which a doctor gives and no course names
    (
        "具体用什么药",
        re.compile(r"(吃|用|服|打|开)(什么|啥|哪种|哪样)[\u4e00-\u9fff]{0,3}(药|针)|(药[\u4e00-\u9fff]{0,2}|^)(吃|服)(多久|好久|好多天|多少天|几天)|剂量"),
        re.compile(r"[\u4e00-\u9fff]{2,6}(胶囊|注射液|颗粒|口服液|片剂|素片)|每次[\d一二三四五六七八九十]+(毫克|片|粒)|连服|疗程"),
    ),
    # not 型号 (「焊过哪些型号的火箭」 is stated by 长征五号), nor 挂牌 or 金牌 for a brand
    ("品牌", re.compile(r"牌子|品牌"), re.compile(r"品牌|牌子|商标")),
    # 「联盟那25家单位都是哪些」: members named one by one, where the item gives only how many
    (
        "具体名单",
        re.compile(r"(单位|企业|公司|学校|成员)[\u4e00-\u9fff]{0,2}(都|具体|分别)?是哪些|哪几家|有哪些(单位|企业|公司|学校)"),
        re.compile(rf"({ORGANISATION})[、和与及].{{0,24}}({ORGANISATION})"),
    ),
    # 「陈腊英老家具体是哪个乡哪个村」: a village or township by name, not 「一个小山村」
    (
        "具体是哪个乡哪个村",
        re.compile(r"哪个(乡|村|镇)|哪(乡|村|镇)"),
        re.compile(r"[\u4e00-\u9fff]{2,3}(?<![一个小大山农渔乡老家城回下])(乡|镇|村)(?![子里民上下亲介长干镇])"),
    ),
    # 「彭祥华是哪里人 老家在哪个县」: where someone comes from, stated as 「是山东人」 or a birthplace
    (
        "他是哪里人",
        re.compile(r"(?<![的子婆公亲妈爸儿女人])是?哪里人|哪儿的人|哪的人|老家|籍贯|家乡在哪"),
        re.compile(rf"是[\u4e00-\u9fff]{{1,6}}人|出生(在|于)|生于|生在|老家|家乡|籍贯|[省市县村](的)?人|({PROVINCES})[\u4e00-\u9fff]{{0,6}}(子弟|姑娘|小伙|人|出生)"),
    ),
    # 「他屋头还有哪些人」: who is in someone's family, which a story tells by naming them or not at all
    (
        "他的家人",
        re.compile(r"(?:家里|家中|屋头|屋里|家头)(?:都|还|一共)?有(?:哪些|什么|几口|多少|几个|好多|啥子?)人"),
        re.compile(r"妻子|丈夫|爱人|儿子|女儿|父亲|母亲|父母|老伴|家人|一家[三四五六七八九]口|孩子"),
    ),
    # 「他今年好多岁了」: how old someone is now, not told by 「十八岁那年」 (the age one died at is the last)
    (
        "这个人现在的年龄",
        re.compile(r"(?:今年|现在|如今)(?:有)?(?:多少|好多|几)岁"),
        re.compile(r"(?:今年|如今|现在)[^。，]{0,8}岁|年仅|享年|终年"),
    ),
    # 「高凤林是哪年生的 今年好大岁数了」: a birth year or an age, which a story gives as 「1962年出生」 or 「47岁」
    (
        "出生年份和岁数",
        re.compile(r"哪一?年(出)?生|(出)?生于哪|(多大|好大)(岁数|年纪)|今年(多大|好大|几岁)|多少岁"),
        re.compile(r"(\d{4}|[〇零一二三四五六七八九]{4})年[^。；]{0,8}(出生|生于|生人)|生于|出生于?\d|\d+岁|[一二三四五六七八九十]+岁"),
    ),
    (
        "这些个人情况",
        re.compile(r"血型|星座|属相|属什么|身高|体重|生日|几月几号出生"),
        re.compile(r"血型|星座|属相|身高|体重|生日|[一二三四五六七八九十\d]+月[一二三四五六七八九十\d]+日出生"),
    ),
    # 「管延安好高 长得壮不壮」: how someone looks, which a story tells in these words or not at all (not 「树长得好」)
    (
        "这个人的长相",
        re.compile(r"(?:他|她)(?:有)?(?:好|多)(?:高|胖|瘦|壮)(?!兴|温|炉|空|压|处|的地方)|个子|(?:他|她|人)长得|长相|(壮|胖|瘦|帅)不\1"),
        re.compile(r"个子|身高|长得|长相|魁梧|高大|瘦小|瘦高|壮实|身材"),
    ),
    (
        "他是否健在",
        re.compile(r"还在世|在不在世|还活着|去世了没|去世没|走了没有|还健在"),
        re.compile(r"去世|逝世|病逝|牺牲|殉职|离开了人世|离世|健在"),
    ),
    # 「陈腊英现在还在扫地没得 退休没有」: whether someone has retired, which a story tells as 退休 or 至今
    (
        "退休没有",
        re.compile(r"退休(了)?(没有|没得|没|了吗|了没)|退(了)?休没|还在(上班|干|扫|开|教|当)[\u4e00-\u9fff]{0,3}(没得|没有|吗)"),
        re.compile(r"退休|至今|仍在|仍然在|依然在|如今还|现在还|转到|调到|调任|离开了?(一线|驾驶|岗位)"),  # 「此后转到培训岗位」
    ),
    (
        "个人婚姻家庭",
        re.compile(r"结婚|成家|男朋友|女朋友|有(孩子|儿子|女儿)(没|吗|不)|有没有(孩子|儿子|女儿)"),
        re.compile(r"结婚|成家|丈夫|妻子|爱人|老伴|儿子|女儿|子女"),
    ),
)
# 「531路是从哪开到哪的」: a route the item never gives.
ROUTE = re.compile(r"从哪.{0,6}到哪")
ROUTE_STATED = re.compile(r"从[\u4e00-\u9fff]{1,10}?(?:开到|跑到|送到|运到|通到|修到|开往|驶往|送往|至)|起点|终点|开往|始发|途经")
# 「顾秋亮是哪年退休的」: the item tells the event but never when. Only a year is looked for: 「啥时候」
# is often answered without a date (「下班后」「暑期前后」).
YEAR = re.compile(r"哪一?年|(?<=[生世])年份")  # 「出生年份晓得不」
DATED = re.compile(r"(\d{2,4}|[一二〇零三四五六七八九十]{2,4})年|\d+月|[一二三四五六七八九十]+月|年代|那年|当年|这一年|那一天|那天")
A_YEAR = re.compile(r"\d{4}年|[〇零一二三四五六七八九]{4}年|年代")  # a year, not a span (「干了36年」)
FILLER = set("是的了在他她吗呢么什哪年一个这那就都也还候天月几号时")
# 「那本书叫什么」 points back at the item, 「给火箭焊心脏的人说的是哪个」「唯一的女的是哪个」 ask who
# someone is: neither asks for a relation or an office the item must name.
GENERIC_NAMED = re.compile(r"^[那这哪]|的|^人|说|当|做|任|第")
INTERROGATIVE = re.compile(r"什么|多少|好多|多久|几|哪|谁|怎么|怎样|如何|为什么|吗|呢|没有|不")
# 「献了几十年血」「好几个人」: a rough number, not a question
ROUGH_NUMBER = re.compile(r"[好十这那前头]几|几(?=[十百千万])|几(?=[\u4e00-\u9fff]{1,2}(再|才|以后|之后))")  # 看几炉再上手


# 「一个月拿好多工资」「补了好多学费」: an amount of money, asked before the word for it.
MONEY_AFTER = re.compile(r"(多少|好多)(?:的)?(?:工资|学费|费用|路费|补贴|补助|奖金|津贴|薪水|会费|罚款)")


# A part that asks only 「好多」 of something another part named: 「标准是好多」「一个月是多少」.
BARE_AMOUNT = re.compile(r"^[\u4e00-\u9fff]{0,4}?(是|有|要|给|发|算|能)?(好多|多少)(钱)?[？?]?$")


def stated_count(question: str, context: str = "") -> re.Pattern | None:
    """What states the count a question asks for (「好多场」→ a number of 场), or None. The `context` (the
    question a follow-up leans on) may say what pay is asked about: 「能赔好多钱」 after an unsigned contract."""
    question = MONEY_AFTER.sub(r"\1钱", question)
    # 多大 is a size, but after a classifier 大 starts a noun: 「好多个大学生」
    # 几十年、几百个 are rough numbers, not questions
    found = [
        m for m in COUNTED.finditer(question) if (m["thing"] not in ADJECTIVES or m["classifier"]) and m["thing"] not in "十百千万"
    ]
    # 「几米长的焊缝」 describes a thing, it does not ask how long
    found = [m for m in found if not DESCRIBES.match(question, m.end()) or m["thing"] == "钱"]  # 「领好多钱的互助金」
    if OTHER_QUESTION.search(COUNTED.sub("", question)):
        found = [m for m in found if m["how"] != "好多"]
    counted = [m["thing"] for m in found]
    if PRICED.search(question) or PAID.search(question):
        counted.append("价")
    if not counted:
        return None
    measures = "|".join(MEASURES[word] for word in counted if word in MEASURES) or "(?!)"
    things = "|".join(YEARS if word == "年" else re.escape(word) for word in counted if word not in MEASURES) or "(?!)"
    nouns = "|".join((PEOPLE_WORDS if word in PEOPLE else re.escape(word)) for word in counted)
    # A pay rate is stated as a share or a multiple of the wage: 「加班给好多钱」 by 百分之二百的工资; an
    # amount is not (「最低工资一个月好多钱」「十级伤残能赔好多钱」).
    rate = "倍" in counted or set(counted) & set("钱价") and PAY_RATE.search(f"{question} {context}")
    share = f"|百分之{NUMERAL}|{NUMERAL}倍" if rate else ""
    # 「三八女子班一共有几个人」 is not stated by 「当一名抽粪工」「宁愿一人脏」: one, for people, is an article
    people = set(counted) & (PEOPLE | BARE)
    lead = MANY if people else f"{NUMERAL}+"
    # people are counted by 名 or 位 whatever they are (「十一名年轻的钢筋工」); 「会焊的有好多个」 by anything
    # counted, people included (「一共十六人」)
    anyone = f"|{MANY}(?:余|多|来)?[名位]" if people else ""
    anything = f"|{MANY}(?:余|多|来)?(?:{CLASSIFIER}|人)" if set(counted) & BARE else ""
    return re.compile(
        f"{lead}(?:余|多|来)?(?:个|位|名)?(?:{measures})|{MANY}(?:余|多|来)?(?:个|位|名)?(?:{things})"
        f"|{MANY}(?:余|多|来)?{CLASSIFIER}[\u4e00-\u9fff]{{0,6}}?(?:{nouns})"
        + share + anyone + anything
    )


# 「殷瓦钢到底有好薄」「沉到水底下好深」「那个瘤子有好重」: a size, a distance or a weight asked (not
# 「下头好高哦」, said in fear, nor 「多长时间」), stated as a number with its unit (「厚度不到一毫米」).
SIZED = re.compile(
    r"(?<!期)(?:(?<=[有是底])好|好(?=[长高宽深厚薄远粗细重](?:嘛|呢|哦?[？?]|$))|(?<![好很太更最])多)"
    r"(?P<adj>[长高宽深厚薄远粗细]|重(?=嘛|呢|[？?]|$))(?![度期处种项位视久时的温兴峰])(?![哦啊噢喔])"
)
SIZES = {**dict.fromkeys("长高宽深厚薄远粗细", "毫米|厘米|公分|分米|米|公里|千米|丝|层楼"), "重": "吨|公斤|千克|斤|克"}


def stated_size(question: str) -> re.Pattern | None:
    """What states the size, distance or weight a question asks for (「好薄」→ a number of 毫米), or None."""
    m = SIZED.search(question)
    # a number said, 「几百米」 too, not 「几米长的焊缝」
    number = "(?:几[十百千万]+|(?<!几)[0-9０-９.一二三四五六七八九十百千万两半]+)"
    return re.compile(f"{number}(?:多|余|来)?(?:{SIZES[m['adj']]})") if m else None


def missing_value(question: str, item_text: str, context: str = "") -> str:
    """What a question asks that the item does not state ('' when it may be there). A question of
    several parts is declined only when the item states none of what they ask."""
    missing = _missing_parts(question, item_text, context)
    return missing[0] if missing and all(missing) else ""


def unstated_part(question: str, item_text: str) -> str:
    """What one part of a question asks that the item does not state, where it states what another
    part asks ('' otherwise): 「张桂梅那个学校叫啥名字 她屋头女儿叫啥」 is answered, and told that the
    story does not name her daughter (workers' trial 6: the part was passed over in silence)."""
    missing = _missing_parts(question, item_text)
    return next((m for m in missing if m), "") if not all(missing) else ""


def first_part_unstated(question: str, item_text: str) -> bool:
    """Whether the first thing a question asks, or most of what it asks, is what the item does not state
    (「女工人到底好多岁退休 我社保还差几年咋办」): then the answer says so first, not after the related text
    (workers' trial 10)."""
    missing = _missing_parts(question, item_text)
    return bool(missing) and (bool(missing[0]) or 2 * sum(map(bool, missing)) > len(missing))


def _missing_parts(question: str, item_text: str, context: str = "") -> list[str]:
    """For each part of a question that asks something, what it asks that the item does not state ('' if it may)."""
    # 「美国那边加班工资咋个算」「日本的试用期最长好久」: the material is about this country's laws and workers
    if (m := FOREIGN.search(question)) and m.group(0) not in item_text:
        return [f"{m.group(0)}的情况"]
    parts = [(p, _value_kind(p)) for p in re.split(r"[\s，,。？?！!；;]+", question)]
    if any(stated_count(p) for p, _ in parts):
        # 「高温补贴一个月发好多 标准是好多」: the second part asks the same amount again
        parts = [(p, kind) for p, kind in parts if kind or stated_count(p) or not BARE_AMOUNT.search(p)]
    missing: list[str] = []
    relation = ""  # the last relative a part named
    colleague = ""  # the last master or apprentices someone had (「他带出来的那些徒弟」)
    for n, (part, kind) in enumerate(parts):
        said_only = ROUGH_NUMBER.sub("", part)
        # 「柜子头有几瓶剧毒的药品 咋个放才合规矩」: a few things there, where a later part asks
        if any(INTERROGATIVE.search(p) for p, _ in parts[n + 1 :]):
            said_only = FEW.sub("有", said_only)
        asking = kind or INTERROGATIVE.search(said_only)
        named = relation
        if (m := FAMILY.search(part)) and m["relation"]:
            relation = m["relation"]
        elif m := SOMEONE_AT_WORK.search(part):  # 「吴孟超带出来的那些徒弟 …… 叫啥名字」
            colleague = m["who"]
        if not asking:
            continue
        # 「他妻子也在学校煮饭，她叫什么名字」: the name asked is the relative's the part before named
        if named and (asked := NAME_OF_HIM_OR_HER.match(part)):
            part = f"他{named}{asked['name']}{part[asked.end():]}"
        elif colleague and (asked := NAME_OF_THEM.match(part)):  # not 「他叫啥」: 他 may be the master himself
            # 「哪个最有名气」「有哪几个出名的」 of his apprentices asks who they are: their names
            name = "叫什么" if asked["name"].startswith(("哪", "有哪")) else asked["name"]
            part = f"他{colleague}{name}{part[asked.end():]}"
        said = _missing(part, kind, item_text, context, parts[n - 1][0] if n else "")
        # 「808路末班车是几点」: a route the item never names is asked about, whatever times it states
        if not said and (route := LINE_NUMBER.search(part)) and route.group(0) not in item_text:
            said = f"{route.group(0)}的情况"
        # 「艾爱国他父亲叫什么名字？也是湘钢的老工人不？」: a part that goes on about the same unstated person
        if not said and missing and missing[-1].startswith("他的") and ABOUT_THE_SAME.match(part):
            said = missing[-1]
        # 「高温津贴一个月发好多钱，啥子时候开始发」「傅国涛是哪年生的 是哪个技校毕业的」: a part with no
        # subject of its own goes on about what the unstated parts before it asked
        if not said and missing and all(missing) and (GOES_ON.match(part) or _echoes(part, missing[-1])):
            said = missing[-1]
        # 「一个月拿好多钱 补贴高不高」: whether an amount is high asks the amount the part before asked
        if not said and missing and missing[-1] == "您问的这个数" and AMOUNT_JUDGED.search(part):
            said = missing[-1]
        # 「一起的张广智多大岁数」: the age of someone else the story names, not of the one it is about
        if not said and kind and kind[0] == "出生年份和岁数" and (who := _named_person(part)) and who in item_text:
            if not any(who in c and kind[1].search(c) for c in SENTENCES.split(item_text)):
                said = f"{who}的年龄"
        # 「跟她一起出去的那个张广智 是哪里人」: where someone else the story names comes from
        if not said and ORIGIN_ASKED.match(part) and n and (who := _named_person(parts[n - 1][0])) and who in item_text:
            if not re.search(f"{who}[^。]{{0,12}}({ORIGIN_STATED})", item_text):
                said = f"{who}是哪里人"
        # 「他老婆是干啥的 支持他不」: with no subject, the part asks on about the relative
        if not said and missing and missing[-1].startswith("他的") and OF_HIM.match(part):
            said = missing[-1]
        missing.append(said)
    return missing


# A part that starts with no subject of its own, or with a pronoun, and asks on: 「后来也在油田上班不」
# 「都叫啥名字」「退休的时候好多岁」 (not 「我社保还差几年咋办」, the asker's own matter, nor 「后来他还搞过
# 啥子节约的名堂没得」, a new question about him, nor 「怎么放才合规矩」 after 「柜子头有几瓶剧毒的药品」:
# how to do something, which the item may well say).
GOES_ON = re.compile(
    r"^(那|他|她|它|他们|她们)?(后来|现在|当时|那时|也|还|都|又|是|有|一共|总共|具体|到底|啥|什么|哪|好多|多少|几|叫|退休)(?!他|她|我|你|咱)"
)
FEW = re.compile(r"有几(?=[个瓶桶袋箱根台件张条块位名])")
ORIGIN_ASKED = re.compile(r"^(?:是|又是|老家是)?(?:哪里人|哪儿的?人|哪里的人|哪点人|哪个地方的人)")
ORIGIN_STATED = "是[\u4e00-\u9fff]{1,6}人|出生在|出生于|生于|老家"


def _named_person(text: str) -> str:
    """The last person a part of a question names by name (jieba's tag, two to four characters)."""
    return next((w.word for w in reversed(list(jieba.posseg.cut(text))) if w.flag == "nr" and 2 <= len(w.word) <= 4), "")


AMOUNT_JUDGED = re.compile(r"(?:工资|补贴|津贴|奖金|钱|收入|待遇|费)[\u4e00-\u9fff]{0,2}?(?:高不高|多不多|贵不贵|够不够|低不低)")
OF_HIM = re.compile(r"^[\u4e00-\u9fff]{1,3}[他她](?!们)")  # 「支持他不」「跟他一起去没得」
NAME_OF_HIM_OR_HER = re.compile(r"^(?:[他她]|[他她]们|都|又|分别)?(?P<name>叫什么|叫啥|姓什么)")
NAME_OF_THEM = re.compile(r"^(?:[他她]们|都|又|分别|最[\u4e00-\u9fff]{1,3}?(?:的那个|的那位|那个|那位|的))?(?P<name>叫什么|叫啥|姓什么|哪个|哪几个|哪些|哪位|有哪几个|有哪些)")
# someone's master or apprentices, not 「有个开大客车的师傅」, the one asked about
SOMEONE_AT_WORK = re.compile(
    r"(?:[他她]的?|带出来的|带的|收的|带过的|参加[\u4e00-\u9fff]{1,4}的)(?:那些|那个|那位|几个|那[^，,\s]{1,6}?个)?(?P<who>师傅|师父|徒弟|同事|搭档|教练)")
# A part that goes on about whom the part before asked: 「也是…不」「她叫什么名字」
ABOUT_THE_SAME = re.compile(r"^(他|她|他们|她们)?(也|还|都)|^(他|她)(叫|姓|是哪|是干|在哪|做什么)")


def _named(thing: str, item_text: str) -> bool:
    """Whether the item gives the thing a name, not only mentions it: 「彭祥华……那个涌水的隧道叫啥名字」
    is not answered by 「一条穿山而过的隧道」, but 「“三零四一”工作法」 or 「桑珠岭隧道」 would be."""
    if thing not in item_text:
        return False
    for sentence in SENTENCES.split(item_text):
        if thing not in sentence:
            continue
        if re.search(rf"[”》」』）)][\u4e00-\u9fff]{{0,2}}{re.escape(thing)}|{re.escape(thing)}(?:名叫|叫做|叫|名为|称为)", sentence):
            return True  # a quoted or titled name said just before it, or a name said after it (师傅名叫……)
        words = list(jieba.posseg.cut(sentence))
        for n, w in enumerate(words):
            if w.word != thing and w.word.endswith(thing) and w.flag in PROPER_TAGS:
                return True  # the name is one word with it: 华坪女高
            if w.word.startswith(thing) and n and words[n - 1].flag in PROPER_TAGS:
                return True  # a proper noun right before it: 拉林 铁路
    return False


WHICH = re.compile(
    r"(?:哪(?:个|几个|一个|些|所|家|支)|什么)(?:(?P<thing>国家|大学|部队|医院|公司|油田|核电站|隧道|牌子|品牌)(?![级队])|(?P<place>县|乡|镇|村)(?=[的人里头]|[^\u4e00-\u9fff]|$))"
)


def _which_stated(m: re.Match, part: str, item_text: str) -> bool:
    """Whether the item names the one a which-question asks for, in a clause with the place the question
    puts it in (「读的是英国哪个大学」 is not answered by 「放弃在英国的优厚待遇，回到母校吉林大学」)."""
    place = next((w.word for w in jieba.posseg.cut(part[: m.start()]) if w.flag == "ns"), "")
    text = "。".join(c for c in re.split(r"[，,；;。！？]", item_text) if place in c)
    if m["place"]:  # 「蒿枝坝村」「东光县」 name one; 「一个小山村」「村里」 do not
        return bool(re.search(rf"[\u4e00-\u9fff](?<![个小山农乡这那的偏远近里外])(?:{m['place']})", text))
    thing = m["thing"]
    if thing == "国家":
        return bool(FOREIGN.search(text))
    if thing in ("牌子", "品牌"):
        return "牌" in text
    return _named(thing, text)


PROPER_TAGS = {"nr", "ns", "nt", "nz", "nrt", "nrfg", "eng"}


def _echoes(part: str, unstated: str) -> bool:
    """Whether a part starts with the word that the unstated part before it asked about: 「退休没有 退了
    在干啥」 asks on about the retirement the item never tells."""
    return len(part) > 1 and part[0] in unstated and part[0] not in "他她我你那这是有几"


def _value_kind(part: str) -> tuple[str, re.Pattern] | None:
    """The kind of value a part of a question asks for (VALUE_KINDS): its name and how it is stated."""
    return next(((name, stated) for name, asked, stated in VALUE_KINDS if asked.search(part)), None)


def _missing(part: str, kind: tuple[str, re.Pattern] | None, item_text: str, context: str = "", earlier: str = "") -> str:
    count = stated_count(part, context)
    # 「渝中区总工会法律援助中心电话是好多」: a district's own office, number or figure, not the item's 12351
    local = DISTRICT.search(part)
    if local and local.group(1) not in item_text and (kind or count is not None):
        return f"{local.group(0)}的情况"
    if kind and not kind[1].search(item_text):
        return kind[0]  # 「一年几回」 asks how often, not whether the item counts 次 anywhere
    if count is not None:
        return "" if _counted_about(part, count, item_text) or _shared_out(part, item_text) else "您问的这个数"
    for pattern in (NAMED, HOLDER):
        m = pattern.search(part)
        named = _named(m.group(1), item_text) if m and "叫" in m.group(0) else m and m.group(1) in item_text
        if m and not GENERIC_NAMED.search(m.group(1)) and not named:
            return f"「{m.group(1)}」"  # 「那本书叫什么」 points back at the item and is not a relation
    # 「读的是英国哪个大学」「是哪个国家造的 啥子型号」: which one, where the item never names one
    if (m := WHICH.search(part)) and not _which_stated(m, part, item_text):
        return f"具体是哪个{m['thing'] or m['place']}"
    if LIKING.search(part) and not LIKING_STATED.search(item_text):
        return "这个人的喜好"
    if m := FAMILY.search(part):
        relation = m["relation"] or m["colleague"] or m["master"]
        stated = FAMILY_STATED["name" if m["name"] or m["called"] or m["who_asked"] else "origin" if m["origin"] else "fate" if m["fate"] else "work"]
        # 「父母都是老一辈航天人」 tells of his father too; 「他老婆」 is told as 他的妻子
        told = PARENTS if relation in PARENT_WORDS else SPOUSES.get(relation.rstrip("儿"), relation)
        if not re.search(f"({told}).{{0,8}}{stated}", item_text):
            return f"他的{SAID_AS.get(relation, relation)}"
    # 「1205队第十九任队长是哪个」 of a story that tells the eighteenth: an ordinal post it never names
    if (m := ORDINAL_POST.search(part)) and OTHER_QUESTION.search(part) and not _ordinal_stated(m, item_text):
        return m.group(0)
    if ROUTE.search(part) and not ROUTE_STATED.search(item_text):
        return "具体的线路"
    if YEAR.search(part) and not re.search(r"每天|每次|平时|一般|经常", part) and _undated(part, item_text, earlier):
        return "具体的时间"
    return ""


ORDINAL_POST = re.compile(r"第([一二三四五六七八九十\d]{1,4})(任|届|代|批|期)")  # the ordinals _arabic reads
DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")}


def _ordinal_stated(m: re.Match, item_text: str) -> bool:
    """Whether the item says this ordinal, in Chinese numerals or in digits."""
    asked = _arabic(m.group(1))
    return any(_arabic(n) == asked for n in re.findall(rf"第([一二三四五六七八九十\d]{{1,4}}){m.group(2)}", item_text))


def _arabic(numeral: str) -> str:
    """「十九」 → 19, 「二十」 → 20, 「三」 → 3 (the small ordinals of posts); digits as they are."""
    if numeral.isdigit():
        return numeral
    tens, _, ones = numeral.rpartition("十")
    if "十" not in numeral:
        return str(DIGITS.get(numeral, 0))
    return str((DIGITS.get(tens, 0) if tens else 1) * 10 + DIGITS.get(ones, 0))


# Chongqing's districts and counties, whose offices and figures the material, written for every
# worker, does not give.
DISTRICT = re.compile(
    r"(渝中|江北|南岸|九龙坡|沙坪坝|大渡口|渝北|巴南|北碚|万州|涪陵|黔江|长寿|江津|合川|永川|南川|綦江|大足|璧山|铜梁|"
    r"潼南|荣昌|开州|梁平|武隆|城口|丰都|垫江|忠县|云阳|奉节|巫山|巫溪|石柱|秀山|酉阳|彭水|两江新区)(区|县)?"
)
# 「成都公交那个女劳模郑玉霞」: someone placed in a city their story never names is someone else.
CITIES = (
    f"{PROVINCES}|成都|广州|深圳|武汉|西安|南京|杭州|沈阳|长沙|郑州|济南|青岛|大连|哈尔滨|长春|昆明|贵阳|南宁|福州|厦门|合肥|"
    "南昌|石家庄|太原|兰州|乌鲁木齐|拉萨|西宁|银川|呼和浩特|海口|宁波|苏州|无锡|唐山|大庆|鞍山|攀枝花|绵阳|宜宾|自贡|南充"
)
PLACED = re.compile(rf"({CITIES})[\u4e00-\u9fff]{{0,8}}?(那个|那位|的那|有个|有位)")


def elsewhere(question: str, story_text: str) -> str:
    """The city a question places the person it asks about in, where their story never names it ('' if it does);
    not the city of whom it says it does not mean (「不是长春那个 我说的是青岛四方……的那个」)."""
    m = PLACED.search(NOT_MEANT_CLAUSE.sub("", question))
    return m.group(1) if m and m.group(1) not in story_text else ""


NOT_MEANT_CLAUSE = re.compile(r"不是[^，,。？?！!\s]{1,12}")
LINE_NUMBER = re.compile(r"\d+路")  # a bus or tram line: 808路
# Another country, whose laws and workers the material does not cover unless the item names it.
FOREIGN = re.compile(r"美国|日本|韩国|英国|德国|法国|俄罗斯|意大利|西班牙|澳大利亚|澳洲|加拿大|新加坡|泰国|越南|印度|马来西亚|菲律宾|欧洲|非洲|中东")
# 「张兵一个月工资好多」: pay is stated where the sentence with the amount says it is pay, not by a
# passenger's fare (「花两块钱坐车」) in the same story.
PAY_ASKED = re.compile(r"工资|薪|收入|挣|赚|待遇")
PAY_STATED = re.compile(r"工资|薪|收入|挣|赚|待遇|报酬|奖金|补贴|津贴")
SENTENCES = re.compile(r"(?<=[。！？；])")  # an item's text in sentences and clauses, to find what states a value


def _counted_about(part: str, count: re.Pattern, item_text: str) -> bool:
    """Whether the item states the count a part asks for; an amount of pay, in a sentence about pay. The
    count is not an ordinal (「第700万个标准箱」 counts no boxes an hour) nor every one, and people, whom stories count
    in passing, are counted near something else the part asks about (「一共死了好多人」 is not stated by
    「一车几十名乘客」 in a course that never tells a death)."""
    sentences = SENTENCES.split(item_text)
    # 「是第几口井」 is stated by 「第二口井」, 「是几届人大代表」 by 「第十三届」
    ordinal = "第几" in part or any(m["thing"] in "届期批代任" for m in COUNTED.finditer(part))
    # nor 「每一个小时都很宝贵」: every one, no count
    counted = [
        i for i, s in enumerate(sentences)
        if any((ordinal or s[m.start() - 1 : m.start()] != "第") and s[m.start() - 1 : m.start()] != "每" for m in count.finditer(s))
    ]
    if PAY_ASKED.search(part):
        return any(PAY_STATED.search(sentences[i]) for i in counted)
    people = any(m["thing"] in PEOPLE for m in COUNTED.finditer(part))
    anchors = set(re.sub(r"[^\u4e00-\u9fff]", "", COUNTED.sub("", part))) - COUNT_WORDS if people else set()
    near = ("".join(sentences[max(i - 1, 0) : i + 2]) for i in counted)
    return any(not anchors or anchors & set(text) for text in near)


SHARE = "一半|大半|过半|半数|多数|大多数|[三四五六七八九十]分之[一二三四五六七八九]|百分之[\\d一二三四五六七八九十]+|\\d+(?:\\.\\d+)?%"


def _shared_out(part: str, item_text: str) -> bool:
    """Whether the item states how many as a share of the thing counted: 「全国好多核电机组找他们」 is
    answered by 「国内一半以上的核电机组」 (not pay: a share of the wage is no amount)."""
    if PAY_ASKED.search(part) or PRICED.search(part):
        return False
    return any(
        re.search(rf"({SHARE})[^。；，]{{0,6}}{re.escape(m['thing'])}", item_text) for m in COUNTED.finditer(part) if m["thing"] not in PEOPLE
    )


# What a count question says besides the thing it is about: 「一共有好多个」「到底几」
COUNT_WORDS = FILLER | set("多少好几共总有没得嘛啥子么咋到底啊呀哦才又要能会把被让给除")


def _undated(part: str, item_text: str, earlier: str = "") -> bool:
    """Whether the item never dates the event a when-question asks about: it tells it, only never with a
    date, or it dates nothing at all. Dates are read clause by clause: 「先后获得……等荣誉，当选感动中国
    2016年度人物」 dates the second honour, not the first. A part that names no event asks when what the part
    before it told happened (「那回冬天上井架抡大锤 是哪一年」)."""
    m = YEAR.search(part)
    after = [w for w in _content_words(part[m.end() :]) if w not in STARTS]
    before = _content_words(DESCRIBED_BY.split(part[: m.start()])[-1])
    if BORN.match(part[m.end() :]):
        after = ["出生"]  # 「是哪一年生的」: 生的 is no content word of its own
    if not after and not before and earlier:
        before = _content_words(DESCRIBED_BY.split(earlier)[-1])
    event = (after or before[-1:] or [""])[0]
    if not event:
        return False  # 「哪年办的」: no event to look for
    clauses = _dated_clauses(item_text, since=bool(SINCE_ASKED.search(part)))
    said = LIFE_EVENTS.get(event) or SAID_OTHERWISE.get(event) or re.escape(event)
    told = [dated for clause, dated in clauses if re.search(said, clause)]
    if not told and earlier and event not in LIFE_EVENTS:  # 「当班长当了好久 是哪年不当的」: what the part before said
        before += [w for w in _content_words(DESCRIBED_BY.split(earlier)[-1]) if w not in before]
    if not told and event in LIFE_EVENTS:
        return True  # 「出生年份晓得不」: a birth or a death is told in these words or not at all
    words = {w for w in (*after, *before) if w != event and w not in WIDE}
    if any(told):
        return False
    # The clause that tells most of what the question says tells the event: 「此后，他从一线驾驶员岗位转到公司的
    # 教育培训岗位」 for 「哪一年离开驾驶岗位去搞培训的」, undated though 「2011年…号召全省客运驾驶人向他学习」 is dated.
    overlap = [(sum(w in clause for w in {event, *words}), dated) for clause, dated in clauses]
    most = max((k for k, _ in overlap), default=0)
    if most >= 2 and not told:  # (where the event's own word is told, undated, the words around it decide below)
        return not any(dated for k, dated in overlap if k == most)
    # 「去苏丹打井是哪年」 is dated by 「2006年…出征苏丹」: another word of the question in a dated clause
    # (not one that only says who is asked about: 「蛟龙号那个顾两丝是哪年退休的」).
    if any(dated and w in clause for clause, dated in clauses for w in words):
        return False
    # what the item is about all through (劳模精神 in its own course) says nothing of when one thing was
    topical = {w for w in words if sum(w in clause for clause, _ in clauses) > TOPIC_CLAUSES}
    if not told and not any(w in clause for clause, _ in clauses for w in words - topical):
        # 「傅国涛是哪年进厂的」: an item that dates nothing at all. One that dates other things may tell the
        # event in other words (「申纪兰哪年去世的」: 「2020年6月，申纪兰……逝世」).
        return not A_YEAR.search(item_text)
    return True  # told, or what it is about told (「那张邮票是哪一年发行的」), only where nothing dates it


LATER = re.compile(r"(?:后来|此后|之后|再后来|多年后|几年后|没过多久|不久)")
BORN = re.compile(r"(?:出)?生(?:的|下来)?(?![\u4e00-\u9fff])")
TOPIC_CLAUSES = 3
# Words that only say how far something reaches (「全国人大代表」), not which event: 「2013年…获得全国五一劳动
# 奖章」 does not date when she was elected a deputy.
WIDE = {"全国", "全省", "全市", "国家", "中国", "世界", "国际"}
SAID_OTHERWISE = {"开会": "开会|召开|大会|会议", "成立": "成立|创办|创建|组建|挂牌"}  # 「劳模精神是哪年在哪里开会提的」
LIFE_EVENTS = {w: "出生|生于|生在|诞生" for w in ("出生", "生的")} | {
    w: "去世|逝世|病逝|牺牲|殉职|离开了人世|离世" for w in ("去世", "逝世", "走的", "牺牲", "死的")
}
STARTS = {"开始", "正式", "出来", "起来", "晓得", "知道", "清楚"}  # 「哪年开始学护理」 asks when 护理 began
DESCRIBED_BY = re.compile(r"那个|那位")  # what comes before says who is asked about, not what he did
CLAUSE = re.compile(r"(?<=[，,；;：:])")
SINCE_ASKED = re.compile(r"开始|从哪|起")
SPAN = re.compile(r"从[^，,；;]{0,12}年(?:起|开始|以来)|年(?:来|以来)")  # 「从1984年起开公交」 starts years of work


def _content_words(text: str) -> list[str]:
    """The words of a question worth looking for in an item: two characters or more, no pronoun or
    question word."""
    return [w for w in jieba.lcut(text) if len(w) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", w) and not set(w) & set("哪那这什么吗呢是的了")]


def _dated_clauses(item_text: str, since: bool = False) -> list[tuple[str, bool]]:
    """The item's clauses, each with whether a date governs it: its own, or one said before it in its
    sentence (「2006年春节刚过，他带着钻井队出征苏丹」), not one after it (「先后获得……等荣誉，当选感动中国
    2016年度人物」) nor the start of years of work (「从1984年起开公交，……总结出“三零四一”工作法」), unless
    the question asks since when (「红岩大思政体系从哪年开始搞的」: 「2023年以来，……打造了……体系」)."""
    clauses = []
    for sentence in SENTENCES.split(item_text):
        dated = False  # a date said earlier in the sentence goes on dating what follows it
        for clause in CLAUSE.split(sentence):
            if clause:
                if LATER.match(clause) and not DATED.search(clause):
                    dated = False  # 「1980年，…来到泥洋小学教书，后来又…去了白洋教学点」: later, undated
                dated = dated or bool(DATED.search(clause)) and (since or not SPAN.search(clause))
                clauses.append((clause, dated or bool(DATED.search(clause))))
    return clauses
