"""One Content-Security-Policy for the site, a relaxed one for the Wagtail admin only.

The site's own pages (catalog, lessons, quizzes, HR, verification) allow scripts
and styles from our own origin only: no inline <script>, no inline style.

The Wagtail 8 admin cannot live with that. Loading its pages in tests
(tests/test_security_headers.py) shows inline, nonce-less <script> initialisers
written by Wagtail's own widgets: `new SnippetChooser(...)` for snippet choosers
(the course's agency), `initDateTimeChooser(...)` for go-live/expiry dates and the
report filters, `new InlinePanel(...)` for quiz questions. Nonces cannot be added
to markup Wagtail renders, so under CSP_ADMIN_PREFIXES only (settings
CSP_ADMIN_ADDITIONS) the policy adds:
- script-src 'unsafe-inline': those initialisers;
- style-src 'unsafe-inline': Wagtail's widgets (Draftail, choosers, the userbar)
  write style attributes;
- img-src blob: https: — image previews before upload and embed thumbnails;
- frame-src 'self' https: — the live preview panel is an iframe of our own
  origin, embeds preview third-party players.
The admin is reachable only by staff who log in; everything officers, HR and the
public see keeps the strict policy.

Framing: nothing may be framed (`frame-ancestors 'none'`, X-Frame-Options DENY)
except previews, which the editor's side panel shows in an iframe of the same
origin: they get `frame-ancestors 'self'` and X-Frame-Options SAMEORIGIN. A
preview is either one of the admin's preview views (CSP_PREVIEW_URL_NAMES: pages,
snippets, settings, StreamField blocks) or the request Wagtail makes up to
render the previewed page (`Page.make_preview_request` runs it through this
middleware under the page's public path, marked `is_preview`). Its response
keeps the site's strict policy otherwise: it is the site's page.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings

FRAMEABLE_BY_SELF = {"frame-ancestors": ["'self'"]}


def is_preview(request) -> bool:
    """A preview the editor's side panel frames (see the module docstring)."""
    if getattr(request, "is_preview", False):
        return True
    match = getattr(request, "resolver_match", None)
    return (
        match is not None
        and match.url_name in settings.CSP_PREVIEW_URL_NAMES
        and request.path_info.startswith(tuple(settings.CSP_ADMIN_PREFIXES))
    )


class PathAwareCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if is_preview(request) and "X-Frame-Options" not in response:
            # XFrameOptionsMiddleware runs after this one and keeps a header already set.
            response["X-Frame-Options"] = "SAMEORIGIN"
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        base = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
        additions = {}
        if request.path_info.startswith(tuple(settings.CSP_ADMIN_PREFIXES)):
            additions |= settings.CSP_ADMIN_ADDITIONS
        if is_preview(request):
            additions |= FRAMEABLE_BY_SELF
        update, replace = dict(parts.update or {}), dict(parts.replace or {})
        for directive, sources in additions.items():
            if base.get(directive) == ["'none'"]:
                replace[directive] = list(sources)  # 'none' cannot be combined with sources
            else:
                update[directive] = [*update.get(directive, []), *sources]
        parts.update, parts.replace = update, replace
        return parts
