"""Admin pages for reviewers and trainers: the impact of a change in the law (per change and per
provision), and the refreshers (penyegaran) HR required after one."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from certificates import selectors
from certificates.refreshers import refresher_rows
from courses import api as courses_api
from lms import roles
from lms.models import Agency, LegalChange, LegalProvision

HOLDERS_SHOWN = 500


def _agency_scope(user):
    """None for reviewers and admins (everything); a trainer's agency ids otherwise."""
    agencies = roles.agencies_for_user(user)
    if not agencies:
        raise PermissionDenied
    if len(agencies) == Agency.objects.count():
        return None
    return [agency.pk for agency in agencies]


def _render(request, report, *, title, subject):
    holders_count = report.holders.count()
    return TemplateResponse(
        request,
        "certificates/admin/legal_impact.html",
        {
            "title": title,
            "subject": subject,
            "report": report,
            "impact": report.content,
            "module_rows": report.module_rows(),
            "holders": report.holders[:HOLDERS_SHOWN],
            "holders_count": holders_count,
            "holders_hidden": max(holders_count - HOLDERS_SHOWN, 0),
        },
    )


def legal_impact_change(request, change_id):
    change = get_object_or_404(LegalChange.objects.select_related("instrument"), pk=change_id)
    report = selectors.legal_impact_of_change(change, agency_ids=_agency_scope(request.user))
    return _render(request, report, title=_("Dampak: %(change)s") % {"change": change.instrument}, subject=change)


def legal_impact_provision(request, provision_id):
    provision = get_object_or_404(LegalProvision.objects.select_related("legal_basis"), pk=provision_id)
    report = selectors.legal_impact_of_provision(provision, agency_ids=_agency_scope(request.user))
    return _render(request, report, title=_("Dampak: %(provision)s") % {"provision": provision}, subject=provision)


# --- Refreshers: read-only; HR requires them (/hr/perubahan-peraturan/), officers complete them.

REFRESHERS_PER_PAGE = 50


def refresher_agencies(request) -> list:
    """The agencies whose refreshers the user sees: a trainer their own; reviewers, HR and admins
    every one; anybody else none. Read once per request (the page and its menu item both ask)."""
    if not hasattr(request, "_refresher_agencies"):
        user = request.user
        if roles.is_hr(user):
            request._refresher_agencies = list(Agency.objects.order_by("short_name"))
        else:
            request._refresher_agencies = roles.agencies_for_user(user)
    return request._refresher_agencies


def refreshers(request):
    """Every refresher of the user's agencies' courses, newest first: filter by status, agency,
    change and course, search by name or NIP. An invalid filter lists nothing and says why."""
    agencies = refresher_agencies(request)
    if not agencies:
        raise PermissionDenied
    # A trainer's agency ids; None (no condition) for those who see every agency.
    agency_ids = None if len(agencies) == Agency.objects.count() else [agency.pk for agency in agencies]
    filterset = courses_api.RefresherFilter(
        request.GET or None, queryset=courses_api.refreshers_of_agencies(agency_ids=agency_ids), agencies=agencies
    )
    context = {"title": _("Penyegaran"), "filter": filterset, "may_open_hr": roles.is_hr(request.user)}
    if not filterset.errors:
        counts = courses_api.refresher_counts(filterset.qs)
        paginator = Paginator(filterset.qs, REFRESHERS_PER_PAGE)
        paginator.count = counts["total"]  # counted already, with the open ones
        page = paginator.get_page(request.GET.get("p"))
        context.update(
            counts=counts,
            page_obj=page,
            rows=refresher_rows(page.object_list),
            elided_page_range=paginator.get_elided_page_range(page.number),
        )
    return TemplateResponse(request, "certificates/admin/refreshers.html", context)
