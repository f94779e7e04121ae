"""Grounded answers with citations: extractive by default, an LLM when configured.

Streaming is the one code path: `stream_answer` yields growing `Answer` snapshots and
`answer` returns the last one.
"""

import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel

from bot import prompts
from bot.chunking import ENDED, chunk_body, split_sentences
from bot.errors import LecturerError
from bot.retrieve import Filters, Hit, HybridRetriever, Retrieval

log = logging.getLogger(__name__)
MARKER = re.compile(r"\[(\d+)\]")
# "……。[1]" is the house style; "……[1]。" is how sentences are split and checked.
TRAILING_MARKERS = re.compile(r"([。！？；!?;][”’」』）)]*)\s*((?:\[\d+\])+)")
INNER_MARKERS = re.compile(r"((?:\[\d+\])+)([。！？；!?;][”’」』）)]*)")


@dataclass(frozen=True)
class Citation:
    """[n] → the item and the passage quoted from one of its chunks."""

    n: int
    id: str
    title: str
    person: str
    source: str
    quote: str
    chunk_id: str


@dataclass(frozen=True)
class Answer:
    """An answer's text (with [n] markers), its citations, and whether the bot declined."""

    text: str
    citations: tuple[Citation, ...] = ()
    abstained: bool = False


def clean_question(text: str | None, max_chars: int) -> str:
    """Normalise a user's question, or raise a LecturerError saying what is wrong with it."""
    text = unicodedata.normalize("NFKC", text or "")
    # Control and format characters are noise; emoji carry no meaning for retrieval. Drop both, keep the words.
    text = "".join(" " if unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co"} else ch for ch in text)
    if not text.strip():
        raise LecturerError("请先输入您想问的问题，例如：“什么是工匠精神？”", "empty question")
    text = "".join(" " if unicodedata.category(ch) in {"So", "Sk"} else ch for ch in text)
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > max_chars:
        raise LecturerError(
            f"问题太长了（{len(text)} 字），请控制在 {max_chars} 字以内，说清楚想了解的人物或主题即可。",
            f"question too long: {len(text)} > {max_chars}",
        )
    if not re.search(r"[\w\u4e00-\u9fff]", text):
        raise LecturerError("没能看懂这个问题，请用文字描述您想了解的人物、精神或安全知识。", f"no words in {text!r}")
    return text


def answer(question: str, **kwargs) -> Answer:
    """The final answer: the last snapshot of the stream."""
    final = Answer(prompts.DECLINE, abstained=True)
    for snapshot in stream_answer(question, **kwargs):
        final = snapshot
    return final


def stream_answer(
    question: str,
    *,
    retriever: HybridRetriever,
    llm: BaseChatModel | None = None,
    filters: Filters | None = None,
) -> Iterator[Answer]:
    """Yield growing snapshots of the answer to one (already cleaned) question."""
    result = retriever.search(question, filters)
    log.info("retrieval q=%r supported=%s reason=%s dense=%.3f overlap=%.2f hits=%s", question, result.supported,
             result.reason, result.dense, result.overlap, [h.item.id for h in result.hits])
    if not result.supported:
        yield Answer(prompts.DECLINE, abstained=True)
        return
    if llm is not None:
        final = None
        for final in stream_llm(question, result, llm):
            yield final
        if final is not None and final.citations:
            return
        log.warning("LLM answer had no cited sentence; falling back to the extractive answer")
    yield from stream_extractive(question, result, retriever)


# Extractive ---------------------------------------------------------------------------


def stream_extractive(question: str, result: Retrieval, retriever: HybridRetriever) -> Iterator[Answer]:
    """Compose the answer from the most relevant corpus sentences, each cited, then the lesson."""
    settings = retriever.settings
    chosen = select_sentences(question, result.hits[:2], retriever, settings.answer_sentences)
    citations: list[Citation] = []
    parts: list[str] = []
    for hit, doc, sentences in chosen:
        body = chunk_body(doc)
        quote = body[body.index(sentences[0]) : body.index(sentences[-1]) + len(sentences[-1])]
        n = len(citations) + 1
        citations.append(cite(n, hit, doc, quote))
        for sentence in sentences:
            parts.append(f"{sentence}[{n}]")
            yield Answer("".join(parts), tuple(citations))
    top = result.hits[0]
    card = retriever.store.docs[retriever.store.position[f"{top.item.id}:{top.chunks[0].metadata['item_hash']}:0"]]
    n = len(citations) + 1
    citations.append(cite(n, top, card, top.item.lesson))
    text = "\n\n".join(filter(None, ["".join(parts), f"{prompts.TAKEAWAY}{top.item.lesson}[{n}]"]))
    yield Answer(text, tuple(citations))


def select_sentences(
    question: str, hits: tuple[Hit, ...], retriever: HybridRetriever, limit: int
) -> list[tuple[Hit, Document, list[str]]]:
    """The best sentences for the question, grouped per chunk in reading order."""
    candidates: list[tuple[int, Hit, Document, int, str]] = []
    seen: set[str] = set()
    for rank, hit in enumerate(hits):
        for doc in hit.chunks:
            for pos, sentence in enumerate(quotable(doc, hit.item)):
                if sentence not in seen:
                    seen.add(sentence)
                    candidates.append((rank, hit, doc, pos, sentence))
    if not candidates:
        return []
    store = retriever.store
    q_tokens = set(store.tokenizer(question))
    lexical = [len(q_tokens & set(store.tokenizer(c[4]))) / max(len(q_tokens), 1) for c in candidates]
    # Embedding sentences is the cost of an answer: score only the best few by words and rank.
    keep = sorted(range(len(candidates)), key=lambda i: (candidates[i][0] - 2 * lexical[i], i))
    keep = sorted(keep[: retriever.settings.answer_candidates])
    candidates = [candidates[i] for i in keep]
    lexical = [lexical[i] for i in keep]
    query_vec = np.asarray(store.embed_query(question))
    sent_vecs = np.asarray(store.embeddings.embed_documents([c[4] for c in candidates]))
    scores = [float(vec @ query_vec) + 0.15 * lex - 0.02 * c[0] for c, vec, lex in zip(candidates, sent_vecs, lexical)]
    order = np.argsort(scores)[::-1]
    best = scores[order[0]]
    picked: list[int] = []
    for i in order[: 2 * limit]:
        if len(picked) >= limit:
            break
        if (scores[i] >= best - 0.05 or candidates[i][0] == 0) and not any(
            similar(candidates[i][4], candidates[j][4]) for j in picked
        ):
            picked.append(i)
    picked = sorted(picked, key=lambda i: (candidates[i][0], candidates[i][2].metadata["chunk_index"], candidates[i][3]))
    grouped: list[tuple[Hit, Document, list[str]]] = []
    for i in picked:
        _, hit, doc, _, sentence = candidates[i]
        if grouped and grouped[-1][1].id == doc.id:
            grouped[-1][2].append(sentence)
        else:
            grouped.append((hit, doc, [sentence]))
    return grouped


def quotable(doc: Document, item) -> list[str]:
    """A chunk's sentences fit to quote in an answer: whole sentences (a clause ending in ；
    joins the next), no headings, not the lesson (it closes the answer anyway). A course's card
    describes the course rather than stating facts, so it gives none."""
    if doc.metadata.get("section") == "card" and item.kind == "course":
        return []
    sentences: list[str] = []
    for piece in split_sentences(chunk_body(doc)):
        if sentences and sentences[-1].endswith(("；", ";")):
            sentences[-1] += piece
        else:
            sentences.append(piece)
    return [s for s in sentences if len(s) >= 8 and ENDED.search(s) and s not in item.lesson]


def similar(a: str, b: str) -> bool:
    """Two sentences that say nearly the same thing (character bigram overlap)."""
    x, y = ({s[i : i + 2] for i in range(len(s) - 1)} for s in (a, b))
    return bool(x and y) and len(x & y) / min(len(x), len(y)) > 0.6


def cite(n: int, hit: Hit, doc: Document, quote: str) -> Citation:
    return Citation(n, hit.item.id, hit.item.title, hit.item.person, hit.item.source, quote, doc.id)


# LLM ----------------------------------------------------------------------------------


def stream_llm(question: str, result: Retrieval, llm: BaseChatModel) -> Iterator[Answer]:
    """Stream an LLM answer over numbered passages, then keep only properly cited sentences."""
    from langchain_core.messages import HumanMessage, SystemMessage

    passages = [(hit, doc) for hit in result.hits for doc in hit.chunks]
    numbered = "\n\n".join(f"[{i}] {doc.page_content}" for i, (_, doc) in enumerate(passages, 1))
    messages = [
        SystemMessage(prompts.ANSWER_SYSTEM),
        HumanMessage(prompts.ANSWER_USER.format(passages=numbered, question=question)),
    ]
    text = ""
    try:
        for chunk in llm.stream(messages):
            text += chunk.text if isinstance(chunk.text, str) else str(chunk.content)
            yield Answer(text)
    except Exception as exc:  # any provider error: the extractive answer still serves the user
        log.warning("LLM call failed: %r", exc)
        return
    yield enforce_citations(text, passages)


def enforce_citations(text: str, passages: list[tuple[Hit, Document]]) -> Answer:
    """Drop every sentence without a valid [n]; renumber the citations in order of use."""
    text = TRAILING_MARKERS.sub(r"\2\1", text)
    pieces = split_sentences(text)
    kept = [
        p for p in pieces if MARKER.search(p) and all(1 <= int(r) <= len(passages) for r in MARKER.findall(p))
    ]
    renumber: dict[int, int] = {}
    citations: list[Citation] = []
    out: list[str] = []
    for sentence in kept:
        def swap(m: re.Match) -> str:
            old = int(m.group(1))
            if old not in renumber:
                hit, doc = passages[old - 1]
                renumber[old] = len(renumber) + 1
                citations.append(cite(renumber[old], hit, doc, chunk_body(doc)))
            return f"[{renumber[old]}]"

        out.append(MARKER.sub(swap, sentence))
    return Answer(INNER_MARKERS.sub(r"\2\1", "".join(out)), tuple(citations), abstained=False)

