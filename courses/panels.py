"""Edit-page panels for trainers: what a change in the law asks of the module being edited."""

from django.template.loader import render_to_string
from wagtail.admin.panels import HelpPanel

from courses import selectors
from courses.models.review import ContentReview


class LegalReviewPanel(HelpPanel):
    """At the top of a module's edit page while a review of it is open: the changes, the
    held questions, and a warning when the quiz is short of questions (never silent)."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            module = self.instance
            self.content = ""
            if module is None or not module.pk:
                return
            reviews = list(
                ContentReview.objects.filter(module_id=module.pk, status=ContentReview.Status.OPEN)
                .select_related("change__instrument")
                .order_by("opened_at")
            )
            supply = selectors.quiz_supply(module)
            if reviews or supply.short:
                self.content = render_to_string(
                    "courses/admin/module_review_panel.html", {"reviews": reviews, "supply": supply}, request=self.request
                )

        def is_shown(self):
            return bool(self.content)
