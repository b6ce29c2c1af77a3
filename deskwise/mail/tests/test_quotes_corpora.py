"""split_reply over the reply bodies of four other projects.

discourse/email_reply_trimmer gives, for each body, the text it keeps
(``trimmed``) and what it hides (``elided``): the agreement of ``new`` with
``trimmed`` is the main measure (printed, with a floor just under what is
reached).  The disagreements left are two choices this desk makes on purpose,
which the last discourse test checks are the only ones: a forward with a short
note stays visible, and a body that is all quote stays whole rather than empty.

github/email_reply_parser, crisp-oss/email-reply-parser and mailgun/talon keep
their expectations in their test sources, which are not in the shared folder;
the checks below restate a few of them in their own words (a fragment that
must be visible, a header that must be hidden) or derive them from the
fixtures at run time (crisp's fixtures share one first message; talon keeps a
``*_reply_text`` or expects "Hello").  Every body of every corpus must also
split without an error, lose no line, and leave ``new`` empty only when the
body was.
"""

from __future__ import annotations

import email
import email.policy
import logging
import re
import time
from collections import Counter
from pathlib import Path

import pytest

from deskwise.mail import quotes
from deskwise.mail.quotes import ReplySplit, split_reply
from deskwise.mail.tests.test_quotes import assert_nothing_lost
from deskwise.testing import shared_data

pytestmark = pytest.mark.realdata

CORPORA = ["discourse-email_reply_trimmer", "github-email_reply_parser", "crisp-email-reply-parser"]
FORWARD = re.compile(r"forwarded message|begin forwarded message", re.IGNORECASE)


def root(corpus: str) -> Path:
    return shared_data() / "email" / corpus


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def normalised(text: str) -> str:
    """Trailing spaces and blank lines at either end do not count."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def loose(text: str) -> str:
    """For comparing hidden parts: discourse rejoins wrapped headers, rewrites quote
    marks ("Ann>", "|" become ">") and drops Gmail's tracking glyph."""
    unmarked = re.sub(r"(?m)^[ \t]*(?:(?:[A-Za-z]{1,10}>|[>|])[ \t]*)+", "", text)
    return re.sub(r"[\s>\u1427]+", "", unmarked)


def category(name: str) -> str:
    stem = re.sub(r"(_\d+)?\.txt$", "", name)
    for prefix in ("embedded_email", "email_headers", "forwarded", "quote", "spam"):
        if stem.startswith(prefix):
            return prefix
    return "other"


# -- discourse -------------------------------------------------------------------------


def discourse_cases() -> list[tuple[str, str, str, str]]:
    test = root("discourse-email_reply_trimmer") / "test"
    cases = [
        (
            path.name,
            read(path),
            read(test / "trimmed" / path.name),
            read(test / "elided" / path.name),
        )
        for path in sorted((test / "emails").glob("*.txt"))
    ]
    assert len(cases) >= 60, f"only {len(cases)} discourse cases found"
    return cases


def test_discourse_agreement(capsys):
    cases = discourse_cases()
    agreed: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    hidden_agreed = 0
    differences = []
    for name, text, trimmed, elided in cases:
        result = split_reply(text)
        totals[category(name)] += 1
        if normalised(result.new) == normalised(trimmed):
            agreed[category(name)] += 1
        else:
            differences.append(
                f"  {name}: new starts {result.new[:60]!r}, expected {trimmed[:60]!r}"
            )
        hidden = {
            loose(result.quoted),
            loose(result.signature + result.quoted),
            loose(result.quoted + result.signature),
        }
        hidden_agreed += loose(elided) in hidden
    rate = sum(agreed.values()) / len(cases)
    hidden_rate = hidden_agreed / len(cases)
    with capsys.disabled():
        print(f"\ndiscourse: new == trimmed for {sum(agreed.values())}/{len(cases)} = {rate:.3f}")
        for name in sorted(totals):
            print(f"  {name:15} {agreed[name]:2}/{totals[name]:2}")
        print(f"  quoted + signature == elided (loosely): {hidden_agreed}/{len(cases)}")
        print("differences:\n" + "\n".join(differences))
    assert rate >= 0.93
    assert hidden_rate >= 0.90


def test_discourse_disagreements_are_deliberate():
    for name, text, trimmed, _ in discourse_cases():
        result = split_reply(text)
        if normalised(result.new) == normalised(trimmed):
            continue
        kept_forward = bool(FORWARD.search(result.new)) and result.quoted == ""
        kept_whole = normalised(trimmed) == "" and result.new == normalised(text)
        assert kept_forward or kept_whole, f"{name}: an unexplained difference"


def test_discourse_embedded_emails_are_hidden():
    """discourse's ``embedded/`` holds the header block and message a body quotes."""
    test = root("discourse-email_reply_trimmer") / "test"
    for path in sorted((test / "embedded").glob("*.txt")):
        result = split_reply(read(test / "emails" / path.name))
        if FORWARD.search(result.new):
            continue  # forwards stay visible
        shown = {line.strip() for line in result.new.splitlines()}
        embedded = [line.strip() for line in read(path).splitlines() if line.strip()]
        assert not shown.intersection(embedded), path.name


# -- github ------------------------------------------------------------------------------


def github(name: str) -> tuple[str, ReplySplit]:
    text = read(root("github-email_reply_parser") / "test" / "emails" / f"{name}.txt")
    return text, split_reply(text)


@pytest.mark.parametrize(
    ("name", "visible", "hidden"),
    [
        ("email_1_1", "Hi folks", "riak-users mailing list"),
        ("email_1_2", "You can list the keys", "On Tue, 2011-03-01"),
        ("email_1_3", "Having the function would be great.", "On 01/03/11 7:07 PM"),
        ("email_1_4", "Awesome!", "Loader seems to be working"),
        ("email_1_6", "I get proper rendering", "Was this caching related"),
        ("email_1_7", ":+1:", "Steps 0-2"),
        ("email_1_8", "I will reply under this one", "Hey there, this is my signature"),
        ("email_2_1", "Outlook with a reply", "Google Apps Sync"),
        ("email_2_2", "Outlook with a reply directly above line", "CRM Comments"),
        ("email_one_is_not_on", "One outstanding question", "On Oct 1, 2012"),
        ("greedy_on", "On your remote host you can run", "On 9 Jan 2014"),
    ],
)
def test_github_fragments(name, visible, hidden):
    _, result = github(name)
    assert visible in result.new
    assert hidden not in result.new
    assert hidden in result.quoted + result.signature


@pytest.mark.parametrize(
    "name",
    ["email_iPhone", "email_BlackBerry", "email_multi_word_sent_from_my_mobile_device"],
)
def test_github_mobile_signatures(name):
    text, result = github(name)
    assert result.signature.startswith("Sent from my")
    assert normalised(result.new) == normalised(text.split("\nSent from my")[0])


@pytest.mark.parametrize(
    "name",
    ["email_1_5", "email_sent_from_my_not_signature", "email_sig_delimiter_in_middle_of_line"],
)
def test_github_bodies_without_history_or_signature(name):
    text, result = github(name)
    assert (normalised(result.new), result.quoted, result.signature) == (normalised(text), "", "")


def test_github_signature_and_bullets():
    _, result = github("correct_sig")
    assert result.signature.startswith("-- \nrick")
    text, result = github("email_bullets")
    assert normalised(result.new) == normalised(text.split("\nOn ")[0])
    assert result.signature.startswith("--")


def test_github_pathological_body_is_quick():
    text, _ = github("pathological")
    started = time.perf_counter()
    split_reply(text)
    assert time.perf_counter() - started < 0.1


# -- crisp -------------------------------------------------------------------------------


def crisp_fixtures() -> dict[str, str]:
    folder = root("crisp-email-reply-parser") / "test" / "fixtures"
    return {path.stem: read(path) for path in sorted(folder.glob("*.txt"))}


def test_crisp_shared_first_message(capsys):
    """Most crisp fixtures put one message above histories of every kind; it must be ``new``."""
    fixtures = crisp_fixtures()
    first_lines = Counter(text.split("\n", 1)[0] for text in fixtures.values())
    opening, _ = first_lines.most_common(1)[0]
    group = {name: text for name, text in fixtures.items() if text.startswith(opening)}
    common: list[str] = []
    for column in zip(*(text.split("\n") for text in group.values()), strict=False):
        if len(set(column)) > 1:
            break
        common.append(column[0])
    expected = "\n".join(common).strip()
    assert len(group) >= 30
    assert len(common) >= 3
    disagreeing = [name for name, text in group.items() if split_reply(text).new != expected]
    with capsys.disabled():
        print(f"\ncrisp: {len(group) - len(disagreeing)}/{len(group)} keep the shared message")
    assert not disagreeing


@pytest.mark.parametrize(
    ("name", "visible"),
    [
        ("email_tricky_2_url_with_wrote", "Check out this article"),
        ("email_tricky_3_code_block", "function sendEmail"),
        ("email_tricky_6_regards_in_sentence", "with regards to the payment"),
        ("email_tricky_7_multiple_dashes", "Key Points"),
        ("email_tricky_8_sent_from_in_content", "sent from my iPhone app"),
        ("email_tricky_9_nested_quotes", "I agree with the points"),
        ("email_tricky_11_double_signature", "Thanks for your help"),
        ("email_tricky_16_unicode_signatures", "Thanks for the update"),
        ("email_tricky_17_forward_header", "See the forwarded message"),
        ("email_tricky_19_quote_without_header", "I wanted to respond"),
        ("email_tricky_20_html_entities", "&gt; 100 and &lt; 200"),
        ("email_reply_header", "On the other hand"),
        ("email_one_is_not_on", "One outstanding question"),
    ],
)
def test_crisp_fragments(name, visible):
    assert visible in split_reply(crisp_fixtures()[name]).new


@pytest.mark.parametrize(
    "name",
    [
        "email_5",
        "email_emoji",
        "email_not_a_signature",
        "email_not_a_signature_2",
        "email_tricky_1_on_false_positive",
        "email_tricky_13_timestamp_variations",
        "email_tricky_4_from_in_body",
    ],
)
def test_crisp_bodies_without_history_or_signature(name):
    text = crisp_fixtures()[name]
    result = split_reply(text)
    assert (normalised(result.new), result.quoted, result.signature) == (normalised(text), "", "")


@pytest.mark.parametrize(
    ("name", "signature"),
    [
        ("correct_sig", "--\nrick"),
        ("sig_no_empty_line", "--\nrick"),
        ("email_tricky_11_double_signature", "--\nJohn Doe"),
        ("email_sent_from", "Sent from TypeApp"),
        ("email_iphone", "Sent from my iPhone"),
    ],
)
def test_crisp_signatures(name, signature):
    assert split_reply(crisp_fixtures()[name]).signature.startswith(signature)


def test_crisp_headers_are_hidden():
    for name, text in crisp_fixtures().items():
        result = split_reply(text)
        if result.quoted:
            # Whatever was hidden as history starts with the history's first line.
            first = result.quoted.split("\n", 1)[0].strip()
            assert first not in result.new.split("\n"), name


# -- talon -------------------------------------------------------------------------------


def talon_plain_text(path: Path) -> str:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def test_talon_standard_replies(capsys):
    """talon keeps a ``<name>_reply_text`` for some replies and expects "Hello" from the rest."""
    folder = root("talon") / "tests" / "fixtures" / "standard_replies"
    paths = sorted(folder.glob("*.eml"))
    assert paths
    differences = []
    for path in paths:
        expected_path = path.with_name(f"{path.stem}_reply_text")
        expected = read(expected_path).strip() if expected_path.exists() else "Hello"
        result = split_reply(talon_plain_text(path))
        # talon leaves signatures in the reply; we fold them separately.
        shown = " ".join(f"{result.new}\n{result.signature}".split())
        if result.new != normalised(expected) and shown != " ".join(expected.split()):
            differences.append(f"{path.name}: {result.new[:60]!r}")
    with capsys.disabled():
        print(f"\ntalon standard replies: {len(paths) - len(differences)}/{len(paths)} agree")
    assert not differences, differences


def test_talon_signatures(capsys):
    """talon's signature fixtures: a body and the signature its classifier should find."""
    folder = root("talon") / "tests" / "fixtures" / "signature" / "emails" / "stripped"
    bodies = sorted(folder.glob("*_body"))
    assert bodies
    agreed = []
    for body in bodies:
        stem = body.name.removesuffix("_body")
        expected = read(body.with_name(f"{stem}_signature")).replace("#sig#", "").strip()
        result = split_reply(read(body).replace("#sig#", ""))
        if normalised(result.signature) == normalised(expected):
            agreed.append(stem)
        elif expected:
            # A signature we do not see stays in the reply, never in the history.
            assert expected.splitlines()[0].strip() in result.new, stem
    with capsys.disabled():
        print(f"\ntalon signatures: {len(agreed)}/{len(bodies)} found as talon finds them")
    assert len(agreed) >= len(bodies) - 2


# -- every body -------------------------------------------------------------------------


def every_body() -> list[Path]:
    paths = []
    for corpus in [*CORPORA, "talon"]:
        for path in sorted(root(corpus).rglob("*")):
            if path.is_file() and path.name != "LICENSE" and not path.name.startswith("."):
                paths.append(path)
    return paths


def test_every_body_splits_cleanly(caplog, capsys):
    paths = every_body()
    assert len(paths) > 200
    size = 0
    started = time.perf_counter()
    with caplog.at_level(logging.ERROR, logger=quotes.logger.name):
        for path in paths:
            text = read(path)
            if path.suffix == ".eml":
                text = talon_plain_text(path)
            size += len(text)
            result = split_reply(text)
            assert bool(result.new) == bool(text.strip()), path
            assert_nothing_lost(text, result)
    elapsed = time.perf_counter() - started
    assert not caplog.records, caplog.records[0].getMessage()
    with capsys.disabled():
        print(
            f"\n{len(paths)} bodies ({size / 1e6:.1f} MB) split in {elapsed * 1000:.0f} ms,"
            f" {size / 1e6 / elapsed:.0f} MB/s"
        )
