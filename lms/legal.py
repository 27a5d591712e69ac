"""Recording a change of the law: the provisions it touches get their new status, a revision each,
and an audit entry; then upper layers are told (lms.signals.legal_change_applied)."""

import datetime

from django.db import transaction
from django.utils import timezone

from lms import audit
from lms.models import LegalChange, LegalProvision
from lms.signals import legal_change_applied


def legal_change_apply(change: LegalChange, *, user) -> None:
    """Apply a recorded change once; a change already applied is left as it is.

    In one transaction: each item's provision gets the new status, the amending instrument and
    provision, and (when repealed) an end date the day before the change is in force; a revision
    and an audit entry per provision; `applied_at`; then `legal_change_applied` is sent inside the
    same transaction so the receivers' writes are atomic with it.
    """
    with transaction.atomic():
        change = LegalChange.objects.select_for_update().select_related("instrument").get(pk=change.pk)
        if change.applied_at is not None:
            return
        items = list(change.items.select_related("provision__legal_basis", "replacement__legal_basis"))
        for item in items:
            provision = item.provision
            old_status = provision.get_status_display()
            provision.status = item.new_status
            provision.changed_by = change.instrument
            provision.changed_by_provision = item.replacement
            if item.new_status == LegalProvision.Status.DICABUT:
                provision.in_force_until = change.in_force_on - datetime.timedelta(days=1)
            provision.save()
            provision.save_revision(user=user, clean=False)
            audit.record(
                provision,
                audit.LEGAL_PROVISION_CHANGED,
                user=user,
                data={
                    "provision": str(provision),
                    "old": str(old_status),
                    "new": str(provision.get_status_display()),
                    "instrument": str(change.instrument),
                    "change_id": change.pk,
                },
            )
        change.applied_at = timezone.now()
        change.save(update_fields=["applied_at"])
        audit.record(
            change,
            audit.LEGAL_CHANGE_APPLIED,
            user=user,
            data={
                "instrument": str(change.instrument),
                "in_force_on": change.in_force_on.isoformat(),
                "provisions": ", ".join(str(item.provision) for item in items),
            },
        )
        legal_change_applied.send(sender=LegalChange, change=change, user=user)
