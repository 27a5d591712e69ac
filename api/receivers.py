"""A changed API client (deactivated, other scopes or limit) is seen at once: its cached tokens are dropped."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from api.auth import forget_client_tokens
from api.models import ApiClient


@receiver(post_save, sender=ApiClient, dispatch_uid="api.forget_tokens_on_client_save")
def forget_tokens_on_client_save(sender, instance, raw=False, **kwargs):
    if not raw:
        forget_client_tokens(instance)
