"""Admin pages: the impact of a change in the law (per change and per provision), for reviewers and trainers."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from certificates import selectors
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
