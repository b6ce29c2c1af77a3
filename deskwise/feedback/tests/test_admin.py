"""The admin shows surveys and follow-ups and changes nothing."""

from __future__ import annotations

import pytest

from deskwise.feedback import services
from deskwise.feedback.models import FollowUp

pytestmark = pytest.mark.django_db


def test_the_admin_shows_surveys_and_follow_ups_read_only(desk, surveyed, client_for):
    survey = surveyed()
    services.survey_answer(token=survey.token, satisfaction=1, better="Slow.")
    followup = FollowUp.objects.get()
    client = client_for(desk.admin)
    for url in (
        "/admin/feedback/survey/",
        f"/admin/feedback/survey/{survey.pk}/change/",
        "/admin/feedback/followup/",
        f"/admin/feedback/followup/{followup.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert survey.token_hash not in response.content.decode()
    assert client.get("/admin/feedback/survey/add/").status_code == 403
    change = client.post(f"/admin/feedback/followup/{followup.pk}/change/", {"status": "done"})
    assert change.status_code == 403
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.OPEN
