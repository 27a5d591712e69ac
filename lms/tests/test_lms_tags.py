"""Site-wide template tags and filters."""

import datetime

import pytest


@pytest.mark.parametrize("language", ["id", "en"])
def test_day_writes_what_the_date_filter_writes(language):
    from django.template import engines
    from django.utils import timezone, translation

    template = engines["django"].from_string(
        '{% load lms_tags %}{% for d in dates %}[{{ d|day }}|{{ d|date:"j M Y" }}]{% endfor %}'
    )
    start = datetime.date(2025, 12, 25)
    dates = [start + datetime.timedelta(days=n) for n in range(0, 400, 7)] + [None, "", timezone.now()]
    with translation.override(language):
        for _ in range(2):  # the second time from the memo
            rendered = template.render({"dates": dates})
            pairs = [pair.split("|") for pair in rendered.strip("[]").split("][")]
            assert all(ours == django for ours, django in pairs)
    with translation.override("id"):
        assert template.render({"dates": [datetime.date(2026, 8, 17)]}) == "[17 Agu 2026|17 Agu 2026]"
