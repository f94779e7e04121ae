"""Citations: the [n] markers, what each cites, and the plain sentences behind a cited text."""

import re
from dataclasses import dataclass

from bot.chunking import split_sentences

MARKER = re.compile(r"\[(\d+)\]")


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
