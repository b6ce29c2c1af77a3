from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path

from deskwise.api.main import api
from deskwise.core.views import healthz
from deskwise.tickets.views import attachment_download


def _public(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The API authenticates each request by token, not by session."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = login_not_required(pattern.callback)
        else:
            _public(pattern.url_patterns)
    return patterns


api_patterns, api_app, api_namespace = api.urls
urlpatterns = [
    path("", include("deskwise.accounts.urls")),
    path("desk/", include("deskwise.outcomes.urls")),
    path("desk/", include("deskwise.tickets.urls")),
    path("portal/", include("deskwise.portal.urls")),
    path("", include("deskwise.kb.urls")),
    path("", include("deskwise.search.urls")),
    path("", include("deskwise.feedback.urls")),
    path("", include("deskwise.problems.urls")),
    path("", include("deskwise.coach.urls")),
    path("", include("deskwise.timelog.urls")),
    path("", include("deskwise.reports.urls")),
    path("desk/mail/", include("deskwise.mail.urls")),
    path("attachments/<int:pk>/<str:name>", attachment_download, name="attachment"),
    path("api/v1/", include((_public(api_patterns), api_app), namespace=api_namespace)),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
