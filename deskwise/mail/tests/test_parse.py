"""parse_message on small hand-written mails: one requirement per test."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deskwise.mail.parse import html_to_text, parse_message
from deskwise.mail.parsed import Address, ParsedMail

# What no text the parser returns may hold: C0 controls but tab and line
# feed, DEL, C1 controls, bidirectional overrides, lone surrogates.
_JUNK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def mail(headers: str, body: bytes | str = b"hello\n", *, crlf: bool = False) -> bytes:
    """A raw mail from readable parts; headers are ASCII unless given as 8-bit escapes."""
    head = headers.strip("\n").encode("latin-1")
    data = body.encode("utf-8") if isinstance(body, str) else body
    raw = head + b"\n\n" + data
    return raw.replace(b"\n", b"\r\n") if crlf else raw


def assert_clean(parsed: ParsedMail) -> None:
    for value in (parsed.text, parsed.subject, parsed.sender.name, parsed.html):
        assert not _JUNK.search(value), repr(value)
    assert "\r" not in parsed.text
    for attachment in parsed.attachments:
        assert attachment.filename
        assert not _JUNK.search(attachment.filename)
        assert attachment.content_type == attachment.content_type.lower()


# ---------------------------------------------------------------------------
# Headers


def test_a_plain_mail_gives_every_header():
    parsed = parse_message(
        mail(
            """
From: "Doe, Jane" <Jane.Doe@Example.COM>
To: desk@example.com, "Bob" <bob@example.com>
Cc: Carol <carol@example.com>
Reply-To: replies@example.com
Subject: Printer on floor 3
Date: Tue, 03 Mar 2026 09:15:00 +0100
Message-ID: <abc.123@mail.example.com>
In-Reply-To: <parent@example.com>
References: <root@example.com> <parent@example.com>
""",
            "The printer jams.\n",
            crlf=True,
        )
    )
    assert parsed.sender == Address("Doe, Jane", "jane.doe@example.com")
    assert parsed.to == [Address("", "desk@example.com"), Address("Bob", "bob@example.com")]
    assert parsed.cc == [Address("Carol", "carol@example.com")]
    assert parsed.reply_to == [Address("", "replies@example.com")]
    assert parsed.subject == "Printer on floor 3"
    assert parsed.date == dt.datetime(2026, 3, 3, 8, 15, tzinfo=dt.UTC)
    assert parsed.date is not None
    assert parsed.date.utcoffset() == dt.timedelta(hours=1)
    assert parsed.message_id == "abc.123@mail.example.com"
    assert parsed.in_reply_to == ["parent@example.com"]
    assert parsed.references == ["root@example.com", "parent@example.com"]
    assert parsed.text == "The printer jams."
    assert parsed.html == ""
    assert parsed.attachments == []
    assert parsed.forwarded is None
    assert parsed.defects == []
    assert parsed.message["Subject"] == "Printer on floor 3"


def test_folded_subject_is_one_line():
    parsed = parse_message(mail("From: a@example.com\nSubject: a long\n\tsubject\n  that folds"))
    assert parsed.subject == "a long subject  that folds"


def test_message_ids_tolerate_junk_commas_and_missing_brackets():
    parsed = parse_message(
        mail(
            "From: a@example.com\n"
            "Message-ID: no-brackets@example.com\n"
            "In-Reply-To: Your message of Tue, 3 Mar 2026 <parent@example.com> (added by relay)\n"
            "References: <one@example.com>,<two@example.com>\n"
            " <one@example.com>\t< three@example.com >"
        )
    )
    assert parsed.message_id == "no-brackets@example.com"
    assert parsed.in_reply_to == ["parent@example.com"]
    assert parsed.references == ["one@example.com", "two@example.com", "three@example.com"]


def test_references_without_brackets_keep_only_ids():
    parsed = parse_message(
        mail("From: a@example.com\nReferences: one@x.example, junk two@x.example")
    )
    assert parsed.references == ["one@x.example", "two@x.example"]


def test_sender_falls_back_to_sender_then_return_path():
    sender = parse_message(mail("From: garbage\nSender: Relay <Relay@Example.com>"))
    assert sender.sender == Address("Relay", "relay@example.com")
    assert any("Sender" in d for d in sender.defects)

    path = parse_message(mail("Return-Path: <Bounce@Example.com>\nSubject: x"))
    assert path.sender == Address("", "bounce@example.com")

    nothing = parse_message(mail("Subject: nobody wrote this"))
    assert nothing.sender == Address("", "")


def test_sender_keeps_a_name_without_an_address():
    parsed = parse_message(mail("From: Mail Delivery Subsystem <MAILER-DAEMON>\nReturn-Path: <>"))
    assert parsed.sender == Address("Mail Delivery Subsystem", "")


def test_sender_from_the_second_from_header_when_the_first_is_junk():
    parsed = parse_message(mail("From: [??????]\nFrom: =?utf-8?B?6YO955C5?= <x@example.cn>"))
    assert parsed.sender == Address("都琹", "x@example.cn")


def test_address_without_brackets_and_a_name_around_it():
    assert parse_message(mail("From: Test test@example.com")).sender == Address(
        "Test", "test@example.com"
    )
    assert parse_message(mail("From: root@example.com (Cron Daemon)")).sender == Address(
        "Cron Daemon", "root@example.com"
    )


def test_missing_and_garbage_dates():
    assert parse_message(mail("From: a@example.com")).date is None
    garbage = parse_message(mail("From: a@example.com\nDate: yesterday-ish"))
    assert garbage.date is None
    assert any("Date" in d for d in garbage.defects)
    naive = parse_message(mail("From: a@example.com\nDate: Tue, 03 Mar 2026 09:15:00 -0000"))
    assert naive.date == dt.datetime(2026, 3, 3, 9, 15, tzinfo=dt.UTC)


def test_a_broken_header_block_is_repaired():
    # A folded line lost its indent; the feed parser would end the headers there.
    raw = mail(
        "Received: from a by b;\nTue, 3 Mar 2026 09:00:00 +0000\nX-Junk: yes\n"
        "From: Alice <alice@example.com>\nSubject: still read\n"
        "Date: Tue, 3 Mar 2026 09:00:00 +0000",
        "body\n",
    )
    parsed = parse_message(raw)
    assert parsed.sender.email == "alice@example.com"
    assert parsed.subject == "still read"
    assert parsed.text == "body"
    assert any("repaired" in d for d in parsed.defects)


def test_junk_above_the_headers_is_dropped():
    raw = b"---- Original email message ----\r\n" + mail(
        "From: a@example.com\nTo: b@example.com\nSubject: contact form", "hi", crlf=True
    )
    parsed = parse_message(raw)
    assert parsed.subject == "contact form"
    assert parsed.text == "hi"


def test_a_body_without_blank_line_is_not_taken_for_headers():
    parsed = parse_message(b"From: a@example.com\nSubject: x\nhello there\nsecond line\n")
    assert parsed.subject == "x"
    assert "hello there" in parsed.text


# ---------------------------------------------------------------------------
# RFC 2047 and 8-bit headers


def test_adjacent_encoded_words_are_joined_before_decoding():
    # "café" split inside the two bytes of "é", across two words and a fold.
    parsed = parse_message(
        mail("From: a@example.com\nSubject: =?utf-8?q?caf=C3?=\n =?utf-8?q?=A9_au_lait?=")
    )
    assert parsed.subject == "café au lait"


def test_malformed_encoded_words():
    parsed = parse_message(
        mail(
            "From: a@example.com\n"
            # glued to text, a space inside, base64 without padding, an unknown
            # charset, and a word that never closes
            "Subject: Re:=?UTF-8?Q?M=C3=BCller?= =?utf-8?q?two words?= =?utf-8?b?w6Q?="
            " =?x-mystery?q?plain?= =?utf-8?q?never closed"
        )
    )
    # Space between two encoded words is dropped (RFC 2047), whatever their charsets.
    assert parsed.subject == "Re:Müllertwo wordsäplain =?utf-8?q?never closed"


def test_encoded_word_in_a_wrong_charset():
    # Declared ISO-2022-JP, written in Shift_JIS (a Windows client's mistake).
    encoded = base64.b64encode("ツール".encode("cp932")).decode()
    parsed = parse_message(mail(f"From: a@example.com\nSubject: =?ISO-2022-JP?B?{encoded}?="))
    assert parsed.subject == "ツール"


def test_raw_utf8_in_headers():
    raw = mail("From: J\xc3\xbcrgen <j@example.com>\nSubject: Gr\xc3\xbc\xc3\x9fe aus K\xc3\xb6ln")
    parsed = parse_message(raw)
    assert parsed.sender.name == "Jürgen"
    assert parsed.subject == "Grüße aus Köln"


def test_raw_latin1_in_headers_uses_the_body_charset():
    raw = mail(
        "From: J\xfcrgen M\xfcller <j@example.com>\nSubject: \xc4nderung\n"
        "Content-Type: text/plain; charset=iso-8859-1",
        "Gr\xfc\xdfe".encode("latin-1"),
    )
    parsed = parse_message(raw)
    assert parsed.sender.name == "Jürgen Müller"
    assert parsed.subject == "Änderung"
    assert parsed.text == "Grüße"


_FORWARD_ZH = "转发\uff1a整体提升企业服务水平"  # "Fwd: ..." with a full-width colon


def test_raw_gbk_headers_are_guessed_together():
    subject = _FORWARD_ZH.encode("gb18030")
    name = "武兰成".encode("gb18030")
    raw = (
        b'From: "' + name + b'" <x@example.com>\nSubject: ' + subject + b"\n"
        b"Content-Type: text/plain; charset=iso-8859-1\n\nbody"
    )
    parsed = parse_message(raw)
    assert parsed.subject == _FORWARD_ZH
    assert parsed.sender.name == "武兰成"


# ---------------------------------------------------------------------------
# Body charsets


@pytest.mark.parametrize(
    ("charset", "text"),
    [
        ("iso-8859-1", "Grüße, “quoted” \u2013 5 €"),  # windows-1252 bytes, Latin-1 label
        ("windows-1252", "Grüße, “quoted” \u2013 5 €"),
        ("koi8-r", "Привет, как дела?"),
        ("shift_jis", "お問い合わせありがとうございます"),
        ("gb2312", "您好\uff0c我们已经收到您的邮件"),
        ("utf8", "naïve café"),
        ("UTF-8", "naïve café"),
    ],
)
def test_declared_charsets(charset, text):
    codec = {"iso-8859-1": "cp1252", "utf8": "utf-8"}.get(charset, charset)
    raw = mail(
        f"From: a@example.com\nContent-Type: text/plain; charset={charset}", text.encode(codec)
    )
    parsed = parse_message(raw)
    assert parsed.text == text
    assert parsed.defects == []


def test_iso_2022_jp_with_windows_extensions():
    # Circled digits are NEC extensions: Python's iso2022_jp codec refuses them.
    sjis = "①１都３県の件".encode("cp932")
    jis = bytearray(b"\x1b$B")
    for index in range(0, len(sjis), 2):
        lead, trail = sjis[index], sjis[index + 1]
        lead = (lead - 0x70 if lead < 0xA0 else lead - 0xB0) * 2 - 1
        if trail >= 0x9F:
            lead, trail = lead + 1, trail - 0x7E
        else:
            trail -= 0x1F if trail < 0x80 else 0x20
        jis += bytes((lead, trail))
    jis += b"\x1b(B"
    raw = mail("From: a@example.com\nContent-Type: text/plain; charset=ISO-2022-JP", bytes(jis))
    assert parse_message(raw).text == "①１都３県の件"


def test_declared_latin1_that_is_utf8():
    raw = mail("From: a@example.com\nContent-Type: text/plain; charset=iso-8859-1", "Grüße, Jürgen")
    parsed = parse_message(raw)
    assert parsed.text == "Grüße, Jürgen"
    assert any("UTF-8" in d for d in parsed.defects)


def test_declared_utf8_that_is_latin1():
    body = "Sehr geehrte Damen und Herren, die Größe der Tür ist falsch. Grüße".encode("cp1252")
    raw = mail("From: a@example.com\nContent-Type: text/plain; charset=utf-8", body)
    parsed = parse_message(raw)
    assert parsed.text == "Sehr geehrte Damen und Herren, die Größe der Tür ist falsch. Grüße"
    assert parsed.defects


def test_utf8_with_a_stray_latin1_byte():
    body = "Grüße aus Köln, ".encode() + "Jürgen".encode("latin-1")
    raw = mail("From: a@example.com\nContent-Type: text/plain; charset=utf-8", body)
    assert parse_message(raw).text == "Grüße aus Köln, Jürgen"


@pytest.mark.parametrize("charset", ["unknown-8bit", "x-user-defined", "x-no-such-charset", ""])
def test_unknown_charset_names(charset):
    raw = mail(
        f'From: a@example.com\nContent-Type: text/plain; charset="{charset}"', "Grüße".encode()
    )
    assert parse_message(raw).text == "Grüße"


def test_undeclared_8bit_body_uses_the_header_charset():
    raw = mail(
        "From: a@example.com\nSubject: =?iso-8859-1?q?Gr=FC=DFe?=", "Gr\xfc\xdfe".encode("latin-1")
    )
    assert parse_message(raw).text == "Grüße"


def test_utf7_body():
    raw = mail("From: a@example.com\nContent-Type: text/plain; charset=utf-7", b"Gr+APw-+AN8-e")
    assert parse_message(raw).text == "Grüße"


def test_html_meta_charset_when_the_header_has_none():
    html = '<html><head><meta charset="windows-1251"></head><body>Привет</body></html>'
    raw = mail("From: a@example.com\nContent-Type: text/html", html.encode("cp1251"))
    assert parse_message(raw).text == "Привет"


# ---------------------------------------------------------------------------
# Control characters and line ends


def test_nul_bytes_and_controls_are_removed_everywhere():
    raw = mail(
        "From: Ev\x00il\x07 <e@example.com>\nSubject: =?utf-8?q?Hi=00=1B_there?=\n"
        "Content-Type: text/plain; charset=utf-8",
        "one\x00 two\r\nthree\rfour\x0c\x1b[31m\u202ereversed\ufeff\tend\r\n".encode(),
    )
    parsed = parse_message(raw)
    assert parsed.sender.name == "Evil"
    assert parsed.subject == "Hi there"
    assert parsed.text == "one two\nthree\nfour[31mreversed\tend"
    assert_clean(parsed)


def test_nul_bytes_inside_utf16ish_text():
    raw = mail(
        "From: a@example.com\nContent-Type: text/plain; charset=us-ascii", b"H\x00e\x00l\x00l\x00o"
    )
    assert parse_message(raw).text == "Hello"


# ---------------------------------------------------------------------------
# Bodies


def test_html_only_mail_becomes_readable_text():
    html = """<html><head><title>Newsletter</title><style>p {color: red}</style></head>
<body><script>alert('x')</script>
<p>Hello&nbsp;Anna,</p><p>line one<br>line two</p>
<ul><li>first</li><li>second</li></ul>
<p>See <a href="https://example.com/docs">the docs</a> or <a href="https://example.com">example.com</a>.
Write to <a href="mailto:help@example.com">help@example.com</a>.</p>
</body></html>"""
    raw = mail("From: a@example.com\nContent-Type: text/html; charset=utf-8", html)
    parsed = parse_message(raw)
    assert parsed.text == (
        "Hello Anna,\n\nline one\nline two\n\n- first\n- second\n\n"
        "See the docs (https://example.com/docs) or example.com. Write to help@example.com."
    )
    assert "<p>" in parsed.html
    assert "script" not in parsed.html
    assert "alert" not in parsed.html
    assert "Newsletter" not in parsed.html
    assert "color" not in parsed.html


def test_html_to_text_structures():
    assert html_to_text("<ol><li>a</li><li>b</li></ol>") == "1. a\n2. b"
    assert html_to_text("<p>I said</p><blockquote><p>one</p><p>two</p></blockquote>") == (
        "I said\n\n> one\n>\n> two"
    )
    assert html_to_text("<pre>  keep\n    this</pre>") == "keep\n    this"
    assert html_to_text("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>") == (
        "a b\nc"
    )
    assert html_to_text('<a href="https://x.example/"><img src="cid:logo"></a>') == ""
    assert html_to_text('<a href="javascript:evil()">click</a>') == "click"
    assert html_to_text("<p>unclosed <b>bold <div>and") == "unclosed bold\nand"
    assert html_to_text("<!-- comment --><![if !mso]>x<![endif]>") == "x"


def test_alternative_gives_plain_text_and_html():
    raw = mail(
        'From: a@example.com\nContent-Type: multipart/alternative; boundary="b"',
        "--b\nContent-Type: text/plain; charset=utf-8\n\nplain version\n"
        "--b\nContent-Type: text/html; charset=utf-8\n\n<p>html <b>version</b></p>\n--b--\n",
    )
    parsed = parse_message(raw)
    assert parsed.text == "plain version"
    assert parsed.html.strip() == "<p>html <b>version</b></p>"


def test_alternative_with_empty_plain_part_uses_the_html():
    raw = mail(
        'From: a@example.com\nContent-Type: multipart/alternative; boundary="b"',
        "--b\nContent-Type: text/plain\n\n\n"
        "--b\nContent-Type: text/html\n\n<p>only here</p>\n--b--\n",
    )
    assert parse_message(raw).text == "only here"


def test_mixed_joins_text_parts_and_keeps_attachments():
    pdf = base64.b64encode(b"%PDF-1.4 fake").decode()
    raw = mail(
        'From: a@example.com\nContent-Type: multipart/mixed; boundary="b"',
        "--b\nContent-Type: text/plain\n\nfirst part\n"
        f'--b\nContent-Type: application/pdf; name="report.pdf"\n'
        f"Content-Transfer-Encoding: base64\n\n{pdf}\n"
        "--b\nContent-Type: text/plain\nContent-Disposition: inline\n\nfooter of the list\n"
        "--b\nContent-Type: text/plain\nContent-Disposition: attachment\n\nnot the body\n--b--\n",
    )
    parsed = parse_message(raw)
    assert parsed.text == "first part\n\nfooter of the list"
    assert [(a.filename, a.content_type, a.data) for a in parsed.attachments] == [
        ("report.pdf", "application/pdf", b"%PDF-1.4 fake"),
        ("attachment-2.txt", "text/plain", b"not the body"),
    ]


def test_format_flowed_is_unwrapped():
    raw = mail(
        "From: a@example.com\nContent-Type: text/plain; format=flowed; delsp=no",
        "This line is \nwrapped here.\n> quoted line \n> goes on\n-- \nsig\n",
    )
    assert parse_message(raw).text == "This line is wrapped here.\n> quoted line goes on\n-- \nsig"


# ---------------------------------------------------------------------------
# Attachments


def test_inline_image_with_content_id():
    png = base64.b64encode(b"\x89PNG fake").decode()
    raw = mail(
        'From: a@example.com\nContent-Type: multipart/related; boundary="r"',
        '--r\nContent-Type: text/html\n\n<p>Look: <img src="cid:logo@x"></p>\n'
        f"--r\nContent-Type: image/png\nContent-ID: <logo@x>\n"
        f"Content-Transfer-Encoding: base64\n\n{png}\n"
        f"--r\nContent-Type: image/png\nContent-ID: <image001.png@01D2>\n"
        f"Content-Transfer-Encoding: base64\n\n{png}\n"
        "--r--\n",
    )
    parsed = parse_message(raw)
    first, second = parsed.attachments
    assert (first.filename, first.content_id, first.inline) == ("attachment-1.png", "logo@x", True)
    assert first.data == b"\x89PNG fake"
    assert (second.filename, second.content_id, second.inline) == (
        "image001.png",
        "image001.png@01D2",
        False,
    )
    assert 'src="cid:logo@x"' in parsed.html


def test_rfc2231_and_rfc2047_filenames():
    raw = mail(
        'From: a@example.com\nContent-Type: multipart/mixed; boundary="b"',
        "--b\nContent-Type: text/plain\n\nsee files\n"
        "--b\nContent-Type: application/pdf\n"
        "Content-Disposition: attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf\n\nx\n"
        "--b\nContent-Type: application/pdf\nContent-Disposition: attachment;\n"
        " filename*0*=utf-8''Gr%C3%BC%C3%9F; filename*1*=e%20und%20;\n filename*2=mehr.pdf\n\nx\n"
        '--b\nContent-Type: image/jpeg; name="=?utf-8?Q?Erkl=C3=A4rung?=.jpg"\n\nx\n'
        '--b\nContent-Type: text/plain; name="C:\\\\Users\\\\me\\\\..\\\\notes.txt"\n\nx\n'
        "--b\nContent-Type: application/octet-stream; name*=us-ascii''W%F6lbung.bin\n\nx\n"
        "--b--\n",
    )
    names = [a.filename for a in parse_message(raw).attachments]
    assert names == [
        "€ rates.pdf",
        "Grüße und mehr.pdf",
        "Erklärung.jpg",
        "notes.txt",
        "Wölbung.bin",
    ]


def test_raw_8bit_filename():
    raw = (
        b'From: a@example.com\nContent-Type: multipart/mixed; boundary="b"\n\n'
        b"--b\nContent-Type: text/plain; charset=utf-8\n\nhi\n"
        b'--b\nContent-Type: application/pdf; name="R\xc3\xa9sum\xc3\xa9.pdf"\n\nx\n--b--\n'
    )
    assert parse_message(raw).attachments[0].filename == "Résumé.pdf"


def test_made_up_names_follow_the_content_type():
    raw = mail(
        'From: a@example.com\nContent-Type: multipart/mixed; boundary="b"',
        "--b\nContent-Type: text/plain\n\nhi\n"
        "--b\nContent-Type: image/jpeg\n\nx\n"
        "--b\nContent-Type: application/x-something-odd\n\nx\n"
        "--b\nContent-Type: text/calendar; method=REQUEST\n\nBEGIN:VCALENDAR\n--b--\n",
    )
    names = [a.filename for a in parse_message(raw).attachments]
    assert names == ["attachment-1.jpg", "attachment-2.bin", "attachment-3.ics"]


def test_attached_message_is_an_eml_named_after_its_subject():
    inner = (
        "From: Orig <orig@example.com>\nSubject: The original\n"
        "Date: Mon, 2 Mar 2026 10:00:00 +0000\n\nOriginal body\n"
    )
    raw = mail(
        "From: fwd@example.com\nSubject: Fwd: The original\n"
        'Content-Type: multipart/mixed; boundary="b"',
        f"--b\nContent-Type: text/plain\n\n\n--b\nContent-Type: message/rfc822\n\n{inner}--b--\n",
    )
    parsed = parse_message(raw)
    (attachment,) = parsed.attachments
    assert attachment.filename == "The original.eml"
    assert attachment.content_type == "message/rfc822"
    assert b"Subject: The original" in attachment.data
    assert b"Original body" in attachment.data
    assert parsed.forwarded is not None
    assert parsed.forwarded.sender == Address("Orig", "orig@example.com")
    assert parsed.forwarded.subject == "The original"
    assert parsed.forwarded.date == dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    assert parsed.forwarded.text == "Original body"


def _uu(data: bytes) -> str:
    lines = [binascii.b2a_uu(data[i : i + 45]).decode() for i in range(0, len(data), 45)]
    return "".join(lines) + "`\n"


def test_uuencoded_part():
    payload = b"uuencoded attachment content, long enough for two lines of uuencode."
    raw = mail(
        'From: a@example.com\nContent-Type: multipart/mixed; boundary="b"',
        "--b\nContent-Type: text/plain\n\nsee attached\n"
        '--b\nContent-Type: application/msword; name="doc.txt"\n'
        "Content-Transfer-Encoding: x-uuencode\n\n" + _uu(payload) + "--b--\n",
    )
    parsed = parse_message(raw)
    assert [(a.filename, a.data) for a in parsed.attachments] == [("doc.txt", payload)]


def test_uuencoded_part_with_begin_line_and_a_bad_line():
    payload = b"0123456789" * 10
    encoded = _uu(payload).splitlines()
    encoded.insert(1, "this line is not uuencode")
    body = "begin 644 numbers.bin\n" + "\n".join(encoded) + "\nend\n"
    raw = mail(
        'From: a@example.com\nContent-Type: multipart/mixed; boundary="b"',
        "--b\nContent-Type: text/plain\n\nhi\n"
        "--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: uuencode\n\n"
        + body
        + "--b--\n",
    )
    parsed = parse_message(raw)
    assert [(a.filename, a.data) for a in parsed.attachments] == [("numbers.bin", payload)]
    assert any("uuencoded" in d for d in parsed.defects)


def test_inline_uuencode_block_in_a_text_body():
    payload = bytes(range(256))
    body = "Here is the report:\n\nbegin 644 report.csv\n" + _uu(payload) + "end\n\nBye\n"
    parsed = parse_message(mail("From: a@example.com", body))
    assert parsed.text == "Here is the report:\n\nBye"
    assert [(a.filename, a.content_type, a.data) for a in parsed.attachments] == [
        ("report.csv", "text/csv", payload)
    ]


def test_begin_in_prose_is_not_uuencode():
    body = "begin 644 chmod is what you need\nthen try again\nend\n"
    parsed = parse_message(mail("From: a@example.com", body))
    assert parsed.text == body.strip()
    assert parsed.attachments == []


# ---------------------------------------------------------------------------
# Forwards


def test_gmail_forward():
    body = (
        "FYI, see below.\n\n"
        "---------- Forwarded message ---------\n"
        "From: Carla Customer <Carla@Example.org>\n"
        "Date: Mon, Mar 2, 2026 at 10:15 AM\n"
        "Subject: VPN is down\n"
        "To: <support@example.com>\n\n"
        "Hi, the VPN has been down since this morning.\n"
    )
    parsed = parse_message(mail("From: agent@example.com\nSubject: Fwd: VPN is down", body))
    assert parsed.forwarded is not None
    assert parsed.forwarded.sender == Address("Carla Customer", "carla@example.org")
    assert parsed.forwarded.subject == "VPN is down"
    assert parsed.forwarded.date == dt.datetime(2026, 3, 2, 10, 15, tzinfo=dt.UTC)
    assert parsed.forwarded.text == "Hi, the VPN has been down since this morning."


def test_apple_mail_forward():
    body = (
        "Begin forwarded message:\n\n"
        "From: Carla <carla@example.org>\n"
        "Subject: Printer\n"
        "Date: 2 March 2026 at 10:15:00 GMT+1\n"
        "To: me@example.com\n\n"
        "It jams.\n"
    )
    parsed = parse_message(mail("From: me@example.com\nSubject: Fwd: Printer", body))
    assert parsed.forwarded is not None
    assert parsed.forwarded.sender == Address("Carla", "carla@example.org")
    assert parsed.forwarded.text == "It jams."


def test_outlook_forward_in_german():
    body = (
        "Bitte ansehen.\n\n"
        "________________________________\n"
        "Von: Meier, Hans <hans.meier@example.de>\n"
        "Gesendet: Montag, 2. März 2026 10:15\n"
        "An: Service <service@example.de>;\n Team <team@example.de>\n"
        "Betreff: Drucker defekt\n\n"
        "Der Drucker druckt nicht.\n"
    )
    parsed = parse_message(mail("From: chef@example.de\nSubject: WG: Drucker defekt", body))
    assert parsed.forwarded is not None
    assert parsed.forwarded.sender == Address("Meier, Hans", "hans.meier@example.de")
    assert parsed.forwarded.subject == "Drucker defekt"
    assert parsed.forwarded.text == "Der Drucker druckt nicht."


def test_outlook_mailto_sender_and_french_keys():
    body = (
        "-----Message d'origine-----\n"
        "De : Jean Dupont [mailto:jean@example.fr]\n"
        "Envoyé : lundi 2 mars 2026 10:15\n"
        "À : support@example.com\n"
        "Objet : Imprimante\n\n"
        "Elle ne marche pas.\n"
    )
    parsed = parse_message(mail("From: a@example.fr\nSubject: TR: Imprimante", body))
    assert parsed.forwarded is not None
    assert parsed.forwarded.sender == Address("Jean Dupont", "jean@example.fr")
    assert parsed.forwarded.subject == "Imprimante"


def test_html_only_forward():
    html = (
        "<div>see below</div><div><br></div><div>---------- Forwarded message ---------<br>"
        'From: <b>Carla</b> &lt;<a href="mailto:carla@example.org">carla@example.org</a>&gt;<br>'
        "Subject: Laptop<br></div><br><div>My laptop is slow.</div>"
    )
    raw = mail("From: a@example.com\nSubject: Fwd: Laptop\nContent-Type: text/html", html)
    parsed = parse_message(raw)
    assert parsed.forwarded is not None
    assert parsed.forwarded.sender == Address("Carla", "carla@example.org")
    assert parsed.forwarded.text == "My laptop is slow."


def test_a_reply_quoting_outlook_style_is_no_forward():
    body = (
        "Thanks, that fixed it!\n\n"
        "-----Original Message-----\n"
        "From: Support <support@example.com>\n"
        "Sent: Monday, March 2, 2026 10:15 AM\n"
        "Subject: Ticket 42\n\n"
        "Please restart.\n"
    )
    parsed = parse_message(mail("From: c@example.org\nSubject: RE: Ticket 42", body))
    assert parsed.forwarded is None


def test_a_forward_with_no_note_needs_no_forward_subject():
    body = "-----Original Message-----\nFrom: Carla <carla@example.org>\nSubject: Hi\n\nText\n"
    parsed = parse_message(mail("From: a@example.com\nSubject: Hi", body))
    assert parsed.forwarded is not None
    assert parsed.forwarded.text == "Text"


def test_a_long_note_above_is_no_forward():
    body = (
        "A long story. " * 60
    ) + "\n\n---------- Forwarded message ---------\nFrom: x@y.z\n\nhi\n"
    assert parse_message(mail("From: a@example.com", body)).forwarded is None


def test_a_bounce_quoting_the_original_is_no_forward():
    raw = mail(
        "From: Mail Delivery System <MAILER-DAEMON@example.com>\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
        "--b\nContent-Type: text/plain\n\nCould not deliver.\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; example.com\n\n"
        "Final-Recipient: rfc822; x@example.org\nAction: failed\n"
        "--b\nContent-Type: message/rfc822\n\nFrom: me@example.com\nSubject: hi\n\nhello\n--b--\n",
    )
    parsed = parse_message(raw)
    assert parsed.forwarded is None
    assert [a.filename for a in parsed.attachments] == ["delivery-status.txt", "hi.eml"]


# ---------------------------------------------------------------------------
# Never raises


def _deep_multipart(depth: int) -> bytes:
    head = b"".join(
        b"Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n" % (i, i) for i in range(depth)
    )
    tail = b"".join(b"\n--b%d--\n" % i for i in reversed(range(depth)))
    return (
        b"From: a@example.com\nSubject: deep\n" + head + b"Content-Type: text/plain\n\nend" + tail
    )


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00" * 100,
        b"\r\n\r\n",
        b"From:",
        b"Subject: =?utf-8?b?",
        bytes(range(256)) * 8,
        b"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\n\ncut of",
        b"Content-Type: text/plain; charset=\x00\xff\n\n\xff\xfe",
        b"Content-Type: multipart/alternative\n\nno boundary at all",
        b"Content-Type: message/rfc822\n\n" * 3000 + b"body",
        b"Content-Transfer-Encoding: base64\n\n!!!not base64===",
        b"Content-Transfer-Encoding: quoted-printable\n\n=ZZ=\n=",
        b"Date: Tue, 99 Foo 99999 99:99:99 +9999\nFrom: <<<@@@>>>\n\n",
        b"Subject: " + b"=?utf-8?q?abc?= " * 20_000 + b"\n\nbody",
        b"X-Long: " + b"a" * 300_000 + b"\n\nbody",
        _deep_multipart(60),
        _deep_multipart(3000),
    ],
    ids=lambda raw: f"{len(raw)}-bytes",
)
def test_never_raises(raw):
    parsed = parse_message(raw)
    assert isinstance(parsed, ParsedMail)
    assert_clean(parsed)


def test_deep_nesting_is_cut_with_a_defect():
    parsed = parse_message(_deep_multipart(60))
    assert any("nested" in d or "boundar" in d for d in parsed.defects)


def test_not_bytes_at_all():
    assert parse_message(bytearray(b"Subject: hi\n\nbody")).subject == "hi"
    assert parse_message(None).text == ""


_TEMPLATE = mail(
    'From: "A" <a@example.com>\nSubject: =?utf-8?q?caf=C3=A9?=\n'
    'Content-Type: multipart/mixed; boundary="b"',
    "--b\nContent-Type: text/html; charset=utf-8\n\n<p>hi <a href='x'>y</a></p>\n"
    "--b\nContent-Type: text/plain; charset=iso-8859-1\n"
    "Content-Transfer-Encoding: quoted-printable\n\n"
    "Gr=FC=DFe\nbegin 644 a.txt\n#86)C\n`\nend\n"
    "--b\nContent-Type: image/png; name*=utf-8''%C3%A4.png\nContent-ID: <i@x>\n"
    "Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--b--\n",
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_fuzz_random_bytes(raw):
    assert_clean(parse_message(raw))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, len(_TEMPLATE) - 1), st.binary(max_size=4)),
        min_size=1,
        max_size=8,
    )
)
def test_fuzz_mutated_mail(edits):
    raw = bytearray(_TEMPLATE)
    for position, replacement in edits:
        raw[position : position + len(replacement)] = replacement
    assert_clean(parse_message(bytes(raw)))
