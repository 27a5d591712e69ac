"""Background work of the site-wide app (django-tasks; immediate backend in tests)."""

from django_tasks import task


@task()
def password_reset_send(*, email: str, base_url: str, language: str) -> int:
    from lms.password_reset import password_reset_send_now

    return password_reset_send_now(email=email, base_url=base_url, language=language)
