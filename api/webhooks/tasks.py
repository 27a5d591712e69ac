"""The webhook sender of the task worker (django-tasks: database backend, RQ, or immediate in tests).

services queues this task and the task calls back into it: the two import each
other as modules (never names), so either may be imported first."""

from django_tasks import task

from api.webhooks import services


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One try at sending one message; a failure schedules the next try (services.webhook_deliver)."""
    return services.webhook_deliver(delivery_id=delivery_id)
