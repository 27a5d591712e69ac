"""One Content-Security-Policy for the site, a relaxed one for the Wagtail admin only.

The site's own pages (catalog, lessons, quizzes, HR, verification) allow scripts
and styles from our own origin only: no inline <script>, no inline style.

The Wagtail 8 admin cannot live with that. Loading its pages in tests
(lms/tests/test_security_headers.py) shows inline, nonce-less <script> initialisers
written by Wagtail's own widgets: `new SnippetChooser(...)` for snippet choosers
(the course's agency), `initDateTimeChooser(...)` for go-live/expiry dates and the
report filters, `new InlinePanel(...)` for quiz questions. Nonces cannot be added
to markup Wagtail renders, so under CSP_ADMIN_PREFIXES only (settings
CSP_ADMIN_ADDITIONS) the policy adds:
- script-src 'unsafe-inline': those initialisers;
- style-src 'unsafe-inline': Wagtail's widgets (Draftail, choosers, the userbar)
  write style attributes;
- img-src blob: https: — image previews before upload and embed thumbnails;
- frame-src 'self' https: and frame-ancestors 'self' — the live preview panel is
  an iframe of our own origin, embeds preview third-party players.
The admin is reachable only by staff who log in; everything officers, HR and the
public see keeps the strict policy.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings


class PathAwareCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(tuple(settings.CSP_ADMIN_PREFIXES)):
            base = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
            update, replace = dict(parts.update or {}), dict(parts.replace or {})
            for directive, sources in settings.CSP_ADMIN_ADDITIONS.items():
                if base.get(directive) == ["'none'"]:
                    replace[directive] = list(sources)  # 'none' cannot be combined with sources
                else:
                    update[directive] = [*update.get(directive, []), *sources]
            parts.update, parts.replace = update, replace
        return parts
