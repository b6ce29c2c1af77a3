"""split_reply on hand-written bodies: one or more cases per rule, the
conservative choices (what must stay in ``new``), properties over random text,
and the time a long body takes.  No database: these are pure functions."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deskwise.bench.mail import long_thread
from deskwise.mail import quotes
from deskwise.mail.quotes import ReplySplit, split_reply

REPLY = "The printer on floor 2 works again, thank you!"


def lines_of(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def visible_lines(text: str) -> Counter[str]:
    return Counter(
        line.strip()
        for line in lines_of(text)
        if line.strip() and line.strip().strip(quotes._INVISIBLE).strip()
    )


def assert_nothing_lost(text: str, split: ReplySplit) -> None:
    """Every line someone can see in the body is in one of the three parts."""
    kept = visible_lines(split.new) + visible_lines(split.quoted) + visible_lines(split.signature)
    missing = visible_lines(text) - kept
    assert not missing, f"lines lost: {list(missing)[:5]}"


@contextmanager
def quotes_errors() -> Iterator[list[logging.LogRecord]]:
    """The errors the module's guard logs (hypothesis cannot use caplog per example)."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(level=logging.ERROR)
    quotes.logger.addHandler(handler)
    try:
        yield records
    finally:
        quotes.logger.removeHandler(handler)


def split(text: str) -> ReplySplit:
    with quotes_errors() as errors:
        result = split_reply(text)
    assert not errors, errors[0].getMessage()
    assert_nothing_lost(text, result)
    return result


# -- plain bodies --------------------------------------------------------------


def test_empty_and_blank_bodies():
    assert split_reply("") == ReplySplit("", "", "")
    assert split_reply(" \n\n\t\n") == ReplySplit("", "", "")


def test_text_only_is_all_new_and_keeps_its_formatting():
    text = "\n\nFirst line\n\n    indented\n  - item one\n  - item two\n\nLast line.  \n\n\n"
    result = split(text)
    assert result.new == "First line\n\n    indented\n  - item one\n  - item two\n\nLast line."
    assert (result.quoted, result.signature) == ("", "")


def test_windows_and_old_mac_line_endings_are_normalised():
    header = "On Mon, 3 Mar 2025 at 10:00, Ann <ann@example.com> wrote:"
    result = split(f"One\r\nTwo\r\n\r\n{header}\r\n> x")
    assert result.new == "One\nTwo"
    assert split("One\rTwo\r").new == "One\nTwo"


def test_tracking_glyphs_count_as_blank():
    result = split(f"{REPLY}\n\n\u1427\n")
    assert result.new == REPLY


# -- attributions ("On <date>, <name> wrote:") ----------------------------------

ATTRIBUTIONS = {
    "gmail": "On Mon, Mar 3, 2025 at 10:00 AM Ann Lee <ann@example.com> wrote:",
    "apple": "On 3 Mar 2025, at 10:00, Ann Lee <ann@example.com> wrote:",
    "thunderbird": "On 03.03.25 10:00, Ann Lee wrote:",
    "yahoo": "On Monday, March 3, 2025, 10:00:00 AM GMT+1, Ann Lee <ann@example.com> wrote:",
    "outlook-mac": 'On 03/03/2025, 10:00, "Ann Lee" <ann@example.com> wrote:',
    "zoho": "---- On Mon, 03 Mar 2025 10:00:00 +0100 Ann Lee <ann@example.com> wrote ----",
    "name-only": "Ann Lee <ann@example.com> wrote:",
    "gmail-date-first": "2025-03-03 10:00 GMT+01:00 Ann Lee <ann@example.com>:",
    "gmail-old": "2025/3/3 Ann Lee <ann@example.com>",
    "gmail-old-no-address": "2025-03-03 10:00 GMT+01:00 Ann Lee",
    "de": "Am 03.03.2025 um 10:00 schrieb Ann Lee <ann@example.com>:",
    "de-gmail": "Ann Lee <ann@example.com> schrieb am Mo., 3. März 2025, 10:00:",
    "fr": "Le lun. 3 mars 2025 à 10:00, Ann Lee <ann@example.com> a écrit :",
    "es": "El lun, 3 mar 2025 a las 10:00, Ann Lee (<ann@example.com>) escribió:",
    "it": "Il giorno lun 3 mar 2025 alle ore 10:00 Ann Lee <ann@example.com> ha scritto:",
    "pt": "Em seg., 3 de mar. de 2025 às 10:00, Ann Lee <ann@example.com> escreveu:",
    "nl": "Op ma 3 mrt 2025 om 10:00 schreef Ann Lee <ann@example.com>:",
    "nl-apple": "Op 3 mrt. 2025 om 10:00 heeft Ann Lee <ann@example.com> het volgende geschreven:",
    "sv": "Den 3 mars 2025 kl. 10:00 skrev Ann Lee <ann@example.com>:",
    "da": "Den 3. mar. 2025 kl. 10.00 skrev Ann Lee <ann@example.com>:",
    "no": "man. 3. mar. 2025 kl. 10:00 skrev Ann Lee <ann@example.com>:",
    "fi": "ma 3.3.2025 klo 10.00 Ann Lee (ann@example.com) kirjoitti:",
    "pl": "W dniu 3.03.2025 o 10:00, Ann Lee <ann@example.com> pisze:",
    "pl-2": "Dnia 3 mar 2025 o godz. 10:00 Ann Lee <ann@example.com> napisał(a):",
    "cs": "Dne 3. 3. 2025 v 10:00 Ann Lee <ann@example.com> napsal(a):",
    "ru": "пн, 3 мар. 2025 г. в 10:00, Ann Lee <ann@example.com>:",
    "ru-2": "3 марта 2025 г., в 10:00, Ann Lee <ann@example.com> написал:",
    "uk": "3 бер. 2025 р. о 10:00 Ann Lee <ann@example.com> пише:",
    "ja": "2025年3月3日(月) 10:00 Ann Lee <ann@example.com>:",
    "ja-apple": "2025/03/03 10:00、Ann Lee <ann@example.com>のメール:",
    "zh": "Ann Lee <ann@example.com> 于2025年3月3日周一 上午10:00写道：",
    "zh-apple": "在 2025年3月3日，上午10:00，Ann Lee <ann@example.com> 写道：",
    "ko": "2025년 3월 3일 (월) 오전 10:00, Ann Lee <ann@example.com>님이 작성:",
    "tr": "3 Mar 2025 Pzt, 10:00 tarihinde Ann Lee <ann@example.com> şunu yazdı:",
    "hu": "Ann Lee <ann@example.com> ezt írta (időpont: 2025. márc. 3., H, 10:00):",
    "el": "Στις Δευ, 3 Μαρ 2025 στις 10:00, ο/η Ann Lee <ann@example.com> έγραψε:",
}


@pytest.mark.parametrize("header", ATTRIBUTIONS.values(), ids=ATTRIBUTIONS.keys())
def test_an_attribution_starts_the_quoted_history(header):
    text = f"{REPLY}\n\n{header}\n\n> The printer on floor 2 jams.\n> Ann"
    result = split(text)
    assert result.new == REPLY
    assert result.quoted.startswith(header.strip())
    assert result.quoted.endswith("> Ann")
    assert result.signature == ""


@pytest.mark.parametrize(
    "header",
    [
        "On Mon, Mar 3, 2025 at 10:00 AM Ann Lee <\nann@example.com> wrote:",
        "On 3 Mar 2025, at 10:00, Ann Lee\n<ann@example.com>\nwrote:",
        "On Mar 3, 2025,\nat 10:00,\nAnn Lee <ann@example.com> wrote:",
        "On Mon, 3 Mar 2025 at 10:00 Ann Lee\n\n<\nmailto:ann@example.com\n> wrote:",
        'Le 3 mars 2025 10:00, "Ann Lee"\n<ann@example.com>\na écrit :',
        'Am 03.03.2025 10:00 schrieb "Ann Lee" <ann@example.com\n>:',
        "Ann Lee <ann@example.com> schrieb am Mo., 3.\nMärz 2025 um 10:00 Uhr:",
        "ma 3.3.2025 klo 10.00 Ann Lee\n<ann@example.com> kirjoitti:",
    ],
    ids=["gmail-2", "apple-3", "apple-date-3", "blank-inside", "fr-3", "de-tail", "de-2", "fi-2"],
)
def test_an_attribution_wrapped_over_lines_is_found_whole(header):
    text = f"{REPLY}\n\n{header}\n\n> The printer on floor 2 jams."
    result = split(text)
    assert result.new == REPLY
    assert result.quoted.startswith(header.split("\n")[0].strip())


def test_an_attribution_directly_under_the_reply():
    result = split(f"{REPLY}\nOn Mon, 3 Mar 2025 at 10:00, Ann <ann@example.com> wrote:\n> old")
    assert result.new == REPLY


def test_an_attribution_followed_by_unquoted_history():
    text = (
        f'{REPLY}\n\nOn Mon, 3 Mar 2025 at 10:00 -0800, "Ann Lee" <ann@example.com> wrote:\n\n'
        "The printer jams again.\n\nOn Sun, 2 Mar 2025 at 09:00, Bob <bob@example.com> wrote:\n\n"
        "Try restarting it."
    )
    result = split(text)
    assert result.new == REPLY
    assert "Try restarting it." in result.quoted


@pytest.mark.parametrize(
    "text",
    [
        "On the other hand, the scanner works.\nOn average it takes a minute.",
        "On your laptop you can run:\n\n    ipconfig /flushdns\n\nand try again.",
        "On Monday I wrote:\n\n> the old text\n\nand it still applies.",
        "In 2019 I wrote:\n\n> old advice\n\nstill true.",
        "Here is what the vendor wrote:\n\nWe will ship on Friday.\n\nCan you confirm?",
        "The log says:\n2025-03-03 10:00:01 spooler started\n2025-03-03 10:00:02 job 42 done",
        "See https://example.com/on-monday-someone-wrote-about-this for details.",
    ],
    ids=["on-prose", "on-colon", "on-monday", "year", "vendor", "log", "url"],
)
def test_prose_that_looks_a_little_like_an_attribution_stays_new(text):
    result = split(text)
    assert result.new == text.strip()
    assert result.quoted == ""


# -- separators and header blocks -------------------------------------------------

SEPARATORS = [
    "-----Original Message-----",
    "----- Original Message -----",
    "-------- Original message --------",
    "*-------- Original Message --------*",
    "-----Ursprüngliche Nachricht-----",
    "-----Mensaje original-----",
    "-------- Message d'origine --------",
    "-----Messaggio originale-----",
    "-----Oorspronkelijk bericht-----",
    "-------- Oprindelig besked --------",
    "-----Ursprungligt meddelande-----",
    "-----Původní zpráva-----",
    "-----Исходное сообщение-----",
]


@pytest.mark.parametrize("separator", SEPARATORS)
def test_an_original_message_separator_starts_the_history(separator):
    result = split(f"{REPLY}\n\n{separator}\n\nHello, the printer jams.")
    assert result.new == REPLY
    assert result.quoted.startswith(separator)


HEADER_BLOCKS = {
    "outlook": "From: Help Desk <help@example.com>\nSent: Monday, March 3, 2025 10:00 AM\n"
    "To: Ann Lee\nSubject: RE: [#42] Printer",
    "outlook-bold": "*From:* Help Desk [mailto:help@example.com]\n*Sent:* Monday, March 3, 2025\n"
    "*To:* Ann Lee\n*Subject:* RE: Printer",
    "mac": "From: Help Desk <help@example.com>\nDate: Monday, 3 March 2025 at 10:00\n"
    "To: Ann Lee <ann@example.com>\nSubject: Printer",
    "de": "Von: Help Desk <help@example.com>\nGesendet: Montag, 3. März 2025 10:00\nAn: Ann Lee\n"
    "Betreff: AW: Drucker",
    "fr": "De : Help Desk <help@example.com>\nEnvoyé : lundi 3 mars 2025 10:00\nÀ : Ann Lee\n"
    "Objet : RE: Imprimante",
    "es": "De: Help Desk <help@example.com>\nEnviado: lunes, 3 de marzo de 2025 10:00\n"
    "Para: Ann Lee\nAsunto: RE: Impresora",
    "it": "Da: Help Desk\nInviato: lunedì 3 marzo 2025 10:00\nA: Ann Lee\nOggetto: R: Stampante",
    "nl": "Van: Help Desk <help@example.com>\nVerzonden: maandag 3 maart 2025 10:00\nAan: Ann Lee\n"
    "Onderwerp: RE: Printer",
    "sv": "Från: Help Desk <help@example.com>\nSkickat: den 3 mars 2025 10:00\nTill: Ann Lee\n"
    "Ämne: SV: Skrivare",
    "pl": "Od: Help Desk <help@example.com>\nWysłano: poniedziałek, 3 marca 2025 10:00\n"
    "Do: Ann Lee\nTemat: RE: Drukarka",
    "ja": "差出人: Help Desk <help@example.com>\n送信日時: 2025年3月3日 10:00\n宛先: Ann Lee\n"
    "件名: RE: プリンター",
    "wrapped": "From: Help Desk\n<help@example.com>\nSent: Monday, March 3, 2025 10:00 AM\n"
    "To: Ann Lee\nSubject: RE: a subject that\nwraps over two lines",
}


@pytest.mark.parametrize("block", HEADER_BLOCKS.values(), ids=HEADER_BLOCKS.keys())
@pytest.mark.parametrize("above", ["", "________________________________\n", " -----------\n\n"])
def test_a_header_block_starts_the_history(block, above):
    result = split(f"{REPLY}\n\n{above}{block}\n\nHello Ann,\nthe printer is fixed.")
    assert result.new == REPLY
    assert result.quoted.lstrip().startswith((above or block).strip())
    assert result.quoted.endswith("the printer is fixed.")


def test_a_form_in_the_message_is_not_a_header_block():
    text = "Please book my leave:\n\nFrom: 1 March\nTo: 5 March\nSubject: family visit\n\nThanks"
    assert split(text).new == text


# -- ">" quotes --------------------------------------------------------------------


def test_a_quote_that_ends_the_mail_is_history():
    result = split(f"{REPLY}\n\n> old text\n> more old text\n>\n")
    assert result.new == REPLY
    assert result.quoted == "> old text\n> more old text\n>"


def test_a_quote_answered_underneath_stays_as_context():
    text = "> Is the printer fixed?\n\nYes, since this morning."
    assert split(text).new == text


def test_bottom_posting_under_an_attribution_keeps_only_the_answer():
    text = "On Mon, 3 Mar 2025 at 10:00, Ann <ann@example.com> wrote:\n> Is it fixed?\n\nYes it is."
    result = split(text)
    assert result.new == "Yes it is."
    assert result.quoted.startswith("On Mon, 3 Mar 2025")


def test_an_inline_reply_keeps_the_quotes_it_answers():
    text = (
        "On Mon, 3 Mar 2025 at 10:00, Ann <ann@example.com> wrote:\n"
        "> Which floor?\n\nThe second.\n\n> Since when?\n\nSince Monday.\n\n> Thanks\n"
    )
    result = split(text)
    assert result.new == "> Which floor?\n\nThe second.\n\n> Since when?\n\nSince Monday."
    assert result.quoted.startswith("On Mon, 3 Mar 2025")
    assert result.quoted.endswith("> Thanks")


def test_an_inline_reply_under_a_first_line():
    text = (
        "Answers below.\n"
        "On Mon, 3 Mar 2025 at 10:00, Ann <ann@example.com> wrote:\n"
        "> Which floor?\n\nThe second floor,\nnext to the kitchen,\nby the window.\n\n"
        "> Thanks\n"
    )
    result = split(text)
    assert result.new == (
        "Answers below.\n> Which floor?\n\nThe second floor,\nnext to the kitchen,\nby the window."
    )
    assert result.quoted.startswith("On Mon, 3 Mar 2025")


def test_a_short_line_after_a_quoted_history_is_not_an_inline_reply():
    text = f"{REPLY}\n\nOn Mon, 3 Mar 2025 at 10:00, Ann wrote:\n\n> old\n\nAnn Lee, floor 2"
    assert split(text).new == REPLY


def test_named_quote_markers():
    result = split(f"{REPLY}\n\nAnn> the old text\nAnn> more of it\n")
    assert result.new == REPLY
    assert result.quoted.startswith("Ann>")


@pytest.mark.parametrize(
    "text", ["> only a quote", "> On Mon, 3 Mar 2025, Ann wrote:\n>> older\n>\n> old"]
)
def test_a_body_that_is_all_quote_is_kept_whole(text):
    assert split(text) == ReplySplit(text, "", "")


def test_attribution_and_quote_only_is_kept_whole():
    text = "On Mon, 3 Mar 2025 at 10:00, Ann <ann@example.com> wrote:\n> old"
    assert split(text).new == text


# -- signatures ----------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", ["-- ", "--"])
def test_the_signature_delimiter(delimiter):
    result = split(f"{REPLY}\n\n{delimiter}\nAnn Lee\nFacilities, floor 2\n")
    assert result.new == REPLY
    assert result.signature == f"{delimiter}\nAnn Lee\nFacilities, floor 2"


@pytest.mark.parametrize(
    "text",
    [
        "Use the new driver -- the old one crashes.",
        "I checked:\n-- the cable\n-- the toner\n-- the paper tray",
        "Try this:\n\n```\n--\nsome config\n```\n\nDoes it help?",
    ],
    ids=["in-a-line", "list", "code"],
)
def test_dashes_that_are_not_a_signature_delimiter(text):
    result = split(text)
    assert result.new == text
    assert result.signature == ""


def test_the_signature_is_found_before_the_quoted_history():
    text = (
        f"{REPLY}\n\n-- \nAnn Lee\n\n"
        "On Mon, 3 Mar 2025 at 10:00, Help Desk <help@example.com> wrote:\n> Is it fixed?"
    )
    result = split(text)
    assert (result.new, result.signature) == (REPLY, "-- \nAnn Lee")
    assert result.quoted.startswith("On Mon")


def test_a_signature_under_the_quoted_history_is_the_senders():
    text = (
        f"{REPLY}\n\nOn Mon, 3 Mar 2025 at 10:00, Help Desk <help@example.com> wrote:\n"
        "> Is it fixed?\n\n-- \nAnn Lee\nFacilities"
    )
    result = split(text)
    assert result.new == REPLY
    assert result.signature == "-- \nAnn Lee\nFacilities"
    assert result.quoted.endswith("> Is it fixed?")


MOBILE = [
    "Sent from my iPhone",
    "Sent from my iPad",
    "Sent from my Samsung Galaxy smartphone.",
    "Sent from my BlackBerry 10 smartphone.",
    "Sent from my Android phone, please excuse my brevity.",
    "Sent from Mail for Windows",
    "Sent from Yahoo Mail on Android",
    "Sent with ProtonMail Secure Email.",
    "Get Outlook for iOS<https://aka.ms/o0ukef>",
    "Get [Outlook for Android](https://aka.ms/ghei36)",
    "Envoyé de mon iPhone",
    "Envoyé depuis mon iPhone",
    "Von meinem iPhone gesendet",
    "Gesendet von Outlook für Android",
    "Enviado desde mi iPhone",
    "Enviado do meu iPhone",
    "Inviato da iPhone",
    "Verzonden vanaf mijn iPhone",
    "Skickat från min iPhone",
    "Sendt fra min iPhone",
    "Lähetetty iPhonesta",
    "Wysłane z iPhone'a",
    "Odesláno z iPhonu",
    "Отправлено с iPhone",
    "iPhoneから送信",
    "发自我的iPhone",
    "從我的 iPhone 傳送",
    "내 iPhone에서 보냄",
]


@pytest.mark.parametrize("line", MOBILE)
def test_sent_from_my_phone_is_a_signature(line):
    result = split(f"{REPLY}\n\n{line}\n")
    assert (result.new, result.signature) == (REPLY, line)


def test_sent_from_my_phone_ends_the_reply():
    # Phones put their line between the reply and a history they quote without a header.
    result = split(f"{REPLY}\n\nSent from my iPhone\n\nHello, is the printer fixed?\n")
    assert (result.new, result.signature) == (REPLY, "Sent from my iPhone")
    assert result.quoted == "Hello, is the printer fixed?"


@pytest.mark.parametrize(
    "text",
    [
        f"{REPLY}\n\nSent from my desk, which is easier than from my phone.",
        "The alert was sent from my iPhone app to every user.",
        "Sent from the warehouse on Monday, the parcel should arrive soon.",
    ],
)
def test_sentences_about_sending_are_not_signatures(text):
    result = split(text)
    assert result.new == text
    assert result.signature == ""


def test_a_name_above_a_mobile_line_belongs_to_it():
    result = split(f"{REPLY}\n\nAnn Lee\nvia mobile")
    assert (result.new, result.signature) == (REPLY, "Ann Lee\nvia mobile")


def test_a_mailing_list_footer_under_a_rule():
    footer = "_" * 47 + "\nhelp mailing list\nhelp@lists.example.com"
    result = split(f"{REPLY}\n\n{footer}\n")
    assert (result.new, result.signature) == (REPLY, footer)


def test_contact_details_under_a_sign_off_are_a_signature():
    signature = "Ann Lee\nFacilities Manager\nPhone: +1 555 123 4567\nwww.example.com"
    result = split(f"{REPLY}\n\nBest regards,\n{signature}")
    assert result.new == f"{REPLY}\n\nBest regards,"
    assert result.signature == signature


def test_contact_details_under_a_rule_are_a_signature():
    text = f"{REPLY}\n\nCheers, Ann\n\n————\nAnn Lee\nann@example.com\n+1 555 123 4567"
    result = split(text)
    assert result.new == f"{REPLY}\n\nCheers, Ann"
    assert result.signature.startswith("————")


@pytest.mark.parametrize(
    "text",
    [
        f"{REPLY}\n\nBest regards,\nAnn",
        f"{REPLY}\n\nThanks,\n\nAnn Lee\nFacilities Manager",
        f"{REPLY}\n\nKind regards / Mit freundlichen Grüßen\nAnn Lee",
        "The VPN is down.\n\nPlease call me back at\n+1 555 123 4567 or ann@example.com",
        "Two things:\n\n1. the printer\n2. the scanner\n\n----\n\nSee you.",
    ],
    ids=["sign-off", "name-title", "bilingual", "call-me", "markdown-rule"],
)
def test_sign_offs_and_contact_requests_stay_new(text):
    result = split(text)
    assert result.new == text
    assert result.signature == ""


def test_a_signature_with_a_phone_line_under_it():
    text = f"{REPLY}\n\nThanks,\nAnn\n\n--\nAnn Lee\nFacilities\n\nSent from my iPhone"
    result = split(text)
    assert result.new == f"{REPLY}\n\nThanks,\nAnn"
    assert result.signature == "--\nAnn Lee\nFacilities\n\nSent from my iPhone"


def test_someone_who_wrote_only_a_signature_still_wrote_it():
    result = split("Sent from my iPhone\n\nOn Mon, 3 Mar 2025, Ann <ann@example.com> wrote:\n> hi")
    assert result.new == "Sent from my iPhone"
    assert result.quoted.startswith("On Mon")
    assert split("-- \nAnn Lee").new == "-- \nAnn Lee"


# -- forwards -------------------------------------------------------------------------

GMAIL_FORWARD = (
    "---------- Forwarded message ---------\nFrom: Vendor <sales@example.com>\n"
    "Date: Mon, Mar 3, 2025 at 10:00 AM\nSubject: Your order\nTo: <ann@example.com>\n\n"
    "Your order ships on Friday."
)


@pytest.mark.parametrize(
    "text",
    [
        f"FYI, see below.\n\n{GMAIL_FORWARD}",
        GMAIL_FORWARD,
        "Can you look at this?\n\nBegin forwarded message:\n\nFrom: Vendor <sales@example.com>\n"
        "Subject: Your order\nDate: 3 March 2025 at 10:00:00 CET\nTo: ann@example.com\n\nIt ships.",
        "See below.\n\n> Begin forwarded message:\n>\n> From: Vendor <sales@example.com>\n"
        "> Date: 3 March 2025 at 10:00\n>\n> It ships.",
        "FYI\n\n________________________________\nFrom: Vendor <sales@example.com>\n"
        "Sent: Monday, March 3, 2025 10:00 AM\nTo: Ann Lee\nSubject: FW: Your order\n\nIt ships.",
        "FYI\n\n-------- Weitergeleitete Nachricht --------\nBetreff: Bestellung\n"
        "Datum: Mon, 3 Mar 2025 10:00:00 +0100\nVon: Vendor <sales@example.com>\n\nFreitag.",
    ],
    ids=["gmail", "no-note", "apple", "apple-quoted", "outlook-fw", "thunderbird-de"],
)
def test_a_forward_with_a_short_note_is_all_new(text):
    assert split(text) == ReplySplit(text, "", "")


def test_a_forward_under_a_long_message_is_history():
    note = "\n".join(f"Point {n} of my long explanation." for n in range(1, 8))
    result = split(f"{note}\n\n{GMAIL_FORWARD}")
    assert result.new == note
    assert result.quoted == GMAIL_FORWARD


def test_a_forward_inside_the_history_is_history():
    text = (
        f"{REPLY}\n\nOn Mon, 3 Mar 2025 at 10:00, Bob <bob@example.com> wrote:\n"
        "> FYI\n>\n> ---------- Forwarded message ---------\n> From: Vendor <sales@example.com>"
    )
    result = split(text)
    assert result.new == REPLY
    assert "Forwarded message" in result.quoted


# -- the guard ------------------------------------------------------------------------


def test_a_bug_shows_the_whole_body_and_is_logged(monkeypatch, caplog):
    def broken(text: str) -> ReplySplit:
        raise RuntimeError("boom")

    monkeypatch.setattr(quotes, "_split", broken)
    with caplog.at_level(logging.ERROR, logger="deskwise.mail.quotes"):
        result = split_reply(f"\n{REPLY}\n\n> old\n")
    assert result == ReplySplit(f"{REPLY}\n\n> old", "", "")
    assert "Could not split a reply" in caplog.text


# -- properties -----------------------------------------------------------------------

BUILDING_BLOCKS = [
    REPLY,
    "",
    "",
    "> quoted line",
    ">> deeper quote",
    ">",
    "Ann> named quote",
    "On Mon, 3 Mar 2025 at 10:00, Ann <ann@example.com> wrote:",
    "On Mon, 3 Mar 2025 at 10:00, Ann <",
    "ann@example.com> wrote:",
    "2025-03-03 10:00 GMT+01:00 Ann Lee",
    "-----Original Message-----",
    "---------- Forwarded message ---------",
    "Begin forwarded message:",
    "From: Ann <ann@example.com>",
    "Sent: Monday, March 3, 2025 10:00",
    "To: Help Desk",
    "Subject: RE: printer",
    "________________________________",
    "-- ",
    "--",
    "----",
    "Sent from my iPhone",
    "Best regards,",
    "Ann Lee",
    "+1 555 123 4567",
    "www.example.com",
    "```",
    "    code line",
    "\u1427",
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
    "wrote:",
    ":",
    "-",
]

bodies = st.lists(
    st.one_of(st.sampled_from(BUILDING_BLOCKS), st.text(max_size=40)), max_size=40
).map("\n".join)


@settings(
    max_examples=300,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.one_of(st.text(), bodies))
def test_properties_on_any_text(text):
    with quotes_errors() as errors:
        result = split_reply(text)
    assert not errors, errors[0].getMessage()
    assert isinstance(result, ReplySplit)
    # Never empty when there was something to read, never something out of nothing.
    assert bool(result.new) == bool(text.strip())
    assert_nothing_lost(text, result)
    for part in (result.new, result.quoted, result.signature):
        assert part == part.rstrip()
        assert "\r" not in part


@settings(max_examples=100, database=None, deadline=None)
@given(st.lists(st.sampled_from(BUILDING_BLOCKS[3:]), max_size=30).map("\n".join))
def test_a_reply_on_top_of_anything_stays_new(history):
    # What a person types above a history shows, whatever the history looks like.
    result = split_reply(f"{REPLY}\n\n{history}")
    assert result.new.startswith(REPLY)


# -- time -----------------------------------------------------------------------------


def test_a_100_kb_thread_keeps_only_the_new_text():
    # How fast this is, `make bench` measures (reply_split_100kb_ms).
    split = split_reply(long_thread(100_000))
    assert split.new.endswith("Ann Lee")
    assert "wrote:" not in split.new


@pytest.mark.parametrize(
    "line",
    [
        "",
        "--",
        "> x",
        "____",
        "Sent from my iPhone",
        "On Mon, 3 Mar 2025 at 10:00, Ann <ann@example.com> wrote:",
        "Note: On 2025-03-03 someone wrote:",
        "From: a@example.com",
        "x" * 200,
        ":" * 80,
    ],
    ids=[
        "blank",
        "dashes",
        "quotes",
        "rules",
        "mobile",
        "headers",
        "colons",
        "fields",
        "long",
        "runs",
    ],
)
def test_pathological_bodies_stay_linear(line):
    # Not a speed measurement (the bench does that): a guard against
    # backtracking that would take minutes, with a hundredfold margin.
    text = "\n".join([line] * (100_000 // (len(line) + 1)))
    started = time.perf_counter()
    split_reply(text)
    assert time.perf_counter() - started < 1.0
