"""Validation and rendering of the text people type into the desk.

The same rules serve forms, the API and services, so a NUL byte or a stray
control character gets the same clear message wherever it arrives.
"""

from __future__ import annotations

import re
import unicodedata

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.html import urlize

SUBJECT_MAX = 200
NAME_MAX = 120
EMAIL_MAX = 254
BODY_MAX = 100_000

# Characters refused in text: C0 controls (free text keeps tab and line
# breaks), DEL, C1 controls, and the bidirectional overrides that can disguise
# text (CVE-2021-42574). One line of text also refuses line separators.
_BODY_CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_LINE_CONTROLS = r"\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"

# The same rules as patterns for the API's schema (ECMA, Python and Rust
# regex all read them alike): no refused character, and something that is
# not white space.
LINE_PATTERN = rf"^[^{_LINE_CONTROLS}]*[^\s{_LINE_CONTROLS}][^{_LINE_CONTROLS}]*$"
OPTIONAL_LINE_PATTERN = rf"^[^{_LINE_CONTROLS}]*$"
BODY_PATTERN = rf"^[^{_BODY_CONTROLS}]*[^\s{_BODY_CONTROLS}][^{_BODY_CONTROLS}]*$"
OPTIONAL_BODY_PATTERN = rf"^[^{_BODY_CONTROLS}]*$"
# A plain address (dot-atom local part, a domain with a real top-level label):
# a strict subset of what Django's validator accepts.
EMAIL_PATTERN = (
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)

# Lone surrogates (which JSON can smuggle in) cannot be stored at all.
_BAD_MULTILINE = re.compile(rf"[{_BODY_CONTROLS}\ud800-\udfff]")
_BAD_LINE = re.compile(rf"[{_LINE_CONTROLS}\ud800-\udfff]")


def _describe(char: str) -> str:
    if char == "\x00":
        return "a NUL byte"
    if "\ud800" <= char <= "\udfff":
        return f"an invalid character (U+{ord(char):04X})"
    name = unicodedata.name(char, "")
    return f"a control character (U+{ord(char):04X}{' ' + name if name else ''})"


def clean_line(value: str | None, *, label: str, max_length: int, required: bool = True) -> str:
    """One line of text (a subject, a name): trimmed, no control characters."""
    text = (value or "").strip()
    if not text:
        if required:
            raise ValidationError(f"{label} is required.", code="required")
        return ""
    bad = _BAD_LINE.search(text)
    if bad:
        raise ValidationError(
            f"{label} contains {_describe(bad.group())}; please remove it.", code="control_char"
        )
    if len(text) > max_length:
        raise ValidationError(
            f"{label} is {len(text)} characters long; the limit is {max_length}.",
            code="max_length",
        )
    return text


def clean_body(
    value: str | None, *, label: str, max_length: int = BODY_MAX, required: bool = True
) -> str:
    """Free text (a description, a reply): line breaks kept, controls refused."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        if required:
            raise ValidationError(f"{label} is required.", code="required")
        return ""
    bad = _BAD_MULTILINE.search(text)
    if bad:
        raise ValidationError(
            f"{label} contains {_describe(bad.group())}; please remove it.", code="control_char"
        )
    if len(text) > max_length:
        raise ValidationError(
            f"{label} is {len(text):,} characters long; the limit is {max_length:,}.",
            code="max_length",
        )
    return text


def clean_email(value: str | None, *, label: str = "Email address", required: bool = True) -> str:
    text = clean_line(value, label=label, max_length=EMAIL_MAX, required=required)
    if not text:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        raise ValidationError(
            f"{label} {text!r} is not a valid email address.", code="invalid"
        ) from None
    # Stored and compared in lower case: people type their address in every
    # case, and one person must stay one contact (and one index lookup).
    return text.lower()


ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}


def sanitise_html(html: str) -> str:
    """HTML that is safe to show inside a desk page."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"}, "*": {"class"}},
        url_schemes={"http", "https", "mailto", "cid"},
        link_rel="noopener noreferrer nofollow",
    )


def text_to_html(text: str) -> str:
    """Plain text as sanitised HTML: paragraphs, line breaks and links."""
    paragraphs = re.split(r"\n{2,}", text.strip())
    parts = []
    for para in paragraphs:
        if not para:
            continue
        linked = urlize(para, nofollow=True, autoescape=True)
        parts.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return sanitise_html("".join(parts))


_SCRUB_MULTILINE = re.compile(rf"[{_BODY_CONTROLS}\ud800-\udfff]")
_SCRUB_LINE = re.compile(rf"[{_LINE_CONTROLS}\ud800-\udfff]+")


def scrub_body(text: str, *, max_length: int = BODY_MAX) -> str:
    """Text from outside (a mail body) made acceptable to ``clean_body``: refused
    characters removed, and cut at the limit with a note rather than refused,
    since the sender cannot be asked to fix it."""
    text = _SCRUB_MULTILINE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(text) > max_length:
        note = "\n\n[The rest of this message is too long to show here; see the original.]"
        text = text[: max_length - len(note)].rstrip() + note
    return text


def scrub_line(text: str, *, max_length: int) -> str:
    """One line from outside (a mail subject) made acceptable to ``clean_line``."""
    text = " ".join(_SCRUB_LINE.sub(" ", text).split())
    return text if len(text) <= max_length else text[: max_length - 1].rstrip() + "…"
