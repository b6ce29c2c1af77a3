"""The engine on its own: each check fires where it should and stays quiet where
it should not, the fixes are safe, and no input makes it fail."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deskwise.coach.checks import (
    CHECK_CHARS,
    CHECKS,
    SOLVED_QUESTION,
    TRUNCATED,
    Context,
    Fix,
    Glossary,
    apply_fix,
    check,
    reading_grade,
    syllables,
)

GOOD = (
    "Hi Mei,\n\nThanks for letting me know the printer on floor 2 jams after the first page. "
    "I've ordered a new roller, and I'll fit it tomorrow before 10 am.\n\nBest regards,\nSam"
)
MEI = Context(first_name="Mei")


def codes(text: str, **context: object) -> set[str]:
    ctx = Context(**{"first_name": "Mei", **context})
    return {note.code for note in check(text, context=ctx)}


def only(text: str, code: str, **context: object) -> list:
    ctx = Context(**{"first_name": "Mei", **context})
    return [note for note in check(text, context=ctx) if note.code == code]


def test_a_good_reply_gets_no_note():
    assert check(GOOD, context=MEI) == []


# --- each check: a reply that should get its note, and one that should not ---------------

CASES = {
    "greeting": (
        "Thanks for letting me know about the printer. I'll fix it by 3 pm today.",
        "Hello Mei, thanks for letting me know about the printer. I'll fix it by 3 pm today.",
    ),
    "acknowledgement": (
        "Hi Mei,\n\nI'll replace the roller by 3 pm today.",
        "Hi Mei,\n\nSorry to hear the printer jams. I'll replace the roller by 3 pm today.",
    ),
    "blame": (
        "Hi Mei,\n\nThanks for the report. You should have saved it to the shared drive. "
        "I'll restore it by 3 pm today.",
        "Hi Mei,\n\nThanks for the report. You should have received a link from us; I'll send "
        "it again by 3 pm today.",
    ),
    "negative": (
        "Hi Mei,\n\nThanks for the report. We can't replace the roller. I'll call you at 3 pm.",
        "Hi Mei,\n\nThanks for the report. I'll replace the roller, and I'll call you at 3 pm.",
    ),
    "jargon": (
        "Hi Mei,\n\nThanks for the report. Please connect to the VPN and try again.",
        "Hi Mei,\n\nThanks for the report. Please connect to the office network and try again.",
    ),
    "next_step": (
        "Hi Mei,\n\nThanks for the report. I'll look into it.",
        "Hi Mei,\n\nThanks for the report. I'll look into it and update you by 3 pm today.",
    ),
    "long_sentence": (
        "Hi Mei,\n\nThanks for the report, and I wanted to say that I've ordered a new roller "
        "from the supplier which should arrive tomorrow and then I'll come up to the second "
        "floor and fit it for you before lunch.",
        "Hi Mei,\n\nThanks for the report. I've ordered a new roller. It arrives tomorrow, and "
        "I'll fit it before lunch.",
    ),
    "reading_grade": (
        "Hi Mei,\n\nThank you for notifying us regarding the intermittent printing malfunction. "
        "Our preliminary investigation indicates that mechanical deterioration of the feeding "
        "mechanism is responsible for the recurring obstruction. Consequently, a replacement "
        "component has been requisitioned. Installation is scheduled for tomorrow afternoon.",
        "Hi Mei,\n\nThanks for telling us the printer keeps jamming. A worn roller pulls in two "
        "pages at once, and that is what jams it. I've ordered a new roller from the maker, and "
        "I'll fit it tomorrow afternoon when it comes.",
    ),
    "wall_of_text": (
        "Hi Mei,\n\nThanks for asking. Open Settings and click Devices. Then choose Printers and "
        "select the floor 2 printer. Click Remove, then restart your laptop. Open Settings "
        "again, click Add a printer and pick the floor 2 printer from the list. Wait a minute "
        "while it installs.",
        "Hi Mei,\n\nThanks for asking. Here's how:\n\n1. Open Settings and click Devices.\n2. "
        "Choose Printers and select the floor 2 printer.\n3. Click Remove, then restart your "
        "laptop.\n4. Open Settings again, click Add a printer and pick the floor 2 printer.",
    ),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_check_fires_on_its_flaw_and_not_without_it(code):
    flawed, fine = CASES[code]
    assert code in codes(flawed)
    assert code not in codes(fine)


def test_empathy_only_for_a_frustrated_requester():
    cold = "Hi Mei,\n\nThanks for the update. I'll replace the charger at 2 pm today."
    warm = "Hi Mei,\n\nI'm sorry this has dragged on. I'll replace the charger at 2 pm today."
    assert "empathy" in codes(cold, frustrated=True)
    assert "empathy" not in codes(cold)
    assert "empathy" not in codes(warm, frustrated=True)


def test_solved_question_only_on_a_resolution():
    done = "Hi Mei,\n\nI've replaced the roller and printed twenty pages without a jam."
    assert "solved_question" in codes(done, purpose="resolution")
    assert "solved_question" not in codes(done, purpose="reply")
    asked = done + " Have I solved your problem?"
    assert "solved_question" not in codes(asked, purpose="resolution")
    # A resolution says what was done: no acknowledgement or next step is asked of it.
    assert not {"acknowledgement", "next_step"} & codes(done, purpose="resolution")


def test_a_deferral_needs_a_date_and_a_decline_an_alternative():
    later = "Hi Mei,\n\nThanks for the request. The team is busy, so we'll come back to it."
    assert "next_step" in codes(later, purpose="defer")
    dated = "Hi Mei,\n\nThanks for the request. We'll set it up on Tuesday 14 May."
    assert "next_step" not in codes(dated, purpose="defer")
    no = "Hi Mei,\n\nThanks for asking. The help desk looks after company devices only."
    assert "next_step" in codes(no, purpose="decline")
    elsewhere = no + " The phone shop on the high street can help instead."
    assert "next_step" not in codes(elsewhere, purpose="decline")


def test_an_unknown_purpose_is_read_as_a_reply():
    assert codes(GOOD, purpose="nonsense") == set()


def test_apologies_and_plans_are_not_negative_phrasing():
    for text in (
        "Hi Mei,\n\nI'm sorry I couldn't call you back yesterday. I'll ring you at 3 pm today.",
        "Hi Mei,\n\nThanks for the report. If I can't fix it remotely, I'll come over at 3 pm.",
        "Hi Mei,\n\nThanks for the report. You won't need to do anything; it's fixed at 3 pm.",
    ):
        assert "negative" not in codes(text), text


def test_an_unfortunately_chain_is_negative():
    text = (
        "Hi Mei,\n\nThanks for the request. Unfortunately the screens are booked. "
        "Unfortunately the cables are out too. I'll order more today."
    )
    (note,) = only(text, "negative")
    assert text[note.start : note.end] == "Unfortunately"
    assert note.start > text.index("Unfortunately")  # the second one


def test_isnt_your_fault_is_not_blame():
    text = "Hi Mei,\n\nThanks for the report. It isn't your fault. I'll fix it at 3 pm today."
    assert "blame" not in codes(text)
    assert "blame" in codes(text.replace("It isn't your fault", "It was your fault"))


# --- jargon -------------------------------------------------------------------------------


def test_technical_requesters_are_not_nagged_about_jargon():
    text = "Hi Mei,\n\nThanks for the report. The DNS record points at the old VPN host."
    assert "jargon" in codes(text)
    assert "jargon" not in codes(text, is_technical=True)


def test_jargon_in_quotes_code_links_and_brackets_is_left_alone():
    text = (
        'Hi Mei,\n\nThanks for the report. Click `Connect VPN`, choose "Clear cache", or read '
        "https://intranet.example.com/vpn-dns-help, or mail vpn@example.com. I'll add more "
        "memory (RAM) at 3 pm today.\n\n```\nipconfig /flushdns DNS\n```\n\nSam\n\n"
        "On Mon, 12 May 2025 at 09:14, Mei <mei@example.com> wrote:\n"
        "> Our DNS and DHCP report a firewall error.\n"
    )
    assert only(text, "jargon") == []
    quoted = "Hi Mei,\n\nThanks. I'll call at 3 pm today.\n\n> The VPN and the DNS are down.\n"
    assert only(quoted, "jargon") == []


def test_acronyms_match_only_in_capitals_and_plurals_are_flagged_without_a_fix():
    assert only("Hi Mei, thanks. The ad is ready at 3 pm today.", "jargon") == []
    (ad,) = only("Hi Mei, thanks. Your AD account is ready at 3 pm today.", "jargon")
    assert ad.fix is not None
    (plural,) = only("Hi Mei, thanks. Both VPNs are back at 3 pm today.", "jargon")
    assert plural.fix is None


def test_a_term_is_noted_once_and_an_explained_term_not_at_all():
    text = "Hi Mei, thanks. The VPN is back. Use the VPN from home. I'll check at 3 pm."
    assert len(only(text, "jargon")) == 1
    explained = "Hi Mei, thanks. The VPN (secure connection) is back. Use the VPN at 3 pm."
    assert only(explained, "jargon") == []


def test_a_desk_glossary_replaces_the_built_in_one():
    glossary = Glossary([("widget bus", "the office data line"), ("XYZ", "the booking app")])
    text = "Hi Mei, thanks. The widget bus and XYZ are back, and so is the VPN, at 3 pm."
    found = [n for n in check(text, context=Context(first_name="Mei", glossary=glossary))]
    said = {text[n.start : n.end] for n in found if n.code == "jargon"}
    assert said == {"widget bus", "XYZ"}
    empty = Glossary([])
    assert not [n for n in check(text, context=Context(glossary=empty)) if n.code == "jargon"]


# --- switches -----------------------------------------------------------------------------


def test_a_team_can_switch_checks_off():
    text = "We can't fix it. You should have saved it. The VPN is down."
    everything = codes(text)
    assert {"greeting", "negative", "blame", "jargon", "next_step"} <= everything
    left = codes(text, disabled=frozenset({"negative", "jargon", "greeting"}))
    assert left == everything - {"negative", "jargon", "greeting"}
    assert codes(text, disabled=frozenset(CHECKS)) == set()


# --- fixes --------------------------------------------------------------------------------


def fixed(text: str, code: str, **context: object) -> str:
    (note,) = only(text, code, **context)
    assert note.fix is not None
    return apply_fix(text, note.fix)


def test_jargon_fix_puts_the_plain_words_in_place():
    text = "Hi Mei,\n\nThanks for the report. Please connect to the VPN first, at 3 pm."
    after = fixed(text, "jargon")
    assert after == text.replace("the VPN", "the secure remote connection")
    assert "jargon" not in codes(after)


def test_jargon_fix_keeps_the_article_and_the_capital_right():
    after = fixed("Hi Mei, thanks. I'll fit an SSD at 3 pm today.", "jargon")
    assert "a fast storage drive" in after
    after = fixed("Hi Mei, thanks.\n\nVPN access is back at 3 pm today.", "jargon")
    assert "\n\nSecure remote connection access" in after


def test_greeting_fix_adds_or_completes_the_greeting():
    text = "Thanks for the report. I'll fix it at 3 pm today."
    assert fixed(text, "greeting") == "Hi Mei,\n\n" + text
    assert fixed("Hello,\n\n" + text, "greeting") == "Hello Mei,\n\n" + text
    assert fixed("Hi there, thanks. I'll fix it at 3 pm.", "greeting").startswith("Hi Mei, thanks")
    # No name known: a plain greeting, and nothing asked of a reply that has one.
    (note,) = [n for n in check(text) if n.code == "greeting"]
    assert note.fix is not None
    assert note.fix.text == "Hello,\n\n"
    assert not [n for n in check("Hello,\n\n" + text) if n.code == "greeting"]


def test_solved_question_goes_before_the_sign_off():
    text = "Hi Mei,\n\nI've replaced the roller.\n\nBest regards,\nSam"
    after = fixed(text, "solved_question", purpose="resolution")
    assert after == (
        f"Hi Mei,\n\nI've replaced the roller.\n\n{SOLVED_QUESTION}\n\nBest regards,\nSam"
    )
    bare = "Hi Mei,\n\nI've replaced the roller."
    assert fixed(bare, "solved_question", purpose="resolution") == f"{bare}\n\n{SOLVED_QUESTION}"
    assert "solved_question" not in codes(after, purpose="resolution")


def test_empathy_fix_goes_after_the_greeting():
    text = "Hi Mei,\n\nThanks for the update. I'll replace the charger at 2 pm today."
    after = fixed(text, "empathy", frustrated=True)
    assert after.startswith("Hi Mei,\n\nI'm sorry this has been so frustrating")
    assert after.endswith("Thanks for the update. I'll replace the charger at 2 pm today.")
    assert "empathy" not in codes(after, frustrated=True)


def test_wall_of_text_fix_numbers_the_steps_and_keeps_every_word():
    text = CASES["wall_of_text"][0]
    after = fixed(text, "wall_of_text")
    assert "\n1. Open Settings and click Devices.\n2. Choose Printers" in after
    assert "Thanks for asking.\n\n1." in after
    assert "wall_of_text" not in codes(after)
    # Only the sequencing words ("Then") are taken out.
    assert sorted(after.replace("Then ", "").split()) == sorted(
        (text.replace("Then choose", "Choose")).split() + [f"{n}." for n in range(1, 6)]
    )


def test_a_fix_that_does_not_fit_the_text_changes_nothing():
    assert apply_fix("short", Fix(3, 99, "x", "x")) == "short"
    assert apply_fix("short", Fix(4, 2, "x", "x")) == "short"
    assert apply_fix("short", Fix(-1, 2, "x", "x")) == "short"


def test_no_note_without_a_safe_fix_offers_one():
    # What needs the agent's own words (a refusal to rephrase, a time) has no fix.
    text = "We can't fix it. I'll look into it. You should have saved it."
    for note in check(text, context=MEI):
        if note.code in {"negative", "blame", "next_step", "acknowledgement"}:
            assert note.fix is None


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t  ",
        None,
        12345,
        "👍",
        "🙂🙂🙂 🎉",
        "\x00" * 50,
        "Hi\x00 Mei,\x00 I'll fix the VPN\x00 at 3 pm.",
        "<p>Hi <b>Mei</b>,</p><p>The VPN is fixed.</p><script>alert(1)</script>",
        "<" * 5000,
        "<!-- " + "x" * 5000,
        "```\n" + "code " * 5000,
        "a@" * 20_000,
        "\ud800\udfff broken surrogates \udc00",
        "word " * 20_000,
        "x" * 100_000,
        "Hi Mei,\r\n\r\nThanks for the report.\r\nI'll call at 3 pm.\r\n",
        "\u202eevil\u202c \u200b\u200d\ufeff",
    ],
)
def test_bad_input_gives_notes_or_none_never_an_error(text):
    notes = check(text, context=Context(first_name="Mei", frustrated=True, purpose="resolution"))
    length = len(text) if isinstance(text, str) else len(str(text or ""))
    for note in notes:
        assert 0 <= note.start <= note.end <= length
        if note.fix is not None:
            assert 0 <= note.fix.start <= note.fix.end <= min(length, CHECK_CHARS)


def test_empty_and_emoji_only_get_no_note():
    assert check("") == []
    assert check("👍👍") == []


def test_huge_text_is_cut_and_says_so():
    text = ("Hi Mei,\n\nThanks for the report. " + "The VPN is down. " * 10_000)[:100_000]
    notes = check(text, context=MEI)
    truncated = [n for n in notes if n.code == TRUNCATED]
    assert len(truncated) == 1
    assert (truncated[0].start, truncated[0].end) == (CHECK_CHARS, len(text))
    # What lies beyond the cut is not judged: no "missing" closing pieces.
    assert not {"next_step", "solved_question"} & {n.code for n in notes}
    assert len(notes) <= 15


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(max_size=600),
    name=st.text(max_size=20),
    purpose=st.sampled_from(["reply", "resolution", "decline", "defer", "x"]),
    frustrated=st.booleans(),
)
def test_any_text_gives_spans_inside_it_and_fixes_that_apply(text, name, purpose, frustrated):
    context = Context(first_name=name, purpose=purpose, frustrated=frustrated)
    for note in check(text, context=context):
        assert 0 <= note.start <= note.end <= len(text)
        if note.fix is not None:
            assert 0 <= note.fix.start <= note.fix.end <= len(text)
            assert isinstance(apply_fix(text, note.fix), str)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Hi",
                "Mei,",
                "VPN",
                "can't",
                "we",
                "I'll",
                "then",
                "click",
                "Save.",
                "\n\n",
                "(",
                ")",
                "`",
                '"',
                ">",
                "<p>",
                "http://x.y/VPN",
                "an",
                "SSD",
                "Unfortunately",
                "Then",
                "open",
                "Settings.",
                "you",
                "should",
                "have",
                "saved",
                "it.",
                "3 pm",
            ]
        ),
        max_size=80,
    )
)
def test_reply_shaped_noise_never_fails(words):
    text = " ".join(words)
    for note in check(text, context=Context(first_name="Mei", purpose="resolution")):
        assert 0 <= note.start <= note.end <= len(text)
        if note.fix is not None:
            apply_fix(text, note.fix)


# --- readability --------------------------------------------------------------------------


def test_the_flesch_kincaid_formula():
    # 0.39 x 20 words per sentence + 11.8 x 1.5 syllables per word - 15.59
    assert reading_grade(100, 5, 150) == pytest.approx(9.91)
    assert reading_grade(0, 0, 0) == 0.0


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("the", 1),
        ("printer", 2),
        ("restart", 2),
        ("jammed", 1),
        ("started", 2),
        ("unfortunately", 5),
        ("configuration", 5),
        ("don't", 1),
        ("two-factor", 3),
        ("2025", 1),
    ],
)
def test_syllables(word, count):
    assert syllables(word) == count
