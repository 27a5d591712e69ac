from django import template

from lms.roles import is_hr

register = template.Library()


@register.filter(name="is_hr")
def is_hr_filter(user) -> bool:
    return is_hr(user)
