"""The query budget check: a page costs the same number of queries at 10 and at 1,000 rows.

Adding a page is a few lines (see tests/test_query_budgets.py):

    def test_my_page(client, officer, django_assert_num_queries):
        client.force_login(officer)
        add_rows(officer, 10)
        assert_flat_query_count(
            django_assert_num_queries,
            small=lambda: client.get("/my/page/"),
            grow=lambda: add_rows(officer, 990),
        )
"""

import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

_INSERT = re.compile(r'^INSERT INTO "?(\w+)"?')


def statements(captured) -> int:
    """Queries, with the batches of one bulk_create counted once.

    SQLite takes at most 999 parameters per statement, so Django splits a
    1,000-row bulk_create into several INSERTs; PostgreSQL sends one. The
    split is the driver's limit, not a query per row.
    """
    count, previous = 0, None
    for query in captured:
        match = _INSERT.match(query["sql"])
        table = match.group(1) if match else None
        if table is None or table != previous:
            count += 1
        previous = table
    return count


def _count(request):
    with CaptureQueriesContext(connection) as counted:
        response = request()
    assert response.status_code < 400, response.status_code
    return counted.captured_queries, response


def _assert_same(django_assert_num_queries, expected, request, label):
    if connection.vendor == "postgresql":
        with django_assert_num_queries(len(expected)):
            return request()
    with CaptureQueriesContext(connection) as counted:
        response = request()
    assert statements(counted.captured_queries) == statements(expected), f"{label}:\n" + "\n".join(
        query["sql"][:200] for query in counted.captured_queries
    )
    return response


def _assert_budget(captured, budget):
    """`budget`: the exact statement count; lowered when a page gets cheaper, so the gain
    cannot quietly come undone (the flat check alone only catches N+1)."""
    if budget is not None:
        spent = statements(captured)
        assert spent == budget, f"{spent} statements, budget {budget}:\n" + "\n".join(
            query["sql"][:200] for query in captured
        )


def assert_flat_query_count(django_assert_num_queries, *, small, grow=None, large=None, warm=True, budget=None):
    """Run `small`, then `grow` the data, then `large` (default: `small` again) in exactly as many queries.

    `warm` runs `small` once first, so one-time writes of a first visit are not counted.
    Pages keep what is the same for everyone in the shared cache, so each
    side is then counted twice: on an empty cache (everything built from the database) and
    again on the cache that first request filled. Both must not grow with the data.
    Turn `warm` off for one-shot requests (a submission), warming with a GET instead:
    each side is then counted once. `budget`, if given, is the exact number of
    statements of `small` (on the warm cache when warming). Returns both responses
    (the warm ones), so the test can check the large one really shows the larger data.
    """
    large = large or small
    if not warm:
        expected, small_response = _count(small)
        _assert_budget(expected, budget)
        if grow is not None:
            grow()
        large_response = _assert_same(django_assert_num_queries, expected, large, "large")
        assert large_response.status_code < 400, large_response.status_code
        return small_response, large_response
    small()  # first-visit writes (e.g. a module marked as opened) happen once, before counting
    cache.clear()
    cold, _response = _count(small)
    hot, small_response = _count(small)
    _assert_budget(hot, budget)
    if grow is not None:
        grow()
    cache.clear()
    _assert_same(django_assert_num_queries, cold, large, "large, empty cache")
    large_response = _assert_same(django_assert_num_queries, hot, large, "large, warm cache")
    assert large_response.status_code < 400, large_response.status_code
    return small_response, large_response
