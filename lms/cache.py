"""A shared cache for pages that are the same for every visitor.

Pages opt in per response (`mark_shared`): the catalog and course pages for
anonymous visitors. `SharedPageCacheMiddleware`
answers a repeated anonymous GET from the cache before Wagtail routes the
request, without a database query. A logged-in visitor is never served from
and never written to this cache, so a page with someone's name or progress
on it cannot reach anyone else.

Invalidation is by scope: every entry records the scope it belongs to
("content" for the course pages; a view may name its own) and that scope's
version read before the page was built. Publishing, unpublishing, moving or
deleting a page, or editing an agency or legal basis, gives "content" a new
version (lms/cache_invalidation.py). Versions live in the same cache (Redis
in production), so every app server sees the change at once. The public
certificate verification answers are cached by the certificates app itself
(certificates.selectors.verification_payload, cleared on revoke and render).

Data, not only pages, can be kept under a scope (`scoped_value`): the option
lists of filter forms (agencies, offices, programs, live courses) are the same
for every user and live under "choices", renewed when one of those changes.
"""

import contextvars
import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

CONTENT = "content"
CHOICES = "choices"
# Certificate records as the integration API lists them (api/endpoints.py); renewed on issue,
# revocation and render (certificates.receivers and certificates.services).
CERTIFICATES = "certificates"
TIMEOUT = 60 * 60
_KEY_PREFIX = "shared-page"
_ATTRIBUTE = "_shared_cache_scope"


# Versions read during the current request: a page asks for "content" from several places
# (outlines, cards, fragments, the header) and one read serves them all. An invalidation
# made later in the same request only means entries written afterwards are born stale.
_request_versions: contextvars.ContextVar[dict | None] = contextvars.ContextVar("scope_versions", default=None)


def _version_key(scope: str) -> str:
    return f"{_KEY_PREFIX}:version:{scope}"


def scope_version(scope: str) -> str:
    memo = _request_versions.get()
    if memo is not None and scope in memo:
        return memo[scope]
    version = _read_version(scope)
    if memo is not None:
        memo[scope] = version
    return version


def get_noting_versions(key: str, scopes) -> object:
    """`cache.get(key)`, reading the versions of `scopes` in the same round trip; they are kept for the
    rest of the request, so `scope_version` then answers without asking the cache again."""
    memo = _request_versions.get()
    wanted = [scope for scope in scopes if memo is None or scope not in memo]
    if not wanted:
        return cache.get(key)
    found = cache.get_many([key, *map(_version_key, wanted)])
    if memo is not None:
        for scope in wanted:
            version = found.get(_version_key(scope))
            if version is not None:
                memo[scope] = version
    return found.get(key)


def _read_version(scope: str) -> str:
    version = cache.get(_version_key(scope))
    if version is None:
        version = uuid.uuid4().hex
        # add(): two servers starting a scope at once agree on the first version.
        if not cache.add(_version_key(scope), version, timeout=None):
            version = cache.get(_version_key(scope), version)
    return version


def invalidate(scope: str) -> None:
    """Every entry of `scope` stored so far is stale from now on, on every server."""
    cache.set(_version_key(scope), uuid.uuid4().hex, timeout=None)


def scoped_value(scope: str, name: str, build):
    """`build()`'s result, shared by every server until `scope` is invalidated.

    The version is read before `build()` runs, so a change that lands meanwhile
    leaves the stored value already stale, as with pages (`read_scope_version`).
    Only for what is the same for every user.
    """
    key = f"shared-value:{scope}:{scope_version(scope)}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=TIMEOUT)
    return value


def _entry_key(request) -> str:
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    # Hashed: a query string is the visitor's to choose, so its length must not become the key's.
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"{_KEY_PREFIX}:{request.get_host()}:{language}:{path}"


def _may_use_cache(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    # A request with credentials (the API's bearer tokens) is nobody's anonymous visit: a shared cache
    # never answers it from a stored page (RFC 9111, 3.5), and skipping the lookup spares two round trips.
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    # Pending flash messages belong to this visitor only.
    if "messages" in request.COOKIES:
        return False
    # No session cookie: anonymous without touching the session store.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    return not request.user.is_authenticated


def read_scope_version(request, scope: str) -> None:
    """Note `scope`'s version BEFORE reading the data a shared page shows.

    An entry is stored under the version read before its data: if an
    invalidation lands while the page renders, the entry is born stale
    instead of hiding the change. The middleware does this for "content";
    views call it for other scopes (e.g. before loading a certificate).
    """
    versions = getattr(request, "_shared_cache_versions", None)
    if versions is not None and scope not in versions:
        versions[scope] = scope_version(scope)


def mark_shared(request, response, *, scope: str = CONTENT):
    """Let the middleware keep this response for every anonymous visitor of the same URL."""
    if (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not getattr(request, "is_preview", False)
        and response.status_code == 200
        and not getattr(response, "streaming", False)
    ):
        setattr(response, _ATTRIBUTE, scope)
    return response


class SharedPageCacheMiddleware:
    """Serve marked pages to anonymous visitors from the cache; store them on the first visit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_versions.set({})
        try:
            return self._respond(request)
        finally:
            _request_versions.reset(token)

    def _respond(self, request):
        if not _may_use_cache(request):
            return self.get_response(request)
        key = _entry_key(request)
        entry = cache.get(key)
        if entry is not None and entry["version"] == cache.get(_version_key(entry["scope"])):
            response = HttpResponse(entry["content"], status=entry["status"])
            for header, value in entry["headers"]:
                response[header] = value
            response["X-Cache"] = "hit"
            return response
        request._shared_cache_versions = {CONTENT: scope_version(CONTENT)}
        response = self.get_response(request)
        scope = getattr(response, _ATTRIBUTE, None)
        version = request._shared_cache_versions.get(scope)
        if version is not None and not response.cookies and not request.user.is_authenticated:
            headers = [(h, v) for h, v in response.items() if h.lower() in ("content-type", "content-language", "vary")]
            cache.set(
                key,
                {"scope": scope, "version": version, "status": response.status_code, "headers": headers,
                 "content": response.content},
                timeout=TIMEOUT,
            )
            response["X-Cache"] = "miss"
        return response


class SharedPageCacheMixin:
    """For Wagtail pages whose anonymous view is the same for everyone."""

    def serve(self, request, *args, **kwargs):
        return mark_shared(request, super().serve(request, *args, **kwargs))
