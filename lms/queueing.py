"""Handing work to the task worker when the queue itself may be down.

With RQ the queue lives in Redis; when Redis cannot be reached an enqueue
raises. Every caller decides what "later" means for its own work and leaves
nothing half done: a certificate's PDF stays wanted and the sweep
(`manage.py sweep_outdated_pdfs`) asks for it again; an HR export or bundle
is recorded as failed; a bulk issue enqueues nothing. `QueueUnavailable`
carries the sentence the user reads; QueueUnavailableMiddleware (below)
answers it with a page instead of a bare 500.
"""

import logging

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_tasks.base import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist
from redis.exceptions import RedisError

from lms.errors import DomainError

logger = logging.getLogger(__name__)

# What an enqueue raises when its queue cannot be reached (django-tasks-rq talks to Redis; the
# database backend fails like any other query, which the request cannot survive anyway).
QUEUE_ERRORS = (RedisError,)


class QueueUnavailable(DomainError):
    default_message = _("Antrean tugas latar belakang sedang tidak dapat dihubungi, jadi permintaan ini belum "
                        "dijalankan. Tidak ada yang setengah jadi; coba lagi beberapa menit lagi.")

    def __init__(self, message=None):
        super().__init__(message or self.default_message)


def enqueue(task, *args, **kwargs):
    """`task.enqueue(*args, **kwargs)`, or QueueUnavailable (logged) when the queue cannot be reached."""
    try:
        return task.enqueue(*args, **kwargs)
    except QUEUE_ERRORS as error:
        logger.warning("Could not enqueue %s%s: %s", task.name, args or kwargs or "", error)
        raise QueueUnavailable() from error


def waiting_in_queue(task, task_id: str) -> bool:
    """Is the task `task_id` of `task` still queued (not started)? A backlog can outlast a lease or a
    due time; a started task cannot. False when there is no id or the backend cannot tell."""
    backend = task.get_backend()
    if not task_id or not backend.supports_get_result:
        return False
    try:
        return backend.get_result(task_id).status == TaskResultStatus.READY
    except TaskResultDoesNotExist:
        return False


class QueueUnavailableMiddleware:
    """A request whose background work could not be queued gets a page that says so (503), not a 500.

    The service has already left its records consistent (lms/queueing.py); this only tells the user.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, QueueUnavailable):
            return None
        response = render(request, "503.html", {"message": exception.message}, status=503)
        response["Retry-After"] = "120"
        return response
