"""How well knowledge-base suggestions find the page that answers a requester's question.

``evaluate`` asks a suggester for its ranking of each question in
``kb_questions.QUESTIONS`` (requester questions on the Aalto scicomp docs, each with
the page that answers it best and the other pages that answer it too) and reports
hit@1, hit@3 and the mean reciprocal rank of the first right page within the first
``DEPTH`` suggestions. A suggestion is right when it is the best page or one of the
acceptable ones; paths are relative to the docs root, e.g. ``triton/tut/array.rst``.

``title_overlap_suggester`` is a naive reference to print next to the real search:
it ranks pages by how many distinct lowercase words the question shares with the
page title, and knows nothing of the page text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from deskwise.bench.kb_questions import QUESTIONS, Question

Suggest = Callable[[str, int], list[str]]

# How many suggestions are asked for: the reciprocal rank of a page found lower counts as 0.
DEPTH = 10

_WORD = re.compile(r"[a-z0-9]+")


def _rank(got: Sequence[str], right: set[str]) -> int | None:
    """1-based position of the first right page among ``got``, or None."""
    for position, path in enumerate(got, start=1):
        if path in right:
            return position
    return None


def evaluate(suggest: Suggest, questions: Sequence[Question] = QUESTIONS) -> dict[str, object]:
    """Hit@1, hit@3 and MRR@``DEPTH`` of ``suggest`` on ``questions``, and what it missed.

    ``suggest(text, k)`` returns the source paths of its top ``k`` articles, best first.
    A miss is a question with no right page in the top 3, reported as
    ``(question, expected best page, the top 3 it suggested)``.
    """
    n = len(questions)
    hits_1 = hits_3 = 0
    reciprocal = 0.0
    misses: list[tuple[str, str, list[str]]] = []
    for text, best, acceptable in questions:
        got = list(suggest(text, DEPTH))[:DEPTH]
        rank = _rank(got, {best, *acceptable})
        if rank is not None:
            reciprocal += 1.0 / rank
            hits_1 += rank == 1
            hits_3 += rank <= 3
        if rank is None or rank > 3:
            misses.append((text, best, got[:3]))
    return {
        "n": n,
        "hit_at_1": hits_1 / n if n else 0.0,
        "hit_at_3": hits_3 / n if n else 0.0,
        "mrr": reciprocal / n if n else 0.0,
        "misses": misses,
    }


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def title_overlap_suggester(pages: dict[str, str]) -> Suggest:
    """A suggester ranking ``pages`` (path -> title) by distinct words shared with the title.

    Pages sharing no word are never suggested; ties go to the alphabetically first path.
    """
    titles = [(path, _words(title)) for path, title in sorted(pages.items())]

    def suggest(text: str, k: int) -> list[str]:
        asked = _words(text)
        scored = [(len(asked & words), path) for path, words in titles]
        ranked = sorted((item for item in scored if item[0] > 0), key=lambda item: -item[0])
        return [path for _, path in ranked[:k]]

    return suggest
