"""Noise detection on real mail from other projects (../shared/data): every bounce
and auto-reply of the sisimai set is caught, and ordinary people's mail from
the help desk and reply-parser corpora is left alone. Pure Python, no database.

The corpora are read and parsed once per module; the whole file runs in a few
seconds.
"""

from __future__ import annotations

import mailbox
import time
from collections import Counter
from email import policy
from email.message import Message
from email.parser import BytesParser
from pathlib import Path

import pytest

from deskwise.mail.noise import Noise, NoiseKind, detect_noise
from deskwise.testing import shared_data

pytestmark = pytest.mark.realdata

OWN = frozenset({"support@deskwise.test"})

Corpus = list[tuple[str, bytes]]


def parse(data: bytes, parse_policy: policy.Policy = policy.default) -> Message:
    return BytesParser(policy=parse_policy).parsebytes(data)


def read_sisimai() -> Corpus:
    root = shared_data() / "email" / "sisimai-set-of-emails"
    found: Corpus = []
    for folder in ("maildir", "to-be-debugged-because"):
        for path in sorted((root / folder).rglob("*.eml")):
            found.append((str(path.relative_to(root)), path.read_bytes()))
    for path in sorted((root / "mailbox").iterdir()):
        box = mailbox.mbox(path, create=False)
        for number, key in enumerate(box.iterkeys()):
            found.append((f"mailbox/{path.name}#{number}", box.get_bytes(key)))
    return found


@pytest.fixture(scope="module")
def sisimai() -> list[tuple[str, bytes, Noise | None]]:
    return [
        (name, data, detect_noise(parse(data), own_addresses=OWN)) for name, data in read_sisimai()
    ]


# The set's messages that are not bounces nor auto-replies, and why they must
# open a ticket. The last three are the case the rules are built around: a
# person forwarding a bounce to ask about it is a request.
SISIMAI_REQUESTS = {
    "maildir/not/is-not-bounce-01.eml": "a person's one-line message (the set's 'not' folder)",
    "maildir/not/is-not-bounce-02.eml": "a person's message with an .eml attached ('not' folder)",
    "maildir/bsd/lhost-sendmail-14.eml": "a person forwarding a Sendmail bounce inline",
    "maildir/err/make-test-36.eml": "a person forwarding a Sendmail bounce inline",
    "mailbox/mbox-0#35": "the same forward as err/make-test-36 in the mbox",
}


def test_every_sisimai_bounce_and_auto_reply_is_noise(sisimai):
    missed = sorted(name for name, _, noise in sisimai if noise is None)
    automatic = len(sisimai) - len(SISIMAI_REQUESTS)
    caught = sum(1 for name, _, noise in sisimai if noise and name not in SISIMAI_REQUESTS)
    assert len(sisimai) == 874  # 836 files and 38 messages of the mboxes
    assert missed == sorted(SISIMAI_REQUESTS), f"caught {caught} of {automatic}"
    assert caught == automatic  # 100 %


def test_sisimai_kinds(sisimai):
    kinds = Counter(noise.kind for _, _, noise in sisimai if noise)
    assert kinds == {
        NoiseKind.BOUNCE: 839,
        NoiseKind.OTHER_REPORT: 21,
        NoiseKind.AUTO_REPLY: 9,
    }
    by_name = {Path(name).name: noise for name, _, noise in sisimai}
    not_bounces = {
        name: noise.kind
        for name, noise in by_name.items()
        if noise and name.startswith(("lhost-", "rhost-", "rfc3464-")) and noise.kind != "bounce"
    }
    # Amazon SES complaint and delivery notifications are reports, not bounces.
    assert not_bounces == {
        "lhost-amazonses-11.eml": NoiseKind.OTHER_REPORT,
        "lhost-amazonses-12.eml": NoiseKind.OTHER_REPORT,
        "lhost-amazonses-13.eml": NoiseKind.OTHER_REPORT,
    }
    assert {by_name[f"rfc3834-0{n}.eml"].kind for n in range(1, 7)} == {NoiseKind.AUTO_REPLY}


@pytest.fixture(scope="module")
def sisimai_compat32(sisimai) -> list[Message]:
    return [parse(data, policy.compat32) for _, data, _ in sisimai]


def test_compat32_parses_give_the_same_answers(sisimai, sisimai_compat32):
    for (name, _, noise), message in zip(sisimai, sisimai_compat32, strict=True):
        assert detect_noise(message, own_addresses=OWN) == noise, name


def test_detection_is_fast(sisimai_compat32):
    messages = sisimai_compat32
    started = time.perf_counter()
    for message in messages:
        detect_noise(message, own_addresses=OWN)
    elapsed = time.perf_counter() - started
    # About 0.3 ms a message on a laptop; the bound leaves room for a busy CI.
    assert elapsed / len(messages) < 0.005, f"{elapsed:.2f}s for {len(messages)} messages"


ORIGINAL_IDS = {
    # Attached message/rfc822 or text/rfc822-headers of a DSN.
    "maildir/bsd/rfc3464-01.eml": "E1C50F1B-1C83-4820-BC36-AC6FBFBE8568@example.org",
    "maildir/bsd/lhost-postfix-07.eml": "8EF96F3F-377B-4E4D-9F3C-54EE1924B2BA@mirror.example.ne.jp",
    "maildir/bsd/lhost-office365-01.eml": "FFFFFFFF.EEEEEEEE@example.ed.jp",
    "maildir/bsd/arf-02.eml": "000000000000000000000000.smtp@example.com",
    # The copy quoted in the text of qmail, Exim, Gmail and Yahoo reports.
    "maildir/bsd/lhost-qmail-03.eml": "00000000000000.5529.qmail@nijo.example.jp",
    "maildir/dos/lhost-qmail-01.eml": "000000000.9999999999999.JavaMail.postmaster@mailhub",
    "maildir/bsd/lhost-exim-02.eml": "E1X58pB-0004bW-2s@marutamachi.example.org",
    "maildir/bsd/lhost-gmail-01.eml": "D992C2C3-F175-4C4D-97E2-53A90E4E5BF5@gmail.com",
    "maildir/bsd/lhost-yahoo-01.eml": "6AE6249A-E7A8-4980-862C-F499F6B8E7C5@y.example.co.jp",
    # Quoted-printable with CR-only line ends, which the standard library cuts short.
    "maildir/mac/lhost-zoho-01.eml": (
        "14a3e1b4b5a.10b1a4c5610175.8588386083425091336@zoho.example.com"
    ),
    # The original returned as a body part without a Content-Type of its own.
    "maildir/bsd/lhost-x1-01.eml": "000000000000000000000000000000000000@example.jp",
    # Exchange 2003 and KDDI attach it to a plain multipart/mixed.
    "maildir/bsd/lhost-exchange2003-03.eml": "00000000000.ffffffffffff.ff@example.net",
    "maildir/bsd/lhost-kddi-01.eml": "2013000000000000@example.jp",
    # Nothing but In-Reply-To names it.
    "maildir/bsd/lhost-apachejames-01.eml": "00000000000000.00000.qmail@example.com",
}


@pytest.mark.parametrize(("name", "message_id"), ORIGINAL_IDS.items())
def test_the_original_message_id_of_known_reports(sisimai, name, message_id):
    noise = next(noise for found, _, noise in sisimai if found == name)
    assert noise is not None
    assert noise.original_message_ids[0] == message_id


FAILED_RECIPIENTS = {
    "maildir/bsd/lhost-exim-02.eml": ("kijitora@example.jp", "sabatora@example.jp"),
    # Original-Recipient (what was written to) before Final-Recipient.
    "maildir/bsd/lhost-postfix-01.eml": ("kijitora@example.org", "r@p351355.pool.example.ne.jp"),
    "maildir/bsd/lhost-qmail-17.eml": ("userunknown@libsisimai.net", "mailboxfull@libsisimai.net"),
    "maildir/bsd/lhost-x2-02.eml": (
        "kijitora@example.com",
        "mikeneko@example.com",
        "sabineko@example.com",
    ),
    "maildir/bsd/lhost-exchange2003-03.eml": ("kijitora@example.jp",),
    "maildir/bsd/lhost-gmx-01.eml": ("shironeko@example.jp",),
    "maildir/bsd/lhost-amazonses-10.eml": ("bounce@simulator.amazonses.com",),
    "maildir/bsd/lhost-opensmtpd-06.eml": (),  # a delay: nothing failed yet
}


@pytest.mark.parametrize(("name", "recipients"), FAILED_RECIPIENTS.items())
def test_the_failed_recipients_of_known_bounces(sisimai, name, recipients):
    noise = next(noise for found, _, noise in sisimai if found == name)
    assert noise is not None
    assert noise.kind == NoiseKind.BOUNCE
    assert noise.failed_recipients == recipients


# --- people's mail ---------------------------------------------------------------------------

HUMAN_CORPORA = {
    "zammad": "test/data/mail/*.box",
    "chatwoot": "spec/fixtures/files/*.eml",
    "django-helpdesk": "tests/test_files/*.eml",
    "freescout": "tests/Messages/*.eml",
    "talon": "tests/fixtures/**/*",
    "github-email_reply_parser": "test/emails/*.txt",
    "crisp-email-reply-parser": "test/fixtures/*.txt",
    "discourse-email_reply_trimmer": "**/*.txt",
}

# What these corpora hold on purpose besides people's mail, with the verdict.
MACHINE_MAIL = {
    # Bounces the help desk projects test with.
    "zammad/test/data/mail/mail018.box": NoiseKind.BOUNCE,
    "zammad/test/data/mail/mail033-undelivered-mail-returned-to-sender.box": NoiseKind.BOUNCE,
    "zammad/test/data/mail/mail052.box": NoiseKind.BOUNCE,
    "zammad/test/data/mail/mail053.box": NoiseKind.BOUNCE,
    "zammad/test/data/mail/mail055.box": NoiseKind.BOUNCE,
    "zammad/test/data/mail/mail063.box": NoiseKind.BOUNCE,
    "zammad/test/data/mail/mail078.box": NoiseKind.BOUNCE,  # a Gmail delay report
    "zammad/test/data/mail/mail092.box": NoiseKind.BOUNCE,
    "chatwoot/spec/fixtures/files/bounced_gmail.eml": NoiseKind.BOUNCE,
    "chatwoot/spec/fixtures/files/bounced_with_no_from.eml": NoiseKind.BOUNCE,
    # A newsletter marked Precedence: bulk with List-Unsubscribe.
    "zammad/test/data/mail/mail043.box": NoiseKind.BULK,
    # ServiceNow incident notifications: Auto-Submitted: auto-generated, Precedence: bulk.
    "zammad/test/data/mail/mail089.box": NoiseKind.AUTO_REPLY,
    "zammad/test/data/mail/mail090.box": NoiseKind.AUTO_REPLY,
    # Chatwoot's auto-reply fixtures (X-Autoreply; Auto-Submitted), and an
    # Arabic reply carrying X-Autoreply, Auto-Submitted and Precedence: bulk.
    "chatwoot/spec/fixtures/files/auto_reply.eml": NoiseKind.AUTO_REPLY,
    "chatwoot/spec/fixtures/files/auto_reply_with_auto_submitted.eml": NoiseKind.AUTO_REPLY,
    "chatwoot/spec/fixtures/files/non_utf_encoded_mail.eml": NoiseKind.AUTO_REPLY,
}


def read_human() -> Corpus:
    root = shared_data() / "email"
    found: Corpus = []
    for corpus, pattern in HUMAN_CORPORA.items():
        for path in sorted((root / corpus).glob(pattern)):
            if path.is_file() and path.name not in {"LICENSE", ".gitignore"}:
                found.append((str(path.relative_to(root)), path.read_bytes()))
    return found


@pytest.fixture(scope="module")
def human() -> list[tuple[str, Noise | None]]:
    return [(name, detect_noise(parse(data), own_addresses=OWN)) for name, data in read_human()]


def test_no_false_positive_on_peoples_mail(human):
    flagged = {name: noise.kind for name, noise in human if noise}
    assert flagged == MACHINE_MAIL
    people = [name for name, _ in human if name not in MACHINE_MAIL]
    assert len(people) == 516  # messages and bodies written by people: none is hidden
    assert not [name for name in people if name in flagged]


def test_the_reasons_name_the_deciding_header(human):
    reasons = {name: noise.reason for name, noise in human if noise}
    assert reasons["zammad/test/data/mail/mail089.box"] == "Auto-Submitted: 'auto-generated'"
    assert reasons["zammad/test/data/mail/mail043.box"] == "Precedence: 'bulk'"
    assert reasons["chatwoot/spec/fixtures/files/auto_reply.eml"] == "X-Autoreply: 'yes'"
    assert reasons["zammad/test/data/mail/mail052.box"] == (
        "sender mailer-daemon@example.com with a bounce subject "
        "'Undelivered Mail Returned to Sender'"
    )


# --- flanker: MIME torture, bounces, complaints and a read receipt -------------------------


@pytest.fixture(scope="module")
def flanker() -> dict[str, Noise | None]:
    root = shared_data() / "email" / "flanker" / "tests" / "fixtures" / "messages"
    results = {}
    for path in sorted(root.rglob("*.eml")):
        data = path.read_bytes()
        name = str(path.relative_to(root))
        results[name] = detect_noise(parse(data, policy.compat32))
        # policy.default needs seconds to parse the 3 MB of endless nesting (the
        # detector then takes milliseconds); the others are read both ways.
        if len(data) < 1_000_000:
            assert detect_noise(parse(data)) == results[name], name
    return results


def test_flanker_reports_are_noise_and_its_torture_cases_do_not_raise(flanker):
    flagged = {name: noise.kind for name, noise in flanker.items() if noise}
    assert flagged == {
        **{
            f"bounce/{name}.eml": NoiseKind.BOUNCE
            for name in (
                "broken-mime",
                "delayed-broken",
                "delayed",
                "gmail-invalid-address",
                "gmail-no-dns",
                "mailbox-full",
                "no-mx",
                "office365",
                "zed",
            )
        },
        "complaints/aol.eml": NoiseKind.OTHER_REPORT,
        "complaints/yahoo.eml": NoiseKind.OTHER_REPORT,
        "disposition-notification.eml": NoiseKind.OTHER_REPORT,
        # Posts of Apache mailing lists, which mark them Precedence: bulk.
        "apache-message-news-mime.eml": NoiseKind.BULK,
        "from-encoding.eml": NoiseKind.BULK,
        "message-external-body.eml": NoiseKind.BULK,
    }
