"""What the mail pipeline knows about one message once it is parsed.

Parsing (``parse.py``), quote and signature splitting (``quotes.py``) and
noise detection (``noise.py``) are pure functions over these values; the
pipeline (``pipeline.py``) turns them into ticket services calls.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from email.message import Message


@dataclass(frozen=True)
class Address:
    name: str
    email: str  # lower case; "" when the header held no usable address


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str  # never empty: a name is made up when the mail gave none
    content_type: str  # lower case "type/subtype"
    data: bytes
    content_id: str = ""  # without angle brackets; set for parts the HTML shows inline
    inline: bool = False  # shown in the body (cid: image) rather than offered as a file


@dataclass(frozen=True)
class Forwarded:
    """The original message inside a forward, as far as it can be read."""

    sender: Address
    subject: str = ""
    date: dt.datetime | None = None
    text: str = ""  # the original message's body


@dataclass
class ParsedMail:
    message: Message  # the standard library's parse, for header checks
    message_id: str  # without angle brackets; "" when the mail had none
    in_reply_to: list[str]
    references: list[str]
    subject: str
    sender: Address  # From: who wrote; never Reply-To
    reply_to: list[Address]
    to: list[Address]
    cc: list[Address]
    date: dt.datetime | None
    text: str  # the whole body as plain text (from text/plain, else from the HTML)
    html: str  # the HTML body, sanitised for display; "" for plain-text mail
    attachments: list[ParsedAttachment] = field(default_factory=list)
    forwarded: Forwarded | None = None
    defects: list[str] = field(default_factory=list)  # what had to be repaired, in words
