"""Site-wide pieces every page's frame shows, each without a query of its own on a warm cache; |day for tables."""

import datetime
import functools

from django import template
from django.conf import settings
from django.template.defaultfilters import date as date_filter
from django.utils import formats, translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

from lms import pwa, roles

register = template.Library()


@register.filter(is_safe=True)
def with_site_name(title) -> str:
    """A page's <title>: its own title, then the site's name, and the name never twice.

    The home page is titled after the site ("Pimpasa LMS", not "Pimpasa LMS · Pimpasa LMS");
    a page without a title of its own is the site's name alone.
    """
    site = conditional_escape(settings.WAGTAIL_SITE_NAME)
    title = conditional_escape(title).strip()  # the rendered block: already escaped
    if not title or title.endswith(site):
        return mark_safe(title or site)
    return mark_safe(f"{title} · {site}")


@register.simple_tag(takes_context=True)
def site_userbar(context, position="bottom-right"):
    """Wagtail's user bar, for the users who may edit; officers and HR skip its permission queries."""
    user = getattr(context.get("request"), "user", None)  # error pages may render before authentication
    if user is None or not roles.may_enter_admin(user):
        return ""
    return wagtailuserbar(context, position)


@register.filter
def offline_key(user) -> str:
    """The name of this officer's offline caches on a phone (lms.pwa.offline_key)."""
    return pwa.offline_key(user)


@register.filter(is_safe=False, expects_localtime=True)
def day(value) -> str:
    """A date as the tables show it: exactly |date:"j M Y" ("3 Mar 2026"), formatted once per day and language.

    Formatting a date costs about as much as the rest of a table row, and a page of
    fifty certificates repeats the same few days. A datetime is shown on its local
    date: like |date, the filter is registered with `expects_localtime`, so the
    template engine hands it an aware datetime already in the current time zone
    (30 Nov 20:00 UTC arrives as 1 Dec 03:00 in Jakarta; inside {% localtime off %}
    it stays in UTC, as for |date). Its date is then the one |date would print.
    """
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()  # in the zone the engine chose (expects_localtime)
    if type(value) is not datetime.date:
        return date_filter(value, "j M Y")
    return _day(value, translation.get_language())


@functools.lru_cache(maxsize=4096)
def _day(value: datetime.date, language: str) -> str:
    # Formats in the active language; `language` is only the cache key that keeps the languages apart.
    return formats.date_format(value, "j M Y")
