"""The closing questions over the API, on the same services and selectors as
the pages: the requester's answer (by the link's token, no sign-in), and for
the desk the surveys, the satisfaction report and the follow-ups."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import BeforeValidator, Field, StrictBool

from deskwise.accounts.models import User
from deskwise.api.schemas import (
    MAX_ID,
    ROLE_READ_ERRORS,
    WRITE_ERRORS,
    Error,
    TeamRef,
    UserRef,
    _json_integer,
)
from deskwise.core.text import BODY_PATTERN, OPTIONAL_BODY_PATTERN
from deskwise.feedback import links, selectors, services
from deskwise.feedback.models import RATING_MAX, RATING_MIN, FollowUp, FollowUpStatus, Survey
from deskwise.tickets.api import CategoryRef
from deskwise.tickets.choices import Channel

router = Router(tags=["closing questions"])

SurveyId = Path(..., ge=1, le=MAX_ID, description="The survey's id.")
FollowUpId = Path(..., ge=1, le=MAX_ID, description="The follow-up's id.")
Rating = Annotated[int, Field(ge=RATING_MIN, le=RATING_MAX), BeforeValidator(_json_integer)]
# The answer needs no token of the API: the survey link's token is the permission.
ANSWER_ERRORS: dict[int, type[Schema]] = {400: Error, 404: Error, 409: Error, 422: Error}


def _iso_date(value: object) -> object:
    """A date as a query says it: "2026-11-30"."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("Use a date like 2026-11-30.")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]


class SurveyOut(Schema):
    id: int
    ticket_id: int
    reference: str
    subject: str
    requester_id: int
    agent: UserRef | None = Field(description="Who owned the ticket when it closed.")
    team: TeamRef
    category: CategoryRef | None
    sent_at: dt.datetime
    expires_at: dt.datetime
    answered_at: dt.datetime | None
    solved: bool | None
    satisfaction: int | None = Field(description=f"{RATING_MIN} to {RATING_MAX}; null: not rated.")
    better: str = Field(description="Anything we could have done better.")
    poor: bool = Field(description="Not solved, or a satisfaction of 1 or 2.")
    followup_id: int | None


class SurveyPage(Schema):
    items: list[SurveyOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )


def _user_ref(user: User | None) -> UserRef | None:
    return UserRef.model_construct(id=user.pk, name=user.display_name) if user else None


def survey_out(s: Survey) -> SurveyOut:
    followup = getattr(s, "followup", None)
    return SurveyOut.model_construct(
        id=s.pk,
        ticket_id=s.ticket_id,
        reference=s.reference,
        subject=s.ticket.subject,
        requester_id=s.requester_id,
        agent=_user_ref(s.agent),
        team=TeamRef.model_construct(id=s.team.pk, name=s.team.name),
        category=CategoryRef.model_construct(id=s.category.pk, name=s.category.name)
        if s.category
        else None,
        sent_at=s.sent_at,
        expires_at=s.expires_at,
        answered_at=s.answered_at,
        solved=s.solved,
        satisfaction=s.satisfaction,
        better=s.better,
        poor=s.is_poor,
        followup_id=followup.pk if followup is not None else None,
    )


class SurveyQuery(Schema):
    state: Literal["sent", "answered", "unanswered", "poor"] | None = Field(
        default=None, description="sent: all (the default); answered; unanswered; poor answers."
    )
    team_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    agent_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    cursor: str | None = Field(default=None, max_length=512)
    limit: int = Field(default=50, ge=1, le=100)


@router.get("", response={200: SurveyPage, **ROLE_READ_ERRORS}, summary="Surveys")
def list_surveys(request: HttpRequest, query: Query[SurveyQuery]) -> SurveyPage:
    """The closing questions sent, newest first: agents see their teams' (and
    the tickets they handled), supervisors and admins all."""
    page = selectors.survey_page(
        user=_user(request),
        filters=selectors.SurveyFilters(
            state=query.state, team_id=query.team_id, agent_id=query.agent_id
        ),
        cursor=query.cursor,
        limit=query.limit,
    )
    return SurveyPage.model_construct(
        items=[survey_out(s) for s in page.items], next_cursor=page.next_cursor
    )


class AnswerIn(Schema):
    token: str = Field(
        min_length=1,
        max_length=links.TOKEN_MAX,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The token of the survey link in the requester's mail (/survey/<token>/).",
    )
    solved: StrictBool | None = Field(default=None, description="Is the problem solved?")
    satisfaction: Rating | None = Field(
        default=None,
        description=f"How satisfied with how it was handled: {RATING_MIN} (very "
        f"dissatisfied) to {RATING_MAX} (very satisfied).",
    )
    better: str = Field(
        default="",
        max_length=services.BETTER_MAX,
        pattern=OPTIONAL_BODY_PATTERN,
        description="Anything we could have done better.",
    )


class AnswerOut(Schema):
    reference: str
    subject: str
    answered_at: dt.datetime
    solved: bool | None
    satisfaction: int | None
    better: str


@router.post(
    "/answer", response={200: AnswerOut, **ANSWER_ERRORS}, auth=None, summary="Answer a survey"
)
def answer_survey(request: HttpRequest, payload: AnswerIn) -> AnswerOut:
    """The requester's answers, with the token of their survey link instead of
    an API token. Once per ticket (then 409 already_answered), until the link
    expires (then 409 expired); a token that is not ours is 404. Any question
    may be left out, not all."""
    survey = services.survey_answer(
        token=payload.token,
        solved=payload.solved,
        satisfaction=payload.satisfaction,
        better=payload.better,
        channel=Channel.API,
    )
    answered_at = survey.answered_at
    if answered_at is None:  # survey_answer returns the survey answered
        raise RuntimeError("an answered survey has no answer time")
    return AnswerOut.model_construct(
        reference=survey.reference,
        subject=survey.ticket.subject,
        answered_at=answered_at,
        solved=survey.solved,
        satisfaction=survey.satisfaction,
        better=survey.better,
    )


class FiguresOut(Schema):
    id: int | None = Field(description="The agent's, team's or category's id; null: none.")
    name: str
    sent: int
    answered: int
    response_rate: float | None = Field(description="answered / sent; null when none were sent.")
    rated: int = Field(description="Answers with a satisfaction.")
    average_satisfaction: float | None = Field(description="Mean of the rated answers, 1-5.")
    solved: int = Field(description="Answered yes, solved.")
    solved_answered: int = Field(description="Answered the solved question, yes or no.")
    solved_share: float | None = Field(description="solved / solved_answered.")
    poor: int = Field(description="Not solved, or a satisfaction of 1 or 2.")


class ReportOut(Schema):
    since: dt.date
    until: dt.date = Field(description="Included.")
    total: FiguresOut
    by_agent: list[FiguresOut] = Field(description="By the agent who handled the ticket.")
    by_team: list[FiguresOut]
    by_category: list[FiguresOut]


class ReportQuery(Schema):
    since: IsoDate | None = Field(
        default=None, description="First day (desk time); default: 30 days ago."
    )
    until: IsoDate | None = Field(default=None, description="Last day, included; default: today.")
    team_id: int | None = Field(default=None, ge=1, le=MAX_ID)


def _figures_out(f: selectors.Figures) -> FiguresOut:
    return FiguresOut.model_construct(
        id=f.key,
        name=f.name,
        sent=f.sent,
        answered=f.answered,
        response_rate=f.response_rate,
        rated=f.rated,
        average_satisfaction=f.average,
        solved=f.solved,
        solved_answered=f.solved_answered,
        solved_share=f.solved_share,
        poor=f.poor,
    )


@router.get("/satisfaction", response={200: ReportOut, **ROLE_READ_ERRORS}, summary="Satisfaction")
def satisfaction_report(request: HttpRequest, query: Query[ReportQuery]) -> ReportOut:
    """Satisfaction of the surveys sent in a date range: for the desk, and by
    agent, team and category. Agents see their teams'; supervisors and admins all."""
    report = selectors.satisfaction_report(
        user=_user(request), since=query.since, until=query.until, team_id=query.team_id
    )
    return ReportOut.model_construct(
        since=report.since,
        until=report.until,
        total=_figures_out(report.total),
        by_agent=[_figures_out(f) for f in report.by_agent],
        by_team=[_figures_out(f) for f in report.by_team],
        by_category=[_figures_out(f) for f in report.by_category],
    )


class FollowUpOut(Schema):
    id: int
    survey_id: int
    ticket_id: int
    reference: str
    team: TeamRef
    supervisor: UserRef | None = Field(description="Who it is for; null: any supervisor.")
    reason: str
    status: FollowUpStatus
    note: str
    handled_by: UserRef | None
    created_at: dt.datetime
    done_at: dt.datetime | None


class FollowUpPage(Schema):
    items: list[FollowUpOut]
    next_cursor: str | None


class FollowUpQuery(Schema):
    status: FollowUpStatus | None = None
    cursor: str | None = Field(default=None, max_length=512)
    limit: int = Field(default=50, ge=1, le=100)


class DoneIn(Schema):
    note: str = Field(
        max_length=services.NOTE_MAX, pattern=BODY_PATTERN, description="What you did."
    )


def followup_out(f: FollowUp) -> FollowUpOut:
    return FollowUpOut.model_construct(
        id=f.pk,
        survey_id=f.survey_id,
        ticket_id=f.survey.ticket_id,
        reference=f.survey.reference,
        team=TeamRef.model_construct(id=f.team.pk, name=f.team.name),
        supervisor=_user_ref(f.supervisor),
        reason=f.reason,
        status=FollowUpStatus(f.status),
        note=f.note,
        handled_by=_user_ref(f.handled_by),
        created_at=f.created_at,
        done_at=f.done_at,
    )


@router.get("/followups", response={200: FollowUpPage, **ROLE_READ_ERRORS}, summary="Follow-ups")
def list_followups(request: HttpRequest, query: Query[FollowUpQuery]) -> FollowUpPage:
    """The follow-ups poor answers opened, newest first."""
    page = selectors.followup_page(
        user=_user(request), status=query.status, cursor=query.cursor, limit=query.limit
    )
    return FollowUpPage.model_construct(
        items=[followup_out(f) for f in page.items], next_cursor=page.next_cursor
    )


@router.post(
    "/followups/{followup_id}/done",
    response={200: FollowUpOut, **WRITE_ERRORS},
    summary="Follow-up done",
)
def followup_done(
    request: HttpRequest, payload: DoneIn, followup_id: int = FollowUpId
) -> FollowUpOut:
    """A supervisor says what they did about a poor answer (kept on the ticket)."""
    user = _user(request)
    followup = selectors.followup_get(user=user, pk=followup_id)
    services.followup_done(followup=followup, actor=user, note=payload.note)
    return followup_out(selectors.followup_get(user=user, pk=followup_id))


@router.get("/{survey_id}", response={200: SurveyOut, **ROLE_READ_ERRORS}, summary="A survey")
def get_survey(request: HttpRequest, survey_id: int = SurveyId) -> SurveyOut:
    return survey_out(selectors.survey_get(user=_user(request), pk=survey_id))
