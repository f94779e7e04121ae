"""Lexical retrieval: jieba tokens scored by BM25 (bm25s)."""

import logging
import re

import bm25s
import jieba
import numpy as np

jieba.setLogLevel(logging.WARNING)
logging.getLogger("bm25s").setLevel(logging.WARNING)

# Function words and punctuation carry no topic; dropping them keeps BM25 on content.
STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 或 也 都 就 而 又 被 把 将 对 从 向 给 为 以 于 这 那 其 之 着 过 吗 呢 吧 啊 呀 么 "
    "我 你 他 她 它 我们 你们 他们 什么 怎么 怎样 如何 哪些 哪个 哪里 谁 为什么 多少 几 请 请问 一下 一个 有 没有 "
    "吗 能 会 要 可以 应该 说 讲 介绍 关于 一些 这个 那个 还 很 更 最 等 并 但 如果 因为 所以".split()
)
TOKEN = re.compile(r"[\w\u4e00-\u9fff]", re.U)


class Tokenizer:
    """jieba with the corpus' own names (people, employers, titles) as a user dictionary."""

    def __init__(self, words: list[str] = ()) -> None:
        self.jieba = jieba.Tokenizer()
        self.jieba.initialize()
        for word in words:
            if word and 1 < len(word) <= 20:
                self.jieba.add_word(word, freq=20000)

    def __call__(self, text: str) -> list[str]:
        tokens = []
        for tok in self.jieba.lcut_for_search(text.lower()):
            tok = tok.strip()
            if tok and tok not in STOPWORDS and TOKEN.search(tok):
                tokens.append(tok)
        return tokens


class LexicalIndex:
    """BM25 over pre-tokenized chunks; positions match the chunk list it was built from."""

    def __init__(self, tokens: list[list[str]]) -> None:
        self.size = len(tokens)
        self.bm25 = bm25s.BM25()
        self.vocab: set[str] = set()
        if tokens:
            self.bm25.index([t or ["\u0000"] for t in tokens], show_progress=False)
            self.vocab = set(self.bm25.vocab_dict)

    def document_frequency(self, token: str) -> int:
        """How many chunks have the token among their words (0 if none)."""
        column = self.bm25.vocab_dict.get(token) if self.size else None
        if column is None:
            return 0
        indptr = self.bm25.scores["indptr"]
        return int(indptr[column + 1] - indptr[column])

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk for the query (zeros if nothing matches)."""
        known = [t for t in query_tokens if t in self.vocab]
        if not known or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.bm25.get_scores(known), dtype=np.float32)
