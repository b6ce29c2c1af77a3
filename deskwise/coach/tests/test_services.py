"""The coach on the desk: context from the ticket, the desk's jargon list and
the teams' switches, and the record of each reply sent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction

from deskwise.coach import checks, services
from deskwise.coach.defaults import JARGON
from deskwise.coach.models import CoachRecord, JargonTerm, TeamCoachSettings
from deskwise.outcomes import services as outcomes
from deskwise.outcomes.models import DecisionReason
from deskwise.tickets import services as tickets
from deskwise.tickets.models import TimelineEvent

pytestmark = pytest.mark.django_db

POOR = "We can't fix the VPN. I'll look into it."
GOOD = "Hi Mei,\n\nSorry to hear the printer jams. I'll fit a new roller at 3 pm today."


def test_the_desk_starts_with_the_curated_jargon_list():
    assert len(JARGON) >= 80
    assert JargonTerm.objects.filter(is_active=True).count() == len(JARGON)
    terms = {term.lower() for term in JargonTerm.objects.values_list("term", flat=True)}
    assert {"dns", "vpn", "reboot", "cache", "mfa"} <= terms
    # Every curated term can match: it reads as the words it is looked up by.
    assert len(services.glossary()) == len(JARGON)


def test_jargon_terms_are_unique_whatever_the_case():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        JargonTerm.objects.create(term="vpn", plain_words="x")


def test_context_comes_from_the_ticket(desk, named):
    ticket = named(first="Mei", technical=True)
    context = services.context_for(ticket, purpose="resolution")
    assert context.first_name == "Mei"
    assert context.is_technical is True
    assert context.frustrated is False
    assert context.purpose == "resolution"
    assert context.disabled == services.ADDED_BY_THE_MAIL["resolution"]
    assert services.context_for(ticket, purpose="reply").disabled == frozenset()
    assert services.context_for(ticket, purpose="bogus").purpose == "reply"


def test_the_resolution_mail_does_add_what_the_coach_leaves_to_it(desk, named, run_tasks):
    """The coach does not ask for a greeting or "Have I solved your problem?" in
    a resolution because the mail adds both: if the mail stops, this fails."""
    from django.core import mail

    ticket = named(first="Mei")
    tickets.take_ownership(ticket=ticket, actor=desk.agent)
    mail.outbox.clear()
    with run_tasks():
        tickets.resolve(ticket=ticket, actor=desk.agent, resolution="Replaced the roller.")
    (sent,) = [m for m in mail.outbox if "Replaced the roller." in m.body]
    assert sent.body.startswith("Hello Mei")
    assert checks.SOLVED_QUESTION in sent.body


def test_a_requester_without_a_name_is_not_greeted_by_their_address(desk):
    contact = desk.requester.contact
    contact.name = ""
    contact.save(update_fields=["name"])
    assert services.context_for(desk.ticket()).first_name == ""


def test_the_frustration_flag_reaches_the_checks(frustrated):
    context = services.context_for(frustrated)
    assert context.frustrated is True
    text = "Hi Mei,\n\nThanks for the update. I'll replace the charger at 2 pm today."
    assert "empathy" in {n.code for n in services.notes_for(frustrated, text)}


def test_a_team_switches_checks_off_for_its_tickets(desk, named):
    ticket = named()
    other = named(team=desk.other_team)
    TeamCoachSettings.objects.create(team=desk.team, disabled_checks=["jargon", "negative"])
    services.forget()
    assert {n.code for n in services.notes_for(ticket, POOR)} & {"jargon", "negative"} == set()
    assert {"jargon", "negative"} <= {n.code for n in services.notes_for(other, POOR)}


def test_team_settings_refuse_unknown_checks(desk):
    settings = TeamCoachSettings(team=desk.team, disabled_checks=["jargon", "spelling"])
    with pytest.raises(ValidationError, match="spelling"):
        settings.full_clean()
    TeamCoachSettings(team=desk.team, disabled_checks=list(checks.CHECKS)).full_clean()


def test_the_desk_list_is_what_the_coach_reads(desk, named):
    ticket = named()
    text = "Hi Mei,\n\nSorry about the widget bus. It is back at 3 pm today, and so is DNS."
    JargonTerm.objects.create(term="widget bus", plain_words="office data line")
    JargonTerm.objects.filter(term="DNS").update(is_active=False)
    services.forget()
    said = {text[n.start : n.end] for n in services.notes_for(ticket, text) if n.code == "jargon"}
    assert said == {"widget bus"}


def test_the_admin_forgets_the_list_when_it_changes(desk, named, client_for):
    ticket = named()
    text = "Hi Mei,\n\nSorry about the widget bus. It is back at 3 pm today."
    assert not [n for n in services.notes_for(ticket, text) if n.code == "jargon"]
    admin = client_for(desk.admin)
    response = admin.post(
        "/admin/coach/jargonterm/add/",
        {"term": "widget bus", "plain_words": "office data line", "is_active": "on"},
    )
    assert response.status_code == 302, response.content[:500]
    assert [n for n in services.notes_for(ticket, text) if n.code == "jargon"]
    response = admin.post(
        "/admin/coach/teamcoachsettings/add/",
        {"team": desk.team.pk, "disabled_checks": ["jargon"]},
    )
    assert response.status_code == 302, response.content[:500]
    assert TeamCoachSettings.objects.get(team=desk.team).disabled_checks == ["jargon"]
    assert not [n for n in services.notes_for(ticket, text) if n.code == "jargon"]


def test_admin_pages_open(desk, client_for):
    admin = client_for(desk.admin)
    for url in (
        "/admin/coach/jargonterm/",
        "/admin/coach/teamcoachsettings/",
        "/admin/coach/coachrecord/",
        "/admin/coach/teamcoachsettings/add/",
    ):
        assert admin.get(url).status_code == 200, url


# --- the record of each reply ------------------------------------------------------------


def test_a_sent_reply_is_recorded_once(desk, named):
    ticket = named()
    event = tickets.reply(ticket=ticket, actor=desk.agent, body=POOR)
    record = services.record_reply(event=event)
    assert record is not None
    assert record.agent == desk.agent
    assert record.team == desk.team
    assert record.ticket_id == ticket.pk
    assert record.purpose == "reply"
    assert record.created_at == event.created_at
    expected = {n.code for n in services.notes_for(ticket, POOR)}
    assert set(record.codes) == expected
    assert record.codes == sorted(record.codes)
    assert record.notes_count == len(services.notes_for(ticket, POOR))
    assert {"negative", "jargon", "next_step", "greeting"} <= expected
    again = services.record_reply(event=event)
    assert again is not None
    assert again.pk == record.pk
    assert CoachRecord.objects.count() == 1


def test_a_clean_reply_is_recorded_with_no_notes(desk, named):
    event = tickets.reply(ticket=named(), actor=desk.agent, body=GOOD)
    record = services.record_reply(event=event)
    assert record is not None
    assert (record.notes_count, record.codes) == (0, [])


def test_resolutions_and_decisions_are_recorded_with_their_purpose(desk, named):
    ticket = named()
    tickets.take_ownership(ticket=ticket, actor=desk.agent)
    tickets.resolve(ticket=ticket, actor=desk.agent, resolution="Replaced the roller.")
    event = TimelineEvent.objects.filter(ticket=ticket, kind="resolution").get()
    # Recorded by the service that sent it, through the tickets app's hook.
    record = CoachRecord.objects.get(event=event)
    assert record.purpose == "resolution"
    # The resolution mail greets the requester and asks whether it is solved.
    assert not {"greeting", "solved_question"} & set(record.codes)

    other = named()
    reason = DecisionReason.objects.filter(applies_to__in=["decline", "both"]).first()
    decision = outcomes.decide(
        ticket=other,
        actor=desk.agent,
        kind="decline",
        reason=reason,
        message="Hi Mei,\n\nThanks for asking. We don't support that app.",
    )
    record = CoachRecord.objects.get(event=decision.event)
    assert record.purpose == "decline"
    assert "negative" in record.codes


def test_notes_and_the_requesters_own_messages_are_not_recorded(desk, named):
    ticket = named()
    note = tickets.add_note(ticket=ticket, actor=desk.agent, body=POOR)
    assert services.record_reply(event=note) is None
    opening = TimelineEvent.objects.filter(ticket=ticket).order_by("id").first()
    assert services.record_reply(event=opening) is None
    assert not CoachRecord.objects.exists()


def test_a_failing_coach_never_stops_a_reply(desk, named, monkeypatch):
    ticket = named()

    def broken(*args, **kwargs):
        raise RuntimeError("the coach broke")

    monkeypatch.setattr(checks, "check", broken)
    with transaction.atomic():
        event = tickets.reply(ticket=ticket, actor=desk.agent, body=POOR)
        # The reply's transaction is still usable after the coach failed.
        assert TimelineEvent.objects.filter(pk=event.pk).exists()
    assert TimelineEvent.objects.filter(pk=event.pk).exists()
    assert not CoachRecord.objects.exists()


def test_the_app_joins_the_tickets_reply_hooks(monkeypatch):
    monkeypatch.setattr(tickets, "REPLY_HOOKS", [])
    config = apps.get_app_config("coach")
    config.ready()
    config.ready()  # twice is harmless
    assert [services.after_reply] == tickets.REPLY_HOOKS


def test_the_hook_records_the_reply_in_its_transaction(desk, named):
    ticket = named()
    with transaction.atomic():
        event = tickets.reply(ticket=ticket, actor=desk.agent, body=POOR)
        assert CoachRecord.objects.filter(event=event).exists()
    record = CoachRecord.objects.get(event=event)
    assert record.notes_count > 0
    assert record.created_at - event.created_at == dt.timedelta(0)
