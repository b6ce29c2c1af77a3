"""The queue model without a database: calendars, the estimator, the words, the simulation."""

from __future__ import annotations

import dataclasses
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deskwise.queueing.model import (
    Estimate,
    QueueFacts,
    Scenario,
    Staffing,
    WorkingCalendar,
    capacity_for,
    describe,
    estimate,
    sentence,
    simulate,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
H = timedelta(hours=1)
US = timedelta(microseconds=1)
EASTER_2026 = {date(2026, 4, 3), date(2026, 4, 6)}


def at(*args: int, tz: ZoneInfo = BERLIN) -> datetime:
    return datetime(*args, tzinfo=tz)


def office(holidays: set[date] | frozenset[date] = frozenset()) -> WorkingCalendar:
    return WorkingCalendar.daily(time(9), time(17), BERLIN, holidays=holidays)


def nights(holidays: set[date] | frozenset[date] = frozenset()) -> WorkingCalendar:
    return WorkingCalendar.daily(time(22), time(6), BERLIN, days=range(7), holidays=holidays)


def reference_between(
    hours: dict[int, list[tuple[time, time]]],
    tz: ZoneInfo,
    holidays: set[date],
    start: datetime,
    end: datetime,
) -> timedelta:
    """Working time by brute force: every shift of every day, clipped, no week skipping.

    Only for patterns whose shifts never overlap one another.
    """
    total = timedelta()
    day = start.astimezone(tz).date() - timedelta(days=1)
    while day <= end.astimezone(tz).date():
        if day not in holidays:
            for begin, finish in hours.get(day.weekday(), []):
                low = datetime.combine(day, begin, tzinfo=tz)
                later = day + timedelta(days=1) if finish <= begin else day
                high = datetime.combine(later, finish, tzinfo=tz)
                low_utc = max(low.astimezone(UTC), start.astimezone(UTC))
                high_utc = min(high.astimezone(UTC), end.astimezone(UTC))
                if high_utc > low_utc:
                    total += high_utc - low_utc
        day += timedelta(days=1)
    return total


# Working calendars.


def test_office_hours_are_half_open_and_skip_the_weekend():
    calendar = office()
    assert calendar.is_working(at(2026, 12, 7, 9))
    assert calendar.is_working(at(2026, 12, 7, 16, 59))
    assert not calendar.is_working(at(2026, 12, 7, 17))
    assert not calendar.is_working(at(2026, 12, 7, 8, 59))
    assert not calendar.is_working(at(2026, 12, 5, 12))  # Saturday
    assert calendar.next_working(at(2026, 12, 4, 17, 30)) == at(2026, 12, 7, 9)
    working = at(2026, 12, 7, 11, 15)
    assert calendar.next_working(working) is working


def test_add_and_between_across_a_weekend():
    calendar = office()
    friday = at(2026, 12, 4, 16)
    assert calendar.add(friday, 2 * H) == at(2026, 12, 7, 10)
    assert calendar.between(friday, at(2026, 12, 7, 10)) == 2 * H
    assert calendar.between(at(2026, 12, 7, 10), friday) == -2 * H
    # The earliest moment: a full day from 09:00 ends at 17:00, not at 09:00 the next day.
    assert calendar.add(at(2026, 12, 7, 9), 8 * H) == at(2026, 12, 7, 17)
    saturday = at(2026, 12, 5, 12)
    assert calendar.add(saturday, timedelta()) == saturday
    assert calendar.add(saturday, 30 * timedelta(minutes=1)) == at(2026, 12, 7, 9, 30)


def test_results_come_back_in_the_zone_they_were_asked_in():
    calendar = office()
    result = calendar.add(datetime(2026, 12, 4, 15, tzinfo=UTC), 2 * H)
    assert result.tzinfo is UTC
    assert result == at(2026, 12, 7, 10)


def test_several_intervals_a_day():
    calendar = WorkingCalendar({0: [(time(13), time(17)), (time(8), time(12))]}, BERLIN)
    monday = at(2026, 12, 7, 11)
    assert calendar.add(monday, 2 * H) == at(2026, 12, 7, 14)
    assert calendar.between(at(2026, 12, 7), at(2026, 12, 8)) == 8 * H
    assert not calendar.is_working(at(2026, 12, 7, 12, 30))


def test_dst_in_berlin_day_shifts_keep_their_wall_times():
    calendar = office()
    # Friday before the spring change to Monday after it: 09:00 is still 09:00 local.
    friday = at(2026, 3, 27, 16)
    monday = calendar.add(friday, 2 * H)
    assert monday == at(2026, 3, 30, 10)
    assert monday.utcoffset() == 2 * H
    assert calendar.between(at(2026, 3, 23), at(2026, 3, 30)) == 40 * H
    assert calendar.between(at(2026, 10, 19), at(2026, 10, 26)) == 40 * H


def test_dst_in_berlin_night_shifts_are_real_hours():
    calendar = nights()
    assert calendar.between(at(2026, 3, 28, 12), at(2026, 3, 29, 12)) == 7 * H
    assert calendar.between(at(2026, 10, 24, 12), at(2026, 10, 25, 12)) == 9 * H
    always = WorkingCalendar({day: [(time(), time())] for day in range(7)}, BERLIN)
    assert always.between(at(2026, 3, 29), at(2026, 3, 30)) == 23 * H
    assert always.between(at(2026, 10, 25), at(2026, 10, 26)) == 25 * H


def test_overnight_shifts_reach_into_the_next_day():
    calendar = WorkingCalendar.daily(time(22), time(6), BERLIN)  # starting Monday to Friday
    assert calendar.is_working(at(2026, 12, 8, 2))  # Tuesday night
    assert calendar.is_working(at(2026, 12, 5, 5))  # Saturday morning: Friday's shift
    assert not calendar.is_working(at(2026, 12, 5, 23))  # no shift starts on Saturday
    assert not calendar.is_working(at(2026, 12, 7, 2))  # nor on Sunday
    assert calendar.add(at(2026, 12, 4, 23), 8 * H) == at(2026, 12, 7, 23)


def test_a_holiday_cancels_the_shifts_that_start_on_it():
    assert office(EASTER_2026).add(at(2026, 4, 2, 16), 2 * H) == at(2026, 4, 7, 10)
    calendar = nights({date(2026, 12, 25)})
    assert calendar.is_working(at(2026, 12, 25, 3))  # the night shift of the 24th
    assert not calendar.is_working(at(2026, 12, 25, 23))
    assert not calendar.is_working(at(2026, 12, 26, 3))
    assert calendar.is_working(at(2026, 12, 26, 23))


def test_shifts_that_overlap_are_counted_once():
    calendar = WorkingCalendar(
        {0: [(time(22), time(6))], 1: [(time(5), time(9))], 2: [(time(8), time(10))]}, BERLIN
    )
    assert calendar.between(at(2026, 12, 7), at(2026, 12, 10)) == 13 * H


def test_long_spans_are_fast_and_exact():
    hours = {day: [(time(9), time(17))] for day in range(5)}
    holidays = EASTER_2026 | {date(2026, 12, 25), date(2027, 1, 1)}
    calendar = WorkingCalendar(hours, BERLIN, holidays)
    start, end = at(2026, 1, 5, 10, 30), at(2027, 2, 3, 15, 15)
    began = clock.perf_counter()
    for _ in range(20):
        working = calendar.between(start, end)
        assert calendar.add(start, working) == end
    per_call = (clock.perf_counter() - began) / 40
    assert working == reference_between(hours, BERLIN, holidays, start, end)
    assert per_call < 0.02  # a few hundred microseconds here; a minute loop takes seconds


def test_always_works():
    calendar = WorkingCalendar.always()
    start = at(2026, 3, 28, 12)
    assert calendar.is_working(start)
    # Real hours: 100 of them from Saturday noon CET end at 17:00 CEST, not 16:00.
    assert calendar.add(start, 100 * H) == at(2026, 4, 1, 17)
    assert calendar.between(start, at(2026, 4, 28, 12)) == timedelta(days=31) - H


def test_a_calendar_that_never_works_says_so_instead_of_looping():
    calendar = WorkingCalendar({}, BERLIN)
    moment = at(2026, 12, 7, 10)
    assert not calendar.works
    assert not calendar.is_working(moment)
    assert calendar.between(moment, moment + 1000 * H) == timedelta()
    with pytest.raises(ValueError, match="never works"):
        calendar.add(moment, H)
    with pytest.raises(ValueError, match="never works"):
        calendar.next_working(moment)
    assert calendar.add(moment, timedelta()) == moment


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="weekday"):
        WorkingCalendar({7: [(time(9), time(17))]}, BERLIN)
    with pytest.raises(ValueError, match="wall times"):
        WorkingCalendar({0: [(time(9, tzinfo=UTC), time(17))]}, BERLIN)
    with pytest.raises(ValueError, match="aware"):
        office().is_working(datetime(2026, 12, 7, 10))  # naive: the point of the test
    with pytest.raises(ValueError, match="negative"):
        office().add(at(2026, 12, 7, 10), -H)


def test_a_team_works_when_any_agent_does():
    morning = WorkingCalendar.daily(time(9), time(13), BERLIN)
    afternoon = WorkingCalendar.daily(time(12), time(17), BERLIN)
    staffing = Staffing([morning, afternoon])
    team = staffing.calendar
    assert team.between(at(2026, 12, 7), at(2026, 12, 8)) == 8 * H
    assert staffing.agents_working(at(2026, 12, 7, 10)) == 1
    assert staffing.agents_working(at(2026, 12, 7, 12, 30)) == 2
    assert staffing.agents_working(at(2026, 12, 7, 18)) == 0
    assert staffing.agent_hours(at(2026, 12, 7), at(2026, 12, 14)) == 45
    assert team.add(at(2026, 12, 7, 16), 2 * H) == at(2026, 12, 8, 10)


def test_a_team_across_time_zones_follows_each_zones_dst():
    berlin = WorkingCalendar.daily(time(9), time(17), BERLIN)
    new_york = WorkingCalendar.daily(time(9), time(17), NEW_YORK)
    team = WorkingCalendar.union(berlin, new_york)
    # 08-16 and 14-22 UTC in winter; New York moves on 8 March, Berlin on 29 March.
    assert team.between(at(2026, 3, 2), at(2026, 3, 3)) == 14 * H
    assert team.between(at(2026, 3, 16), at(2026, 3, 17)) == 13 * H
    assert team.between(at(2026, 4, 6), at(2026, 4, 7)) == 14 * H
    expected = timedelta()
    day = at(2026, 1, 5)
    while day < at(2026, 6, 1):
        expected += team.between(day, day + timedelta(days=1))
        day = datetime.combine(day.date() + timedelta(days=1), time(), tzinfo=BERLIN)
    assert team.between(at(2026, 1, 5), at(2026, 6, 1)) == expected


# Properties.

# Moments in UTC: aware datetimes sharing a zone compare and subtract by wall clock.
BASE = datetime(2026, 1, 1, tzinfo=UTC)
CALENDARS = {
    "office with Easter": office(EASTER_2026),
    "nights with Christmas": nights({date(2026, 12, 24), date(2026, 12, 25)}),
    "two zones": WorkingCalendar.union(
        WorkingCalendar.daily(time(9), time(17), BERLIN, holidays=EASTER_2026),
        WorkingCalendar.daily(time(9), time(17), NEW_YORK),
    ),
}
moments = st.integers(0, 600 * 24 * 60).map(lambda minutes: BASE + timedelta(minutes=minutes))
spans = st.integers(0, 2000 * 60).map(lambda minutes: timedelta(minutes=minutes))
names = st.sampled_from(sorted(CALENDARS))


@settings(max_examples=150, deadline=None, database=None)
@given(names, moments, spans)
def test_between_undoes_add(name, start, working):
    calendar = CALENDARS[name]
    assert calendar.between(start, calendar.add(start, working)) == working


@settings(max_examples=150, deadline=None, database=None)
@given(names, moments, moments)
def test_add_undoes_between_up_to_a_working_moment(name, first, second):
    calendar = CALENDARS[name]
    start, end = min(first, second), max(first, second)
    working = calendar.between(start, end)
    assert timedelta() <= working <= end.astimezone(UTC) - start.astimezone(UTC)
    reached = calendar.add(start, working)
    assert reached <= end
    assert calendar.between(reached, end) == timedelta()
    if end > start and calendar.is_working(end - US):
        assert reached == end


@settings(max_examples=150, deadline=None, database=None)
@given(names, moments, moments, moments)
def test_between_adds_up(name, first, second, third):
    calendar = CALENDARS[name]
    a, b, c = sorted([first, second, third])
    assert calendar.between(a, b) + calendar.between(b, c) == calendar.between(a, c)


@settings(max_examples=150, deadline=None, database=None)
@given(names, moments, moments, spans, spans)
def test_add_is_monotonic(name, first, second, less, more):
    calendar = CALENDARS[name]
    early, late = min(first, second), max(first, second)
    less, more = min(less, more), max(less, more)
    assert calendar.add(early, less) <= calendar.add(early, more)
    assert calendar.add(early, less) <= calendar.add(late, less)


@settings(max_examples=100, deadline=None, database=None)
@given(moments, moments)
def test_between_matches_brute_force_over_long_spans(first, second):
    hours = {day: [(time(8), time(12)), (time(13), time(17))] for day in range(5)}
    hours[5] = [(time(22), time(6))]
    calendar = WorkingCalendar(hours, BERLIN, EASTER_2026)
    start, end = min(first, second), max(first, second)
    assert calendar.between(start, end) == reference_between(hours, BERLIN, EASTER_2026, start, end)


@settings(max_examples=100, deadline=None, database=None)
@given(names, moments)
def test_next_working_is_working_and_nothing_is_skipped(name, moment):
    calendar = CALENDARS[name]
    found = calendar.next_working(moment)
    assert found >= moment
    assert calendar.is_working(found)
    assert calendar.between(moment, found) == timedelta()


# The estimator.

ALWAYS = Staffing([WorkingCalendar.always()])


def facts(**changes: object) -> QueueFacts:
    base = QueueFacts(
        ahead=0,
        starts_per_agent_hour=1.0,
        higher_arrivals_per_hour=0.0,
        handling=2 * H,
        target_first_response=4 * H,
    )
    return dataclasses.replace(base, **changes)


def test_the_fluid_queue_in_closed_form():
    now = at(2026, 12, 7, 10)
    # One agent around the clock starting one ticket an hour: 3 ahead and our quarter.
    assert estimate(now, facts(ahead=3), ALWAYS).start == now + 3.25 * H
    # Jumpers at half the rate halve the net progress.
    jumped = estimate(now, facts(ahead=3, higher_arrivals_per_hour=0.5), ALWAYS)
    assert jumped.start == now + 6.5 * H
    assert jumped.resolution == now + 8.5 * H
    assert jumped.basis == "history"


def test_more_ahead_starts_later_and_jumpers_slow_it():
    staffing = Staffing([office(), office(), WorkingCalendar.daily(time(12), time(20), BERLIN)])
    now = at(2026, 12, 4, 11)
    found = [
        estimate(now, facts(ahead=n, starts_per_agent_hour=0.6), staffing).start
        for n in (0, 1, 5, 20, 80)
    ]
    starts = [start for start in found if start is not None]
    assert len(starts) == len(found)
    assert starts == sorted(starts)
    assert len(set(starts)) == len(starts)
    calm = estimate(now, facts(ahead=20, starts_per_agent_hour=0.6), staffing).start
    busy = estimate(
        now, facts(ahead=20, starts_per_agent_hour=0.6, higher_arrivals_per_hour=0.3), staffing
    ).start
    assert calm is not None
    assert busy is not None
    assert busy > calm
    assert staffing.calendar.is_working(busy)


def test_work_starts_when_the_desk_opens():
    staffing = Staffing.uniform(office(), 3)
    saturday = at(2026, 12, 5, 10)
    result = estimate(saturday, facts(starts_per_agent_hour=0.5), staffing)
    assert result.start == at(2026, 12, 7, 9, 10)  # a quarter of 1/(3 x 0.5) hours
    assert result.words_start == "by Monday morning"


def test_resolution_counts_handling_in_working_time():
    staffing = Staffing.uniform(office(), 2)
    result = estimate(at(2026, 12, 4, 16, 25), facts(starts_per_agent_hour=3.0), staffing)
    assert result.start == at(2026, 12, 4, 16, 27, 30)
    assert result.resolution == at(2026, 12, 7, 10, 27, 30)
    no_handling = estimate(at(2026, 12, 4, 16, 25), facts(handling=None), staffing)
    assert no_handling.resolution is None
    assert sentence(no_handling) == "We expect to start on your request within the hour."


def test_overload_gives_no_estimate_rather_than_a_fantasy():
    staffing = Staffing.uniform(office(), 2)
    now = at(2026, 12, 7, 10)
    # 80 starts a week against 100.8 jumpers: no day's progress covers thirty ahead.
    result = estimate(now, facts(ahead=30, higher_arrivals_per_hour=0.6), staffing)
    assert result.start is None
    assert result.resolution is None
    assert result.reason == "overload"
    assert result.words_start == "no estimate"
    assert "cannot honestly say" in sentence(result)
    # Even an overloaded desk starts a request with nothing ahead that morning.
    early = estimate(now, facts(ahead=0, higher_arrivals_per_hour=0.6), staffing)
    assert early.start is not None
    assert early.start < now + H


def test_a_long_queue_beyond_the_horizon_is_no_estimate_either():
    result = estimate(
        at(2026, 12, 7, 10),
        facts(ahead=5000),
        Staffing.uniform(office(), 2),
        max_horizon=timedelta(days=30),
    )
    assert result.start is None
    assert result.reason == "horizon"
    assert "within the next 30 days" in sentence(result)


def test_without_history_it_quotes_the_target():
    now = at(2026, 12, 7, 10)
    result = estimate(
        now,
        facts(starts_per_agent_hour=None, target_resolution=72 * H),
        Staffing.uniform(office(), 2),
    )
    assert result.basis == "target"
    assert result.start == now + 4 * H
    assert result.resolution == now + 72 * H
    assert sentence(result) == (
        "Our target is to start on requests like yours within 4 hours (this afternoon) and to "
        "resolve them within 3 days; we do not yet have enough history to forecast the actual "
        "wait."
    )
    zero = estimate(now, facts(starts_per_agent_hour=0.0), Staffing.uniform(office(), 2))
    assert zero.basis == "target"


def test_a_team_that_never_works_gets_no_estimate():
    result = estimate(at(2026, 12, 7, 10), facts(), Staffing([WorkingCalendar({}, BERLIN)]))
    assert result.start is None
    assert result.reason == "closed"
    assert "no working hours" in sentence(result)
    assert estimate(at(2026, 12, 7, 10), facts(), Staffing([])).reason == "closed"


def test_capacity_for_a_priority_is_the_start_of_a_request_not_yet_queued():
    staffing = Staffing.uniform(office(), 2)
    now = at(2026, 12, 7, 10)
    measured = facts(ahead=12, starts_per_agent_hour=0.5, higher_arrivals_per_hour=0.1)
    assert capacity_for(now, measured, staffing) == estimate(now, measured, staffing).start


def test_moments_come_back_in_the_zone_of_now_and_words_in_the_teams():
    now = datetime(2026, 12, 7, 9, tzinfo=UTC)  # 10:00 in Berlin
    result = estimate(now, facts(ahead=5, starts_per_agent_hour=0.5), Staffing.uniform(office(), 1))
    assert result.start is not None
    assert result.start.tzinfo is UTC
    # 5.25 starts at half an hour each: 10.5 working hours, 7 today and 3.5 tomorrow.
    assert result.start == at(2026, 12, 8, 12, 30)
    assert result.words_start == "by tomorrow afternoon"


# Words.

MONDAY = at(2026, 12, 7, 10)


@pytest.mark.parametrize(
    ("now", "moment", "words"),
    [
        (MONDAY, MONDAY - H, "within the hour"),
        (MONDAY, MONDAY + timedelta(minutes=20), "within the hour"),
        (MONDAY, MONDAY + H, "within the hour"),
        (MONDAY, MONDAY + 1.5 * H, "within 2 hours"),
        (MONDAY, MONDAY + 3 * H, "within 3 hours"),
        (MONDAY, at(2026, 12, 7, 15), "this afternoon"),
        (MONDAY, at(2026, 12, 7, 19), "by this evening"),
        (at(2026, 12, 7, 13), at(2026, 12, 7, 22), "this evening"),
        (MONDAY, at(2026, 12, 8, 9), "by tomorrow morning"),
        (at(2026, 12, 7, 19), at(2026, 12, 8, 10), "tomorrow morning"),
        (MONDAY, at(2026, 12, 8, 15), "by tomorrow afternoon"),
        (at(2026, 12, 4, 10), at(2026, 12, 8, 14), "by Tuesday afternoon"),
        (MONDAY, at(2026, 12, 10, 18), "by Thursday evening"),
        (at(2026, 12, 2, 10), at(2026, 12, 14, 11), "by Monday 14 December"),
        (MONDAY, at(2026, 12, 27, 12), "in about 3 weeks"),
        (MONDAY, at(2027, 3, 17, 12), "in about 4 months"),
        # Wall clocks lie across DST: 00:30 CEST to 03:15 CET is 3 h 45 min, not 2 h 45 min.
        (at(2026, 10, 25, 0, 30), at(2026, 10, 25, 3, 15), "this morning"),
        (at(2026, 3, 29, 0, 30), at(2026, 3, 29, 4, 15), "within 3 hours"),
    ],
)
def test_describe(now, moment, words):
    assert describe(moment, now, BERLIN) == words


def test_describe_speaks_in_the_zone_it_is_given():
    now = datetime(2026, 12, 7, 21, tzinfo=UTC)  # 22:00 in Berlin, 16:00 in New York
    moment = now + 11 * H
    assert describe(moment, now, BERLIN) == "tomorrow morning"
    assert describe(moment, now, NEW_YORK) == "by tomorrow morning"


def test_describe_by_the_day():
    assert describe(at(2026, 12, 10, 15), MONDAY, BERLIN, day_only=True) == "by Thursday"
    assert describe(at(2026, 12, 8, 15), MONDAY, BERLIN, day_only=True) == "by tomorrow afternoon"


def test_the_sentence():
    result = Estimate(
        start=at(2026, 12, 8, 15),
        resolution=at(2026, 12, 10, 12),
        basis="history",
        words_start="by Tuesday afternoon",
        words_resolution="by Thursday",
    )
    assert sentence(result) == (
        "We expect to start on your request by Tuesday afternoon and to have it resolved by "
        "Thursday."
    )
    staffing = Staffing.uniform(office(), 2)
    friday = at(2026, 12, 4, 10)
    forecast = estimate(
        friday, facts(ahead=20, starts_per_agent_hour=0.5, handling=6 * H), staffing
    )
    assert sentence(forecast) == (
        "We expect to start on your request by Tuesday afternoon and to have it resolved by "
        "Wednesday."
    )


def test_a_target_within_hours_is_not_repeated():
    result = estimate(MONDAY, facts(starts_per_agent_hour=None, target_first_response=H), ALWAYS)
    assert sentence(result) == (
        "Our target is to start on requests like yours within 1 hour; we do not yet have "
        "enough history to forecast the actual wait."
    )


# The simulation.

SHORT = dataclasses.replace(
    Scenario(), warmup=timedelta(days=28), measured=timedelta(days=35), drain=timedelta(days=14)
)


def test_the_simulation_is_deterministic_for_a_seed():
    first, again, other = simulate(5, SHORT), simulate(5, SHORT), simulate(6, SHORT)
    assert first.start_errors_h == again.start_errors_h
    assert first.naive_errors_h == again.naive_errors_h
    assert first.start == again.start
    assert first.tickets == again.tickets
    assert other.start_errors_h != first.start_errors_h


def test_the_simulated_error_is_small_and_beats_the_baselines():
    result = simulate(1, SHORT)
    assert result.tickets > 400
    assert result.start.count == result.tickets - result.impossible - result.never_started
    assert result.impossible <= result.tickets // 100
    assert 0.6 < result.utilisation < 1
    assert result.start.median_h < 0.3  # 0.25 measured
    assert result.start.median_h < result.naive.median_h
    assert result.start.median_h < result.recent.median_h
    assert result.start.p90_h < result.naive.p90_h
    assert result.handling.median_h <= result.handling_calendar.median_h
