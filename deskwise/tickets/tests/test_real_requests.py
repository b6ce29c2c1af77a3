"""Real request texts, written by people outside the project, through the API.

Every one is either accepted, stored exactly as sent (after trimming) and shown
on the ticket page, or refused with a clear 422; none makes a 500."""

from __future__ import annotations

import csv
import json

import pytest
from django.test import Client

from deskwise.accounts.services import api_token_create
from deskwise.testing import shared_data
from deskwise.tickets.choices import EventKind
from deskwise.tickets.models import Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

SAMPLE = 150


def real_issues() -> list[dict[str, str]]:
    path = (
        shared_data()
        / "requests"
        / "dotnet-github-labeler"
        / "samples"
        / "csharp"
        / "end-to-end-apps"
        / "MulticlassClassification-GitHubLabeler"
        / "GitHubLabeler"
        / "Data"
        / "corefx-issues-train.tsv"
    )
    csv.field_size_limit(10**7)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    step = max(1, len(rows) // SAMPLE)
    return rows[::step][:SAMPLE]


def test_real_issue_texts_become_tickets_or_clear_refusals(desk):
    _, raw = api_token_create(user=desk.agent, name="real")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    page = Client()
    page.force_login(desk.agent)
    accepted = refused = 0
    for row in real_issues():
        body = {
            "subject": row["Title"][:200],
            "description": row["Description"] or row["Title"],
            "requester_email": "reporter@example.org",
        }
        response = api.post("/api/v1/tickets", json.dumps(body), content_type="application/json")
        assert response.status_code in {201, 422}, response.content[:300]
        if response.status_code == 422:
            refused += 1
            assert response.json()["message"]
            continue
        accepted += 1
        ticket = Ticket.objects.get(pk=response.json()["id"])
        assert ticket.subject == body["subject"].strip()
        assert ticket.events.get(kind=EventKind.MESSAGE_IN).body_text == body[
            "description"
        ].strip().replace("\r\n", "\n")
        assert page.get(f"/desk/tickets/{ticket.pk}/").status_code == 200
    assert accepted > SAMPLE * 0.9, (accepted, refused)
