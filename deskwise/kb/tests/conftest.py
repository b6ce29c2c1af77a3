"""Articles for the knowledge base tests, made the way the desk makes them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from deskwise.kb import services
from deskwise.kb.models import Article, Visibility


@pytest.fixture
def make_article(desk: Any) -> Callable[..., Article]:
    def make(**kwargs: Any) -> Article:
        kwargs.setdefault("actor", desk.agent)
        kwargs.setdefault("title", "Reset your password")
        kwargs.setdefault("body", "Open the self-service page and choose **Forgot password**.")
        kwargs.setdefault("visibility", Visibility.PUBLIC)
        return services.article_create(**kwargs)

    return make


@pytest.fixture
def public_article(make_article: Callable[..., Article]) -> Article:
    return make_article(
        title="Connect to the VPN", body="Install the client.\n\n## Windows\n\nRun it."
    )


@pytest.fixture
def internal_article(make_article: Callable[..., Article]) -> Article:
    return make_article(
        title="Restart the licence server",
        body="Only for agents: `systemctl restart lmgrd`.",
        visibility=Visibility.INTERNAL,
    )
