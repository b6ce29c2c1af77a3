"""Cold-start triage: the desk's phrase rules, compiled once and matched as
whole words, whatever the case."""

from __future__ import annotations

import re
from dataclasses import dataclass

from deskwise.core.memo import timed_memo
from deskwise.triage.models import RuleField, TriageRule

RULES_SECONDS = 60  # rules an admin edits take effect within a minute


@dataclass(frozen=True)
class CompiledRule:
    name: str
    field: RuleField
    value: str
    confidence: float
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class RuleMatch:
    field: RuleField
    value: str
    confidence: float
    why: str


def _compile(phrases: list[str]) -> re.Pattern[str] | None:
    words = [re.escape(p.lower()).replace(r"\ ", r"\s+") for p in phrases if p]
    if not words:
        return None
    # Longer phrases first, so "can't log in" wins over "log".
    words.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)")


@timed_memo(RULES_SECONDS)
def compiled_rules() -> list[CompiledRule]:
    rules = []
    for rule in TriageRule.objects.filter(is_active=True):
        pattern = _compile(rule.phrase_list())
        if pattern is not None:
            rules.append(
                CompiledRule(rule.name, RuleField(rule.field), rule.value, rule.confidence, pattern)
            )
    return rules


def match_rules(text: str) -> dict[RuleField, RuleMatch]:
    """The most confident rule match per field (the first rule wins a tie)."""
    lowered = text.lower().replace("\u2019", "'")
    found: dict[RuleField, RuleMatch] = {}
    for rule in compiled_rules():
        current = found.get(rule.field)
        if current is not None and current.confidence >= rule.confidence:
            continue
        hit = rule.pattern.search(lowered)
        if hit:
            found[rule.field] = RuleMatch(
                rule.field,
                rule.value,
                rule.confidence,
                f"rule “{rule.name}” matched “{hit.group()}”",
            )
    return found
