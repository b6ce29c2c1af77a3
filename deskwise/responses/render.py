"""Fill a response template's ``{{ variable }}`` placeholders.

Our own small syntax rather than Jinja or Django templates: admins write the
bodies and requesters supply many of the values (their name, the subject they
typed), so nothing here may evaluate, loop, include or look up attributes. A
placeholder is replaced once, by plain text; a value is never scanned for
placeholders of its own, so a subject reading ``{{ reference }}`` or
``{% if %}`` or ``<script>`` arrives exactly as typed. The result is plain text;
escaping it for HTML is the job of whatever shows it.

Rendering never raises: the defer/decline dialog previews as the agent types,
and a preview that shows ``[expected date?]`` teaches more than an error page.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

VARIABLES: dict[str, str] = {
    "first_name": "The requester's first name, e.g. Maria.",
    "requester_name": "The requester's full name, e.g. Maria Lopez.",
    "reference": "The ticket's reference, e.g. DW-1042.",
    "subject": "The ticket's subject, as the requester wrote it.",
    "reason": "Why the request is deferred or declined, in a few words.",
    "explanation": "How the team is prioritising right now, in the agent's words.",
    "alternatives": "What the requester can do meanwhile or instead: articles, another team, "
    "a workaround.",
    "expected_date": "When we expect to have time for the request (deferrals).",
    "agent_name": "The name of the agent sending the reply.",
    "team_name": "The team that handles the request.",
    "link": "A link that opens the request form already filled in, so one click logs it.",
    "what": "What the person asked for, in their own words.",
    "portal_url": "The address of the help desk portal.",
}

VALUE_MAX = 5_000
BODY_MAX = 20_000

_PLACEHOLDER = re.compile(r"\{\{[ \t]*([a-z_]+)[ \t]*\}\}")
# Anything between double braces on one line, placeholder or not: what an admin
# may have meant as one, so ``check`` can say what is wrong with it.
_BRACED = re.compile(r"\{\{([^{}\n]*)\}\}")
_TAG = re.compile(r"\{%[^%\n]*%\}")
# C0 controls except tab and line feed, DEL, C1 controls, the bidirectional
# overrides that can disguise text (CVE-2021-42574), and lone surrogates that
# cannot be encoded for sending.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@dataclass(frozen=True)
class Rendered:
    """The filled text, and what the agent should look at before sending:
    ``missing`` are known variables that had no value, ``unknown`` are
    placeholders that are not variables at all (typos), each in the order they
    first appear."""

    text: str
    missing: tuple[str, ...]
    unknown: tuple[str, ...]


def marker(name: str) -> str:
    """What a missing value shows in the text, so the gap is visible in the preview
    and hard to send by accident."""
    return f"[{name.replace('_', ' ')}?]"


def clean_text(text: str) -> str:
    """Text with line breaks made uniform and control characters removed."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_value(value: object) -> str:
    """A context value as it goes into the text: ``str()`` of it, without control
    characters, and cut at ``VALUE_MAX`` so one pasted log cannot swamp a reply.
    ``None``, and anything whose ``str()`` fails, is no value."""
    if value is None:
        return ""
    try:
        text = value if isinstance(value, str) else str(value)
    except Exception:
        return ""
    text = clean_text(text)
    if len(text) > VALUE_MAX:
        text = text[: VALUE_MAX - 1] + "…"
    return text


def render(body: str | None, context: Mapping[str, object]) -> Rendered:
    """Replace each known ``{{ name }}`` with its value from ``context`` in one pass.

    A known variable without a value (absent, ``None``, or only white space)
    becomes its ``marker``; an unknown placeholder is left as written.
    """
    text = clean_text(body if isinstance(body, str) else "" if body is None else str(body))
    missing: dict[str, None] = {}
    unknown: dict[str, None] = {}
    values: dict[str, str] = {}

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in VARIABLES:
            unknown[name] = None
            return match.group(0)
        if name not in values:
            try:
                raw = context.get(name)
            except Exception:
                raw = None
            values[name] = clean_value(raw)
        value = values[name]
        if not value.strip():
            missing[name] = None
            return marker(name)
        return value

    return Rendered(_PLACEHOLDER.sub(fill, text), tuple(missing), tuple(unknown))


def placeholders(body: str | None) -> list[str]:
    """The variable names a body uses, known or not, in order of first appearance."""
    return list(dict.fromkeys(_PLACEHOLDER.findall(body or "")))


def _placeholder(name: str) -> str:
    return "{{ " + name + " }}"


def _did_you_mean(name: str) -> str:
    close = difflib.get_close_matches(name, VARIABLES, n=1, cutoff=0.75)
    return f" (did you mean {_placeholder(close[0])}?)" if close else ""


def check(body: str | None) -> list[str]:
    """What an admin should fix before saving a template, in plain words; empty
    when the body is fine. ``render`` copes with all of these, but a requester
    would see the stray braces."""
    text = body or ""
    messages: list[str] = []
    if len(text) > BODY_MAX:
        messages.append(
            f"This text is {len(text):,} characters long; the limit is {BODY_MAX:,}. "
            "A shorter reply is read more carefully."
        )
    if _CONTROLS.search(text.replace("\r", "")):
        messages.append("This text contains a control character; please remove it.")
    unknown = [name for name in placeholders(text) if name not in VARIABLES]
    if unknown:
        named = [_placeholder(name) + _did_you_mean(name) for name in unknown]
        listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
        verb = "is not a variable" if len(unknown) == 1 else "are not variables"
        messages.append(f"{listed} {verb}. The variables you can use are: {', '.join(VARIABLES)}.")
    for match in _BRACED.finditer(text):
        if not _PLACEHOLDER.fullmatch(match.group(0)):
            guess = re.sub(r"[^a-z]+", "_", match.group(1).lower()).strip("_")
            hint = (
                f"did you mean {_placeholder(guess)}?"
                if guess in VARIABLES
                else "a variable is a name in lower case letters and underscores, "
                "like {{ first_name }}."
            )
            messages.append(f"{match.group(0)} is not a variable: {hint}")
    rest = _BRACED.sub("", text)
    if "{{" in rest:
        messages.append("An opening {{ has no closing }}; a variable is written {{ name }}.")
    if "}}" in rest:
        messages.append("A closing }} has no opening {{; a variable is written {{ name }}.")
    if _TAG.search(text):
        messages.append(
            "{% ... %} is not understood here: these templates only fill in "
            "{{ variables }}, with no conditions or loops."
        )
    return messages
