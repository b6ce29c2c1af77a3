"""The closing questions through the services: sent once per closed ticket,
answered once by the link's token, refused when expired, guessed or another
ticket's; a poor answer opens a follow-up for a supervisor."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest

from deskwise.accounts.choices import Role
from deskwise.core import clock
from deskwise.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from deskwise.feedback import selectors, services
from deskwise.feedback.models import FollowUp, Survey
from deskwise.feedback.services import AlreadyAnswered, Expired
from deskwise.notifications.models import OutboundEmail
from deskwise.testing import UserFactory
from deskwise.tickets import services as tickets
from deskwise.tickets.choices import EventKind, Status, Visibility

pytestmark = pytest.mark.django_db


def link_token(text: str) -> str:
    found = re.search(r"/survey/([A-Za-z0-9_-]+)/", text)
    assert found, text
    return found.group(1)


class TestSend:
    def test_a_closed_ticket_gets_a_survey_with_a_hashed_token_and_a_mail(
        self, desk, closed_ticket, mailoutbox, run_tasks
    ):
        ticket = closed_ticket()
        with run_tasks():
            survey = services.survey_send(ticket=ticket)
        assert survey.token
        assert survey.token_hash == hashlib.sha256(survey.token.encode()).hexdigest()
        assert survey.token not in survey.token_hash
        assert (survey.agent, survey.team, survey.requester) == (
            desk.agent,
            desk.team,
            desk.requester.contact,
        )
        assert survey.expires_at - survey.sent_at == dt.timedelta(days=14)
        mail = mailoutbox[-1]
        assert mail.to == [desk.requester.email]
        assert ticket.reference in mail.subject
        html = mail.alternatives[0][0]
        assert link_token(mail.body) == survey.token
        for answer in ("?solved=yes", "?solved=no", *(f"?rating={n}" for n in range(1, 6))):
            assert f"/survey/{survey.token}/{answer}" in html
        assert "Yes, solved" in html
        # The outbox keeps no working link, before or after sending.
        outbound = OutboundEmail.objects.get(template="survey")
        assert outbound.status == OutboundEmail.Status.SENT
        assert survey.token not in str(outbound.context)
        event = ticket.events.get(data__survey__sent=True)
        assert (event.kind, event.visibility) == (EventKind.SURVEY, Visibility.INTERNAL)
        assert desk.requester.email in event.body_text

    def test_the_mail_comes_from_the_team_like_every_mail_to_requesters(
        self, desk, closed_ticket, mailoutbox, run_tasks
    ):
        desk.team.email = "servicedesk@example.org"
        desk.team.save()
        with run_tasks():
            services.survey_send(ticket=closed_ticket())
        mail = mailoutbox[-1]
        assert mail.from_email == "Service Desk <servicedesk@example.org>"
        assert mail.extra_headers["Reply-To"] == "servicedesk@example.org"
        assert mail.extra_headers["Auto-Submitted"] == "auto-generated"

    def test_the_link_lasts_the_configured_days(self, closed_ticket, settings):
        settings.DESKWISE_SURVEY_DAYS = 3
        survey = services.survey_send(ticket=closed_ticket())
        assert survey.expires_at - survey.sent_at == dt.timedelta(days=3)

    def test_one_survey_per_ticket_ever(self, desk, closed_ticket, mailoutbox, run_tasks):
        ticket = closed_ticket()
        with run_tasks():
            first = services.survey_send(ticket=ticket)
        sent = len(mailoutbox)
        again = services.survey_send(ticket=ticket)
        assert again.pk == first.pk
        assert again.token is None
        # Reopened and closed again: still the one survey, and no second mail.
        tickets.reopen(ticket=ticket, actor=desk.agent, reason="It jams again.")
        tickets.close(ticket=ticket, actor=desk.agent)
        with run_tasks():
            assert services.survey_send(ticket=ticket).pk == first.pk
        assert Survey.objects.filter(ticket=ticket).count() == 1
        assert len(mailoutbox) == sent

    def test_a_ticket_that_is_not_closed_is_not_surveyed(self, desk):
        ticket = desk.ticket()
        with pytest.raises(Conflict, match="once it is closed"):
            services.survey_send(ticket=ticket)
        assert not Survey.objects.exists()

    def test_a_ticket_closed_without_confirmation_is_surveyed(self, closed_ticket):
        ticket = closed_ticket(confirmed=False)
        assert ticket.status == Status.CLOSED
        assert services.survey_send(ticket=ticket).ticket_id == ticket.pk


class TestAnswer:
    def test_the_answers_are_kept_and_on_the_timeline(self, desk, surveyed):
        survey = surveyed()
        answered = services.survey_answer(
            token=survey.token, solved=True, satisfaction=4, better="  Faster first reply.  "
        )
        assert answered.answered_at is not None
        assert (answered.solved, answered.satisfaction, answered.better) == (
            True,
            4,
            "Faster first reply.",
        )
        event = answered.event
        assert event.kind == EventKind.SURVEY
        assert event.visibility == Visibility.PUBLIC
        assert event.body_text == "Faster first reply."
        assert event.data == {"survey": survey.pk, "solved": True, "satisfaction": 4}
        assert event.contact == desk.requester.contact
        assert not FollowUp.objects.exists()

    def test_one_question_is_enough_but_not_none(self, surveyed):
        survey = surveyed()
        with pytest.raises(InvalidInput, match="at least one"):
            services.survey_answer(token=survey.token, better="   ")
        answered = services.survey_answer(token=survey.token, solved=True)
        assert (answered.solved, answered.satisfaction, answered.better) == (True, None, "")

    def test_a_token_cannot_answer_another_tickets_survey(self, surveyed):
        mine, theirs = surveyed(), surveyed()
        with pytest.raises(NotFound):
            services.survey_answer(token=mine.token, survey=theirs, satisfaction=5)
        for survey in (mine, theirs):
            survey.refresh_from_db()
            assert survey.answered_at is None
        # The token answers its own ticket's survey, and only that one.
        services.survey_answer(token=mine.token, satisfaction=5)
        mine.refresh_from_db()
        theirs.refresh_from_db()
        assert (mine.satisfaction, theirs.satisfaction) == (5, None)
        assert (
            theirs.ticket.events.filter(kind=EventKind.SURVEY, data__solved__isnull=False).count()
            == 0
        )

    def test_a_token_cannot_be_used_twice(self, surveyed):
        survey = surveyed()
        services.survey_answer(token=survey.token, solved=True, satisfaction=5)
        with pytest.raises(AlreadyAnswered, match="already answered") as exc:
            services.survey_answer(token=survey.token, solved=False, satisfaction=1)
        assert exc.value.status == 409
        survey.refresh_from_db()
        assert (survey.solved, survey.satisfaction) == (True, 5)
        assert (
            survey.ticket.events.filter(kind=EventKind.SURVEY, data__solved__isnull=False).count()
            == 1
        )
        assert not FollowUp.objects.exists()

    def test_a_token_expires(self, surveyed, settings):
        settings.DESKWISE_SURVEY_DAYS = 14
        sent = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
        with clock.frozen_at(sent):
            survey, late = surveyed(), surveyed()
        with clock.frozen_at(sent + dt.timedelta(days=14)):
            with pytest.raises(Expired, match="expired on 16 November 2026"):
                services.survey_answer(token=late.token, satisfaction=5)
            assert selectors.open_survey_for(late.ticket) is None
        late.refresh_from_db()
        assert late.answered_at is None
        with clock.frozen_at(sent + dt.timedelta(days=14) - dt.timedelta(seconds=1)):
            assert selectors.open_survey_for(survey.ticket) == survey
            assert services.survey_answer(token=survey.token, satisfaction=5).satisfaction == 5

    @pytest.mark.parametrize("guess", ["", "x", "A" * 43, "A" * 5000, "../../etc/passwd"])
    def test_a_guessed_token_is_not_found(self, surveyed, guess):
        survey = surveyed()
        with pytest.raises(NotFound) as exc:
            services.survey_answer(token=guess, satisfaction=1)
        assert exc.value.status == 404
        survey.refresh_from_db()
        assert survey.answered_at is None
        assert selectors.survey_by_token(guess) is None

    def test_a_modified_token_is_not_found(self, surveyed):
        survey = surveyed()
        token = survey.token
        twisted = token[:-1] + ("A" if token[-1] != "A" else "B")
        with pytest.raises(NotFound):
            services.survey_answer(token=twisted, satisfaction=1)

    @pytest.mark.parametrize("rating", [0, 6, -1, 100, True, 2.5, "4"])
    def test_a_rating_out_of_range_is_refused_with_a_message(self, surveyed, rating):
        survey = surveyed()
        with pytest.raises(InvalidInput) as exc:
            services.survey_answer(token=survey.token, satisfaction=rating)
        assert exc.value.status == 422
        assert "Satisfaction" in exc.value.message
        assert "satisfaction" in exc.value.fields
        survey.refresh_from_db()
        assert survey.answered_at is None

    def test_solved_is_yes_or_no(self, surveyed):
        survey = surveyed()
        with pytest.raises(InvalidInput, match="yes or no"):
            services.survey_answer(token=survey.token, solved="maybe")

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("Slow\x00 reply", "NUL byte"),
            ("x" * 10_000, "10,000 characters long; the limit is 5,000"),
            ("bidi \u202e trick", "control character"),
            ("\ud800", "invalid character"),
        ],
    )
    def test_bad_free_text_is_refused_with_a_message(self, surveyed, text, message):
        survey = surveyed()
        with pytest.raises(InvalidInput, match=message) as exc:
            services.survey_answer(token=survey.token, satisfaction=3, better=text)
        assert exc.value.fields == {"better": [exc.value.message]}
        survey.refresh_from_db()
        assert survey.answered_at is None
        # Nothing was spent: the requester can fix it and answer.
        assert services.survey_answer(token=survey.token, satisfaction=3, better="ok").better

    def test_signed_in_only_the_requester_answers_without_the_token(self, desk, surveyed):
        survey = surveyed()
        for stranger in (None, desk.other_requester, desk.agent):
            with pytest.raises(NotAllowed):
                services.survey_answer(survey=survey, actor=stranger, satisfaction=5)
        answered = services.survey_answer(survey=survey, actor=desk.requester, satisfaction=5)
        assert answered.event.actor == desk.requester


class TestFollowUp:
    @pytest.mark.parametrize(
        ("solved", "satisfaction", "reason"),
        [
            (None, 1, "Satisfaction 1 of 5"),
            (True, 2, "Satisfaction 2 of 5"),
            (False, 5, "Not solved"),
            (False, 2, "Not solved; Satisfaction 2 of 5"),
        ],
    )
    def test_a_poor_answer_opens_a_follow_up_for_the_teams_supervisor(
        self, desk, surveyed, mailoutbox, run_tasks, solved, satisfaction, reason
    ):
        survey = surveyed()
        with run_tasks():
            services.survey_answer(
                token=survey.token,
                solved=solved,
                satisfaction=satisfaction,
                better="Nobody told me.",
            )
        followup = FollowUp.objects.get(survey=survey)
        assert followup.supervisor == desk.supervisor
        assert (followup.team, followup.status, followup.reason) == (
            desk.team,
            FollowUp.Status.OPEN,
            reason,
        )
        mail = mailoutbox[-1]
        assert mail.to == [desk.supervisor.email]
        assert survey.reference in mail.subject
        assert "Nobody told me." in mail.body
        assert "/desk/satisfaction/followups/" in mail.body

    @pytest.mark.parametrize(("solved", "satisfaction"), [(True, 3), (None, 4), (True, None)])
    def test_a_fair_answer_opens_none(self, surveyed, solved, satisfaction):
        survey = surveyed()
        services.survey_answer(token=survey.token, solved=solved, satisfaction=satisfaction)
        assert not FollowUp.objects.exists()

    def test_not_for_the_supervisor_who_handled_it(self, desk, surveyed):
        second = UserFactory(username="second_supervisor", role=Role.SUPERVISOR)
        survey = surveyed(owner=desk.supervisor)
        services.survey_answer(token=survey.token, satisfaction=1)
        assert FollowUp.objects.get().supervisor == second

    def test_a_desk_without_supervisors_still_keeps_the_follow_up(self, desk, surveyed):
        survey = surveyed()
        desk.supervisor.is_active = False
        desk.supervisor.save()
        desk.admin.is_active = False
        desk.admin.save()
        services.survey_answer(token=survey.token, satisfaction=1)
        assert FollowUp.objects.get().supervisor is None

    def test_done_by_a_supervisor_with_a_note_once(self, desk, surveyed):
        survey = surveyed()
        services.survey_answer(token=survey.token, solved=False)
        followup = FollowUp.objects.get()
        with pytest.raises(NotAllowed):
            services.followup_done(followup=followup, actor=desk.agent, note="Called them.")
        with pytest.raises(InvalidInput, match="required"):
            services.followup_done(followup=followup, actor=desk.supervisor, note=" ")
        done = services.followup_done(
            followup=followup, actor=desk.supervisor, note="Called them; fixed the printer."
        )
        assert (done.status, done.handled_by, done.note) == (
            FollowUp.Status.DONE,
            desk.supervisor,
            "Called them; fixed the printer.",
        )
        assert done.done_at is not None
        event = survey.ticket.events.get(data__survey_followup__id=followup.pk)
        assert (event.kind, event.visibility, event.actor) == (
            EventKind.NOTE,
            Visibility.INTERNAL,
            desk.supervisor,
        )
        assert "fixed the printer" in event.body_text
        with pytest.raises(Conflict, match="already done"):
            services.followup_done(followup=followup, actor=desk.admin, note="Again.")
