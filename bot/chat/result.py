"""What the lecturer says back: one frozen result type, and its JSON."""

from dataclasses import asdict, dataclass
from typing import Literal

from bot.chat.citations import Citation

Outcome = Literal["answered", "clarify", "declined"]
Mode = Literal["extractive", "llm"]


@dataclass(frozen=True)
class Choice:
    """One option offered when the lecturer asks back: a label, and the question it stands for."""

    label: str
    question: str
    id: str = ""


@dataclass(frozen=True)
class Enforcement:
    """What the support check did to a generated answer's sentences."""

    kept: int = 0
    repaired: int = 0
    dropped: int = 0


@dataclass(frozen=True)
class Answer:
    """An answer's text (with [n] markers), its citations, and what the lecturer did.

    `mode` says who wrote the text: "llm" (every sentence checked against its passage) or
    "extractive" (sentences quoted from the material); `enforcement` is set whenever a model was
    asked, also when its answer was set aside; `notice` tells the user why, in one short line."""

    text: str
    citations: tuple[Citation, ...] = ()
    outcome: Outcome = "answered"
    choices: tuple[Choice, ...] = ()
    mode: Mode = "extractive"
    enforcement: Enforcement | None = None
    notice: str = ""

    @property
    def abstained(self) -> bool:
        """True unless the question was answered."""
        return self.outcome != "answered"


def to_dict(answer: Answer) -> dict:
    """The answer as JSON for the CLI and the API."""
    return {
        "answer": answer.text,
        "outcome": answer.outcome,
        "abstained": answer.abstained,
        "mode": answer.mode,
        "enforcement": asdict(answer.enforcement) if answer.enforcement else None,
        "notice": answer.notice,
        "citations": [{k: v for k, v in asdict(c).items() if k != "chunk_id"} for c in answer.citations],
        "choices": [asdict(c) for c in answer.choices],
    }
