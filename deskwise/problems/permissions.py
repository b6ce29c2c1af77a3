"""Who may see and change problems: the one policy, used by selectors and
services alike. Agents see their teams' problems and those they own;
supervisors and admins see every problem; requesters none. A problem you may
not see does not exist for you."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.db.models import Q

from deskwise.core.errors import NotFound
from deskwise.tickets.permissions import team_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from deskwise.accounts.models import User
    from deskwise.problems.models import Problem


def _agent(user: User | AnonymousUser | None) -> User | None:
    if user is None or not user.is_authenticated or not getattr(user, "is_agent", False):
        return None
    return cast("User", user)


def is_problem_reader(user: User | AnonymousUser | None) -> bool:
    return _agent(user) is not None


def require_reader(user: User | AnonymousUser | None) -> User:
    """The agent asking; to anyone else problems do not exist."""
    agent = _agent(user)
    if agent is None:
        raise NotFound("There is no such page.")
    return agent


def sees_all(user: User) -> bool:
    return user.is_supervisor or user.is_desk_admin


def visible_problems(user: User | AnonymousUser | None) -> Q:
    """The problems a user may see, as a filter. Nothing for anyone but agents."""
    agent = _agent(user)
    if agent is None:
        return Q(pk__in=[])
    if sees_all(agent):
        return Q()
    return Q(team_id__in=sorted(team_ids(agent))) | Q(owner_id=agent.pk)


def can_see(user: User | AnonymousUser | None, problem: Problem) -> bool:
    agent = _agent(user)
    if agent is None:
        return False
    return sees_all(agent) or problem.team_id in team_ids(agent) or problem.owner_id == agent.pk


def may_keep_for(user: User, team_id: int) -> bool:
    """Whether ``user`` may put a problem in this team (and so still see it)."""
    return sees_all(user) or team_id in team_ids(user)
