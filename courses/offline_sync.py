"""What the phone sends back after working offline (README "Offline", tools/pwa/src/sync.js).

"Tandai selesai" pressed without a connection is queued on the phone (IndexedDB) and
sent again, in the order pressed, when the connection returns: a POST to the module's
`selesai/` route carrying SYNC_HEADER and the CSRF token in X-CSRFToken. Such a replay
is answered in JSON (no flash message, no redirect) so the phone knows whether to drop
the item (`ok`, or refused for good) or keep it for later (`retry`: logged out, the
server unreachable). Completing a module twice changes nothing, so an item sent twice
(the answer lost on the way back) is harmless.

Quiz answers kept on the phone are sent as the quiz form itself: the server grades the
attempt once, under its deadline rules (QuizPageMixin.serve_quiz).
"""

from django.utils.translation import gettext_lazy as _

SYNC_HEADER = "X-Pimpasa-Sync"
SYNC_LOGIN_NEEDED = _("Masuk lagi untuk mengirim yang tersimpan di ponsel ini.")


def is_sync_replay(request) -> bool:
    """A request sent by the phone's sync queue rather than by the officer's form."""
    return request.headers.get(SYNC_HEADER) == "1"
