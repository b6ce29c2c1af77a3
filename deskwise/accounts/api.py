from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from deskwise.accounts.choices import Role
from deskwise.accounts.models import Team, User
from deskwise.api.schemas import AUTH_ERRORS
from deskwise.tickets.selectors import teams_for

router = Router(tags=["people"])


class TeamOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    is_default: bool


class MeOut(Schema):
    id: int
    username: str
    name: str
    email: str
    role: Role
    contact_id: int | None
    teams: list[TeamOut]


def _team(team: Team) -> TeamOut:
    return TeamOut(
        id=team.pk,
        name=team.name,
        slug=team.slug,
        description=team.description,
        is_default=team.is_default,
    )


@router.get("/me", response={200: MeOut, **AUTH_ERRORS}, summary="Who the token speaks for")
def me(request: HttpRequest) -> MeOut:
    user: User = request.auth  # type: ignore[attr-defined]
    return MeOut(
        id=user.pk,
        username=user.username,
        name=user.display_name,
        email=user.email,
        role=Role(user.role),
        contact_id=user.contact_id,
        teams=[_team(t) for t in teams_for(user=user)] if user.is_agent else [],
    )


@router.get("/teams", response={200: list[TeamOut], **AUTH_ERRORS}, summary="Teams")
def teams(request: HttpRequest) -> list[TeamOut]:
    """Every team, so that tickets can be routed to any of them; requesters see none."""
    user: User = request.auth  # type: ignore[attr-defined]
    if not user.is_agent:
        return []
    return [_team(t) for t in Team.objects.order_by("name")]
