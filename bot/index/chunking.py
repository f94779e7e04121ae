"""Chinese-aware chunking: paragraphs, then sentences, packed into overlapping chunks."""

import hashlib
import json
import re

from langchain_core.documents import Document

from bot.config import Settings
from bot.index.corpus import HEADING, LESSON_ONLY, Item, asked_pairs, split_talk

CHUNKER_VERSION = "3"
# A sentence ends at 。！？； (or their ASCII forms), plus any closing quotes or brackets.
SENTENCE_END = re.compile(r"(?<=[。！？；!?;])[”’」』）)]*")
ENDED = re.compile(r"[。！？；!?;][”’」』）)]*$")


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, keeping the end marks; one paragraph never spans a sentence."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        paragraph = HEADING.sub("", paragraph.strip())
        if not paragraph:
            continue
        start = 0
        for m in SENTENCE_END.finditer(paragraph):
            end = m.end()
            if end > start:
                sentences.append(paragraph[start:end].strip())
            start = end
        if paragraph[start:].strip():
            sentences.append(paragraph[start:].strip())
    return [s for s in sentences if s]


def pack(sentences: list[str], target: int, limit: int, overlap: int) -> list[str]:
    """Pack sentences into chunks of about `target` characters, never over `limit` unless
    one sentence is; each chunk starts with up to `overlap` characters of whole sentences
    from the end of the previous one."""
    chunks: list[list[str]] = []
    current: list[str] = []
    carried = 0  # how many sentences of `current` repeat the previous chunk
    size = 0
    for sentence in sentences:
        if len(current) > carried and (size >= target or size + len(sentence) > limit):
            chunks.append(current)
            tail: list[str] = []
            for prev in reversed(current):
                if sum(map(len, tail)) + len(prev) > overlap:
                    break
                tail.insert(0, prev)
            current, carried, size = tail, len(tail), sum(map(len, tail))
        current.append(sentence)
        size += len(sentence)
    if len(current) > carried:
        chunks.append(current)
    # A piece without an end mark (a heading) keeps its line break, so it never fuses with the next sentence.
    return ["".join(s if ENDED.search(s) else s + "\n" for s in c).strip() for c in chunks]


def item_hash(item: Item, settings: Settings) -> str:
    """A hash of everything that shapes an item's chunks."""
    payload = {
        "v": CHUNKER_VERSION,
        "chunk": [settings.chunk_target, settings.chunk_max, settings.chunk_overlap],
        "item": {k: v for k, v in item.__dict__.items() if k != "path"},
    }
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=list)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def header(item: Item) -> str:
    """The line put before every chunk's text, so title and person are embedded and indexed."""
    parts = [f"《{item.title}》"]
    if item.person:
        parts.append(item.person)
    if item.employer:
        parts.append(item.employer)
    return " ".join(parts)


def talk_document(item: Item) -> Document | None:
    """An item's lesson talk as one chunk, shaped like a store chunk so a lesson cites it the same way."""
    talk = split_talk(item.body)[1]
    if not talk:
        return None
    metadata = {"item_id": item.id, "chunk_index": -1, "body_offset": 0, "title": item.title}
    return Document(id=f"{item.id}:talk", page_content=talk, metadata=metadata)


def chunk_item(item: Item, settings: Settings) -> list[Document]:
    """An item's chunks: a card (summary and lesson), then the packed body (its lesson talk left out)."""
    digest = item_hash(item, settings)
    card = f"{item.summary}\n{item.lesson}"
    body = split_talk(item.body)[0]
    texts = [card] + pack(split_sentences(body), settings.chunk_target, settings.chunk_max, settings.chunk_overlap)
    head = header(item)
    docs = []
    for index, body in enumerate(texts):
        docs.append(
            Document(
                id=f"{item.id}:{digest}:{index}",
                page_content=f"{head}\n{body}",
                metadata={
                    "item_id": item.id,
                    "item_hash": digest,
                    "chunk_index": index,
                    "n_chunks": len(texts),
                    "section": "card" if index == 0 else "body",
                    "kind": item.kind,
                    "title": item.title,
                    "person": item.person,
                    "industry": item.industry,
                    "themes": "、".join(item.themes),
                    "source": item.source,
                    "body_offset": len(head) + 1,
                },
            )
        )
    return docs


def chunk_body(doc: Document) -> str:
    """A chunk's own text, without the header line."""
    return doc.page_content[doc.metadata.get("body_offset", 0):]


# What answers quote ---------------------------------------------------------------------

UNITS_VERSION = "3"
ORDINAL = re.compile(r"^(第[一二三四五六七八九十\d]+[，、,：:]|[一二三四五六七八九十]是|首先|其次|再次|最后|[（(]?[一二三四五六七八九十\d]+[）)、.．])")
LEADING_PRONOUN = re.compile(r"^(他|她|他们|她们|它|这|那时|此|该|其|后来他|后来她)")
HEADING_SENTENCE = 16  # a sentence this short that opens a paragraph heads what follows ("第一，用好“三宝”。")
MAX_UNIT = 240  # joining stops before a unit grows past this many characters


def answer_units(item: Item) -> list[tuple[str, str]]:
    """What an answer may quote from an item, in reading order, each with the heading it sits under;
    then, under their headings, its sub-jobs' safety points and its lesson talk's units, never searched:
    quoted from the course a question found (a trade's talk says what its rules leave out: 「下坡早点换低挡」,
    「有人硬闯逃票，别上去拉扯」); a spirit course's talk only for a question about values.

    A unit is a whole sentence, except that a clause ending in ；, a short heading sentence and a
    sentence that opens with a pronoun are joined to their neighbour in the same paragraph, so an
    answer never quotes a bare heading or a 他 that refers to nobody. A story's summary is quotable
    (it says who did what); a course's summary only describes the course, so it is not.
    """
    paragraphs: list[tuple[str, str]] = []
    if item.kind == "story" and item.summary:
        paragraphs.append(("", item.summary))
    heading = ""
    body, talk = split_talk(item.body)
    for block in re.split(r"\n\s*\n", body):
        for line in block.strip().split("\n"):
            line = line.strip()
            if not line:
                continue
            if line.startswith("#"):
                heading = HEADING.sub("", line).strip()
            else:
                paragraphs.append((heading, line))
    talked, section = [], ""
    for line in (x.strip() for x in talk.split("\n") if x.strip()):
        if line.startswith("#"):
            section = HEADING.sub("", line).strip()
        elif section in LESSON_ONLY:
            talked.append((section, line))
    return [(h, u) for h, u in sentence_units(paragraphs) + sentence_units(talked) if u not in item.lesson]


def sentence_units(paragraphs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The paragraphs' sentences, a clause or heading sentence joined to what follows it (see answer_units)."""
    units: list[tuple[str, str]] = []
    for head, paragraph in paragraphs:
        start = len(units)
        for sentence in split_sentences(paragraph):
            prev = units[-1][1] if len(units) > start else ""
            join = prev and len(prev) + len(sentence) <= MAX_UNIT and (
                prev.endswith(("；", ";", "：", ":"))
                or (len(prev) <= HEADING_SENTENCE and len(units) - start == 1)
                or LEADING_PRONOUN.match(sentence)
            )
            if join:
                units[-1] = (head, prev + sentence)
            else:
                units.append((head, sentence))
    return [(h, u) for h, u in units if len(u) >= 8 and ENDED.search(u)]


def asked_rows(item: Item, units: list[tuple[str, str]]) -> list[tuple[str, int]]:
    """Each 「常见问法」 of an item with the index, among `units` (its answer units), of the unit
    holding the words that answer it (-1 when none was given)."""
    rows = []
    for question, answer in asked_pairs(item.asked):
        words = re.sub(r"\s", "", answer)
        row = next((n for n, (_, text) in enumerate(units) if words and words in re.sub(r"\s", "", text)), -1)
        rows.append((question, row))
    return rows
