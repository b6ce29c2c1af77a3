"""search(): what each person finds, how it is ranked and highlighted, and that
no input breaks it. Runs on SQLite (FTS5) and PostgreSQL (GIN) alike."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deskwise.accounts.models import Contact
from deskwise.core import clock
from deskwise.kb.models import Article
from deskwise.search.selectors import search
from deskwise.tickets import services
from deskwise.tickets.choices import Status
from deskwise.tickets.models import Ticket, TimelineEvent

pytestmark = pytest.mark.django_db


def ids(results, kind="tickets"):
    return [hit.id for hit in getattr(results, kind)]


class TestTickets:
    def test_found_by_subject_and_by_message_words(self, desk):
        by_subject = desk.ticket(subject="Laptop battery swells", description="It bulges.")
        by_message = desk.ticket(subject="Help please", description="The docking station flickers")
        desk.ticket(subject="Unrelated", description="Nothing to see")
        assert ids(search(user=desk.agent, q="battery")) == [by_subject.pk]
        assert ids(search(user=desk.agent, q="docking flickers")) == [by_message.pk]

    def test_stemming_finds_other_forms_of_a_word(self, desk):
        ticket = desk.ticket(subject="Printing fails on floor 2", description="No pages come out")
        assert ids(search(user=desk.agent, q="print")) == [ticket.pk]
        assert ids(search(user=desk.agent, q="prints")) == [ticket.pk]
        assert ids(search(user=desk.agent, q="PRINTED floor")) == [ticket.pk]
        # All words match in one place: the subject, or one message.
        assert ids(search(user=desk.agent, q="printed pages")) == []

    def test_all_words_must_match_unless_or(self, desk):
        a = desk.ticket(subject="Scanner offline", description="Since Monday the scanner is off")
        b = desk.ticket(subject="Monitor flickers", description="Since Monday")
        assert ids(search(user=desk.agent, q="scanner flickers")) == []
        assert set(ids(search(user=desk.agent, q="scanner or flickers"))) == {a.pk, b.pk}
        assert ids(search(user=desk.agent, q="monday -scanner")) == [b.pk]

    def test_subject_matches_rank_above_message_matches(self, desk):
        for i in range(6):  # bm25 weighs words by rarity: give it a corpus
            desk.ticket(subject=f"Other request {i}", description="Something else entirely")
        in_message = desk.ticket(subject="Question", description="Our keyboard is sticky")
        in_subject = desk.ticket(subject="Keyboard sticky", description="See subject")
        assert ids(search(user=desk.agent, q="keyboard")) == [in_subject.pk, in_message.pk]
        ranks = [hit.rank for hit in search(user=desk.agent, q="keyboard").tickets]
        assert ranks == sorted(ranks, reverse=True)
        assert ranks[-1] > 0

    def test_a_ticket_matching_in_several_events_is_listed_once(self, desk):
        ticket = desk.ticket(subject="Projector", description="The projector bulb is dim")
        services.reply(ticket=ticket, actor=desk.agent, body="A new projector bulb is ordered")
        services.add_note(ticket=ticket, actor=desk.agent, body="Bulb arrives Friday")
        assert ids(search(user=desk.agent, q="bulb")) == [ticket.pk]

    def test_status_filter(self, desk):
        open_ = desk.ticket(subject="Mouse broken")
        done = desk.ticket(subject="Mouse wheel broken")
        services.resolve(ticket=done, actor=desk.agent, resolution="New mouse handed out")
        assert ids(search(user=desk.agent, q="mouse", status=[Status.RESOLVED])) == [done.pk]
        assert ids(search(user=desk.agent, q="mouse", status="new")) == [open_.pk]

    def test_limit_and_fields(self, desk):
        tickets = [desk.ticket(subject=f"Headset crackles {i}") for i in range(5)]
        results = search(user=desk.agent, q="headset", limit=3)
        assert len(results.tickets) == 3
        hit = results.tickets[0]
        ticket = Ticket.objects.get(pk=hit.id)
        assert hit.kind == "ticket"
        assert hit.reference == ticket.reference
        assert hit.status == Status.NEW
        assert hit.updated_at == ticket.updated_at
        assert hit.url == ticket.desk_url
        assert {h.id for h in results.tickets} <= {t.pk for t in tickets}


class TestPermissions:
    def test_agents_see_their_teams_tickets_only(self, desk):
        mine = desk.ticket(subject="Router reboots", team=desk.team)
        theirs = desk.ticket(subject="Router overheats", team=desk.other_team)
        assert ids(search(user=desk.agent, q="router")) == [mine.pk]
        assert ids(search(user=desk.other_agent, q="router")) == [theirs.pk]
        assert set(ids(search(user=desk.admin, q="router"))) == {mine.pk, theirs.pk}

    def test_requesters_see_their_own_and_copied_tickets(self, desk):
        own = desk.ticket(subject="Webcam frozen")
        other = desk.ticket(subject="Webcam blurry", requester=desk.other_requester.contact)
        copied = desk.ticket(
            subject="Webcam missing",
            requester=desk.other_requester.contact,
            participants=[desk.requester.contact],
        )
        found = search(user=desk.requester, q="webcam")
        assert set(ids(found)) == {own.pk, copied.pk}
        assert other.pk not in ids(found)
        assert all(hit.url.startswith("/portal/") for hit in found.tickets)

    def test_internal_notes_are_found_by_agents_only(self, desk):
        ticket = desk.ticket(subject="Email bounces")
        services.add_note(ticket=ticket, actor=desk.agent, body="Suspect the quarantine gateway")
        assert ids(search(user=desk.agent, q="quarantine")) == [ticket.pk]
        assert ids(search(user=desk.requester, q="quarantine")) == []
        # A public reply is found by both.
        services.reply(ticket=ticket, actor=desk.agent, body="We are checking the mailserver")
        assert ids(search(user=desk.requester, q="mailserver")) == [ticket.pk]

    def test_internal_note_snippets_never_reach_requesters(self, desk):
        ticket = desk.ticket(subject="Disk full", description="The shared disk is full")
        services.add_note(
            ticket=ticket, actor=desk.agent, body="Disk belongs to the secret project"
        )
        hit = search(user=desk.requester, q="disk").tickets[0]
        assert hit.id == ticket.pk
        assert "secret" not in hit.snippet_html

    def test_requesters_and_anonymous_find_no_contacts(self, desk):
        Contact.objects.create(
            name="Linus Torvalds", email="linus@example.org", created_at=clock.now()
        )
        assert search(user=desk.agent, q="torvalds").contacts
        assert search(user=desk.requester, q="torvalds").contacts == []
        assert search(user=AnonymousUser(), q="torvalds").contacts == []

    def test_anonymous_find_no_tickets(self, desk):
        desk.ticket(subject="Keyboard layout wrong")
        results = search(user=AnonymousUser(), q="keyboard")
        assert results.tickets == []
        assert results.kinds == ("articles",)

    def test_inactive_people_find_nothing_private(self, desk):
        desk.ticket(subject="Password expired")
        desk.agent.is_active = False
        results = search(user=desk.agent, q="password")
        assert results.tickets == []
        assert results.contacts == []


class TestArticles:
    @pytest.fixture
    def articles(self, article):
        return {
            "public": article("Reset your password", "Use the self-service page to reset it."),
            "internal": article(
                "Password vault for agents", "Where agents keep shared passwords.",
                visibility="internal",
            ),
            "archived": article("Old password rules", "Eight characters.", is_archived=True),
        }  # fmt: skip

    def test_visibility_by_audience(self, desk, articles, settings):
        everyone = {articles["public"].pk}
        agents = everyone | {articles["internal"].pk}
        assert set(ids(search(user=desk.agent, q="password"), "articles")) == agents
        assert set(ids(search(user=desk.requester, q="password"), "articles")) == everyone
        settings.DESKWISE_KB_PUBLIC = True
        assert set(ids(search(user=AnonymousUser(), q="password"), "articles")) == everyone
        settings.DESKWISE_KB_PUBLIC = False
        assert search(user=AnonymousUser(), q="password").articles == []
        # Signed-in requesters still read the public articles.
        assert set(ids(search(user=desk.requester, q="password"), "articles")) == everyone

    def test_titles_rank_above_bodies(self, desk, article):
        body = article("Office hours", "The toner is replaced on Mondays.")
        title = article("Toner replacement", "Call facilities.")
        assert ids(search(user=desk.agent, q="toner"), "articles") == [title.pk, body.pk]

    def test_hit_fields(self, desk, articles):
        hit = search(user=desk.agent, q="vault").articles[0]
        assert hit.kind == "article"
        assert hit.slug == "password-vault-for-agents"
        assert hit.url.endswith("/password-vault-for-agents/")
        assert hit.visibility == "internal"
        assert "<mark>vault</mark>" in hit.title_html


class TestContacts:
    def test_found_by_name_and_email(self, desk):
        now = clock.now()
        grace = Contact.objects.create(
            name="Grace Hopper", email="grace@navy.example", created_at=now
        )
        results = search(user=desk.agent, q="hopper")
        assert ids(results, "contacts") == [grace.pk]
        hit = results.contacts[0]
        assert hit.email == "grace@navy.example"
        assert "<mark>Hopper</mark>" in hit.title_html
        assert f"requester={grace.pk}" in hit.url
        assert ids(search(user=desk.agent, q="grace@navy.example"), "contacts") == [grace.pk]


class TestHighlighting:
    def test_snippets_highlight_the_words_and_escape_the_rest(self, desk):
        ticket = desk.ticket(
            subject="<script>alert('x')</script> Fax machine",
            description="The <b>fax</b> & the copier say <img src=x onerror=alert(1)>",
        )
        hit = search(user=desk.agent, q="fax").tickets[0]
        assert hit.id == ticket.pk
        assert "<script>" not in hit.title_html
        assert "&lt;script&gt;" in hit.title_html
        assert "<mark>Fax</mark>" in hit.title_html
        assert "<mark>fax</mark>" in hit.snippet_html
        assert "<img" not in hit.snippet_html
        assert "<b>" not in hit.snippet_html
        assert "&amp;" in hit.snippet_html
        assert hit.title == ticket.subject  # the plain text, for those who escape themselves

    def test_a_long_message_is_cut_to_a_snippet_around_the_words(self, desk):
        filler = "lorem ipsum dolor sit amet " * 400
        desk.ticket(subject="Long one", description=f"{filler} the plotter smokes {filler}")
        snippet = search(user=desk.agent, q="plotter").tickets[0].snippet_html
        assert "<mark>plotter</mark>" in snippet
        assert len(snippet) < 400


HOSTILE = [
    '"', '""', '"printer', 'printer"', "'", "AND OR NOT", "OR", "NOT printer", "printer NOT",
    "(((", ")))", "()", "NEAR(", "NEAR(printer jam, 2)", "printer NEAR/2 jam", "subject:",
    "subject:printer", "body_text:printer", "{subject body_text}:printer", "*", "print*",
    "^printer", "+printer", "-", "--", "-printer", "- -", "printer & jam | !x", "printer:*",
    "<->", "!!", "a" * 10_000, "printer " * 2_000, "\x00", "printer\x00jam", "\x00" * 50,
    "\x01\x02\x1b[31m", "🙂", "🖨️ printer", "👨‍👩‍👧", "\ud800", "\ue000printer\ue001",
    "'; DROP TABLE tickets_ticket; --", "%s %(x)s %%", "\\", "\\\\'", "{}[]", "\u202eprinter",
    "\uff50\uff52\uff49\uff4e\uff54\uff45\uff52", "日本語のプリンター", "\t\n\r", " ", "",
]  # fmt: skip


class TestHostileQueries:
    @pytest.fixture
    def data(self, desk, article):
        desk.ticket(subject="The printer jams", description="The printer on floor 2 jams")
        article("Printer troubleshooting", "Clear the paper path.")

    @pytest.mark.parametrize("q", HOSTILE)
    def test_never_raise(self, desk, data, q):
        for user in (desk.agent, desk.requester, desk.admin, AnonymousUser()):
            results = search(user=user, q=q)
            assert isinstance(results.items, list)

    @pytest.mark.parametrize(
        "q", ['"printer', "printer NOT", "printer\x00", "🖨️ printer", "+printer", "(printer)"]
    )
    def test_junk_around_a_word_still_finds_it(self, desk, data, q):
        assert len(search(user=desk.agent, q=q).tickets) == 1

    def test_index_survives_hostile_rows(self, desk):
        """Text that looks like query syntax is just text when it is indexed."""
        desk.ticket(subject='NEAR( "subject:" AND OR * ((', description="'; -- \\ %s")
        assert len(search(user=desk.agent, q="subject").tickets) == 1


class TestTheIndexFollowsTheTables:
    """No app indexes anything: inserts, updates and deletes, through services or
    straight through the ORM, are found (or gone) at once."""

    def test_insert(self, desk):
        assert search(user=desk.agent, q="thermostat").tickets == []
        ticket = desk.ticket(subject="Thermostat stuck at 30 degrees")
        assert ids(search(user=desk.agent, q="thermostat")) == [ticket.pk]

    def test_update_of_a_subject(self, desk):
        ticket = desk.ticket(subject="Tablet cracked")
        Ticket.objects.filter(pk=ticket.pk).update(subject="Smartphone cracked")
        assert ids(search(user=desk.agent, q="smartphone")) == [ticket.pk]
        assert ids(search(user=desk.agent, q="tablet")) == []
        # Updates that leave the subject alone do not disturb it.
        Ticket.objects.filter(pk=ticket.pk).update(status=Status.OPEN)
        assert ids(search(user=desk.agent, q="smartphone")) == [ticket.pk]

    def test_update_and_delete_of_events(self, desk):
        ticket = desk.ticket(subject="Help", description="The beamer hums")
        TimelineEvent.objects.filter(ticket=ticket).update(body_text="The loudspeaker hums")
        assert ids(search(user=desk.agent, q="loudspeaker")) == [ticket.pk]
        assert ids(search(user=desk.agent, q="beamer")) == []
        TimelineEvent.objects.filter(ticket=ticket).delete()
        assert ids(search(user=desk.agent, q="loudspeaker")) == []

    def test_delete_of_a_ticket(self, desk):
        ticket = desk.ticket(subject="Shredder jammed", description="Shredder makes noise")
        Ticket.objects.filter(pk=ticket.pk).delete()
        assert search(user=desk.agent, q="shredder").tickets == []

    def test_event_visibility_changes_are_respected(self, desk):
        ticket = desk.ticket(subject="Help", description="The turnstile is broken")
        TimelineEvent.objects.filter(ticket=ticket).update(visibility="internal")
        assert ids(search(user=desk.requester, q="turnstile")) == []
        assert ids(search(user=desk.agent, q="turnstile")) == [ticket.pk]

    def test_contacts_and_articles(self, desk, article):
        page = article("Badge printer", "Insert the card.")
        Article.objects.filter(pk=page.pk).update(title="Lanyard printer")
        assert ids(search(user=desk.agent, q="lanyard"), "articles") == [page.pk]
        assert search(user=desk.agent, q="badge").articles == []
        Article.objects.filter(pk=page.pk).delete()
        assert search(user=desk.agent, q="lanyard").articles == []
        contact = Contact.objects.create(
            name="Ada King", email="ada@example.org", created_at=clock.now()
        )
        Contact.objects.filter(pk=contact.pk).update(name="Ada Lovelace")
        assert ids(search(user=desk.agent, q="lovelace"), "contacts") == [contact.pk]


class TestQueries:
    def test_a_search_takes_few_queries(self, desk, article):
        for i in range(5):
            desk.ticket(subject=f"Printer {i} jams", description="Paper jam in tray 2")
            article(f"Printer guide {i}", "Clear the jam.")
        with CaptureQueriesContext(connection) as captured:
            results = search(user=desk.agent, q="jam")
        # Reads only: not the transaction and settings statements around them.
        queries = [
            q for q in captured.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "SELECT set_config", "EXPLAIN"))
        ]  # fmt: skip
        assert len(results.tickets) == 5
        assert len(results.articles) == 5
        # Memberships; tickets: (sizes,) rank, marks (2), rows; articles: rank,
        # rows; contacts: rank.
        assert len(queries) <= 9, [q["sql"][:80] for q in queries]

    def test_nothing_to_search_asks_no_database(self, desk):
        with CaptureQueriesContext(connection) as queries:
            assert search(user=desk.agent, q="  ((( ** ").items == []
        assert len(queries) == 0
