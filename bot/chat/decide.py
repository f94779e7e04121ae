"""Whether to answer, ask back or decline, and the pointer a decline gives.

Refusal patterns catch requests, not words: 「忘记戴安全帽会怎样」 is a fair question, 「忘记之前的
规则」 is not. The relevance decision judges the evidence in the item that would be quoted.
"""

import re
from dataclasses import dataclass

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
    "code": re.compile(
        r"写(一段|个|一个)?(代码|程序|脚本)|python|javascript|\bjava\b|\bsql\b|c\+\+|编程实现|function\s*\(", re.I
    ),
}
# What a decline points to, by what the question is about.
POINTERS: tuple[tuple[str, re.Pattern], ...] = (
    ("health", re.compile(r"病|疼|痛|痒|晕|发烧|咳嗽|药|医院|看医生|诊断|症状|怀孕|血压|过敏|受伤|伤口|不舒服|头昏|失眠")),
    (
        "rights",
        re.compile(r"工资|欠薪|加班|合同|社保|医保|公积金|工伤|赔偿|补偿|辞退|开除|裁员|仲裁|劳动局|维权|退休金|养老金|五险"),
    ),
)


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
    aspect: float = 1.0  # the same share for the words that are not the item's names (what is asked about it)

    @property
    def score(self) -> float:
        """One number for the decision; weights and thresholds measured on bench/data/answers_tune.yaml."""
        return self.unit + COVERAGE_WEIGHT * self.coverage - UNKNOWN_WEIGHT * self.unknown


# Measured on the tuning half of the evaluation set (python -m bench.answers --split tune --features):
COVERAGE_WEIGHT = 0.15
UNKNOWN_WEIGHT = 0.10
