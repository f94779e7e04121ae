"""Citations, the one module chat, lesson and export share: [n] markers, renumbering, the sources
list, and generated text cut into sentences as it streams. Whether a cited passage backs a sentence is
`bot.chat.support`."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from bot.index.chunking import split_sentences

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


def strip_markers(text: str) -> str:
    """The text as it reads aloud: no [n]."""
    return MARKER.sub("", text)


def plain_sentences(text: str) -> list[str]:
    """The sentences of a cited text, markers removed (how a follow-up reads the last answer)."""
    return [s for s in split_sentences(strip_markers(text)) if s.strip()]


def markers_inside(text: str) -> str:
    """「……。[1]」 → 「……[1]。」, so that a sentence carries its own markers."""
    return TRAILING_MARKERS.sub(r"\2\1", text)


def markers_outside(text: str) -> str:
    """「……[1]。」 → 「……。[1]」, the house style."""
    return INNER_MARKERS.sub(r"\2\1", text)


def renumber(texts: list[str], citations: Iterable[Citation]) -> tuple[list[str], list[Citation]]:
    """Number citations in order of first use across the texts, dropping any no longer used."""
    old = {c.n: c for c in citations}
    new: dict[int, int] = {}

    def swap(m: re.Match) -> str:
        n = int(m.group(1))
        new.setdefault(n, len(new) + 1)
        return f"[{new[n]}]"

    texts = [MARKER.sub(swap, t) for t in texts]
    return texts, [replace(old[n], n=k) for n, k in new.items()]


def sources(citations: Iterable[Citation]) -> str:
    """One line per cited item, with all its markers."""
    grouped: dict[str, list[Citation]] = {}
    for c in citations:
        grouped.setdefault(c.id, []).append(c)
    lines = []
    for cs in grouped.values():
        c = cs[0]
        who = f"（{c.person}）" if c.person else ""
        lines.append(f"- {''.join(f'[{x.n}]' for x in cs)} 《{c.title}》{who}｜来源：{c.source}")
    return "\n".join(lines)


# Streaming text into sentences ------------------------------------------------------------

# A sentence ends at 。！？ (and its closing quotes and markers) or at a line break.
SENTENCE_END = re.compile(r"(?:[。！？!?…]+[”’」』）)]*|\n)[ \t]*(?:\[\d+\][ \t]*)*")


def sentences_of(pieces: Iterable[str]) -> Iterator[str]:
    """Whole sentences, markers attached, as streamed text completes them; the rest at the end.
    A sentence is complete once something other than its markers follows its full stop."""
    buffer = ""
    for piece in pieces:
        buffer += piece
        while True:
            m = next((m for m in SENTENCE_END.finditer(buffer) if m.end() < len(buffer)), None)
            if m is None or re.match(r"\[\d*$", buffer[m.end() :]):
                break  # no full stop yet, or a marker still arriving
            sentence, buffer = buffer[: m.end()], buffer[m.end() :]
            if sentence.strip():
                yield sentence.strip()
    if buffer.strip():
        yield buffer.strip()
