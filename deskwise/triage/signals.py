"""Two signals a good technician reads in a request: frustration and vagueness.

Both are plain rules over the new text of a message, each result carrying its
reason in words the agent can check at a glance.

Frustration adds up points from independent cues and calls the requester
frustrated at two points or more. VADER's sentiment is one cue among several
and weak on purpose: a help desk is where people describe bad events ("the
server crashed and data is lost") without being angry at anyone, so negative
wording alone never reaches the bar. What does reach it are the things a
technician hears as frustration: saying it is the third time, that it is still
not fixed, that nobody answered, strong words ("unacceptable"), wanting to
escalate, shouting in capitals, or a ticket reopened again and again. The
sentiment is scored per sentence, because VADER lets a negation in one sentence
flip the next ("still not fixed!!! Unacceptable." scores positive as a whole)
and its cost grows faster than the text; help-desk topic words ("error",
"crash", "lost", "help") are made neutral so that the score measures the mood,
not the subject.

Vagueness asks which of the facts a technician needs are there: what the
person was doing, what they expected, what happened, since when, who is
affected, the error message, the device or program. An error message counts
double, because it alone lets work start. A request is vague below two points:
"Outlook shows error 0x800CCC0E since 9am" is short but concrete, while
"it doesn't work, please help, urgent!!!" names nothing. Text in a script
these rules cannot read is not judged rather than judged wrong.

Word lists are looked up among a text's words and their short runs, not tried
as regex alternations: Python's engine would test each of hundreds of
alternatives at every word, which costs milliseconds on an ordinary message.
Both functions cut long text first and never raise.
"""

from __future__ import annotations

import functools
import re
import warnings
from dataclasses import dataclass
from typing import Any

# vaderSentiment reads its lexicon with codecs.open, which newer Pythons
# deprecate; the project turns warnings into errors, so keep them out here.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

__all__ = [
    "FACTS",
    "QUESTIONS",
    "SUGGESTED_APPROACH",
    "Frustration",
    "Vagueness",
    "clarifying_reply",
    "frustration",
    "vagueness",
]

# Frustration shows early and typical messages are far shorter; the cut keeps a
# pasted log from costing time.
FRUSTRATION_CHARS = 4_000
# VADER's cost grows faster than the text, so it reads only the opening.
SENTIMENT_CHARS = 1_500
SENTENCE_CHARS = 300
VAGUENESS_CHARS = 6_000

FRUSTRATED_AT = 2.0
VERY_NEGATIVE = -0.6
NEGATIVE = -0.3
# Friendly wording pulls the other way on the cues that also occur in happy
# text ("third time lucky", "every time you fix it in minutes"), but not on
# waiting, silence or a fix that did not hold: those stay true however politely
# they are put.
FRIENDLY = 0.4
SHOUTED_WORDS = 3
VAGUE_BELOW = 2.0
# Someone who wrote this much and named a thing, a symptom or a time has
# likely explained more in words the lists below do not know.
LONG_TEXT_WORDS = 40

SUGGESTED_APPROACH = (
    "Start by acknowledging the frustration and the problem in your own words. "
    "Keep the reply short. Say what you will do next and by when, then keep to it. "
    "Do not blame the requester or anyone else, and leave out technical jargon."
)


@dataclass(frozen=True)
class Frustration:
    frustrated: bool
    score: float
    cues: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Vagueness:
    vague: bool
    reason: str
    missing: tuple[str, ...]
    questions: tuple[str, ...]


# --- shared text preparation -------------------------------------------------

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "\uff01": "!",
        "\uff1f": "?",
    }
)

# Callers pass the new text only, but a forwarded mail or a client that does not
# mark its quotes would otherwise let an old message speak for the new one.
_REPLY_HEADER = re.compile(
    r"^[ \t]*(?:on\b[^\n]{0,200}\bwrote:|-{2,}[ \t]*(?:original message|ursprüngliche nachricht"
    r"|message d'origine|mensaje original)|(?:from|von|de)[ \t]?:[ \t]"
    r"|am\b[^\n]{0,120}\bschrieb\b|le\b[^\n]{0,120}\ba écrit|el\b[^\n]{0,120}\bescribió)",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTED_LINE = re.compile(r"^[ \t]*>[^\n]*\n?", re.MULTILINE)
# Signatures hold names in capitals, phone numbers and job titles, which would
# read as shouting or as facts about the problem.
_SIGN_OFF = re.compile(
    r"^[ \t]*(?:--[ \t]*$|(?:best|kind|warm|warmest|many thanks and|with kind)?[ \t]*regards\b"
    r"|cheers[,!.]?[ \t]*$|(?:many )?thanks?(?: you)?(?: in advance)?[,!.]?[ \t]*$"
    r"|sent from my\b|von meinem \w+ gesendet|mit freundlichen grüßen|(?:viele|beste|liebe) grüße"
    r"|cordialement|bien à vous|(?:un )?saludos?\b|atentamente)",
    re.IGNORECASE | re.MULTILINE,
)
_ATTACHMENT_PLACEHOLDER = re.compile(
    r"\[(?:image|cid|attachment|anhang|pièce jointe)[^\]\n]{0,200}\]"
    r"|<<?[^<>\n]{1,120}\.(?:png|jpe?g|gif|pdf|docx?|xlsx?)>>?",
    re.IGNORECASE,
)


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return "" if value is None else str(value)


def _new_text(text: Any, limit: int) -> str:
    text = _as_text(text)[:limit].translate(_TYPOGRAPHY)
    header = _REPLY_HEADER.search(text)
    if header:
        text = text[: header.start()]
    text = _QUOTED_LINE.sub("", text)
    sign_off = _SIGN_OFF.search(text)
    if sign_off:
        text = text[: sign_off.start()]
    return text.strip()


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + ", and " + parts[-1]


def _wordset(block: str) -> frozenset[str]:
    return frozenset(block.split())


_TOKEN = re.compile(r"\w+(?:['-]\w+)*")
_LONGEST_PHRASE = 6
_ALTERNATIVES = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class _Words:
    """A text in lower case, its words, and every run of up to six words."""

    lower: str
    tokens: tuple[str, ...]
    grams: frozenset[str]


def _read(text: str) -> _Words:
    lower = text.lower()
    tokens = tuple(_TOKEN.findall(lower))
    grams = set(tokens)
    for size in range(2, _LONGEST_PHRASE + 1):
        grams.update(" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1))
    return _Words(lower, tokens, frozenset(grams))


def _expand(entry: str) -> list[str]:
    """ "still {not|never} fixed" stands for each choice; "printer(s)" for both forms."""
    choice = _ALTERNATIVES.search(entry)
    if choice:
        return [
            expanded
            for option in choice.group(1).split("|")
            for expanded in _expand(entry[: choice.start()] + option + entry[choice.end() :])
        ]
    entry = " ".join(entry.split())
    if entry.endswith("(s)"):
        return [entry[:-3], entry[:-3] + "s"]
    return [entry] if entry else []


class _Lexicon:
    """Words and phrases, plus an optional small regex over the lower-case text
    for what a list cannot hold (times, codes, a word in between)."""

    def __init__(self, block: str, pattern: str = "") -> None:
        self.entries = frozenset(
            expanded for entry in block.split(",") for expanded in _expand(entry)
        )
        for entry in self.entries:
            # An entry must read as the words it is looked up by, or it never matches.
            tokens = _TOKEN.findall(entry)
            if " ".join(tokens) != entry or len(tokens) > _LONGEST_PHRASE:
                raise ValueError(f"lexicon entry cannot match: {entry!r}")
        # Starting at a word's first letter lets the engine skip every other position.
        self.pattern = re.compile(rf"(?<!\w)(?=\w)(?:{pattern})") if pattern else None

    def find(self, words: _Words) -> str:
        """The longest entry found, else the pattern's first match, else ""."""
        hits = self.entries & words.grams
        if hits:
            return max(hits, key=lambda hit: (len(hit), hit))
        if self.pattern:
            match = self.pattern.search(words.lower)
            if match:
                return match.group(0)
        return ""


def _inflected(block: str) -> frozenset[str]:
    """Verbs with their -s, -ed and -ing forms ("save": saves, saved, saving)."""
    forms: set[str] = set()
    for verb in block.split():
        stem = verb[:-1] if verb.endswith("e") else verb
        forms.update((verb, verb + "s", verb + "es", verb + "ed", verb + "d", stem + "ing"))
        forms.update((stem + stem[-1] + "ing", stem + stem[-1] + "ed"))
    return frozenset(forms)


_LETTER = re.compile(r"[^\W\d_]")


# --- frustration -------------------------------------------------------------

# Negative wording that describes the trouble rather than the mood: on a help
# desk every message is full of it.
_TOPIC_WORDS = _wordset(
    "attack block blocked broken crash critical damage damaged dead denied die died "
    "emergency error errors fail failed failing fails failure failures fatal hacked help "
    "kill killed lost loss missing no problem problems reject rejected scam spam strange "
    "stuck support trouble troubles urgent warning weird wrong"
)
# Words VADER misses or reads the wrong way round in a complaint.
_MOOD_WORDS = {"joke": -1.5, "absurd": -1.8, "outrageous": -2.2, "shocking": -1.8}


@functools.cache
def _analyzer() -> Any:
    # Built on first use: loading the lexicon takes tens of milliseconds that
    # an import of this module should not pay. Building it twice in a race is
    # harmless.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        analyzer = SentimentIntensityAnalyzer()
    for word in _TOPIC_WORDS:
        analyzer.lexicon[word] = 0.0
    analyzer.lexicon.update(_MOOD_WORDS)
    return analyzer


_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_EMOJI = re.compile("[\u2600-\u27bf\U0001f000-\U0001faff]")
_EDGE_PUNCTUATION = "".join(chr(code) for code in range(33, 127) if not chr(code).isalnum())


def _may_carry_sentiment(lexicon: dict[str, float], sentence: str) -> bool:
    # VADER scores a sentence only through its lexicon (emoji are turned into
    # words first), so a sentence without such a word is neutral: most of a
    # technical message, and much cheaper to skip than to score.
    for token in sentence.lower().split():
        if token in lexicon or token.strip(_EDGE_PUNCTUATION) in lexicon:
            return True
    return bool(_EMOJI.search(sentence))


def _compound(analyzer: Any, sentence: str) -> float:
    try:
        return float(analyzer.polarity_scores(sentence)["compound"])
    except Exception:
        # A third-party scorer must not break triage; the other cues still count.
        return 0.0


def _sentiment(text: str) -> float:
    """Mean VADER compound of the sentences that carry any sentiment (VADER's
    own advice for longer text); greetings and facts do not dilute it."""
    analyzer = _analyzer()
    scores: list[float] = []
    for match in _SENTENCE.finditer(text[:SENTIMENT_CHARS]):
        sentence = match.group(0).strip()[:SENTENCE_CHARS]
        if not _may_carry_sentiment(analyzer.lexicon, sentence):
            continue
        compound = _compound(analyzer, sentence)
        if compound:
            scores.append(compound)
    if not scores:
        return 0.0
    return round(sum(scores) / len(scores), 4)


@dataclass(frozen=True)
class _Phrase:
    kind: str
    weight: float
    phrase: str  # for the reason; "{m}" is what was said
    lexicon: _Lexicon
    negatable: bool = False
    unless: re.Pattern[str] | None = None


_ORDINALS = (
    "third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|umpteenth|nth"
    "|3rd|4th|5th|6th|7th|8th|9th|10th|11th|12th"
)
_PHRASES = (
    # Saying it happens again: the plainest sign that patience is running out.
    _Phrase("repeat", 2, "says it is the {m}", _Lexicon(f"{{{_ORDINALS}}} time")),
    _Phrase(
        "repeat",
        2,
        "says it keeps happening",
        _Lexicon(
            """
            again and again, over and over, time and again, time and time again,
            zum {dritten|vierten|fünften|x-ten|zigsten|3|4|5|6} mal,
            {troisième|quatrième|cinquième|énième|3e|4e|5e} fois,
            {tercera|cuarta|quinta|enésima} vez
            """
        ),
    ),
    _Phrase(
        "repeat",
        2,
        "asks how many times it takes",
        _Lexicon(
            """
            how many times, how many more times, wie oft {noch|denn|soll}, combien de fois,
            cuántas veces
            """
        ),
    ),
    _Phrase(
        "repeat",
        1,
        "says it happened yet again",
        _Lexicon("yet again, once again, not again, schon wieder, encore une fois, una vez más"),
    ),
    # Still not fixed: earlier help did not help.
    _Phrase(
        "unresolved",
        2,
        "says it is still not fixed",
        _Lexicon(
            """
            still {not|isn't|isnt|wasn't|is not|was not|hasn't been|has not been|not been}
            {fixed|resolved|solved|sorted|repaired|done|working|functioning},
            still {doesn't|does not|doesnt|don't|do not|won't|will not|can't|cannot} work,
            still {broken|down|dead|happening}, still the same {problem|issue|error},
            still no {fix|solution}, immer noch nicht {behoben|gelöst|repariert|erledigt},
            {funktioniert|geht} {immer noch|noch immer} nicht, immer noch {kaputt|defekt},
            toujours pas {réglé|résolu|corrigé|réparé}, ne {marche|fonctionne} toujours pas,
            {todavía|aún} no {está|ha sido|}
            {arreglado|resuelto|solucionado|arreglada|resuelta|solucionada},
            sigue sin {funcionar|resolverse|solución|arreglar}, sigue roto
            """
        ),
    ),
    _Phrase(
        "unresolved",
        1,
        "says it still does not work",
        _Lexicon(
            """
            still {can't|cannot|can not|unable to|doesn't|does not|won't|isn't|not able to},
            {immer noch|noch immer} nicht, toujours pas, sigue sin
            """
        ),
    ),
    # Nobody answered: the complaint is about the service, not the machine.
    _Phrase(
        "neglect",
        2,
        "says nobody has responded",
        _Lexicon(
            """
            {nobody|no one|no-one|noone} {|has|have|had|is|was|even|has yet|has ever|has even}
            {called|answered|replied|responded|contacted|got back|gotten back|come|came|helped|
            looked|bothered|reacted|cares|answering|responding|helping|read|given|sent|told|
            updated|informed},
            no {response|reply|answer|feedback|update|news|callback|responses|replies|answers|
            updates} {yet|so far|from|since|at all|in|for},
            still no {response|reply|answer|feedback|update|news|one},
            {haven't|have not|hasn't|has not|never}
            {heard|received|got|gotten} {back|anything|any|a reply|a response|an answer|a call},
            heard nothing, without {any|} {response|reply|answer|feedback},
            {ignored|ignoring} {me|my|us|our}, being ignored,
            {niemand|keiner} {hat sich|meldet sich|antwortet|ruft},
            keine {antwort|rückmeldung|reaktion},
            personne {n'a|ne m'a|ne répond|ne rappelle|ne s'en occupe},
            {aucune|pas de|sans} {réponse|nouvelles}, nadie {me|} {ha|responde|contesta|llama},
            {sin|ninguna} respuesta
            """,
            r"(?:nobody|no one|no-one|noone) (?:from|in|at|of) [\w-]+ (?:has |have |had |is )?"
            r"(?:called|answered|replied|responded|contacted|got back|helped|bothered|told)\b",
        ),
    ),
    _Phrase(
        "chasing",
        1,
        "is chasing an answer",
        _Lexicon(
            """
            sorry to chase, chasing {this|up|again}, chase {this|up}, following up again,
            {another|second|third|final} reminder, any {news|update|updates} {on|about} {this|my},
            nachhaken, je relance
            """
        ),
    ),
    _Phrase(
        "waiting",
        2,
        "says they have been waiting a long time",
        _Lexicon(
            """
            {been|keep|kept|still} waiting,
            waiting {for|since} {days|weeks|months|ages|over|more than},
            waiting for {two|three|four|five|several|a few|many} {days|weeks|months|hours},
            waiting since {last|yesterday|monday|tuesday|wednesday|thursday|friday},
            for {days|weeks|months} now, {warte|warten} {|schon|nun|jetzt} {seit|über},
            seit {tagen|wochen} {warte|warten}, {warte|warten} {ich|wir} {schon|} seit,
            {j'attends|attends|attendons|on attend} {depuis|toujours},
            {llevo|llevamos} {|varios|muchos|dos|tres} {días|semanas|meses} esperando,
            esperando desde hace
            """,
            r"waiting (?:for|since) \d+ (?:days|weeks|months|hours)\b",
        ),
    ),
    # Strong words: said about the service, they are the frustration itself.
    _Phrase(
        "anger",
        2,
        'uses strong words ("{m}")',
        _Lexicon(
            """
            unacceptable, not acceptable, ridiculous, absurd, outrageous, disgrace, disgraceful,
            pathetic, incompetent, a joke, waste of {|my|our} time, fed up, fed-up,
            sick of, sick and tired of, tired of, frustrated, frustrating, frustration, furious,
            angry, annoyed, livid, infuriating, disappointed, enough is enough, shocking,
            {terrible|awful|horrible|worst} {service|support},
            unzumutbar, inakzeptabel, unakzeptabel, nicht akzeptabel, lächerlich, frechheit,
            unverschämt, unverschämtheit, zeitverschwendung, die nase {|gestrichen} voll,
            es reicht, verärgert, frustriert, frustrierend,
            inacceptable, inadmissible, ridicule, scandaleux, honteux, perte de temps,
            j'en ai marre, ras le bol, ras-le-bol, énervé, énervée, frustré, frustrée, furieux,
            déçu, déçue, inaceptable, inadmisible, ridículo, ridícula, vergonzoso,
            {pérdida|perdida} de tiempo, harto, harta, {cansado|cansada} de, frustrado,
            frustrada, frustrante, enfadado, enfadada, decepcionado, decepcionada
            """
        ),
        negatable=True,
    ),
    _Phrase(
        "anger",
        1,
        'uses sharp words ("{m}")',
        _Lexicon("useless, annoying, nutzlos, inutile, inútil", r"seriously\s*\?"),
        negatable=True,
    ),
    _Phrase(
        "escalation",
        2,
        "wants to escalate or complain",
        _Lexicon(
            """
            escalate, escalated, escalating, escalation, complain, complaint, complaints,
            complaining, {talk|speak} to {your|a|the} {manager|supervisor|boss|team lead},
            your {manager|supervisor|boss}, speak to {someone|somebody|a human|a person},
            legal action, lawyer, eskalieren, eskaliere, eskalation, beschwerde, beschweren,
            vorgesetzten, plainte, me plaindre, réclamation, votre {responsable|supérieur},
            queja, quejarme, reclamación
            """
        ),
        negatable=True,
        # Handing a ticket to another team or level is routine, not a threat.
        unless=re.compile(
            r"\bescalat\w* (?:(?:this|it|the ticket|the issue) )?to (?:the )?(?:[\w-]+ )?"
            r"(?:team|level|support|l[23]|2nd|3rd|second|third)\b"
        ),
    ),
    _Phrase(
        "every_time",
        1,
        "says it happens every time",
        _Lexicon("every time, every single time, each time, jedes mal, chaque fois, cada vez que"),
    ),
)
# Faces that say it without words.
_ANGRY_EMOJI = re.compile("[\U0001f620\U0001f621\U0001f624\U0001f92c\U0001f644\U0001f612]")
_NEGATION_BEFORE = (
    r"\b(?:not|no|don't|do not|didn't|never|without|nicht|kein\w*|pas|ne|sin|nunca)\b"
    r"[^.!?\n]{0,20}"
)

# Shouting: words in capitals, after taking out what the requester quoted.
_QUOTED_SPAN = re.compile(
    r"\"[^\"\n]{1,300}\"|`[^`\n]{1,300}`|(?<!\w)'[^'\n]{1,200}'(?!\w)|\[[^\]\n]{1,200}\]"
)
_ANY_CAPITALS = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ŽΑ-ΩА-ЯЁ]{2}")
_CAPS_WORD = re.compile(r"(?<!\w)[A-ZÀ-ÖØ-ÞĀ-ŽΑ-ΩА-ЯЁ]{2,}(?:'[A-Z]{1,2})?(?!\w)")
_CAPS_GAP = re.compile(r"[ \t,;:/&+\-]*")
_LOWER = re.compile(r"[a-zß-öø-ÿа-яα-ω]")
_ACRONYMS = _wordset(
    """
    AD AI API ASAP ATM AWS BIOS BSOD CAD CEO CFO COO CPU CRM CSV CTO DATEV DHCP DNS DOCX DSGVO
    ERP FAQ FTP FYI GDPR GPU HDD HDMI HR HTML HTTP HTTPS IBAN IMAP IOS ISP IT JPEG JPG JSON KPI
    LAN LDAP LTE MFA NAS NOTE NTFS OS OTP OWA PC PDF PIN PNG POP PPTX PS RAM RDP SAN SAP SFTP
    SIM SMS SMTP SQL SSD SSH SSL SSO TLS TV UAT UEFI UPS URL USB VIP VLAN VOIP VPN WAN WIFI
    WLAN XLSX XML ZIP
    """
)
# One-word labels people put in capitals to be noticed, not to shout.
_LABELS = _wordset(
    "URGENT IMPORTANT ATTENTION PLEASE HELP DRINGEND WICHTIG URGENTE AIDE HILFE AYUDA"
)
# A run of capitals holding one of these, and no word of a person, is a message
# the requester copied off the screen.
_MACHINE_WORDS = _wordset(
    """
    ERROR ERRORS FAILED FAIL FAILURE DENIED INVALID FATAL WARNING EXCEPTION UNABLE FOUND
    UNAVAILABLE UNAUTHORIZED FORBIDDEN TIMEOUT REFUSED CRITICAL EXPIRED CORRUPT CORRUPTED
    MISSING UNKNOWN NULL ALERT DISABLED LOCKED OFFLINE SIGNAL INSERT PRESS BOOT BOOTABLE
    DEVICE DISK OPERATING REBOOT RESTART ADMINISTRATOR ACCESS FEHLER ERREUR VERWEIGERT
    CONFIDENTIAL CONFIDENTIALITY DISCLAIMER NOTICE INTENDED RECIPIENT PAPER JAM TONER
    """
)
_PERSON_WORDS = _wordset(
    "I I'M ME MY WE OUR US WHY STILL AGAIN PLEASE NEED NOBODY HOW FIX SICK TIRED"
)
# One of these in capitals is said with feeling, even alone.
_STRESSED = _wordset("AGAIN STILL NEVER NOBODY NOTHING ALWAYS EVERY WHY NOONE")
_PUNCTUATION_RUN = re.compile(r"[!?¡¿]{2,}")
# Cues that also turn up in happy text, so friendly wording may outweigh them.
_AMBIGUOUS_KINDS = frozenset(
    {"repeat", "every_time", "escalation", "anger", "shouting", "punctuation", "emoji"}
)


@dataclass(frozen=True)
class _Cue:
    label: str  # for the cues: what was seen, quoting what was said
    phrase: str  # for the reason sentence
    weight: float


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _shouting(text: str) -> _Cue | None:
    if not _ANY_CAPITALS.search(text):
        return None
    text = _QUOTED_SPAN.sub(" ", text)
    runs: list[list[str]] = []
    last_end = -1
    for match in _CAPS_WORD.finditer(text):
        word = match.group(0)
        if runs and _CAPS_GAP.fullmatch(text, last_end, match.start()):
            runs[-1].append(word)
        else:
            runs.append([word])
        last_end = match.end()
    shouted = 0
    stressed = ""
    for run in runs:
        words = set(run)
        if words & _MACHINE_WORDS and not words & _PERSON_WORDS:
            continue
        shouted += sum(
            1 for word in run if len(word) >= 4 and word not in _ACRONYMS and word not in _LABELS
        )
        stressed = stressed or next((word for word in run if word in _STRESSED), "")
    if shouted < 2:
        if stressed:
            return _Cue(f'stresses "{stressed}" in capitals', f'stresses "{stressed}"', 1)
        return None
    letters = len(_LETTER.findall(text))
    lower = len(_LOWER.findall(text))
    if letters and lower / letters < 0.2:
        # Whole messages in capitals are as often a habit or a stuck key as a
        # shout: on its own it does not make a frustrated requester.
        return _Cue("writes everything in capitals", "writes everything in capitals", 1)
    if shouted < SHOUTED_WORDS:
        return _Cue(f"some words in capitals ({shouted})", "stresses words in capitals", 1)
    return _Cue(f"shouting ({shouted} words in capitals)", "writes in capitals", 2)


def _negated(lower: str, said: str) -> bool:
    """True when every time it was said, a negation came just before ("not a complaint")."""
    occurrences = [match.start() for match in re.finditer(rf"\b{re.escape(said)}", lower)]
    return bool(occurrences) and all(
        re.search(_NEGATION_BEFORE + r"$", lower[max(0, start - 40) : start])
        for start in occurrences
    )


def _phrase_cues(text: str) -> list[tuple[str, _Cue]]:
    words = _read(text)
    found: list[tuple[str, _Cue]] = []
    for phrase in _PHRASES:
        said = phrase.lexicon.find(words)
        if not said:
            continue
        if phrase.negatable and _negated(words.lower, said):
            continue
        if phrase.unless and phrase.unless.search(words.lower):
            continue
        spoken = phrase.phrase.format(m=said)
        # The cue quotes what was said, so the agent can find it in the text.
        label = spoken if said in spoken else f'{spoken} ("{said}")'
        found.append((phrase.kind, _Cue(label, spoken, phrase.weight)))
    emoji = _ANGRY_EMOJI.search(text)
    if emoji:
        found.append(("emoji", _Cue(f'angry emoji ("{emoji.group(0)}")', "uses angry emoji", 1)))
    return found


def _history_cues(reopen_count: int, previous_messages: int) -> list[tuple[str, _Cue]]:
    found: list[tuple[str, _Cue]] = []
    if reopen_count >= 2:
        phrase = f"the ticket was reopened {_times(reopen_count)}"
        found.append(("reopened", _Cue(f"reopened {reopen_count} times", phrase, 2)))
    elif reopen_count == 1:
        found.append(("reopened", _Cue("reopened once", "the ticket was reopened once", 1)))
    # Some back and forth is normal; a long thread without a fix is not.
    weight = 2.0 if previous_messages >= 8 else 1.0 if previous_messages >= 4 else 0.0
    if weight:
        label = f"{previous_messages} earlier messages without a fix"
        phrase = f"{previous_messages} messages went back and forth without a fix"
        found.append(("thread", _Cue(label, phrase, weight)))
    return found


def _count(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError, OverflowError):
        return 0


def frustration(text: str, *, reopen_count: int = 0, previous_messages: int = 0) -> Frustration:
    """Whether the requester sounds frustrated, with the cues that say so."""
    text = _new_text(text, FRUSTRATION_CHARS)
    score = _sentiment(text) if text else 0.0

    found = _phrase_cues(text)
    shout = _shouting(text)
    if shout:
        found.append(("shouting", shout))
    punctuation = _PUNCTUATION_RUN.search(text)
    if punctuation:
        run = punctuation.group(0)[:5]
        cue = _Cue(f'repeated punctuation ("{run}")', "uses repeated punctuation", 1)
        found.append(("punctuation", cue))
    if score <= VERY_NEGATIVE:
        cue = _Cue(f"very negative wording ({score:.2f})", "the wording is very negative", 1)
        found.append(("sentiment", cue))
    elif score <= NEGATIVE:
        cue = _Cue(f"negative wording ({score:.2f})", "the wording is negative", 0.5)
        found.append(("sentiment", cue))
    found.extend(_history_cues(_count(reopen_count), _count(previous_messages)))

    # One kind of cue counts once, at its strongest: "third time" and "again
    # and again" say the same thing.
    strongest: dict[str, _Cue] = {}
    for kind, cue in found:
        if kind not in strongest or cue.weight > strongest[kind].weight:
            strongest[kind] = cue
    points = sum(cue.weight for cue in strongest.values())
    ambiguous = sum(cue.weight for kind, cue in strongest.items() if kind in _AMBIGUOUS_KINDS)
    friendly = score >= FRIENDLY and ambiguous > 0
    if friendly:
        points -= min(1.0, ambiguous)
    frustrated = points >= FRUSTRATED_AT

    labels = tuple(dict.fromkeys(cue.label for _, cue in sorted(found, key=lambda f: -f[1].weight)))
    ranked = sorted(strongest.values(), key=lambda cue: -cue.weight)
    phrases = list(dict.fromkeys(cue.phrase for cue in ranked))
    if frustrated:
        reason = f"Frustrated: {_join(phrases[:3])}."
    elif not phrases:
        reason = "Not frustrated: calm wording, and nothing points to repeated trouble."
    elif friendly:
        reason = f"Not frustrated: {_join(phrases[:2])}, but the wording is friendly ({score:.2f})."
    else:
        reason = f"Not frustrated: only {_join(phrases[:2])}, which alone is not enough."
    return Frustration(frustrated=frustrated, score=score, cues=labels, reason=reason)


# --- vagueness ---------------------------------------------------------------

FACTS = (
    "what_doing",
    "expected",
    "what_happened",
    "since_when",
    "who_affected",
    "error_message",
    "device_or_program",
)

# How much each fact helps a technician start; an error message alone is
# usually enough to search for, the others need company.
_FACT_WEIGHT = {
    "error_message": 2.0,
    "device_or_program": 1.0,
    "what_happened": 1.0,
    "since_when": 1.0,
    "what_doing": 1.0,
    "expected": 0.5,
    "who_affected": 0.5,
}
_SUBSTANTIVE = ("device_or_program", "what_happened", "error_message", "since_when")

QUESTIONS = {
    "what_happened": (
        "What exactly happens? For example, does something not open, freeze, or show a message?"
    ),
    "error_message": (
        "Do you see an error message? If so, what does it say? "
        "A screenshot or a photo of the screen is fine too."
    ),
    "device_or_program": (
        "Which device or program is it about (for example your laptop, a printer, "
        "Outlook or Teams)?"
    ),
    "what_doing": "What were you trying to do when it happened?",
    "since_when": "Since when has this been happening? Did it work before?",
    "who_affected": "Is it only you, or do colleagues have the same problem?",
    "expected": "What should normally happen?",
}
# Asked in this order, and only the first few: a long list of questions is a
# chore that delays the answer more than one missing fact does.
_ASK_ORDER = (
    "what_happened",
    "error_message",
    "device_or_program",
    "what_doing",
    "since_when",
    "who_affected",
    "expected",
)
MAX_QUESTIONS = 4

_ABSENT_WORDS = {
    "error_message": "no error message",
    "device_or_program": "no device or program",
    "since_when": "no time",
}
_PRESENT_WORDS = {
    "error_message": "quotes an error",
    "device_or_program": "names the device or program",
    "what_happened": "describes what happens",
    "since_when": "says since when",
    "what_doing": "says what they were doing",
    "who_affected": "says who is affected",
    "expected": "says what should happen",
}

_ERROR_MESSAGE = _Lexicon(
    # What screens say, typed by the requester in their own case.
    """
    access denied, access is denied, permission denied,
    invalid {password|credentials|certificate|license|licence|username|user name},
    password {|is} incorrect, {incorrect|wrong} password, password {|has} expired,
    account {|is} {locked|disabled}, no internet, no internet access, no signal,
    no connection, no network, server not found, connection {failed|refused|timed out|lost},
    cannot connect to, unable to connect, something went wrong, page can't be displayed,
    site can't be reached, certificate error, disk {|is} full, out of memory, not responding,
    {license|licence} {|has} expired, trust relationship, no bootable device, paper jam,
    low toner, out of {toner|paper}, zugriff verweigert, papierstau, kennwort erforderlich,
    accès refusé, acceso denegado
    """,
    r"0x[0-9a-f]{4,}\b"
    r"|(?:error|err|fehler|fehlercode|erreur|código|code|status|stop code)\s*(?:code\s*)?"
    r"[:#]?\s*[a-z]{0,8}[-_]?\d{2,}"
    r"|(?:says|said|shows|showed|displays|reads|message|error|meldung|zeigt|affiche|indique"
    r"|dice|mensaje|popup|pop-up)\s*[:\-]?\s*(?:\"[^\"\n]{3,}\"|'[^'\n]{3,}')"
    r"|(?:error|fehler|erreur|warning|exception)[ \t]*:[ \t]*\S"
    r"|aadsts\d+|https? (?:error )?[45]\d\d\b|[45]\d\d (?:error|not found|forbidden"
    r"|bad gateway|internal server|service unavailable)\b"
    r"|[a-z]{3,}(?:exception|error)\b",
)
# Copied off the screen in capitals: "CRITICAL_PROCESS_DIED".
_SCREEN_CODE = re.compile(r"(?<!\w)[A-Z]{2,}(?:_[A-Z0-9]+)+\b")

_DEVICE_OR_PROGRAM = _Lexicon(
    # Things people work with; "system", "program" or "app" alone name nothing.
    """
    printer(s), scanner(s), copier(s), laptop(s), notebook(s), computer(s), pc(s), desktop(s),
    monitor(s), screen(s), display(s), keyboard(s), mouse, mice, headset(s), headphones,
    webcam(s), camera(s), microphone(s), mic, phone(s), smartphone(s), mobile(s), tablet(s),
    dock(s), docking station, charger(s), cable(s), router(s), switch, wifi, wi-fi, wlan, lan,
    network, internet, server(s), drive(s), folder(s), share, email(s), e-mail(s), mail(s),
    mailbox, inbox, calendar, website(s), web site, portal, intranet, account(s), password,
    database, projector, beamer, badge, card reader, token, browser, vpn, sso, mfa, 2fa, usb,
    hdmi, rdp, nas, voip, owa, crm, erp, sap, datev, outlook, excel, word, powerpoint,
    onenote, onedrive, sharepoint, teams, office, microsoft 365, m365, windows, mac, macos,
    macbook, imac, linux, ubuntu, chrome, firefox, edge, safari, adobe, acrobat, photoshop,
    salesforce, hubspot, jira, confluence, slack, zoom, webex, skype, whatsapp, gmail,
    google {drive|docs|sheets|meet}, dropbox, iphone, ipad, android, samsung, lenovo,
    thinkpad, dell, hp, epson, brother, canon, kyocera, ricoh, xerox, citrix, vmware,
    anydesk, teamviewer, forticlient, globalprotect, anyconnect, okta, authenticator,
    bitlocker, intune, defender, quickbooks, xero, sage, navision, dynamics, oracle, workday,
    personio, servicenow, notion, trello, asana, wordpress, shopify,
    drucker, rechner, bildschirm, tastatur, maus, handy, telefon, netzwerk, postfach,
    kennwort, passwort, konto, imprimante, ordinateur, écran, clavier, souris, téléphone,
    réseau, messagerie, mot de passe, compte, impresora, ordenador, computadora, portátil,
    pantalla, teclado, ratón, teléfono, correo(s), contraseña, cuenta
    """,
    r"[\w-]+\.(?:xlsx?|docx?|pptx?|pdf|csv|txt|zip|msg|pst|ost|exe|msi)\b"
    r"|https?://|www\.|[\w-]+\.(?:com|net|org|io|local|intra)\b|[a-z]:\\",
)
# Names shaped like products (SharePoint, iPhone) and models (T480, MFC-L2710),
# and network shares.
_PRODUCT_SHAPE = re.compile(
    r"(?<!\w)(?=[A-Za-z])(?:[A-Za-z]*[a-z][A-Z][A-Za-z]+|[A-Z]{1,5}-?[A-Z]?\d{2,5}[A-Za-z]?)\b"
    r"|\\\\[\w.-]+\\"
)

_SINCE_WHEN = _Lexicon(
    """
    since, seit, depuis, desde, yesterday, today, tonight,
    this {morning|afternoon|evening|week|month},
    last {night|week|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday},
    monday, tuesday, wednesday, thursday, friday, saturday, sunday, january, february,
    april, june, july, august, september, october, november, december, ago,
    after {the|an|a|my|i|installing|updating|restarting|rebooting}, started, began,
    suddenly, recently, earlier, heute, gestern, heute früh, montag, dienstag, mittwoch,
    donnerstag, freitag, aujourd'hui, ce matin, hier {soir|matin}, lundi, mardi, mercredi,
    jeudi, vendredi, la semaine dernière, ayer, hoy, esta mañana, la semana pasada, lunes,
    miércoles, jueves, viernes
    """,
    r"\d{1,2}(?::\d{2})? ?(?:am|pm|uhr|h)\b|\d{1,2}:\d{2}\b|\d{1,2}[./]\d{1,2}[./]\d{2,4}\b"
    r"|\d{4}-\d{2}-\d{2}\b"
    r"|for (?:\d+|a few|two|three|several|a couple of) (?:minutes|hours|days|weeks|months)\b",
)

_WHO_AFFECTED = _Lexicon(
    """
    only me, just me, only my, only for me, only i, everyone, everybody,
    all {users|of us|colleagues|staff|my colleagues|employees},
    {whole|entire} {team|office|department|company|floor|building}, my colleague(s), my team,
    other {people|users|colleagues}, others, nobody else, no one else, our team, we all,
    we both, niemand sonst, kollegen, kollegin, nur bei mir, nur mir, alle kollegen,
    tout le monde, collègue(s), todos, compañeros, solo a mí
    """,
    r"(?:\d+|two|three|four|five|several|many|some) (?:users|people|colleagues|of us)\b",
)

_EXPECTED = _Lexicon(
    """
    should, shouldn't, supposed to, expected, expect, normally, usually, used to, instead of,
    it worked, was working, anymore, any more, no longer, sollte, normalerweise, nicht mehr,
    devrait, normalement, debería, normalmente, ya no
    """,
    r"ne \w+ plus\b",
)

# A specific thing that goes wrong ("freezes", "black screen", "won't print"),
# as opposed to "doesn't work", which a technician cannot start from.
_SYMPTOM = _Lexicon(
    """
    error(s), crash, crashes, crashed, crashing, freeze, freezes, freezing, froze, frozen,
    hang(s), hanging, hung, slow, slowly, lag(s), lagging, laggy, stuck, blank, bsod,
    flicker(s), flickering, flickered, beep(s), beeping, noise(s), noisy, restart(s),
    restarting, reboot(s), rebooting, disconnect(s), disconnected, disconnecting, drop(s),
    dropping, dropped, offline, down, outage, timeout, loop(s), looping, prompt(s), missing,
    disappeared, vanished, gone, deleted, lost, full, locked, expired, denied, rejected,
    bounce(s), bounced, bouncing, spam, virus, phishing, hacked, jam(s), jammed, jamming,
    wrong, incorrect, garbled, unreadable, shows, displays, popup, pop-up, dead, leaking,
    smoke, cracked, overheating, overheats, {black|blue|white} screen,
    {shuts|shut} {down|off}, {turns|turned} off,
    no {power|sound|audio|signal|internet|connection|picture|image|network|dial tone},
    timed out, keeps asking, asks {for|me}, {greyed|grayed} out, cut off, nothing happens,
    {pops|pop} up, not {found|responding|loading}, locked out,
    absturz, stürzt, hängt, fehlermeldung, fehler, zeigt, meldung, papierstau,
    {sehr|so} langsam, erreur, plante, bloqué, affiche, bloqueado, muestra, me sale,
    muy lento, se cuelga, sin arrancar
    """,
    r"(?:nobody|no one|no-one) can \w+"
    r"|(?:startet|druckt|öffnet|lädt|verbindet) (?:\w+ )?nicht\b"
    r"|ne (?:démarre|s'ouvre|se connecte|s'allume) (?:plus|pas)\b|n'imprime (?:plus|pas)\b"
    r"|je n'arrive (?:pas|plus|toujours pas) à \w+"
    r"|no (?:arranca|enciende|imprime|carga|abre|conecta|puedo \w+)",
)
# "Won't print", "can't log in", "unable to open": a failed action is a symptom.
_NEGATORS = _wordset(
    "doesn't doesnt don't dont won't wont can't cant cannot couldn't isn't not unable fail "
    "fails failed failing longer stopped didn't didnt wouldn't never"
)
_FAILED_ACTIONS = _inflected(
    "print scan send receive open load save start boot connect sync charge turn switch respond "
    "log login sign upload download install access join share export import play show display "
    "find see hear attach update call"
) | _wordset("sent seen saw found heard shown")
# What people set out to do; not "see" or "find", which come up in "see subject"
# and "please find attached".
_ACTIONS = _inflected(
    "print scan send open save connect sync log login sign upload download install access join "
    "export import attach submit reset"
) | _wordset("sent")
_WHAT_DOING = _Lexicon(
    """
    when {i|we|trying|opening|starting|logging|printing|sending|saving|connecting}, while,
    {trying|tried|try} to, attempting, i {want|wanted|need|needed} to, i was, wenn ich, beim,
    als ich, quand je, lorsque, en essayant, cuando, al intentar
    """
)
_GENERIC = _Lexicon(
    """
    doesn't work, does not work, don't work, not working, isn't working, won't work,
    stopped working, broken, broke, problem(s), issue(s), help, urgent, asap, please fix,
    fix {it|this}, kaputt, funktioniert nicht, geht nicht, problème, ne marche pas,
    ne fonctionne pas, no funciona, problema, ayuda, hilfe, aide
    """
)
_SEE_SUBJECT = _Lexicon("see {|the} subject, siehe betreff, voir {objet|l'objet}, ver asunto")
_AS_DISCUSSED = _Lexicon(
    """
    as {discussed|agreed|mentioned}, as we spoke, as per our {call|conversation},
    wie besprochen, comme {convenu|discuté}, como {hablamos|comentamos}
    """
)
_SEE_ATTACHED = _Lexicon(
    """
    see {|the} {attached|attachment}, please find attached, attached, screenshot attached,
    siehe anhang, im anhang, anbei, voir {|la} pièce jointe, ci-joint, ver adjunto, adjunto
    """
)
_SUBJECT_PREFIX = re.compile(
    r"^(?:\s*(?:re|fw|fwd|aw|wg|tr|rv|sv)\s*(?:\[\d+\])?\s*:|\s*\[[^\]]{0,40}\])+\s*",
    re.IGNORECASE,
)
_NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-zÀ-ɏ]")
_GREETINGS = _wordset("hi hello hey dear hallo bonjour hola team")


def _clean_subject(subject: Any) -> str:
    subject = _as_text(subject)[:500].translate(_TYPOGRAPHY)
    return _SUBJECT_PREFIX.sub("", subject).strip()


def _failed_actions(tokens: tuple[str, ...]) -> set[int]:
    """Where an action follows a negation within three words ("can't log in")."""
    found: set[int] = set()
    for index, token in enumerate(tokens):
        if token in _NEGATORS:
            for ahead in range(index + 1, min(index + 4, len(tokens))):
                if tokens[ahead] in _FAILED_ACTIONS:
                    found.add(ahead)
                    break
    return found


def _present(text: str) -> dict[str, bool]:
    words = _read(text)
    failed = _failed_actions(words.tokens)
    # "I can't print" is one fact, the symptom; the action inside it does not
    # count a second time as what the person was doing.
    doing = bool(_WHAT_DOING.find(words)) or any(
        token in _ACTIONS for index, token in enumerate(words.tokens) if index not in failed
    )
    error = bool(_ERROR_MESSAGE.find(words) or _SCREEN_CODE.search(text))
    return {
        "what_doing": doing,
        "expected": bool(_EXPECTED.find(words)),
        # An error message is what happened, in the system's own words.
        "what_happened": bool(failed or _SYMPTOM.find(words)) or error,
        "since_when": bool(_SINCE_WHEN.find(words)),
        "who_affected": bool(_WHO_AFFECTED.find(words)),
        "error_message": error,
        "device_or_program": bool(_DEVICE_OR_PROGRAM.find(words) or _PRODUCT_SHAPE.search(text)),
    }


def _unreadable(text: str) -> bool:
    other = len(_NON_LATIN_LETTER.findall(text))
    return other >= 20 and other > len(_LETTER.findall(text)) / 2


def _questions(missing: tuple[str, ...]) -> tuple[str, ...]:
    asked = [QUESTIONS[fact] for fact in _ASK_ORDER if fact in missing]
    return tuple(asked[:MAX_QUESTIONS])


def vagueness(subject: str, text: str, *, has_attachment: bool = False) -> Vagueness:
    """Whether the requester could not explain the problem, and what to ask.

    ``has_attachment`` lets a mail with an empty body but a file say so in the
    reason; it is optional because placeholders such as "[image: scan.png]" in
    the text tell the same.
    """
    subject = _clean_subject(subject)
    raw = _as_text(text)[:VAGUENESS_CHARS]
    if _ATTACHMENT_PLACEHOLDER.search(raw):
        has_attachment = True
    body = _ATTACHMENT_PLACEHOLDER.sub(" ", _new_text(raw, VAGUENESS_CHARS))
    body_words = _read(body)
    if _SEE_ATTACHED.find(body_words):
        has_attachment = True
    words = sum(
        1 for token in body_words.tokens if _LETTER.search(token) and token not in _GREETINGS
    )
    whole = f"{subject}\n{body}"

    if _unreadable(whole):
        return Vagueness(
            vague=False,
            reason="Written mostly in a script these rules cannot read, so not judged.",
            missing=(),
            questions=(),
        )

    present = _present(whole)
    missing = tuple(fact for fact in FACTS if not present[fact])
    points = sum(_FACT_WEIGHT[fact] for fact in FACTS if present[fact])
    substantive = any(present[fact] for fact in _SUBSTANTIVE)
    vague = points < VAGUE_BELOW and not (words >= LONG_TEXT_WORDS and substantive)
    if not vague:
        found = [_PRESENT_WORDS[fact] for fact in _FACT_WEIGHT if present[fact]]
        return Vagueness(
            vague=False,
            reason=f"Clear enough: {_join(found[:3])}.",
            missing=missing,
            questions=(),
        )
    return Vagueness(
        vague=True,
        reason=_vague_reason(subject, body_words, words, missing, has_attachment),
        missing=missing,
        questions=_questions(missing),
    )


def _vague_reason(
    subject: str, body: _Words, words: int, missing: tuple[str, ...], has_attachment: bool
) -> str:
    if not words:
        if has_attachment:
            return "No description, only an attachment."
        if subject:
            return f'No description, only the subject "{subject[:80]}".'
        return "No description at all."
    absent = [_ABSENT_WORDS[fact] for fact in _ABSENT_WORDS if fact in missing]
    absent_text = f": {', '.join(absent)}" if absent else ""
    no_symptom = " and no symptom" if "what_happened" in missing else ""
    if _SEE_SUBJECT.find(body):
        opening = "Only points to the subject"
    elif _AS_DISCUSSED.find(body):
        opening = "Refers to an earlier conversation instead of describing the problem"
    else:
        opening = "Only 1 word" if words == 1 else f"Only {words} words" if words <= 15 else ""
        opening = opening or f"{words} words"
        generic = _GENERIC.find(body) or _GENERIC.find(_read(subject))
        if generic:
            opening += f', generic wording ("{generic}")'
    attachment = " (an attachment may show more)" if has_attachment else ""
    return f"{opening}{no_symptom}{attachment}{absent_text}."


_GENERIC_SUBJECT = re.compile(
    r"(?:\(?no subject\)?|help|urgent|problem|issue|question|request|support|it|hilfe|aide"
    r"|ayuda)?[\W_]*",
    re.IGNORECASE,
)


def clarifying_reply(*, first_name: str, subject: str, vagueness: Vagueness) -> str:
    """A short, warm reply that asks what is missing as a numbered list."""
    name = " ".join(_as_text(first_name).split())[:60]
    greeting = f"Hello {name}," if name else "Hello,"
    topic = _clean_subject(subject).rstrip(" .!?:;")
    if _GENERIC_SUBJECT.fullmatch(topic):
        thanks = "Thank you for getting in touch."
    else:
        topic = topic if len(topic) <= 80 else topic[:77].rstrip() + "..."
        thanks = f'Thank you for letting us know about "{topic}".'
    questions = list(vagueness.questions) or [QUESTIONS["what_happened"], QUESTIONS["since_when"]]
    numbered = "\n".join(f"{number}. {question}" for number, question in enumerate(questions, 1))
    return (
        f"{greeting}\n\n{thanks} To help you quickly, could you tell me:\n\n"
        f"{numbered}\n\nThank you!"
    )
