"""The peer baseline for `make bench`: bm25s over the same passages and the same Sudachi tokens.

It answers with the top passages by plain BM25 (no entity resolution, no abstaining, no
snippets), so its latency is the floor a search library alone reaches on this machine.
"""

from __future__ import annotations

import time

import bm25s

from bot.evaluation import EvalQuestion, first_correct_rank
from bot.models import Answer, Hit
from indexer.analysis import terms


class Bm25sPeer:
    def __init__(self, searcher):
        started = time.perf_counter()
        self.passages = [fields for fields in searcher.all_stored_fields()]
        tokens = [list(terms(f"{p['data']['title']} {p['data']['section']} {p['data']['text']}")) for p in self.passages]
        self.retriever = bm25s.BM25()
        self.retriever.index(tokens, show_progress=False)
        self.vocabulary = set(self.retriever.vocab_dict)
        self.build_seconds = time.perf_counter() - started

    def top(self, question: str, k: int = 3) -> list[dict]:
        asked = [t for t in terms(question) if t in self.vocabulary]
        if not asked:
            return []
        documents, scores = self.retriever.retrieve([asked], k=k, show_progress=False, n_threads=1)
        return [self.passages[int(d)] for d, s in zip(documents[0], scores[0]) if s > 0]


def peer_rank(peer: Bm25sPeer, question: EvalQuestion) -> int | None:
    """The rank of the first correct passage, judged like Hosakan's (whole passage text stands in
    for a snippet, which favours the peer)."""
    hits = [Hit(doc_id=p["id"], record_id=p["data"]["record_id"], kind=p["data"]["kind"], title=p["data"]["title"],
                section=p["data"]["section"], snippet=p["data"]["text"], citation="", source="", as_of="", score=0.0)
            for p in peer.top(question.q)]
    return first_correct_rank(question, Answer(question=question.q, answered=bool(hits), hits=hits))
