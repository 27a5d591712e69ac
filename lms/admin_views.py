"""Admin view: who is locked out of logging in, and a button to unlock them."""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lms import audit


def lockouts_for_admin() -> dict:
    """Accounts (each for the address that failed on it) and addresses at or over their
    limits, counted as lms.accounts.LockoutHandler counts them."""

    def over(fields, limit):
        return list(
            AccessAttempt.objects.values(*fields)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=limit)
            .order_by("-last")
        )

    return {
        "accounts": over(["username", "ip_address"], settings.AXES_FAILURE_LIMIT),
        "addresses": over(["ip_address"], settings.AXES_ADDRESS_FAILURE_LIMIT),
        "limit": settings.AXES_FAILURE_LIMIT,
        "address_limit": settings.AXES_ADDRESS_FAILURE_LIMIT,
    }


@require_http_methods(["GET", "POST"])
def lockouts(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    if request.method == "POST":
        username, ip = request.POST.get("username", ""), request.POST.get("ip_address", "")
        if not (username or ip):
            messages.error(request, _("Pilih akun atau alamat yang akan dibuka kuncinya."))
        else:
            reset(username=username or None, ip=ip or None)
            audit.record(request.user, audit.LOCKOUT_RESET, data={"target": username or ip, "ip_address": ip})
            messages.success(request, _("Kunci masuk untuk %(target)s dibuka.") % {"target": username or ip})
        return redirect("lms_lockouts")
    return TemplateResponse(request, "lms/admin/lockouts.html", {"title": _("Masuk terkunci"), **lockouts_for_admin()})
