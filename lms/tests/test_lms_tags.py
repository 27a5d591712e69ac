"""Site-wide template tags and filters."""

import datetime

import pytest
import time_machine

# 20:00 UTC is 03:00 of the next day in Jakarta; 02:00 UTC is 09:00 of the same day.
EVENING_UTC = datetime.datetime(2026, 11, 30, 20, 0, tzinfo=datetime.UTC)
MORNING_UTC = datetime.datetime(2026, 11, 30, 2, 0, tzinfo=datetime.UTC)


def _render(template_code, context):
    from django.template import engines

    return engines["django"].from_string("{% load lms_tags %}" + template_code).render(context)


@pytest.mark.parametrize("now", [EVENING_UTC, MORNING_UTC], ids=["20:00 UTC", "02:00 UTC"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_day_writes_what_the_date_filter_writes(language, now):
    from django.utils import timezone, translation

    start = datetime.date(2025, 12, 25)
    with time_machine.travel(now, tick=False):
        dates = [start + datetime.timedelta(days=n) for n in range(0, 400, 7)] + [None, "", timezone.now()]
        with translation.override(language):
            for _ in range(2):  # the second time from the memo
                rendered = _render('{% for d in dates %}[{{ d|day }}|{{ d|date:"j M Y" }}]{% endfor %}', {"dates": dates})
                pairs = [pair.split("|") for pair in rendered.strip("[]").split("][")]
                assert all(ours == django for ours, django in pairs)
    with translation.override("id"):
        assert _render("{{ d|day }}|{{ d|date:'j M Y' }}", {"d": datetime.date(2026, 8, 17)}) == "17 Agu 2026|17 Agu 2026"


def test_day_of_an_aware_datetime_is_its_date_in_jakarta():
    """30 Nov 20:00 UTC is already 1 December in Jakarta; the table must say so, as |date does."""
    from django.utils import translation

    with translation.override("id"):
        assert _render("{{ d|day }}", {"d": EVENING_UTC}) == "1 Des 2026"
        assert _render("{{ d|day }}", {"d": MORNING_UTC}) == "30 Nov 2026"
    with translation.override("en"):
        assert _render("{{ d|day }}", {"d": EVENING_UTC}) == "1 Dec 2026"


def test_day_keeps_utc_inside_localtime_off():
    """Like |date, |day follows {% localtime off %}: the engine, not the filter, picks the zone."""
    from django.utils import translation

    with translation.override("en"):
        assert _render("{% load tz %}{% localtime off %}{{ d|day }}{% endlocaltime %}", {"d": EVENING_UTC}) == "30 Nov 2026"
