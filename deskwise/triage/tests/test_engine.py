"""Automatic triage: proposals with their reasons, red flags, the matrix, the
fallbacks when the text is strange or a part of triage fails."""

from __future__ import annotations

import pytest
from django.test import override_settings

from deskwise.tickets.choices import EventKind, Impact, Priority, Urgency
from deskwise.triage import engine, learning
from deskwise.triage.engine import triage_request
from deskwise.triage.flags import Flag, history_flag
from deskwise.triage.models import Category, FlagPhrase, PriorityCell, Product, TriageRule
from deskwise.triage.priority import priority_for

pytestmark = pytest.mark.django_db


def triage(subject: str, text: str = "", **given: str) -> engine.Triage:
    return triage_request(subject=subject, text=text, given=given)


class TestRules:
    def test_a_phishing_mail_is_security_and_says_which_rule(self):
        result = triage("A mail I got", "I think I clicked a link in a phishing mail.")
        proposal = result.proposals["triage_class"]
        assert (proposal.value, proposal.source, proposal.applied) == ("security", "rule", True)
        assert "Security threat" in proposal.why
        assert "phishing" in proposal.why or "clicked a link" in proposal.why

    def test_whole_office_down_is_an_outage_for_everyone_and_blocked(self):
        result = triage("Server down", "The file server is down for the whole office.")
        assert result.value("triage_class") == "outage"
        assert result.value("impact") == Impact.ORGANISATION
        assert result.value("urgency") == Urgency.BLOCKED

    def test_phrases_match_whole_words_only(self):
        # "viruses" is not "virus"; "antivirus" does not contain the word "virus".
        result = triage("Antivirus licence renewal", "Please renew the antivirus licence.")
        assert result.value("triage_class") != "security"

    def test_curly_apostrophes_match_like_straight_ones(self):
        result = triage("Login", "I can\u2019t log in since this morning.")
        assert result.value("urgency") == Urgency.BLOCKED

    def test_what_the_requester_said_is_kept_and_the_rule_is_named(self):
        result = triage("Server down", "The server is down.", urgency=Urgency.CAN_WAIT)
        proposal = result.proposals["urgency"]
        assert (proposal.value, proposal.source) == (Urgency.CAN_WAIT, "given")
        assert "set by the person who asked" in proposal.why

    def test_a_rule_below_the_threshold_is_proposed_not_applied(self):
        TriageRule.objects.create(
            name="Maybe printing", phrases="printer", field="triage_class",
            value="maintenance", confidence=0.4,
        )  # fmt: skip
        result = triage("Printer", "The printer is slow.")
        proposal = result.proposals["triage_class"]
        assert proposal.value == "maintenance"
        assert not proposal.applied
        assert result.value("triage_class") is None

    def test_a_rule_naming_an_unknown_value_is_ignored_and_said(self):
        TriageRule.objects.create(
            name="Typo", phrases="spreadsheet", field="category", value="No such category"
        )
        result = triage("Spreadsheet", "My spreadsheet will not open.")
        assert "category" not in result.proposals
        assert any("unknown" in note for note in result.notes)

    def test_category_rules_route_to_a_category(self):
        Category.objects.create(name="Accounts and access")
        TriageRule.objects.create(
            name="Access", phrases="password\nlocked out", field="category",
            value="Accounts and access", confidence=0.9,
        )  # fmt: skip
        result = triage("Locked out", "I am locked out of my account.")
        assert result.value("category") == "Accounts and access"


class TestStrangeText:
    @pytest.mark.parametrize(
        "text",
        [
            "",
            "   \n\t ",
            "\x00\x00\x00",
            "服务器 down 🔥🔥 Ошибка входа — نظام",
            "🙂" * 5000,
            "word " * 400_000,
        ],
        ids=["empty", "blank", "nul", "mixed-scripts", "emoji", "two-megabytes"],
    )
    def test_never_fails_and_keeps_something_sensible(self, text):
        result = triage("", text)
        assert isinstance(result.proposals, dict)
        for proposal in result.proposals.values():
            assert 0 <= proposal.confidence <= 1

    def test_no_text_says_the_defaults_were_kept(self):
        assert "No text to triage: defaults kept." in triage("", "").notes

    def test_a_broken_rule_table_falls_back_to_defaults_and_says_why(self, monkeypatch):
        def broken(text):
            raise RuntimeError("boom")

        monkeypatch.setattr(engine, "match_rules", broken)
        result = triage("Server down", "Everyone is blocked.")
        assert result.proposals == {}
        assert any("Automatic triage failed (RuntimeError)" in n for n in result.notes)

    def test_a_broken_model_leaves_the_rules_working(self, monkeypatch):
        def broken():
            raise ValueError("corrupt model")

        monkeypatch.setattr(learning, "active_models", broken)
        result = triage("Phishing", "A phishing mail.")
        assert result.value("triage_class") == "security"
        assert any("trained model could not be used" in n for n in result.notes)


class TestMatrix:
    def test_the_default_is_itil_style(self):
        assert priority_for(impact=Impact.ORGANISATION, urgency=Urgency.BLOCKED) == Priority.P1
        assert priority_for(impact=Impact.TEAM, urgency=Urgency.BLOCKED) == Priority.P2
        assert priority_for(impact=Impact.PERSON, urgency=Urgency.CAN_WAIT) == Priority.P4

    def test_an_admin_edit_takes_effect_at_once(self):
        cell = PriorityCell.objects.get(impact=Impact.PERSON, urgency=Urgency.BLOCKED)
        assert priority_for(impact=Impact.PERSON, urgency=Urgency.BLOCKED) == Priority.P3
        cell.priority = Priority.P2
        cell.save()
        assert priority_for(impact=Impact.PERSON, urgency=Urgency.BLOCKED) == Priority.P2


class TestFlags:
    def codes(self, result: engine.Triage) -> set[str]:
        return {flag["code"] for flag in result.flags}

    def test_unsupported_product_by_name_or_alias_with_the_note(self):
        Product.objects.create(
            name="Windows 7", aliases="win7\nwin 7", supported=False,
            note="Windows 11 is supported.",
        )  # fmt: skip
        Product.objects.create(name="Outlook", supported=True)
        result = triage("Outlook crashes", "Outlook crashes on my Win7 laptop at start.")
        flag = next(f for f in result.flags if f["code"] == Flag.UNSUPPORTED)
        assert "Windows 7" in flag["reason"]
        assert "Windows 11 is supported." in flag["reason"]
        assert "Outlook" not in flag["reason"]

    def test_research_phrase(self):
        FlagPhrase.objects.create(
            kind=FlagPhrase.Kind.RESEARCH, phrase="macro", note="Ask how much is wanted."
        )
        result = triage("Excel", "Can you write a macro that merges all our reports?")
        flag = next(f for f in result.flags if f["code"] == Flag.RESEARCH)
        assert "macro" in flag["reason"]
        assert "Ask how much is wanted." in flag["reason"]

    def test_scope_lists_are_per_team(self, desk):
        FlagPhrase.objects.create(
            kind=FlagPhrase.Kind.OUT_OF_SCOPE, phrase="personal phone", team=desk.team
        )
        text = "Please set up my personal phone for the family."
        ours = triage_request(subject="Phone", text=text, given={}, team_id=desk.team.pk)
        theirs = triage_request(subject="Phone", text=text, given={}, team_id=desk.other_team.pk)
        assert Flag.OUT_OF_SCOPE in self.codes(ours)
        assert Flag.OUT_OF_SCOPE not in self.codes(theirs)

    def test_a_clear_request_raises_no_flag(self):
        result = triage(
            "Printer on floor 2 jams",
            "Since Monday the printer on floor 2 jams after the first page of every job. "
            "I expected it to print normally; the error says 'paper jam tray 2'.",
        )
        assert result.flags == []

    def test_a_vague_request_is_flagged_with_questions(self):
        result = triage("help", "it doesnt work")
        flag = next(f for f in result.flags if f["code"] == Flag.UNCLEAR)
        assert flag["questions"]
        assert result.clarifying_questions == flag["questions"]

    def test_frustration_is_flagged_with_an_approach(self):
        result = triage(
            "STILL NOT FIXED", "This is the THIRD TIME I am writing!!! Nobody has done anything."
        )
        flag = next(f for f in result.flags if f["code"] == Flag.FRUSTRATED)
        assert result.frustrated
        assert flag["approach"]

    def test_history_counts_declines_escalations_and_reopenings(self, desk):
        tickets = [desk.ticket() for _ in range(3)]
        contact = desk.requester.contact
        assert history_flag(contact.pk) is None
        from deskwise.tickets.models import Ticket

        Ticket.objects.filter(pk__in=[t.pk for t in tickets]).update(escalation_level=1)
        flag = history_flag(contact.pk)
        assert flag is not None
        assert flag["code"] == Flag.HISTORY
        assert "3 escalated" in flag["reason"]
        assert history_flag(desk.other_requester.contact.pk) is None


class TestLearning:
    @pytest.fixture(autouse=True)
    def _small_desk(self, settings):
        settings.DESKWISE_TRIAGE_MODEL_MIN_SAMPLES = 20

    def _tickets(self, desk) -> None:
        from deskwise.tickets.models import Ticket

        outages = [
            "The payroll system is unreachable for the finance floor",
            "Nobody can reach the intranet portal this morning",
            "The shared drive cannot be reached from any office machine",
            "Email system unreachable across the building",
            "The booking website returns a gateway error for all staff",
        ]
        requests = [
            "Could I get a second monitor for my desk please",
            "Please order a new keyboard for the new starter",
            "I would like a headset for calls when convenient",
            "Can we have a docking station for the meeting room",
            "Please arrange a monitor arm for my desk next week",
        ]
        for n in range(6):
            for text, cls in [(t, "outage") for t in outages] + [(t, "request") for t in requests]:
                ticket = desk.ticket(subject=f"{text} ({n})", description=text)
                Ticket.objects.filter(pk=ticket.pk).update(triage_class=cls)

    def test_trains_versions_and_proposes_with_the_strongest_terms(self, desk):
        self._tickets(desk)
        model = learning.train("triage_class")
        assert model is not None
        assert (model.version, model.is_active, model.samples) == (1, True, 60)
        assert model.metrics["holdout_accuracy"] > model.metrics["baseline_accuracy"]
        again = learning.train("triage_class")
        assert again is not None
        assert again.version == 2
        result = triage("Unreachable", "The timesheet system is unreachable for everyone")
        proposal = result.proposals["triage_class"]
        assert proposal.source == "model"
        assert proposal.value == "outage"
        assert "model v2" in proposal.why
        assert "unreachable" in proposal.why

    def test_too_little_to_learn_from_trains_nothing(self, desk):
        desk.ticket()
        assert learning.train("triage_class") is None
        assert learning.train_all()["triage_class"] == "too little to learn from"


def test_intake_with_triage_off_keeps_defaults_and_says_so(desk):
    with override_settings(DESKWISE_TRIAGE=False):
        ticket = desk.ticket(
            subject="Ransomware!", description="All our files are encrypted.", impact=None,
            urgency=None,
        )  # fmt: skip
    assert ticket.triage_class == ""
    assert (ticket.impact, ticket.urgency) == (Impact.PERSON, Urgency.DEGRADED)
    note = ticket.events.get(kind=EventKind.TRIAGE)
    assert "switched off" in note.body_text


def test_a_clear_request_for_something_is_not_unclear():
    result = triage(
        "Request: Adobe Illustrator licence",
        "Our team is taking over the brochure design from the agency. Could I have an "
        "Illustrator licence? Happy to share one with Tom if that's cheaper.",
    )
    assert result.proposals["triage_class"].value == "request"
    assert Flag.UNCLEAR not in {flag["code"] for flag in result.flags}
