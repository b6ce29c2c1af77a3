"""The register's analysis: counts over time, clusters of requests that read
alike, time saved, and the write-up of a case, on plain rows (no database)."""

from __future__ import annotations

import csv
import io
import random
import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.cluster import AgglomerativeClustering

from deskwise.outcomes import analysis
from deskwise.outcomes.analysis import (
    Bucket,
    Cluster,
    Row,
    case_csv,
    case_markdown,
    clean_text,
    clusters,
    counts,
    csv_cell,
    markdown_text,
    register_csv,
    time_saved,
)

START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)  # a Monday
NOW = datetime(2025, 7, 1, tzinfo=UTC)

ADMIN = [
    "Admin rights to install Python. I need local admin rights on my laptop to install Python.",
    "Request admin rights. Please give me admin rights so I can install Visual Studio Code.",
    "Install Zoom. I cannot install Zoom without admin rights on my PC.",
    "Admin rights request: I want to install GIMP for editing pictures.",
    "Local admin rights please, I need to install Spotify on my work laptop.",
    "Admin rights for Notepad++. Could you grant admin rights to install Notepad++?",
    "Need admin rights to install Docker Desktop on my laptop for a project.",
    "Install Slack desktop app. The installer asks for admin rights I do not have.",
    "Admin rights to install R and RStudio for the statistics course.",
    "Request: local admin rights to install Blender.",
    "Wireshark install. Give me admin rights on my PC so I can install Wireshark.",
    "Admin rights needed: install 7-Zip on my laptop.",
]
PHONE = [
    "Work email on my personal phone. Please set up my work email on my personal phone.",
    "Email on personal iPhone. How do I get company email on my personal phone?",
    "Personal phone email setup. I want Outlook email on my own personal phone.",
    "Set up email on personal Android phone, the email app asks for a server.",
    "Can you set up work email on my personal phone before my trip?",
    "Email setup on my personal phone is not working, please set it up.",
    "Personal phone: set up work email and calendar.",
    "I would like my work email on my personal phone, can the desk set it up?",
]
ADOBE = [
    "Adobe licence purchase. Please purchase an Adobe Acrobat licence for me.",
    "Adobe Photoshop licence: can you purchase an Adobe licence for Photoshop?",
    "Purchase Adobe licence. We need to purchase an Adobe Creative Cloud licence.",
    "Adobe licence purchase request for Illustrator.",
    "Please purchase an Adobe Acrobat Pro licence for our team.",
    "Adobe InDesign licence: please purchase one Adobe licence for InDesign.",
]
ONE_OFFS = [
    "The coffee machine on floor three is leaking water.",
    "Move my desk to the quiet corner next to finance.",
    "Printer in the mailroom jams on every page.",
    "Recover a spreadsheet deleted from the shared drive last month.",
    "Build a custom dashboard for the sales pipeline.",
    "My monitor flickers when the blinds are open.",
    "Migrate the old Access database to the cloud.",
    "Badge does not open the car park gate.",
    "Translate the onboarding handbook into Spanish.",
    "Replace the broken chair in meeting room Oak.",
]
GROUPS = {"admin": ADMIN, "phone": PHONE, "adobe": ADOBE}
WORDS = {"admin": "admin", "phone": "phone", "adobe": "adobe"}


def row(
    id: int,
    text: str = "",
    *,
    at: datetime = START,
    kind: str = "decline",
    reason: str = "Outside responsibilities",
    category: str = "",
    team: str = "Service desk",
    requester: str = "ann@example.com",
    agent: str = "Bob",
) -> Row:
    return Row(
        id=id,
        at=at,
        kind=kind,
        reason=reason,
        category=category,
        team=team,
        requester=requester,
        agent=agent,
        text=text,
    )


def register() -> tuple[list[Row], dict[int, str]]:
    """The seeded register, shuffled in time, and which group each row is in."""
    rng = random.Random(7)
    texts = [(group, text) for group, items in GROUPS.items() for text in items]
    texts += [("one-off", text) for text in ONE_OFFS]
    rng.shuffle(texts)
    rows, group_of = [], {}
    for number, (group, text) in enumerate(texts, start=1):
        at = START + timedelta(days=rng.randrange(170), hours=rng.randrange(9))
        rows.append(row(number, text, at=at, category=group, requester=f"user{number}"))
        group_of[number] = group
    return rows, group_of


# --- clusters -----------------------------------------------------------------------


def test_the_seeded_groups_are_found_and_the_one_offs_left_alone() -> None:
    rows, group_of = register()
    found = clusters(rows, now=NOW)
    for group, items in GROUPS.items():
        members = {i for i, g in group_of.items() if g == group}
        best = max(found, key=lambda c: len(members & set(c.member_ids)))
        missed = len(members - set(best.member_ids))
        assert missed <= max(1, len(items) // 10), (group, best)
        assert {group_of[i] for i in best.member_ids} == {group}, best
        assert WORDS[group] in best.label, best.label
    for cluster in found:
        assert len({group_of[i] for i in cluster.member_ids}) == 1, cluster
        assert "one-off" not in {group_of[i] for i in cluster.member_ids}, cluster
    assert [c.size for c in found] == sorted((c.size for c in found), reverse=True)


def test_a_cluster_reports_its_members_reasons_categories_and_dates() -> None:
    rows = [
        row(1, "VPN token expired, renew my VPN token", at=START, reason="Policy"),
        row(2, "Renew VPN token please, it expired", at=START + timedelta(days=2)),
        row(3, "My VPN token expired yesterday", at=START + timedelta(days=9), reason="Policy"),
        row(4, "The canteen menu is wrong", at=START + timedelta(days=5)),
    ]
    rows[0] = Row(**{**rows[0].__dict__, "category": "Network", "kind": "defer"})
    (found,) = clusters(rows, now=START + timedelta(days=10))
    assert found.member_ids == (3, 2, 1)
    assert found.size == 3
    assert found.reasons == (("Policy", 2), ("Outside responsibilities", 1))
    assert found.categories == (("", 2), ("Network", 1))
    assert found.kinds == (("decline", 2), ("defer", 1))
    assert found.requesters == 1
    assert (found.first_at, found.last_at) == (rows[0].at, rows[2].at)
    assert "vpn" in found.terms[0] or "token" in found.terms[0]
    assert found.label == ", ".join(found.terms)
    assert 3 <= len(found.terms) <= analysis.LABEL_TERMS


def texts_of(count: int, text: str) -> list[str]:
    return [f"{text} number {word}" for word in ["one", "two", "three", "four", "five"]][:count]


def dated(texts: list[str], first_day: int, step: int, start_id: int) -> list[Row]:
    return [
        row(start_id + i, t, at=START + timedelta(days=first_day + i * step))
        for i, t in enumerate(texts)
    ]


def test_trend_compares_the_recent_half_of_the_window_with_the_earlier_half() -> None:
    # The window runs from day 0 (the oldest row) to day 100; its middle is day 50.
    printer = [f"Printer toner empty on floor {n}, order printer toner" for n in range(10)]
    screen = [f"Second screen for my desk, I want a second screen {n}" for n in range(8)]
    chair = [f"Ergonomic chair request, my back hurts in this chair {n}" for n in range(4)]
    badge = [f"Visitor badge printing for guests, badge printer {n}" for n in range(4)]
    rows = (
        dated(printer[:2], 0, 5, 100)  # rising: 2 early, 8 late
        + dated(printer[2:], 60, 4, 110)
        + dated(screen[:6], 1, 7, 200)  # falling: 6 early, 2 late
        + dated(screen[6:], 70, 5, 210)
        + dated(chair, 80, 3, 300)  # new: all late
        + dated(badge[:2], 10, 10, 400)  # steady: 2 and 2
        + dated(badge[2:], 60, 10, 410)
    )
    by_word = {c.terms[0].split()[0]: c for c in clusters(rows, now=START + timedelta(days=100))}
    trends = {
        word: (c.trend, c.recent, c.earlier, c.size)
        for word, c in by_word.items()
        if word in {"printer", "toner", "screen", "second", "chair", "ergonomic", "badge"}
    }
    assert sorted(trends.values()) == sorted(
        [("rising", 8, 2, 10), ("falling", 2, 6, 8), ("new", 4, 0, 4), ("steady", 2, 2, 4)]
    ), trends
    some = next(iter(by_word.values()))
    assert some.window_start == START
    assert some.window_end == START + timedelta(days=100)


def test_the_window_never_ends_before_the_newest_row_and_now_defaults_to_the_clock() -> None:
    rows = [row(i, "Reset my SAP password please", at=START + timedelta(days=i)) for i in range(4)]
    (past,) = clusters(rows, now=START - timedelta(days=30))
    assert past.window_end == rows[-1].at
    (today,) = clusters(rows)
    assert today.window_end >= datetime.now(UTC) - timedelta(minutes=1)
    assert today.trend == "falling"


def test_per_month_is_the_recent_rate_with_at_least_a_month_assumed() -> None:
    texts = [f"Reset my SAP password please {n}" for n in range(6)]
    # A 120-day window: the recent half is 60 days, about two months, with 4 requests.
    rows = dated(texts[:2], 0, 1, 1) + dated(texts[2:], 100, 5, 10)
    (found,) = clusters(rows, now=START + timedelta(days=120))
    assert found.recent == 4
    assert found.per_month == pytest.approx(4 / (60 / analysis.DAYS_PER_MONTH))
    # A window of a few days still assumes a month: a burst is not a flood.
    (burst,) = clusters(dated(texts, 0, 1, 1), now=START + timedelta(days=6))
    assert burst.per_month == burst.recent


def test_min_size_and_threshold_are_respected() -> None:
    rows, _ = register()
    assert all(c.size >= 5 for c in clusters(rows, min_size=5, now=NOW))
    loose = clusters(rows, threshold=0.1, now=NOW)
    strict = clusters(rows, threshold=0.9, now=NOW)
    assert sum(c.size for c in strict) < sum(c.size for c in loose)
    singles = clusters(rows, min_size=1, now=NOW)
    assert sum(c.size for c in singles) == len(rows)
    with pytest.raises(ValueError, match="threshold"):
        clusters(rows, threshold=0)
    with pytest.raises(ValueError, match="threshold"):
        clusters(rows, threshold=1.5)
    with pytest.raises(ValueError, match="min_size"):
        clusters(rows, min_size=0)


def test_identical_requests_cluster_even_at_full_similarity() -> None:
    rows = [row(i, "Unlock my account") for i in range(1, 6)] + [row(9, "Order a new mouse")]
    (found,) = clusters(rows, threshold=1.0, now=NOW)
    assert found.member_ids == (5, 4, 3, 2, 1)


def test_no_rows_one_row_and_rows_without_words_give_no_clusters() -> None:
    assert clusters([]) == []
    assert clusters([row(1, "Install Python")]) == []
    empty = [row(i, text) for i, text in enumerate(["", "  ", "the and of", "12345", "!!!"])]
    assert clusters(empty, now=NOW) == []
    assert clusters(empty, min_size=1, now=NOW) == []
    mixed = [*empty, row(10, "Install Python"), row(11, "Install Python 3")]
    (found,) = clusters(mixed, now=NOW)
    assert set(found.member_ids) == {10, 11}


def test_a_repeated_id_is_counted_once() -> None:
    same = row(1, "Install Python")
    assert clusters([same, same], now=NOW) == []


def test_only_the_most_recent_rows_are_analysed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis, "MAX_ROWS", 4)
    rows = [row(i, "Printer toner is empty", at=START + timedelta(days=i)) for i in range(1, 9)]
    (found,) = clusters(rows, now=START + timedelta(days=8))
    assert found.member_ids == (8, 7, 6, 5)
    assert found.window_start == rows[4].at


def test_mail_noise_does_not_make_unrelated_requests_alike() -> None:
    signature = (
        "\n\nKind regards,\n--\nJane Doe | Finance | +44 20 7946 0000\n"
        "Contoso Ltd, 1 Long Street, London\nhttps://contoso.example/privacy\n"
    )
    history = (
        "\n\nOn Mon, 3 Mar 2025 at 10:00, IT Service Desk <desk@example.com> wrote:\n"
        "> Your request DW-1042 has been received. We will reply within one day.\n"
        "> Thank you for contacting the service desk of Contoso.\n"
    )
    texts = [
        "Re: My keyboard is missing the letter E key",
        "Fwd: Order a projector for the board meeting on Friday",
        "The parking permit renewal form does not submit",
        "Add my manager as delegate to my calendar",
    ]
    rows = [row(i, text + history + signature) for i, text in enumerate(texts)]
    assert clusters(rows, now=NOW) == []


def test_clean_text_keeps_the_request_and_drops_what_mail_adds() -> None:
    text = (
        "RE: FW: Laptop battery swells, see DW-1042 and https://example.com/x?a=1\n"
        "Mail me at ann@example.com.\n"
        "Sent from my iPhone\n"
        "> old quoted text about passwords\n"
    )
    cleaned = clean_text(text)
    assert "Laptop battery swells" in cleaned
    for gone in ("RE:", "FW:", "DW-1042", "https://", "ann@example.com", "iPhone", "passwords"):
        assert gone not in cleaned
    assert "history" in clean_text("history\n-----Original Message-----\nFrom: x")
    assert clean_text(None) == ""
    assert len(clean_text("x" * 100_000)) == analysis.MAX_CHARS


def synthetic_texts(count: int, seed: int) -> list[str]:
    """Requests made of a topic's words and random filler: overlapping groups,
    one-offs and near-ties, to compare against a reference implementation."""
    rng = random.Random(seed)
    topics = [
        ["printer", "toner", "jam", "paper", "tray"],
        ["vpn", "token", "remote", "connect", "home"],
        ["password", "reset", "locked", "account", "login"],
        ["laptop", "battery", "charger", "screen", "broken"],
        ["licence", "adobe", "purchase", "software", "buy"],
        ["email", "phone", "mobile", "calendar", "setup"],
    ]
    filler = [f"w{n}" for n in range(60)]
    texts = []
    for _ in range(count):
        words = rng.sample(rng.choice(topics), rng.randint(1, 4))
        words += rng.sample(filler, rng.randint(0, 4))
        rng.shuffle(words)
        texts.append(" ".join(words))
    return texts


@pytest.mark.parametrize("chain_early", [False, True], ids=["rounds", "chain"])
@pytest.mark.parametrize(("seed", "threshold"), [(1, 0.35), (2, 0.2), (3, 0.5), (4, 0.35)])
def test_the_groups_are_those_of_average_linkage_on_the_full_matrix(
    seed: int, threshold: float, chain_early: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sparse rounds, and the chain that finishes them, give what scipy's
    average linkage gives on the dense cosine distance matrix cut at
    ``1 - threshold``, and what scikit-learn's agglomerative clustering gives
    on the dense vectors."""
    chained: list[int] = []
    if chain_early:
        monkeypatch.setattr(analysis, "SLOW_ROUND", 0)  # every round is slow: chain after one
        chain = analysis._chain

        def counted(*args: Any) -> None:
            chained.append(1)
            chain(*args)

        monkeypatch.setattr(analysis, "_chain", counted)
    matrix, _ = analysis._vectorise(synthetic_texts(400, seed))
    matrix = matrix[np.flatnonzero(np.diff(matrix.indptr))]
    distance = np.clip(1.0 - (matrix @ matrix.T).toarray(), 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - threshold + 1e-9, criterion="distance")
    expected = {frozenset(np.flatnonzero(labels == label).tolist()) for label in set(labels)}
    found = {frozenset(g.tolist()) for g in analysis._average_linkage(matrix, threshold)}
    assert found == expected
    assert sum(len(g) for g in found) == matrix.shape[0]
    learnt = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=1 - threshold
    ).fit(matrix.toarray())
    by_sklearn = {
        frozenset(np.flatnonzero(learnt.labels_ == label).tolist()) for label in set(learnt.labels_)
    }
    assert found == by_sklearn
    assert bool(chained) == chain_early


def test_groups_alike_up_to_rounding_do_not_send_the_chain_round_for_ever() -> None:
    """Templated requests (six subjects, two bodies, three symptoms, a name and
    an error code of their own) leave groups that are equally alike in exact
    arithmetic and a last digit apart as computed: the chain once walked round
    three of them without end. It must finish, and put every request in one
    group. Run in a thread so that a relapse fails the test, not the suite."""
    import threading

    rng = random.Random(0)
    subjects = [
        "Laptop will not start",
        "Outlook asks for my password",
        "Printer prints blank",
        "Need access to the finance share",
        "VPN disconnects",
        "Phone gets no mail",
    ]
    bodies = [
        "Hello,\n\nsince this morning {thing}. I have restarted twice. Could you have a "
        "look?\n\nThanks,\nPerson {n}",
        "Hi team,\n\n{thing} and I have a deadline at 3 pm. The error says 'code 0x{n:x}'."
        "\n\nPerson {n}",
    ]
    things = ["the screen stays black", "nothing syncs", "it freezes"]
    texts = [
        f"{subjects[n % 6]}\n{bodies[n % 2].format(thing=rng.choice(things), n=n)}"
        for n in range(1500)
    ]
    rows = [row(i, text) for i, text in enumerate(texts)]
    found: list[list[Cluster]] = []
    worker = threading.Thread(target=lambda: found.append(clusters(rows, now=NOW)), daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert found, "the clustering did not finish"
    (groups,) = found
    assert sum(c.size for c in groups) == 1500  # nobody left out
    assert 1 <= len(groups) <= 6  # at most one group per subject


def test_requests_that_all_tie_pair_off_into_one_cluster() -> None:
    """Requests from one template that differ by a word of their own are all
    equally alike: they end in one cluster, and identical ones count as many."""
    template = "Create a user account, mailbox, VPN access and laptop for the new starter {}"
    names = [f"zz{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(300)]
    rows = [row(i, template.format(name)) for i, name in enumerate(names)]
    rows += [row(1000 + i, template.format("same")) for i in range(20)]
    (found,) = clusters(rows, now=NOW)
    assert found.size == 320


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(max_size=200), max_size=25), st.floats(0.05, 1.0))
def test_clusters_never_raises_on_any_text(texts: list[str], threshold: float) -> None:
    rows = [row(i, text, at=START + timedelta(hours=i)) for i, text in enumerate(texts)]
    found = clusters(rows, threshold=threshold, now=NOW)
    ids = [i for c in found for i in c.member_ids]
    assert len(ids) == len(set(ids))
    assert set(ids) <= {r.id for r in rows}
    assert all(c.size >= 2 and c.size == len(c.member_ids) for c in found)


# --- counts -------------------------------------------------------------------------


def test_counts_by_month_fill_the_months_between_with_zeros() -> None:
    rows = [
        row(1, at=datetime(2025, 1, 31, 23, tzinfo=UTC), reason="Policy"),
        row(2, at=datetime(2025, 1, 2, tzinfo=UTC), reason="Capacity"),
        row(3, at=datetime(2025, 4, 1, tzinfo=UTC), reason="Policy"),
        row(4, at=datetime(2025, 4, 30, tzinfo=UTC), reason="Policy"),
    ]
    found = counts(rows, by="reason")
    months = [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1), date(2025, 4, 1)]
    assert found == [
        Bucket("Policy", 3, tuple(zip(months, [1, 0, 0, 2], strict=True))),
        Bucket("Capacity", 1, tuple(zip(months, [1, 0, 0, 0], strict=True))),
    ]


def test_counts_by_iso_week_start_on_monday_and_cross_the_year() -> None:
    rows = [
        row(1, at=datetime(2024, 12, 29, 12, tzinfo=UTC)),  # a Sunday: week of 23 Dec
        row(2, at=datetime(2024, 12, 30, 8, tzinfo=UTC)),  # Monday of ISO week 2025-W01
        row(3, at=datetime(2025, 1, 5, 23, tzinfo=UTC)),  # the same week's Sunday
        row(4, at=datetime(2025, 1, 20, tzinfo=UTC)),
    ]
    (bucket,) = counts(rows, by="team", period="week")
    assert bucket.key == "Service desk"
    assert bucket.total == 4
    assert bucket.series == (
        (date(2024, 12, 23), 1),
        (date(2024, 12, 30), 2),
        (date(2025, 1, 6), 0),
        (date(2025, 1, 13), 0),
        (date(2025, 1, 20), 1),
    )
    assert all(start.weekday() == 0 for start, _ in bucket.series)


def test_counts_read_dates_in_the_given_zone() -> None:
    late = row(1, at=datetime(2025, 1, 31, 23, 30, tzinfo=UTC))
    assert counts([late], by="kind")[0].series == ((date(2025, 1, 1), 1),)
    berlin = timezone(timedelta(hours=1))
    assert counts([late], by="kind", tz=berlin)[0].series == ((date(2025, 2, 1), 1),)


@pytest.mark.parametrize("dimension", analysis.DIMENSIONS)
def test_counts_by_every_dimension(dimension: str) -> None:
    values = {"a": 3, "b": 1, "": 2}
    rows: list[Row] = []
    for value, times in values.items():
        for _ in range(times):
            rows.append(
                Row(
                    **{
                        **row(len(rows) + 1, at=START + timedelta(days=len(rows))).__dict__,
                        dimension: value,
                    }
                )
            )
    found = counts(rows, by=dimension, period="week")
    assert [(b.key, b.total) for b in found] == [("a", 3), ("", 2), ("b", 1)]
    assert all(len(b.series) == len(found[0].series) for b in found)
    assert sum(n for b in found for _, n in b.series) == len(rows)


def test_counts_of_nothing_and_of_unknown_dimensions() -> None:
    assert counts([], by="reason") == []
    assert counts([], by="agent", period="week") == []
    with pytest.raises(ValueError, match="count by"):
        counts([row(1)], by="text")
    with pytest.raises(ValueError, match="period"):
        counts([row(1)], by="reason", period="day")


# --- time saved ---------------------------------------------------------------------


def test_time_saved_counts_declines_only_and_says_what_it_could_not_price() -> None:
    rows = [
        row(1, team="Desk", category="Software"),
        row(2, team="Desk", category="Software"),
        row(3, team="Desk", category="Software", kind="defer"),  # still done later
        row(4, team="Desk", category="Hardware"),  # falls back to the team's hours
        row(5, team="Network", category="VPN"),  # nothing known
        row(6, team="Network", category="VPN"),
    ]
    hours = {("Desk", "Software"): 1.5, ("Desk", ""): 0.5}
    saved = time_saved(rows, hours)
    assert saved.hours == pytest.approx(3.5)
    assert (saved.priced, saved.unpriced) == (3, 2)
    lines = {(line.team, line.category): line for line in saved.lines}
    assert lines["Desk", "Software"].declines == 2
    assert lines["Desk", "Software"].hours == pytest.approx(3.0)
    assert lines["Desk", "Hardware"].hours_each == 0.5
    assert lines["Network", "VPN"].hours_each is None
    assert lines["Network", "VPN"].hours == 0.0
    assert [line.hours for line in saved.lines] == sorted(
        (line.hours for line in saved.lines), reverse=True
    )
    with_default = time_saved(rows, hours, default_hours=2.0)
    assert with_default.hours == pytest.approx(7.5)
    assert (with_default.priced, with_default.unpriced) == (5, 0)


def test_time_saved_of_nothing_and_of_impossible_hours() -> None:
    empty = time_saved([], {})
    assert (empty.hours, empty.priced, empty.unpriced, empty.lines) == (0.0, 0, 0, ())
    deferrals = time_saved([row(1, kind="defer")], {}, default_hours=1.0)
    assert (deferrals.hours, deferrals.priced) == (0.0, 0)
    with pytest.raises(ValueError, match="hours"):
        time_saved([row(1)], {("Service desk", ""): -1.0})
    with pytest.raises(ValueError, match="hours"):
        time_saved([row(1)], {}, default_hours=float("nan"))


# --- the case -----------------------------------------------------------------------

HOSTILE = (
    "Eve | `rm -rf` | # Heading\n\n| injected | row |\n|---|---|\n"
    "<script>alert('x')</script> <img src=x onerror=alert(1)> [link](javascript:alert(1))"
)


def hostile_case() -> tuple[Cluster, dict[int, Row]]:
    rows = [
        row(
            i,
            f"Install Python on my laptop please {i}. " + (HOSTILE if i == 1 else ""),
            at=START + timedelta(days=10 * i),
            requester=HOSTILE if i == 2 else f"user{i}@example.com",
            reason="Needs *approval* <b>" if i == 3 else "Outside responsibilities",
            category="Software" if i % 2 else "",
        )
        for i in range(1, 5)
    ]
    (cluster,) = clusters(rows, now=START + timedelta(days=60))
    return cluster, {r.id: r for r in rows}


def table_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("|")]


def unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_case_markdown_holds_the_evidence() -> None:
    cluster, rows_by_id = hostile_case()
    text = case_markdown(
        cluster,
        rows_by_id,
        title="Let people install Python themselves",
        fix_kind="upgrade",
        proposal="Add Python to the software centre.\n\nThen nobody needs admin rights.",
        hours_per_request=1.5,
    )
    assert text.startswith("# Let people install Python themselves\n")
    assert "upgrade" in text
    assert "4 requests" in text
    assert "2025-01-16 to 2025-02-15" in text
    assert f"{cluster.trend}: {cluster.recent} since" in text
    assert "Outside responsibilities (3)" in text
    assert "Software (2), uncategorised (2)" in text
    assert f"{cluster.per_month * 1.5:.1f} hours a month" in text
    assert "Then nobody needs admin rights" in text
    unpriced = case_markdown(
        cluster, rows_by_id, title="t", fix_kind="training", proposal="", hours_per_request=None
    )
    assert "not estimated" in unpriced
    with pytest.raises(ValueError, match="fix"):
        case_markdown(
            cluster, rows_by_id, title="t", fix_kind="magic", proposal="", hours_per_request=1
        )


def test_case_markdown_keeps_hostile_text_inert() -> None:
    cluster, rows_by_id = hostile_case()
    text = case_markdown(
        cluster,
        rows_by_id,
        title=HOSTILE,
        fix_kind="documentation",
        proposal=HOSTILE,
        hours_per_request=None,
    )
    table = table_rows(text)
    assert len(table) == 2 + cluster.size  # header, rule, one row per request
    assert all(unescaped_pipes(line) == 5 for line in table)  # four cells each
    assert "<script" not in text
    assert "<img" not in text
    assert "<b>" not in text
    assert "](" not in text.replace("\\](", "")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[1:] == ["## Evidence", "## Requests"]
    assert "\\`rm \\-rf\\`" in text or "\\`rm -rf\\`" in text
    for line in table[2:]:
        excerpt = line.rsplit(" | ", 1)[-1]
        assert len(excerpt) < 2 * analysis.EXCERPT


def test_case_markdown_renders_to_the_table_it_means() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    cluster, rows_by_id = hostile_case()
    text = case_markdown(
        cluster,
        rows_by_id,
        title=HOSTILE,
        fix_kind="policy",
        proposal=HOSTILE,
        hours_per_request=2,
    )
    html = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    assert "<script" not in html
    assert "<img" not in html
    assert "<a " not in html
    assert html.count("<tr>") == 1 + cluster.size
    assert html.count("<td>") == 4 * cluster.size
    assert html.count("<h1>") == 1
    assert html.count("<h2>") == 2
    assert "&lt;script&gt;" in html


def test_markdown_text_is_one_line_and_cut_at_a_word() -> None:
    assert markdown_text("a\nb\r\nc\td") == "a b c d"
    assert markdown_text("# title") == "\\# title"
    assert markdown_text("- item") == "\\- item"
    assert markdown_text("1. first") == "1\\. first"
    assert markdown_text("a | b") == "a \\| b"
    assert markdown_text("<b>&") == "&lt;b&gt;&amp;"
    long = " ".join(["word"] * 100)
    cut = analysis.one_line(long, analysis.EXCERPT)
    assert len(cut) <= analysis.EXCERPT
    assert cut.endswith("word…")


def test_case_markdown_lists_only_the_rows_it_has() -> None:
    cluster, rows_by_id = hostile_case()
    del rows_by_id[cluster.member_ids[0]]
    text = case_markdown(
        cluster, rows_by_id, title="t", fix_kind="policy", proposal="p", hours_per_request=None
    )
    assert "1 of the requests are no longer available" in text
    assert len(table_rows(text)) == 2 + cluster.size - 1


# --- CSV ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
    ],
)
def test_csv_cells_cannot_start_a_formula(value: str | None, cell: str) -> None:
    assert csv_cell(value) == cell


def test_register_csv_streams_a_header_and_one_record_per_row() -> None:
    def rows():  # a generator: nothing is read before it is needed
        yield row(
            1,
            "=cmd|' /C calc'!A0\nsecond line, with a comma",
            requester="@evil",
            reason="-1",
            agent="+agent",
        )
        yield Row(**{**row(2, "Fine", at=START + timedelta(days=1)).__dict__, "reference": "DW-2"})

    lines = register_csv(rows())
    assert next(lines) == ",".join(analysis.CSV_COLUMNS) + "\r\n"
    records = list(csv.reader(io.StringIO("".join(lines))))
    assert len(records) == 2
    first = dict(zip(analysis.CSV_COLUMNS, records[0], strict=True))
    assert first["text"] == "'=cmd|' /C calc'!A0\nsecond line, with a comma"
    assert first["requester"] == "'@evil"
    assert first["reason"] == "'-1"
    assert first["agent"] == "'+agent"
    assert first["date"] == START.isoformat()
    second = dict(zip(analysis.CSV_COLUMNS, records[1], strict=True))
    assert (second["id"], second["reference"], second["kind"]) == ("2", "DW-2", "decline")
    assert list(register_csv([])) == [",".join(analysis.CSV_COLUMNS) + "\r\n"]


def test_case_csv_lists_the_members_most_recent_first() -> None:
    cluster, rows_by_id = hostile_case()
    records = list(csv.reader(io.StringIO(case_csv(cluster, rows_by_id))))
    assert records[0] == list(analysis.CSV_COLUMNS)
    assert [int(r[0]) for r in records[1:]] == list(cluster.member_ids)
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in records for cell in r)
