"""Who may enter /hr/: members of the HR group and superusers; nobody else."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from lms import roles


def hr_required(view):
    """Anonymous users go to the login page; signed-in users outside HR get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not roles.is_hr(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
