"""The peer baselines for `make bench`: bm25s and tantivy over the same passages and the same
Sudachi tokens as Hosakan's index.

Each answers with the top passages by plain BM25 (no entity resolution, no abstaining, no
snippets), so its latency is the floor a search library alone reaches on this machine: bm25s is
numpy over a sparse matrix, tantivy is a compiled (Rust) engine with an in-memory index.
"""

from __future__ import annotations

import time

import bm25s
import tantivy

from hosakan.bot.models import Answer, Hit
from hosakan.bot.operations.evaluation import EvalQuestion, first_correct_rank
from hosakan.indexer.analysis import terms


def passage_tokens(passage: dict) -> list[str]:
    """The Sudachi tokens of a passage's title, section and text (a stored-fields dict)."""
    data = passage["data"]
    return list(terms(f"{data['title']} {data['section']} {data['text']}"))


class Peer:
    """A baseline over the stored fields of every passage and their tokens (``passage_tokens``)."""

    name = ""

    def __init__(self, passages: list[dict], tokens: list[list[str]]):
        started = time.perf_counter()
        self.passages = passages
        self._index(tokens)
        self.build_seconds = time.perf_counter() - started  # indexing only: the tokens are shared

    def _index(self, tokens: list[list[str]]) -> None:
        raise NotImplementedError

    def asked(self, question: str) -> list[str]:
        """The question's Sudachi tokens this peer can look up."""
        raise NotImplementedError

    def rank(self, asked: list[str], k: int) -> list[int]:
        """The best ``k`` passages' positions for these tokens: the ranking step alone."""
        raise NotImplementedError

    def top(self, question: str, k: int = 3) -> list[dict]:
        """The stored fields of the best ``k`` passages for the question."""
        asked = self.asked(question)
        return [self.passages[n] for n in self.rank(asked, k)] if asked else []


class Bm25sPeer(Peer):
    name = "bm25s"

    def _index(self, tokens: list[list[str]]) -> None:
        self.retriever = bm25s.BM25()
        self.retriever.index(tokens, show_progress=False)
        self.vocabulary = set(self.retriever.vocab_dict)

    def asked(self, question: str) -> list[str]:
        return [t for t in terms(question) if t in self.vocabulary]

    def rank(self, asked: list[str], k: int) -> list[int]:
        documents, scores = self.retriever.retrieve([asked], k=min(k, len(self.passages)), show_progress=False,
                                                    n_threads=1)
        return [int(d) for d, s in zip(documents[0], scores[0]) if s > 0]


class TantivyPeer(Peer):
    """Tokens joined by spaces into a whitespace-tokenised field, queried as a BooleanQuery of
    TermQuery clauses (so no query parser sees the question either)."""

    name = "tantivy"

    def _index(self, tokens: list[list[str]]) -> None:
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("tokens", tokenizer_name="whitespace", index_option="freq")
        builder.add_unsigned_field("n", stored=True)
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema)
        writer = self.index.writer(heap_size=200_000_000, num_threads=1)
        for n, passage_tokens in enumerate(tokens):
            writer.add_document(tantivy.Document(tokens=" ".join(passage_tokens), n=n))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def asked(self, question: str) -> list[str]:
        return [t for t in terms(question) if " " not in t]

    def rank(self, asked: list[str], k: int) -> list[int]:
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "tokens", t)) for t in asked])
        hits = self.searcher.search(query, limit=k, count=False).hits
        return [self.searcher.doc(address)["n"][0] for score, address in hits if score > 0]


PEERS = [Bm25sPeer, TantivyPeer]


def peer_rank(peer: Peer, question: EvalQuestion) -> int | None:
    """The rank of the first correct passage, judged like Hosakan's (whole passage text stands in
    for a snippet, which favours the peer)."""
    hits = [Hit(doc_id=p["id"], record_id=p["data"]["record_id"], kind=p["data"]["kind"], title=p["data"]["title"],
                section=p["data"]["section"], snippet=p["data"]["text"], citation="", source="", as_of="", score=0.0)
            for p in peer.top(question.q)]
    return first_correct_rank(question, Answer(question=question.q, answered=bool(hits), hits=hits))
