"""Site-wide pieces every page's frame shows, each without a query of its own on a warm cache."""

from django import template
from wagtail.admin.templatetags.wagtailuserbar import wagtailuserbar

from courses.selectors import catalog_url as _catalog_url
from lms import roles

register = template.Library()


@register.simple_tag
def catalog_url() -> str:
    """The catalog's address (its slug is the editors' to change)."""
    return _catalog_url()


@register.simple_tag(takes_context=True)
def site_userbar(context, position="bottom-right"):
    """Wagtail's user bar, for the users who may edit; officers and HR skip its permission queries."""
    user = getattr(context.get("request"), "user", None)  # error pages may render before authentication
    if user is None or not roles.may_enter_admin(user):
        return ""
    return wagtailuserbar(context, position)
