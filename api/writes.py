"""The API's writes: the same services as the HR pages, under the client's service user in the audit log."""

import logging

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from api import audit
from api.problems import Problem
from api.services import service_user
from certificates import services as certificate_services
from hr import officer_import
from hr.tabular import Table
from lms import queueing
from lms.errors import DomainError
from lms.models import OfficerProfile

logger = logging.getLogger(__name__)

# The import's columns in its own order (officer_import.COLUMNS), as the body names them.
FIELDS = list(officer_import.COLUMNS)


def officer_put(*, client, nip: str, data: dict) -> bool:
    """Create or update the officer `nip` exactly as one row of the HR import would; True when created.

    The row goes through officer_import_plan/apply, so what the import refuses the API refuses
    with the same messages (422), and nothing is half-written.
    """
    values = {**data, "nip": nip}
    table = Table(header=officer_import.expected_header(), rows=[(1, [str(values.get(name) or "") for name in FIELDS])])
    try:
        with transaction.atomic():
            plan = officer_import.officer_import_apply(table=table, by=service_user(client))
            row = plan.rows[0]
            if row.action != officer_import.Action.UNCHANGED:
                profile = OfficerProfile.objects.get(nip=row.nip)
                action = audit.OFFICER_CREATE if row.action == officer_import.Action.CREATE else audit.OFFICER_UPDATE
                log(profile, action, user=service_user(client), data={"nip": row.nip, "client": client.name,
                                                                      "changes": row.changes})
    except officer_import.ImportRejected as rejected:
        raise Problem(
            422,
            _("Data petugas ditolak, seperti pada impor SDM."),
            errors=[{"loc": ["body"], "msg": issue.message} for issue in rejected.plan.issues],
        ) from None
    except queueing.QueueUnavailable:
        # Saved; only the invitation e-mail could not be queued (HR can resend it from the officer's page).
        logger.warning("API officer %s saved, invitation not queued: task queue unavailable", nip)
        return True
    except DomainError as error:
        raise Problem(409, str(error.message)) from None
    return row.action == officer_import.Action.CREATE


def certificate_revoke(*, client, certificate, reason: str, note: str):
    try:
        return certificate_services.certificate_revoke(
            certificate=certificate, by=service_user(client), reason=reason, note=note
        )
    except certificate_services.CertificateError as error:
        raise Problem(409, str(error.message)) from None
