"""The site's URLs plus /media/, for browser tests that show lesson images: the live
server serves static files but, with DEBUG off, not uploaded media (in production the
web server in front does). Read MEDIA_ROOT per request: each test has its own."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from lms.urls import urlpatterns as site_urlpatterns


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", media), *site_urlpatterns]
handler500 = "lms.errors.server_error"
