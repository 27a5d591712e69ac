"""Wagtail admin template pieces the project adjusts (templates/wagtailadmin/ overrides)."""

from django import template
from django.urls import reverse
from wagtail.admin.templatetags.wagtailadmin_tags import bulk_action_choices
from wagtail.admin.widgets.button import BaseDropdownMenuButton
from wagtail.permission_policies.pages import PagePermissionPolicy

register = template.Library()

# Page bulk actions that publish or unpublish: Wagtail offers them to everyone who
# sees a page listing and refuses each page only after the choice. Trainers never
# publish (the review workflow does), so the listing leaves them out.
PUBLISHING_BULK_ACTIONS = frozenset({"publish", "unpublish"})


def page_bulk_actions_not_permitted(*, user, parent=None) -> frozenset[str]:
    """The page bulk actions (`action_type`) `user` may take on no page of the listing:
    the children of `parent`, or, with no parent (a search of the whole tree), any page."""
    if parent is not None:
        may_publish = parent.permissions_for_user(user).can_publish_subpage()
    else:
        may_publish = PagePermissionPolicy().user_has_permission(user, "publish")
    return frozenset() if may_publish else PUBLISHING_BULK_ACTIONS


@register.inclusion_tag("wagtailadmin/shared/buttons.html", takes_context=True)
def permitted_bulk_action_choices(context, app_label, model_name):
    """Wagtail's bulk action buttons, without the page actions the user may take on no
    page of the listing (trainers are not offered "Publish selected pages")."""
    choices = bulk_action_choices(context, app_label, model_name)
    if (app_label, model_name) != ("wagtailcore", "page"):
        return choices
    parent = None if context.get("is_searching_whole_tree") else context.get("parent_page")
    hidden = page_bulk_actions_not_permitted(user=context["request"].user, parent=parent)
    hidden_urls = {reverse("wagtail_bulk_action", args=[app_label, model_name, action]) for action in hidden}
    buttons = [button for button in choices["buttons"] if button.url not in hidden_urls]
    for button in buttons:
        if isinstance(button, BaseDropdownMenuButton):
            button.dropdown_buttons = [item for item in button.dropdown_buttons if item.url not in hidden_urls]
    return {"buttons": [b for b in buttons if not isinstance(b, BaseDropdownMenuButton) or b.dropdown_buttons]}
