"""The query budget check: a page costs the same number of queries at 10 and at 1,000 rows.

Adding a page is a few lines (see lms/tests/test_query_budgets.py):

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


def assert_flat_query_count(django_assert_num_queries, *, small, grow=None, large=None, warm=True):
    """Run `small`, then `grow` the data, then `large` (default: `small` again) in exactly as many queries.

    `warm` runs `small` once first so per-process caches (content types, Wagtail's
    site root paths) are filled before counting; turn it off for one-shot requests
    (a submission) and warm with a GET instead. Returns both responses, so the
    test can check the large one really shows the larger data.
    """
    if warm:
        small()
    with CaptureQueriesContext(connection) as counted:
        small_response = small()
    assert small_response.status_code < 400, small_response.status_code
    if grow is not None:
        grow()
    if connection.vendor == "postgresql":
        with django_assert_num_queries(len(counted.captured_queries)):
            large_response = (large or small)()
    else:
        with CaptureQueriesContext(connection) as large_counted:
            large_response = (large or small)()
        assert statements(large_counted.captured_queries) == statements(counted.captured_queries), "\n".join(
            query["sql"][:200] for query in large_counted.captured_queries
        )
    assert large_response.status_code < 400, large_response.status_code
    return small_response, large_response
