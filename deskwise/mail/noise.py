"""Recognise mail that must neither open a ticket nor be acknowledged.

A desk that answers every message talks for ever with auto-responders and
turns delivery failures into tickets. ``detect_noise`` looks at one parsed
message and says whether it is a bounce, an automatic reply, bulk mail or
another machine report, and why.

The rules run from the most to the least certain; the first that matches wins:

1. Mail from one of the desk's own addresses (a loop).
2. Structure only machines produce: ``multipart/report`` (RFC 6522) and its
   status parts (RFC 3464 delivery status, RFC 8098 read receipts, RFC 5965
   feedback reports), and Exim's ``X-Failed-Recipients``. These decide alone.
3. A few provider formats with no standard marker: Amazon SES notifications
   relayed by SNS, Hotmail's complaint feed, fml's list-server errors.
4. A *system sender* (MAILER-DAEMON, postmaster, "Mail Delivery System", an
   empty From or Return-Path, Auto-Submitted) together with a bounce subject
   or one of the stock sentences of mail servers (qmail, Postfix, Exim,
   Exchange, Notes, Yahoo, Gmail...). Neither half decides alone: people write
   from postmaster mailboxes, and people forward bounces to the desk.
5. Our own notification coming back (X-Deskwise-Ticket in its own headers),
   then RFC 3834 and vendor headers of automatic replies (Auto-Submitted,
   X-Autoreply, X-Auto-Response-Suppress, Apple's vacation marker...), then a
   vacation subject in many languages, but only with a header that hints at a
   machine as well.
6. ``Precedence: bulk/junk/list``.

Text heuristics always need a header signal too, because a false positive
hides a real request while a miss only costs one stray ticket. Only the
message's own parts are read: what sits inside an attached message
(message/rfc822) belongs to someone else, so a bounce a person forwards stays
that person's request.

Headers are read from their raw values and decoded here rather than through
the parsing policy's header objects: ``policy.default`` and ``policy.compat32``
then behave the same, garbage cannot raise, and the standard library does not
re-parse Content-Type on every access (which was most of the cost). Every
regex is bounded so that hostile input stays linear, and each rule is guarded
on its own so that one malformed part cannot silence the others.
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import quopri
import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parseaddr
from enum import StrEnum

_log = logging.getLogger(__name__)


class NoiseKind(StrEnum):
    BOUNCE = "bounce"  # delivery status notification / non-delivery report
    AUTO_REPLY = "auto_reply"  # vacation / out-of-office / automatic responses
    BULK = "bulk"  # Precedence bulk/junk/list, mailing lists marked as such
    OTHER_REPORT = "report"  # read receipts (MDN), feedback reports (ARF), other reports


@dataclass(frozen=True)
class Noise:
    kind: NoiseKind
    reason: str  # in words, for the admin: which header/rule decided
    # For bounces and reports: the Message-ID(s) of the mail concerned, without <>.
    original_message_ids: tuple[str, ...] = ()
    # For bounces: lower-cased addresses that failed, when found.
    failed_recipients: tuple[str, ...] = ()
    # For bounces: only a delay so far (the mail may still arrive).
    delayed: bool = False


# --- limits --------------------------------------------------------------------------------
# A report says what it is near its top; reading megabytes of attachments
# would only make the desk slow on large mail.
_MAX_PARTS = 200
_MAX_DEPTH = 12
_MAX_HEADER = 8 * 1024
_MAX_PART_BYTES = 64 * 1024
_MAX_TEXT = 128 * 1024
_MAX_HEAD_TEXT = 8 * 1024  # where the stock sentences of mail servers are looked for
_MAX_IDS = 20

# --- patterns ------------------------------------------------------------------------------
_NEWLINES = re.compile(r"[\r\n]+")
_SPACES = re.compile(r"\s+")
_COMMENT = re.compile(r"\([^()]*\)")
_TAGS = re.compile(r"<[^<>]*>")
_LINE_ENDS = re.compile(r"\r\n?")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SURROGATES = re.compile("[\udc80-\udcff]")
_CTYPE = re.compile(r"\s*([^\s/;\"]+)\s*/\s*([^\s/;\"]+)")
_PARAM = re.compile(r';\s*([^\s=;"]+)\s*=\s*("[^"]*"|[^;]*)')
_MSGID = re.compile(r"<([^<>\s]+)>")
_BARE_ID = re.compile(r"[^<>\s\"@]+@[^<>\s\"]+")
# Bounded parts keep findall linear on long runs of garbage.
_ADDRESS = re.compile(
    r"[^\s<>\"'(),;:\[\]@]{1,64}@[^\s<>\"'(),;:\[\]@]{1,255}\.[a-z0-9-]{1,63}", re.I
)

# "Re:", "Fwd:", "AW:", "WG:", "SV:", "Rif:"... a person answering or forwarding.
_REPLY_PREFIX = re.compile(
    r"^\s*(?:re|fw|fwd|aw|wg|sv|vs|vb|tr|rif|r|i|antw|odp|pd|ynt|ilt|enc|res|rv|"
    r"答复|回复|转发|回覆|轉寄|返信|転送)\s*(?:\[\d+\]|\(\d+\))?\s*[:\uff1a]",
    re.I,
)

# The local part and display name of a mail server's own address. A mailer
# daemon never writes by hand; a postmaster mailbox is often read and written
# by people, so it counts for less (see _system_sender).
_DAEMON_LOCAL = re.compile(
    r"^(?:mailer[-_.]?daemon|mail[-_.]?daemon|mdaemon|"
    r"mail[-_.]?delivery(?:[-_.]?(?:sub)?system)?|microsoftexchange[0-9a-f]{20,}|"
    r"mmsc[-_.]?ndr|ndr)$",
    re.I,
)
_DAEMON_NAME = re.compile(
    r"^\W*(?:mail(?:er)?[-_ ]?daemon|mail[ -]?deliver(?:y)?[ -](?:sub)?system|"
    r"mail[ -]?delivery[ -](?:service|notification)|delivery status notification|"
    r"(?:mmsc )?ndr administrator)\W*$",
    re.I,
)
_POSTMASTER_LOCAL = re.compile(r"^(?:postmaster|post[-_.]master|poostmaster)$", re.I)
_POSTMASTER_NAME = re.compile(
    r"^\W*(?:postmaster|post[-_ ]master|mail[ -]?(?:system|server|administrator|gateway)|"
    r"e-?mail[ -]system|system administrator|microsoft outlook|"
    r"interscan(?: mss| notification)?|mail[ -]?filter)\W*$",
    re.I,
)
_NOREPLY_LOCAL = re.compile(r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply)\b", re.I)
_LIST_ADMIN = re.compile(r"-(?:admin|ctl|request|owner)@|^owner-", re.I)

# Subjects of non-delivery reports, in the languages mail servers use. Searched
# anywhere in the subject, and only ever together with a system sender.
_BOUNCE_SUBJECT = re.compile(
    r"undeliver(?:able|ed)|returned mail|return(?:ed|ing) (?:message )?to sender|"
    r"delivery (?:status|notification|report|failure|failed|problem|has failed|has been delayed)|"
    r"(?:mail|message|e-?mail) (?:delivery|system) (?:failed|failure|has failed|error|status)|"
    r"mail delivery|failure notice|failure delivery|failed delivery|non[- ]?delivery|"
    r"delivery failure|deliver(?:y|ies)? (?:error|warning)|"
    r"could not (?:be )?(?:sent|send|deliver(?:ed)?)|(?:not|n't) (?:be )?delivered|"
    r"delayed mail|delayed \d+ hours|warning\W+could not send|(?:mail|message) (?:failed|failure)|"
    r"postmaster notify|error sending your mail|email bounce|bounce notification|"
    r"blocked by (?:our|the) .{0,20}filter|unsolicited bulk email|mail system error|"
    r"nicht zustellbar|unzustellbar|zustellung fehlgeschlagen|non remis|non recapitabile|"
    r"onbestelbaar|niet bezorgd|no se (?:pudo|puede) entregar|n[ãa]o (?:foi )?entregue|"
    r"ej levererat|kan ikke leveres|kunne ikke leveres|niedostarczon|nedoru[čc]|"
    r"недоставлен|не доставлен|не может быть доставлен|"
    r"配信(?:不能|できません|エラー|失敗)|送信(?:エラー|できません)|メール(?:エラー|不達)|"
    r"不達|退信|未送达|无法投递|投递失败|전송 실패|반송",
    re.I,
)

# Sentences mail servers put at the top of a non-delivery report. Looked for in
# the first few kilobytes of the message's own text, only with a system sender.
_BOUNCE_TEXT = re.compile(
    r"this is the qmail-send program|this is the mail system at host|"
    r"this message was created automatically by mail delivery software|"
    r"the original message was received at|"
    r"delivery to the following recipients? (?:failed|has been delayed|was delayed)|"
    r"delivery has failed to these recipients|did not reach the following recipient|"
    r"your message (?:did not|didn't|could not|couldn't|wasn't|was not|cannot|can't) "
    r"(?:reach|be delivered|get delivered)|"
    r"(?:could not|couldn't|cannot|can't|was not|wasn't|were not) (?:be )?delivered|"
    r"(?:unable|not able|failed) to deliver|wasn't able to deliver|"
    r"message (?:delivery )?(?:has )?failed|delivery (?:has )?failed|"
    r"permanent(?:ly)? (?:fatal )?error|following address(?:es)? (?:had|failed)|"
    r"undeliverable|non[- ]?delivery|returned to sender|"
    r"error: invalid user address|requested action not taken|"
    r"^[ \t]*(?:final-recipient|diagnostic-code|reporting-mta)[ \t]*:|"
    r"\b[245]\d\d[- ][245]\.\d{1,3}\.\d{1,3}\b|"
    r"送信できませんでした|配信できませんでした|届きませんでした|宛先不明|"
    r"не доставлен|недоставлен",
    re.I | re.M,
)
# Header lines of a returned message or an SMTP transcript, inline in a report.
_RETURNED_COPY = re.compile(
    r"^[ \t>]*(?:received|message-id|return-path|rcpt to|mail from)[ \t]*:", re.I | re.M
)

# Subjects of automatic replies. The words must open the subject (after an
# optional "[tag]"), so that "Re: Out of office" from a person never matches,
# and they count only together with a header that hints at a machine.
_AUTO_SUBJECT = re.compile(
    r"^\s*(?:\[[^\]]{0,40}\]\s*)?(?:"
    r"out of (?:the )?office|ooo\b|automatic reply|automated reply|automatic response|"
    r"automated response|auto(?:matic)?[-_ ]?(?:reply|response|respon[sd]e?r?|answer)|"
    r"autoreply|auto:|autosvar|away (?:from|until)|on (?:vacation|holiday|leave)|"
    r"vacation (?:reply|message|notice|response)|i am (?:currently )?(?:out|away)|"
    r"abwesenheit|automatische antwort|au(?:ß|ss)er haus|nicht im b[üu]ro|"
    r"r[ée]ponse automatique|absence|absent|respuesta autom[áa]tica|fuera de la oficina|"
    r"ausente|resposta autom[áa]tica|fora do escrit[óo]rio|risposta automatica|fuori sede|"
    r"fuori ufficio|afwezig|automatisch antwoord|afwezigheid|fr[åa]nvar|automatiskt svar|"
    r"frav[æe]r|automatisk svar|poissa|automaattinen vastaus|nieobecno[śs][ćc]|"
    r"automatyczna odpowied[źz]|automatick[áa] odpov[ěe][ďd]|mimo kancel[áa][řr]|"
    r"automatikus v[áa]lasz|otomatik (?:yan[\u0131i]t|cevap)|ofis d[\u0131i][şs][\u0131i]nda|"
    r"автоответ|автоматический ответ|нет на месте|в отпуске|αυτόματη απάντηση|"
    r"不在|自動応答|自動返信|自动回复|自動回覆|자동 ?응답|부재"
    r")",
    re.I,
)
_VACATION_MAILER = re.compile(r"vacation|autorespond|auto[- ]?reply|out of office", re.I)
# Exchange's values on the mail it generates; "DR, RN" alone only refuses receipts.
_AUTO_RESPONSE_SUPPRESS = re.compile(r"\b(?:all|oof|autoreply)\b", re.I)
_PRECEDENCE_BULK = re.compile(r"^\s*(bulk|junk|list)\b", re.I)
_PRECEDENCE_AUTO = re.compile(r"^\s*auto[-_]?repl(?:y|ied)\b", re.I)
# Headers other auto-responders add whatever their value (cPanel, LogSat, SOGo...).
_AUTO_REPLY_HEADERS = ("x-autoreply", "x-autorespond", "x-autoresponder", "x-mail-autoreply")

_FIELD = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*)$", re.M)
_INLINE_MSGID = re.compile(
    r"^[ \t>|]*(?:original-)?message-id[ \t]*:[ \t]*\n?[ \t]*<([^<>\s@]+@[^<>\s]+)>", re.I | re.M
)
_INLINE_BARE_MSGID = re.compile(
    r"^[ \t>|]*(?:original-)?message-id[ \t]*:[ \t]*([^<>\s@]+@[^<>\s]+)[ \t]*$", re.I | re.M
)
# Where a report stops speaking and the copy of the original message begins.
_COPY_MARKER = re.compile(
    r"^[ \t-]*(?:below this line is a copy of the message|original message follows|"
    r"(?:original|returned|unsent) message|this is a copy of the message|"
    r"the (?:original|returned) message (?:headers )?(?:is|are|was) (?:below|attached))|"
    r"^(?:received|return-path|message-id|dkim-signature)[ \t]*:",
    re.I | re.M,
)
# Recipients named in the text of non-standard reports: qmail, Postfix and
# Sendmail write "<addr>" or "<addr>:" at the start of a line; most others
# introduce a short list with one of these phrases.
_TEXT_RECIPIENT = re.compile(r"^<([^<>\s@]+@[^<>\s@]+)>(?:[ \t]*\([^)]*\))?[ \t]*(?::|$)", re.M)
_RECIPIENT_INTRO = re.compile(
    r"following (?:e-?mail )?(?:address|recipient|destination)(?:e?s|\(e?s\))?\b[^\n]{0,80}|"
    r"(?:could not|couldn't|cannot|can't) be delivered to\b|did not reach the following[^\n]*|"
    r"permanent fatal errors[^\n]*|delivery to the following[^\n]*|"
    r"unable to deliver (?:your )?message to\b[^\n]*|"
    r"^[ \t]*(?:unknown user|user unknown|no such user|invalid recipient|failed recipient|"
    r"recipient|address)s?(?: address)?[ \t]*:",
    re.I | re.M,
)
# The paragraph after the phrase, or the one after that when the phrase ends
# its own paragraph ("The following address\nfailed:").
_RECIPIENT_LIST = re.compile(
    r"\A(?:[ \t]*\n)*(.{0,600}?(?:\n[ \t]*\n|\Z)(?:.{0,600}?(?:\n[ \t]*\n|\Z))?)", re.S
)


_UNDECODABLE = (UnicodeError, LookupError, ValueError, TypeError, IndexError, AttributeError)


# --- reading headers and parts -------------------------------------------------------------


def _decode(raw: object) -> str:
    """A header value as text: unfolded, 8-bit and RFC 2047 decoded, never raising."""
    value = _NEWLINES.sub("", str(raw)[:_MAX_HEADER])
    try:
        if _SURROGATES.search(value):
            # Raw 8-bit bytes the parser kept as surrogates; most often UTF-8.
            value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        if "\x1b" in value:
            value = value.encode("ascii").decode("iso-2022-jp")
    except (UnicodeError, LookupError):
        value = value.encode("utf-8", "replace").decode("utf-8", "replace")
    if "=?" in value:
        # An encoded word that cannot be decoded is kept as written.
        with contextlib.suppress(*_UNDECODABLE):
            value = str(make_header(decode_header(value)))
    return value.strip()


def _raw_items(part: Message) -> list[tuple[str, object]]:
    try:
        return [(str(name), value) for name, value in part.raw_items()]
    except Exception:
        _log.debug("unreadable headers", exc_info=True)
        return []


class _Headers:
    """The raw headers of one message part, looked up by lower-case name."""

    __slots__ = ("_raw",)

    def __init__(self, message: Message) -> None:
        self._raw: dict[str, list[object]] = {}
        for name, value in _raw_items(message):
            self._raw.setdefault(name.strip().lower(), []).append(value)

    def has(self, name: str) -> bool:
        return name in self._raw

    def all(self, name: str) -> list[str]:
        return [_decode(value) for value in self._raw.get(name, ())]

    def get(self, name: str) -> str:
        values = self._raw.get(name)
        return _decode(values[0]) if values else ""


def _first_header(part: Message, wanted: str) -> str:
    for name, value in _raw_items(part):
        if name.lower() == wanted:
            return _decode(value)
    return ""


def _content_type(part: Message) -> tuple[str, dict[str, str]]:
    """The lower-case type and its parameters, read from the raw header."""
    raw = _first_header(part, "content-type")[:2048]
    found = _CTYPE.match(raw)
    if not found:
        return "text/plain", {}
    params: dict[str, str] = {}
    for name, value in _PARAM.findall(raw[found.end() :]):
        name = name.lower()
        if name.endswith("*"):  # RFC 2231: charset''value
            name, value = name.rstrip("*"), value.rpartition("'")[2]
        params.setdefault(name, value.strip().strip('"').strip())
    return f"{found.group(1)}/{found.group(2)}".lower(), params


def _payload_list(part: Message) -> list[Message]:
    try:
        payload = part.get_payload()
    except Exception:
        return []
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, Message)]
    return []


def _lines(text: str) -> str:
    # Mail from old Macs ends lines with CR alone, which "^" in a regex ignores.
    return _LINE_ENDS.sub("\n", text) if "\r" in text else text


def _quoted_printable_cr(part: Message) -> bytes | None:
    # The standard library stops decoding quoted-printable at a soft break
    # written "=\r" (CR-only line ends), losing the rest of the part.
    if "quoted-printable" not in _first_header(part, "content-transfer-encoding").lower():
        return None
    try:
        payload = part.get_payload()
        if not isinstance(payload, str) or "\r" not in payload or "\n" in payload:
            return None
        return quopri.decodestring(_lines(payload).encode("ascii", "surrogateescape"))
    except (UnicodeError, ValueError, TypeError):
        return None


def _part_text(part: Message, charset: str = "") -> str:
    """The decoded text of a leaf part, capped, with LF line ends; "" when unreadable."""
    data: object = _quoted_printable_cr(part)
    if data is None:
        try:
            data = part.get_payload(decode=True)
        except Exception:
            data = None
    if not isinstance(data, bytes):
        try:
            payload = part.get_payload()
        except Exception:
            return ""
        return _lines(payload[:_MAX_PART_BYTES]) if isinstance(payload, str) else ""
    data = data[:_MAX_PART_BYTES]
    charset = charset or _content_type(part)[1].get("charset") or "utf-8"
    try:
        text = data.decode(charset, "replace")
    except (LookupError, TypeError, ValueError):
        text = data.decode("utf-8", "replace")
    return _lines(text)


def _fields_text(part: Message) -> str:
    """A message/* status part (delivery-status, disposition...) as "Name: value" lines.

    The parser keeps delivery-status as a list of header blocks and other
    message/* types as one message, so both are put back into text.
    """
    blocks = _payload_list(part)
    if not blocks:
        return _part_text(part)
    lines: list[str] = []
    for block in blocks[:_MAX_PARTS]:
        for name, value in _raw_items(block):
            lines.append(f"{name}: {_NEWLINES.sub(' ', str(value)[:_MAX_HEADER])}")
        try:
            rest = block.get_payload()
        except Exception:
            rest = None
        if isinstance(rest, str) and rest.strip():
            lines.append(_lines(rest[:_MAX_PART_BYTES]))
        lines.append("")
    return "\n".join(lines)


_ATTACHED = frozenset(
    {
        "message/rfc822",
        "message/global",
        "text/rfc822-headers",
        "message/rfc822-headers",
        "message/global-headers",
    }
)
_DELIVERY_STATUS = frozenset({"message/delivery-status", "message/global-delivery-status"})
_DISPOSITION = frozenset(
    {"message/disposition-notification", "message/global-disposition-notification"}
)
_FEEDBACK = frozenset({"message/feedback-report"})
_STATUS = _DELIVERY_STATUS | _DISPOSITION | _FEEDBACK


@dataclass
class _Mail:
    """What the rules share about one message, read once."""

    message: Message
    headers: _Headers
    content_type: str
    report_type: str
    subject: str
    sender_name: str
    sender: str  # lower case; "" when From held no address
    statuses: dict[str, list[Message]] = field(default_factory=dict)
    attached: list[Message] = field(default_factory=list)
    part_ids: list[str] = field(default_factory=list)  # Message-ID headers on body parts
    texts: list[str] = field(default_factory=list)
    _text: str | None = None

    @property
    def text(self) -> str:
        """The message's own text parts, joined; HTML reduced to text."""
        if self._text is None:
            self._text = "\n".join(self.texts)[:_MAX_TEXT]
        return self._text

    @property
    def head_text(self) -> str:
        return self.text[:_MAX_HEAD_TEXT]

    def has_status(self, kinds: frozenset[str]) -> bool:
        return any(kind in self.statuses for kind in kinds)


def _walk(mail: _Mail) -> None:
    """Collect the message's own parts, without entering attached messages."""
    queue: deque[tuple[Message, int]] = deque([(mail.message, 0)])
    seen = read = 0
    while queue and seen < _MAX_PARTS:
        part, depth = queue.popleft()
        seen += 1
        ctype, params = _content_type(part)
        charset = params.get("charset", "")
        if depth:
            # Some servers return the original as a body part without a
            # Content-Type of its own: its headers are the part's headers.
            part_id = _first_header(part, "message-id")
            if part_id:
                mail.part_ids.append(part_id)
        if ctype.startswith("multipart/"):
            children = _payload_list(part)
            if children and depth < _MAX_DEPTH:
                queue.extend((child, depth + 1) for child in children)
            elif not children:
                # A multipart whose boundary is broken arrives as text: read it as such.
                mail.texts.append(_part_text(part, charset))
        elif ctype in _STATUS:
            mail.statuses.setdefault(ctype, []).append(part)
        elif ctype in _ATTACHED:
            mail.attached.append(part)
        elif ctype.startswith("text/") and read < _MAX_TEXT:
            text = _part_text(part, charset)
            if ctype == "text/html":
                text = html.unescape(_TAGS.sub(" ", text))
            mail.texts.append(text)
            read += len(text)


def _parse_address(value: str) -> tuple[str, str]:
    value = value[:1024]
    try:
        name, address = parseaddr(value)
    except Exception:
        name, address = "", ""
    address = address.strip().strip("<>").lower()
    if not address and value:
        # parseaddr gives up on odd but common forms such as "MAILER-DAEMON <>".
        found = _ADDRESS.search(value)
        address = found.group(0).lower() if found else ""
        name = name or _TAGS.sub("", value).strip().strip('"')
    return name.strip(), address


def _read(message: Message) -> _Mail:
    headers = _Headers(message)
    name, address = _parse_address(headers.get("from"))
    content_type, params = _content_type(message)
    mail = _Mail(
        message=message,
        headers=headers,
        content_type=content_type,
        report_type=params.get("report-type", "").lower(),
        subject=_SPACES.sub(" ", headers.get("subject")),
        sender_name=name,
        sender=address,
    )
    _walk(mail)
    return mail


# --- facts the rules share -----------------------------------------------------------------


def _quote(value: str, limit: int = 80) -> str:
    value = _SPACES.sub(" ", value).strip()
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")


def _label(name: str) -> str:
    return "-".join(word.capitalize() for word in name.split("-"))


def _null_return_path(mail: _Mail) -> bool:
    # RFC 5321 4.5.5: reports and automatic replies are sent with an empty
    # envelope sender, which the final delivery writes down as Return-Path: <>.
    for value in mail.headers.all("return-path"):
        bare = _COMMENT.sub("", value).strip().strip("<>").strip().lower()
        if bare in ("", "mailer-daemon"):
            return True
    return False


@dataclass(frozen=True)
class _Sender:
    why: str  # in words, for the reason; "" for a person
    daemon: bool = False  # a mailer daemon itself, not merely a postmaster or a null sender


def _system_sender(mail: _Mail) -> _Sender:
    """Whether the sender looks like a mail server rather than a person, and why."""
    local = mail.sender.rpartition("@")[0] if "@" in mail.sender else mail.sender
    if local and _DAEMON_LOCAL.match(local):
        return _Sender(f"sender {mail.sender}", daemon=True)
    if mail.sender_name and _DAEMON_NAME.match(mail.sender_name):
        return _Sender(f"sender {mail.sender_name!r}", daemon=True)
    if local and _POSTMASTER_LOCAL.match(local):
        return _Sender(f"sender {mail.sender}")
    if mail.sender_name and _POSTMASTER_NAME.match(mail.sender_name):
        return _Sender(f"sender {mail.sender_name!r}")
    if not mail.sender:
        return _Sender("an empty From")
    if _null_return_path(mail):
        return _Sender("an empty Return-Path")
    return _Sender("")


def _ids_in(value: str) -> list[str]:
    found = _MSGID.findall(value)
    if not found:
        bare = _BARE_ID.search(value)
        found = [bare.group(0)] if bare else []
    return [v.strip() for v in found if "@" in v or len(v) > 8]


def _original_ids(mail: _Mail, *, inline: bool) -> tuple[str, ...]:
    """The Message-ID(s) of the mail a report is about, most trustworthy first."""
    own = set(_ids_in(mail.headers.get("message-id")))
    ids: dict[str, None] = {}

    def add(values: Iterable[str]) -> None:
        for value in values:
            if value and value not in own and len(ids) < _MAX_IDS:
                ids[value[:255]] = None

    for part in mail.attached:
        inner = _payload_list(part)
        if inner:
            add(_ids_in(_Headers(inner[0]).get("message-id")))
        else:
            # text/rfc822-headers, or a message/rfc822 the parser could not open.
            add(_INLINE_MSGID.findall(_part_text(part)))
    for value in mail.part_ids:
        add(_ids_in(value))
    for parts in mail.statuses.values():
        for part in parts:
            # RFC 8098 and RFC 5965 name the original in the status fields.
            text = _fields_text(part)
            add(_INLINE_MSGID.findall(text))
            add(_INLINE_BARE_MSGID.findall(text))
    if not ids and inline:
        # Text-only reports (qmail, Exim, Yahoo...) quote the original's headers.
        add(_INLINE_MSGID.findall(mail.text))
        if not ids:
            add(_INLINE_BARE_MSGID.findall(mail.text))
    if not ids:
        # Gmail, Exchange and most list servers thread the report under the
        # message it is about.
        add(_ids_in(mail.headers.get("in-reply-to")))
    return tuple(ids)


def _recipient(value: str) -> str:
    value = value.split(";", 1)[1] if ";" in value else value
    value = _COMMENT.sub("", value).strip().strip("<>").strip().lower()
    return value if "@" in value and " " not in value else ""


_FAILED = frozenset({"failed", "failure", "fail"})


@dataclass
class _Status:
    recipients: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    detail: str = ""


def _delivery_status(mail: _Mail) -> _Status:
    """Failed recipients and a short diagnosis from the RFC 3464 fields, wherever they are."""
    status = _Status()
    texts = [
        _fields_text(part) for kind in _DELIVERY_STATUS for part in mail.statuses.get(kind, [])
    ]
    if not texts and "final-recipient" in mail.text.lower():
        texts = [mail.text]  # a report sent as plain text, or with the wrong type
    for text in texts:
        for block in _BLANK_LINE.split(text):
            fields: dict[str, str] = {}
            for name, value in _FIELD.findall(block):
                fields.setdefault(name.lower(), value.strip())
            if "final-recipient" not in fields and "original-recipient" not in fields:
                continue
            words = fields.get("action", "").split()
            action = words[0].lower() if words else "failed"
            status.actions.append(action)
            if action not in _FAILED:
                continue
            # Original-Recipient is the address we wrote to, Final-Recipient
            # the one that failed after forwarding; the desk may know either.
            for key in ("original-recipient", "final-recipient"):
                address = _recipient(fields.get(key, ""))
                if address and address not in status.recipients:
                    status.recipients.append(address)
            if not status.detail:
                found = (fields.get("status", ""), fields.get("diagnostic-code", ""))
                status.detail = _decode(" ".join(v for v in found if v))
    return status


def _failed_recipients(mail: _Mail, status: _Status) -> tuple[str, ...]:
    found: dict[str, None] = dict.fromkeys(status.recipients)
    for value in mail.headers.all("x-failed-recipients"):
        try:
            pairs = getaddresses([value])
        except Exception:
            pairs = []
        for _, address in pairs:
            if "@" in address:
                found[address.strip().lower()] = None
    if not found and not status.actions:
        # A non-standard report: read the addresses the way its server writes them.
        text = mail.text
        copy = _COPY_MARKER.search(text)
        head = text[: copy.start()] if copy else text[:_MAX_HEAD_TEXT]
        addresses = _TEXT_RECIPIENT.findall(head)
        if not addresses:
            for intro in _RECIPIENT_INTRO.finditer(head):
                listed = _RECIPIENT_LIST.match(head[intro.end() :])
                if listed:
                    addresses.extend(_ADDRESS.findall(listed.group(1)))
                if addresses:
                    break
        for address in addresses:
            address = address.strip(".").lower()
            if _ADDRESS.fullmatch(address) and address != mail.sender:
                found[address] = None
    return tuple(list(found)[:_MAX_IDS])


def _bounce(mail: _Mail, reason: str) -> Noise:
    status = _delivery_status(mail)
    actions = set(status.actions)
    if actions and actions <= {"delivered", "relayed", "expanded"}:
        # A positive DSN: nothing failed, so it must not be recorded as a bounce.
        return _report(mail, f"{reason}; delivered, nothing failed")
    delayed = "delayed" in actions and not actions & _FAILED
    if delayed:
        reason += "; delivery delayed, not failed yet"
    if status.detail:
        reason += f"; status {_quote(status.detail, 160)}"
    return Noise(
        NoiseKind.BOUNCE,
        reason,
        original_message_ids=_original_ids(mail, inline=True),
        failed_recipients=_failed_recipients(mail, status),
        delayed=delayed,
    )


def _report(mail: _Mail, reason: str) -> Noise:
    ids = _original_ids(mail, inline=False)
    return Noise(NoiseKind.OTHER_REPORT, reason, original_message_ids=ids)


# --- rules, most certain first -------------------------------------------------------------


def _from_ourselves(mail: _Mail, own: frozenset[str]) -> Noise | None:
    if mail.sender and mail.sender in own:
        return Noise(NoiseKind.AUTO_REPLY, "from our own address")
    return None


def _report_structure(mail: _Mail, own: frozenset[str]) -> Noise | None:
    is_report = mail.content_type == "multipart/report"
    report_type = mail.report_type if is_report else ""
    described = f"multipart/report; report-type={report_type}" if report_type else ""

    def where(kind: str) -> str:
        if described:
            return described
        if mail.content_type in mail.statuses:
            return f"a bare {mail.content_type}"
        return f"{mail.content_type} with a {kind} part"

    # The parts say what a report is: report-type is sometimes missing or wrong.
    if mail.has_status(_DELIVERY_STATUS):
        return _bounce(mail, f"delivery status notification ({where('delivery-status')})")
    if mail.has_status(_DISPOSITION):
        return _report(mail, f"read receipt ({where('disposition-notification')})")
    if mail.has_status(_FEEDBACK):
        return _report(mail, f"feedback report, ARF ({where('feedback-report')})")
    if not is_report:
        return None
    if report_type == "delivery-status":
        return _bounce(mail, f"delivery status notification ({described})")
    if report_type in ("disposition-notification", "feedback-report"):
        return _report(mail, f"machine report ({described})")
    if _system_sender(mail).why or _BOUNCE_SUBJECT.search(mail.subject):
        return _bounce(mail, f"delivery report ({described or 'multipart/report'})")
    return _report(mail, f"machine report ({described or 'multipart/report'})")


def _failed_header(mail: _Mail, own: frozenset[str]) -> Noise | None:
    # Exim's header; only a mail server writes it.
    values = [v for v in mail.headers.all("x-failed-recipients") if v]
    if values:
        return _bounce(mail, f"X-Failed-Recipients: {_quote(', '.join(values))}")
    return None


_SES_KINDS = {
    "bounce": NoiseKind.BOUNCE,
    "complaint": NoiseKind.OTHER_REPORT,
    "delivery": NoiseKind.OTHER_REPORT,
}
# SNS wraps long lines inside the JSON strings; strict=False accepts them.
_JSON = json.JSONDecoder(strict=False)


def _amazon_ses(mail: _Mail, own: frozenset[str]) -> Noise | None:
    # SES reports bounces and complaints as JSON inside an SNS notification mail;
    # other SNS topics (alarms...) may well be requests, so only these count.
    if not mail.headers.has("x-amz-sns-message-id"):
        return None
    text = mail.text.lstrip()
    if not text.startswith("{"):
        return None
    try:
        data, _ = _JSON.raw_decode(text)
        if isinstance(data, dict) and isinstance(data.get("Message"), str):
            # Without "raw message delivery" SNS wraps the SES document in its own.
            data, _ = _JSON.raw_decode(data["Message"].strip())
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    kind = _SES_KINDS.get(str(data.get("notificationType", "")).lower())
    if kind is None:
        return None
    ids: list[str] = []
    common = data.get("mail", {})
    common = common.get("commonHeaders", {}) if isinstance(common, dict) else {}
    if isinstance(common, dict) and isinstance(common.get("messageId"), str):
        ids = _ids_in(common["messageId"])
    recipients: list[str] = []
    bounce = data.get("bounce", {})
    if isinstance(bounce, dict) and isinstance(bounce.get("bouncedRecipients"), list):
        for entry in bounce["bouncedRecipients"]:
            if isinstance(entry, dict) and "@" in str(entry.get("emailAddress", "")):
                recipients.append(str(entry["emailAddress"]).strip().lower())
    reason = f"Amazon SES {data['notificationType']} notification (X-Amz-SNS-Message-Id)"
    return Noise(kind, reason, tuple(ids), tuple(recipients) if kind is NoiseKind.BOUNCE else ())


def _hotmail_complaint(mail: _Mail, own: frozenset[str]) -> Noise | None:
    # Hotmail's Junk Mail Reporting Program attaches the reported message, with a
    # header only it adds, to a plain multipart/mixed.
    for part in mail.attached:
        inner = _payload_list(part)
        if inner and _Headers(inner[0]).has("x-hmxmroriginalrecipient"):
            return _report(mail, "complaint report (Hotmail JMRP, X-HmXmrOriginalRecipient)")
    return None


def _list_server_error(mail: _Mail, own: frozenset[str]) -> Noise | None:
    # fml answers a rejected post from the list's admin address; the posts it
    # relays carry the same X-MLServer header but come From their authors.
    server = mail.headers.get("x-mlserver")
    if server and mail.sender and _LIST_ADMIN.search(mail.sender):
        return _bounce(mail, f"mailing list server error ({_quote(server, 40)} from {mail.sender})")
    return None


def _system_bounce(mail: _Mail, own: frozenset[str]) -> Noise | None:
    sender = _system_sender(mail)
    automatic = mail.headers.get("auto-submitted").lower()
    if not sender.why and automatic and not automatic.startswith("no"):
        sender = _Sender(f"Auto-Submitted: {automatic}")
    subject = "" if _REPLY_PREFIX.match(mail.subject) else mail.subject
    if not sender.why:
        # A no-reply address is a machine too, but a shop's notification may say
        # "could not be delivered" about a parcel: ask for every other signal.
        if (
            _NOREPLY_LOCAL.match(mail.sender)
            and mail.attached
            and _BOUNCE_SUBJECT.search(subject)
            and _BOUNCE_TEXT.search(mail.head_text)
        ):
            return _bounce(
                mail,
                f"no-reply sender {mail.sender} with a bounce subject {_quote(mail.subject)}, "
                "a bounce text and the returned message attached",
            )
        return None
    if _BOUNCE_SUBJECT.search(subject):
        return _bounce(mail, f"{sender.why} with a bounce subject {_quote(mail.subject)}")
    found = _BOUNCE_TEXT.search(mail.head_text)
    if found is None:
        return None
    # People answer from postmaster mailboxes and quote error codes; a report
    # from one must also carry the returned message or a transcript.
    if sender.daemon or mail.attached or _RETURNED_COPY.search(mail.text):
        return _bounce(mail, f"{sender.why} with a bounce text {_quote(found.group(0).strip())}")
    return None


def _our_own_mail(mail: _Mail, own: frozenset[str]) -> Noise | None:
    # Our notifications carry X-Deskwise-Ticket; one that arrives with it in its
    # own headers (not inside an attached message) was sent back by a rule.
    value = mail.headers.get("x-deskwise-ticket")
    if value:
        return Noise(NoiseKind.AUTO_REPLY, f"our own mail came back (X-Deskwise-Ticket: {value})")
    return None


def _auto_reply_headers(mail: _Mail, own: frozenset[str]) -> Noise | None:
    headers = mail.headers
    automatic = headers.get("auto-submitted")
    if automatic and not automatic.lower().startswith("no"):
        return Noise(NoiseKind.AUTO_REPLY, f"Auto-Submitted: {_quote(automatic, 60)}")
    for name in _AUTO_REPLY_HEADERS:
        if headers.has(name):
            value = headers.get(name)
            if value.lower() not in ("no", "false", "0"):
                return Noise(NoiseKind.AUTO_REPLY, f"{_label(name)}: {_quote(value, 40)}")
    suppress = headers.get("x-auto-response-suppress")
    if _AUTO_RESPONSE_SUPPRESS.search(suppress):
        # Exchange sets it on the mail it generates (OOF replies, rules, NDRs);
        # it also asks us not to answer, which is what an acknowledgement does.
        return Noise(NoiseKind.AUTO_REPLY, f"X-Auto-Response-Suppress: {_quote(suppress, 60)}")
    generated = headers.get("x-autogenerated")
    if generated.lower().startswith("reply"):
        return Noise(NoiseKind.AUTO_REPLY, f"X-Autogenerated: {_quote(generated, 40)}")
    for name in ("precedence", "x-precedence"):
        value = headers.get(name)
        if _PRECEDENCE_AUTO.match(value):
            return Noise(NoiseKind.AUTO_REPLY, f"{_label(name)}: {_quote(value, 40)}")
    apple = headers.get("x-apple-action")
    if "vacation" in apple.lower():
        return Noise(NoiseKind.AUTO_REPLY, f"X-Apple-Action: {_quote(apple, 40)}")
    if headers.get("delivered-to").lower() == "autoresponder":
        return Noise(NoiseKind.AUTO_REPLY, "Delivered-To: autoresponder")
    if headers.get("x-post-messageclass").startswith("9"):
        return Noise(NoiseKind.AUTO_REPLY, "X-POST-MessageClass: 9 (auto-reply)")
    mailer = headers.get("x-mailer")
    if _VACATION_MAILER.search(mailer):
        return Noise(NoiseKind.AUTO_REPLY, f"X-Mailer of an auto-responder {_quote(mailer, 60)}")
    return None


def _auto_reply_subject(mail: _Mail, own: frozenset[str]) -> Noise | None:
    if not _AUTO_SUBJECT.match(mail.subject) or _REPLY_PREFIX.match(mail.subject):
        return None
    headers = mail.headers
    sender = _system_sender(mail)
    # Exchange marks what its inbox rules send. It is not enough alone: a rule
    # that redirects a person's mail to the desk sets it as well.
    if headers.has("x-ms-exchange-inbox-rules-loop"):
        hint = "X-MS-Exchange-Inbox-Rules-Loop"
    elif headers.has("x-ms-exchange-generated-message-source"):
        hint = "X-MS-Exchange-Generated-Message-Source"
    elif sender.why:
        hint = sender.why
    elif headers.has("in-reply-to") and ":" in mail.subject[:40]:
        # "Automatic reply: <our subject>" in answer to a mail: the shape every
        # vacation program uses and nobody types.
        hint = "In-Reply-To"
    else:
        return None
    return Noise(
        NoiseKind.AUTO_REPLY, f"automatic reply subject {_quote(mail.subject)} with {hint}"
    )


def _list_is_ours(mail: _Mail, own: frozenset[str]) -> bool:
    # A desk whose address is itself a Google Group or a Mailman list receives
    # every request with Precedence: list; that list is the desk, not bulk mail.
    posts = mail.headers.get("list-post").lower()
    list_id = mail.headers.get("list-id").lower()
    return any(
        address in posts or (list_id and address.replace("@", ".") in list_id) for address in own
    )


def _bulk(mail: _Mail, own: frozenset[str]) -> Noise | None:
    # Only what its sender marks as bulk is hidden. A person's mail that merely
    # passed through a list (List-Id or List-Unsubscribe and nothing else) stays
    # a request: team aliases and groups are how many people write to a desk,
    # and a newsletter that does not say it is bulk costs one stray ticket.
    for name in ("precedence", "x-precedence"):
        value = mail.headers.get(name)
        if _PRECEDENCE_BULK.match(value) and not _list_is_ours(mail, own):
            extra = " from a mailing list" if mail.headers.has("list-id") else ""
            return Noise(NoiseKind.BULK, f"{_label(name)}: {_quote(value, 40)}{extra}")
    return None


_Rule = Callable[[_Mail, frozenset[str]], Noise | None]
_RULES: tuple[_Rule, ...] = (
    _from_ourselves,
    _report_structure,
    _failed_header,
    _amazon_ses,
    _hotmail_complaint,
    _list_server_error,
    _system_bounce,
    _our_own_mail,
    _auto_reply_headers,
    _auto_reply_subject,
    _bulk,
)


def detect_noise(message: Message, *, own_addresses: frozenset[str] = frozenset()) -> Noise | None:
    """Why ``message`` must neither open a ticket nor be answered; None for a person's mail."""
    try:
        mail = _read(message)
    except Exception:
        _log.warning("could not read a message for noise detection", exc_info=True)
        return None
    own = frozenset(a.strip().lower() for a in own_addresses if a)
    for rule in _RULES:
        try:
            noise = rule(mail, own)
        except Exception:
            # One rule tripping over a malformed part must not silence the others.
            _log.warning("noise rule %s failed", rule.__name__, exc_info=True)
            continue
        if noise is not None:
            return noise
    return None
