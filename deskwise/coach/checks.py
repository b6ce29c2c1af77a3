"""The reply coach's engine: a reply in, a short list of notes out.

``check(text, context=...)`` reads what an agent is about to send the way the
best technicians read their own replies, and returns a note for each thing
worth a second look: jargon the requester may not know, saying what we can't
do instead of what we will, blame, a missing acknowledgement, no empathy for a
frustrated requester, no next step or time, no greeting by name, a resolution
that does not ask "Have I solved your problem?", long sentences, a high
reading grade, and steps buried in a wall of text. Each note carries the span
of the text it is about, a suggestion and, where a fix is safe, the fix: a
replacement for the span (a jargon term -> its plain words) or text to insert
(a greeting, the closing question). Missing pieces have an empty span where
the piece belongs.

The engine is pure: no database, no settings. What it needs to know about the
requester, the ticket and the team comes in ``Context``; the services build
that from the ticket (and the desk's jargon list from the admin).

How the text is read:

* It is cut at ``CHECK_CHARS`` first (a note says so), so the time a check
  takes has a bound whatever is pasted.
* A copy of the same length is made in which what the agent did not write in
  their own words is blanked out: the quoted history of earlier mail ("On ...
  wrote:", "-----Original Message-----", lines starting with ">"), code
  (fenced blocks and `inline`), HTML tags and entities, web and mail
  addresses, and file paths. Every check reads that copy, so every span points
  into the original text unchanged and quoted words never trigger a note.
* Word lists are looked up as words (a dictionary of terms, keyed by their
  words), not tried as a long regex alternation at every position; the few
  regexes are compiled once at import.

Nothing here raises on odd input: empty text, 100 KB, HTML, emoji, NUL bytes
give notes or none.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyphen

from deskwise.coach.defaults import JARGON

__all__ = [
    "CHECKS",
    "CHECK_CHARS",
    "PURPOSES",
    "TRUNCATED",
    "Context",
    "Fix",
    "Glossary",
    "Note",
    "apply_fix",
    "check",
    "default_glossary",
    "reading_grade",
    "syllables",
]

# The checks, in the order their notes are listed; a team may switch any off.
CHECKS: dict[str, str] = {
    "greeting": "Greeting by name",
    "acknowledgement": "Acknowledges the problem",
    "empathy": "Empathy for a frustrated requester",
    "blame": "Blame",
    "negative": "Negative phrasing",
    "jargon": "Jargon",
    "next_step": "Next step and time",
    "solved_question": "“Have I solved your problem?” on a resolution",
    "long_sentence": "Long sentences",
    "reading_grade": "Reading grade",
    "wall_of_text": "Steps in a wall of text",
}
# Not a check: says that only the start of a huge text was read.
TRUNCATED = "truncated"
# The note that the text was cut comes first: it says how to read the rest.
_ORDER = {code: index for index, code in enumerate([TRUNCATED, *CHECKS])}

PURPOSES = ("reply", "resolution", "decline", "defer")

CHECK_CHARS = 10_000  # about 1,700 words: far more than any reply should be
LONG_SENTENCE_WORDS = 30  # plain-language guides put the limit at 25 to 30
GRADE_ABOVE = 10.0  # a note above this Flesch-Kincaid grade...
GRADE_TARGET = 8  # ...suggesting this one, what most adults read with ease
GRADE_MIN_WORDS = 30  # the formula says little about a few lines
WALL_MIN_WORDS = 40
WALL_MIN_STEPS = 3
MAX_PER_CHECK = {"jargon": 6}
MAX_PER_CHECK_DEFAULT = 3
MAX_NOTES = 15
NAME_MAX = 60

SOLVED_QUESTION = "Have I solved your problem?"
EMPATHY_SENTENCE = "I'm sorry this has been so frustrating, and thank you for your patience."


@dataclass(frozen=True)
class Fix:
    """Replace ``text[start:end]`` with ``text``; an insertion when start == end."""

    start: int
    end: int
    text: str
    label: str

    @property
    def is_insert(self) -> bool:
        return self.start == self.end


@dataclass(frozen=True)
class Note:
    code: str
    message: str
    start: int
    end: int
    suggestion: str
    fix: Fix | None = None


@dataclass(frozen=True)
class Term:
    term: str
    plain: str
    exact_case: bool  # an acronym: matched only as written ("AD", not "ad")


_TERM_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*")


class Glossary:
    """Jargon terms keyed by their words in lower case, for lookup by word."""

    def __init__(self, terms: Iterable[tuple[str, str]]) -> None:
        self.by_key: dict[str, Term] = {}
        self.first_words: set[str] = set()
        self.longest = 1
        for raw_term, raw_plain in terms:
            term = " ".join(str(raw_term).split())
            plain = " ".join(str(raw_plain).split())
            tokens = _TERM_TOKEN.findall(term)
            # A term must read as the words it is looked up by, or it never matches.
            if not tokens or not plain or " ".join(tokens) != term:
                continue
            exact = any(c.isupper() for c in term) and not any(c.islower() for c in term)
            key = " ".join(tokens).lower()
            self.by_key.setdefault(key, Term(term, plain, exact))
            self.first_words.add(tokens[0].lower())
            self.longest = max(self.longest, len(tokens))

    def __len__(self) -> int:
        return len(self.by_key)


@functools.cache
def default_glossary() -> Glossary:
    return Glossary(JARGON)


@dataclass(frozen=True)
class Context:
    """What the coach knows beyond the text.

    ``glossary``: the desk's jargon list; None for the built-in one.
    ``disabled``: the check codes the team has switched off."""

    first_name: str = ""
    is_technical: bool = False
    frustrated: bool = False
    purpose: str = "reply"
    disabled: frozenset[str] = frozenset()
    glossary: Glossary | None = None


# --- preparing the text -------------------------------------------------------------------

# Same length in, same length out: spans found in the copy point into the original.
_SAME_LENGTH = str.maketrans(
    {
        **{chr(code): " " for code in range(32) if code not in (9, 10)},
        "\t": " ",
        "\x7f": " ",
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "\u200b": " ",
        "\u200c": " ",
        "\u200d": " ",
        "\ufeff": " ",
        "\u2028": "\n",
        "\u2029": "\n",
    }
)
_NOT_NEWLINE = re.compile(r"[^\n]")


def _wordset(block: str) -> frozenset[str]:
    return frozenset(block.split())


_HISTORY = re.compile(
    r"^[ \t]*(?:on\b[^\n]{0,200}\bwrote:[ \t]*$"
    r"|-{2,}[ \t]*(?:original message|forwarded message)\b"
    r"|from:[ \t][^\n]{0,300}\n[ \t]*(?:sent|date):)",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTED_LINE = re.compile(r"^[ \t]*>[^\n]*", re.MULTILINE)
_FENCED = re.compile(r"^[ \t]*(```|~~~)[^\n]*(?:\n.*?)??(?:\n[ \t]*\1[^\n]*|\Z)", re.M | re.S)
_INLINE_CODE = re.compile(r"`[^`\n]{1,300}`")
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]{0,15})\b[^<>]{0,1000}>")
_BLOCK_TAGS = _wordset(
    "p br div li ul ol h1 h2 h3 h4 h5 h6 tr table blockquote pre hr section article"
)
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,10}|#\d{1,7}|#x[0-9A-Fa-f]{1,6});")
_URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'`]+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
_PATH = re.compile(r"\b[A-Za-z]:\\[^\s\"'<>]*|\\\\[^\s\"'<>]+")
# Words in double quotes are often the screen's own ("click “Clear cache”"):
# not jargon the agent chose.
_DOUBLE_QUOTED = re.compile(r'"[^"\n]{1,80}"')


def _blank(match: re.Match[str]) -> str:
    return _NOT_NEWLINE.sub(" ", match.group(0))


def _blank_tag(match: re.Match[str]) -> str:
    # A block tag ends a line, as it would on screen; other tags leave spaces.
    blank = " " * len(match.group(0))
    return "\n" + blank[1:] if match.group(1).lower() in _BLOCK_TAGS else blank


def _prepare(text: str) -> str:
    """The agent's own words, same length as ``text``, everything else blanked."""
    prepared = text.translate(_SAME_LENGTH)
    history = _HISTORY.search(prepared)
    if history:
        start = history.start()
        prepared = prepared[:start] + _NOT_NEWLINE.sub(" ", prepared[start:])
    if "`" in prepared or "~~~" in prepared:
        prepared = _FENCED.sub(_blank, prepared)
        prepared = _INLINE_CODE.sub(_blank, prepared)
    if ">" in prepared:
        prepared = _QUOTED_LINE.sub(_blank, prepared)
    if "<" in prepared:
        prepared = _HTML_COMMENT.sub(_blank, prepared)
        prepared = _TAG.sub(_blank_tag, prepared)
    if "&" in prepared:
        prepared = _ENTITY.sub(_blank, prepared)
    if "://" in prepared or "www." in prepared.lower():
        prepared = _URL.sub(_blank, prepared)
    if "@" in prepared:
        prepared = _EMAIL.sub(_blank, prepared)
    if "\\" in prepared:
        prepared = _PATH.sub(_blank, prepared)
    return prepared


# --- sentences, words and syllables ---------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_LETTER = re.compile(r"[^\W\d_]")
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)")
_ABBREVIATION = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|vs|mr|mrs|ms|dr|approx|no|nr|incl|cf|jr|sr|ca)|(?<![\w.])[A-Za-z])\.$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    words: tuple[str, ...]


def _sentences(prepared: str) -> list[_Sentence]:
    """Sentences end at . ! ? before a space, and at every line break: a
    greeting line, a list item or a sign-off is a sentence of its own."""
    found: list[_Sentence] = []
    offset = 0
    for line in prepared.split("\n"):
        start = 0
        for end_match in _SENTENCE_END.finditer(line):
            if _ABBREVIATION.search(line, max(0, end_match.start() - 8), end_match.start() + 1):
                continue
            _add_sentence(found, line, offset, start, end_match.end())
            start = end_match.end()
        _add_sentence(found, line, offset, start, len(line))
        offset += len(line) + 1
    return found


def _add_sentence(found: list[_Sentence], line: str, offset: int, start: int, end: int) -> None:
    piece = line[start:end]
    words = tuple(w for w in _WORD.findall(piece) if _LETTER.search(w))
    if not words:
        return
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece.rstrip())
    found.append(_Sentence(offset + start + lead, offset + start + trail, words))


@functools.cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")


_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def _vowel_groups(piece: str, *, last: bool) -> int:
    groups = len(_VOWEL_GROUP.findall(piece[1:] if piece.startswith("y") else piece))
    if groups > 1:
        # Silent endings: "store", "nate" in "un-for-tu-nate-ly"; on the last piece also
        # "jammed", "closes" (but "table", "started", "boxes").
        silent_e = piece.endswith("e") and not piece.endswith(("le", "ee", "ye"))
        silent_ed = last and piece.endswith("ed") and piece[-3:-2] not in ("t", "d")
        silent_es = (
            last and piece.endswith("es") and piece[-3:-2] not in ("s", "x", "z", "c", "g", "h")
        )
        if silent_e or silent_ed or silent_es:
            groups -= 1
    return max(1, groups)


@functools.lru_cache(maxsize=50_000)
def syllables(word: str) -> int:
    """Syllables of one word, from pyphen's (TeX) hyphenation points.

    Hyphenation never breaks next to a word's ends and skips some breaks
    inside it ("restart", "area" come back whole), so each piece between two
    points counts its vowel groups, with the silent endings of English taken
    off the last piece; every piece is at least one syllable."""
    lower = word.lower().replace("'", "")
    if not lower:
        return 0
    if not lower.isascii() or not lower.isalpha():
        parts = [p for p in re.split(r"[^a-z]+", lower) if p]
        if not parts:
            return 1  # a number, or a word in a script the patterns do not cover
        return sum(syllables(part) for part in parts)
    pieces = _hyphenator().inserted(lower, hyphen="\x00").split("\x00")
    return sum(
        _vowel_groups(piece, last=index == len(pieces) - 1) for index, piece in enumerate(pieces)
    )


def reading_grade(words: int, sentences: int, syllable_count: int) -> float:
    """The Flesch-Kincaid grade level: 0.39 x words per sentence + 11.8 x
    syllables per word - 15.59 (J. P. Kincaid, R. P. Fishburne, R. L. Rogers,
    B. S. Chissom, "Derivation of new readability formulas ... for Navy
    enlisted personnel", Research Branch Report 8-75, Naval Technical
    Training Command, 1975). The result reads as a US school grade."""
    if words <= 0 or sentences <= 0:
        return 0.0
    return 0.39 * (words / sentences) + 11.8 * (syllable_count / words) - 15.59


# --- phrase patterns --------------------------------------------------------------------

_I = re.IGNORECASE


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern[str]
    message: str
    suggestion: str


def _patterns(*specs: tuple[str, str, str]) -> tuple[_Pattern, ...]:
    return tuple(_Pattern(re.compile(rx, _I), message, tip) for rx, message, tip in specs)


_WE = r"(?:I|we|our team|the team|the desk|the help ?desk|the service desk)"
_NOT_REALLY_NEGATIVE = (
    r"(?!\s+(?:need|have to|take long|take more than|lose|be long|be charged|affect|notice"
    r"|be affected|hesitate|forget|wait|thank|stress|happen again|see any change|be a problem))"
)
_NEGATIVE = _patterns(
    (
        rf"\b{_WE}\s+(?:can't|cannot|can not|won't|will not|couldn't|could not|refuse to"
        rf"|have no way to|(?:am|are|is) (?:not able|unable) to){_NOT_REALLY_NEGATIVE}\b",
        "Says what you can't do.",
        "Say what you will do instead: “What I can do is …”.",
    ),
    (
        r"\b(?:I'm|I am|we're|we are)\s+(?:not able|unable|not allowed|not permitted) to\b",
        "Says what you are unable to do.",
        "Lead with what you can do, and when.",
    ),
    (
        r"\b(?:I|we)\s+(?:don't|do not)\s+(?:support|do|offer|provide|allow|handle|cover|fix"
        r"|install|deal with|have|give|block|accept)\b",
        "Says what you don't do.",
        "Say what you do offer, or who can help instead.",
    ),
    (
        r"\b(?:it|that|this)\s+(?:can't|cannot|can not|won't|will not)\s+be\s+(?:done|fixed"
        r"|changed|installed|repaired|recovered|restored|supported|approved|allowed|arranged)\b",
        "Says what can't be done.",
        "Say what can be done instead, and when.",
    ),
    (
        r"\b(?:not possible|impossible|not permitted|not allowed|against (?:our |the )?policy"
        r"|no way (?:to|of|we|I)|nothing (?:more |else )?(?:I|we) can do)\b",
        "A flat “no”.",
        "Say what is possible: “What we can do is …”.",
    ),
    (
        r"\b(?:not in a position to|a no from (?:us|me)|(?:I|we) (?:have to|must) (?:decline"
        r"|say no|refuse)|(?:isn't|is not|aren't|are not) something (?:I|we) (?:can|do|offer"
        r"|support))\b",
        "A flat “no”.",
        "Say what is possible: “What we can do is …”.",
    ),
    (
        r"\b(?:isn't|is not|aren't|are not)\s+supported\b",
        "Says what is not supported.",
        "Say what is supported, or what you can offer instead.",
    ),
    (
        r"\bnot (?:my|our) (?:job|problem|department|responsibility|area)\b",
        "Pushes the problem away.",
        "Say who can help and how you will get them involved.",
    ),
    (
        r"(?<!you )\b(?:can't|cannot|won't be able to) help\b",
        "Says you can't help.",
        "Say what help you can give, or who can.",
    ),
)
_SORRY_BEFORE = re.compile(r"sorry(?: that)?\s*$", _I)
_CONDITION_BEFORE = re.compile(r"\b(?:if|in case|unless|whether)\s+$", _I)
_REGRET = re.compile(r"\b(?:unfortunately|sadly|regrettably|I'm afraid|I am afraid|alas)\b", _I)

_BLAME = _patterns(
    (
        r"\byou should(?:'ve| have)\s+(?:(?:first|just|really|already|simply|always)\s+)?"
        r"(?:saved|backed|called|told|read|followed|checked|asked|restarted|rebooted|logged"
        r"|closed|contacted|known|waited|done|kept|updated|installed|reported|raised|sent|used"
        r"|tried|thought|looked|listened|noticed|made|taken|opened|clicked|turned|switched"
        r"|plugged|charged|changed|deleted|left|come)\b",
        "Tells the requester what they should have done.",
        "Leave the past out: say what will prevent it next time, as a tip.",
    ),
    (
        r"\bif you(?:'d| had) (?:read|followed|checked|listened|looked|saved|restarted|backed up"
        r"|asked|called)\b|\byou(?:'d| would) have (?:seen|known|noticed|found)\b",
        "Tells the requester what they should have done.",
        "Leave the past out: say what will prevent it next time, as a tip.",
    ),
    (
        r"\b(?:because|since) you (?:didn't|did not|forgot|never|clicked|deleted|changed|ignored)"
        r"\b|\b(?:is|was) what caused\b|\bcaused by you\b",
        "Points at the requester as the cause.",
        "Say what happened and how to avoid it, without naming who caused it.",
    ),
    (
        r"\byou (?:shouldn't|should not)(?: have|'ve)\b",
        "Tells the requester what they should not have done.",
        "Say what to do next time, without the blame.",
    ),
    (
        r"\b(?:user error|PEBKAC|layer 8 (?:issue|problem|error))\b",
        "Blames the requester.",
        "Describe what happened and how to avoid it, not who caused it.",
    ),
    (
        r"(?<!not )(?<!n't )\byour (?:own )?(?:fault|mistake)\b",
        "Blames the requester.",
        "Describe what happened and how to avoid it, not who caused it.",
    ),
    (
        r"\byou (?:forgot|failed|neglected) to\b|\byou (?:didn't|did not|never) (?:bother|follow"
        r"|read|listen|save|back up|check)\b",
        "Points at what the requester did wrong.",
        "Say what will help next time instead.",
    ),
    (
        r"\b(?:as I (?:already |previously )?(?:said|told you|explained)(?: before| earlier)?"
        r"|like I said|I (?:have |'ve )?already (?:told|explained)|as (?:already |previously )"
        r"(?:stated|explained|mentioned)|as stated (?:before|previously|earlier))\b",
        "Sounds impatient (“as I already said”).",
        "Just repeat the point kindly; people miss things when they are busy.",
    ),
    (
        r"\b(?:obviously|clearly you|you clearly|did you (?:even|actually|really) (?:read|try"
        r"|check|look|restart|follow)|you were (?:told|supposed|warned) to|you (?:caused|broke))\b",
        "Sounds condescending or blaming.",
        "Say what happened and what you will do, without judging.",
    ),
)
# PICNIC and ID10T only mean the insult in capitals.
_BLAME_CAPS = re.compile(r"\b(?:PICNIC|ID10T|ID-10-T)\b")

_ACKNOWLEDGEMENT = re.compile(
    r"\bthank(?:s| you)(?: so much| very much| again)? for\b"
    r"|\bsorry\b(?!,? (?:but )?(?:we|I) (?:can't|cannot|won't))|\bgot it\b"
    r"|\bI get (?:that|it|why|how)\b"
    r"|\bapologi[sz]e|\bapologies\b"
    r"|\bI (?:completely |fully |totally )?(?:understand|see|can see|know|hear|realise|realize"
    r"|appreciate|noticed|notice|gather)\b"
    r"|\bI(?:'ve| have) (?:read|looked at|seen|had a look)\b"
    r"|\b(?:that|this|it) (?:sounds|must be|must have been)\b|\b(?:it|that) (?:looks|seems) like\b"
    r"|\byou(?:'re| are| were| have been|'ve been) (?:seeing|getting|having|unable|not able"
    r"|stuck|locked|waiting|right|experiencing|facing|running into|still)\b"
    r"|\byou (?:mentioned|said|wrote|reported|described|explained|noticed|asked|told us"
    r"|let us know|flagged|raised)\b"
    r"|\babout your\b|\bregarding (?:your|the)\b|\byour (?:message|email|e-mail|report"
    r"|request|note|ticket|question|call|reply|query)\b(?! address| account| password| client"
    r"| signature| settings| inbox)"
    r"|\b(?:good|great) (?:question|catch|point)\b|\b(?:got|received) your\b"
    r"|\byou (?:can't|cannot|couldn't|could not|can no longer) \w+"
    r"|\bthe (?:problem|issue|trouble|error) (?:with|you)\b",
    _I,
)
_EMPATHY = re.compile(
    r"\bsorry\b|\bapologi[sz]e|\bapologies\b"
    r"|\bI (?:completely |fully |totally |really )?(?:understand (?:how|why|your|that this"
    r"|this must)|can (?:only )?imagine|can see how|can see why|know how|know this has"
    r"|hear you|get it|get that|get why|get how)\b"
    r"|\bfrustrat\w*|\bannoying\b|\bstressful\b|\binconvenien\w*"
    r"|\b(?:thank you|thanks) for (?:your )?(?:patience|bearing with)"
    r"|\bappreciate your patience\b|\b(?:that|this) must\b|\bmust have been\b"
    r"|\byou(?:'re| are) right\b|\blet you down\b|\bnot good enough\b"
    r"|\bnot the (?:service|experience)\b",
    _I,
)

_OUR_ACTION = re.compile(
    r"\b(?:I|we|they|he|she|someone|somebody|facilities|security|reception|(?:the|our|a) \w+"
    r")(?:'ll| will| shall|'m going to| am going to|'re going to| are going to| plan to"
    r"| intend to)\b"
    r"|\b(?:I|we)(?:'ve| have) (?:booked|scheduled|arranged|ordered|asked|passed|set up"
    r"|raised|requested|escalated|started|begun|reserved)\b"
    r"|\b(?:the )?next step(?:s)?\b"
    r"|\b(?:a|our|the|my) (?:technician|engineer|colleague|specialist|team|courier|someone"
    r"|supplier|vendor)\b[^.!?\n]{0,40}\bwill\b"
    r"|\b(?:it|this|they|the \w+)(?:'ll| will) (?:be |arrive|come|ship)"
    r"|\byou(?:'ll| will) (?:get|receive|hear|see|be able|have)\b"
    r"|\bkeep you (?:posted|updated|informed)\b|\bupdate you\b|\bget back to you\b"
    r"|\bon (?:its|their|his|her) way\b|\bshould (?:arrive|reach you|be (?:there|ready|back"
    r"|fixed|working|done))\b",
    _I,
)
# Saying what the requester can do now, or that nothing is left to do, is a next step too.
_NOTHING_LEFT = re.compile(
    r"\b(?:you|they)(?: can| should now| should be able to)\b(?!'t| not)"
    r"|\b(?:you|they) (?:don't|do not|won't|will not) need to do anything\b"
    r"|\bnothing (?:else |more )?(?:for you )?to do\b|\bno (?:further|additional|other|more)"
    r" action\b",
    _I,
)
_REQUEST = re.compile(
    r"\b(?:could|can|would|will) you\b|\bplease\b(?! accept)|\blet (?:me|us) know\b"
    r"|\b(?:just )?reply (?:to this|with|here)\b|\bwrite back\b|\bget back to me\b"
    r"|\bgive me a (?:call|ring)\b|\b(?:call|ring|email) me\b|\bdrop me\b"
    r"|\bwhen you (?:get|have) a (?:chance|moment|minute)\b|\bif you (?:can|could)\b(?!')"
    r"|\bfeel free\b|\bkindly\b|\bshout if\b"
    r"|(?:[,;:]\s*|\b(?:so|then|just|now)\s+)(?:sign in|log in|try|restart|open|click|tap"
    r"|check|scan|call|ring|reply|send|come|grab|pop|drop|collect|pick|give|tell|email"
    r"|message)\b",
    _I,
)
# "Leave it with me" reads as a step, and promises nothing.
_NO_PROMISE = re.compile(r"\bleave (?:it|this) with (?:me|us)\b", _I)
_ALTERNATIVE = re.compile(
    r"\b(?:instead|alternative(?:ly|s)?|you (?:can|could|may)|another team|(?:the|our) \w+ team"
    r"|here (?:is|are)|(?:the|this) (?:guide|article|page|link)|self-service|workaround"
    r"|work around|\w+ can (?:order|ask|request|help|buy|get|arrange|approve|provide|book"
    r"|lend))\b",
    _I,
)
_DAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_COUNT = r"(?:\d+|an?|one|two|three|four|five|six|ten|fifteen|twenty|thirty|a few|half an?|24|48)"
_UNIT = r"(?:minutes?|mins?|hours?|hrs?|days?|working days?|business days?|weeks?)"
_TIME = re.compile(
    rf"\b(?:today|tonight|tomorrow|this (?:morning|afternoon|evening|week|month)"
    rf"|next (?:week|month|{_DAYS})|later today|{_DAYS})\b"
    rf"|\b(?:by|before|until|at|after) (?:the )?(?:end of (?:the )?(?:day|week|month)|noon"
    rf"|midday|lunch(?:time)?|close of business)\b"
    rf"|\bwithin (?:the next |about |roughly )?(?:{_COUNT} ?)?{_UNIT}\b|\bwithin the hour\b"
    rf"|\bin (?:about |around |roughly |the next )?{_COUNT} ?{_UNIT}\b"
    rf"|\b(?:takes?|taking|about|around|roughly) (?:about |around |roughly )?{_COUNT} ?"
    rf"{_UNIT}\b"
    rf"|\b\d{{1,2}}(?::\d{{2}})? ?(?:am|pm|a\.m\.|p\.m\.)|\b\d{{1,2}}:\d{{2}}\b"
    rf"|\b(?:{_MONTHS}) \d{{1,2}}(?:st|nd|rd|th)?\b"
    rf"|\b(?:of|in|by|until|before|from|early|late|mid|end of)[ -](?:{_MONTHS})\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_MONTHS})\b"
    rf"|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\b"
    rf"|\b(?:half past|quarter past|quarter to|at) (?:\d{{1,2}}|one|two|three|four|five|six|seven"
    rf"|eight|nine|ten|eleven|twelve)\b(?! ?(?:%|percent|people|users|GB|MB|pages))"
    rf"|\b(?:right away|straight away|immediately|right now|first thing|end of (?:the )?day"
    rf"|EOD|end of (?:the )?week)\b",
    _I,
)
_SOLVED = re.compile(
    r"\bhave I (?:solved|fixed|resolved|sorted)\b"
    r"|\bha(?:s|ve) (?:this|that|it|these|we) (?:solved|fixed|resolved|sorted|helped)\b"
    r"|\b(?:did|does|do) (?:this|that|it|these) (?:solve|fix|resolve|sort|help|work)\b"
    r"|\bis (?:it|everything|that|the \w+|your \w+)(?: all| now| still)? (?:working|fixed|ok"
    r"|okay|sorted|back|solved"
    r"|resolved)\b[^.!?\n]{0,40}\?"
    r"|\b(?:can|could|would) you (?:please )?confirm\b|\bplease confirm\b"
    r"|\blet me know (?:if|whether) (?:this|that|it|everything|the \w+) (?:has |is )?(?:solved"
    r"|fixed|resolved|works|worked|helped|working|sorted)"
    r"|\bis (?:your|the) (?:problem|issue) (?:now )?(?:solved|resolved|fixed|sorted)\b"
    r"|\bare you (?:now )?able to\b[^?\n]{0,80}\?",
    _I,
)

_GREETING = re.compile(
    r"(?P<word>hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings|hiya|morning"
    r"|afternoon)\b(?P<rest>[ \t]+(?:there|all|team|everyone|sir(?: or madam)?|madam|customer"
    r"|user|colleague|friend))?[ \t]*(?P<end>[,!.:]|(?=\n)|\Z)?",
    _I,
)
_FORMAL_ADDRESS = re.compile(
    r"[ \t]*(?:dear|hi|hello|good (?:morning|afternoon|evening))[ \t]+(?:mr|mrs|ms|miss|mx|dr"
    r"|prof)\.?[ \t]+[A-Z]",
    _I,
)
_SIGN_OFF = re.compile(
    r"^[ \t]*(?:(?:best|kind|warm|warmest|with kind)?[ \t]*regards|best(?: wishes)?|cheers"
    r"|thanks(?: again)?|thank you|many thanks|all the best|speak soon|take care|--)"
    r"[ \t]*[,!.]?[ \t]*$",
    _I | re.MULTILINE,
)

# Imperatives that make a step of an instruction ("Click Save.").
_STEP_VERBS = _wordset(
    """
    click right-click double-click tap select choose pick type enter press open go navigate
    scroll tick untick uncheck close save copy paste drag plug unplug connect disconnect turn
    switch wait hold install uninstall run download upload search remove delete add set change
    restart reboot reinstall expand accept allow insert put leave keep hit launch start quit exit
    update reset enable disable visit browse return repeat fill write move locate sign log find
    check make follow try unlock lock sync
    """
)
_STEP_LEAD = re.compile(
    r"^(?:(?:then|next|now|first|firstly|second|secondly|third|thirdly|finally|lastly"
    r"|after that|afterwards|and|please|once (?:that's|that is|it's|it is) done)\b[ ,]*)+",
    _I,
)
_INNER_STEP = re.compile(
    r"(?:[,;]|\band)\s+(?:then\s+)?(?:click|select|choose|type|enter|press|tap|open|go to"
    r"|restart|sign|log|scroll|tick|close|save|wait|install|run|reboot|navigate|plug|unplug"
    r"|hold|drag|paste|copy|search)\b",
    _I,
)
_LIST_ITEM = re.compile(r"^[ \t]*(?:\d{1,3}[.)]|[-*•])[ \t]+")


# --- the checks ---------------------------------------------------------------------------


@dataclass
class _Reading:
    """Everything the checks share about one text, worked out once."""

    text: str  # the original, cut to CHECK_CHARS
    prepared: str  # the agent's own words, other text blanked
    context: Context
    name: str
    truncated: bool
    sentences: list[_Sentence] = field(default_factory=list)
    own_start: int = 0
    own_end: int = 0

    @functools.cached_property
    def body_start(self) -> int | None:
        """Where the message proper starts (after a greeting on a line of its own),
        or None when there is no safe place to insert a sentence."""
        greeting = _greeting(self)
        if greeting is None:
            return self.own_start
        line_end = self.prepared.find("\n", greeting.end())
        line_end = len(self.prepared) if line_end < 0 else line_end
        if not _greeting_line_ends(self.prepared[greeting.end() : line_end]):
            return None
        rest = self.prepared[line_end:]
        start = line_end + len(rest) - len(rest.lstrip())
        return start if start < self.own_end else None


def _greeting_line_ends(tail: str) -> bool:
    """What follows "Hi" on its line is nothing or a name ("Mei,", "Dr Ahmed!")."""
    tail = tail.strip()
    if not tail:
        return True
    return tail[-1] in ",!" and len(tail.split()) <= 4 and not _SENTENCE_END.search(tail[:-1])


def _clean_name(value: object) -> str:
    name = " ".join(str(value or "").translate(_SAME_LENGTH).split())[:NAME_MAX]
    return name if _LETTER.search(name) else ""


def _greeting(reading: _Reading) -> re.Match[str] | None:
    return _GREETING.match(reading.prepared, reading.own_start)


def _greeting_notes(reading: _Reading) -> Iterator[Note]:
    name = reading.name
    opening = reading.prepared[reading.own_start : reading.own_start + 100]
    if name and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", opening, _I):
        return
    if _FORMAL_ADDRESS.match(opening):
        return  # "Dear Ms Okafor,": by name, the formal way
    greeting = _greeting(reading)
    at = reading.own_start
    if greeting is None:
        hello = f"Hi {name}," if name else "Hello,"
        message = f"No greeting: start with {name}'s name." if name else "No greeting."
        insert = Fix(at, at, f"{hello}\n\n", f"Add “{hello}”")
        yield Note("greeting", message, at, at, f"Start with “{hello}”.", insert)
        return
    if not name:
        return  # a greeting, and no name to add to it
    word = greeting.group("word")
    hello = f"{word[:1].upper()}{word[1:]} {name},"
    fix = None
    if greeting.group("end") is not None:
        end = greeting.end()
        fix = Fix(at, end, hello, f"Use “{hello}”")
    yield Note(
        "greeting",
        f"The greeting does not use {name}'s name.",
        at,
        greeting.end(),
        f"Greet {name} by name: “{hello}”.",
        fix,
    )


def _acknowledgement_notes(reading: _Reading) -> Iterator[Note]:
    if reading.context.purpose == "resolution":
        return
    if _ACKNOWLEDGEMENT.search(reading.prepared):
        return
    at = reading.own_start
    yield Note(
        "acknowledgement",
        "Does not acknowledge the problem.",
        at,
        at,
        "Show you understood it first: “Thanks for letting me know the printer jams "
        "after the first page.”",
    )


def _empathy_notes(reading: _Reading) -> Iterator[Note]:
    if not reading.context.frustrated or _EMPATHY.search(reading.prepared):
        return
    at = reading.body_start
    fix = None
    if at is not None:
        fix = Fix(at, at, EMPATHY_SENTENCE + " ", "Add a line of empathy")
    where = reading.own_start if at is None else at
    yield Note(
        "empathy",
        "The requester is frustrated, and the reply shows no empathy.",
        where,
        where,
        "Acknowledge how they feel before the facts: “I'm sorry this has been so frustrating.”",
        fix,
    )


def _phrase_notes(reading: _Reading, code: str, patterns: tuple[_Pattern, ...]) -> Iterator[Note]:
    prepared = reading.prepared
    seen: set[tuple[int, int]] = set()
    for pattern in patterns:
        for match in pattern.regex.finditer(prepared):
            before = max(0, match.start() - 30)
            if code == "negative" and _SORRY_BEFORE.search(prepared, before, match.start()):
                continue  # "sorry I couldn't call back": an apology, not a refusal
            if code == "negative" and _CONDITION_BEFORE.search(prepared, before, match.start()):
                continue  # "if I can't fix it remotely, I'll come over": a plan
            span = (match.start(), match.end())
            if any(s < span[1] and span[0] < e for s, e in seen):
                continue
            seen.add(span)
            said = reading.text[span[0] : span[1]]
            yield Note(code, f"{pattern.message} (“{said}”)", *span, pattern.suggestion)
    if code == "blame":
        for match in _BLAME_CAPS.finditer(prepared):
            yield Note(
                code,
                f"Blames the requester. (“{match.group(0)}”)",
                match.start(),
                match.end(),
                "Describe what happened and how to avoid it, not who caused it.",
            )
    if code == "negative":
        regrets = list(_REGRET.finditer(prepared))
        if len(regrets) >= 2:
            second = regrets[1]
            yield Note(
                code,
                f"“{reading.text[second.start() : second.end()]}” again: a chain of bad news.",
                second.start(),
                second.end(),
                "Give the bad news once, then say what you will do.",
            )


def _next_step_notes(reading: _Reading) -> Iterator[Note]:
    purpose = reading.context.purpose
    if purpose == "resolution" or reading.truncated:
        return
    prepared = reading.prepared
    at = reading.own_end
    has_time = bool(_TIME.search(prepared))
    if purpose == "defer":
        if not has_time:
            yield Note(
                "next_step",
                "No date: when will you come back to it?",
                at,
                at,
                "Give a realistic date: “I'll pick this up on Monday 12 May.”",
            )
        return
    ours = bool(_OUR_ACTION.search(prepared))
    asks = bool(_REQUEST.search(prepared) or _NOTHING_LEFT.search(prepared)) or _has_instruction(
        reading
    )
    if purpose == "decline":
        if not (ours or asks or has_time or _ALTERNATIVE.search(prepared)):
            yield Note(
                "next_step",
                "No way forward: nothing the requester can do instead.",
                at,
                at,
                "Offer an alternative: a guide, another team, or what you can do.",
            )
        return
    if has_time or asks:
        # A time says when; something asked of the requester is the next step.
        return
    if ours:
        yield Note(
            "next_step",
            "Says what you will do, but not when.",
            at,
            at,
            "Add a time: “I'll update you by 3 pm today.”",
        )
    else:
        yield Note(
            "next_step",
            "No next step: what happens now, and when?",
            at,
            at,
            "Say what you will do and by when, or what you need from them.",
        )


def _is_step(sentence: str) -> bool:
    lead = _STEP_LEAD.match(sentence)
    rest = sentence[lead.end() :] if lead else sentence
    first = rest.split(None, 1)[0].lower().strip(",.:;!?\"'()") if rest.strip() else ""
    return first in _STEP_VERBS


def _has_instruction(reading: _Reading) -> bool:
    return any(
        _is_step(reading.prepared[s.start : s.end])
        and not _NO_PROMISE.search(reading.prepared, s.start, s.end)
        for s in reading.sentences
    )


def _solved_notes(reading: _Reading) -> Iterator[Note]:
    if reading.context.purpose != "resolution" or reading.truncated:
        return
    if _SOLVED.search(reading.prepared):
        return
    sign_off = _sign_off_start(reading)
    if sign_off is not None:
        fix = Fix(sign_off, sign_off, f"{SOLVED_QUESTION}\n\n", "Add the question")
        at = sign_off
    else:
        at = reading.own_end
        fix = Fix(at, at, f"\n\n{SOLVED_QUESTION}", "Add the question")
    yield Note(
        "solved_question",
        "A resolution that does not ask whether it is solved.",
        at,
        at,
        f"End with “{SOLVED_QUESTION}”: it is solved when they say so.",
        fix,
    )


def _sign_off_start(reading: _Reading) -> int | None:
    """Where a sign-off near the end of the agent's text starts ("Best regards,")."""
    last = None
    for match in _SIGN_OFF.finditer(reading.prepared, reading.own_start, reading.own_end):
        last = match
    if last is None or last.start() <= reading.own_start:
        return None
    after = reading.prepared[last.end() : reading.own_end]
    if len(after) > 200 or after.count("\n") > 4:
        return None
    return last.start()


def _sentence_notes(reading: _Reading) -> Iterator[Note]:
    for sentence in reading.sentences:
        count = len(sentence.words)
        if count > LONG_SENTENCE_WORDS:
            yield Note(
                "long_sentence",
                f"A sentence of {count} words.",
                sentence.start,
                sentence.end,
                "Split it: one idea per sentence, under 25 words.",
            )


def _grade_notes(reading: _Reading) -> Iterator[Note]:
    # Greeting and sign-off lines ("Hi Mei,", "Sam") are not prose.
    prose = [s for s in reading.sentences if len(s.words) > 2]
    words = sum(len(s.words) for s in prose)
    if words < GRADE_MIN_WORDS:
        return
    count = sum(syllables(word) for s in prose for word in s.words)
    grade = reading_grade(words, len(prose), count)
    if grade > GRADE_ABOVE:
        yield Note(
            "reading_grade",
            f"Reads at school grade {grade:.0f} (Flesch-Kincaid).",
            prose[0].start,
            prose[-1].end,
            f"Aim for grade {GRADE_TARGET} or below: shorter sentences, everyday words.",
        )


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _paragraphs(reading: _Reading) -> Iterator[tuple[int, int]]:
    start = reading.own_start
    for brk in _PARAGRAPH_BREAK.finditer(reading.prepared, reading.own_start, reading.own_end):
        yield start, brk.start()
        start = brk.end()
    yield start, reading.own_end


def _wall_notes(reading: _Reading) -> Iterator[Note]:
    for start, end in _paragraphs(reading):
        block = reading.prepared[start:end]
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines or sum(1 for line in lines if _LIST_ITEM.match(line)) * 2 >= len(lines):
            continue
        sentences = [s for s in reading.sentences if start <= s.start and s.end <= end]
        if sum(len(s.words) for s in sentences) < WALL_MIN_WORDS:
            continue
        starts = [_is_step(reading.prepared[s.start : s.end]) for s in sentences]
        steps = sum(starts) + len(_INNER_STEP.findall(block))
        if steps < WALL_MIN_STEPS or steps <= len(lines):
            continue
        fix = None
        if sum(starts) >= 2 and not (reading.truncated and end >= len(reading.text) - 1):
            fix = _numbered(reading, sentences, starts)
        yield Note(
            "wall_of_text",
            f"{steps} steps in one paragraph.",
            sentences[0].start,
            sentences[-1].end,
            "Make them numbered steps, one action per line.",
            fix,
        )


def _numbered(reading: _Reading, sentences: list[_Sentence], starts: list[bool]) -> Fix:
    """The paragraph again, its steps as a numbered list: sentences before the
    first step stay as an introduction, a sentence between steps stays with
    the step before it, and those after the last step close the paragraph."""
    text = reading.text
    first = starts.index(True)
    last = len(starts) - 1 - starts[::-1].index(True)
    intro = " ".join(text[s.start : s.end] for s in sentences[:first])
    steps: list[str] = []
    middle = zip(sentences[first : last + 1], starts[first : last + 1], strict=True)
    for sentence, is_step in middle:
        words = text[sentence.start : sentence.end]
        if is_step:
            lead = _STEP_LEAD.match(reading.prepared[sentence.start : sentence.end])
            if lead and 0 < lead.end() < len(words):
                words = words[lead.end() :]
                words = words[:1].upper() + words[1:]
            steps.append(words)
        else:
            steps[-1] += " " + words
    outro = " ".join(text[s.start : s.end] for s in sentences[last + 1 :])
    listed = "\n".join(f"{number}. {step}" for number, step in enumerate(steps, 1))
    parts = [part for part in (intro, listed, outro) if part]
    return Fix(sentences[0].start, sentences[-1].end, "\n\n".join(parts), "Make numbered steps")


def _jargon_notes(reading: _Reading) -> Iterator[Note]:
    if reading.context.is_technical:
        return
    glossary = reading.context.glossary
    if glossary is None:
        glossary = default_glossary()
    if not len(glossary):
        return
    prepared = reading.prepared
    if '"' in prepared:
        prepared = _DOUBLE_QUOTED.sub(_blank, prepared)
    tokens = list(_TERM_TOKEN.finditer(prepared))
    lower = [token.group(0).lower() for token in tokens]
    hits: dict[str, tuple[Term, int, int, bool]] = {}
    explained: set[str] = set()
    index = 0
    while index < len(tokens):
        found = _term_at(glossary, prepared, tokens, lower, index)
        if found is None:
            index += 1
            continue
        term, size, exact_form = found
        start, end = tokens[index].start(), tokens[index + size - 1].end()
        if _explained(prepared, start, end):
            explained.add(term.term)
        elif term.term not in hits:
            hits[term.term] = (term, start, end, exact_form)
        index += size
    who = reading.name or "the requester"
    for name, (term, start, end, exact_form) in hits.items():
        if name in explained:
            continue
        said = reading.text[start:end]
        plain = term.plain
        fix = _plain_fix(reading, prepared, start, end, plain) if exact_form else None
        yield Note(
            "jargon",
            f"“{said}” is jargon {who} may not know.",
            start,
            end,
            f"Say “{plain}” instead, or explain it in brackets.",
            fix,
        )


_ARTICLE_BEFORE = re.compile(r"(?<![\w'])(an?) $", _I)


def _plain_fix(reading: _Reading, prepared: str, start: int, end: int, plain: str) -> Fix:
    """The term replaced by its plain words, capitalised at the start of a
    sentence, with "a"/"an" before it put right ("an SSD" -> "a fast storage drive")."""
    article = _ARTICLE_BEFORE.search(prepared, max(0, start - 4), start)
    at = article.start() if article else start
    if article:
        word = "an" if plain[:1].lower() in "aeiou" else "a"
        if article.group(1)[:1].isupper():
            word = word.capitalize()
        replacement = f"{word} {plain}"
    else:
        replacement = plain
        if reading.text[start : start + 1].isupper() and _starts_sentence(prepared, start):
            replacement = plain[:1].upper() + plain[1:]
    return Fix(at, end, replacement, f"Use “{plain}”")


def _term_at(
    glossary: Glossary,
    prepared: str,
    tokens: list[re.Match[str]],
    lower: list[str],
    index: int,
) -> tuple[Term, int, bool] | None:
    """The longest term starting at token ``index``: (term, tokens, exact form?)."""
    if lower[index] in glossary.first_words:
        for size in range(min(glossary.longest, len(tokens) - index), 1, -1):
            last = index + size - 1
            if not all(
                not prepared[tokens[i].end() : tokens[i + 1].start()].strip()
                and "\n\n" not in prepared[tokens[i].end() : tokens[i + 1].start()]
                for i in range(index, last)
            ):
                continue
            term = glossary.by_key.get(" ".join(lower[index : last + 1]))
            if term is not None and _case_fits(term, tokens, index, size):
                return term, size, True
    word = lower[index]
    term = glossary.by_key.get(word)
    if term is not None and _case_fits(term, tokens, index, 1):
        return term, 1, True
    # Plurals and possessives: flagged, but not replaced (the plain words may not fit).
    for base in _bases(word):
        term = glossary.by_key.get(base)
        if term is not None and " " not in term.term:
            original = tokens[index].group(0)
            if not term.exact_case or original.startswith(term.term):
                return term, 1, False
    return None


def _bases(word: str) -> list[str]:
    bases = []
    if word.endswith("'s"):
        bases.append(word[:-2])
    elif word.endswith("ies") and len(word) > 4:
        bases.append(word[:-3] + "y")
    elif word.endswith("s") and len(word) > 3:
        bases.append(word[:-1])
    return bases


def _case_fits(term: Term, tokens: list[re.Match[str]], index: int, size: int) -> bool:
    if not term.exact_case:
        return True
    return " ".join(t.group(0) for t in tokens[index : index + size]) == term.term


def _explained(prepared: str, start: int, end: int) -> bool:
    """ "the secure connection (VPN)" or "VPN (secure connection)": explained."""
    before = prepared[max(0, start - 3) : start].rstrip()
    after = prepared[end : end + 3].lstrip()
    return before.endswith("(") or after.startswith("(")


def _starts_sentence(prepared: str, start: int) -> bool:
    before = prepared[max(0, start - 80) : start].rstrip()
    return not before or before[-1] in ".!?\n:" or before.endswith("\n")


_RUNNERS = (
    ("greeting", _greeting_notes),
    ("acknowledgement", _acknowledgement_notes),
    ("empathy", _empathy_notes),
    ("blame", lambda r: _phrase_notes(r, "blame", _BLAME)),
    ("negative", lambda r: _phrase_notes(r, "negative", _NEGATIVE)),
    ("jargon", _jargon_notes),
    ("next_step", _next_step_notes),
    ("solved_question", _solved_notes),
    ("long_sentence", _sentence_notes),
    ("reading_grade", _grade_notes),
    ("wall_of_text", _wall_notes),
)


def check(text: object, *, context: Context | None = None) -> list[Note]:
    """The notes on a reply, in the order of ``CHECKS`` and then by position."""
    context = context or Context()
    raw = text if isinstance(text, str) else ("" if text is None else str(text))
    truncated = len(raw) > CHECK_CHARS
    cut = raw[:CHECK_CHARS]
    prepared = _prepare(cut)
    notes: list[Note] = []
    if truncated:
        notes.append(
            Note(
                TRUNCATED,
                f"Only the first {CHECK_CHARS:,} of {len(raw):,} characters were checked.",
                CHECK_CHARS,
                len(raw),
                "A reply this long is hard to read: link to a document or a knowledge base "
                "article instead.",
            )
        )
    stripped = prepared.lstrip()
    own_start = len(prepared) - len(stripped)
    own_end = len(prepared.rstrip())
    if not _LETTER.search(prepared):
        return notes  # nothing written in words (empty, emoji, only code or quotes)
    purpose = context.purpose if context.purpose in PURPOSES else "reply"
    if purpose != context.purpose:
        context = dataclasses.replace(context, purpose=purpose)
    reading = _Reading(
        text=cut,
        prepared=prepared,
        context=context,
        name=_clean_name(context.first_name),
        truncated=truncated,
        sentences=_sentences(prepared),
        own_start=own_start,
        own_end=own_end,
    )
    for code, runner in _RUNNERS:
        if code in context.disabled:
            continue
        limit = MAX_PER_CHECK.get(code, MAX_PER_CHECK_DEFAULT)
        for count, note in enumerate(runner(reading)):
            if count >= limit:
                break
            notes.append(note)
    notes.sort(key=lambda note: (_ORDER[note.code], note.start))
    return notes[:MAX_NOTES]


def apply_fix(text: str, fix: Fix) -> str:
    """The text with one fix applied; unchanged when the fix does not fit it."""
    if not (0 <= fix.start <= fix.end <= len(text)):
        return text
    return text[: fix.start] + fix.text + text[fix.end :]
