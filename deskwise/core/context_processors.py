from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def desk(request: HttpRequest) -> dict[str, Any]:
    return {"desk_name": "Deskwise", "base_url": settings.BASE_URL}
