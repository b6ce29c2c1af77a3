"""Filling placeholders: one pass, plain text, never raising, whatever the
admin wrote and whatever the requester typed."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deskwise.responses.render import (
    BODY_MAX,
    VALUE_MAX,
    VARIABLES,
    Rendered,
    check,
    clean_text,
    clean_value,
    marker,
    placeholders,
    render,
)


def test_known_variables_are_replaced() -> None:
    context = {"first_name": "Maria", "reference": "DW-1042"}
    out = render("Hi {{ first_name }}, about {{ reference }}.", context)
    assert out == Rendered("Hi Maria, about DW-1042.", missing=(), unknown=())


@pytest.mark.parametrize(
    "body", ["{{first_name}}", "{{ first_name }}", "{{  first_name\t}}", "{{first_name   }}"]
)
def test_whitespace_inside_the_braces_is_optional(body: str) -> None:
    assert render(body, {"first_name": "Maria"}).text == "Maria"


def test_placeholders_span_one_line_only() -> None:
    out = render("{{\nfirst_name\n}}", {"first_name": "Maria"})
    assert out.text == "{{\nfirst_name\n}}"


def test_a_value_is_used_each_time_its_placeholder_appears() -> None:
    assert render("{{ first_name }} {{first_name}}", {"first_name": "Ann"}).text == "Ann Ann"


def test_values_are_converted_with_str() -> None:
    assert render("{{ reference }}/{{ subject }}", {"reference": 1042, "subject": 0}).text == (
        "1042/0"
    )


def test_missing_values_are_marked_and_listed_once_in_order() -> None:
    out = render(
        "{{ expected_date }} {{ first_name }} {{ agent_name }} {{ expected_date }}",
        {"first_name": None, "agent_name": "  ", "team_name": "Desk"},
    )
    assert out.text == "[expected date?] [first name?] [agent name?] [expected date?]"
    assert out.missing == ("expected_date", "first_name", "agent_name")
    assert out.unknown == ()


def test_marker_names_the_variable_in_words() -> None:
    assert marker("expected_date") == "[expected date?]"


def test_unknown_placeholders_are_left_and_listed_once_in_order() -> None:
    out = render("{{ nme }} {{ first_name }} {{ ticket }} {{nme}}", {"first_name": "Ann"})
    assert out.text == "{{ nme }} Ann {{ ticket }} {{nme}}"
    assert out.unknown == ("nme", "ticket")
    assert out.missing == ()


def test_other_braces_are_plain_text() -> None:
    body = "{{ First_Name }} {{ first-name }} {{ a.b }} {first_name} {% if x %}{{ x|upper }}"
    assert render(body, {"first_name": "Ann"}) == Rendered(body, (), ())


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "{{ reference }}",
        "{{reference}}{{ first_name }}",
        "{% raw %}{{ x }}{% endraw %}",
        "{% if user.is_superuser %}yes{% endif %}",
        "{{",
        "}}",
        "{{ subject",
        "${7*7} #{7*7} {{7*7}} {{ self.__class__ }}",
        "[expected date?]",
        "\\1 \\g<0>",
    ],
)
def test_hostile_values_stay_literal_and_are_not_expanded(hostile: str) -> None:
    out = render("A {{ subject }} B {{ reference }}", {"subject": hostile, "reference": "DW-7"})
    assert out == Rendered(f"A {hostile} B DW-7", (), ())


def test_a_value_cannot_complete_a_placeholder_split_around_it() -> None:
    out = render("{{ {{ subject }} }}", {"subject": "reference", "reference": "DW-1"})
    assert out.text == "{{ reference }}"


def test_nul_and_control_characters_are_removed_from_values_keeping_lines_and_tabs() -> None:
    value = "a\x00b\x07c\x1bd\x7fe\x85f\u202eg\ud800h\ti\nj\r\nk\rl"
    assert render("{{ subject }}", {"subject": value}).text == "abcdefgh\ti\nj\nk\nl"


def test_a_value_of_only_control_characters_is_missing() -> None:
    out = render("{{ subject }}", {"subject": "\x00\x01"})
    assert out == Rendered("[subject?]", ("subject",), ())


def test_long_values_are_cut() -> None:
    out = render("{{ explanation }}!", {"explanation": "x" * (VALUE_MAX * 3)})
    assert len(out.text) == VALUE_MAX + 1
    assert out.text.endswith("…!")


def test_no_body_is_empty_text() -> None:
    assert render(None, {"first_name": "Ann"}) == Rendered("", (), ())
    assert render("", {}) == Rendered("", (), ())


def test_a_very_long_body_is_rendered() -> None:
    body = ("Hi {{ first_name }}, " * 5_000) + "{" * 30_000 + "{{ " + "a" * 30_000
    out = render(body, {"first_name": "Ann"})
    assert len(body) > 50_000
    assert out.text.startswith("Hi Ann, Hi Ann, ")
    assert out.missing == ()


def test_control_characters_in_the_body_are_removed() -> None:
    assert render("Hi\x00 {{ first_name }}\r\n", {"first_name": "Ann"}).text == "Hi Ann\n"


def test_a_value_whose_str_fails_is_missing() -> None:
    class Broken:
        def __str__(self) -> str:
            raise RuntimeError("no")

    assert render("{{ subject }}", {"subject": Broken()}).missing == ("subject",)


def test_placeholders_lists_names_in_order() -> None:
    assert placeholders("{{ b }} {{a}} {{ b }} {{ C }}") == ["b", "a"]
    assert placeholders(None) == []


def test_variables_describe_themselves() -> None:
    assert {"first_name", "reference", "expected_date", "link", "what", "portal_url"} <= set(
        VARIABLES
    )
    assert all(re.fullmatch(r"[a-z_]+", name) for name in VARIABLES)
    assert all(text.strip() for text in VARIABLES.values())


_names = st.sampled_from([*VARIABLES, "nme", "ticket", "x"])
_piece = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["{{", "}}", "{", "}", " ", "{%", "%}", "\x00", "\n"]),
    st.builds(
        lambda name, before, after: "{{" + before + name + after + "}}",
        _names,
        st.sampled_from(["", " ", "\t"]),
        st.sampled_from(["", " ", "  "]),
    ),
)
_bodies = st.one_of(st.none(), st.text(), st.lists(_piece, max_size=30).map("".join))
_values = st.one_of(st.none(), st.text(), st.integers(), st.sampled_from(["{{ reference }}"]))


@settings(max_examples=300, deadline=None)
@given(body=_bodies, context=st.dictionaries(st.one_of(_names, st.text()), _values))
def test_render_never_raises_and_every_filled_placeholder_shows_its_value(
    body: str | None, context: dict[str, object]
) -> None:
    out = render(body, context)
    assert isinstance(out.text, str)
    assert set(out.missing) <= set(VARIABLES)
    assert list(out.unknown) == [
        name for name in placeholders(clean_text(body or "")) if name not in VARIABLES
    ]
    used = placeholders(body)
    for name in used:
        if name not in VARIABLES:
            continue
        value = clean_value(context.get(name))
        if value.strip():
            assert value in out.text
            assert name not in out.missing
        else:
            assert marker(name) in out.text
            assert name in out.missing


@settings(max_examples=200, deadline=None)
@given(body=_bodies)
def test_check_never_raises(body: str | None) -> None:
    assert all(isinstance(message, str) and message for message in check(body))


def test_check_accepts_a_good_body() -> None:
    assert check("Hi {{ first_name }},\n\nAbout {{reference}}: see {{ link }}.") == []
    assert check(None) == []


def test_check_names_unknown_variables_and_lists_the_known_ones() -> None:
    (message,) = check("Hi {{ frist_name }}, {{ ticket }} {{ ticket }}")
    assert message.startswith(
        "{{ frist_name }} (did you mean {{ first_name }}?) and {{ ticket }} are not variables."
    )
    assert "The variables you can use are: first_name, requester_name, reference" in message
    assert message.endswith("portal_url.")


def test_check_names_one_unknown_variable() -> None:
    (message,) = check("{{ ticket }}")
    assert message.startswith("{{ ticket }} is not a variable.")


def test_check_explains_braces_that_are_not_a_variable() -> None:
    assert check("{{ First Name }}") == [
        "{{ First Name }} is not a variable: did you mean {{ first_name }}?"
    ]
    assert check("{{ name|upper }}") == [
        "{{ name|upper }} is not a variable: a variable is a name in lower case letters "
        "and underscores, like {{ first_name }}."
    ]


def test_check_finds_unbalanced_braces() -> None:
    assert check("Hi {{ first_name, see {{ link }}") == [
        "An opening {{ has no closing }}; a variable is written {{ name }}."
    ]
    assert check("Hi first_name }}") == [
        "A closing }} has no opening {{; a variable is written {{ name }}."
    ]


def test_check_refuses_tags_control_characters_and_great_length() -> None:
    assert check("{% if first_name %}Hi{% endif %}") == [
        "{% ... %} is not understood here: these templates only fill in {{ variables }}, "
        "with no conditions or loops."
    ]
    assert check("Hi\x00") == ["This text contains a control character; please remove it."]
    assert check("Hi\r\n\tthere") == []
    (message,) = check("x" * (BODY_MAX + 1))
    assert message.startswith(f"This text is {BODY_MAX + 1:,} characters long")
