"""Background work of the site-wide app (django-tasks; immediate backend in tests)."""

from django_tasks import task


@task()
def officer_invitations_send(*, user_ids: list[int]) -> int:
    from lms.officer_import import officer_invitations_send_now

    return officer_invitations_send_now(user_ids=user_ids)
