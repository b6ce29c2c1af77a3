"""Noise detection, rule by rule, on hand-written mail: what must be hidden, what
must stay a request, and that garbage never raises. Pure Python, no database."""

from __future__ import annotations

import time
from email import message_from_string, policy
from email.header import Header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import Policy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deskwise.mail.noise import Noise, NoiseKind, detect_noise

DESK = frozenset({"help@example.org"})
POLICIES = [
    pytest.param(policy.default, id="default"),
    pytest.param(policy.compat32, id="compat32"),
]


def raw(head: str, body: str = "Hello,\n\nthe printer on floor 2 jams again.\n") -> bytes:
    """A message from its header block and body, written with LF, sent with CRLF."""
    text = head.strip("\n") + "\n\n" + body
    return text.replace("\n", "\r\n").encode("utf-8")


def person(
    extra: str = "", subject: str = "Printer jams", sender: str = "Ann <ann@example.com>"
) -> str:
    if not subject.isascii():
        subject = Header(subject, "utf-8").encode()
    return (
        f"From: {sender}\n"
        f"To: {', '.join(DESK)}\n"
        f"Subject: {subject}\n"
        "Date: Mon, 2 Nov 2026 09:12:00 +0100\n"
        "Message-ID: <note-1@example.com>\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n" + extra
    )


def detect(data: bytes, parse_policy: Policy = policy.default) -> Noise | None:
    message = BytesParser(policy=parse_policy).parsebytes(data)
    return detect_noise(message, own_addresses=DESK)


@pytest.fixture(params=POLICIES)
def parse_policy(request: pytest.FixtureRequest) -> Policy:
    return request.param


# --- a person's mail stays a request ---------------------------------------------------------

FORWARDED_BOUNCE = """\
Can you tell me why this bounced? I need to reach the supplier today.

---------- Forwarded message ---------
From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
Date: Mon, 2 Nov 2026 at 08:01
Subject: Undelivered Mail Returned to Sender
To: <ann@example.com>

This is the mail system at host mx.example.com.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<orders@supplier.example>: host mx.supplier.example said: 550 5.1.1 User unknown

Final-Recipient: rfc822; orders@supplier.example
Action: failed
Status: 5.1.1
"""

QUOTED_OUT_OF_OFFICE = """\
Thanks, I will wait for Bob to come back then.

On Mon, 2 Nov 2026, Bob <bob@example.com> wrote:
> Automatic reply: Printer jams
> I am out of the office until Monday 9 November with limited access to email.
"""

HUMAN_CASES = {
    "plain request": raw(person()),
    "reply quoting an out-of-office": raw(
        person("In-Reply-To: <ooo-1@example.com>\n", subject="Re: Automatic reply: Printer jams"),
        QUOTED_OUT_OF_OFFICE,
    ),
    "forward of a bounce with a note": raw(
        person(subject="Fwd: Undelivered Mail Returned to Sender"), FORWARDED_BOUNCE
    ),
    "forward of a bounce as an attachment": raw(
        person(subject="FW: Undeliverable: Order 1234").replace(
            "Content-Type: text/plain; charset=utf-8\n",
            'Content-Type: multipart/mixed; boundary="outer"\n',
        ),
        "--outer\nContent-Type: text/plain\n\nWhy does this keep bouncing?\n"
        "--outer\nContent-Type: message/rfc822\n\n"
        "From: MAILER-DAEMON@mx.example.com\nSubject: Undeliverable: Order 1234\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="inner"\n\n'
        "--inner\nContent-Type: text/plain\n\nDelivery failed.\n"
        "--inner\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.example.com\n\n"
        "Final-Recipient: rfc822; orders@supplier.example\nAction: failed\n"
        "--inner--\n--outer--\n",
    ),
    "a new mail about the out-of-office feature": raw(
        person(subject="Out of office replies do not work in Outlook")
    ),
    "mail through a team list": raw(
        person("List-Id: <it-team.example.com>\nList-Unsubscribe: <mailto:leave@example.com>\n")
    ),
    "redirected by an Exchange rule": raw(
        person("X-MS-Exchange-Inbox-Rules-Loop: ann@example.com\n")
    ),
    "Auto-Submitted: no": raw(person("Auto-Submitted: no\n")),
    "asking for no receipts only": raw(person("X-Auto-Response-Suppress: DR, RN, NRN\n")),
    "a postmaster asking about an error": raw(
        person(sender="Postmaster <postmaster@example.com>", subject="Mail to the printer"),
        "Our users get 550 5.1.1 when they mail scan@example.org; can you check?\n",
    ),
    "a shop notification": raw(
        person(sender="Shop <no-reply@shop.example>", subject="Your parcel could not be delivered"),
        "We could not deliver your parcel today.\n",
    ),
}


@pytest.mark.parametrize("data", HUMAN_CASES.values(), ids=HUMAN_CASES.keys())
def test_a_persons_mail_is_not_noise(data, parse_policy):
    assert detect(data, parse_policy) is None


def test_a_message_built_in_python_is_read_too():
    msg = EmailMessage()
    msg["From"] = "Ann <ann@example.com>"
    msg["Subject"] = "Printer"
    msg.set_content("It jams.")
    assert detect_noise(msg) is None
    msg["Auto-Submitted"] = "auto-replied"
    noise = detect_noise(msg)
    assert noise is not None
    assert noise.kind == NoiseKind.AUTO_REPLY


# --- loops -----------------------------------------------------------------------------------


def test_mail_from_our_own_address_is_a_loop(parse_policy):
    noise = detect(raw(person(sender="Service Desk <HELP@Example.org>")), parse_policy)
    assert noise == Noise(NoiseKind.AUTO_REPLY, "from our own address")


def test_own_addresses_are_compared_in_lower_case():
    message = BytesParser(policy=policy.default).parsebytes(raw(person(sender="a@b.example")))
    noise = detect_noise(message, own_addresses=frozenset({" A@B.example "}))
    assert noise is not None
    assert noise.reason == "from our own address"


def test_our_own_notification_sent_back_is_a_loop(parse_policy):
    noise = detect(raw(person("X-Deskwise-Ticket: DW-12\n")), parse_policy)
    assert noise is not None
    assert noise.kind == NoiseKind.AUTO_REPLY
    assert "X-Deskwise-Ticket" in noise.reason


# --- bounces ---------------------------------------------------------------------------------


def dsn(
    *,
    report_type: str = "; report-type=delivery-status",
    action: str = "failed",
    status_type: str = "message/delivery-status",
    sender: str = "Mail Delivery System <MAILER-DAEMON@mx.example.com>",
    original: str = "text/rfc822-headers",
) -> bytes:
    return raw(
        f"From: {sender}\n"
        "To: help@example.org\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        "Message-ID: <dsn-1@mx.example.com>\n"
        "MIME-Version: 1.0\n"
        f'Content-Type: multipart/report{report_type}; boundary="B"\n',
        "--B\nContent-Type: text/plain\n\nThe mail could not be delivered.\n"
        f"--B\nContent-Type: {status_type}\n\n"
        "Reporting-MTA: dns; mx.example.com\n\n"
        "Original-Recipient: rfc822;Ann.Lee@Example.com\n"
        "Final-Recipient: rfc822; <ann@mail.example.com>\n"
        f"Action: {action}\nStatus: 5.1.1\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\n\n"
        "Final-Recipient: rfc822; bo@example.com\nAction: delivered\nStatus: 2.0.0\n"
        f"--B\nContent-Type: {original}\n\n"
        "Message-ID: <ack-42@help.example.org>\nSubject: We have your request\n"
        "--B--\n",
    )


def test_a_delivery_status_notification_is_a_bounce(parse_policy):
    noise = detect(dsn(), parse_policy)
    assert noise is not None
    assert noise.kind == NoiseKind.BOUNCE
    assert noise.reason.startswith(
        "delivery status notification (multipart/report; report-type=delivery-status)"
    )
    assert "550 5.1.1 User unknown" in noise.reason
    assert noise.original_message_ids == ("ack-42@help.example.org",)
    # Only the failed recipient, under both of its names; not the delivered one.
    assert noise.failed_recipients == ("ann.lee@example.com", "ann@mail.example.com")


def test_the_returned_message_may_be_attached_whole(parse_policy):
    noise = detect(dsn(original="message/rfc822"), parse_policy)
    assert noise is not None
    assert noise.original_message_ids == ("ack-42@help.example.org",)


@pytest.mark.parametrize(
    "report_type", ["", "; report-type=disposition-notification", "; report-type=nonsense"]
)
def test_the_status_part_wins_over_a_missing_or_wrong_report_type(report_type, parse_policy):
    noise = detect(dsn(report_type=report_type), parse_policy)
    assert noise is not None
    assert noise.kind == NoiseKind.BOUNCE
    assert noise.failed_recipients


def test_a_delivery_status_part_in_a_plain_multipart_is_a_bounce(parse_policy):
    data = dsn().replace(b"multipart/report; report-type=delivery-status", b"multipart/mixed")
    noise = detect(data, parse_policy)
    assert noise is not None
    assert noise.kind == NoiseKind.BOUNCE
    assert "multipart/mixed with a delivery-status part" in noise.reason


def test_a_delay_is_a_bounce_without_failed_recipients(parse_policy):
    noise = detect(dsn(action="delayed"), parse_policy)
    assert noise is not None
    assert noise.kind == NoiseKind.BOUNCE
    assert "delayed" in noise.reason
    assert noise.failed_recipients == ()


def test_a_positive_delivery_report_is_no_bounce(parse_policy):
    noise = detect(dsn(action="delivered"), parse_policy)
    assert noise is not None
    assert noise.kind == NoiseKind.OTHER_REPORT
    assert "nothing failed" in noise.reason


def test_x_failed_recipients_is_a_bounce(parse_policy):
    data = raw(
        "From: Mail Delivery System <Mailer-Daemon@mx.example.com>\n"
        "To: help@example.org\n"
        "Subject: Mail delivery failed: returning message to sender\n"
        "X-Failed-Recipients: Ann@Example.com, bo@example.com\n",
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        "  ann@example.com\n    SMTP error from remote mail server after RCPT TO:\n\n"
        "------ This is a copy of the message, including all the headers. ------\n\n"
        "Message-Id: <ack-7@help.example.org>\nFrom: help@example.org\n",
    )
    noise = detect(data, parse_policy)
    assert noise is not None
    assert noise.kind == NoiseKind.BOUNCE
    assert noise.reason.startswith("X-Failed-Recipients:")
    assert noise.failed_recipients == ("ann@example.com", "bo@example.com")
    assert noise.original_message_ids == ("ack-7@help.example.org",)


QMAIL = """\
Hi. This is the qmail-send program at mx.example.net.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<Ann@Example.com>:
192.0.2.1 does not like recipient.
Remote host said: 550 5.1.1 <ann@example.com>... User Unknown
Giving up on 192.0.2.1.

--- Below this line is a copy of the message.

Return-Path: <help@example.org>
Message-ID: <ack-9@help.example.org>
From: Service Desk <help@example.org>
To: ann@example.com
Subject: We have your request
"""


def test_a_qmail_text_bounce_names_recipient_and_original(parse_policy):
    data = raw(
        "Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.net\nTo: help@example.org\n"
        "Subject: failure notice\nMessage-ID: <qmail-1@mx.example.net>\n",
        QMAIL,
    )
    noise = detect(data, parse_policy)
    assert noise is not None
    assert noise.kind == NoiseKind.BOUNCE
    assert (
        noise.reason == "sender mailer-daemon@mx.example.net with a bounce subject 'failure notice'"
    )
    assert noise.failed_recipients == ("ann@example.com",)
    assert noise.original_message_ids == ("ack-9@help.example.org",)


@pytest.mark.parametrize(
    ("head", "text"),
    [
        (
            "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
            "Subject: Delivery Status Notification (Failure)\n",
            "Address not found",
        ),
        ("From: postmaster@example.com\nSubject: Undeliverable: Printer\n", "Delivery failed"),
        (
            "From: Microsoft Outlook"
            " <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com>\n"
            "Subject: Nicht zustellbar: Drucker\n",
            "Fehler",
        ),
        (
            "From: postmaster@example.co.jp\nSubject: =?UTF-8?B?44Oh44O844Or6YWN5L+h5LiN6IO9?=\n",
            "x",
        ),
        ("From: MAILER-DAEMON <>\nSubject: Mail delivery failed\n", "failed"),
        ("From: <>\nSubject: failure notice\n", "x"),
        ("Return-Path: <>\nFrom: robot@example.com\nSubject: Returned mail: User unknown\n", "x"),
        (
            "Auto-Submitted: auto-replied\nFrom: robot@example.com\n"
            "Subject: Non remis : Imprimante\n",
            "x",
        ),
        # A subject that says nothing, but the stock sentence of the server does.
        (
            "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\nSubject: Re: Printer\n",
            "This is the mail system at host mx.example.com.\n",
        ),
        (
            "Return-Path: <>\nFrom: gateway@example.com\nSubject: Mail\n",
            "Your message could not be delivered.\n\nReceived: from mx.example.com\n",
        ),
    ],
)
def test_a_system_sender_with_a_bounce_subject_or_text_is_a_bounce(head, text, parse_policy):
    data = raw(head + "To: help@example.org\nMessage-ID: <b-1@x.example>\n", text)
    noise = detect(data, parse_policy)
    assert noise is not None
    assert noise.kind == NoiseKind.BOUNCE


def test_a_postmaster_needs_the_returned_copy_for_a_text_only_match(parse_policy):
    head = "From: postmaster@example.com\nTo: help@example.org\nSubject: Mail to scan\n"
    assert detect(raw(head, "Your message could not be delivered.\n"), parse_policy) is None
    noise = detect(
        raw(head, "Your message could not be delivered.\n\nMessage-ID: <ack-3@help.example.org>\n"),
        parse_policy,
    )
    assert noise is not None
    assert noise.original_message_ids == ("ack-3@help.example.org",)


def test_a_non_delivery_report_with_the_original_attached(parse_policy):
    data = raw(
        "From: postmaster@example.com\nTo: help@example.org\nSubject: Undeliverable: Printer\n"
        'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="N"\n',
        "--N\nContent-Type: text/plain\n\nYour message did not reach some or all of the intended"
        " recipients.\n\n  Subject: Printer\n\nThe following recipient(s) cannot be reached:\n\n"
        "      bo@example.com on 02/11/2026 09:12\n"
        "--N\nContent-Type: message/rfc822\n\nMessage-ID: <ack-5@help.example.org>\n"
        "From: help@example.org\nSubject: Printer\n\nbody\n--N--\n",
    )
    noise = detect(data, parse_policy)
    assert noise is not None
    assert noise.kind == NoiseKind.BOUNCE
    assert noise.original_message_ids == ("ack-5@help.example.org",)
    assert noise.failed_recipients == ("bo@example.com",)


def test_in_reply_to_is_the_last_resort_for_the_original(parse_policy):
    data = raw(
        "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nTo: help@example.org\n"
        "Subject: Delivery Status Notification (Failure)\nIn-Reply-To: <ack-8@help.example.org>\n",
        "Your message wasn't delivered to ann@example.com because the address couldn't be found.\n",
    )
    noise = detect(data, parse_policy)
    assert noise is not None
    assert noise.original_message_ids == ("ack-8@help.example.org",)


def test_amazon_ses_notifications(parse_policy):
    head = (
        "From: SES <no-reply@sns.amazonaws.com>\nTo: help@example.org\n"
        "Subject: AWS Notification Message\nx-amz-sns-message-id: 1-2-3\n"
    )
    bounce = (
        '{"notificationType":"Bounce","bounce":{"bounceType":"Permanent",'
        '"bouncedRecipients":[{"emailAddress":"Ann@example.com","action":"failed"}]},'
        '"mail":{"commonHeaders":{"messageId":"<ack-1@help.example.org>"}}}\n'
    )
    noise = detect(raw(head, bounce), parse_policy)
    assert noise == Noise(
        NoiseKind.BOUNCE,
        "Amazon SES Bounce notification (X-Amz-SNS-Message-Id)",
        ("ack-1@help.example.org",),
        ("ann@example.com",),
    )
    complaint = detect(raw(head, '{"notificationType":"Complaint"}'), parse_policy)
    assert complaint is not None
    assert complaint.kind == NoiseKind.OTHER_REPORT
    # Any other SNS topic (an alarm, say) may well be a request.
    assert detect(raw(head, '{"AlarmName":"disk full"}'), parse_policy) is None


# --- reports -----------------------------------------------------------------------------------


def report(report_type: str, part_type: str, fields: str) -> bytes:
    return raw(
        "From: Ann <ann@example.com>\nTo: help@example.org\nSubject: Read: Printer\n"
        "MIME-Version: 1.0\n"
        f'Content-Type: multipart/report; report-type={report_type}; boundary="R"\n',
        "--R\nContent-Type: text/plain\n\nYour message was displayed.\n"
        f"--R\nContent-Type: {part_type}\n\n{fields}\n--R--\n",
    )


def test_a_read_receipt_is_a_report(parse_policy):
    data = report(
        "disposition-notification",
        "message/disposition-notification",
        "Reporting-UA: ann.example.com; Mail\nOriginal-Message-ID: <ack-2@help.example.org>\n"
        "Disposition: manual-action/MDN-sent-manually; displayed",
    )
    noise = detect(data, parse_policy)
    assert noise is not None
    assert noise.kind == NoiseKind.OTHER_REPORT
    assert noise.reason.startswith("read receipt")
    assert noise.original_message_ids == ("ack-2@help.example.org",)


def test_a_feedback_report_is_a_report(parse_policy):
    data = report("feedback-report", "message/feedback-report", "Feedback-Type: abuse\nVersion: 1")
    noise = detect(data, parse_policy)
    assert noise is not None
    assert noise.kind == NoiseKind.OTHER_REPORT
    assert "ARF" in noise.reason


def test_any_other_report_is_a_report(parse_policy):
    noise = detect(report("tlsrpt", "application/json", "{}"), parse_policy)
    assert noise is not None
    assert noise.kind == NoiseKind.OTHER_REPORT
    assert noise.reason == "machine report (multipart/report; report-type=tlsrpt)"


# --- automatic replies ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("Auto-Submitted: auto-replied", "Auto-Submitted: 'auto-replied'"),
        ("Auto-Submitted: Auto-Generated (failure)", "Auto-Submitted: 'Auto-Generated (failure)'"),
        ("Auto-Submitted: auto-notified", "Auto-Submitted: 'auto-notified'"),
        ("X-Autoreply: yes", "X-Autoreply: 'yes'"),
        ("X-Autorespond: Out of office", "X-Autorespond: 'Out of office'"),
        ("X-Mail-Autoreply: true", "X-Mail-Autoreply: 'true'"),
        ("X-Auto-Response-Suppress: All", "X-Auto-Response-Suppress: 'All'"),
        (
            "X-Auto-Response-Suppress: DR, OOF, AutoReply",
            "X-Auto-Response-Suppress: 'DR, OOF, AutoReply'",
        ),
        ("X-Autogenerated: Reply", "X-Autogenerated: 'Reply'"),
        ("Precedence: auto_reply", "Precedence: 'auto_reply'"),
        ("X-Precedence: auto-reply", "X-Precedence: 'auto-reply'"),
        ("X-Apple-Action: VACATION", "X-Apple-Action: 'VACATION'"),
        ("Delivered-To: Autoresponder", "Delivered-To: autoresponder"),
        ("X-Mailer: Unix Vacation 1.2", "X-Mailer of an auto-responder 'Unix Vacation 1.2'"),
    ],
)
def test_automatic_reply_headers(header, reason, parse_policy):
    noise = detect(raw(person(header + "\n")), parse_policy)
    assert noise == Noise(NoiseKind.AUTO_REPLY, reason)


VACATION_SUBJECTS = [
    "Out of Office: Printer jams",
    "Automatic reply: Printer jams",
    "Auto: Printer jams",
    "AutoReply: Printer jams",
    "Auto-Reply: Printer jams",
    "Abwesenheitsnotiz: Printer jams",
    "Automatische Antwort: Printer jams",
    "Réponse automatique : Printer jams",
    "Absence : Printer jams",
    "Respuesta automática: Printer jams",
    "Fuori sede: Printer jams",
    "Afwezig: Printer jams",
    "Frånvaro: Printer jams",
    "Automatiskt svar: Printer jams",
    "Автоответ: Printer jams",
    "不在: Printer jams",
    "自動応答: Printer jams",
    "自动回复: Printer jams",
    "[EXTERNAL] Out of the office until Monday",
]


@pytest.mark.parametrize("subject", VACATION_SUBJECTS)
@pytest.mark.parametrize(
    "hint",
    [
        "In-Reply-To: <ack-1@help.example.org>\n",
        "Return-Path: <>\n",
        "X-MS-Exchange-Inbox-Rules-Loop: bob@example.com\n",
    ],
    ids=["in-reply-to", "null-return-path", "exchange-rule"],
)
def test_a_vacation_subject_with_a_machine_hint_is_an_auto_reply(subject, hint):
    noise = detect(raw(person(hint, subject=subject)))
    if hint.startswith("In-Reply-To") and ":" not in subject[:40]:
        assert noise is None  # "Out of the office until Monday" may be a person's words
        return
    assert noise is not None
    assert noise.kind == NoiseKind.AUTO_REPLY
    assert noise.reason.startswith("automatic reply subject")


@pytest.mark.parametrize("subject", VACATION_SUBJECTS)
def test_a_vacation_subject_alone_is_not_enough(subject):
    assert detect(raw(person(subject=subject))) is None


def test_a_person_answering_an_auto_reply_is_not_one():
    data = raw(
        person("In-Reply-To: <ooo@example.com>\nReturn-Path: <>\n", subject="AW: Auto: Drucker")
    )
    assert detect(data) is None


# --- bulk ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["bulk", "junk", "list", "Bulk"])
def test_precedence_bulk_junk_list_is_bulk(value, parse_policy):
    noise = detect(raw(person(f"Precedence: {value}\n")), parse_policy)
    assert noise == Noise(NoiseKind.BULK, f"Precedence: {value!r}")


def test_a_mailing_list_marked_as_such_is_bulk(parse_policy):
    data = raw(person("Precedence: list\nList-Id: Users <users.lists.example.org>\n"))
    noise = detect(data, parse_policy)
    assert noise is not None
    assert noise.kind == NoiseKind.BULK
    assert noise.reason == "Precedence: 'list' from a mailing list"


def test_a_desk_that_is_itself_a_list_gets_its_requests(parse_policy):
    # Google Groups and Mailman mark every post Precedence: list; when the group
    # is the desk's own address, those posts are the requests.
    for extra in ("List-Post: <mailto:help@example.org>\n", "List-ID: <help.example.org>\n"):
        assert detect(raw(person("Precedence: list\n" + extra)), parse_policy) is None


# --- garbage never raises ------------------------------------------------------------------

GARBAGE = {
    "empty": b"",
    "no headers": b"just a body\r\n",
    "one byte": b"\n",
    "binary": bytes(range(256)) * 4,
    "broken boundary": raw(
        "From: MAILER-DAEMON@x\nSubject: Returned mail\n"
        'Content-Type: multipart/report; boundary="\n',
        "--\n--\n",
    ),
    "missing boundary": raw("Content-Type: multipart/mixed\nFrom: a@b.example\n", "--x\n\nhi\n"),
    "unknown charset": raw(
        "From: =?x-unknown?Q?=FF?= <a@b.example>\nSubject: =?bogus?B?////?=\n"
        "Content-Type: text/plain; charset=unicode-1-1-utf-7\n",
        "caf\xe9",
    ),
    "bad base64": raw(
        "From: a@b.example\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n", "!!!*\n"
    ),
    "8-bit headers": b"From: \xff\xfe <\xe9@\xe9>\r\nSubject: \x1b$B%F%9%H\x1b(B \xc3\r\n\r\nx",
    "header soup": b'From\r\n: \r\n::::\r\nContent-Type: /;;;=="\r\nAuto-Submitted:\r\n\r\n',
    "deep nesting": (
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        + b'--b\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n' * 300
    ),
    "status part garbage": raw(
        'From: a@b.example\nContent-Type: multipart/report; boundary="R"\n',
        "--R\nContent-Type: message/delivery-status\n\n:::\n\x00\n"
        "--R\nContent-Type: message/rfc822\n\n--R--\n",
    ),
    "ses garbage": raw(
        "From: x@sns.amazonaws.com\nx-amz-sns-message-id: 1\n",
        '{"a": ' + "[" * 100_000,
    ),
}


@pytest.mark.parametrize("data", GARBAGE.values(), ids=GARBAGE.keys())
def test_garbage_never_raises(data, parse_policy):
    result = detect(data, parse_policy)
    assert result is None or isinstance(result, Noise)


def test_strings_with_lone_surrogates_never_raise():
    message = message_from_string("From: \ud800 <a@b.example>\nSubject: \udcff\n\n\ud83d")
    assert detect_noise(message) is None


def test_an_object_that_is_barely_a_message_never_raises():
    class Odd(Message):
        def raw_items(self):
            raise RuntimeError("broken")

    assert detect_noise(Odd()) is None


HEADER_NAMES = [
    "From",
    "Subject",
    "Return-Path",
    "Auto-Submitted",
    "Precedence",
    "Content-Type",
    "Content-Transfer-Encoding",
    "X-Failed-Recipients",
    "X-Auto-Response-Suppress",
    "In-Reply-To",
    "Message-ID",
    "List-Id",
    "x-amz-sns-message-id",
]
header_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=80
) | st.sampled_from(
    [
        "multipart/report; report-type=delivery-status; boundary=B",
        "message/delivery-status",
        "multipart/mixed; boundary=B",
        "MAILER-DAEMON <>",
        "<>",
        "=?utf-8?q?=FF?=",
        "quoted-printable",
        "base64",
    ]
)
body_text = st.lists(
    st.sampled_from(
        [
            "--B",
            "--B--",
            "Content-Type: message/delivery-status",
            "Content-Type: message/rfc822",
            "Content-Type: text/rfc822-headers",
            "Final-Recipient: rfc822; a@b.example",
            "Action: failed",
            "Message-ID: <x@y>",
            "",
            "=\r",
            "{",
        ]
    )
    | st.text(max_size=40),
    max_size=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    headers=st.lists(st.tuples(st.sampled_from(HEADER_NAMES), header_text), max_size=12),
    body=body_text,
    compat=st.booleans(),
)
def test_random_mail_never_raises(headers, body, compat):
    head = "".join(f"{name}: {value}\r\n" for name, value in headers)
    data = (head + "\r\n" + "\r\n".join(body)).encode("utf-8", "surrogatepass")
    result = detect(data, policy.compat32 if compat else policy.default)
    assert result is None or (
        isinstance(result.kind, NoiseKind)
        and all("<" not in i and ">" not in i for i in result.original_message_ids)
        and all(r == r.lower() and "@" in r for r in result.failed_recipients)
    )


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise(data):
    for parse_policy in (policy.default, policy.compat32):
        result = detect(data, parse_policy)
        assert result is None or isinstance(result, Noise)


# --- speed ---------------------------------------------------------------------------------

HOSTILE = {
    "unclosed tags": raw("From: a@b.example\nContent-Type: text/html\n", "<" * 60_000),
    "a From without spaces": raw("From: " + "a" * 50_000 + "@" + "b" * 50_000 + "\n"),
    "dashes": raw(
        "From: MAILER-DAEMON@x.example\nSubject: Returned mail\n", ("-" * 20_000 + "\n") * 3
    ),
    "blank lines": raw("From: MAILER-DAEMON@x.example\nSubject: x\n", "\n \n" * 20_000),
    "many at signs": raw(
        "Return-Path: <>\nFrom: postmaster@x.example\nSubject: failure notice\n",
        "the following addresses had permanent fatal errors\n" + "a@" * 20_000,
    ),
    "message ids": raw(
        "From: MAILER-DAEMON@x\nSubject: failure notice\n", "Message-ID: <" + "a@" * 30_000
    ),
}


@pytest.mark.parametrize("data", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_stays_fast(data):
    message = BytesParser(policy=policy.compat32).parsebytes(data)
    started = time.perf_counter()
    detect_noise(message)
    assert time.perf_counter() - started < 1.0


def test_both_policies_agree():
    samples = [*HUMAN_CASES.values(), dsn(), dsn(report_type=""), raw(person("Precedence: bulk\n"))]
    for data in samples:
        assert detect(data, policy.default) == detect(data, policy.compat32)
