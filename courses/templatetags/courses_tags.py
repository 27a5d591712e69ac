"""Template tags of the catalog that every page's frame shows."""

from django import template

from courses.models import CourseIndexPage
from lms.cache import CONTENT, scope_version

register = template.Library()

_catalog_urls: dict[str, str] = {}


@register.simple_tag
def catalog_url() -> str:
    """The live catalog's address (its slug is the editors' to change), remembered per
    process for the current "content" version: no query on a warm page."""
    version = scope_version(CONTENT)
    url = _catalog_urls.get(version)
    if url is None:
        catalog = CourseIndexPage.objects.live().order_by("path").first()
        url = (catalog.get_url() if catalog else None) or "/"
        _catalog_urls.clear()  # only the current version is ever asked for again
        _catalog_urls[version] = url
    return url
