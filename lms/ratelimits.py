"""Request budgets for endpoints that invite guessing: login, certificate verification.

Apply to a view with one decorator, naming a group from settings.RATE_LIMITS::

    from lms.ratelimits import rate_limited

    @rate_limited("verify")                          # GET and POST count, keyed by client address
    def verify(request, code): ...

    path("verify/<str:code>/", rate_limited("verify")(views.verify), name="verify")

Over the budget the view is not called: HTML paths get the page
`lms/rate_limited.html`, paths under API_PREFIXES get JSON
`{"status": "rate_limited", ...}`, both with status 429 and a Retry-After header.
Counters live in the default cache (locmem in tests, Redis in production), so the
budget is shared by every process that shares the cache.
"""

import ipaddress
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

API_PREFIXES = ("/api/",)
ALL_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the address our own proxies saw when
    TRUSTED_PROXY_COUNT says how many of them add to X-Forwarded-For (the entries
    further left are written by the client and cannot be trusted)."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies and _is_address(hops[-proxies]):
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


def _is_address(value: str) -> bool:
    """A miscounted proxy chain can hand us what the client wrote; lockout records need an address."""
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _rate_for(group, request):
    return settings.RATE_LIMITS[group]


def check_rate_limit(
    request, *, group: str, methods=ALL_METHODS, key: str = "ip", rate: str | None = None
) -> dict | None:
    """Count this request against `group`; return the usage when it is over the budget.

    `rate` ("count/period") replaces settings.RATE_LIMITS[group] where the budget is per caller,
    e.g. each API client's own limit (api/auth.py)."""
    if not getattr(settings, "RATELIMIT_ENABLE", True) or request.method not in methods:
        return None
    usage = get_usage(request, group=group, key=key, rate=rate or _rate_for, method=list(methods), increment=True)
    if usage and usage["should_limit"]:
        return usage
    return None


def _limit_message(message, retry_after: int) -> str:
    if retry_after < 120:
        wait = _("Coba lagi dalam %(seconds)s detik.") % {"seconds": retry_after}
    else:
        wait = _("Coba lagi dalam %(minutes)s menit.") % {"minutes": -(-retry_after // 60)}
    return "{} {}".format(message or _("Terlalu banyak permintaan dari alamat Anda."), wait)


def too_many_requests(request, *, retry_after: int, message: str = ""):
    """The 429 answer: JSON for API paths, a short page for people (Indonesian first, English beneath)."""
    retry_after = max(int(retry_after), 1)
    if request.path.startswith(API_PREFIXES):
        detail = _limit_message(message, retry_after)
        response = JsonResponse({"status": "rate_limited", "detail": detail, "retry_after": retry_after}, status=429)
    else:
        said = {}
        for language in ("id", "en"):
            with translation.override(language):
                said[language] = _limit_message(message, retry_after)
        context = {"message_id": said["id"], "message_en": said["en"], "retry_after": retry_after}
        response = render(request, "lms/rate_limited.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(group: str, *, methods=ALL_METHODS, key="ip", message: str = ""):
    """Decorate a view (function, or the result of `View.as_view()`) with the budget of `group`.

    `methods` lists the methods that count (e.g. ("POST",) for a login form, whose
    GET only shows the form); `key` is any django-ratelimit key ("ip", "user_or_ip",
    or a callable `key(group, request)`); `message` replaces "too many requests from
    your address" when the budget is not per address.
    """
    if group not in settings.RATE_LIMITS:
        raise KeyError(f"Rate-limit group {group!r} is not in settings.RATE_LIMITS.")

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            usage = check_rate_limit(request, group=group, methods=methods, key=key)
            if usage is not None:
                return too_many_requests(request, retry_after=usage["time_left"], message=message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
