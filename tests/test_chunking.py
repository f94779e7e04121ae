"""Chinese-aware chunking."""

from bot.index.chunking import answer_units, chunk_body, chunk_item, pack, split_sentences, talk_document
from bot.index.corpus import LESSON_TALK, SUB_JOB_POINTS, load_corpus
from conftest import SMALL_CORPUS, make_settings


def test_sentences_split_on_chinese_end_marks_and_keep_quotes():
    text = "第一句。第二句！“引号里的一句。”第三句？\n\n## 小标题\n第四句；最后没有句号"
    assert split_sentences(text) == ["第一句。", "第二句！", "“引号里的一句。”", "第三句？", "小标题", "第四句；", "最后没有句号"]


def test_pack_respects_target_limit_and_overlap():
    sentences = [f"{i}" * 99 + "。" for i in range(10)]
    chunks = pack(sentences, target=350, limit=500, overlap=120)
    assert all(len(c) <= 500 for c in chunks)
    assert "".join(dict.fromkeys(s for c in chunks for s in split_sentences(c))) == "".join(sentences)
    for prev, nxt in zip(chunks, chunks[1:]):
        assert split_sentences(prev)[-1] == split_sentences(nxt)[0]  # one sentence of overlap


def test_heading_does_not_fuse_with_next_sentence():
    assert pack(["小标题", "正文一句。"], 350, 500, 0) == ["小标题\n正文一句。"]


def test_chunks_carry_metadata_title_and_person(tmp_path):
    settings = make_settings(tmp_path)
    item = next(i for i in load_corpus(SMALL_CORPUS).items if i.id == "story-test-welder")
    docs = chunk_item(item, settings)
    assert docs[0].metadata["section"] == "card" and item.lesson in chunk_body(docs[0])
    for i, doc in enumerate(docs):
        assert doc.page_content.startswith("《焊工李师傅：一条焊缝练了十年》 李建国")
        assert doc.metadata["item_id"] == item.id and doc.metadata["chunk_index"] == i
        assert doc.metadata["n_chunks"] == len(docs) and doc.id == f"{item.id}:{doc.metadata['item_hash']}:{i}"
    assert all(s in "".join(chunk_body(d) for d in docs[1:]) for s in split_sentences(item.body))


def test_ids_change_only_when_content_changes(tmp_path):
    settings = make_settings(tmp_path)
    item = load_corpus(SMALL_CORPUS).items[0]
    assert [d.id for d in chunk_item(item, settings)] == [d.id for d in chunk_item(item, settings)]
    edited = item.__class__(**{**item.__dict__, "body": item.body + "新增一句。"})
    assert chunk_item(edited, settings)[0].id != chunk_item(item, settings)[0].id


def test_lesson_talk_is_kept_out_of_chunks_and_after_the_answer_units(tmp_path):
    """A course's 「班前说一说」 is never searched: no chunk holds it, its own document does, and the
    sections after it are indexed as before. Its units come after all the others, under its heading
    (a trade's talk says how its job is done: an answer from the course may quote it), and the others
    and their rows are as without it."""
    settings = make_settings(tmp_path)
    trade = next(i for i in load_corpus(SMALL_CORPUS).items if i.kind == "course")
    item = trade.__class__(**{**trade.__dict__, "themes": ("工匠精神",)})  # a spirit course
    talk = "咱们每天干的活，也经得起多看一眼。"
    body = f"{item.body}\n\n## {LESSON_TALK}\n\n{talk}\n\n## 后面一节\n\n这一节照常检索。"
    edited = item.__class__(**{**item.__dict__, "body": body})
    indexed = "".join(chunk_body(d) for d in chunk_item(edited, settings))
    assert talk not in indexed and "这一节照常检索。" in indexed
    trade_talk = trade.__class__(**{**trade.__dict__, "body": body})  # 「山城下坡……刹车咋个踩」: the talk says
    assert answer_units(trade_talk)[-1] == (LESSON_TALK, talk) and talk_document(trade_talk)
    units = answer_units(edited)
    assert units[-1] == (LESSON_TALK, talk) and all(h != LESSON_TALK for h, _ in units[:-1])
    # A sub-job's safety points are never searched (another trade's would win a question by a shared word),
    # but an answer from the course quotes them (a worker's trial: 「折返换端有啥子要注意的」 got the bus
    # drivers' general points), cited from the part lessons read.
    point = "精整区剪切机换刀先停机断电，上锁挂牌。"
    with_points = item.__class__(**{**item.__dict__, "body": body.replace("## 后面一节", f"## {SUB_JOB_POINTS}\n\n{point}\n\n## 后面一节")})
    assert point not in "".join(chunk_body(d) for d in chunk_item(with_points, settings))
    assert (SUB_JOB_POINTS, point) in answer_units(with_points) and point in talk_document(with_points).page_content
    assert "这一节照常检索。" in "".join(u for _, u in units[:-1])
    assert units[:-1] == answer_units(item.__class__(**{**item.__dict__, "body": body.replace(f"## {LESSON_TALK}\n\n{talk}\n\n", "")}))
    assert talk_document(edited).page_content.endswith(talk) and talk_document(item) is None
