"""Errors the user reads: refusals raised by services, and the site's own error pages.

The 400, 403 and 404 pages are Django's handlers with the templates in
templates/ (the site's frame, Indonesian first and English beneath). The
CSRF failure and the 500 page have views here: Django's CSRF page renders
without the request (so without the header's links), and the 500 page must
render when the database is what failed, so it gets no request and no
context processors and uses the header that needs neither.
"""

import logging

from django.http import HttpResponseForbidden, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """A refusal the user should read: `message` is translated and shown as is."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the site's 403 page for a stale or cookie-less form; the reason goes to the log only."""
    logger.warning("CSRF check failed for %s %s: %s", request.method, request.path, reason)
    response = render(request, "403_csrf.html", status=403)
    return HttpResponseForbidden(response.content, content_type=response["Content-Type"])


def server_error(request):
    """handler500: a static template, rendered without the request so that nothing in it needs the database."""
    return HttpResponseServerError(loader.get_template("500.html").render())
