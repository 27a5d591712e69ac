"""`Cache-Control: no-store` on every response that carries people's personal data.

Browsers keep pages and downloads in their cache, on disk, after the tab is closed;
proxies may keep them for the next user. HR pages and exports show full NIPs, and
village offices share computers, so none of these responses may be stored anywhere.

Chosen by URL, not view by view, so a new HR view cannot forget it:
- every URL in the `hr` namespace (/hr/: pages, CSV/XLSX exports, bulk-verification
  and import downloads), whatever the status;
- the certificate URLs that show or hand out one person's certificates: the
  officer's own list and PDFs, and the print bundles (names and NIPs of many).
Public verification pages show a masked NIP only and stay cacheable (lms.cache).
"""

from django.utils.cache import add_never_cache_headers

NO_STORE_NAMESPACES = frozenset({"hr", "api"})  # api: the integration API (/api/v1/) answers NIPs too
NO_STORE_VIEWS = frozenset(
    {
        "certificates:mine",
        "certificates:download",
        "certificates:bundle_create",
        "certificates:bundle",
        "certificates:bundle_download",
    }
)


def must_not_be_stored(resolver_match) -> bool:
    if resolver_match is None:
        return False
    return bool(NO_STORE_NAMESPACES.intersection(resolver_match.namespaces)) or resolver_match.view_name in NO_STORE_VIEWS


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if must_not_be_stored(getattr(request, "resolver_match", None)):
            add_never_cache_headers(response)
        return response
