"""Quoted sentences: each located in a chunk, fitted to a length, rendered with [n] citations."""

import logging
import re
from collections import defaultdict
from dataclasses import dataclass

from langchain_core.documents import Document

from bot.chat.citations import MARKER, Citation
from bot.index.chunking import HEADING, chunk_body, split_sentences
from bot.index.corpus import Item

log = logging.getLogger(__name__)
CLAUSE_END = re.compile(r"[；;][”’」』）)]*$")


@dataclass(frozen=True)
class Unit:
    """One candidate sentence: where it goes, how much it matters (tier 0 = always), where it is quoted from."""

    section: int
    block: int
    text: str
    tier: int
    doc: Document | None = None
    start: int = 0


def parts(body: str) -> dict[str, list[str]]:
    """A body's paragraphs under each `## ` heading ("" holds those before the first heading)."""
    out: dict[str, list[str]] = {"": []}
    head = ""
    for paragraph in re.split(r"\n\s*\n", body):
        lines = paragraph.strip().split("\n")
        if lines[0].startswith("#"):
            head = HEADING.sub("", lines[0]).strip()
            out.setdefault(head, [])
            lines = lines[1:]
        text = "\n".join(lines).strip()
        if text:
            out[head].append(text)
    return out


def _locate(docs: list[Document], sentence: str, at: int, pos: int) -> tuple[int, int] | None:
    """Where a sentence is in an item's chunks, looking from (chunk `at`, offset `pos`) onward first."""
    order = [(at, pos)] + [(i, 0) for i in range(at + 1, len(docs))] + [(i, 0) for i in range(0, min(at, len(docs)))]
    for i, start in order:
        if i < len(docs):
            found = chunk_body(docs[i]).find(sentence, start)
            if found >= 0:
                return i, found
    return None


class Draft:
    """The lesson's candidate sentences in reading order, each quoted from a chunk it can be cited by."""

    def __init__(self, items: dict[str, Item], docs: dict[str, list[Document]]) -> None:
        self.items = items
        self.docs = docs
        self.units: list[Unit] = []
        self.blocks = 0

    def say(self, section: int, text: str, tier: int = 0) -> None:
        """Framing or a question, said without a citation: one block."""
        self.blocks += 1
        self.units.extend(Unit(section, self.blocks, s, tier) for s in split_sentences(text))

    def quote(self, section: int, item: Item, paragraphs: list[str], tier: int, lead: str = "") -> None:
        """Paragraphs of an item, one block each; a sentence no chunk holds is left out, never left uncited.
        A `lead` (framing said without a citation) opens the first block, so it is kept or cut with it."""
        docs = self.docs.get(item.id, [])
        at, pos = 0, 0
        for k, paragraph in enumerate(paragraphs):
            self.blocks += 1
            if k == 0 and lead:
                self.units.extend(Unit(section, self.blocks, s, tier) for s in split_sentences(lead))
            for sentence in whole_sentences(paragraph):
                # A sentence split across chunks is quoted clause by clause.
                for piece in [sentence] if _locate(docs, sentence, at, pos) else split_sentences(sentence):
                    found = _locate(docs, piece, at, pos)
                    if found is None:
                        log.warning("not in any chunk of %s: %r", item.id, piece[:40])
                        continue
                    at, start = found
                    pos = start + len(piece)
                    self.units.append(Unit(section, self.blocks, piece, tier, docs[at], start))


def whole_sentences(text: str) -> list[str]:
    """Sentences that end in 。！？, not at a ；, so trimming never leaves half a sentence."""
    out: list[str] = []
    for piece in split_sentences(text):
        if out and CLAUSE_END.search(out[-1]):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def size(text: str) -> int:
    """Characters read aloud: no whitespace, no [n] markers."""
    return len(re.sub(r"\s", "", MARKER.sub("", text)))


def fit(units: list[Unit], overhead: int, low: int, high: int) -> list[Unit]:
    """Tier 0 always; then, most important first, whole blocks (a paragraph is said whole or not at
    all) until the middle of [low, high] characters is reached without passing `high`."""
    target = (low + high) // 2
    keep = {i for i, u in enumerate(units) if u.tier == 0}
    total = overhead + sum(size(units[i].text) for i in keep)
    blocks: dict[int, list[int]] = defaultdict(list)
    for i, unit in enumerate(units):
        if unit.tier > 0:
            blocks[unit.block].append(i)
    for block in sorted(blocks.values(), key=lambda b: (max(units[i].tier for i in b), b[0])):
        if total >= target:
            break
        grow = sum(size(units[i].text) for i in block)
        if total + grow <= high:
            keep.update(block)
            total += grow
    return [units[i] for i in sorted(keep)]


def render(units: list[Unit], items: dict[str, Item], sections: int) -> tuple[list[str], list[Citation]]:
    """Each section's text with [n] after every quoted sentence; adjacent sentences of one chunk share a citation."""
    paragraphs: list[dict[int, str]] = [defaultdict(str) for _ in range(sections)]
    spans: list[list] = []  # [item, doc, start, end] per citation
    prev: Unit | None = None
    for unit in units:
        text = unit.text
        if unit.doc is not None:
            last = spans[-1] if spans and prev and prev.doc is unit.doc and prev.section == unit.section else None
            if last and unit.start >= last[3] and not chunk_body(unit.doc)[last[3] : unit.start].strip():
                last[3] = unit.start + len(unit.text)
            else:
                spans.append([items[unit.doc.metadata["item_id"]], unit.doc, unit.start, unit.start + len(unit.text)])
            text += f"[{len(spans)}]"
        paragraphs[unit.section][unit.block] += text
        prev = unit
    citations = [
        Citation(n, item.id, item.title, item.person, item.source, chunk_body(doc)[start:end], doc.id)
        for n, (item, doc, start, end) in enumerate(spans, 1)
    ]
    return ["\n\n".join(as_said(b) for b in p.values()) for p in paragraphs], citations


CLAUSE_CLOSE = re.compile(r"；(?=(?:\[\d+\])?$)")


def as_said(text: str) -> str:
    """A paragraph as the lesson says it: a point kept without its other season's clause ends at ；,
    said (and shown) as a sentence's end."""
    return CLAUSE_CLOSE.sub("。", text)
