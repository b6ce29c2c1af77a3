from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client

from deskwise.accounts import services
from deskwise.accounts.choices import Role
from deskwise.accounts.models import LoginLink, User
from deskwise.core import clock
from deskwise.testing import PASSWORD, ContactFactory

pytestmark = pytest.mark.django_db


def link_from_mail() -> str:
    match = re.search(r"http://\S+/login/link/(\S+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


class TestPasswords:
    def test_agents_sign_in_by_username_and_land_on_the_desk(self, desk):
        client = Client()
        response = client.post("/login/", {"username": "AGENT", "password": PASSWORD}, follow=True)
        assert response.redirect_chain[-1][0] == "/desk/"

    def test_requesters_sign_in_by_email_and_land_on_the_portal(self, desk):
        client = Client()
        response = client.post(
            "/login/", {"username": desk.requester.email.upper(), "password": PASSWORD}, follow=True
        )
        assert response.redirect_chain[-1][0] == "/portal/"

    def test_wrong_password_says_so_without_saying_which_part(self, desk):
        response = Client().post("/login/", {"username": "agent", "password": "nope"})
        assert response.status_code == 200
        assert "That username or email and password do not match" in response.content.decode()

    def test_everything_needs_a_sign_in_except_the_public_pages(self, desk):
        client = Client()
        for url in ("/desk/", "/portal/", "/portal/new/", "/desk/tickets/1/", "/attachments/1/x"):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith("/login/")
        for url in ("/login/", "/healthz", "/api/v1/openapi.json", "/api/v1/docs"):
            assert client.get(url).status_code in {200, 503}


class TestSignInLinks:
    def test_a_requester_without_a_password_signs_in_once_by_link(self, desk, run_tasks):
        contact = ContactFactory(email="walk.in@example.com", name="Walk In")
        with run_tasks():
            response = Client().post("/login/link/", {"email": "Walk.In@example.com"})
        assert "a sign-in link is on its way" in response.content.decode()
        token = link_from_mail()
        assert not LoginLink.objects.filter(token_hash=token).exists()  # stored hashed
        sent = mail.outbox[-1]
        assert sent.to == ["walk.in@example.com"]

        client = Client()
        confirm = client.get(f"/login/link/{token}/")  # a mail scanner's visit spends nothing
        assert confirm.status_code == 200
        response = client.post(f"/login/link/{token}/")
        assert response.status_code == 302
        assert response["Location"] == "/portal/"
        user = User.objects.get(contact=contact)
        assert user.role == Role.REQUESTER
        assert not user.has_usable_password()
        assert client.get("/portal/").status_code == 200

        again = Client().post(f"/login/link/{token}/")
        assert again.status_code == 400
        assert "no longer works" in again.content.decode()

    def test_unknown_addresses_get_the_same_answer_and_no_mail(self, desk, run_tasks):
        with run_tasks():
            response = Client().post("/login/link/", {"email": "nobody@example.com"})
        assert "a sign-in link is on its way" in response.content.decode()
        assert mail.outbox == []

    def test_agents_never_get_links(self, desk, run_tasks):
        with run_tasks():
            Client().post("/login/link/", {"email": desk.agent.email})
        assert mail.outbox == []

    def test_links_expire(self, desk, run_tasks):
        ContactFactory(email="late@example.com")
        with run_tasks():
            services.login_link_request(email="late@example.com")
        token = link_from_mail()
        later = clock.now() + dt.timedelta(minutes=31)
        with clock.frozen_at(later):
            assert services.login_link_consume(raw=token) is None

    def test_requests_are_limited_per_hour(self, desk):
        contact = ContactFactory(email="eager@example.com")
        for _ in range(8):
            services.login_link_request(email="eager@example.com")
        assert LoginLink.objects.filter(contact=contact).count() == services.LINK_LIMIT_PER_HOUR

    def test_a_bad_address_is_explained(self, desk):
        response = Client().post("/login/link/", {"email": "not an address"})
        assert response.status_code == 422
        assert "not a valid email address" in response.content.decode()

    def test_the_link_is_not_kept_in_the_outbox_once_sent(self, desk, run_tasks):
        from deskwise.notifications.models import OutboundEmail

        ContactFactory(email="keep@example.com")
        with run_tasks():
            services.login_link_request(email="keep@example.com")
        assert OutboundEmail.objects.get().context["login_url"] == "(sent; not kept)"


class TestAccounts:
    def test_contacts_are_found_case_insensitively(self, db):
        first = services.contact_get_or_create(email="Ann@Example.com", name="Ann")
        second = services.contact_get_or_create(email="ann@example.COM")
        assert first == second
        assert first.email == "ann@example.com"

    def test_user_create_validates_passwords_and_ties_a_contact(self, db):
        from deskwise.core.errors import InvalidInput

        with pytest.raises(InvalidInput, match="too short"):
            services.user_create(
                username="bob", email="bob@example.com", role=Role.AGENT, password="x"
            )
        user = services.user_create(
            username="bob", email="bob@example.com", role=Role.ADMIN, password=PASSWORD
        )
        assert user.is_staff
        assert user.is_superuser
        assert user.contact.email == "bob@example.com"

    def test_duplicate_usernames_and_emails_are_refused(self, desk):
        from deskwise.core.errors import Conflict

        with pytest.raises(Conflict, match="taken"):
            services.user_create(username="AGENT", email="x@example.com", role=Role.AGENT)
        with pytest.raises(Conflict, match="already has a login"):
            services.user_create(username="new", email=desk.agent.email.upper(), role=Role.AGENT)
