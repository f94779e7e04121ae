"""The generative lecturer: a model writes over numbered passages, and only what the passages
support reaches the worker, one checked sentence at a time.

Each generated sentence must cite a passage that supports it (`support.Checker`). One that cites
the wrong passage is re-cited; one no passage supports is replaced by the passage sentence it
paraphrases, or dropped. A refusal is recognised as a decline. The caller gets the snapshots, then
the outcome: "ok", "refused", "short" (too little survived) or "failed" (the model was unavailable).
"""

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from langchain_core.documents import Document
from langchain_core.messages import HumanMessage, SystemMessage

from bot import prompts
from bot.chat.citations import MARKER, Citation, markers_outside, sentences_of, strip_markers
from bot.chat.conversation import Message
from bot.chat.decide import REFUSALS
from bot.chat.result import Answer, Enforcement
from bot.chat.retrieve import Hit
from bot.chat.support import Checker, flat
from bot.index.chunking import chunk_body, split_sentences
from bot.llm import LLM, Unavailable

log = logging.getLogger(__name__)
Status = Literal["ok", "refused", "short", "failed"]
ECHOED_RULE = re.compile(r"只回答|回答时|如果|规则")  # 「片段不足以回答时，只回答：教材中没有相关内容」 is the prompt, not a refusal
REFUSED = re.compile(r"教材(中|里|里面)?(并)?没有|没有(找到)?相关(的)?内容|无法回答|不能回答|没法回答|答不了")
# A repair quotes the passage sentence a claim paraphrases: at least this share of the claim's
# character pairs must be in it (measured with bench.support).
REPAIR_OVERLAP = 0.3
PASSAGE_CHARS = 600  # each passage as the model sees it
MAX_SENTENCES = 6  # an answer stops here (the prompt asks for 3 to 5), however long the model goes on


@dataclass
class Passage:
    """One numbered passage: the chunk, the item it belongs to, and its sentences."""

    n: int
    hit: Hit
    doc: Document
    text: str
    sentences: list[str] = field(default_factory=list)
    quoted: set[int] = field(default_factory=set)  # the sentences the answer used, by index


def passages_of(hits: tuple[Hit, ...]) -> list[Passage]:
    """The retrieved chunks, numbered, with any sentence that speaks to the model (an instruction
    planted in the material) removed."""
    out: list[Passage] = []
    for hit in hits:
        for doc in hit.chunks:
            sentences = split_sentences(chunk_body(doc))
            kept = [s for s in sentences if not REFUSALS["unsafe"].search(s)]
            if len(kept) < len(sentences):
                log.warning("left out an instruction-like sentence of %s", doc.id)
            text = "".join(kept)[:PASSAGE_CHARS]
            out.append(Passage(len(out) + 1, hit, doc, text, [s for s in split_sentences(text) if s.strip()]))
    return out


def messages_for(question: str, passages: list[Passage]) -> list:
    numbered = "\n\n".join(f"[{p.n}] 《{p.hit.item.title}》{p.text}" for p in passages)
    return [
        SystemMessage(prompts.ANSWER_SYSTEM),
        HumanMessage(prompts.ANSWER_USER.format(passages=numbered, question=question)),
    ]


def bigrams(text: str) -> set[str]:
    text = flat(text)
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def overlap(claim: str, sentence: str) -> float:
    """The share of the claim's character pairs the sentence holds."""
    a, b = bigrams(claim), bigrams(sentence)
    return len(a & b) / len(a) if a else 0.0


def refuses(sentence: str) -> bool:
    """The model's opening sentence says the material does not answer the question (not a
    sentence that merely mentions the rule, as a model echoing its prompt does)."""
    return (
        not MARKER.search(sentence)
        and len(flat(sentence)) <= 24
        and not ECHOED_RULE.search(sentence)
        and bool(REFUSED.search(sentence))
    )


class Enforcer:
    """Checks one answer's sentences in order, numbering the passages as they are first cited."""

    def __init__(self, passages: list[Passage], checker: Checker, threshold: float) -> None:
        self.passages = passages
        self.checker = checker
        self.threshold = threshold
        self.numbers: dict[int, int] = {}  # passage n → citation number in the answer
        self.out: list[str] = []
        self.kept = self.repaired = self.dropped = 0

    def supported_by(self, claim: str, ns: list[int]) -> bool:
        text = "".join(self.passages[n - 1].text for n in ns)
        # the title is its own sentence: its names are the item's, not the doers of the first sentence
        return self.checker.support(claim, f"{self.passages[ns[0] - 1].hit.item.title}。{text}").ok(self.threshold)

    def check(self, sentence: str) -> str | None:
        """The sentence as it may be said (re-cited, or replaced by a passage sentence), or None."""
        claim = strip_markers(sentence).strip()
        cited = [int(n) for n in MARKER.findall(sentence) if 1 <= int(n) <= len(self.passages)]
        if not re.search(r"[\u4e00-\u9fff]", claim):
            return None  # markers, list bullets or stray characters: nothing to say
        if any(flat(claim) == flat(strip_markers(said)) for said in self.out):
            return None  # said already: a model that repeats itself
        if cited and self.supported_by(claim, list(dict.fromkeys(cited))):
            self.kept += 1
            return self.say(claim, list(dict.fromkeys(cited)))
        for p in self.passages:  # the right fact with the wrong (or no) [n]
            if p.n not in cited and self.supported_by(claim, [p.n]):
                self.repaired += 1
                return self.say(claim, [p.n])
        best = max(
            ((overlap(claim, s), p, i) for p in self.passages for i, s in enumerate(p.sentences)),
            default=None,
            key=lambda t: t[0],
        )
        if best and best[0] >= REPAIR_OVERLAP and best[2] not in best[1].quoted:  # never say a passage sentence twice
            _, p, i = best
            self.repaired += 1
            return self.say(p.sentences[i], [p.n], sentence_index=i)
        self.dropped += 1
        log.info("dropped an unsupported sentence: %r", claim[:60])
        return None

    def say(self, claim: str, ns: list[int], sentence_index: int | None = None) -> str:
        for n in ns:
            p = self.passages[n - 1]
            i = (
                sentence_index
                if sentence_index is not None
                else max(range(len(p.sentences)), key=lambda k: overlap(claim, p.sentences[k]), default=None)
            )
            if i is not None:
                p.quoted.add(i)
            self.numbers.setdefault(n, len(self.numbers) + 1)
        body = re.sub(r"[。！？!?…]+$", "", claim)
        stop = claim[len(body) :] or "。"
        text = f"{body}{''.join(f'[{self.numbers[n]}]' for n in ns)}{stop}"
        self.out.append(text)
        return text

    @property
    def enforcement(self) -> Enforcement:
        return Enforcement(self.kept, self.repaired, self.dropped)

    def citations(self) -> tuple[Citation, ...]:
        """Each cited passage, quoting the sentences of it the answer used."""
        out = []
        for n, k in sorted(self.numbers.items(), key=lambda kv: kv[1]):
            p = self.passages[n - 1]
            quote = "……".join(p.sentences[i] for i in sorted(p.quoted)) or p.text
            item = p.hit.item
            out.append(Citation(k, item.id, item.title, item.person, item.source, quote, p.doc.id))
        return tuple(out)

    def answer(self) -> Answer:
        return Answer(markers_outside("".join(self.out)), self.citations(), mode="llm", enforcement=self.enforcement)


def stream_generated(question: str, hits: tuple[Hit, ...], llm: LLM, checker: Checker) -> Iterator[Answer]:
    """Checked snapshots of a generated answer; returns (as the generator's value) its status and
    the enforcement tally."""
    passages = passages_of(hits)
    enforcer = Enforcer(passages, checker, llm.support)
    reply = llm.stream(messages_for(question, passages))
    try:
        for sentence in sentences_of(reply):
            if refuses(sentence) and enforcer.enforcement == Enforcement():
                log.info("the model declined q=%r: %r", question, sentence[:60])
                return "refused", enforcer.enforcement
            if enforcer.check(sentence) is not None:
                yield enforcer.answer()
                if len(enforcer.out) >= MAX_SENTENCES:
                    break
    except Unavailable as exc:
        log.warning("LLM unavailable for q=%r after %d sentences: %s", question, len(enforcer.out), exc)
        if not enforcer.out:
            return "failed", enforcer.enforcement
    finally:
        reply.close()  # stop generating (and free the model's slot) once the answer is complete
    survivors = enforcer.kept + enforcer.repaired
    if not survivors or enforcer.dropped > survivors:
        log.info("LLM answer set aside for q=%r: %s", question, enforcer.enforcement)
        return "short", enforcer.enforcement
    yield enforcer.answer()
    return "ok", enforcer.enforcement


def standalone(question: str, history: tuple[Message, ...], llm: LLM) -> str | None:
    """A follow-up rewritten by the model into a question that stands on its own, or None."""
    turns = "\n".join(
        f"{'职工' if m.role == 'user' else '讲师'}：{strip_markers(m.content)[:200]}" for m in history[-4:]
    )
    try:
        text = llm.invoke(
            [
                SystemMessage(prompts.STANDALONE_SYSTEM),
                HumanMessage(prompts.STANDALONE_USER.format(history=turns, question=question)),
            ]
        )
    except Unavailable as exc:
        log.warning("LLM could not rewrite the follow-up %r: %s", question, exc)
        return None
    text = text.strip().splitlines()[0].strip(" \"'“”「」") if text.strip() else ""
    if not (2 <= len(text) <= 80) or REFUSED.search(text) or REFUSALS["unsafe"].search(text):
        return None
    return text
