"""What makes shared cached pages and values stale (see lms/cache.py): connected when the app is ready."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from lms import cache
from lms.models import Agency, LegalBasis, Office


def invalidate_now_and_on_commit(*scopes: str) -> None:
    """Renew `scopes` at once and again when the transaction commits.

    At once, so the rest of this transaction (and a test running inside one) never reads the
    old entries; and again after the commit, so that a page or value another request builds
    from the not-yet-committed data in between is stored under a version that is already stale.
    """

    def invalidate():
        for scope in scopes:
            cache.invalidate(scope)

    invalidate()
    transaction.on_commit(invalidate)


def _invalidate_content_on_commit(**kwargs):
    # Pages also change the course lists that filters offer ("choices").
    invalidate_now_and_on_commit(cache.CONTENT, cache.CHOICES)


def _invalidate_choices_on_commit(**kwargs):
    invalidate_now_and_on_commit(cache.CHOICES)


page_published.connect(_invalidate_content_on_commit, dispatch_uid="lms.cache.page_published")
page_unpublished.connect(_invalidate_content_on_commit, dispatch_uid="lms.cache.page_unpublished")
post_page_move.connect(_invalidate_content_on_commit, dispatch_uid="lms.cache.page_moved")
# A privacy setting changes who may see a page (the catalog lists public courses only).
for model in (Agency, LegalBasis, PageViewRestriction):
    post_save.connect(_invalidate_content_on_commit, sender=model, dispatch_uid=f"lms.cache.save.{model.__name__}")
    post_delete.connect(_invalidate_content_on_commit, sender=model, dispatch_uid=f"lms.cache.delete.{model.__name__}")
post_save.connect(_invalidate_choices_on_commit, sender=Office, dispatch_uid="lms.cache.save.Office")
post_delete.connect(_invalidate_choices_on_commit, sender=Office, dispatch_uid="lms.cache.delete.Office")


@receiver(post_delete, dispatch_uid="lms.cache.page_deleted")
def _invalidate_on_page_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        _invalidate_content_on_commit()
