"""Background work of the site-wide app (django-tasks; immediate backend in tests).

lms.password_reset queues this task and the task calls back into it: the two import
each other as modules (never names), so either may be imported first."""

from django_tasks import task

from lms import password_reset


@task()
def password_reset_send(*, email: str, base_url: str, language: str) -> int:
    return password_reset.password_reset_send_now(email=email, base_url=base_url, language=language)
