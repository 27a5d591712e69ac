"""Refuse an oversized upload while it arrives, before any of it is stored.

Django would otherwise spool a 50 MB file to a temporary file before the form
could look at its size. The handler below counts bytes as they come and
stops keeping them past the limit; the view then shows the size message.
Upload handlers must be in place before anything reads `request.POST`, and the
CSRF middleware reads it, so views using `limit_upload` check CSRF themselves
(see `hr_upload_view`).
"""

from functools import wraps

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from hr.tabular import MAX_UPLOAD_BYTES

FORM_OVERHEAD = 64 * 1024  # the other form fields and multipart boundaries


class UploadLimitHandler(FileUploadHandler):
    def __init__(self, request=None, max_bytes: int = MAX_UPLOAD_BYTES):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0
        self.announced_too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # The body's announced size already tells: then not even the first chunk is kept.
        self.announced_too_large = content_length > self.max_bytes + FORM_OVERHEAD
        return None

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.announced_too_large or self.received > self.max_bytes:
            self.request.upload_too_large = True
            # Discard the rest of the body (so the browser gets our page, not a reset connection).
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def hr_upload_view(view):
    """Install the size limit first, then check CSRF, then run `view`."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.upload_too_large = False
        request.upload_handlers.insert(0, UploadLimitHandler(request))
        return protected(request, *args, **kwargs)

    return wrapper
