"""The coach against the labelled replies of deskwise/bench/coach_examples.py.

The floors, and why:

* Per check, precision and recall of at least 0.8 over the whole set (checks
  with 5 or more positives). A check has 8 to 21 positives here, so one miss
  costs 0.05 to 0.12: the floor leaves room for the couple of honest misses
  the rules have today (a person called a "driver", "next week" read as a
  promised time) and fails when a check breaks (a pattern typo takes it
  towards 0) or starts firing on everything (its precision falls).
* Under 10% of the well-written replies get any note: the requirement itself.
  Past it, agents learn to ignore the coach.
* On the held-out replies (written after the rules were final and never used
  to change them), micro precision and recall of at least 0.5. They are
  lower than on the rest (about 0.6 today): the rules know the phrasings they
  were shaped on better than new ones, and this floor keeps that gap from
  becoming a collapse. It is not higher because 18 replies are too few to
  hold a check to a finer figure.

None of these is 1.0: the figures today are below it, and the last test shows
that breaking one check fails the floors.
"""

from __future__ import annotations

import pytest

from deskwise.bench import coach_eval
from deskwise.bench.coach_examples import EXAMPLES, GOOD, HELD_OUT
from deskwise.coach import checks

CHECK_FLOOR = 0.8
FALSE_ALARMS_BELOW = 0.10
HELD_OUT_FLOOR = 0.5
MIN_POSITIVES = 5


def below_floor(report: dict) -> list[str]:
    failures = []
    for code, row in report["per_check"].items():
        if row["positives"] < MIN_POSITIVES:
            continue
        for measure in ("precision", "recall"):
            value = row[measure]
            if value is None or value < CHECK_FLOOR:
                failures.append(f"{code} {measure} {value}")
    if report["false_alarm_share"] >= FALSE_ALARMS_BELOW:
        failures.append(f"false alarms {report['false_alarm_share']}")
    return failures


def test_the_set_is_big_enough_and_covers_every_check():
    assert len(EXAMPLES) >= 150
    good = [example for example in EXAMPLES if not example.expect]
    assert len(good) >= 40
    assert len(GOOD) >= 40
    for code in checks.CHECKS:
        positives = [e for e in EXAMPLES if code in e.expect]
        negatives = [e for e in EXAMPLES if code not in e.expect]
        assert len(positives) >= 8, code
        assert len(negatives) >= 40, code
    assert all(set(e.expect) <= set(checks.CHECKS) for e in EXAMPLES)
    assert {e.purpose for e in EXAMPLES} == set(checks.PURPOSES)
    assert any(e.is_technical for e in EXAMPLES)
    assert any(e.frustrated for e in EXAMPLES)


def test_precision_and_recall_stay_above_the_floors():
    report = coach_eval.evaluate()
    assert below_floor(report) == [], report["mistakes"]


def test_held_out_replies_stay_above_their_floor():
    report = coach_eval.evaluate(HELD_OUT)
    assert report["micro_precision"] >= HELD_OUT_FLOOR
    assert report["micro_recall"] >= HELD_OUT_FLOOR


def test_the_floors_catch_a_broken_check(monkeypatch):
    real = checks.check

    def without_jargon(text, *, context=None):
        return [note for note in real(text, context=context) if note.code != "jargon"]

    monkeypatch.setattr(coach_eval, "check", without_jargon)
    assert "jargon recall 0.0" in below_floor(coach_eval.evaluate())

    def noisy(text, *, context=None):
        notes = real(text, context=context)
        return [*notes, checks.Note("long_sentence", "x", 0, 0, "x")]

    monkeypatch.setattr(coach_eval, "check", noisy)
    failures = below_floor(coach_eval.evaluate())
    assert any(f.startswith("long_sentence precision") for f in failures)
    assert any(f.startswith("false alarms") for f in failures)


@pytest.mark.parametrize("runs", [40])
def test_the_bench_reports_its_figures(runs):
    timing = coach_eval.timing(runs=runs)
    assert timing["chars"] == 2000
    assert 0 < timing["p50_ms"] <= timing["p95_ms"] <= timing["max_ms"]
    report = coach_eval.evaluate()
    assert set(report["per_check"]) == set(checks.CHECKS)
    assert report["examples"] == len(EXAMPLES)
