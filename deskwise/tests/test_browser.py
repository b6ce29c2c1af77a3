"""One journey in a real browser (Debian's chromium driven by Playwright): a
requester asks for help in the portal, an agent answers in the desk with htmx,
and the requester reads the answer. Screenshots go to var/test-artifacts/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from deskwise.testing import PASSWORD
from deskwise.tickets.models import Ticket

pytestmark = [pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"


@pytest.fixture
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing; `make test` installs it with apt-get")
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright runs an event loop in this thread; the ORM calls below are ours.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield launched
        launched.close()
        # Playwright's greenlet gives the test body its own context, and so its
        # own database connection: close it before the test database goes.
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def live_url(transactional_db):
    """A live server for this test alone, stopped before the test database goes,
    so none of its connections outlive the run."""
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import (
        LiveServerThread,
        QuietWSGIRequestHandler,
        _StaticFilesHandler,
    )

    shared = {
        conn.alias: conn
        for conn in connections.all()
        if conn.vendor == "sqlite" and conn.is_in_memory_db()  # type: ignore[attr-defined]
    }
    for conn in shared.values():
        conn.inc_thread_sharing()

    class OneAtATime(LiveServerThread):
        # The in-memory test database is one connection shared with this
        # thread: a page's htmx panels load at once, and two requests on one
        # SQLite connection read each other's rows. One request at a time.
        def _create_server(self, connections_override=None):
            # This thread's own connections are the shared ones already (run()).
            return WSGIServer(
                (self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False
            )

    thread = OneAtATime("127.0.0.1", _StaticFilesHandler, connections_override=shared)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()
    for conn in shared.values():
        conn.dec_thread_sharing()


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/login/'] button[type=submit]")


def test_a_request_answered_end_to_end(live_url, browser, desk):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = live_url

    requester = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(requester, base, desk.requester.email)
    requester.wait_for_url(f"{base}/portal/")
    requester.click("text=Ask for help")
    requester.fill("#id_subject", "Laptop will not connect to the office Wi-Fi")
    requester.fill("#id_description", "Since this morning it says 'Can't connect to this network'.")
    requester.check("input[name=impact][value=person]")
    requester.check("input[name=urgency][value=blocked]")
    requester.click("button:has-text('Send request')")
    requester.wait_for_selector("text=Thank you: your request is")
    ticket = Ticket.objects.get()
    requester.screenshot(path=str(ARTIFACTS / "portal-request.png"), full_page=True)

    agent = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(agent, base, "agent")
    agent.wait_for_url(f"{base}/desk/")
    agent.click(f"text={ticket.subject}")
    agent.click("button:has-text('Take ownership')")
    agent.wait_for_selector("text=It's yours now.")
    agent.fill(
        "#ticket textarea[name=body]",
        "Hello! I've reset your Wi-Fi profile. Please restart and try again.",
    )
    agent.click("button:has-text('Send reply')")
    agent.wait_for_selector("text=Reply sent.")  # swapped in place by htmx
    assert agent.url.endswith(f"/desk/tickets/{ticket.pk}/")
    agent.screenshot(path=str(ARTIFACTS / "desk-ticket.png"), full_page=True)

    requester.reload()
    requester.wait_for_selector("text=I've reset your Wi-Fi profile")
    requester.screenshot(path=str(ARTIFACTS / "portal-answered.png"), full_page=True)
    ticket.refresh_from_db()
    assert ticket.owner == desk.agent
    assert ticket.first_response_at is not None


def test_the_coach_reads_the_reply_as_it_is_written(live_url, browser, desk):
    """The notes come as the agent types, a one-click fix rewrites the box, and
    the notes follow the new text; sending is never held up."""
    from deskwise.coach.models import JargonTerm

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # A live-server test empties the tables after it, the migration's jargon list too.
    JargonTerm.objects.get_or_create(
        term="VPN", defaults={"plain_words": "secure remote connection"}
    )
    contact = desk.requester.contact
    contact.name = "Mei Lin"
    contact.save(update_fields=["name"])
    ticket = desk.ticket(subject="VPN drops every few minutes")
    agent = browser.new_page(viewport={"width": 1280, "height": 1000})
    sign_in(agent, live_url, "agent")
    agent.wait_for_url(f"{live_url}/desk/")
    agent.goto(f"{live_url}/desk/tickets/{ticket.pk}/")
    agent.wait_for_selector("#coach-body >> text=reads your reply as you write it")
    box = "#reply-form textarea[name=body]"
    agent.click(box)
    agent.keyboard.type("Hi there,\n\nWe can't fix the VPN today. I'll look into it.")
    notes = "#coach-body .coach-notes"
    agent.wait_for_selector(f"{notes} [data-code=jargon]")
    agent.wait_for_selector(f"{notes} [data-code=negative]")
    agent.screenshot(path=str(ARTIFACTS / "desk-coach.png"), full_page=True)
    agent.click(f"{notes} [data-code=jargon] button")
    agent.wait_for_function(
        'document.querySelector("#reply-form textarea[name=body]").value'
        ".includes('secure remote connection')"
    )
    # The fixed box is checked again: the jargon note goes, the others stay.
    agent.wait_for_selector(f"{notes} [data-code=jargon]", state="detached")
    assert agent.locator(f"{notes} [data-code=negative]").count() == 1
    agent.click(f"{notes} [data-code=greeting] button")
    agent.wait_for_function(
        "document.querySelector(\"#reply-form textarea[name=body]\").value.startsWith('Hi Mei,')"
    )
    agent.click("button:has-text('Send reply')")
    agent.wait_for_selector("text=Reply sent.")
    sent = ticket.events.filter(kind="reply").get()
    assert sent.body_text.startswith("Hi Mei,")
    assert "secure remote connection" in sent.body_text
    assert sent.coach_record.notes_count >= 1
