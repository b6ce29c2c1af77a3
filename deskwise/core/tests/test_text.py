from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from deskwise.core import text


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("a\x00b", "a NUL byte"),
        ("a\x07b", "a control character (U+0007"),
        ("a\u202eb", "U+202E"),
        ("a\ud800b", "an invalid character (U+D800)"),
        ("a\nb", "a control character (U+000A"),
    ],
)
def test_a_line_refuses_control_characters_by_name(value, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        text.clean_line(value, label="Subject", max_length=200)


def test_a_body_keeps_line_breaks_and_tabs_and_normalises_newlines():
    assert text.clean_body("  one\r\ntwo\r\tthree  ", label="Body") == "one\ntwo\n\tthree"


def test_lengths_are_said_in_numbers():
    with pytest.raises(ValidationError, match="is 201 characters long; the limit is 200"):
        text.clean_line("x" * 201, label="Subject", max_length=200)


def test_emails_are_checked_and_lowercased():
    assert text.clean_email(" Ann.Lee@Example.ORG ") == "ann.lee@example.org"
    with pytest.raises(ValidationError, match="is not a valid email address"):
        text.clean_email("ann@")


def test_text_to_html_escapes_and_links():
    html = text.text_to_html('<script>alert(1)</script>\n\nSee https://example.org/a?b=1&c=2 "now"')
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert '<a href="https://example.org/a?b=1&amp;c=2"' in html
    assert html.count("<p>") == 2


def test_sanitise_html_removes_active_content():
    dirty = '<p onclick="x()">Hi<img src="javascript:alert(1)"><iframe src="//evil"></iframe></p>'
    clean = text.sanitise_html(dirty)
    assert "onclick" not in clean
    assert "javascript" not in clean
    assert "iframe" not in clean
    assert clean.startswith("<p>Hi")


@given(st.text(max_size=300))
def test_a_body_is_either_refused_or_clean(value):
    try:
        cleaned = text.clean_body(value, label="Body")
    except ValidationError as exc:
        refusal = exc.messages[0]
        assert refusal.startswith("Body ")
    else:
        assert cleaned == cleaned.strip()
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\r]", cleaned)
        # Whatever the validator accepts, the API's pattern accepts, and vice versa.
        assert re.search(text.BODY_PATTERN, cleaned)


@given(st.text(max_size=100))
def test_the_line_pattern_and_the_validator_agree(value):
    try:
        text.clean_line(value, label="Subject", max_length=200)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == bool(re.search(text.LINE_PATTERN, value.strip()))
