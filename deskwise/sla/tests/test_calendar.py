"""Business time for service levels: team hours in their time zone, public
holidays from the ``holidays`` package and the desk's own dates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deskwise.accounts.models import Team
from deskwise.sla.calendar import business_calendar, holiday_code_error, public_holidays
from deskwise.sla.models import Holiday

HELSINKI = ZoneInfo("Europe/Helsinki")


def team(**kwargs: object) -> Team:
    kwargs.setdefault("name", "Desk")
    kwargs.setdefault("slug", "desk")
    return Team(**kwargs)  # unsaved: the calendar reads only its fields


@pytest.mark.django_db
class TestHolidays:
    def test_public_holidays_are_not_worked(self):
        finns = business_calendar(team(time_zone="Europe/Helsinki", holiday_country="FI"))
        new_years_eve = dt.datetime(2026, 12, 31, 16, tzinfo=HELSINKI)
        # One hour on Thursday 31st; Friday 1 January is a holiday, then the weekend.
        assert finns.add(new_years_eve, dt.timedelta(hours=2)) == dt.datetime(
            2027, 1, 4, 10, tzinfo=HELSINKI
        )
        plain = business_calendar(team(time_zone="Europe/Helsinki"))
        assert plain.add(new_years_eve, dt.timedelta(hours=2)) == dt.datetime(
            2027, 1, 1, 10, tzinfo=HELSINKI
        )

    def test_the_desks_setting_is_the_default_and_a_region_counts(self, settings):
        settings.DESKWISE_HOLIDAYS = "DE-BY"  # Bavaria: Epiphany is a holiday
        bavaria = business_calendar(team(time_zone="Europe/Berlin"))
        assert not bavaria.is_working(dt.datetime(2027, 1, 6, 12, tzinfo=ZoneInfo("Europe/Berlin")))
        berlin = business_calendar(team(time_zone="Europe/Berlin", holiday_country="DE-BE"))
        assert berlin.is_working(dt.datetime(2027, 1, 6, 12, tzinfo=ZoneInfo("Europe/Berlin")))

    def test_the_desks_own_dates_for_everyone_or_one_team(self, desk):
        Holiday.objects.create(date=dt.date(2026, 12, 9), name="Staff day")
        Holiday.objects.create(date=dt.date(2026, 12, 10), name="Move", team=desk.other_team)
        wednesday = dt.datetime(2026, 12, 9, 12, tzinfo=dt.UTC)
        thursday = wednesday + dt.timedelta(days=1)
        assert not business_calendar(desk.team).is_working(wednesday)
        assert business_calendar(desk.team).is_working(thursday)
        assert not business_calendar(desk.other_team).is_working(thursday)

    def test_unknown_codes_are_explained_and_refused_on_the_team(self):
        assert holiday_code_error("FI") is None
        assert holiday_code_error("") is None
        assert "Unknown country or region 'XX'" in (holiday_code_error("XX") or "")
        assert "does not have subdivision" in (holiday_code_error("FI-ZZ") or "")
        assert public_holidays("XX", [2026]) == set()
        with pytest.raises(ValidationError) as refused:
            team(holiday_country="Narnia").clean()
        assert "holiday_country" in refused.value.message_dict

    def test_a_team_that_never_works_counts_around_the_clock(self):
        never = business_calendar(team(working_hours={"mon": []}))
        start = dt.datetime(2026, 12, 5, 3, tzinfo=dt.UTC)  # a Saturday night
        assert never.add(start, dt.timedelta(hours=2)) == start + dt.timedelta(hours=2)


# Properties: across time zones (with and without daylight saving) and holidays.
ZONES = {
    "Europe/Helsinki": "FI",
    "America/New_York": "US-NY",
    "Australia/Sydney": "AU-NSW",
    "Asia/Kolkata": "IN",
    "UTC": "",
}
BASE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
moments = st.integers(0, 700 * 24 * 60).map(lambda m: BASE + dt.timedelta(minutes=m))
targets = st.integers(1, 400 * 60).map(lambda m: dt.timedelta(minutes=m))
zones = st.sampled_from(sorted(ZONES))
PROPERTIES = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.mark.django_db
@PROPERTIES
@given(zones, moments, targets)
def test_a_due_time_is_the_target_in_business_time_and_a_working_moment(zone, start, target):
    calendar = business_calendar(team(time_zone=zone, holiday_country=ZONES[zone]))
    holidays = public_holidays(ZONES[zone], range(2025, 2030))
    due = calendar.add(start, target)
    assert calendar.between(start, due) == target
    assert due > start
    local = due.astimezone(ZoneInfo(zone))
    # The last working minute before it was on a weekday, not a holiday, in hours.
    last = (due - dt.timedelta(minutes=1)).astimezone(ZoneInfo(zone))
    assert last.weekday() < 5
    assert last.date() not in holidays
    assert dt.time(9) <= last.time() < dt.time(17)
    assert local.time() <= dt.time(17) or local.date() != last.date()


@pytest.mark.django_db
@PROPERTIES
@given(zones, moments, targets, targets)
def test_more_target_is_never_earlier(zone, start, first, second):
    calendar = business_calendar(team(time_zone=zone, holiday_country=ZONES[zone]))
    small, large = sorted([first, second])
    assert calendar.add(start, small) <= calendar.add(start, large)
    assert calendar.add(start, large) - calendar.add(start, small) >= large - small
