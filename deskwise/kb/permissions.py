"""Who may read and who may write knowledge base articles: in one place.

Agents read everything that is not archived and write everything. Everyone
else (requesters, and visitors when the knowledge base is public) reads the
public articles, and nothing else exists for them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from deskwise.accounts.models import User
from deskwise.core.errors import NotAllowed
from deskwise.kb.models import Article, Visibility

Reader = User | AnonymousUser | None


def is_agent(user: Reader) -> bool:
    return bool(getattr(user, "is_agent", False))


def may_browse(user: Reader) -> bool:
    """Signed-in people always; visitors only when the desk publishes its articles."""
    if user is not None and user.is_authenticated:
        return True
    return bool(settings.DESKWISE_KB_PUBLIC)


def readable(user: Reader) -> Q:
    """The articles ``user`` may read (archived ones are read by no one)."""
    if not may_browse(user):
        return Q(pk__in=[])
    if is_agent(user):
        return Q(is_archived=False)
    return Q(is_archived=False, visibility=Visibility.PUBLIC)


def shareable() -> Q:
    """The articles an agent may send a requester (in a reply, a decline's
    alternatives or a resolution's tip): public ones, which they can open."""
    return Q(is_archived=False, visibility=Visibility.PUBLIC)


def can_read(user: Reader, article: Article) -> bool:
    if not may_browse(user) or article.is_archived:
        return False
    return is_agent(user) or article.visibility == Visibility.PUBLIC


def require_editor(user: Reader) -> User:
    """Only agents write articles."""
    if not isinstance(user, User) or not user.is_agent:
        raise NotAllowed("Only agents write knowledge base articles.")
    return user
