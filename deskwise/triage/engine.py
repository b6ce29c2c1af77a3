"""Automatic triage at intake: proposals for class, impact, urgency, category
and team, red flags and frustration, each with the reason behind it.

Sources, in the order they are trusted: what the requester or agent said
(never overridden), the desk's trained model when it is confident enough, the
cold-start phrase rules, the defaults. A proposal is applied when its
confidence reaches DESKWISE_TRIAGE_APPLY_AT; every one stays on the ticket
with its reason, so agents see why and can change it.

Triage must never stop a request from arriving: any failure falls back to
the defaults and says so on the ticket.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings

from deskwise.triage.models import Category, RuleField
from deskwise.triage.rules import match_rules

logger = logging.getLogger(__name__)

TEXT_LIMIT = 20_000  # enough for any request; keeps triage fast on a 10 MB mail


@dataclass(frozen=True)
class Proposal:
    field: str
    value: str
    confidence: float
    source: str  # "rule", "model", "given"
    why: str
    applied: bool = False


@dataclass
class Triage:
    proposals: dict[str, Proposal] = field(default_factory=dict)
    flags: list[dict[str, Any]] = field(default_factory=list)
    frustrated: bool = False
    frustration: dict[str, Any] = field(default_factory=dict)
    clarifying_questions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def value(self, name: str) -> str | None:
        """The applied value for a field, if any."""
        proposal = self.proposals.get(name)
        return proposal.value if proposal is not None and proposal.applied else None

    def as_json(self) -> dict[str, Any]:
        return {
            "proposals": {k: asdict(p) for k, p in self.proposals.items()},
            "frustration": self.frustration,
            "clarifying_questions": self.clarifying_questions,
            "notes": self.notes,
        }


def apply_at() -> float:
    return float(settings.DESKWISE_TRIAGE_APPLY_AT)


def _model_proposals(text: str) -> dict[str, Proposal]:
    from deskwise.triage.learning import active_models

    found = {}
    floor = settings.DESKWISE_TRIAGE_MODEL_MIN_CONFIDENCE
    for name, model in active_models().items():
        prediction = model.classifier.predict(text)
        if prediction.confidence < floor:
            continue  # not sure enough to say anything: the rules decide
        terms = ", ".join(prediction.terms) or "the text as a whole"
        found[name] = Proposal(
            name,
            prediction.label,
            round(float(prediction.confidence), 3),
            "model",
            f"model v{model.version} ({prediction.confidence:.0%}); strongest terms: {terms}",
        )
    return found


def triage_request(
    *,
    subject: str,
    text: str,
    given: dict[str, str],
    requester_id: int | None = None,
    team_id: int | None = None,
    reopen_count: int = 0,
    has_attachment: bool = False,
) -> Triage:
    """Propose and flag; ``given`` holds the fields the requester or agent set
    themselves, which are kept."""
    result = Triage()
    try:
        _triage(result, subject=subject, text=text, given=given, team_id=team_id)
    except Exception as exc:  # triage is advice: it must never stop intake
        logger.exception("triage failed; the defaults are kept")
        result.proposals = {}
        result.notes.append(f"Automatic triage failed ({type(exc).__name__}); defaults kept.")
    try:
        _signals(
            result,
            subject=subject,
            text=text,
            reopen_count=reopen_count,
            has_attachment=has_attachment,
        )
        if requester_id is not None:
            from deskwise.triage.flags import history_flag

            flag = history_flag(requester_id)
            if flag is not None:
                result.flags.append(flag)
    except Exception as exc:
        logger.exception("red flags failed")
        result.notes.append(f"Red flags could not be checked ({type(exc).__name__}).")
    return result


def _triage(
    result: Triage, *, subject: str, text: str, given: dict[str, str], team_id: int | None
) -> None:
    from deskwise.triage.flags import text_flags

    whole = f"{subject}\n{text}"[:TEXT_LIMIT]
    if not whole.strip():
        result.notes.append("No text to triage: defaults kept.")
    proposals: dict[str, Proposal] = {}
    for match in match_rules(whole).values():
        proposals[match.field] = Proposal(
            match.field, match.value, match.confidence, "rule", match.why
        )
    try:
        model_proposals = _model_proposals(whole)
    except Exception as exc:
        logger.exception("the triage model failed; rules only")
        result.notes.append(f"The trained model could not be used ({type(exc).__name__}).")
        model_proposals = {}
    for name, proposal in model_proposals.items():
        current = proposals.get(name)
        if current is None or proposal.confidence > current.confidence:
            proposals[name] = proposal
    threshold = apply_at()
    for name, proposal in list(proposals.items()):
        if name in given:
            proposals[name] = Proposal(
                name,
                given[name],
                1.0,
                "given",
                f"set by the person who asked (the {proposal.source} proposed "
                f"“{proposal.value}”: {proposal.why})",
                applied=True,
            )
        elif _valid(name, proposal.value):
            proposals[name] = Proposal(
                **{**asdict(proposal), "applied": proposal.confidence >= threshold}
            )
        else:
            result.notes.append(f"Ignored a proposal for {name}: “{proposal.value}” is unknown.")
            del proposals[name]
    result.proposals = proposals
    result.flags.extend(text_flags(whole, team_id=team_id))


def _valid(name: str, value: str) -> bool:
    from deskwise.accounts.models import Team
    from deskwise.tickets.choices import Impact, TriageClass, Urgency

    choices: dict[str, Any] = {
        RuleField.TRIAGE_CLASS: TriageClass.values,
        RuleField.IMPACT: Impact.values,
        RuleField.URGENCY: Urgency.values,
    }
    if name in choices:
        return value in choices[name]
    if name == RuleField.CATEGORY:
        return Category.objects.filter(name=value, is_active=True).exists()
    if name == RuleField.TEAM:
        return Team.objects.filter(name=value).exists()
    return False


ASKING_CLASSES = frozenset({"request", "maintenance"})
ASKING_MIN_WORDS = 8


def _asks_for_something(result: Triage, text: str) -> bool:
    """A request for a thing or a routine job (a licence, a new starter's
    laptop) is clear without an error message or a time it started."""
    proposal = result.proposals.get("triage_class")
    return (
        proposal is not None
        and proposal.value in ASKING_CLASSES
        and len(text.split()) >= ASKING_MIN_WORDS
    )


def _signals(
    result: Triage, *, subject: str, text: str, reopen_count: int, has_attachment: bool
) -> None:
    from deskwise.triage.flags import Flag, make_flag
    from deskwise.triage.signals import SUGGESTED_APPROACH, frustration, vagueness

    mood = frustration(text[:TEXT_LIMIT], reopen_count=reopen_count)
    result.frustration = {"score": mood.score, "cues": list(mood.cues), "reason": mood.reason}
    if mood.frustrated:
        result.frustrated = True
        result.flags.append(make_flag(Flag.FRUSTRATED, mood.reason, approach=SUGGESTED_APPROACH))
    unclear = vagueness(subject, text[:TEXT_LIMIT], has_attachment=has_attachment)
    if unclear.vague and not _asks_for_something(result, text):
        result.clarifying_questions = list(unclear.questions)
        result.flags.append(
            make_flag(Flag.UNCLEAR, unclear.reason, questions=list(unclear.questions))
        )
