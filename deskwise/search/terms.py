"""What people type, turned into queries that cannot fail, and highlighted text
turned into safe HTML.

Nothing a person types reaches a query language as syntax. We read the few
things a search box conventionally means (words, "a phrase", ``or``,
``-word``) and write each backend's query ourselves: for SQLite an FTS5
expression in which every word is a quoted string, for PostgreSQL a clean
text for ``websearch_to_tsquery``, which accepts any input. Operators,
column filters, parentheses, ``NEAR``, stray quotes, control characters and
NUL bytes are thereby just text: a hostile query finds little, and never
raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

MAX_QUERY_CHARS = 500  # a search box's worth; longer input is cut, not refused
MAX_TEXT_CHARS = 20_000  # a whole request description, for suggestions
MAX_TERMS = 30  # more words add time, not relevance
MAX_EXCLUDED = 10

# Private-use characters mark the highlighted words in what the database
# returns; they are removed from anything typed, so nobody can forge a mark.
MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"

# Control characters (NUL included), lone surrogates (which cannot be encoded
# for either database) and our markers become spaces.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ue000\ue001]")
_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
_HAS_WORD = re.compile(r"[^\W_]")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_SPACE = re.compile(r"\s+")

# PostgreSQL's English stop words (tsearch_data/english.stop): PostgreSQL drops
# them from queries by itself; FTS5 has none, so we drop them for it, and both
# backends then find the same things.
_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what
    which who whom this that these those am is are was were be been being have has had
    having do does did doing a an the and but if or because as until while of at by for
    with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so than too
    very s t can will just don should now
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False


@dataclass(frozen=True)
class Query:
    """One search, written for each backend. ``empty`` means nothing can match,
    so no database is asked."""

    fts5: str  # an FTS5 MATCH expression: quoted strings joined by OR/NOT only
    websearch: str  # a text for websearch_to_tsquery
    # For a query for any of some words: the words, which PostgreSQL weighs by
    # their rarity itself (FTS5's bm25 does that already).
    words: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.fts5


EMPTY = Query("", "")


def clean(text: str | None, *, max_chars: int = MAX_QUERY_CHARS) -> str:
    """The text with unsafe characters spaced out, cut to ``max_chars``."""
    return _UNSAFE.sub(" ", (text or "")[:max_chars]).strip()


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _is_stop(term: Term) -> bool:
    return not term.phrase and term.text.casefold() in STOP_WORDS


def parse(text: str | None) -> Query:
    """A search box's query: all words must match (``a or b`` for either;
    ``"a phrase"``; ``-word`` to leave out)."""
    # Items: a Term, or None for an "or" between two terms.
    items: list[Term | None] = []
    excluded: list[Term] = []
    for match in _TOKEN.finditer(clean(text)):
        minus, quoted, bare = match.groups()
        if bare is not None:
            negated = bare.startswith("-")
            word = bare.lstrip("-").replace('"', "")
            if not negated and word.casefold() == "or":
                items.append(None)
                continue
            term = Term(word)
        else:
            negated = bool(minus)
            term = Term(_SPACE.sub(" ", quoted).strip(), phrase=True)
        if not _HAS_WORD.search(term.text):
            continue  # punctuation and symbols only: nothing to find
        if negated:
            excluded.append(term)
        else:
            items.append(term)

    terms = [item for item in items if item is not None]
    if any(not _is_stop(t) for t in terms):
        items = [item for item in items if item is None or not _is_stop(item)]
        excluded = [t for t in excluded if not _is_stop(t)]
    # Keep "or" only between two terms, and at most MAX_TERMS terms.
    kept: list[Term | None] = []
    count = 0
    for i, item in enumerate(items):
        if item is None:
            follows = i + 1 < len(items) and items[i + 1] is not None
            if kept and kept[-1] is not None and follows:
                kept.append(None)
        elif count < MAX_TERMS:
            kept.append(item)
            count += 1
    if kept and kept[-1] is None:
        kept.pop()
    if not count:
        return EMPTY  # only exclusions, or nothing: an empty answer, not a full scan
    excluded = excluded[:MAX_EXCLUDED]

    fts = " ".join("OR" if item is None else _quoted(item.text) for item in kept)
    if excluded:
        fts = f"({fts})" + "".join(f" NOT {_quoted(t.text)}" for t in excluded)
    web = " ".join("or" if item is None else _web(item) for item in kept)
    web += "".join(f" -{_web(t)}" for t in excluded)
    return Query(fts5=fts, websearch=web)


def _web(term: Term) -> str:
    # websearch_to_tsquery reads a leading "-" as NOT and quotes as a phrase;
    # a term's own text never starts with "-" and holds no quote by now.
    return f'"{term.text}"' if term.phrase else term.text


def words(text: str | None, *, max_terms: int = MAX_TERMS) -> list[str]:
    """The distinct content words of a free text, in order, at most ``max_terms``."""
    found: list[str] = []
    seen: set[str] = set()
    for match in _WORD.finditer(clean(text, max_chars=MAX_TEXT_CHARS)):
        word = match.group().casefold()
        if len(word) < 2 or word in STOP_WORDS or word in seen:
            continue
        seen.add(word)
        found.append(word)
        if len(found) >= max_terms:
            break
    return found


def parse_any(text: str | None) -> Query:
    """A free text (a request as someone wrote it) as a query for any of its
    words: the best matches share the most, and the rarest, words."""
    found = words(text)
    if not found:
        return EMPTY
    return Query(
        fts5=" OR ".join(_quoted(w) for w in found),
        websearch=" or ".join(w.replace("'", " ") for w in found),
        words=tuple(found),
    )


def marked_html(text: str | None) -> Markup:
    """Text with our highlight markers as HTML: every character escaped, the
    marked words in ``<mark>``; unbalanced markers cannot leave a tag open."""
    out: list[str] = []
    open_ = False
    for part in re.split(f"([{MARK_OPEN}{MARK_CLOSE}])", _SPACE.sub(" ", text or "").strip()):
        if part == MARK_OPEN:
            if not open_:
                out.append("<mark>")
                open_ = True
        elif part == MARK_CLOSE:
            if open_:
                out.append("</mark>")
                open_ = False
        else:
            out.append(str(escape(part)))
    if open_:
        out.append("</mark>")
    return Markup("".join(out).replace("<mark></mark>", ""))  # noqa: S704 (every part escaped)


def plain(text: str | None) -> str:
    """Highlighted text without its markers."""
    return (text or "").replace(MARK_OPEN, "").replace(MARK_CLOSE, "")
