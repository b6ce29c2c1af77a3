"""parse_message over every real mail in the shared test material.

Two kinds of test: every file of every corpus parses without an exception and
with clean values, and the zammad corpus, which comes with the parse zammad
expects, agrees with us field by field (the rates are printed, the floors sit
just under what the parser reaches; the differences left are explained in
the parser's report: mostly zammad's own mojibake, names it makes up, and
choices such as dropping <title> text).
"""

from __future__ import annotations

import difflib
import mailbox
import re
import shutil
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from deskwise.mail.parse import html_to_text, parse_message
from deskwise.mail.parsed import ParsedMail
from deskwise.testing import shared_data

pytestmark = pytest.mark.realdata

CORPORA = [
    "chatwoot",
    "crisp-email-reply-parser",
    "discourse-email_reply_trimmer",
    "django-helpdesk",
    "flanker",
    "freescout",
    "github-email_reply_parser",
    "sisimai-set-of-emails",
    "talon",
    "zammad",
]
_NOT_MAIL_SUFFIXES = {".yml", ".md"}
_JUNK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _email_root() -> Path:
    return shared_data() / "email"


def _files(folder: Path) -> Iterator[Path]:
    # Every file but licences and expectations: the reply-parser corpora hold
    # bodies rather than mails, and parsing them must not fail either.
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != "LICENSE" and path.suffix not in _NOT_MAIL_SUFFIXES:
            yield path


def _check(parsed: ParsedMail, where: str) -> None:
    assert isinstance(parsed, ParsedMail), where
    for value in (parsed.subject, parsed.sender.name, parsed.text, parsed.html):
        assert not _JUNK.search(value), (where, value[:200])
    assert "\n" not in parsed.subject, where
    assert "\r" not in parsed.text, where
    assert parsed.sender.email == parsed.sender.email.lower(), where
    assert not parsed.sender.email or "@" in parsed.sender.email, where
    assert parsed.date is None or parsed.date.tzinfo is not None, where
    assert "<" not in parsed.message_id, where
    for address in [*parsed.to, *parsed.cc, *parsed.reply_to]:
        assert "@" in address.email, where
    for attachment in parsed.attachments:
        assert attachment.filename, where
        assert not _JUNK.search(attachment.filename), where
        assert "/" in attachment.content_type, where
        assert attachment.content_type == attachment.content_type.lower(), where
    if parsed.forwarded is not None:
        assert not _JUNK.search(parsed.forwarded.text), where


@pytest.mark.parametrize("corpus", CORPORA)
def test_every_file_of_the_corpus_parses(corpus, tmp_path, capsys):
    root = _email_root() / corpus
    assert root.is_dir(), f"{root} is missing from the shared test material"
    files = mailbox_messages = 0
    started = time.perf_counter()
    for path in _files(root):
        _check(parse_message(path.read_bytes()), str(path))
        files += 1
        if path.parent.name == "mailbox":
            # mbox files: each message on its own too (mailbox wants a writable file).
            copy = tmp_path / path.name
            shutil.copyfile(path, copy)
            box = mailbox.mbox(copy, create=False)
            try:
                for key in box.iterkeys():
                    _check(parse_message(box.get_bytes(key)), f"{path}#{key}")
                    mailbox_messages += 1
            finally:
                box.close()
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        extra = (
            f" and {mailbox_messages} messages split from mbox files" if mailbox_messages else ""
        )
        print(f"\n{corpus}: {files} files{extra} parsed in {elapsed:.2f} s")
    assert files > 0


def test_throughput(capsys):
    """Hundreds of mails a second, or a quadratic step has crept in."""
    root = _email_root()
    raws = [
        path.read_bytes()
        for corpus in (
            "zammad",
            "chatwoot",
            "django-helpdesk",
            "freescout",
            "sisimai-set-of-emails",
        )
        for path in _files(root / corpus)
    ]
    started = time.perf_counter()
    for raw in raws:
        parse_message(raw)
    rate = len(raws) / (time.perf_counter() - started)
    with capsys.disabled():
        print(f"\nthroughput: {len(raws)} mails at {rate:.0f} mails/s")
    assert rate > 50  # about a tenth of what a laptop does, so slow CI still passes


# ---------------------------------------------------------------------------
# zammad: the expected parse of each .box is in the .yml next to it


# libyaml's parser when PyYAML has it: the pure Python one takes seconds here.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _RubyLoader(_SafeLoader):  # type: ignore[valid-type]
    """Reads zammad's YAML: Ruby object tags become plain mappings and strings."""


def _plain(loader: Any, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_scalar(node)


_RubyLoader.add_multi_constructor("!", _plain)

# Names either side makes up for parts the mail left unnamed.
_OUR_MADE_UP = re.compile(
    r"^(?:attachment-\d+|delivery-status|disposition-notification|feedback-report|headers)\.\w+$"
)
_ZAMMAD_MADE_UP = re.compile(r"^(?:file|delivery-status\.txt|(?:image|document|video)\d*\.\w+)$")
_FIELDS = ("from_email", "from_name", "subject", "body", "attachments", "attachments_named")


def _normalised(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\xa0", " ")
    return " ".join(text.split()).casefold()


def _similar(expected: str, got: str) -> float:
    if expected == got:
        return 1.0
    # Long bodies are compared on their start, to keep the test fast.
    matcher = difflib.SequenceMatcher(None, expected[:6000], got[:6000], autojunk=False)
    return matcher.ratio()


def _same_attachments(theirs: list[str], ours: list[str]) -> bool:
    """The same names, where a name either side made up matches one the other made up."""
    left = sorted(theirs)
    for name in ours:
        if name in left:
            left.remove(name)
        elif _OUR_MADE_UP.match(name) and (
            made := next((n for n in left if _ZAMMAD_MADE_UP.match(n)), None)
        ):
            left.remove(made)
        else:
            return False
    return not left


def _compare(expected: dict[str, Any], parsed: ParsedMail) -> dict[str, tuple[bool, str, str]]:
    results: dict[str, tuple[bool, str, str]] = {}

    def field(name: str, want: str, got: str, ok: bool | None = None) -> None:
        results[name] = (want == got if ok is None else ok, want, got)

    field(
        "from_email",
        (expected.get("from_email") or "").lower(),
        parsed.sender.email,
    )
    field("from_name", expected.get("from_display_name") or "", parsed.sender.name)
    # zammad keeps folding tabs in subjects; we unfold to one line.
    field(
        "subject",
        " ".join((expected.get("subject") or "").split()),
        " ".join(parsed.subject.split()),
    )

    body = expected.get("body") or ""
    if body.strip() == "no visible content":  # zammad's placeholder for an empty body
        body = ""
    if expected.get("content_type") == "text/html":
        # zammad's body is its own cleaned HTML: compare both as text.
        want = _normalised(html_to_text(body))
        got = _normalised(html_to_text(parsed.html) if parsed.html else parsed.text)
    else:
        want, got = _normalised(body), _normalised(parsed.text)
    field("body", want[:200], got[:200], _similar(want, got) >= 0.95)

    theirs = [
        attachment["filename"]
        for attachment in expected.get("attachments") or []
        # zammad stores the HTML body as an attachment too
        if not (attachment.get("preferences") or {}).get("content-alternative")
    ]
    ours = [attachment.filename for attachment in parsed.attachments]
    field("attachments", repr(sorted(theirs)), repr(sorted(ours)))
    field(
        "attachments_named",
        repr(sorted(theirs)),
        repr(sorted(ours)),
        _same_attachments(theirs, ours),
    )
    return results


# What the parser reaches (from_email 0.925, from_name 0.953, subject 0.991,
# body 0.906, attachments 0.887, named 0.934), less a little.
_FLOORS = {
    "from_email": 0.90,
    "from_name": 0.93,
    "subject": 0.97,
    "body": 0.88,
    "attachments": 0.86,
    "attachments_named": 0.91,
}


def test_zammad_agreement(capsys):
    folder = _email_root() / "zammad" / "test" / "data" / "mail"
    agreed = dict.fromkeys(_FIELDS, 0)
    differences: list[str] = []
    total = 0
    for box in sorted(folder.glob("*.box")):
        expectation = box.with_suffix(".yml")
        if not expectation.exists():
            continue
        text = expectation.read_text(encoding="utf-8")
        expected = yaml.load(text, Loader=_RubyLoader)  # noqa: S506 - a safe loader
        parsed = parse_message(box.read_bytes())
        _check(parsed, str(box))
        total += 1
        for name, (ok, want, got) in _compare(expected, parsed).items():
            agreed[name] += ok
            if not ok:
                differences.append(f"  {box.name} {name}: zammad {want[:120]!r}, us {got[:120]!r}")
    rates = {name: agreed[name] / total for name in _FIELDS}
    with capsys.disabled():
        print(f"\nzammad agreement over {total} mails:")
        for name in _FIELDS:
            print(f"  {name:18} {agreed[name]:3}/{total} = {rates[name]:.3f}")
        print("differences:\n" + "\n".join(differences))
    assert total > 100
    for name, floor in _FLOORS.items():
        assert rates[name] >= floor, (name, rates[name])
