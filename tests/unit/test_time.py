"""Date resolution against the published date: every rule, both sides of a year boundary."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.dates import is_duration, parse_absolute, resolve

MON_30_MAY_2022 = date(2022, 5, 30)
TUE_2_JAN_2024 = date(2024, 1, 2)


@pytest.mark.parametrize(
    ("expr", "base", "tense", "value", "precision"),
    [
        ("August 2008", MON_30_MAY_2022, "past", "2008-08", "month"),
        ("Oct. 5, 2023", None, "past", "2023-10-05", "day"),
        ("5 October 2023", None, "past", "2023-10-05", "day"),
        ("2021", MON_30_MAY_2022, "past", "2021", "year"),
        ("the 1990s", MON_30_MAY_2022, "past", "199", "decade"),
        ("On May 13", MON_30_MAY_2022, "past", "2022-05-13", "day"),
        ("on July 17", MON_30_MAY_2022, "future", "2022-07-17", "day"),
        ("December 28", TUE_2_JAN_2024, "past", "2023-12-28", "day"),
        ("January 5", date(2023, 12, 30), "future", "2024-01-05", "day"),
        ("January 5", date(2023, 12, 30), "neutral", "2024-01-05", "day"),
        ("In March", MON_30_MAY_2022, "past", "2022-03", "month"),
        ("in December", TUE_2_JAN_2024, "past", "2023-12", "month"),
        ("in March", TUE_2_JAN_2024, "future", "2024-03", "month"),
        ("last year", MON_30_MAY_2022, "past", "2021", "year"),
        ("Last year", TUE_2_JAN_2024, "past", "2023", "year"),
        ("next year", MON_30_MAY_2022, "future", "2023", "year"),
        ("last month", TUE_2_JAN_2024, "past", "2023-12", "month"),
        ("earlier this month", MON_30_MAY_2022, "past", "2022-05", "month"),
        ("next month's", date(2023, 12, 5), "future", "2024-01", "month"),
        ("on Saturday", MON_30_MAY_2022, "past", "2022-05-28", "day"),
        ("since Wednesday", MON_30_MAY_2022, "past", "2022-05-25", "day"),
        ("late on Friday", MON_30_MAY_2022, "past", "2022-05-27", "day"),
        ("Sunday night", TUE_2_JAN_2024, "past", "2023-12-31", "day"),
        ("next Sunday", MON_30_MAY_2022, "past", "2022-06-05", "day"),
        ("on Friday", MON_30_MAY_2022, "future", "2022-06-03", "day"),
        ("on Monday", MON_30_MAY_2022, "past", "2022-05-30", "day"),
        ("yesterday", TUE_2_JAN_2024, "past", "2024-01-01", "day"),
        ("three years ago", MON_30_MAY_2022, "past", "2019", "year"),
        ("last week", MON_30_MAY_2022, "past", "2022-05-23", "week"),
        ("the fourth quarter of 2019", MON_30_MAY_2022, "past", "2019-Q4", "quarter"),
        ("Q2 2021", None, "past", "2021-Q2", "quarter"),
        ("the first quarter of last year", MON_30_MAY_2022, "past", "2021-Q1", "quarter"),
        ("the third quarter of this year", MON_30_MAY_2022, "future", "2022-Q3", "quarter"),
        ("the fourth quarter", TUE_2_JAN_2024, "past", "2023-Q4", "quarter"),
        ("the second quarter", MON_30_MAY_2022, "past", "2022-Q2", "quarter"),
        ("the fourth quarter", MON_30_MAY_2022, "future", "2022-Q4", "quarter"),
        ("last quarter", MON_30_MAY_2022, "past", "2022-Q1", "quarter"),
        ("the last quarter", TUE_2_JAN_2024, "past", "2023-Q4", "quarter"),
        ("the last quarter of 2019", MON_30_MAY_2022, "past", "2019-Q4", "quarter"),
    ],
)
def test_resolves_news_expressions(expr, base, tense, value, precision):
    resolved = resolve(expr, base, tense)
    assert resolved is not None, expr
    assert (resolved.value, resolved.precision) == (value, precision)
    assert resolved.rule  # every resolution names its rule


def test_two_days_later_counts_from_the_event_in_context():
    resolved = resolve("Two days later", date(2021, 9, 16), "past", context=date(2021, 9, 12))
    assert resolved.value == "2021-09-14"
    assert resolved.rule == "offset:context"


def test_relative_offsets_without_context_are_not_guessed():
    assert resolve("Two days later", date(2021, 9, 16), "past") is None


@pytest.mark.parametrize("expr", ["five days", "six hours", "nine days", "the 96th day", "several weeks"])
def test_durations_and_unanchored_ordinals_are_not_dates(expr):
    assert resolve(expr, MON_30_MAY_2022, "past") is None


def test_durations_are_recognised():
    assert is_duration("five days") and is_duration("six hours")
    assert not is_duration("five days ago") and not is_duration("last year")


def test_relative_dates_need_a_base():
    assert resolve("on Saturday", None, "past") is None
    assert resolve("last year", None, "past") is None


def test_intervals_end_on_the_last_day_of_their_precision():
    assert resolve("February 2024", None).end == date(2024, 2, 29)
    assert resolve("2021", None).end == date(2021, 12, 31)
    assert resolve("last week", MON_30_MAY_2022).end == date(2022, 5, 29)


def test_invalid_calendar_dates_are_rejected():
    assert parse_absolute("February 30, 2023") is None


@given(
    base=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
    weekday=st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]),
)
def test_weekday_arithmetic_property(base, weekday):
    past = resolve(f"on {weekday}", base, "past").start
    future = resolve(f"on {weekday}", base, "future").start
    assert past.strftime("%A") == weekday == future.strftime("%A")
    assert base - timedelta(days=6) <= past <= base
    assert base < future <= base + timedelta(days=7)


def test_published_date_inferred_from_an_anchor_event():
    from flows.dates import infer_from_anchors

    found = infer_from_anchors("The announcement comes on the 96th day of the Russian army’s invasion of Ukraine, where")
    assert found == (date(2022, 5, 30), "the 96th day of the Russian army’s invasion of Ukraine")
    assert infer_from_anchors("On day 100 of the war in Sudan, talks resumed.")[0] == date(2023, 7, 23)
    assert infer_from_anchors("the 3rd day of the festival") is None  # no known anchor: no guess


@pytest.mark.parametrize(
    ("expr", "base", "tense", "value"),
    [
        ("Wednesday, October 28", date(2020, 11, 2), "past", "2020-10-28"),  # a Wednesday in 2020
        ("Friday, Nov. 11", date(2022, 10, 20), "future", "2022-11-11"),  # a Friday in 2022
        ("on Thursday, 3 March", date(2022, 3, 10), "past", "2022-03-03"),
        ("Tuesday, January 2", date(2023, 12, 20), "neutral", "2024-01-02"),  # the weekday picks the next year
    ],
)
def test_a_weekday_before_a_month_day_is_read_and_picks_the_year(expr, base, tense, value):
    found = resolve(expr, base, tense)
    assert found is not None and found.value == value and found.rule == "month-day:weekday"


def test_a_weekday_that_fits_no_nearby_year_still_gives_the_nearest_date():
    found = resolve("Sunday, October 28", date(2020, 11, 2), "past")  # a Sunday in none of 2019–2021
    assert found is not None and found.value == "2020-10-28" and found.rule == "month-day:last"


def test_offsets_from_the_context_stay_in_plausible_years_and_before_publication():
    context, base = date(1990, 6, 1), date(2016, 4, 1)
    assert resolve("108 years later", base, "past", context) is None  # would be 2098, after the article
    assert resolve("300 years later", base, "future", context) is None  # 2290: not a year news is about
    assert resolve("four years later", base, "past", context).value == "1994"
    assert resolve("two days later", base, "future", date(2016, 3, 31)).value == "2016-04-02"


def test_a_quarter_spans_its_three_months():
    resolved = resolve("the third quarter of 2020", None)
    assert (resolved.start, resolved.end) == (date(2020, 7, 1), date(2020, 9, 30))


def test_a_fiscal_quarter_is_not_a_calendar_quarter():
    assert resolve("the fiscal fourth quarter", MON_30_MAY_2022) is None
    assert resolve("the quarter", MON_30_MAY_2022) is None
