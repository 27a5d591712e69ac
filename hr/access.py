"""Who may enter /hr/: members of the HR group and superusers; nobody else."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from lms import roles


def is_hr(user) -> bool:
    """HR or superuser; the group names are read once per request (lms.roles.group_names)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or roles.HR in roles.group_names(user)


def hr_required(view):
    """Anonymous users go to the login page; signed-in users outside HR get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_hr(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
