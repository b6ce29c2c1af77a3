"""Queries built from what people type: every word quoted, nothing read as syntax."""

from __future__ import annotations

import pytest

from deskwise.search import terms
from deskwise.search.terms import MARK_CLOSE, MARK_OPEN


@pytest.mark.parametrize(
    ("typed", "fts5", "websearch"),
    [
        ("printer jam", '"printer" "jam"', "printer jam"),
        ("Printer JAMS on floor 2", '"Printer" "JAMS" "floor" "2"', "Printer JAMS floor 2"),
        ('"paper jam" tray', '"paper jam" "tray"', '"paper jam" tray'),
        ("printer or scanner", '"printer" OR "scanner"', "printer or scanner"),
        ("or printer or", '"printer"', "printer"),
        ("printer -toner", '("printer") NOT "toner"', "printer -toner"),
        ("-toner", "", ""),
        ('say "hi', '"say" "hi"', "say hi"),
        ('a"b', '"ab"', "ab"),
        ("subject:printer", '"subject:printer"', "subject:printer"),
        ("NEAR(printer jam)", '"NEAR(printer" "jam)"', "NEAR(printer jam)"),
        ("AND OR NOT", '"AND" OR "NOT"', "AND or NOT"),
        ("(((", "", ""),
        ("*", "", ""),
        ("🙂", "", ""),
        ("the and of", '"the" "and" "of"', "the and of"),
    ],
)
def test_parse_quotes_every_word(typed, fts5, websearch):
    query = terms.parse(typed)
    assert query.fts5 == fts5
    assert query.websearch == websearch


def test_parse_drops_controls_markers_and_caps_length():
    query = terms.parse(f"print\x00er{MARK_OPEN}x\ud800 " + "w " * 5000)
    assert "\x00" not in query.fts5
    assert MARK_OPEN not in query.fts5
    assert "\ud800" not in query.fts5
    assert query.fts5.count('"w"') <= terms.MAX_TERMS
    assert len(terms.parse("a" * 10_000).fts5) == terms.MAX_QUERY_CHARS + 2


def test_parse_any_joins_content_words_with_or():
    query = terms.parse_any("Hi! My laptop won't connect to the Wi-Fi, the wifi is down. Help?")
    assert (
        query.fts5
        == '"hi" OR "laptop" OR "won\'t" OR "connect" OR "wi" OR "fi" OR "wifi" OR "help"'
    )
    assert query.websearch == "hi or laptop or won t or connect or wi or fi or wifi or help"
    assert terms.parse_any("the and of (((").empty
    assert len(terms.words(" ".join(f"word{i}" for i in range(500)))) == terms.MAX_TERMS


def test_marked_html_escapes_everything_but_our_marks():
    text = f"<script>x</script> {MARK_OPEN}print&er{MARK_CLOSE} <b>"
    assert str(terms.marked_html(text)) == (
        "&lt;script&gt;x&lt;/script&gt; <mark>print&amp;er</mark> &lt;b&gt;"
    )


@pytest.mark.parametrize(
    ("marked", "html"),
    [
        (f"{MARK_OPEN}a", "<mark>a</mark>"),
        (f"a{MARK_CLOSE}b", "ab"),
        (f"{MARK_OPEN}{MARK_OPEN}a{MARK_CLOSE}{MARK_CLOSE}", "<mark>a</mark>"),
        ("line\n\n  two", "line two"),
        ("", ""),
    ],
)
def test_unbalanced_marks_never_leave_a_tag_open(marked, html):
    assert str(terms.marked_html(marked)) == html
