"""Hybrid retrieval over the shipped corpus: right item for paraphrased questions, and the gate."""

from pathlib import Path

import pytest
import yaml

from bot.chat.retrieve import Filters, rrf

GATE = yaml.safe_load((Path(__file__).parent / "data" / "gate_questions.yaml").read_text(encoding="utf-8"))

# One question per person and programme of the seed report (重庆晨报/新重庆《渝工铸魂》, 2025).
SEED = [
    ("那个学工程机械、后来在供电公司读了电气工程本科的工人是谁？", "story-wang-yunqi"),
    ("王蕴琦本科毕业后调去做什么工作？", "story-wang-yunqi"),
    ("中船集团首席技师、全国人大代表傅国涛", "story-fu-guotao"),
    ("龚蒙、李喜龙和曾永洪一起给谁上课？", "course-shizhu-class"),
    ("学员陈涛听完劳模的课有什么感想？", "course-shizhu-class"),
    ("重庆电力高等专科学校党委书记宗伟怎么看劳模当思政老师？", "course-zong-wei-classroom"),
    ("电力行业产教融合联盟帮多少人拿到了职业技能等级证书？", "course-power-alliance"),
    ("燃气地质行业产教融合联盟是哪年成立的？", "course-gas-geology-alliance"),
    ("论文写在岗位上是一种什么培养模式？", "course-thesis-at-work-post"),
    ("求学圆梦行动是什么？", "course-qiuxue-yuanmeng"),
    ("百名劳模服务团去哪些地方宣讲？", "course-hundred-model-workers"),
    ("班前充电十分钟怎么开展？", "course-pre-shift-ten-minutes"),
    ("重庆工人红岩大思政体系包括什么？", "course-hongyan-system"),
    ("2023年以来重庆开展了多少场宣讲活动？", "course-hongyan-system"),
    ("理响青工是什么品牌？", "course-publicity-brands"),
    ("五一期间江北嘴十屏联动放的是什么？", "course-may-day-lighting"),
    ("走进新重庆领略新胜景线上专区可以做哪些运动？", "course-online-fitness"),
]


def top_item(retriever, question: str) -> str | None:
    result = retriever.search(question)
    return result.hits[0].item.id if result.hits else None


def test_rrf_weights_and_ranks():
    fused = rrf([["a", "b"], ["b", "c"]], [1.0, 2.0], k=1)
    assert fused == pytest.approx({"a": 1 / 2, "b": 1 / 3 + 2 / 2, "c": 2 / 3})


@pytest.mark.slow
@pytest.mark.parametrize("case", GATE["answerable"], ids=lambda c: c["id"])
def test_paraphrased_questions_find_their_item_and_pass_the_gate(corpus_retriever, case):
    result = corpus_retriever.search(case["q"])
    ids = [h.item.id for h in result.hits]
    if ids[0] != case["id"]:
        # Two items about the same concept can tie within the 4-bit engine's noise on another CPU:
        # then the expected one must be a close second, never further down. A practical question may
        # rank a story of the same trade first, by a margin that varies from one index build to the next
        # (0.57–0.60 for 「公交司机开车前要检查什么」): then its course must be second.
        assert ids[1] == case["id"], ids
    assert result.supported, (result.dense, result.overlap)


@pytest.mark.slow
@pytest.mark.parametrize("question", GATE["unanswerable"])
def test_gate_declines_out_of_corpus_questions(corpus_retriever, question):
    result = corpus_retriever.search(question)
    assert not result.supported, (result.dense, result.overlap, [h.item.id for h in result.hits])


@pytest.mark.slow
@pytest.mark.parametrize("question, item_id", SEED)
def test_every_seed_report_person_and_programme_is_found(corpus_retriever, question, item_id):
    result = corpus_retriever.search(question)
    assert result.supported
    assert item_id in [h.item.id for h in result.hits[:2]], [h.item.id for h in result.hits]


@pytest.mark.slow
def test_one_item_does_not_take_every_slot(corpus_retriever):
    result = corpus_retriever.search("大国工匠焊接")
    ids = [h.item.id for h in result.hits]
    assert len(ids) == len(set(ids)) == corpus_retriever.settings.top_items
    assert all(len(h.chunks) <= corpus_retriever.settings.chunks_per_item for h in result.hits)


@pytest.mark.slow
def test_filters_restrict_kind_industry_and_theme(corpus_retriever):
    result = corpus_retriever.search("安全要点", Filters(industry="电力", kind="course"))
    assert result.hits and all(h.item.industry == "电力" and h.item.kind == "course" for h in result.hits)
    result = corpus_retriever.search("焊接", Filters(themes=("工匠精神",)))
    assert result.hits and all("工匠精神" in h.item.themes for h in result.hits)
    assert corpus_retriever.search("焊接", Filters(industry="不存在的行业")).hits == ()


def test_draft_items_never_reach_workers(small_retriever):
    assert "course-test-draft" not in small_retriever.store.items
    assert all(h.item.id != "course-test-draft" for h in small_retriever.search("海底潜艇维修补贴政策").hits)


def test_langchain_retriever_interface(small_retriever):
    docs = small_retriever.invoke("焊工怎样练仰焊")
    assert docs and docs[0].metadata["item_id"] == "story-test-welder"
    assert small_retriever.invoke("今天天气怎么样") == []


def test_bm25_is_trusted_less_when_the_question_is_in_other_words(small_retriever):
    store = small_retriever.store
    verbatim = "公交司机王秀英出车前检查什么？"
    paraphrase = "开大巴的那个女的上路之前都要看些啥"
    trust = {q: small_retriever.lexical_trust(q, store.lexical(q, 5)) for q in (verbatim, paraphrase)}
    assert trust[verbatim] == 1.0
    assert trust[paraphrase] < 0.8
    off = small_retriever.settings.model_copy(update={"lexical_trust_coverage": 0.0})
    assert type(small_retriever)(store=store, settings=off).lexical_trust(paraphrase, store.lexical(paraphrase, 5)) == 1.0
