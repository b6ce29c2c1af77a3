"""Raw email bytes to a :class:`ParsedMail`, whatever the bytes are.

``parse_message`` never raises: a mail that cannot be read whole is read in
part, and every repair is described in ``ParsedMail.defects``.
``html_to_text`` (readable text from an HTML body) is public too.

How it reads a mail:

* Structure comes from the standard library's ``BytesParser`` with
  ``policy.default``, in a variant that parses each distinct header once (the
  stock policy parses Content-Type again every time the feed parser asks,
  which made one 3 MB torture mail take three seconds). A header block cut
  short by a line that is no header (junk above it, a fold that lost its
  indent) is repaired and read again. If the parser raises, the mail is
  parsed again with ``policy.compat32``; MIME nested too deep for it, or with
  more boundaries than any mail has, has only its headers read and its body
  kept as text.
* Headers are decoded from their raw values rather than through the policy's
  header objects, which turn raw 8-bit bytes into U+FFFD and give up on
  malformed encoded words. Adjacent RFC 2047 words are joined before their
  charset is decoded (senders split one character across two words), words
  stuck to text are decoded, RFC 2231 parameters are reassembled, and raw
  8-bit bytes go through the same charset chain as bodies, with the charset
  the mail declares elsewhere as a hint (one subject is too short to guess).
* Charsets: the declared one, strictly; then UTF-8; then what senders of that
  label often really wrote (Windows' Japanese and Chinese supersets, and
  ISO-2022-JP with Microsoft's extensions, which Python's codec refuses); then
  the charset the rest of the mail declares; then UTF-8 with the odd
  windows-1252 byte (a UTF-8 mail with a pasted Latin-1 signature); then
  charset-normalizer's guess among the charsets mail uses; then windows-1252,
  with Latin-1 for the bytes it leaves undefined, which cannot fail. Text
  declared in a single-byte charset that is valid UTF-8 is read as UTF-8:
  real Latin-1 text almost never is. ISO-8859-1 and US-ASCII labels are read
  as windows-1252, as browsers do, because that is what senders wrote.
* The tree is walked once. multipart/alternative keeps its first text/plain
  alternative for ``text`` and its last HTML one for ``html``; other multiparts
  join their body parts in order; every other part is an attachment (the
  parts of multipart/related after its root, anything named or marked as an
  attachment, anything that is not text/plain or text/html). Walking stops at
  ``MAX_DEPTH`` levels and ``MAX_PARTS`` parts.
* Text loses NUL bytes and the control and direction-override characters the
  desk refuses elsewhere (``deskwise.core.text``), and line ends become \\n.
* A forward is recognised from the separator lines and header blocks mail
  clients write above the original, in several languages, or from a single
  attached message under a short note; bounces and reports quote mails too,
  and are never forwards.
"""

from __future__ import annotations

import binascii
import codecs
import datetime as dt
import functools
import html as html_lib
import mimetypes
import re
from dataclasses import dataclass, field
from email import policy as email_policy
from email.errors import MissingHeaderBodySeparatorDefect
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, unquote_to_bytes

import charset_normalizer

from deskwise.core.text import sanitise_html
from deskwise.mail.parsed import Address, Forwarded, ParsedAttachment, ParsedMail

MAX_DEPTH = 16  # multipart and message/rfc822 levels walked
MAX_PARTS = 500  # parts walked; the rest of a mail is skipped
MAX_HEADER = 16_384  # characters of one header value that are decoded
MAX_BODY_PART = 5_000_000  # bytes of one text part read as body; larger ones are attachments
MAX_HTML_TO_TEXT = 2_000_000  # characters of HTML converted to text
# More MIME boundaries than this is an attack, not a mail (the corpora hold 20
# at most), and the feed parser's time grows with their square.
MAX_BOUNDARIES = 200
_FORWARD_SCAN_LINES = 60  # lines at the top of a body searched for a forward
_FORWARD_NOTE_MAX = 600  # characters of note allowed above a forward
_ATTACHED_FORWARD_NOTE_MAX = 300  # body length under which one attached mail is a forward
_DETECT_MIN = 24  # bytes below which a charset guess is noise
_DETECT_MIN_HIGH = 8  # non-ASCII bytes below which a charset guess is noise
_DETECT_SAMPLE = 65_536

# ---------------------------------------------------------------------------
# Parsing with policy.default, fast


@functools.lru_cache(maxsize=4096)
def _header_object(name: str, value: str) -> Any:
    return email_policy.default.header_fetch_parse(name, value)


class _CachingPolicy(EmailPolicy):
    """policy.default, with each distinct (short) header parsed once.

    Header objects are immutable, so sharing them between messages is safe.
    """

    def header_fetch_parse(self, name: str, value: str) -> Any:
        if hasattr(value, "name"):
            return value
        if len(value) > 2048:  # keep the cache small; long headers are rare
            return email_policy.default.header_fetch_parse(name, value)
        return _header_object(name, value)


_POLICY = _CachingPolicy()
# For .eml attachments: write headers back exactly as they came.
_WRITE_POLICY = _POLICY.clone(refold_source="none")


def _parse_bytes(raw: bytes, defects: _Defects) -> Message:
    if raw.count(b"oundary") > MAX_BOUNDARIES:
        defects.add("too many MIME boundaries: only the headers were read")
        return _parse_headers_only(raw, defects)
    try:
        message = BytesParser(policy=_POLICY).parsebytes(raw)
        if any(isinstance(d, MissingHeaderBodySeparatorDefect) for d in message.defects):
            return _with_repaired_headers(raw, message, defects)
        return message
    except RecursionError:
        # compat32 walks the same nesting: it would fail the same way.
        defects.add("MIME nested too deep to parse: only the headers were read")
        return _parse_headers_only(raw, defects)
    except Exception as exc:
        defects.add(f"the standard parser failed ({type(exc).__name__}); read with compat32")
    try:
        return BytesParser(policy=email_policy.compat32).parsebytes(raw)
    except Exception as exc:
        defects.add(f"the compat32 parser failed ({type(exc).__name__}); headers only")
    return _parse_headers_only(raw, defects)


_HEADER_START = re.compile(rb"^[!-9;-~]+[ \t]*:")
_KNOWN_HEADER = re.compile(
    rb"^(?:from|to|cc|subject|date|received|message-id|mime-version|content-type|return-path"
    rb"|reply-to|delivered-to|x-[!-9;-~]+)[ \t]*:",
    re.I,
)
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")


def _with_repaired_headers(raw: bytes, message: Message, defects: _Defects) -> Message:
    """Read again a mail whose header block was cut short by a line that is no header.

    Two breakages are common: junk above the headers ("---- Original email
    message ----"), and folded lines that lost their indent. Either way more
    headers follow the bad line, so the line is dropped or re-indented.
    A body that simply starts without a blank line has no headers after it.
    """
    end = _BLANK_LINE.search(raw, 0, 262_144)
    if end is None:
        return message
    lines = raw[: end.start()].split(b"\n")
    out: list[bytes] = []
    changed = False
    for index, line in enumerate(lines):
        if _HEADER_START.match(line) or line[:1] in (b" ", b"\t") or line.startswith(b"From "):
            out.append(line)
            continue
        following = lines[index + 1 : index + 40]
        if sum(1 for later in following if _KNOWN_HEADER.match(later)) < 2:
            return message
        changed = True
        if out:
            out.append(b" " + line)
    if not changed:
        return message
    repaired = BytesParser(policy=_POLICY).parsebytes(b"\n".join(out) + raw[end.start() :])
    if len(repaired) <= len(message):
        return message
    defects.add("header block repaired (a line in it was no header)")
    return repaired


def _parse_headers_only(raw: bytes, defects: _Defects) -> Message:
    try:
        return BytesParser(policy=_POLICY).parsebytes(raw, headersonly=True)
    except Exception as exc:
        defects.add(f"even the headers could not be read ({type(exc).__name__})")
    message = EmailMessage()
    message.set_payload(raw.decode("ascii", "surrogateescape"))
    return message


# ---------------------------------------------------------------------------
# Defects


class _Defects:
    """An ordered set of repairs, in words."""

    def __init__(self) -> None:
        self._seen: dict[str, None] = {}

    def add(self, text: str) -> None:
        if len(self._seen) < 100:
            self._seen.setdefault(text, None)

    def from_part(self, part: Message) -> None:
        for defect in getattr(part, "defects", ()):
            self.add(_defect_words(type(defect).__name__))

    def as_list(self) -> list[str]:
        return list(self._seen)


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@functools.lru_cache(maxsize=64)
def _defect_words(class_name: str) -> str:
    # "StartBoundaryNotFoundDefect" -> "MIME: start boundary not found"
    name = class_name.removesuffix("Defect")
    return "MIME: " + _CAMEL.sub(" ", name).lower()


# ---------------------------------------------------------------------------
# Text cleaning

# What deskwise.core.text refuses in free text: C0 controls but tab and line
# feed, DEL, C1 controls, bidirectional overrides, lone surrogates; and the
# byte order mark, which only ever shows up as an invisible first character.
_BODY_JUNK = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufeff]"
)
_LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029]+")
_NEWLINES = re.compile(r"\r\n?")


def _clean_text(text: str) -> str:
    return _BODY_JUNK.sub("", _NEWLINES.sub("\n", text))


def _clean_line(text: str) -> str:
    return _BODY_JUNK.sub("", _LINE_BREAKS.sub(" ", text)).strip()


# ---------------------------------------------------------------------------
# Charsets

_ALIASES = {
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    # Labels whose senders really wrote windows-1252 (what browsers assume).
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "ansi_x3.4-1968": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    # Supersets, as mail clients on Windows write them.
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-cn": "gb18030",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "big5": "big5hkscs",
    "iso-8859-8-i": "iso-8859-8",
    "windows-874": "cp874",
    "tis-620": "cp874",
    "macintosh": "mac-roman",
    "x-mac-roman": "mac-roman",
}
# Labels that say nothing about the bytes.
_NO_CHARSET = frozenset(
    {
        "",
        "unknown",
        "unknown-8bit",
        "x-unknown",
        "x-user-defined",
        "default",
        "none",
        "charset",
        "8bit",
        "7bit",
        "binary",
        "us",
        "x-binaryenc",
    }
)
# Codecs for which any byte string decodes, so a wrong label never fails.
_SINGLE_BYTE = re.compile(r"^(cp125\d|iso8859-\d+|latin-1|koi8-\w|mac-\w+|cp4\d\d|cp8\d\d)$")
# Codecs whose text is ASCII bytes, so ASCII data still needs decoding.
_SEVEN_BIT = re.compile(r"^(utf-7|iso2022.*|hz|utf-16.*|utf-32.*)$")
_DETECT_AMONG = [
    "cp1252",
    "iso8859_15",
    "cp1250",
    "iso8859_2",
    "cp1251",
    "koi8_r",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1256",
    "cp1257",
    "cp874",
    "cp932",
    "euc_jp",
    "gb18030",
    "big5",
    "cp949",
]
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_HIGH_BYTES = bytes(range(128, 256))


_LABEL_JUNK = re.compile(r"[\s*;]")


@functools.lru_cache(maxsize=256)
def _codec(label: str) -> str | None:
    """The Python codec for a MIME charset label, or None when it names none."""
    name = label.strip().strip("\"'").strip().lower()
    if name in _NO_CHARSET:
        return None
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        # "windows-1252 " with junk, "utf-8*en" (RFC 2231 language), "x-utf8".
        for part in _LABEL_JUNK.split(name):
            if part and part != name:
                return _codec(part)
        if "utf" in name and "8" in name:
            return "utf-8"
        return None


def _as_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Error handler: read undecodable bytes as windows-1252, or Latin-1 where it has none."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start : error.end]
    try:
        return chunk.decode("cp1252"), error.end
    except UnicodeDecodeError:
        return chunk.decode("latin-1"), error.end


codecs.register_error("deskwise.cp1252", _as_cp1252)


def _high_bytes(data: bytes) -> int:
    return len(data) - len(data.translate(None, _HIGH_BYTES))


def _mostly_utf8(data: bytes) -> bool:
    in_utf8 = sum(len(seq) for seq in _UTF8_SEQUENCE.findall(data))
    return in_utf8 > 0 and in_utf8 >= 0.6 * _high_bytes(data)


def _guess_codec(data: bytes) -> str | None:
    """charset-normalizer's pick among the charsets mail uses, when there is enough to go on."""
    if len(data) < _DETECT_MIN or _high_bytes(data[:_DETECT_SAMPLE]) < _DETECT_MIN_HIGH:
        return None
    try:
        best = charset_normalizer.from_bytes(
            data[:_DETECT_SAMPLE], cp_isolation=_DETECT_AMONG
        ).best()
    except Exception:  # the detector is a heuristic: any failure just means "no guess"
        return None
    return best.encoding if best is not None else None


# What a label's senders often wrote instead: Windows' variants of Japanese,
# Chinese in the other script's charset.
_RELATED_CODECS = {
    "iso2022_jp": ("iso2022-jp-ms", "cp932", "euc_jp"),
    "iso2022_jp_2": ("iso2022-jp-ms", "cp932", "euc_jp"),
    "euc_jp": ("cp932",),
    "cp932": ("euc_jp",),
    "gb18030": ("big5hkscs",),
    "big5hkscs": ("gb18030",),
}
_JIS_ESCAPE = re.compile(rb"\x1b(\$[@B]|\([BJI])")


def _iso2022jp_ms(data: bytes) -> str:
    """ISO-2022-JP with Microsoft's extensions (circled digits, NEC and IBM rows).

    Python's codec refuses them, and Japanese mail is full of them: the
    JIS X 0208 pairs are shifted to Shift_JIS bytes and read as cp932.
    """
    out = bytearray()
    mode = b"(B"
    position = 0
    for match in [*_JIS_ESCAPE.finditer(data), None]:
        chunk = data[position : match.start() if match else len(data)]
        if mode in (b"$B", b"$@"):
            index = 0
            while index < len(chunk):
                first = chunk[index]
                second = chunk[index + 1] if index + 1 < len(chunk) else 0
                if not (0x21 <= first <= 0x7E and 0x21 <= second <= 0x7E):
                    out.append(first)  # a line end inside the mode: pass it on
                    index += 1
                    continue
                lead = ((first + 1) >> 1) + (0x70 if first <= 0x5E else 0xB0)
                trail = second + (0x1F if first & 1 else 0x7E)
                if first & 1 and trail >= 0x7F:
                    trail += 1
                out.extend((lead, trail))
                index += 2
        elif mode == b"(I":
            out.extend(byte + 0x80 if 0x21 <= byte <= 0x5F else byte for byte in chunk)
        else:
            out.extend(chunk)
        if match is None:
            break
        mode = match.group(1)
        position = match.end()
    return out.decode("cp932")


def _strict(data: bytes, codec: str) -> str | None:
    try:
        if codec == "iso2022-jp-ms":
            return _iso2022jp_ms(data)
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _decode(data: bytes, label: str | None, hint: str | None = None) -> tuple[str, str]:
    """Bytes to text, and what went wrong in words ("" when nothing did).

    ``label`` is the charset the data declares; ``hint`` one declared
    elsewhere in the same mail, tried when the label is missing or wrong.
    """
    if not data:
        return "", ""
    codec = _codec(label) if label else None
    seven_bit = codec is not None and bool(_SEVEN_BIT.match(codec))
    if data.isascii() and not seven_bit:
        return data.decode("ascii"), ""
    problem = ""
    if codec:
        # Valid UTF-8 under another label is UTF-8: real text in a legacy
        # charset almost never is (only very short strings can be by chance).
        if (
            not seven_bit
            and codec != "utf-8"
            and (_SINGLE_BYTE.match(codec) or _high_bytes(data) >= _DETECT_MIN_HIGH)
        ):
            text = _strict(data, "utf-8")
            if text is not None:
                if codec == "cp1252" and label and label.lower().strip() in ("us-ascii", "ascii"):
                    return text, ""  # 8-bit UTF-8 under the default label: common, not news
                return text, f"declared {label} but was UTF-8"
            if _SINGLE_BYTE.match(codec) and _mostly_utf8(data):
                # Cut short or with a stray byte, but UTF-8 all the same.
                text = data.decode("utf-8", "deskwise.cp1252")
                return text, f"declared {label} but was damaged UTF-8"
        text = _strict(data, codec)
        if text is not None:
            return text, ""
        if codec == "cp1252":  # as declared, leniently: bytes windows-1252 leaves undefined
            return data.decode("cp1252", "deskwise.cp1252"), ""
        problem = f"not valid {label}"
    elif label and label.strip().lower() not in _NO_CHARSET:
        problem = f"unknown charset {label.strip()[:40]!r}"
    how = f"{problem}; " if problem else ""
    candidates: list[str] = [*_RELATED_CODECS.get(codec or "", ())]
    # ASCII data under a 7-bit label that failed: UTF-8 would only strip the escapes.
    candidates.insert(len(candidates) if data.isascii() else 0, "utf-8")
    hinted = _codec(hint) if hint else None
    if hinted and hinted != codec:
        candidates += [hinted, *_RELATED_CODECS.get(hinted, ())]
    for candidate in dict.fromkeys(candidates):
        text = _strict(data, candidate)
        if text is not None:
            return text, (how + f"read as {candidate}") if candidate != "utf-8" else problem
    if _mostly_utf8(data):
        return data.decode("utf-8", "deskwise.cp1252"), how + "mixed UTF-8 and windows-1252"
    guessed = _guess_codec(data)
    if guessed:
        text = _strict(data, guessed)
        if text is not None:
            return text, how + f"charset guessed as {guessed}"
    return data.decode("cp1252", "deskwise.cp1252"), how + "read as windows-1252"


def _raw_bytes(value: str) -> bytes:
    # The parser keeps 8-bit header bytes as surrogate escapes.
    return value.encode("utf-8", "surrogateescape")


def _decode_raw(value: str, hint: str | None) -> str:
    """A raw header fragment that may hold 8-bit bytes, as text."""
    if value.isascii():
        return value
    return _decode(_raw_bytes(value), hint)[0]


# ---------------------------------------------------------------------------
# Headers

_FOLD = re.compile(r"\r?\n(?=[ \t])")
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,64})\?([bBqQ])\?([^?]*)\?=")
_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/]")


def _unfold(value: str) -> str:
    return _FOLD.sub("", value).replace("\r", "").replace("\n", "")


def _word_bytes(encoding: str, payload: str) -> bytes:
    if encoding in "bB":
        chars = _NOT_BASE64.sub("", payload)
        if len(chars) % 4 == 1:  # a lone trailing character carries no byte
            chars = chars[:-1]
        chars += "=" * (-len(chars) % 4)
        try:
            return binascii.a2b_base64(chars)
        except binascii.Error:
            return b""
    return binascii.a2b_qp(_raw_bytes(payload), header=True)


def _decode_words(value: str, hint: str | None = None) -> str:
    """RFC 2047 encoded words and raw 8-bit bytes in a header value, as text.

    Tolerant where senders are sloppy: words glued to text, spaces inside
    words, one character split over two words, unknown charsets.
    """
    if "=?" not in value:
        return _decode_raw(value, hint)
    pieces: list[str] = []
    pending: tuple[str, bytearray] | None = None  # adjacent words of one charset
    position = 0
    for match in _ENCODED_WORD.finditer(value):
        between = value[position : match.start()]
        if between and not (pending and between.isspace()):
            if pending:
                pieces.append(_decode(bytes(pending[1]), pending[0], hint)[0])
                pending = None
            pieces.append(_decode_raw(between, hint))
        charset, encoding, payload = match.groups()
        data = _word_bytes(encoding, payload)
        if pending and pending[0].lower() == charset.lower():
            pending[1].extend(data)
        else:
            if pending:
                pieces.append(_decode(bytes(pending[1]), pending[0], hint)[0])
            pending = (charset, bytearray(data))
        position = match.end()
    if pending:
        pieces.append(_decode(bytes(pending[1]), pending[0], hint)[0])
    pieces.append(_decode_raw(value[position:], hint))
    return "".join(pieces)


def _raw_headers(part: Message, name: str) -> list[str]:
    wanted = name.lower()
    return [
        value if isinstance(value, str) else str(value)
        for key, value in part.raw_items()
        if key.lower() == wanted
    ]


def _raw_header(part: Message, name: str) -> str:
    """The first raw value of a header, as the sender wrote it ("" when absent)."""
    wanted = name.lower()
    for key, value in part.raw_items():
        if key.lower() == wanted:
            return value if isinstance(value, str) else str(value)
    return ""


_HINT_HEADERS = ("Subject", "From", "To", "Cc", "Reply-To", "Sender")


def _usable_hint(label: str | None) -> str | None:
    # UTF-8 is tried first anyway, so only another charset is worth passing on.
    codec = _codec(label) if label else None
    return label if codec and codec != "utf-8" else None


def _header_hint(message: Message) -> str | None:
    """The charset a mail's raw 8-bit headers are most likely in.

    The charset of its encoded words, else a guess over all its raw 8-bit
    header bytes together (one subject alone is too short to guess from).
    """
    raws = [_raw_header(message, name)[:MAX_HEADER] for name in _HINT_HEADERS]
    for raw in raws:
        if "=?" in raw:
            for match in _ENCODED_WORD.finditer(raw):
                if hint := _usable_hint(match.group(1)):
                    return hint
    sample = b" ".join(_raw_bytes(raw) for raw in raws if not raw.isascii())
    if sample and _strict(sample, "utf-8") is None:
        return _guess_codec(sample)
    return None


def _header_line(part: Message, name: str, hint: str | None, defects: _Defects) -> str:
    raw = _raw_header(part, name)
    if not raw:
        return ""
    if len(raw) > MAX_HEADER:
        defects.add(f"{name} header cut at {MAX_HEADER:,} characters")
        raw = raw[:MAX_HEADER]
    return _clean_line(_decode_words(_unfold(raw), hint))


_SPACES = re.compile(r"\s+")
_BRACKETS = re.compile(r"[<>\[\]()]")
_EMAIL = re.compile(r"[^\s<>()\[\]\"',;:@]+@[^\s<>()\[\]\"',;:@]+")
_PLAIN_EMAIL = re.compile(r"^[^\s@<>]+@[^\s@<>]+$")


def _clean_email(value: str, hint: str | None) -> str:
    email = _clean_line(_decode_raw(value, hint)).strip("<>\"' ").removeprefix("mailto:")
    email = email.rstrip(".").lower()
    return email if _PLAIN_EMAIL.match(email) else ""


def _clean_name(value: str, hint: str | None, email: str) -> str:
    name = _clean_line(_decode_words(value, hint))
    for quote in ('"', "'"):
        if len(name) > 1 and name[0] == quote and name[-1] == quote:
            name = name[1:-1].strip()
    if name.lower() in (email, f"<{email}>"):
        return ""
    return name


def _address_pairs(raw: str, hint: str | None) -> list[Address]:
    """Every address of an address header; email is "" where only a name was given."""
    value = _unfold(raw)[:MAX_HEADER]
    if not value.strip():
        return []
    if not any(c in value for c in '<,;"'):
        found_emails = _EMAIL.findall(value)
        if len(found_emails) == 1 and (email := _clean_email(found_emails[0], hint)):
            # "Name name@example.com", "name@example.com (Name)": no brackets,
            # but the words around the one address are a name.
            name = _BRACKETS.sub(" ", value.replace(found_emails[0], " "))
            return [Address(_clean_name(_SPACES.sub(" ", name).strip(), hint, email), email)]
    try:
        pairs = getaddresses([value])
        if not any("@" in email for _, email in pairs):
            pairs = getaddresses([value], strict=False)
    except Exception:  # the address parser is old code; junk can trip it
        pairs = []
    found: list[Address] = []
    for name, email in pairs:
        clean = _clean_email(email, hint)
        if not clean and "@" not in email:
            # "Mail Delivery Subsystem <MAILER-DAEMON>": a name, no address.
            name = name or email
        found.append(Address(_clean_name(name, hint, clean), clean))
    if not any(a.email for a in found):
        found.extend(Address("", e) for m in _EMAIL.findall(value) if (e := _clean_email(m, hint)))
    return [a for a in found if a.email or a.name]


def _addresses(part: Message, name: str, hint: str | None) -> list[Address]:
    seen: set[str] = set()
    result = []
    for address in _address_pairs(_raw_header(part, name), hint):
        if address.email and address.email not in seen:
            seen.add(address.email)
            result.append(address)
    return result


def _sender(part: Message, hint: str | None, defects: _Defects) -> Address:
    named = ""
    for header in ("From", "Sender", "Return-Path"):
        values = _raw_headers(part, header)
        addresses = [a for value in values for a in _address_pairs(value, hint)]
        for address in addresses:
            if address.email:
                if header != "From":
                    defects.add(f"no usable From address; used {header}")
                return Address(address.name or named, address.email)
            named = named or address.name
    if _raw_header(part, "From"):
        defects.add("no usable From address")
    return Address(named, "")


_BRACKETED_ID = re.compile(r"<\s*([^<>]*?)\s*>")
_ID_SPLIT = re.compile(r"[\s,;]+")


def _ids(raw: str) -> list[str]:
    """Message ids in a header, without angle brackets, tolerant of junk."""
    value = _clean_line(_decode_raw(_unfold(raw)[:MAX_HEADER], None))
    if not value:
        return []
    found = _BRACKETED_ID.findall(value)
    if not found:
        tokens = [t.strip("\"'()") for t in _ID_SPLIT.split(value)]
        tokens = [t for t in tokens if t]
        found = tokens if len(tokens) == 1 else [t for t in tokens if "@" in t]
    ids = (_SPACES.sub("", i)[:998] for i in found)
    return list(dict.fromkeys(i for i in ids if i))


def _date(part: Message, defects: _Defects) -> dt.datetime | None:
    value = _clean_line(_decode_raw(_unfold(_raw_header(part, "Date"))[:500], None))
    if not value:
        return None
    date = _parse_date(value)
    if date is None:
        defects.add(f"Date header unreadable: {value[:60]!r}")
    return date


_ENGLISH_DATES = (
    "%a, %b %d, %Y at %I:%M %p",  # Gmail: "Mon, Mar 2, 2020 at 10:15 AM"
    "%A, %B %d, %Y %I:%M %p",  # Outlook: "Monday, March 2, 2020 10:15 AM"
    "%A, %B %d, %Y %I:%M:%S %p",
    "%d %B %Y %H:%M",
    "%B %d, %Y at %I:%M:%S %p %Z",  # Apple Mail: "March 2, 2020 at 10:15:00 AM GMT+1"
    "%B %d, %Y at %I:%M %p",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
)


def _parse_date(value: str, *, loose: bool = False) -> dt.datetime | None:
    """An aware datetime from an RFC 5322 date (or, loosely, a client's), else None."""
    try:
        date = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        date = None
    if date is None:
        try:
            date = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            date = None
    if date is None and loose:
        text = _SPACES.sub(" ", value.replace("\u202f", " ")).strip()
        for form in _ENGLISH_DATES:
            try:
                date = dt.datetime.strptime(text, form)
                break
            except ValueError:
                continue
    if date is None or not 1970 <= date.year <= 2200:
        return None
    # No zone given (or "-0000"): read as UTC so the value is always aware.
    return date if date.tzinfo else date.replace(tzinfo=dt.UTC)


# ---------------------------------------------------------------------------
# MIME parameters (Content-Type, Content-Disposition)

_PARAM = re.compile(r';\s*([^\s=;"]+)\s*=\s*("(?:[^"\\]|\\.)*(?:"|$)|[^;]*)', re.S)
_QUOTED_PAIR = re.compile(r"\\(.)", re.S)


def _params(raw: str, hint: str | None) -> dict[str, str]:
    """Decoded parameters of a MIME header, RFC 2231 continuations joined."""
    value = _unfold(raw)[:MAX_HEADER]
    simple: dict[str, str] = {}
    pieces: dict[str, list[tuple[int, bool, str]]] = {}
    for match in _PARAM.finditer(value):
        key, val = match.group(1).lower(), match.group(2).strip()
        if val.startswith('"'):
            val = _QUOTED_PAIR.sub(r"\1", val[1:].removesuffix('"'))
        if "*" in key:
            name, _, rest = key.partition("*")
            number = rest.rstrip("*")
            index = int(number) if number.isdigit() else 0
            pieces.setdefault(name, []).append((index, key.endswith("*"), val))
        else:
            simple.setdefault(key, val)
    result = {key: _decode_words(val, hint) for key, val in simple.items()}
    for name, parts in pieces.items():
        decoded = _rfc2231(sorted(parts, key=lambda p: p[0]), hint)
        if decoded:
            result[name] = decoded
    return result


def _rfc2231(parts: list[tuple[int, bool, str]], hint: str | None) -> str:
    charset: str | None = None
    data = bytearray()
    for position, (_, extended, value) in enumerate(parts):
        if extended:
            if position == 0 and value.count("'") >= 2:
                charset, _, value = value.split("'", 2)
            data.extend(unquote_to_bytes(_raw_bytes(value)))
        else:
            data.extend(_raw_bytes(value))
    text = _decode(bytes(data), charset, hint)[0]
    return _decode_words(text, hint) if "=?" in text else text


# ---------------------------------------------------------------------------
# HTML to text


_BLANK_LINES = re.compile(r"\n{3,}")


class _HtmlToText(HTMLParser):
    """Readable plain text from HTML: paragraphs, line breaks, lists, links, quotes."""

    _PARAGRAPH = frozenset(
        {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "hr", "pre"}
        | {"address", "fieldset", "form", "figure", "blockquote"}
    )
    _LINE = frozenset(
        {"div", "tr", "li", "dt", "dd", "section", "article", "header", "footer", "nav"}
        | {"aside", "main", "caption", "center", "figcaption", "tbody", "thead", "tfoot"}
    )
    _SKIP = frozenset({"script", "style", "head", "title", "template", "noscript", "xml", "svg"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._out: list[str] = []
        self._newlines = 0  # line breaks waiting for the next text
        self._gap_quote = 0  # quote depth where those breaks began (blank lines take it)
        self._space = False  # a space waiting for the next text
        self._line_start = True
        self._skip = 0
        self._pre = 0
        self._quote = 0
        self._links: list[tuple[str, int]] = []
        self._lists: list[list[int]] = []  # [ordered, counter] per open list
        self._cells = 0

    def text(self) -> str:
        lines = "".join(self._out).replace("\xa0", " ").split("\n")
        text = "\n".join(line.rstrip() for line in lines)
        return _BLANK_LINES.sub("\n\n", text).strip()

    def _break(self, count: int) -> None:
        if self._out:
            if not self._newlines:
                self._gap_quote = self._quote
            self._newlines = max(self._newlines, count)

    def _write(self, text: str) -> None:
        if self._newlines and self._out:
            prefix = ">" * min(self._gap_quote, self._quote)
            for _ in range(self._newlines - 1):
                self._out.append("\n" + prefix)
            self._out.append("\n")
            self._line_start = True
        elif self._space and not self._line_start:
            self._out.append(" ")
        self._newlines = 0
        self._space = False
        if self._line_start and self._quote:
            self._out.append("> " * self._quote)
        self._out.append(text)
        self._line_start = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
            return
        if tag == "body":
            self._skip = 0  # an unclosed <head> ends here
        if self._skip:
            return
        if tag == "br":
            if self._out:
                self._break(min(self._newlines + 1, 2))
        elif tag in self._PARAGRAPH:
            self._break(2)
            if tag == "blockquote":
                self._quote += 1
            elif tag == "pre":
                self._pre += 1
            elif tag in ("ul", "ol"):
                self._lists.append([tag == "ol", 0])
        elif tag in self._LINE:
            self._break(1)
            if tag == "tr":
                self._cells = 0
            elif tag == "li":
                if self._lists and self._lists[-1][0]:
                    self._lists[-1][1] += 1
                    self._write(f"{self._lists[-1][1]}.")
                else:
                    self._write("-")
                self._space = True
        elif tag in ("td", "th"):
            if self._cells:
                self._space = True
            self._cells += 1
        elif tag == "a":
            href = next((v for k, v in attrs if k == "href" and v), "")
            self._links.append((href.strip(), len(self._out)))

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if self._skip:
            return
        if tag in self._PARAGRAPH:
            if tag == "blockquote":
                self._quote = max(0, self._quote - 1)
            elif tag == "pre":
                self._pre = max(0, self._pre - 1)
            elif tag in ("ul", "ol") and self._lists:
                self._lists.pop()
            self._break(2)
        elif tag in self._LINE:
            self._break(1)
        elif tag == "a" and self._links:
            href, start = self._links.pop()
            shown = _link_target(href)
            label = "".join(self._out[start:]).strip()
            if shown and label and _link_key(shown) not in _link_key(label):
                self._out.append(f" ({shown})")

    def handle_data(self, data: str) -> None:
        if self._skip or not data:
            return
        if self._pre:
            for number, line in enumerate(data.split("\n")):
                if number:
                    self._break(min(self._newlines + 1, 2))
                if line:
                    self._write(line)
            return
        words = data.split()
        if not words:
            self._space = True
            return
        if data[0].isspace():
            self._space = True
        self._write(" ".join(words))
        self._space = data[-1].isspace()


def _link_target(href: str) -> str:
    if not href or href.startswith("#"):
        return ""
    lower = href.lower()
    if lower.startswith(("javascript:", "cid:", "data:", "file:", "vbscript:")):
        return ""
    if lower.startswith("mailto:"):
        return unquote(href[7:].split("?", 1)[0])
    return href


def _link_key(value: str) -> str:
    key = value.lower().strip().rstrip("/")
    for prefix in ("mailto:", "https://", "http://", "www."):
        key = key.removeprefix(prefix)
    return key


_TAG = re.compile(r"<[^>]*>")
_HEAD = re.compile(r"<head\b.*?</head\s*>|<title\b.*?</title\s*>", re.I | re.S)


def html_to_text(html: str) -> str:
    """Readable plain text for an HTML body (also used to compare bodies in tests)."""
    if len(html) > MAX_HTML_TO_TEXT:
        html = html[:MAX_HTML_TO_TEXT]
    parser = _HtmlToText()
    try:
        parser.feed(html)
        parser.close()
        return parser.text()
    except Exception:  # HTMLParser has asserted on malformed markup before
        return html_lib.unescape(_TAG.sub(" ", html)).strip()


def _plain_to_html(text: str) -> str:
    return "<p>" + html_lib.escape(text).replace("\n", "<br>") + "</p>" if text.strip() else ""


# ---------------------------------------------------------------------------
# uuencode


_UU_BEGIN = re.compile(r"^begin [0-7]{3,4} (\S.*?)\s*$")
_UU_DATA = re.compile(r"^[ -`]+$")  # uuencode's alphabet: no lower case letters


def _uu_line(line: str) -> bytes | None:
    """One line of uuencoded data, or None when the line is not uuencode."""
    line = line.rstrip("\r\n")
    if not line:
        return b""
    if not _UU_DATA.match(line):
        return None
    count = (ord(line[0]) - 32) & 63
    if count == 0:
        return b""
    raw = line.encode("ascii")
    try:
        return binascii.a2b_uu(raw)
    except binascii.Error:
        # Encoders that write extra characters: keep what the length promises.
        try:
            return binascii.a2b_uu(raw[: (count * 4 + 5) // 3])
        except binascii.Error:
            return None


def _uudecode(payload: bytes) -> tuple[bytes, str, int]:
    """A uuencoded part's bytes, the name on its begin line, and bad lines skipped."""
    data = bytearray()
    name = ""
    bad = 0
    for raw_line in payload.decode("latin-1").splitlines():
        line = raw_line.rstrip()
        begin = _UU_BEGIN.match(line)
        if begin:
            name = begin.group(1)
            continue
        if line == "end":
            break
        chunk = _uu_line(raw_line)
        if chunk is None:
            bad += 1
        else:
            data.extend(chunk)
    return bytes(data), name, bad


def _extract_uu_blocks(text: str) -> tuple[str, list[tuple[str, bytes]]]:
    """Inline "begin 644 name ... end" blocks taken out of a text body."""
    if "begin " not in text:
        return text, []
    lines = text.split("\n")
    kept: list[str] = []
    files: list[tuple[str, bytes]] = []
    index = 0
    while index < len(lines):
        begin = _UU_BEGIN.match(lines[index])
        if begin:
            data = bytearray()
            end = index + 1
            good = 0
            while end < len(lines) and lines[end].rstrip() != "end":
                chunk = _uu_line(lines[end])
                if chunk is None:
                    break
                data.extend(chunk)
                good += 1
                end += 1
            closed = end < len(lines) and lines[end].rstrip() == "end"
            if good and (closed or len(data) > 0):
                files.append((begin.group(1), bytes(data)))
                index = end + 1 if closed else end
                continue
        kept.append(lines[index])
        index += 1
    return "\n".join(kept), files


# ---------------------------------------------------------------------------
# format=flowed (RFC 3676)


def _unflow(text: str, delsp: bool) -> str:
    out: list[str] = []
    buffer: list[str] = []
    depth = -1
    for line in text.split("\n"):
        quote = len(line) - len(line.lstrip(">"))
        content = line[quote:]
        if content.startswith(" "):
            content = content[1:]  # space-stuffing
        if buffer and quote != depth:
            out.append(_quoted(depth, "".join(buffer)))
            buffer = []
        depth = quote
        flowed = content.endswith(" ") and content != "-- "
        if flowed and delsp:
            content = content[:-1]
        buffer.append(content)
        if not flowed:
            out.append(_quoted(depth, "".join(buffer)))
            buffer = []
    if buffer:
        out.append(_quoted(depth, "".join(buffer)))
    return "\n".join(out)


def _quoted(depth: int, text: str) -> str:
    return (">" * depth + " " + text) if depth > 0 else text


# ---------------------------------------------------------------------------
# Attachments' names

_MIMETYPES = mimetypes.MimeTypes()  # the built-in table only: the same on every host
_EXTENSIONS = {
    "application/octet-stream": ".bin",
    "application/pgp-encrypted": ".pgp",
    "application/pgp-signature": ".asc",
    "application/pkcs7-mime": ".p7m",
    "application/pkcs7-signature": ".p7s",
    "application/x-pkcs7-mime": ".p7m",
    "application/x-pkcs7-signature": ".p7s",
    "application/ms-tnef": ".dat",
    "image/jpg": ".jpg",
    "image/pjpeg": ".jpg",
    "message/delivery-status": ".txt",
    "message/disposition-notification": ".txt",
    "message/rfc822": ".eml",
    "message/global": ".eml",
    "message/news": ".eml",
    "message/feedback-report": ".txt",
    "text/calendar": ".ics",
    "text/plain": ".txt",
    "text/rfc822-headers": ".txt",
}
_STEMS = {
    "message/delivery-status": "delivery-status",
    "message/disposition-notification": "disposition-notification",
    "message/feedback-report": "feedback-report",
    "text/rfc822-headers": "headers",
}


def _extension(content_type: str) -> str:
    return _EXTENSIONS.get(content_type) or _MIMETYPES.guess_extension(content_type) or ".bin"


def _safe_filename(name: str) -> str:
    name = _clean_line(name).replace("\\", "/").rsplit("/", 1)[-1]
    name = name.strip().lstrip(".").strip()
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = stem[: 200 - len(ext) - 1] + dot + ext if dot and len(ext) <= 10 else name[:200]
    return name


# ---------------------------------------------------------------------------
# Forwards

_FORWARD_SEPARATOR = re.compile(
    r"^[-_=*\s]*(?:"
    r"forwarded message|forwarded e-?mail|begin forwarded message|start of forwarded message"
    r"|weitergeleitete nachricht|anfang der weitergeleiteten nachricht|weitergeleitete e-?mail"
    r"|message transf[ée]r[ée]|d[ée]but du message r[ée]exp[ée]di[ée]|message r[ée]exp[ée]di[ée]"
    r"|mensaje reenviado|inicio del mensaje reenviado"
    r"|messaggio inoltrato|inizio messaggio inoltrato"
    r"|mensagem encaminhada|in[íi]cio da mensagem (?:re)?encaminhada|mensagem reencaminhada"
    r"|doorgestuurd bericht|begin doorgestuurd bericht|doorgestuurde e-?mail"
    r"|videresendt (?:melding|meddelelse|besked)|vidarebefordrat meddelande"
    r"|v[äa]litetty viesti|przekazana wiadomo[śs][ćc]|wiadomo[śs][ćc] przekazana"
    r"|p[řr]eposlan[áa] zpr[áa]va|пересылаемое сообщение|пересланное сообщение"
    r"|转发的邮件|転送されたメッセージ|iletilmiş ileti|ileti iletildi"
    r")[-_=*\s]*:?[-_=*\s]*$",
    re.I,
)
_ORIGINAL_SEPARATOR = re.compile(
    r"^[-_=*\s]*(?:"
    r"original message|urspr[üu]ngliche nachricht|originalnachricht|message d'origine"
    r"|message original|mensaje original|messaggio originale|mensagem original"
    r"|oorspronkelijk bericht|origineel bericht|originalmeddelelse|opprinnelig melding"
    r"|ursprungligt meddelande|alkuper[äa]inen viesti|oryginalna wiadomo[śs][ćc]"
    r"|wiadomo[śs][ćc] oryginalna|p[ůu]vodn[íi] zpr[áa]va|исходное сообщение"
    r"|原始邮件|元のメッセージ|orijinal ileti"
    r")[-_=*\s]*:?[-_=*\s]*$",
    re.I,
)
_QUOTE_LEVEL = re.compile(r"^\s*> ?")
_RULE = re.compile(r"^[-_=*~]+$")
# "From: x", "De : x", "**Von:** x", and "差出人" with a full-width colon.
_HEADER_IN_TEXT = re.compile(
    r"^\*{0,2}([^\s:\uff1a*][^:\uff1a]{0,30}?)\*{0,2}\s?[:\uff1a]\*{0,2}\s*(.*)$"
)
_FROM_KEYS = frozenset(
    {
        *("from", "von", "de", "da", "van", "fra", "från", "od", "от", "lähettäjä", "feladó"),
        *("kimden", "差出人", "发件人", "寄件者", "보낸사람", "보낸 사람"),
    }
)
_DATE_KEYS = frozenset(
    {
        *("date", "sent", "datum", "gesendet", "envoyé", "enviado", "enviada", "data", "inviato"),
        *("verzonden", "sendt", "skickat", "wysłano", "отправлено", "дата", "lähetetty"),
        *("odesláno", "elküldve", "gönderildi", "送信日時", "日付", "发送时间", "日期", "時間"),
        *("enviado el", "enviada em", "enviado em", "sent on", "envoyé le", "gesendet am"),
    }
)
_SUBJECT_KEYS = frozenset(
    {
        *("subject", "betreff", "objet", "asunto", "oggetto", "onderwerp", "assunto", "ämne"),
        *("emne", "temat", "тема", "aihe", "předmět", "tárgy", "konu", "件名", "主题", "主旨"),
        "제목",
    }
)
_TO_KEYS = frozenset(
    {
        *("to", "an", "à", "a", "para", "aan", "til", "till", "do", "кому", "vastaanottaja"),
        *("komu", "címzett", "kime", "宛先", "收件人", "받는사람", "받는 사람", "cc", "kopie"),
        *("copie", "cópia", "kopia", "копия", "reply-to", "antwort an"),
    }
)
_FORWARD_SUBJECT = re.compile(
    r"^\s*(?:\[[^\]]*\]\s*)?(?:fwd?|fw|wg|tr|rv|enc|doorst|vs|vb|pd|i|fwd?\[\d+\]|转发|転送)"
    r"\s*[:\uff1a]",
    re.I,
)


@dataclass
class _FoundForward:
    sender: Address
    subject: str
    date: dt.datetime | None
    text: str


def _forward_in_text(text: str, subject: str) -> _FoundForward | None:
    """The original mail under a forward separator or header block at the top of a body."""
    lines = text.split("\n", _FORWARD_SCAN_LINES)[:_FORWARD_SCAN_LINES]
    note = 0
    start = -1
    certain = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith(">"):
            return None  # a quoted reply, not a forward
        if _RULE.match(stripped):
            continue  # Outlook draws a line above its header block
        if _FORWARD_SEPARATOR.match(stripped):
            start, certain = index + 1, True
            break
        if _ORIGINAL_SEPARATOR.match(stripped):
            start = index + 1
            break
        if _header_kind(stripped) in _BLOCK_KINDS and _block_follows(lines, index):
            start = index
            break
        note += len(stripped)
        if note > _FORWARD_NOTE_MAX:
            return None
    if start < 0:
        return None
    # "Original message" and Outlook's header block also head replies: they
    # mean a forward only under a forward subject or with no note at all.
    if not certain and note and not _FORWARD_SUBJECT.match(subject):
        return None
    pieces = text.split("\n", start)
    rest = pieces[start] if len(pieces) > start else ""
    return _read_forward_block(rest, certain)


_BLOCK_KINDS = frozenset({"from", "date", "subject", "to"})


def _kind(key: str) -> str:
    key = key.strip().lower()
    if key in _FROM_KEYS:
        return "from"
    if key in _DATE_KEYS:
        return "date"
    if key in _SUBJECT_KEYS:
        return "subject"
    if key in _TO_KEYS:
        return "to"
    return ""


def _header_kind(line: str) -> str:
    match = _HEADER_IN_TEXT.match(line)
    return _kind(match.group(1)) if match else ""


def _block_follows(lines: list[str], index: int) -> bool:
    """A header block starts here: a From line and a date or subject line among its lines."""
    kinds = {_header_kind(line.strip()) for line in lines[index : index + 7]}
    return "from" in kinds and bool(kinds & {"date", "subject"})


def _read_forward_block(rest: str, certain: bool) -> _FoundForward | None:
    lines = rest.split("\n")
    first = next((line.lstrip() for line in lines if line.strip()), "")
    if first.startswith(">"):
        # A forward of a quoted message: read it one quote level up.
        lines = [_QUOTE_LEVEL.sub("", line, count=1) for line in lines]
    fields: dict[str, str] = {}
    last = ""
    index = 0
    seen_header = False
    while index < len(lines) and index < 40:
        stripped = lines[index].strip()
        if not stripped:
            if seen_header:
                break
            index += 1
            continue
        match = _HEADER_IN_TEXT.match(stripped)
        if match:
            kind = _kind(match.group(1)) or match.group(1).strip().lower()
            fields.setdefault(kind, match.group(2).strip())
            last, seen_header = kind, True
        elif seen_header and last not in ("", "subject", "date"):
            fields[last] = f"{fields[last]} {stripped}"  # a wrapped list of recipients
        else:
            break
        index += 1
    if "from" not in fields and not certain:
        return None
    body = "\n".join(lines[index:]).strip()
    return _FoundForward(
        sender=_forward_sender(fields.get("from", "")),
        subject=_clean_line(fields.get("subject", "")),
        date=_parse_date(fields.get("date", ""), loose=True) if fields.get("date") else None,
        text=body,
    )


def _forward_sender(value: str) -> Address:
    value = value.replace("[mailto:", "<").replace("(mailto:", "<")
    match = _EMAIL.search(value)
    email = _clean_email(match.group(), None) if match else ""
    name = value
    if match:
        name = value[: match.start()] + value[match.end() :]
    name = _SPACES.sub(" ", _BRACKETS.sub(" ", name)).strip()
    return Address(_clean_name(name, None, email), email)


# ---------------------------------------------------------------------------
# Walking the MIME tree


@dataclass
class _Segment:
    """A piece of body: plain text, or HTML whose text is made only when asked for.

    (An alternative may hold many HTML versions; only the one kept is converted.)
    """

    html: str | None  # None: this piece of body had no HTML
    plain: bool  # the text comes from text/plain, not from converted HTML
    known_text: str | None = None

    @property
    def text(self) -> str:
        if self.known_text is None:
            self.known_text = html_to_text(self.html or "")
        return self.known_text


@dataclass
class _Pending:
    filename: str
    content_type: str
    data: bytes
    content_id: str
    made_up: bool = False


@dataclass
class _Walk:
    defects: _Defects
    hint: str | None = None
    attachments: list[_Pending] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)  # attached mails, for forwards
    parts: int = 0
    report: bool = False  # a delivery report: its attached mail is no forward


_BODY_TYPES = frozenset({"text/plain", "text/html"})
_SKIPPED_ALTERNATIVES = frozenset({"text/watch-html", "text/x-amp-html"})
_UU_ENCODINGS = frozenset({"x-uuencode", "uuencode", "uue", "x-uue"})
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.I)


def _content_type(part: Message, walk: _Walk) -> str:
    try:
        return part.get_content_type()
    except Exception:
        walk.defects.add("unreadable Content-Type; read as text/plain")
        return "text/plain"


def _payload_bytes(part: Message, walk: _Walk) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        walk.defects.add("a part's transfer encoding could not be undone")
        data = None
    if isinstance(data, bytes):
        return data
    payload = part.get_payload()
    return _raw_bytes(payload) if isinstance(payload, str) else b""


def _message_bytes(message: Message) -> bytes:
    for write_policy in (_WRITE_POLICY, email_policy.compat32):
        try:
            return message.as_bytes(policy=write_policy)
        except Exception:  # noqa: S112 - the next policy is the fallback
            continue
    return b""


def _walk(part: Message, walk: _Walk, depth: int, *, root: bool = False) -> list[_Segment]:
    walk.parts += 1
    if walk.parts > MAX_PARTS:
        walk.defects.add(f"more than {MAX_PARTS} MIME parts: the rest were skipped")
        return []
    walk.defects.from_part(part)
    content_type = _content_type(part, walk)
    if walk.hint is None:
        walk.hint = _usable_hint(_params(_raw_header(part, "Content-Type"), None).get("charset"))
    payload = part.get_payload()
    if content_type.startswith("message/") or (
        isinstance(payload, list) and not content_type.startswith("multipart/")
    ):
        walk.report = walk.report or content_type in _REPORT_TYPES
        _attach_message(part, content_type, payload, walk)
        return []
    if content_type.startswith("multipart/"):
        if not isinstance(payload, list):
            walk.defects.add("a multipart without parts was read as text")
            return _leaf(part, "text/plain", walk, root=root)
        if depth >= MAX_DEPTH:
            walk.defects.add(f"MIME nested deeper than {MAX_DEPTH} levels: inner parts skipped")
            return []
        children = [child for child in payload if isinstance(child, Message)]
        subtype = content_type.partition("/")[2]
        if subtype == "report":
            walk.report = True
        if subtype == "alternative":
            return [_alternative(children, walk, depth)]
        if subtype == "related" and children:
            return _related(part, children, walk, depth)
        segments: list[_Segment] = []
        for child in children:
            segments.extend(_walk(child, walk, depth + 1))
        return segments
    return _leaf(part, content_type, walk, root=root)


def _alternative(children: list[Message], walk: _Walk, depth: int) -> _Segment:
    plain: _Segment | None = None
    rich: _Segment | None = None
    for child in children:
        if _content_type(child, walk) in _SKIPPED_ALTERNATIVES:
            continue
        merged = _merge(_walk(child, walk, depth + 1))
        if merged is None:
            continue
        # The first plain alternative: a second one is usually HTML mislabelled.
        if plain is None and merged.plain and merged.html is None and merged.text.strip():
            plain = merged
        if merged.html is not None:
            rich = merged
    if plain is not None:
        return _Segment(rich.html if rich is not None else None, True, plain.text)
    return rich if rich is not None else _Segment(None, True, "")


def _related(part: Message, children: list[Message], walk: _Walk, depth: int) -> list[_Segment]:
    start = _params(_raw_header(part, "Content-Type"), walk.hint).get("start", "").strip("<> ")
    root = children[0]
    if start:
        root = next((c for c in children if _content_id(c) == start), root)
    segments = _walk(root, walk, depth + 1)
    for child in children:
        if child is root:
            continue
        if child.is_multipart() and not _content_type(child, walk).startswith("message/"):
            segments.extend(_walk(child, walk, depth + 1))
        else:
            walk.parts += 1
            walk.defects.from_part(child)
            _attach(child, _content_type(child, walk), walk)
    return segments


def _merge(segments: list[_Segment]) -> _Segment | None:
    if not segments:
        return None
    if len(segments) == 1:
        return segments[0]
    text = "\n\n".join(s.text.strip("\n") for s in segments if s.text.strip())
    html = None
    if any(s.html is not None for s in segments):
        html = "".join(s.html if s.html is not None else _plain_to_html(s.text) for s in segments)
    return _Segment(html, any(s.plain for s in segments), text)


def _disposition(part: Message) -> str:
    raw = _unfold(_raw_header(part, "Content-Disposition"))
    return raw.split(";", 1)[0].strip().lower()


def _content_id(part: Message) -> str:
    raw = _clean_line(_decode_raw(_unfold(_raw_header(part, "Content-ID"))[:1000], None))
    return _SPACES.sub("", raw).strip("<>")


def _filename(part: Message, hint: str | None) -> str:
    disposition = _params(_raw_header(part, "Content-Disposition"), hint)
    name = disposition.get("filename", "")
    if not name.strip():
        name = _params(_raw_header(part, "Content-Type"), hint).get("name", "")
    return _safe_filename(name)


def _leaf(part: Message, content_type: str, walk: _Walk, *, root: bool) -> list[_Segment]:
    disposition = _disposition(part)
    if (
        content_type in _BODY_TYPES
        and disposition != "attachment"
        and (root or not _filename(part, walk.hint))
    ):
        encoding = _raw_header(part, "Content-Transfer-Encoding").strip().lower()
        if encoding not in _UU_ENCODINGS:
            data = _payload_bytes(part, walk)
            if len(data) <= MAX_BODY_PART:
                return [_body_segment(part, content_type, data, walk)]
            walk.defects.add("a text part too large for the body was kept as an attachment")
    _attach(part, content_type, walk)
    return []


def _body_segment(part: Message, content_type: str, data: bytes, walk: _Walk) -> _Segment:
    params = _params(_raw_header(part, "Content-Type"), None)
    label = params.get("charset")
    if not label and content_type == "text/html":
        meta = _META_CHARSET.search(data[:4096])
        label = meta.group(1).decode("ascii") if meta else None
    text, problem = _decode(data, label, walk.hint)
    if problem:
        walk.defects.add(f"{content_type} part: {problem}")
    text = _clean_text(text)
    if content_type == "text/html":
        return _Segment(text, False)
    if params.get("format", "").lower() == "flowed":
        text = _unflow(text, params.get("delsp", "").lower() == "yes")
    text, files = _extract_uu_blocks(text)
    for name, blob in files:
        filename = _safe_filename(name)
        content = _MIMETYPES.guess_type(filename)[0] or "application/octet-stream"
        walk.attachments.append(_Pending(filename, content, blob, ""))
    return _Segment(None, True, text)


def _attach(part: Message, content_type: str, walk: _Walk) -> None:
    if content_type in _REPORT_TYPES:
        walk.report = True
    payload = part.get_payload()
    if isinstance(payload, list):
        _attach_message(part, content_type, payload, walk)
        return
    filename = _filename(part, walk.hint)
    encoding = _raw_header(part, "Content-Transfer-Encoding").strip().lower()
    if encoding in _UU_ENCODINGS:
        data, uu_name, bad = _uudecode(_raw_bytes(payload) if isinstance(payload, str) else b"")
        if bad:
            walk.defects.add(f"uuencoded part: {bad} unreadable lines skipped")
        filename = filename or _safe_filename(uu_name)
    else:
        data = _payload_bytes(part, walk)
    walk.attachments.append(_named(filename, content_type, data, _content_id(part), part))


_MESSAGE_TYPES = frozenset({"message/rfc822", "message/global", "message/news"})


def _attach_message(part: Message, content_type: str, payload: Any, walk: _Walk) -> None:
    messages = [m for m in payload if isinstance(m, Message)] if isinstance(payload, list) else []
    if content_type in _MESSAGE_TYPES and len(messages) == 1:
        walk.messages.append(messages[0])
        data = _message_bytes(messages[0])
    elif messages:
        data = b"\n".join(_message_bytes(m) for m in messages)
    else:
        data = _payload_bytes(part, walk)
    filename = _filename(part, walk.hint)
    if not filename and content_type in _MESSAGE_TYPES and len(messages) == 1:
        subject = _header_line(messages[0], "Subject", walk.hint, walk.defects)
        filename = _safe_filename(f"{subject}.eml") if subject else ""
    walk.attachments.append(_named(filename, content_type, data, _content_id(part), part))


_FILE_LIKE = re.compile(r"^[\w][\w .()-]{0,100}\.[A-Za-z][A-Za-z0-9]{1,4}$")


def _named(
    filename: str, content_type: str, data: bytes, content_id: str, part: Message
) -> _Pending:
    if filename:
        return _Pending(filename, content_type, data, content_id)
    # Outlook names unnamed inline images in their Content-ID: "image001.png@01D2...".
    local = content_id.partition("@")[0]
    if _FILE_LIKE.match(local):
        return _Pending(_safe_filename(local), content_type, data, content_id)
    description = _clean_line(_decode_words(_unfold(_raw_header(part, "Content-Description"))))
    extension = _extension(content_type)
    if description and len(description) <= 60:
        name = _safe_filename(description.replace("/", "-"))
        if name:
            if "." not in name[-6:]:
                name += extension
            return _Pending(name, content_type, data, content_id)
    return _Pending("", content_type, data, content_id, made_up=True)


# ---------------------------------------------------------------------------
# The whole message


# Runs of empty lines (or lines of invisible spaces): one blank line says as much.
_BLANK_RUNS = re.compile("\n(?:[ \t\u00a0\u200b]*\n){2,}")
_CID_REFERENCE = re.compile(r"""cid:([^"'\s>)]+)""", re.I)


def _read(message: Message, defects: _Defects, *, forwards: bool = True) -> ParsedMail:
    walk = _Walk(defects, hint=_header_hint(message))
    try:
        segments = _walk(message, walk, 0, root=True)
    except RecursionError:
        defects.add("MIME nested too deep to walk")
        segments = []
    body = _merge(segments) or _Segment(None, True, "")
    hint = walk.hint
    text = _BLANK_RUNS.sub("\n\n", body.text).strip()
    raw_html = body.html or ""

    referenced = {unquote(c).lower() for c in _CID_REFERENCE.findall(raw_html)}
    attachments = []
    for number, pending in enumerate(walk.attachments, start=1):
        filename = pending.filename
        if pending.made_up or not filename:
            stem = _STEMS.get(pending.content_type, f"attachment-{number}")
            filename = stem + _extension(pending.content_type)
        attachments.append(
            ParsedAttachment(
                filename=filename,
                content_type=pending.content_type,
                data=pending.data,
                content_id=pending.content_id,
                inline=bool(pending.content_id) and pending.content_id.lower() in referenced,
            )
        )

    html = ""
    if raw_html:
        try:
            html = sanitise_html(_HEAD.sub("", raw_html))
        except Exception:
            defects.add("the HTML body could not be sanitised and was dropped")

    subject = _header_line(message, "Subject", hint, defects)
    message_ids = _ids(_raw_header(message, "Message-ID"))
    parsed = ParsedMail(
        message=message,
        message_id=message_ids[0] if message_ids else "",
        in_reply_to=_ids(_raw_header(message, "In-Reply-To")),
        references=_ids(_raw_header(message, "References")),
        subject=subject,
        sender=_sender(message, hint, defects),
        reply_to=_addresses(message, "Reply-To", hint),
        to=_addresses(message, "To", hint),
        cc=_addresses(message, "Cc", hint),
        date=_date(message, defects),
        text=text,
        html=html,
        attachments=attachments,
    )
    if forwards:
        parsed.forwarded = _forwarded(parsed, walk)
    return parsed


_DAEMONS = frozenset({"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon", "mdaemon"})
_REPORT_TYPES = frozenset(
    {
        "message/delivery-status",
        "message/global-delivery-status",
        "message/feedback-report",
        "message/disposition-notification",
        "text/rfc822-headers",
        "message/rfc822-headers",
    }
)


def _forwarded(parsed: ParsedMail, walk: _Walk) -> Forwarded | None:
    # A bounce or a complaint report quotes the original mail too; it is no forward.
    if walk.report or parsed.sender.email.partition("@")[0] in _DAEMONS:
        return None
    if (
        len(walk.messages) == 1
        and not walk.report
        and len(parsed.text) <= _ATTACHED_FORWARD_NOTE_MAX
    ):
        inner = _read(walk.messages[0], _Defects(), forwards=False)
        return Forwarded(
            sender=inner.sender, subject=inner.subject, date=inner.date, text=inner.text
        )
    found = _forward_in_text(parsed.text, parsed.subject)
    if found is None:
        return None
    return Forwarded(sender=found.sender, subject=found.subject, date=found.date, text=found.text)


def parse_message(raw: bytes) -> ParsedMail:
    """Everything the desk needs from one raw mail. Never raises."""
    defects = _Defects()
    try:
        data = raw if isinstance(raw, bytes) else _as_bytes(raw)
        message = _parse_bytes(data, defects)
        parsed = _read(message, defects)
    except Exception as exc:
        defects.add(f"the mail could not be read ({type(exc).__name__})")
        return _unreadable(raw, defects)
    parsed.defects = defects.as_list()
    return parsed


def _as_bytes(raw: object) -> bytes:
    if isinstance(raw, str):
        return raw.encode("utf-8", "surrogateescape")
    if isinstance(raw, bytearray | memoryview):
        return bytes(raw)
    return b""


def _unreadable(raw: object, defects: _Defects) -> ParsedMail:
    text = ""
    try:
        data = raw if isinstance(raw, bytes) else _as_bytes(raw)
        text = _clean_text(data.decode("utf-8", "replace")).strip()
    except Exception:  # noqa: S110 - nothing left to try; the mail stays empty
        pass
    return ParsedMail(
        message=EmailMessage(),
        message_id="",
        in_reply_to=[],
        references=[],
        subject="",
        sender=Address("", ""),
        reply_to=[],
        to=[],
        cc=[],
        date=None,
        text=text,
        html="",
        defects=defects.as_list(),
    )
