"""The templates and phrases a new desk starts with, their validation, and what
agents are offered."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from deskwise.conftest import Desk
from deskwise.core.errors import InvalidInput, NotFound
from deskwise.responses import defaults
from deskwise.responses.models import LanguagePhrase, ResponseTemplate
from deskwise.responses.render import VARIABLES, check, render
from deskwise.responses.selectors import phrases, template_get, templates_for

pytestmark = pytest.mark.django_db

Purpose = ResponseTemplate.Purpose
Step = LanguagePhrase.Step

FULL = {
    "first_name": "Maria",
    "requester_name": "Maria Lopez",
    "reference": "DW-1042",
    "subject": "New monitor for the design team",
    "reason": "the team is restoring the shared drive for the whole office",
    "explanation": "Outages that stop many people working come first.",
    "alternatives": "A spare monitor is at the front desk until then.",
    "expected_date": "Friday 14 March",
    "agent_name": "Sam",
    "team_name": "Service Desk",
    "link": "https://desk.example.com/portal/new?subject=Printer",
    "what": "the printer on the second floor",
    "portal_url": "https://desk.example.com/portal/",
}


def test_full_context_names_every_variable() -> None:
    assert set(FULL) == set(VARIABLES)


def test_default_templates_exist_after_migrations() -> None:
    names = set(ResponseTemplate.objects.values_list("name", flat=True))
    assert names == {name for name, _, _ in defaults.TEMPLATES}
    purposes = set(ResponseTemplate.objects.values_list("purpose", flat=True))
    assert purposes == set(Purpose.values)


@pytest.mark.parametrize(("name", "purpose", "body"), defaults.TEMPLATES)
def test_each_default_template_renders_completely(name: str, purpose: str, body: str) -> None:
    template = ResponseTemplate.objects.get(name=name)
    assert template.purpose == purpose
    assert template.is_active
    template.full_clean()
    out = render(template.body, FULL)
    assert out.missing == ()
    assert out.unknown == ()
    assert "{{" not in out.text
    assert "}}" not in out.text
    assert "[" not in out.text
    assert out.text.startswith("Hi Maria,")


@pytest.mark.parametrize(
    ("purpose", "variables"),
    [
        (Purpose.DEFER, ["first_name", "reference", "subject", "reason", "explanation",
                         "alternatives", "expected_date", "agent_name", "team_name"]),
        (Purpose.DECLINE, ["first_name", "reference", "subject", "reason", "explanation",
                           "alternatives", "agent_name", "team_name"]),
        (Purpose.PLEASE_SUBMIT, ["first_name", "what", "link", "agent_name"]),
        (Purpose.NUDGE, ["first_name", "link", "agent_name"]),
    ],
)  # fmt: skip
def test_the_defaults_for_saying_no_use_what_they_must(purpose: str, variables: list[str]) -> None:
    (template,) = ResponseTemplate.objects.filter(purpose=purpose)
    for name in variables:
        assert "{{ " + name + " }}" in template.body


def test_a_decline_says_a_reply_reopens_it() -> None:
    (template,) = ResponseTemplate.objects.filter(purpose=Purpose.DECLINE)
    assert "reopens" in template.body
    assert "{{ expected_date }}" not in template.body


def test_the_nudge_says_why_the_queue_helps() -> None:
    (template,) = ResponseTemplate.objects.filter(purpose=Purpose.NUDGE)
    for reason in ["faster", "away", "Nothing gets lost"]:
        assert reason in template.body


def test_default_phrases_exist_for_every_step_and_pass_check() -> None:
    bank = phrases()
    assert list(bank) == [Step.ACKNOWLEDGE, Step.EXPLAIN, Step.ALTERNATIVES, Step.EXPECTATIONS]
    for step, texts in bank.items():
        assert texts == defaults.PHRASES[step]
        assert 4 <= len(texts) <= 6
        for text in texts:
            assert check(text) == []
            out = render(text, FULL)
            assert out.missing == ()
            assert out.unknown == ()


def test_clean_refuses_an_unknown_variable() -> None:
    template = ResponseTemplate(name="Typo", purpose=Purpose.ANY, body="Hi {{ frist_name }}")
    with pytest.raises(ValidationError) as caught:
        template.full_clean()
    (message,) = caught.value.message_dict["body"]
    assert message.startswith("{{ frist_name }} (did you mean {{ first_name }}?) is not")


def test_clean_refuses_unbalanced_braces_in_a_phrase() -> None:
    phrase = LanguagePhrase(step=Step.EXPECTATIONS, text="By {{ expected_date.")
    with pytest.raises(ValidationError) as caught:
        phrase.full_clean()
    assert caught.value.message_dict["text"] == [
        "An opening {{ has no closing }}; a variable is written {{ name }}."
    ]


def test_clean_accepts_a_good_template() -> None:
    ResponseTemplate(name="Fine", purpose=Purpose.ANY, body="Hi {{ first_name }}").full_clean()


def _only(*rows: tuple[str, str, int, bool]) -> None:
    ResponseTemplate.objects.all().delete()
    for name, purpose, order, active in rows:
        ResponseTemplate.objects.create(
            name=name, purpose=purpose, order=order, is_active=active, body="Hi"
        )


def test_templates_for_a_purpose_come_first_then_the_general_ones_in_order() -> None:
    _only(
        ("General B", Purpose.ANY, 5, True),
        ("General A", Purpose.ANY, 5, True),
        ("Defer late", Purpose.DEFER, 50, True),
        ("Defer early", Purpose.DEFER, 10, True),
        ("Defer retired", Purpose.DEFER, 1, False),
        ("General retired", Purpose.ANY, 1, False),
        ("Decline", Purpose.DECLINE, 1, True),
        ("Nudge", Purpose.NUDGE, 1, True),
    )
    assert [t.name for t in templates_for(Purpose.DEFER)] == [
        "Defer early",
        "Defer late",
        "General A",
        "General B",
    ]
    assert [t.name for t in templates_for(Purpose.DECLINE)] == ["Decline", "General A", "General B"]
    assert [t.name for t in templates_for(Purpose.PLEASE_SUBMIT)] == ["General A", "General B"]
    assert [t.name for t in templates_for(Purpose.ANY)] == ["General A", "General B"]


def test_templates_for_the_defaults() -> None:
    assert [t.name for t in templates_for("please_submit")] == [
        "Please submit a ticket",
        "Need more information",
        "Resolved: please confirm",
    ]


def test_templates_for_an_unknown_purpose_is_refused() -> None:
    with pytest.raises(InvalidInput):
        templates_for("shrug")


def test_phrases_are_active_ones_in_order() -> None:
    LanguagePhrase.objects.all().delete()
    LanguagePhrase.objects.create(step=Step.EXPLAIN, text="Second", order=20)
    LanguagePhrase.objects.create(step=Step.EXPLAIN, text="First", order=10)
    LanguagePhrase.objects.create(step=Step.EXPLAIN, text="Retired", order=1, is_active=False)
    LanguagePhrase.objects.create(step=Step.ACKNOWLEDGE, text="Thanks", order=100)
    assert phrases() == {
        "acknowledge": ["Thanks"],
        "explain": ["First", "Second"],
        "alternatives": [],
        "expectations": [],
    }


def test_template_get_returns_an_active_template() -> None:
    template = ResponseTemplate.objects.get(name="Need more information")
    assert template_get(template.pk) == template


def test_template_get_hides_inactive_and_missing_templates() -> None:
    template = ResponseTemplate.objects.get(name="Need more information")
    template.is_active = False
    template.save()
    with pytest.raises(NotFound):
        template_get(template.pk)
    with pytest.raises(NotFound):
        template_get(999_999)


def test_str() -> None:
    template = ResponseTemplate.objects.get(name="Need more information")
    assert str(template) == "Need more information"
    phrase = LanguagePhrase(step=Step.ACKNOWLEDGE, text="x" * 200)
    assert str(phrase) == "Acknowledge the request: " + "x" * 79 + "…"


def test_admin_shows_the_variables_and_refuses_a_typo(desk: Desk, client: Client) -> None:
    client.force_login(desk.admin)
    template = ResponseTemplate.objects.get(name="Need more information")
    page = client.get(f"/admin/responses/responsetemplate/{template.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    for name in VARIABLES:
        assert "<code>{{ " + name + " }}</code>" in html
    response = client.post(
        f"/admin/responses/responsetemplate/{template.pk}/change/",
        {
            "name": template.name,
            "purpose": template.purpose,
            "body": "Hi {{ frist_name }}",
            "order": "10",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "did you mean {{ first_name }}?" in response.content.decode()
    template.refresh_from_db()
    assert "frist_name" not in template.body


def test_admin_lists_and_filters(desk: Desk, client: Client) -> None:
    client.force_login(desk.admin)
    listing = client.get("/admin/responses/responsetemplate/?purpose__exact=decline")
    assert listing.status_code == 200
    assert "Decline: what you can do instead" in listing.content.decode()
    assert "Need more information" not in listing.content.decode()
    phrases_page = client.get("/admin/responses/languagephrase/?step__exact=explain&q=outages")
    assert phrases_page.status_code == 200
    assert "Right now we are working on outages" in phrases_page.content.decode()
