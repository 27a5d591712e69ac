"""Cursor pagination that stays stable while rows are added (keyset pagination).

A list is ordered by (key, id), both ascending and together unique. The cursor is the
(key, id) of the last row of a page, opaque to the client (base64url of JSON); the next
page is the rows after it, so rows added or changed meanwhile are neither skipped nor
repeated, unlike page numbers or offsets. A page reads `limit + 1` rows in one query to know
whether another page follows, starting from the cursor in the index on (key, id): the last page
costs what the first does.
"""

import base64
import datetime
import json

from django.db.models import BooleanField, F, Func, Value
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from api.problems import Problem

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


def encode_cursor(key, pk: int) -> str:
    if isinstance(key, datetime.datetime):
        key = {"t": key.isoformat()}
    raw = json.dumps([key, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key, pk = json.loads(raw)
        if isinstance(key, dict):
            key = parse_datetime(key["t"])
            if key is None:
                raise ValueError
        if not isinstance(pk, int) or isinstance(pk, bool) or not isinstance(key, (str, int, datetime.datetime)):
            raise ValueError
    except (ValueError, TypeError, KeyError, UnicodeDecodeError, json.JSONDecodeError):
        raise Problem(400, _("Kursor tidak sah; pakai `next_cursor` dari halaman sebelumnya apa adanya.")) from None
    return key, pk


class RowAfter(Func):
    """`(key, id) > (last_key, last_id)`, one row-value comparison (PostgreSQL, SQLite 3.15+): the
    database seeks the index on (key, id) to the cursor, where `key > k OR (key = k AND id > i)` would
    filter every row before it (thousands share one `updated_at` after a bulk change)."""

    arity = 4
    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        return "({}, {}) > ({}, {})".format(*parts), params


def page(queryset, *, key: str, cursor: str | None, limit: int, key_type=str):
    """(rows, next_cursor) of the page after `cursor`, ordered by (`key`, id); `key_type`: the key's Python type.
    `queryset` may be a `.values()` one (rows as dicts) if it reads "pk" and `key`."""
    ordered = queryset.order_by(key, "pk")
    if cursor:
        last_key, last_pk = decode_cursor(cursor)
        wrong_type = key != "pk" and (
            not isinstance(last_key, key_type)
            or (isinstance(last_key, datetime.datetime) and last_key.tzinfo is None)
        )
        if wrong_type:
            raise Problem(400, _("Kursor tidak sah; pakai `next_cursor` dari halaman sebelumnya apa adanya."))
        if key == "pk":
            ordered = ordered.filter(pk__gt=last_pk)
        else:
            last = Value(last_key, output_field=queryset.model._meta.get_field(key))
            ordered = ordered.filter(RowAfter(F(key), F("pk"), last, Value(last_pk)))
    rows = list(ordered[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more:
        last = rows[-1]
        next_cursor = encode_cursor(_value(last, key), last["pk"] if isinstance(last, dict) else last.pk)
    return rows, next_cursor


def _value(row, key: str):
    """`key` of a model row, or of a `.values()` row (which then holds "pk" and `key`)."""
    if isinstance(row, dict):
        return row[key]
    value = row
    for part in key.split("__"):
        value = getattr(value, part)
    return value
