"""What workers asked, for the trainers: the most asked, the declined and the 👎, with counts."""

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.state import State

DECLINED = ("declined",)


@dataclass(frozen=True)
class Asked:
    """One question as the trainers see it: how often, how it went, whether someone handled it."""

    question: str
    count: int
    outcome: str
    items: str
    last: str
    handled_by: str = ""
    comment: str = ""


def key(question: str) -> str:
    """Questions that differ only in spacing or final punctuation count as one."""
    return "".join(question.split()).rstrip("？?。!！ ")


class QuestionLog:
    """Reports over the question log and the feedback, and the trainers' marks on them."""

    def __init__(self, state: State) -> None:
        self.state = state

    def _handled(self) -> dict[str, str]:
        return {r["question"]: r["name"] for r in self.state.rows("SELECT question, name FROM handled")}

    def most_asked(self, limit: int = 30, declined_only: bool = False) -> list[Asked]:
        """The questions asked most often (or only those declined), most frequent first."""
        rows = self.state.rows("SELECT question, outcome, items, created FROM questions ORDER BY id")
        grouped: dict[str, dict] = {}
        for r in rows:
            if declined_only and r["outcome"] not in DECLINED:
                continue
            g = grouped.setdefault(key(r["question"]), {"question": r["question"], "count": 0})
            g.update(count=g["count"] + 1, outcome=r["outcome"], items=r["items"], last=r["created"])
        handled = self._handled()
        out = [Asked(handled_by=handled.get(k, ""), **g) for k, g in grouped.items()]
        return sorted(out, key=lambda a: (-a.count, a.last))[:limit]

    def disliked(self, limit: int = 30) -> list[Asked]:
        """Answers workers rated 👎, with their comments, most frequent first."""
        rows = self.state.rows("SELECT question, comment, items, created FROM feedback WHERE rating = 'down' ORDER BY id")
        grouped: dict[str, dict] = {}
        for r in rows:
            g = grouped.setdefault(key(r["question"]), {"question": r["question"], "count": 0, "comment": ""})
            comment = "；".join(c for c in (g["comment"], r["comment"].strip()) if c)
            g.update(count=g["count"] + 1, outcome="没帮助", items=r["items"], last=r["created"], comment=comment[:300])
        handled = self._handled()
        out = [Asked(handled_by=handled.get(k, ""), **g) for k, g in grouped.items()]
        return sorted(out, key=lambda a: (-a.count, a.last))[:limit]

    def items_of(self, question: str) -> list[str]:
        """The items the lecturer last cited or offered for a question (asked or rated), newest first."""
        rows = self.state.rows(
            "SELECT question, items, created FROM questions UNION ALL SELECT question, items, created FROM feedback"
        )
        found = sorted((r for r in rows if key(r["question"]) == key(question) and r["items"]), key=lambda r: r["created"])
        return [i for i in found[-1]["items"].split(",") if i] if found else []

    def mark_handled(self, question: str, user: str) -> None:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        self.state.run(
            ("DELETE FROM handled WHERE question = ?", (key(question),)),
            ("INSERT INTO handled (question, name, at) VALUES (?, ?, ?)", (key(question), user, stamp)),
        )
