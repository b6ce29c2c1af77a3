"""Articles for search tests: made directly (the knowledge base's services are
another app's), with the clock's time as the KB would set it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils.text import slugify

from deskwise.core import clock
from deskwise.kb.models import Article, Visibility


@pytest.fixture
def article(db: None) -> Callable[..., Article]:
    def make(
        title: str,
        body: str = "",
        *,
        visibility: str = Visibility.PUBLIC,
        is_archived: bool = False,
        **kwargs: Any,
    ) -> Article:
        now = clock.now()
        kwargs.setdefault("slug", slugify(title)[:200] or "article")
        return Article.objects.create(
            title=title,
            body=body,
            visibility=visibility,
            is_archived=is_archived,
            created_at=now,
            updated_at=now,
            **kwargs,
        )

    return make
