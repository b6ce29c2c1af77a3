"""Separate the new text of an email reply from the quoted history and the signature.

The help desk shows what a requester wrote now and folds away the rest, so the
one thing this module must not do is lose what a person wrote: when in doubt a
line stays in ``new``, and when everything looks quoted the whole body is ``new``.

Approach
--------
The body is cut into lines and every line is looked at once (the work is linear
in the size of the body; cheap string tests first, precompiled anchored patterns
only for the lines that pass them):

* its *kind*: blank (also lines of invisible characters such as Gmail's
  tracking glyph), quoted (``>``, ``Name>``), inside a fenced code block, or text;
* whether it ends an *attribution*, "On <date>, <name> wrote:" in its many
  languages and wrappings.  Mail clients wrap these over two to five lines, so
  the lines above a candidate end are joined (a bounded window) and the whole is
  matched: an opening word or a leading date ("On", "Le", "Am", "2016-03-03 ..."),
  a verb ("wrote", "schrieb", "a écrit", "написал", "写道" ...) or an address
  ending the line, and a date or an address somewhere in it;
* whether it is a header field of an Outlook/Exchange style block
  ("From:/Von:/De:/Da:/Från:/差出人: ...", also ``*bold*``), a separator
  ("-----Original Message-----", "________________", "----- Forwarded message -----").

Then the body is read as top-posted mail with a few well-known exceptions:

1. Attributions at the very top followed by quoted text are history and what
   comes after them is the reply (bottom posting), unless the reply is written
   between the quotes (inline replies keep their quotes as context).
2. The first history start after the reply (an attribution, an original-message
   separator, a block of header fields with an address or a date) begins ``quoted``,
   and so does a ``>`` block that ends the mail.  An attribution followed by a
   quote that is answered at length underneath is an inline reply instead: the
   quotes stay in ``new`` and only the attribution lines go to ``quoted``.
3. Signatures are looked for in the reply only, conservatively: the ``-- ``
   delimiter, "Sent from my iPhone" and its cousins in many languages (a line of
   that kind also ends the reply), an underscore rule followed by a short footer,
   and a trailing block of contact details (a name, then phone numbers, addresses
   or links).  A sign-off such as "Best regards, Ann" stays in ``new``.
4. A forward ("---------- Forwarded message ---------", "Begin forwarded message:",
   a header block whose subject starts with "Fwd:") with only a short note above
   is the point of the mail and stays in ``new``.
"""

from __future__ import annotations

import logging
import operator
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, groupby

logger = logging.getLogger(__name__)

__all__ = ["ReplySplit", "split_reply"]


@dataclass(frozen=True)
class ReplySplit:
    new: str  # what the sender wrote now (stripped of trailing blank lines)
    quoted: str  # the quoted history, "" if none
    signature: str  # the sender's signature block, "" if none


# Characters that make a line look non-empty without showing anything: Gmail's
# tracking glyph (U+1427), zero-width spaces and joiners, the byte order mark.
_INVISIBLE = "\u1427\u200b\u200c\u200d\u2060\ufeff\u034f\u00ad"

_QUOTE = re.compile(r"[ \t]*(?:>|[A-Za-z]{1,10}>(?=[ \t>]|$))")

# A year, a time or a numeric date: attributions and header blocks carry one.
_DATEISH = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\b\d{1,2}[:.h]\d{2}\b|\b(?:19|20)\d{2}\b")

# Words that open an attribution, case sensitive so that prose starting with
# "on" or "at" is left alone; a leading digit is a date ("2016-03-03 ...").
_OPENER = re.compile(
    r"[ \t]*(?:-{2,}[ \t]*)?"
    r"(?:(?:On|Le|Am|El|Em|Op|Il|In data|Den|På|Dnia|W dniu|Dne|Dňa|Dana|Στις|At|Quoting"
    r"|Zitat von|Citando|Il giorno|Kello)\b|在|於|\d)"
)
# Verbs of "<name> wrote:" in the languages seen, as whole words; a verb may be
# followed by a little more before the colon ("schrieb am Fr., 28. Apr. 2017 um 11:53 Uhr:").
_VERBS = frozenset(
    (
        *("schrieb", "schreef", "geschreven", "skrev", "skriver", "skrifaði"),  # de nl sv da no is
        *("escribió", "escribio", "escreveu", "escriure", "scritto", "scrisse", "scris"),
        *("écrit", "ecrit", "kirjoitti", "kirjutas", "rašė", "rakstīja"),  # fr fi et lt lv
        *("napisał", "napisała", "napisal", "napisala", "napisao", "napsal", "napsala", "pisze"),
        *("napísal", "napísala", "написал", "написала", "написав", "написа", "пише", "писал"),
        *("yazdı", "írta", "έγραψε", "كتب", "כתב", "menulis", "viết"),  # tr hu el ar he id vi
    )
)
_WORD = re.compile(r"\w+")
_CJK_ENDS = ("写道", "寫道", "작성", "のメール", "のメッセージ", "書きました", "書き込みました")
_VERB_REACH = 70  # characters between the verb and the colon
_MAIL_END = re.compile(r"@[^\s<>]+[ \t]*>[ \t]*$")
_WROTE_DASHES = re.compile(r"\b(?:wrote|writes)[ \t]*-{2,}$")
# Gmail's old attribution has no verb and no colon: "2013/7/20 Ann <ann@example.com>"
# or "2016-03-03 17:21 GMT+01:00 Ann Lee".  Only these two shapes, so that a log
# line with a time stamp pasted into a ticket is not taken for one.
_DATE_FIRST = re.compile(
    r"[ \t]*\d{4}[/.-]\d{1,2}[/.-]\d{1,2}\.?[ \t]+"
    r"(?:\d{1,2}:\d{2}[ \t]+GMT[+-]\d{1,2}:?\d{2}[ \t]+\S.{0,100}|.{0,100}<[^<>\s@]+@[^<>\s]+>)"
    r"[ \t]*$"
)
# A line that ends a sentence ends the paragraph before an attribution.
_SENTENCE_END = re.compile(r"(?:[^\W\d]\.|[!?])[ \t]*$")

_ORIGINAL = re.compile(
    r"[\s*_>]*-{2,}[ \t]*(?:original message|reply message|ursprüngliche nachricht"
    r"|antwort nachricht|originalnachricht|oprindelig meddelelse|oprindelig besked"
    r"|mensaje original|message d'origine|message original|messaggio originale"
    r"|oorspronkelijk bericht|origineel bericht|ursprungligt meddelande|opprinnelig melding"
    r"|alkuperäinen viesti|původní zpráva|pôvodná správa|wiadomość oryginalna"
    r"|oryginalna wiadomość|исходное сообщение|оригинальное сообщение|mensagem original"
    r"|eredeti üzenet|orijinal mesaj|原始邮件|原始郵件|元のメッセージ|원본 메시지)"
    r"[ \t]*-{2,}[\s*_]*$",
    re.IGNORECASE,
)
_FORWARD = re.compile(
    r"[\s*_>]*(?:-{2,}[ \t]*(?:forwarded message|forwarded|weitergeleitete nachricht"
    r"|message transféré|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht"
    r"|vidarebefordrat meddelande|videresendt meddelelse|videresendt melding|videresendt besked"
    r"|välitetty viesti|přeposlaná zpráva|preposlaná správa|wiadomość przekazana dalej"
    r"|przekazana wiadomość|пересылаемое сообщение|переслане повідомлення"
    r"|mensagem encaminhada|転送メッセージ|转发的邮件|轉寄的郵件|전달된 메시지)[ \t]*-{2,}"
    r"|(?:begin forwarded message|anfang der weitergeleiteten nachricht"
    r"|début du message réexpédié|début du message transféré|inicio del mensaje reenviado"
    r"|comienzo del mensaje reenviado|inizio messaggio inoltrato|begin doorgestuurd bericht"
    r"|início da mensagem reencaminhada|início da mensagem encaminhada|vidarebefordrat brev"
    r"|välitetty viesti alkaa)[ \t]*[:：])[\s*_]*$",
    re.IGNORECASE,
)
_SIG_DASH = re.compile(r"--[ \t]*$")
_UNDERSCORES = re.compile(r"[ \t]*_{2,}[ \t]*$")
_RULE = re.compile(r"[ \t]*(?:[-=~*—–_][ \t]*){3,}$")

# Header fields of the block Outlook, Exchange, Apple Mail and webmails put above
# the message they quote, by meaning.
_FROM, _DATE, _TO, _CC, _SUBJECT, _REPLY_TO = 1, 2, 4, 8, 16, 32
_FIELD_NAMES = {
    _FROM: "from von de da van från fra lähettäjä od от від 差出人 发件人 寄件者 寄件人"
    " kimden feladó 보낸_사람 de_la",
    _DATE: "sent date gesendet datum envoyé envoyé_le enviado enviado_el enviada enviada_em fecha"
    " inviato data verzonden verstuurd skickat sendt dato lähetetty päivämäärä wysłano wysłane"
    " odesláno отправлено дата надіслано 送信日時 发送时间 發送時間 傳送時間 日期 gönderildi tarih"
    " elküldve dátum trimis message_du 보낸_날짜",
    _TO: "to an à a para aan till til vastaanottaja do komu кому 宛先 收件人 收件者 kime címzett"
    " către pour 받는_사람",
    _CC: "cc bcc kopie kopia kopi kopio copie copie_à dw копия 抄送 副本 참조 kopya másolat",
    _SUBJECT: "subject betreff objet asunto oggetto onderwerp ämne emne aihe temat předmět тема"
    " 件名 主题 主旨 제목 konu tárgy sujet assunto subiect",
    _REPLY_TO: "reply-to antwort_an répondre_à responder_a risposta svara_till beantwoorden",
}
_FIELD_TYPE = {
    name.replace("_", " "): kind for kind, names in _FIELD_NAMES.items() for name in names.split()
}
# The name of a field, looked up in _FIELD_TYPE: cheaper than one pattern of all names.
_FIELD = re.compile(r"[ \t]*[*_]{0,2}(?P<name>[^\W\d][\w .-]{0,19}?)[*_]{0,2}[ \t]*[:：]")
# The subject of a forwarded message, in the prefixes mail clients use ("VS:" is left
# out: a forward in Danish and Norwegian, a reply in Finnish).
_FORWARD_SUBJECT = re.compile(
    r"[ \t*_]*(?:fwd?|wg|tr|rv|enc|doorst|vb|vl|i|pd)[ \t]*:", re.IGNORECASE
)

# "Sent from my iPhone" and its relatives.  Lines starting "Sent from ..." are
# checked further (see _is_mobile) because people also write sentences so.
_MOBILE_SENT = re.compile(
    r"(?:sent|envoyé|envoye|enviado|enviada|inviato|verzonden|verstuurd|gesendet|skickat|sendt"
    r"|lähetetty|wysłane|wysłano|odesláno|odoslané|отправлено|надіслано|gönderildi)"
    r"[ \t]+(?:from|with|via|using|on|by|depuis|de|à partir de|a partir de|desde|do|da|dal"
    r"|dalla|dal mio|met|vanaf|van|von|mit|från|med|fra|z|ze|с|із|з)\b",
    re.IGNORECASE,
)
_MOBILE_OTHER = re.compile(
    r"(?:von meinem .{1,60} gesendet|diese nachricht wurde von meinem .{1,80} gesendet"
    r"|get \[?outlook for\b.*|(?:from|via) my (?:iphone|ipad|android|mobile|phone|blackberry"
    r"|samsung|galaxy|smartphone)\b.*|\S+(?: \S+)? from (?:my )?mobile|via (?:mobile|phone"
    r"|iphone|ipad|android)\b.*|lähetetty \S+sta|從我的.{1,20}傳送|发自我的.{1,20}|来自我的.{1,20}"
    r"|寄自我的.{1,20}|.{1,20}から送信|내 .{1,20}에서 보냄)\W*$",
    re.IGNORECASE,
)
# The first characters and letters of the lines above, for a cheap first look.
_MOBILE_INITIALS = frozenset("sSeEiIvVgGlLwWoOdDfFнНоО(<[*_從发来寄내")
_MOBILE_PREFIXES = frozenset(
    (
        *("sent", "envo", "envi", "invi", "verz", "vers", "gese", "skic", "send", "lähe"),
        *("wysł", "odes", "odos", "отпр", "наді", "gönd", "von ", "dies", "get ", "from"),
        *("via ", "從我的", "发自我", "来自我", "寄自我"),
    )
)
_MOBILE_EXCUSE = re.compile(
    r"please excuse|excuse|typos|brevity|sorry|pardon|disculp|excusez|entschuldig|scusate",
    re.IGNORECASE,
)
_LINKS = re.compile(r"\[([^\]\n]{0,80})\]\([^)\n]{0,300}\)|<[^<>\n]{0,300}>|\(?https?://\S+\)?")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.-]+|https?://|www\.|\+?\(?\d[\d ().-]{6,}\d"
    r"|\b(?:tel|phone|mobile|mob|cell|fax|skype|linkedin|twitter)\b[ \t]*[.:]",
    re.IGNORECASE,
)
_NAME = re.compile(r"[ \t]*[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:[ ,]+[A-ZÀ-ÖØ-Þ][\w'’.-]*){1,4}[ \t]*$")
_SIGN_OFF = re.compile(
    r"[ \t]*(?:(?:best|kind|warm|many)?[ \t]*regards|thanks|thank you|cheers|sincerely|best"
    r"|yours|mit freundlichen grüßen|viele grüße|beste grüße|gruß|cordialement|bien à vous"
    r"|saludos|atentamente|cordiali saluti|un saluto|met vriendelijke groet|groeten"
    r"|hälsningar|med vänlig hälsning|med venlig hilsen|med vennlig hilsen|ystävällisin terveisin"
    r"|pozdrawiam|s pozdravem|с уважением|atenciosamente|abraços)\b.{0,20}$",
    re.IGNORECASE,
)

_WROTE_ENDINGS = ("wrote", "writes", "Wrote", "Writes", "WROTE", "WRITES")
_SEPARATOR_CHARS = frozenset("-_=~*—–")
# First and last characters that make a line worth a closer look (see _Body).
_FIRST_CHARS = frozenset(">`~0123456789") | _SEPARATOR_CHARS | frozenset(_INVISIBLE)
_LAST_CHARS = frozenset(":：-")
_FLIP = bytes.maketrans(b"\x00\x01", b"\x01\x00")

# What a separator line is.
_SEP_NONE, _SEP_DASH, _SEP_UNDERSCORES, _SEP_RULE, _SEP_ORIGINAL, _SEP_FORWARD = range(6)

_MAX_HEADER_LINES = 6  # an attribution wrapped by a narrow client
_MAX_HEADER_CHARS = 400
_LONG_LINE = 300  # longer lines are prose, never a header
_SHORT_FORWARD_NOTE = 5  # lines of a note above a forward that keep the forward visible
_INLINE_ANSWERS = 3  # unquoted lines under a quote that make a reply inline
_MAX_SIGNATURE_LINES = 20
_MOBILE_REACH = 400  # lines of a reply looked at for "Sent from my iPhone"

_NEW, _QUOTED, _SIGNATURE = 0, 1, 2


def split_reply(text: str) -> ReplySplit:
    """Split a plain-text reply body into the new text, the quoted history and the signature."""
    if not isinstance(text, str):  # the pipeline passes str; anything else is shown as it is
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text or "")
    try:
        return _split(text)
    except Exception:  # a guard: losing the whole body to a bug would be worse than not splitting
        logger.exception("Could not split a reply of %d characters; showing all of it", len(text))
        return ReplySplit(
            new=_strip_blank_edges(_lines_of(text), visible=False), quoted="", signature=""
        )


def _lines_of(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _is_blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or not stripped.strip(_INVISIBLE).strip()


def _strip_blank_edges(lines: list[str], *, visible: bool = True) -> str:
    blank = _is_blank if visible else (lambda line: not line.strip())
    start, end = 0, len(lines)
    while start < end and blank(lines[start]):
        start += 1
    while end > start and blank(lines[end - 1]):
        end -= 1
    return "\n".join(lines[start:end]).rstrip()


class _Body:
    """The lines of one body with what was learnt about each of them.

    One pass over the lines asks each a few cheap string questions (its first and
    last character, a colon or a ">" near its start); only the lines that may
    matter go on to the patterns, and the later passes only visit candidates kept
    in sorted lists.  This is most of the time spent on a long body.
    """

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        n = self.n = len(lines)
        stripped = [line.strip() for line in lines]
        self.blank = blank = bytearray(map(operator.not_, stripped))
        self.quote = quote = bytearray(n)
        self.code = code = bytearray(n)
        self.field = field = bytearray(n)
        self.sep = sep = bytearray(n)
        self._dateish: dict[int, bool] = {}  # a line's date test, done once
        candidates: list[int] = []  # lines where history may start (besides attributions)
        ends: list[int] = []  # lines that may end an attribution
        self.quoted_forwards: list[int] = []  # "> Begin forwarded message:"
        field_type = _FIELD_TYPE
        first_chars, last_chars = _FIRST_CHARS, _LAST_CHARS
        in_code = False
        for i, s in enumerate(stripped):
            if not s:
                continue
            first = s[0]
            last = s[-1]
            if first == ">" and not in_code:  # the commonest line of a long body: a quote
                quote[i] = 1
                if last in ":：-" or "orward" in s:
                    if len(s) <= 20 and last in ":：":
                        ends.append(i)  # the tail of a wrapped attribution: "> wrote:", ">:"
                    elif _FORWARD.match(lines[i]):
                        self.quoted_forwards.append(i)
                continue
            if not (
                first in first_chars
                or last in last_chars
                or in_code
                or s.find(":", 1, 31) > 0
                or s.find(">", 1, 11) > 0
                or not s.isascii()
                or (last in "eEsS" and s.endswith(_WROTE_ENDINGS))
            ):
                continue  # prose
            if in_code or first in "`~":
                if s.startswith(("```", "~~~")):
                    in_code = not in_code
                    code[i] = 1
                    continue
                if in_code:
                    code[i] = 1
                    continue
            if first in _INVISIBLE and not s.strip(_INVISIBLE).strip():
                blank[i] = 1
                continue
            line = lines[i]
            if s.find(">", 1, 11) > 0 and _QUOTE.match(line):
                quote[i] = 1
                if len(s) <= 20 and last in ":：":
                    ends.append(i)  # the tail of a wrapped attribution: "> wrote:", ">:"
                elif (last in ":：-" or "orward" in s) and _FORWARD.match(line):
                    self.quoted_forwards.append(i)
                continue
            if len(line) > _LONG_LINE:
                continue  # prose: never a header, a separator or a signature line
            if first in _SEPARATOR_CHARS and (kind := _separator_kind(line)):
                sep[i] = kind
                if kind != _SEP_DASH:
                    candidates.append(i)
                continue
            if (s.find(":", 1, 31) > 0 or (not s.isascii() and s.find("：", 1, 31) > 0)) and (
                match := _FIELD.match(line)
            ):
                kind = field_type.get(match.group("name").strip().lower(), 0)
                if kind:
                    field[i] = kind
                    candidates.append(i)
            if last in ":：-" or (last in "eEsS" and s.endswith(_WROTE_ENDINGS)):
                if last in ":：" and _FORWARD.match(line):
                    sep[i] = _SEP_FORWARD
                    candidates.append(i)
                    continue
                ends.append(i)
            elif first.isdigit() and _DATE_FIRST.match(line):
                ends.append(i)
        self.candidates = candidates
        self.content_before = list(accumulate(blank.translate(_FLIP), initial=0))
        self.text_before = list(
            accumulate(bytes(map(operator.or_, blank, quote)).translate(_FLIP), initial=0)
        )
        self._mobile: dict[int, bool] = {}
        self.attribution = self._find_attributions(ends)
        self.history_lines = sorted(set(candidates) | set(self.attribution))

    # -- small questions -------------------------------------------------------

    def next_content(self, i: int, end: int | None = None) -> int | None:
        end = self.n if end is None else end
        while i < end:
            if not self.blank[i]:
                return i
            i += 1
        return None

    def has_content(self, start: int, end: int) -> bool:
        return end > start and self.content_before[end] > self.content_before[start]

    def count_content(self, start: int, end: int) -> int:
        return self.content_before[end] - self.content_before[start] if end > start else 0

    def has_text(self, start: int, end: int) -> bool:
        return end > start and self.text_before[end] > self.text_before[start]

    def plain(self, i: int) -> bool:
        """A line outside quotes and code that rules can look at."""
        return not (self.blank[i] or self.quote[i] or self.code[i])

    def is_mobile(self, i: int) -> bool:
        """ "Sent from my iPhone" and the like; asked of few lines, so worked out on demand."""
        known = self._mobile.get(i)
        if known is None:
            known = self._mobile[i] = self.plain(i) and _is_mobile(self.lines[i])
        return known

    def mobile_in(self, start: int, end: int) -> Iterator[int]:
        # What is written above "Sent from my iPhone" is a reply, not a report: a
        # bounded look keeps a long body cheap.
        lines, blank, initials = self.lines, self.blank, _MOBILE_INITIALS
        for i in range(start, min(end, start + _MOBILE_REACH)):
            if blank[i]:
                continue
            line = lines[i]
            hinted = line.lstrip()[:1] in initials or "obile" in line
            if hinted and len(line) <= 160 and self.is_mobile(i):
                yield i

    def starts_signature(self, i: int) -> bool:
        return self.sep[i] in (_SEP_DASH, _SEP_UNDERSCORES) or self.is_mobile(i)

    def sandwiched(self, i: int) -> bool:
        """A line of a quote that a client re-wrapped without its marker."""
        return 0 < i < self.n - 1 and bool(self.quote[i - 1] and self.quote[i + 1])

    # -- attributions ----------------------------------------------------------

    def _find_attributions(self, ends: list[int]) -> dict[int, int]:
        """First line -> last line of each "On <date>, <name> wrote:" found."""
        found: dict[int, int] = {}
        covered = -1
        for j in ends:
            if j <= covered:
                continue
            if not self.quote[j] and _DATE_FIRST.match(self.lines[j]):
                found[j] = covered = j
                continue
            start = self._attribution_start(j)
            if start is not None and start > covered:
                found[start] = j
                covered = j
        return found

    def _attribution_start(self, j: int) -> int | None:
        lines = self.lines
        window: list[int] = []  # the lines that may belong to it, bottom up
        blanks = 0
        k = j
        while k >= 0 and j - k < _MAX_HEADER_LINES:
            if self.blank[k]:
                blanks += 1
                if blanks > 1:
                    break
            elif self.code[k] or (self.quote[k] and k != j) or len(lines[k]) > _LONG_LINE:
                break
            else:
                window.append(k)
            k -= 1
        # The end of an attribution is on its last two lines; most candidates stop here.
        if not _attribution_end(" ".join(lines[k].strip() for k in reversed(window[:2]))):
            return None
        pieces = [lines[k].strip() for k in reversed(window)]
        whole = " ".join(pieces)
        # One look at the widest window rules out nearly every line cheaply: a shorter
        # window is a suffix of it and cannot match where the widest does not.
        if not _attribution_end(whole) or ("@" not in whole and not _DATEISH.search(whole)):
            return None
        for taken, k in enumerate(window, start=1):
            if self.quote[k] or not _OPENER.match(lines[k]):
                continue
            joined = " ".join(pieces[-taken:])
            if not _is_attribution(joined, opener=True):
                continue
            # "On Tue, Nov 30,\n2011 at 12:47 PM, Ann <ann@example.com> wrote:"
            if taken < len(window):
                above = window[taken]
                if (
                    above == k - 1
                    and not self.quote[above]
                    and _OPENER.match(lines[above])
                    and lines[above].rstrip().endswith(",")
                    and _is_attribution(" ".join(pieces[-taken - 1 :]), opener=True)
                ):
                    return above
            return k
        return self._generic_attribution_start(j)

    def _generic_attribution_start(self, j: int) -> int | None:
        """An attribution without an opening word: "Ann <ann@example.com> schrieb:"."""
        lines = self.lines
        low = j
        while (
            low - 1 >= 0
            and j - (low - 1) < 3
            and self.plain(low - 1)
            and len(lines[low - 1]) <= 200
            and not _SENTENCE_END.search(lines[low - 1])
            and not self.is_mobile(low - 1)
        ):
            low -= 1
        if (low == 0 or self.blank[low - 1] or self.quote[low - 1]) and _is_attribution(
            _join(lines, low, j), opener=False
        ):
            return low  # a paragraph of its own, as mail clients write them
        for k in range(j, low - 1, -1):
            if _is_attribution(_join(lines, k, j), opener=False):
                if k > low and (
                    lines[k].lstrip().startswith("<") or lines[k - 1].rstrip()[-1:] in "<("
                ):
                    return k - 1
                return k
        return None

    # -- history ---------------------------------------------------------------

    def field_block_end(self, i: int) -> int | None:
        """Last line of the header block starting at ``i``, if it is one."""
        kinds = 0
        has_at = has_date = dated = False
        last = i
        gap = 0
        j = i
        while j < self.n and j - i < 16:
            kind = self.field[j]
            if kind:
                gap = 0
                last = j
                kinds |= kind
            elif self.blank[j] or self.quote[j] or self.code[j] or j == i:
                break
            else:
                gap += 1  # a wrapped value
                if gap > 2:
                    break
            line = self.lines[j]
            has_at = has_at or "@" in line
            if self.dateish(j):
                has_date = True
                dated = dated or kind == _DATE
            j += 1
        count = bin(kinds).count("1")
        # A form in a message ("From: 1 March / To: 5 March / Subject: leave") has no
        # address and no Sent/Date field with a date in it; a mail header has either.
        if count >= 3 and (has_at or dated):
            return last
        if count == 2 and has_at and has_date:
            return last
        return None

    def dateish(self, j: int) -> bool:
        found = self._dateish.get(j)
        if found is None:
            found = self._dateish[j] = _DATEISH.search(self.lines[j]) is not None
        return found

    def history_kind(self, i: int) -> str | None:
        """Whether quoted history starts at line ``i``, and how."""
        if i in self.attribution:
            return "attribution"
        sep = self.sep[i]
        if sep == _SEP_ORIGINAL:
            return "original"
        if sep == _SEP_FORWARD:
            return "forward"
        if self.field[i]:
            return "fields" if self.field_block_end(i) is not None else None
        if sep in (_SEP_UNDERSCORES, _SEP_RULE):
            k = self.next_content(i + 1, min(self.n, i + 4))
            if k is None or not self.plain(k):
                return None
            if self.field[k] and (
                self.field_block_end(k) is not None
                or (self.field[k] == _FROM and _EMAIL.search(self.lines[k]))
            ):
                return "fields"
            if self.sep[k] == _SEP_ORIGINAL:
                return "original"
            if self.sep[k] == _SEP_FORWARD:
                return "forward"
        return None

    def first_history(self, start: int, end: int | None = None) -> tuple[int | None, str | None]:
        end = self.n if end is None else end
        lines = self.history_lines
        for i in lines[bisect_left(lines, start) :]:
            if i >= end:
                break
            kind = self.history_kind(i)
            if kind is not None:
                return i, kind
        return None, None

    def quote_block_end(self, q: int) -> int:
        """Last quoted line of the quote block starting at ``q`` (a broken wrap is let in)."""
        last = q
        i = q + 1
        while i < self.n:
            if self.quote[i]:
                last = i
            elif not self.blank[i] and not self.sandwiched(i):
                break
            i += 1
        return last


def _separator_kind(line: str) -> int:
    if _SIG_DASH.match(line):
        return _SEP_DASH
    if _UNDERSCORES.match(line):
        return _SEP_UNDERSCORES
    if _RULE.match(line):
        return _SEP_RULE
    if _ORIGINAL.match(line):
        return _SEP_ORIGINAL
    if _FORWARD.match(line):
        return _SEP_FORWARD
    return _SEP_NONE


def _join(lines: list[str], start: int, end: int) -> str:
    return " ".join(line.strip() for line in lines[start : end + 1] if line.strip())


def _attribution_end(joined: str) -> str | None:
    """How ``joined`` ends like an attribution ("en", "sent", "verb", "cjk", "mail"), if it does.

    Plain string tests on the tail: a pattern searched along the whole window was
    the slowest part of the module.
    """
    tail = joined[-(_VERB_REACH + 40) :].rstrip()
    low = tail.lower()
    if low[-1:] not in (":", "："):
        if low.endswith(("wrote", "writes")) and _word_starts(low, low.rfind("wr")):
            return "en"
        if low[-1:] == "-" and _WROTE_DASHES.search(low):
            return "en"
        return None
    before = low[:-1].rstrip()
    for word, kind in (("wrote", "en"), ("writes", "en"), ("sent", "sent")):
        if before.endswith(word) and _word_starts(before, len(before) - len(word)):
            return kind
    if before.endswith(_CJK_ENDS):
        return "cjk"
    if not _VERBS.isdisjoint(_WORD.findall(before[-_VERB_REACH - 12 :])):
        return "verb"
    if before.endswith(">") and _MAIL_END.search(before):
        return "mail"
    return None


def _word_starts(text: str, at: int) -> bool:
    return at == 0 or not text[at - 1].isalnum()


def _is_attribution(joined: str, *, opener: bool) -> bool:
    if len(joined) > _MAX_HEADER_CHARS:
        return False
    kind = _attribution_end(joined)
    if kind is None:
        return False
    has_at = "@" in joined
    if kind in ("sent", "mail"):
        return has_at if opener else has_at and bool(_DATEISH.search(joined))
    if opener:
        return has_at or bool(_DATEISH.search(joined))
    return has_at or bool(kind in ("verb", "cjk") and _DATEISH.search(joined))


def _is_mobile(line: str) -> bool:
    s = line.strip()
    if len(s) > 160:
        return False
    key = (s.lstrip("(<[*_ ") if s[:1] in "(<[*_" else s)[:4].lower()
    hinted = key in _MOBILE_PREFIXES or key[:3] in _MOBILE_PREFIXES or "obile" in s
    if not hinted and (s.isascii() or ("送信" not in s and "보냄" not in s)):
        return False
    text = _LINKS.sub(lambda m: m.group(1) or " ", line).strip(" \t()<>[]*_")
    if not text:
        return False
    if _MOBILE_OTHER.match(text):
        return True
    if _MOBILE_SENT.match(text) is None:
        return False
    # "Sent from my desk, is much easier than my phone." is a sentence, not a signature.
    head, tail = _split_clause(text)
    if len(head.split()) > 8:
        return False
    return not tail.strip(" .,;!") or bool(_MOBILE_EXCUSE.search(tail))


def _split_clause(text: str) -> tuple[str, str]:
    for i, char in enumerate(text):
        if char in ",;!" or (char == "." and i > 0 and not text[i - 1].isdigit()):
            return text[:i], text[i + 1 :]
    return text, ""


def _split(text: str) -> ReplySplit:
    lines = _lines_of(text)
    body = _Body(lines)
    first = body.next_content(0)
    if first is None:
        return _everything_new(lines)
    if _is_short_forward(body, first):
        return _everything_new(lines)
    owner = bytearray(body.n)  # _NEW everywhere
    pos = _leading_history(body, owner, first)
    if pos is None:
        return _everything_new(lines)
    start, kind = body.first_history(pos)
    end = body.n
    if start is not None:
        end = start
        if kind == "attribution":
            end = _inline_reply_end(body, start)
            for head, tail in body.attribution.items():
                if start <= head < end:
                    _mark(owner, head, tail + 1, _QUOTED)
        _mark(owner, end, body.n, _QUOTED)
        if kind == "attribution":
            _signature_after_history(body, owner, end)
    _tidy(body, owner, pos, end)
    return _assemble(lines, owner)


def _mark(owner: bytearray, start: int, end: int, who: int) -> None:
    if end > start:
        owner[start:end] = bytes((who,)) * (end - start)


def _everything_new(lines: list[str]) -> ReplySplit:
    return ReplySplit(new=_strip_blank_edges(lines, visible=False), quoted="", signature="")


def _is_short_forward(body: _Body, first: int) -> bool:
    """A forward with a short note above it (or none): the forward is what was sent."""
    starts = sorted(set(body.history_lines) | set(body.quoted_forwards))
    for i in starts:
        if i < first:
            continue
        if body.quote[i] and i not in body.attribution:
            forward = True  # only quoted forwards are among the candidates
            kind: str | None = "forward"
        else:
            kind = body.history_kind(i)
            forward = kind == "forward" or (
                kind in ("fields", "original") and _block_is_forward(body, i)
            )
        if forward:
            return body.count_content(first, i) <= _SHORT_FORWARD_NOTE
        if kind is not None:
            return False
    return False


def _block_is_forward(body: _Body, i: int) -> bool:
    """A header block whose subject says it was forwarded ("Fwd:", "WG:", "TR:" ...)."""
    for j in range(i, min(body.n, i + 12)):
        if body.field[j] == _SUBJECT:
            value = _FIELD.sub("", body.lines[j], count=1)
            return bool(_FORWARD_SUBJECT.match(value))
    return False


def _leading_history(body: _Body, owner: bytearray, first: int) -> int | None:
    """Skip the history a bottom-poster left at the top; None when there is nothing else."""
    pos = first
    while True:
        k = body.next_content(pos)
        if k is None:
            return None
        if k in body.attribution:
            tail = body.attribution[k]
            q = body.next_content(tail + 1)
            if q is None:
                return None
            _mark(owner, k, tail + 1, _QUOTED)
            if body.quote[q]:
                q_end = body.quote_block_end(q)
                if _answers_between_quotes(body, q_end + 1):
                    return q  # an inline reply: its first quote is the context of the answer
                _mark(owner, q, q_end + 1, _QUOTED)
                pos = q_end + 1
            else:
                pos = q
            continue
        if body.history_kind(k) is not None:
            return None
        return k


def _answers_between_quotes(body: _Body, start: int) -> bool:
    """Text, then a quote, then text again: the sender answers point by point."""
    text_seen = quote_after_text = False
    for i in range(start, body.n):
        if body.blank[i]:
            continue
        if body.quote[i]:
            quote_after_text = quote_after_text or text_seen
            continue
        # Another attribution ends the look, which keeps a chain of them linear.
        if body.starts_signature(i) or body.history_kind(i) is not None:
            return False
        if body.sandwiched(i):
            continue
        if quote_after_text:
            return True
        text_seen = True
    return False


def _inline_reply_end(body: _Body, start: int) -> int:
    """Where the history begins when the reply is written between the quotes under ``start``.

    Returns ``start`` itself when the attribution is followed by plain history.
    """
    tail = body.attribution[start]
    q = body.next_content(tail + 1)
    if q is None or not body.quote[q]:
        return start
    answers = 0
    in_signature = False
    stop = body.n
    i = q
    while i < body.n:
        if body.blank[i] or body.quote[i]:
            i += 1
            continue
        if i in body.attribution:
            after = body.next_content(body.attribution[i] + 1)
            if after is not None and body.quote[after]:
                i = body.attribution[i] + 1
                continue
            stop = i
            break
        if body.history_kind(i) is not None:
            stop = i
            break
        if body.starts_signature(i):
            in_signature = True
        if not in_signature and not body.sandwiched(i):
            answers += 1
        i += 1
    return stop if answers >= _INLINE_ANSWERS else start


def _signature_after_history(body: _Body, owner: bytearray, start: int) -> None:
    """The sender's own signature under a ``>`` quoted history (webmails put it there)."""
    last_quote = body.quote.rfind(1, start)
    if last_quote < 0:
        return
    f = body.next_content(last_quote + 1)
    if f is None or not body.starts_signature(f):
        return
    if body.count_content(f, body.n) > _MAX_SIGNATURE_LINES:
        return
    if any(body.field[i] or i in body.attribution for i in range(f, body.n)):
        return
    _mark(owner, f, body.n, _SIGNATURE)


def _lines_of_kind(body: _Body, kind: int, start: int, end: int) -> list[int]:
    found = []
    i = body.sep.find(kind, start, end)
    while i >= 0:
        if body.plain(i):
            found.append(i)
        i = body.sep.find(kind, i + 1, end)
    return found


def _tidy(body: _Body, owner: bytearray, start: int, end: int) -> None:
    """Find the signature and a trailing quote in the reply ``[start, end)``."""
    lines = body.lines
    end = _mobile_signature(body, owner, start, end)

    for i in _lines_of_kind(body, _SEP_DASH, start, end)[:1]:
        if body.has_content(start, i):
            stop = i + 1
            while stop < end and not body.quote[stop]:
                stop += 1
            if body.count_content(i, stop) <= _MAX_SIGNATURE_LINES:
                _mark(owner, i, stop, _SIGNATURE)
                _mark(owner, stop, end, _QUOTED)
                end = i

    for i in _lines_of_kind(body, _SEP_UNDERSCORES, start, end):
        footer = body.count_content(i + 1, end) <= 12 and body.quote.find(1, i + 1, end) < 0
        if footer and body.has_content(start, i):
            _mark(owner, i, end, _SIGNATURE)
            end = i
            break

    last = _last_content(body, start, end)
    if last is not None and body.quote[last]:
        q = last
        while q - 1 >= start and (body.quote[q - 1] or body.blank[q - 1] or body.sandwiched(q - 1)):
            q -= 1
        found = body.next_content(q, end)
        q = q if found is None else found
        if body.has_text(start, q):
            _mark(owner, q, end, _QUOTED)
            end = q

    for i in _lines_of_kind(body, _SEP_RULE, start, end):
        if body.has_content(start, i) and _is_contact_block(body, i + 1, end, limit=12):
            _mark(owner, i, end, _SIGNATURE)
            end = i
            break

    last = _last_content(body, start, end)
    if last is None:
        return
    first = last
    while first - 1 >= start and not body.blank[first - 1] and last - first < 8:
        first -= 1
    if first - 1 >= start and not body.blank[first - 1]:
        return  # a long paragraph is prose
    if _SIGN_OFF.match(lines[first]) and first < last:
        first += 1
    if (
        _NAME.match(lines[first])
        and _is_contact_block(body, first, last + 1, limit=8)
        and body.has_content(start, first)
        and all(len(lines[i]) <= 80 for i in range(first, last + 1))
    ):
        _mark(owner, first, last + 1, _SIGNATURE)


def _mobile_signature(body: _Body, owner: bytearray, start: int, end: int) -> int:
    """ "Sent from my iPhone" ends what was written; what follows it is history."""
    lines = body.lines
    for i in body.mobile_in(start, end):
        if not body.has_content(start, i):
            continue
        first = i
        above = i - 1
        if (
            above > start
            and body.plain(above)
            and _NAME.match(lines[above])
            and body.has_content(start, above)
        ):
            first = above  # "Ann Lee\nvia mobile"
        stop = i + 1
        while stop < end and (body.blank[stop] or body.is_mobile(stop)):
            stop += 1
        _mark(owner, first, stop, _SIGNATURE)
        _mark(owner, stop, end, _QUOTED)
        return first
    return end


def _last_content(body: _Body, start: int, end: int) -> int | None:
    for i in range(end - 1, start - 1, -1):
        if not body.blank[i]:
            return i
    return None


def _is_contact_block(body: _Body, start: int, end: int, *, limit: int) -> bool:
    if body.count_content(start, end) > limit or body.quote.find(1, start, end) >= 0:
        return False
    content = [i for i in range(start, end) if not body.blank[i]]
    return sum(1 for i in content if _CONTACT.search(body.lines[i])) >= 2


def _assemble(lines: list[str], owner: bytearray) -> ReplySplit:
    parts: dict[int, list[str]] = {_NEW: [], _QUOTED: [], _SIGNATURE: []}
    i = 0
    for who, run in groupby(owner):
        size = len(list(run))
        picked = parts[who]
        if who != _NEW and picked and not _is_blank(picked[-1]):
            picked.append("")  # keep separate runs of history apart; the reply stays as written
        picked.extend(lines[i : i + size])
        i += size
    new = _strip_blank_edges(parts[_NEW])
    quoted = _strip_blank_edges(parts[_QUOTED])
    signature = _strip_blank_edges(parts[_SIGNATURE])
    if not new:
        if not signature:
            return _everything_new(lines)
        # Someone who wrote nothing but a signature still wrote that.
        new, signature = signature, ""
    return ReplySplit(new=new, quoted=quoted, signature=signature)
