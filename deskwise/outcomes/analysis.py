"""What a supervisor learns from the declined-request register.

Every deferral and decline is written down with its reason; the register only
pays off when someone reads it for patterns: the same request turned away
again and again is a missing article, a training gap, a tool that is too old
or a policy nobody explained. This module turns register rows into those
patterns:

* :func:`counts` - how many by reason, category, requester, team, agent or
  kind, week by week or month by month, so a chart shows what grows;
* :func:`clusters` - groups of requests that read alike, with a label, their
  reasons, dates and whether they are rising or falling;
* :func:`time_saved` - the hours declines kept free, priced honestly;
* :func:`case_markdown` and :func:`case_csv` - a cluster written up as the
  proposal for a systemic fix, with its evidence;
* :func:`register_csv` - the register itself, streamed as CSV.

It is plain Python over plain dataclasses: no ORM, no database. The caller
loads the rows with one bounded query and passes them in, so the same code
serves the API, the pages and the exports, and its tests run in milliseconds.

Clustering
----------
Texts become tf-idf vectors (word unigrams and bigrams, English stop words and
mail pleasantries removed, sublinear tf, l2 norm) after quoted history,
signatures, links, addresses and ticket references are cut away: those are the
same in unrelated mail and would make it look alike. Terms found in one
request only are weighed down (see :func:`_vectorise`). Measured on 5,000
real support queries each from banking77 and clinc150 at the default
threshold, against plain tf-idf: 40-50% more of the pairs of requests that
share an intent end up in one cluster, for 6-9 points less precision (0.63
and 0.66 of the pairs put in one cluster share an intent, against 0.69 and
0.75). In the seeded register of the tests, plain tf-idf puts three of the
twelve "admin rights to install <program>" requests together and leaves nine
alone; this keeps eleven together.

Requests are grouped by average-linkage agglomerative clustering on cosine
similarity, cut where the average similarity between two groups falls below
``threshold``: the groups of scikit-learn's ``AgglomerativeClustering``
(``metric="cosine", linkage="average", distance_threshold=1 - threshold``) and
of scipy's ``linkage(..., "average")`` (checked: identical but for the order
in which exact ties are broken), computed without their ``n x n`` matrix
(200 MB at 5,000 rows) or the dense copy of the vectors that cosine needs
there; see :func:`_average_linkage`. Splitting the graph of the pairs above the
threshold into connected components first does not help: short requests
chain through common words into one component of nearly every row.

Measured for 5,000 rows (CPU time of the whole call, on a shared machine):
0.35 s for banking77's queries, 1.1 s for a synthetic register of templated
requests and one-offs, 1.9 s for long texts (GitHub issues, mostly tf-idf),
with 5-25 MB at the peak; scikit-learn took 147 s and 650 MB for the
synthetic register's vectors. The worst case found is 5,000 requests from one
template with a word of their own each, all exactly as alike: 7.5 s, 32 MB.
At most ``MAX_ROWS`` most recent rows are analysed.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize

MAX_ROWS = 5_000
"""Rows analysed by :func:`clusters`, the most recent first; older ones are left out."""
MAX_CHARS = 1_000
"""Characters of a request's text that are read: the gist is at the start, and
what follows (logs, stack traces, pasted mail) costs time and says little."""
MAX_FEATURES = 50_000
UNIQUE_WORD_WEIGHT = 0.7
"""Share of its tf-idf weight a word keeps when no other request uses it (see _vectorise)."""
LABEL_TERMS = 4
MIN_LABEL_TERMS = 3
TOP = 5
"""Reasons and categories listed per cluster."""
EXCERPT = 120
"""Characters of a request's text shown in a case's table."""
NAME = 60
"""Characters of a requester's name or a reason shown there."""
BLOCK = 500
"""Most groups whose similarities to all others are computed at once."""
BLOCK_PRODUCTS = 250_000
"""Most similarities computed at once (fewer groups a block when there are many
groups): bounds the memory of a block even when every request reads like every
other, when each of its rows is as long as the number of groups."""
DAYS_PER_MONTH = 365.25 / 12
RISE = 1.5
"""A half of the window must hold this many times the other's count, and at
least ``MIN_CHANGE`` more requests, for a trend to be called rising or falling."""
MIN_CHANGE = 2
SLOW_ROUND = 20
"""A round that merges fewer than one in this many waiting groups hands over to the chain."""
_EPSILON = 1e-9
_TIE = 1e-9  # similarities this close are equal: they differ by rounding only

Trend = Literal["rising", "steady", "falling", "new"]

DIMENSIONS: tuple[str, ...] = ("reason", "category", "requester", "team", "agent", "kind")
PERIODS: tuple[str, ...] = ("week", "month")
FIX_KINDS: tuple[str, ...] = ("documentation", "training", "upgrade", "policy")
KIND_WORDS = {"decline": "declined", "defer": "deferred"}

CSV_COLUMNS = (
    "id",
    "reference",
    "date",
    "kind",
    "requester",
    "text",
    "reason",
    "alternatives",
    "category",
    "team",
    "agent",
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


@dataclass(frozen=True)
class Row:
    """One entry of the register: a request that was deferred or declined.

    ``at`` is aware; ``text`` is the request's subject and description;
    ``category`` is ``""`` when the request had none. ``reference`` (the ticket's
    public reference) and ``alternatives`` (what was offered instead) are only
    shown and exported, never analysed.
    """

    id: int
    at: datetime
    kind: str
    reason: str
    category: str
    team: str
    requester: str
    agent: str
    text: str
    alternatives: str = ""
    reference: str = ""


@dataclass(frozen=True)
class Bucket:
    """One value of a dimension: its total and its count in every period.

    ``series`` holds ``(first day of the period, count)``, oldest first, with
    the same periods for every bucket of one call, zeros included, so charts
    of several buckets line up.
    """

    key: str
    total: int
    series: tuple[tuple[date, int], ...]


@dataclass(frozen=True)
class Cluster:
    """Requests that read alike, and what the register says about them.

    ``terms`` are the heaviest words of the group's centroid, those most of
    its members use first, and ``label`` joins them. ``member_ids`` are the
    most recent first. The trend compares
    ``recent`` (requests in the later half of ``window_start`` .. ``window_end``)
    with ``earlier`` (the half before); ``per_month`` is the rate of the later
    half, at least a month assumed, since that is what a fix would meet.
    """

    label: str
    terms: tuple[str, ...]
    size: int
    member_ids: tuple[int, ...]
    reasons: tuple[tuple[str, int], ...]
    categories: tuple[tuple[str, int], ...]
    kinds: tuple[tuple[str, int], ...]
    requesters: int
    first_at: datetime
    last_at: datetime
    trend: Trend
    recent: int
    earlier: int
    window_start: datetime
    window_end: datetime
    per_month: float


@dataclass(frozen=True)
class TimeSavedLine:
    """Declines of one team in one category; ``hours_each`` is ``None`` when unknown."""

    team: str
    category: str
    declines: int
    hours_each: float | None
    hours: float


@dataclass(frozen=True)
class TimeSaved:
    """Hours that declines kept free, and how many declines could not be priced."""

    hours: float
    priced: int
    unpriced: int
    lines: tuple[TimeSavedLine, ...]


# --- counts ---------------------------------------------------------------------------


def _period_start(moment: datetime, period: str, tz: tzinfo | None) -> date:
    day = (moment.astimezone(tz) if tz is not None else moment).date()
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _next_period(start: date, period: str) -> date:
    if period == "week":
        return start + timedelta(days=7)
    if start.month == 12:
        return date(start.year + 1, 1, 1)
    return date(start.year, start.month + 1, 1)


def counts(
    rows: Iterable[Row], *, by: str, period: str = "month", tz: tzinfo | None = None
) -> list[Bucket]:
    """Counts of rows per value of ``by``, per ISO week (from Monday) or month.

    The largest totals come first (ties by key). Dates are read in ``tz``, or
    in each timestamp's own zone when it is ``None``: the caller passes the
    desk's zone so that a Monday-morning request is not counted in Sunday's week.
    """
    if by not in DIMENSIONS:
        raise ValueError(f"cannot count by {by!r}; one of {', '.join(DIMENSIONS)}")
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; one of {', '.join(PERIODS)}")
    per_key: dict[str, Counter[date]] = defaultdict(Counter)
    for row in rows:
        per_key[str(getattr(row, by))][_period_start(row.at, period, tz)] += 1
    if not per_key:
        return []
    starts = {start for counter in per_key.values() for start in counter}
    axis = [min(starts)]
    last = max(starts)
    while axis[-1] < last:
        axis.append(_next_period(axis[-1], period))
    buckets = [
        Bucket(
            key=key,
            total=sum(counter.values()),
            series=tuple((start, counter.get(start, 0)) for start in axis),
        )
        for key, counter in per_key.items()
    ]
    buckets.sort(key=lambda bucket: (-bucket.total, bucket.key))
    return buckets


# --- text -----------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Where quoted history or a signature begins; what follows is someone else's words or
# boilerplate. A forward is left whole: what is forwarded is usually the request.
_HISTORY = re.compile(
    r"^[ \t]*(?:"
    r"-{2,}[ \t]*original message[ \t]*-{2,}"
    r"|on\b[^\n]{0,200}\bwrote:"
    r"|from:[^\n]{0,200}\n[ \t]*(?:sent|to|cc|date|subject):"
    r"|--[ \t]*$"
    r"|_{8,}[ \t]*$"
    r"|sent from my\b"
    r"|get outlook for\b"
    r")",
    re.IGNORECASE | re.MULTILINE,
)
_KEEP_BEFORE_CUT = 20
"""Characters (not spaces) that must come before a cut for it to be made: a
mail that is all history is better read whole than not at all."""
_QUOTED_LINE = re.compile(r"^[ \t]*>[^\n]*$", re.MULTILINE)
_REFERENCE = re.compile(r"[A-Z]{2,10}-\d{1,10}")
_REFERENCE_HINT = re.compile(r"[A-Z]-\d")
_PUNCTUATION = ".,;:!?()[]{}<>\"'"
_SUBJECT_PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|aw|wg|tr)\s*(?:\[\d{1,4}\])?\s*:\s*)+", re.I)
# Words every request may carry and that say nothing about what is asked.
MAIL_WORDS = frozenset(
    {
        "hi", "hello", "hey", "dear", "morning", "afternoon", "evening", "thanks", "thank",
        "thx", "regards", "kind", "best", "cheers", "kindly", "pls", "plz", "fw", "fwd",
        "sent", "wrote", "asap", "urgent", "help", "need", "needed", "want", "like", "just",
        "know", "let", "request", "requesting", "ticket", "issue", "question", "possible",
        "advance", "appreciated", "sincerely",
    }
)  # fmt: skip
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | MAIL_WORDS)
WORD_PATTERN = r"(?u)\b(?=\w*[^\W\d_])\w\w+\b"
"""Words of two or more characters with at least one letter: no bare numbers."""


def _is_noise(word: str) -> bool:
    """A link, a mail address or @mention, or a ticket reference such as ``DW-1042``."""
    if "@" in word or "://" in word or word[:4].lower() == "www.":  # links, addresses
        return True
    return "-" in word and _REFERENCE.fullmatch(word.strip(_PUNCTUATION)) is not None


def clean_text(text: object) -> str:
    """The part of a request that says what is asked, as words separated by
    spaces: at most ``MAX_CHARS`` characters, without quoted history,
    signatures, links, mail addresses or ticket references, which unrelated
    mail shares and which would make it look alike."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = _UNSAFE.sub(" ", text[:MAX_CHARS]).replace("\r\n", "\n").replace("\r", "\n")
    text = _SUBJECT_PREFIX.sub("", text)
    cut = _HISTORY.search(text)
    if cut is not None and len("".join(text[: cut.start()].split())) >= _KEEP_BEFORE_CUT:
        text = text[: cut.start()]
    if ">" in text:
        text = _QUOTED_LINE.sub(" ", text)
    words = text.split()
    if "@" in text or "/" in text or "www." in text or _REFERENCE_HINT.search(text):
        words = [word for word in words if not _is_noise(word)]
    return " ".join(words)


def _vectorise(docs: list[str]) -> tuple[Any, list[str]]:
    """The tf-idf matrix (CSR, rows of unit norm or empty) and its terms; no
    terms at all when no text holds a usable word.

    Terms found in one request only are weighed down before the rows are
    normalised. A word pair found once is dropped: it is two words the request
    already counts, arranged as no other request arranges them. A single word
    found once (the "Zoom" in "admin rights to install Zoom") keeps
    ``UNIQUE_WORD_WEIGHT`` of its weight: idf gives it the highest weight of
    all, right for search but for grouping it outweighs the words a request
    shares with others; kept at some weight, it still sets a one-off apart.
    """
    vectoriser = TfidfVectorizer(
        stop_words=STOP_WORDS,
        token_pattern=WORD_PATTERN,
        ngram_range=(1, 2),
        sublinear_tf=True,
        strip_accents="unicode",
        max_features=MAX_FEATURES,
        norm=None,
        dtype=np.float64,
    )
    try:
        weights = vectoriser.fit_transform(docs).tocsc()
    except ValueError:  # an empty vocabulary: nothing but stop words, numbers or noise
        return sparse.csr_matrix((len(docs), 0)), []
    terms = [""] * len(vectoriser.vocabulary_)
    for term, index in vectoriser.vocabulary_.items():
        terms[index] = term
    shared = np.diff(weights.indptr) >= 2
    pair = np.array([" " in term for term in terms])
    factor = np.where(shared, 1.0, np.where(pair, 0.0, UNIQUE_WORD_WEIGHT))
    keep = np.flatnonzero(factor)
    matrix = normalize((weights[:, keep] @ sparse.diags(factor[keep])).tocsr())
    return matrix, [terms[i] for i in keep]


# --- clusters -------------------------------------------------------------------------


def _pair_keys(a: IntArray, b: IntArray) -> NDArray[np.int64]:
    """An order of pairs of groups, the same from either end: the tie-break.

    Nearest ids first, and of two pairs as near, the one whose lower id has
    no bit in common with the distance: groups 0..7 that all tie pair up as
    (0, 1), (2, 3)...; the survivors 0, 2, 4, 6 as (0, 2), (4, 6); and so on,
    like buddies in a memory allocator.
    """
    low = np.minimum(a, b).astype(np.int64)
    distance = np.abs(a - b).astype(np.int64)
    return (distance << 40) | (((low & distance) != 0).astype(np.int64) << 39) | low


def _best_partners(
    averages: Any, own: IntArray, ids: IntArray, threshold: float
) -> tuple[IntArray, FloatArray]:
    """For each row of ``averages`` (the average similarities of the groups at
    positions ``own`` to every group), the position of the most similar group
    at or above the threshold, and that average; ``-1`` for none. A group's
    own column never counts; ``ids`` name the groups at each position.

    Ties go to the pair first in :func:`_pair_keys`' order. Being the same
    from either end, it makes the best pair of all each other's best, so
    every round merges; and it pairs off groups that all tie (requests that
    differ only in a word of their own), where "lowest id first" would have
    every group wait for the first one, one merge a round.
    """
    n_rows = averages.shape[0]
    partner = np.full(n_rows, -1, dtype=np.intp)
    similarity = np.zeros(n_rows)
    entries = np.flatnonzero(averages.data >= threshold)
    rows = np.searchsorted(averages.indptr, entries, side="right") - 1
    columns = averages.indices[entries].astype(np.intp)
    keep = columns != own[rows]
    rows, columns, value = rows[keep], columns[keep], averages.data[entries[keep]]
    if not len(rows):
        return partner, similarity
    # Linear passes over entries in row order (a sort is too slow when most pairs are alike).
    top = np.maximum.reduceat(value, _starts(rows))
    best = np.flatnonzero(value == np.repeat(top, np.diff(np.r_[_starts(rows), len(rows)])))
    rows, columns, value = rows[best], columns[best], value[best]
    keys = _pair_keys(ids[own[rows]], ids[columns])
    first_key = np.minimum.reduceat(keys, _starts(rows))
    ends = np.diff(np.r_[_starts(rows), len(rows)])
    chosen = np.flatnonzero(keys == np.repeat(first_key, ends))
    chosen = chosen[_starts(rows[chosen])]
    partner[rows[chosen]] = columns[chosen]
    similarity[rows[chosen]] = value[chosen]
    return partner, similarity


def _starts(ordered: IntArray) -> IntArray:
    """Where each run of equal values begins in a sorted, non-empty array."""
    return np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])


def _average_linkage(matrix: Any, threshold: float) -> list[IntArray]:
    """Average-linkage groups of the rows of ``matrix`` (unit vectors), cut where
    the average cosine similarity of two groups falls below ``threshold``.

    The average similarity of two groups is the dot product of their
    centroids, so only sparse products are needed, never the pairwise matrix,
    and at most ``BLOCK`` groups' products are held at once. Groups merge in
    rounds: every pair of groups that are each other's most similar (at the
    threshold or above) merges at once. Average linkage is reducible (a merged group is never
    more similar to a third than the closer of its parts), so such pairs
    merge in any order with the same result as merging the closest pair
    first, one at a time; a group whose best partner falls short is final;
    and only groups that merged, or whose partner did, need their partner
    looked up again. Identical rows start as one group (they are alike at
    1.0, the first merges anyway). When a round merges few groups, the
    nearest-neighbour chain finishes the work (see :func:`_chain`). Every row
    ends in exactly one group, singletons too.
    """
    rows = matrix.tocsr()
    rows.sort_indices()
    n = rows.shape[0]
    threshold -= _EPSILON
    labels = _duplicates(rows)  # identical rows are alike at 1.0: they merge first
    size = np.bincount(labels, minlength=n).astype(np.float64)
    final = np.zeros(n, dtype=bool)
    partner = np.full(n, -1, dtype=np.intp)
    similarity = np.zeros(n)
    stale = np.flatnonzero(size)
    while True:
        active = np.flatnonzero((size > 0) & ~final)
        if len(active) < 2:
            break
        position = np.full(n, -1, dtype=np.intp)
        position[active] = np.arange(len(active))
        of_row = position[labels]
        members = np.flatnonzero(of_row >= 0)
        shares = 1.0 / size[labels[members]]  # centroids: their products are the averages
        indicator = sparse.csr_matrix((shares, (of_row[members], members)), shape=(len(active), n))
        centroids = (indicator @ rows).tocsr()
        transposed = centroids.T.tocsr()
        stale = stale[(size[stale] > 0) & ~final[stale]]
        block = max(1, min(BLOCK, BLOCK_PRODUCTS // len(active)))
        for start in range(0, len(stale), block):
            groups = stale[start : start + block]
            own = position[groups]
            best, value = _best_partners(
                (centroids[own] @ transposed).tocsr(), own, active, threshold
            )
            partner[groups] = np.where(best >= 0, active[np.maximum(best, 0)], -1)
            similarity[groups] = value
        final[stale[partner[stale] < 0]] = True
        waiting = active[~final[active]]
        if not len(waiting):
            break
        pairs = waiting[(partner[partner[waiting]] == waiting) & (waiting < partner[waiting])]
        kept, gone = pairs, partner[pairs]
        if not len(pairs):  # a safety net: the best pair of all is always mutual
            closest = int(waiting[np.argmax(similarity[waiting])])
            ends = sorted((closest, int(partner[closest])))
            kept, gone = np.array(ends[:1], dtype=np.intp), np.array(ends[1:], dtype=np.intp)
        relabel = np.arange(n)
        relabel[gone] = kept
        labels = relabel[labels]
        size[kept] += size[gone]
        size[gone] = 0.0
        changed = np.zeros(n, dtype=bool)
        changed[kept] = True
        changed[gone] = True
        if len(kept) * SLOW_ROUND < len(waiting):
            _chain(rows, labels, size, final, threshold)
            break
        waiting = waiting[size[waiting] > 0]
        stale = waiting[changed[waiting] | changed[partner[waiting]]]
    return _groups(labels)


def _chain(
    rows: Any, labels: IntArray, size: FloatArray, final: NDArray[np.bool_], threshold: float
) -> None:
    """Finish :func:`_average_linkage` with the nearest-neighbour chain, in place.

    Rounds stall when one group is the best partner of many (a tight core
    that looser requests join one at a time, each in its own round, while
    all the others look up their partner again). The chain pays one look-up
    per step instead: from any group, step to its most similar group until
    two are each other's most similar, merge those and go on from the group
    before them. Reducibility makes that the same result again.
    """
    n = rows.shape[0]
    by_term = rows.T.tocsr()
    chain: list[int] = []
    merged: list[int] = []  # merged groups wait for their own turn at the chain's start
    candidates = iter(np.flatnonzero((size > 0) & ~final).tolist())
    while True:
        while merged and not chain:
            group = merged.pop()
            if size[group] > 0 and not final[group]:
                chain.append(group)
        if not chain:
            start = next((g for g in candidates if size[g] > 0 and not final[g]), None)
            if start is None:
                return
            chain.append(start)
        group = chain[-1]
        previous = chain[-2] if len(chain) > 1 else -1
        members = (labels == group).astype(np.float64)
        totals = np.bincount(labels, weights=rows @ (by_term @ members), minlength=n)
        with np.errstate(divide="ignore", invalid="ignore"):
            averages = totals / (size[group] * size)
        averages[(size == 0) | final] = -np.inf
        averages[group] = -np.inf
        best = int(np.argmax(averages))
        # Ties go back down the chain, which keeps it from cycling. Ties up to
        # rounding: three groups alike in exact arithmetic (templated requests)
        # come out a last digit apart depending on the side they are summed
        # from, and a strict comparison would walk round them for ever. A
        # group already in the chain is such a tie too.
        if previous >= 0 and (averages[previous] >= averages[best] - _TIE or best in chain):
            best = previous
        if averages[best] < threshold:
            final[group] = True
            chain.pop()
        elif best == previous:
            chain.pop()
            chain.pop()
            kept, gone = min(group, best), max(group, best)
            labels[labels == gone] = kept
            size[kept] += size[gone]
            size[gone] = 0.0
            merged.append(kept)
        else:
            chain.append(best)


def _duplicates(rows: Any) -> IntArray:
    """Each row's first identical row (itself when it has none)."""
    first: dict[tuple[bytes, bytes], int] = {}
    labels = np.arange(rows.shape[0])
    for row in range(rows.shape[0]):
        begin, end = rows.indptr[row], rows.indptr[row + 1]
        if begin < end:
            key = (rows.indices[begin:end].tobytes(), rows.data[begin:end].tobytes())
            labels[row] = first.setdefault(key, row)
    return labels


def _groups(labels: NDArray[Any]) -> list[IntArray]:
    """Positions sharing a label, in their original order."""
    order = np.argsort(labels, kind="stable")
    cuts = np.flatnonzero(np.diff(labels[order])) + 1
    return [np.asarray(part, dtype=np.intp) for part in np.split(order, cuts)]


def _top_terms(
    indices: IntArray, weights: FloatArray, users: FloatArray, size: int, terms: list[str]
) -> tuple[str, ...]:
    """The heaviest terms of a group's summed vector (its centroid times its
    size: the same order), for a label.

    Terms that at least a third of the members (and two) use come first: a
    rare word of one member can outweigh a word they all share, and would
    name the group after that one request. Other terms only fill a label of
    fewer than three. A term whose words are already named is left out, and a
    pair replaces the single word it contains: "admin rights, install", not
    "admin, admin rights, rights, install".
    """
    common = users >= max(2.0, size / 3)
    chosen: list[str] = []
    for position in np.lexsort((indices, -weights, ~common)):
        full = len(chosen) >= (LABEL_TERMS if common[position] else MIN_LABEL_TERMS)
        if weights[position] <= 0 or full:
            break
        term = terms[int(indices[position])]
        words = term.split()
        if set(words) <= {word for name in chosen for word in name.split()}:
            continue
        inside = [i for i, name in enumerate(chosen) if name in words]
        if inside:
            chosen[inside[0]] = term
            chosen = [name for i, name in enumerate(chosen) if i not in inside[1:]]
        else:
            chosen.append(term)
    return tuple(chosen)


def _top(values: Iterable[str]) -> tuple[tuple[str, int], ...]:
    """The most common values with their counts; on a tie, "none" (``""``) last."""
    counter = Counter(values)
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0] == "", item[0]))
    return tuple(ranked[:TOP])


def _trend(recent: int, earlier: int) -> Trend:
    if earlier == 0:
        return "new"
    if recent >= earlier * RISE and recent - earlier >= MIN_CHANGE:
        return "rising"
    if earlier >= recent * RISE and earlier - recent >= MIN_CHANGE:
        return "falling"
    return "steady"


def clusters(
    rows: Iterable[Row],
    *,
    threshold: float = 0.35,
    min_size: int = 2,
    now: datetime | None = None,
) -> list[Cluster]:
    """Groups of at least ``min_size`` requests that read alike, largest first.

    ``threshold`` is the least average cosine similarity within a group. The
    trend window runs from the oldest analysed row to ``now`` (the current
    time when ``None``, never before the newest row). Rows whose text holds no
    usable word are never clustered; no input raises.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be in (0, 1]")
    if min_size < 1:
        raise ValueError("min_size must be at least 1")
    unique = {row.id: row for row in reversed(list(rows))}  # the first of a repeated id
    analysed = sorted(unique.values(), key=lambda row: (row.at, row.id), reverse=True)
    analysed = analysed[:MAX_ROWS]
    if not analysed:
        return []
    matrix, terms = _vectorise([clean_text(row.text) for row in analysed])
    usable = np.flatnonzero(np.diff(matrix.indptr) > 0)
    if len(usable) < min_size:
        return []
    window_start = analysed[-1].at
    window_end = max(now if now is not None else datetime.now(UTC), analysed[0].at)
    middle = window_start + (window_end - window_start) / 2
    half_months = max((window_end - middle).total_seconds() / 86_400 / DAYS_PER_MONTH, 1.0)
    groups = [
        np.sort(usable[group])  # the most recent first, as ``analysed``
        for group in _average_linkage(matrix[usable], threshold)
        if len(group) >= min_size
    ]
    if not groups:
        return []
    indicator = sparse.csr_matrix(
        (
            np.ones(sum(len(g) for g in groups)),
            (np.repeat(np.arange(len(groups)), [len(g) for g in groups]), np.concatenate(groups)),
        ),
        shape=(len(groups), len(analysed)),
    )
    sums = (indicator @ matrix).tocsr()
    presence = matrix.copy()
    presence.data[:] = 1.0
    users = (indicator @ presence).tocsr()  # members using a term: ``sums``' pattern, all > 0
    sums.sort_indices()
    users.sort_indices()
    found: list[Cluster] = []
    for number, positions in enumerate(groups):
        members = [analysed[p] for p in positions]
        begin, end = sums.indptr[number], sums.indptr[number + 1]
        label_terms = _top_terms(
            sums.indices[begin:end],
            sums.data[begin:end],
            users.data[users.indptr[number] : users.indptr[number + 1]],
            len(positions),
            terms,
        )
        recent = sum(1 for row in members if row.at >= middle)
        earlier = len(members) - recent
        found.append(
            Cluster(
                label=", ".join(label_terms),
                terms=label_terms,
                size=len(members),
                member_ids=tuple(row.id for row in members),
                reasons=_top(row.reason for row in members),
                categories=_top(row.category for row in members),
                kinds=_top(row.kind for row in members),
                requesters=len({row.requester for row in members}),
                first_at=members[-1].at,
                last_at=members[0].at,
                trend=_trend(recent, earlier),
                recent=recent,
                earlier=earlier,
                window_start=window_start,
                window_end=window_end,
                per_month=recent / half_months,
            )
        )
    found.sort(key=lambda c: (-c.size, -c.last_at.timestamp(), c.label, c.member_ids))
    return found


# --- time saved -----------------------------------------------------------------------


def time_saved(
    rows: Iterable[Row],
    handling_hours: Mapping[tuple[str, str], float],
    *,
    default_hours: float | None = None,
) -> TimeSaved:
    """Declines times the team's average handling time in their category.

    Only declines count: a deferred request is still done, later. Hours come
    from ``handling_hours[(team, category)]``, else ``(team, "")``, else
    ``default_hours``; a decline with none of them is counted as unpriced
    rather than guessed, so the total never claims more than it knows.
    """
    for hours in [*handling_hours.values(), default_hours]:
        if hours is not None and not (math.isfinite(hours) and hours >= 0):
            raise ValueError(f"handling hours must be finite and not negative, not {hours!r}")
    declines: Counter[tuple[str, str]] = Counter(
        (row.team, row.category) for row in rows if row.kind == "decline"
    )
    lines: list[TimeSavedLine] = []
    for (team, category), count in declines.items():
        each = handling_hours.get((team, category), handling_hours.get((team, ""), default_hours))
        each = None if each is None else float(each)
        hours = 0.0 if each is None else count * each
        lines.append(TimeSavedLine(team, category, count, each, hours))
    lines.sort(key=lambda line: (-line.hours, -line.declines, line.team, line.category))
    priced = sum(line.declines for line in lines if line.hours_each is not None)
    return TimeSaved(
        hours=sum(line.hours for line in lines),
        priced=priced,
        unpriced=sum(line.declines for line in lines) - priced,
        lines=tuple(lines),
    )


# --- making the case ------------------------------------------------------------------

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#!|~])")
# What makes a list item or a heading when it begins a line.
_BLOCK_START = re.compile(r"^(?:[-+=]|\d{1,9}(?=[.)]))")


def one_line(text: object, limit: int | None = None) -> str:
    """``text`` on one line, control characters and runs of space made single
    spaces, cut at a word before ``limit`` characters with an ellipsis."""
    flat = _SPACES.sub(" ", _UNSAFE.sub(" ", str(text))).strip()
    if limit is None or len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"


def markdown_text(text: object, limit: int | None = None) -> str:
    """Text anyone wrote, safe inside Markdown: on one line, HTML characters as
    entities, Markdown punctuation (pipes, backticks, ``#``, brackets...)
    backslash-escaped, so it can neither add table cells or rows, nor start
    a heading, link, code span or raw HTML when rendered."""
    flat = one_line(text, limit)
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    flat = _MARKDOWN_PUNCTUATION.sub(r"\\\1", flat)
    return _BLOCK_START.sub(_escape_start, flat)


def _escape_start(found: re.Match[str]) -> str:
    """``-`` becomes ``\\-``; ``12.`` becomes ``12\\.``."""
    text = found.group(0)
    return "\\" + text if not text[0].isdigit() else text + "\\"


def _paragraphs(text: str) -> list[str]:
    return [markdown_text(part) for part in re.split(r"\n\s*\n", text) if part.strip()]


def _counted(pairs: Sequence[tuple[str, int]], empty: str) -> str:
    if not pairs:
        return "none"
    return ", ".join(f"{markdown_text(name) or empty} ({count})" for name, count in pairs)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _trend_words(cluster: Cluster) -> str:
    middle = cluster.window_start + (cluster.window_end - cluster.window_start) / 2
    since = f"since {middle.date().isoformat()}"
    before = f"{cluster.window_start.date().isoformat()} to {middle.date().isoformat()}"
    halves = f"{cluster.recent} {since}, against {cluster.earlier} from {before}"
    return {
        "rising": f"rising: {halves}",
        "falling": f"falling: {halves}",
        "steady": f"steady: {halves}",
        "new": f"new: all {cluster.recent} {since}, none from {before}",
    }[cluster.trend]


def _hours(value: float) -> str:
    return f"{value:.1f}"


def case_markdown(
    cluster: Cluster,
    rows_by_id: Mapping[int, Row],
    *,
    title: str,
    fix_kind: str,
    proposal: str,
    hours_per_request: float | None,
) -> str:
    """A proposal for a systemic fix, with the register's evidence, in Markdown.

    Everything people typed (title, proposal, requesters, reasons, request
    texts, the label drawn from them) is escaped, so the document renders as
    written whatever the text holds. Members missing from ``rows_by_id`` are
    counted but not listed.
    """
    if fix_kind not in FIX_KINDS:
        raise ValueError(f"unknown kind of fix {fix_kind!r}; one of {', '.join(FIX_KINDS)}")
    if hours_per_request is not None and not (
        math.isfinite(hours_per_request) and hours_per_request >= 0
    ):
        raise ValueError("hours per request must be finite and not negative")
    members = [rows_by_id[i] for i in cluster.member_ids if i in rows_by_id]
    kinds = ", ".join(
        f"{count} {KIND_WORDS.get(kind, markdown_text(kind))}" for kind, count in cluster.kinds
    )
    first, last = cluster.first_at.date().isoformat(), cluster.last_at.date().isoformat()
    lines = [f"# {markdown_text(title) or 'Proposal'}", ""]
    lines += [f"**Proposed fix ({fix_kind}).**", ""]
    for paragraph in _paragraphs(proposal):
        lines += [paragraph, ""]
    lines += ["## Evidence", ""]
    lines.append(
        f"- **Requests:** {_plural(cluster.size, 'request')} ({kinds}) "
        f"from {_plural(cluster.requesters, 'requester')} that read alike: "
        f"*{markdown_text(cluster.label) or 'no common words'}*"
    )
    lines.append(f"- **Dates:** {first} to {last}")
    lines.append(f"- **Trend:** {_trend_words(cluster)}")
    lines.append(f"- **Top reasons:** {_counted(cluster.reasons, 'no reason')}")
    lines.append(f"- **Top categories:** {_counted(cluster.categories, 'uncategorised')}")
    rate = f"{cluster.per_month:.1f} requests a month"
    if hours_per_request is None:
        lines.append(
            f"- **Estimated time saved:** not estimated, no handling time is known "
            f"({rate} at the recent rate)"
        )
    else:
        saved = cluster.per_month * hours_per_request
        lines.append(
            f"- **Estimated time saved:** {_hours(saved)} hours a month "
            f"({rate} at the recent rate, times {_hours(hours_per_request)} hours each)"
        )
    lines += ["", "## Requests", ""]
    if len(members) < cluster.size:
        lines += [f"{cluster.size - len(members)} of the requests are no longer available.", ""]
    lines += ["| Date | Requester | Reason | Request |", "|---|---|---|---|"]
    for row in members:
        cells = (
            row.at.date().isoformat(),
            markdown_text(row.requester, NAME),
            markdown_text(row.reason, NAME),
            markdown_text(row.text, EXCERPT),
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# --- CSV ------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one that begins like a formula
    (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets a leading ``'``,
    so an exported request cannot run ``=HYPERLINK(...)`` on the reader's machine."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_row(row: Row) -> list[str]:
    return [
        str(row.id),
        csv_cell(row.reference),
        row.at.isoformat(),
        csv_cell(row.kind),
        csv_cell(row.requester),
        csv_cell(row.text),
        csv_cell(row.reason),
        csv_cell(row.alternatives),
        csv_cell(row.category),
        csv_cell(row.team),
        csv_cell(row.agent),
    ]


class _Line:
    """A file-like target holding the last line the csv writer wrote."""

    def __init__(self) -> None:
        self.value = ""

    def write(self, text: str) -> int:
        self.value = text
        return len(text)


def register_csv(rows: Iterable[Row]) -> Iterator[str]:
    """The register as CSV lines (header first, ``\\r\\n`` endings), one at a
    time, so an export of any length streams without being held in memory."""
    line = _Line()
    writer = csv.writer(line)
    writer.writerow(CSV_COLUMNS)
    yield line.value
    for row in rows:
        writer.writerow(_csv_row(row))
        yield line.value


def case_csv(cluster: Cluster, rows_by_id: Mapping[int, Row]) -> str:
    """The cluster's members as CSV, the most recent first, with the register's columns."""
    buffer = io.StringIO()
    buffer.writelines(register_csv(rows_by_id[i] for i in cluster.member_ids if i in rows_by_id))
    return buffer.getvalue()
