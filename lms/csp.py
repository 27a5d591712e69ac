"""One Content-Security-Policy for the site, a relaxed one for the Wagtail admin only.

The site's own pages (catalog, lessons, quizzes, HR, verification) allow scripts
and styles from our own origin only: no inline <script>, no inline style.

The Wagtail 8 admin runs no inline executable script either (its page data sits
in <script type="application/json">, which CSP does not execute), so script-src
stays 'self' there too. What the admin does need, found by loading its pages in
tests (lms/tests/test_security_headers.py):
- style-src 'unsafe-inline': Wagtail and its widgets (Draftail, choosers, the
  userbar) write style="" attributes;
- img-src blob: https: — image previews before upload and embed thumbnails;
- frame-src 'self' https: and frame-ancestors 'self' — the live preview panel is
  an iframe of our own origin, embeds preview third-party players.
These additions (settings.CSP_ADMIN_ADDITIONS) apply under CSP_ADMIN_PREFIXES only.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings


class PathAwareCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(tuple(settings.CSP_ADMIN_PREFIXES)):
            update = dict(parts.update or {})
            for directive, sources in settings.CSP_ADMIN_ADDITIONS.items():
                update[directive] = [*update.get(directive, []), *sources]
            parts.update = update
        return parts
