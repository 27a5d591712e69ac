"""Reads for webhook payloads and scope: a constant number of queries however many officers."""

from certificates.models import Certificate
from courses import api as courses_api
from lms.models import OfficerProfile


def officer_profiles_by_pk(profile_ids) -> dict[int, OfficerProfile]:
    profiles = OfficerProfile.objects.filter(pk__in=profile_ids).select_related("office", "village").order_by("pk")
    return {profile.pk: profile for profile in profiles}


def officer_profiles(user_ids) -> dict[int, OfficerProfile]:
    """User id → officer profile (with office and village)."""
    profiles = OfficerProfile.objects.filter(user_id__in=user_ids).select_related("office", "village")
    return {profile.user_id: profile for profile in profiles}


def officer_agency_ids(*, user_ids) -> dict[int, set[int]]:
    """User id → the agencies whose records tell of that officer: a course enrolled in, a certificate held.

    An agency's client hears about an officer's changes only when it can already see that
    officer's progress or certificates through the API (two queries).
    """
    agencies = courses_api.course_agency_ids_by_user(user_ids=user_ids)
    held = Certificate.objects.filter(holder_id__in=user_ids).values_list("holder_id", "agency_id").distinct()
    for user_id, agency_id in held:
        agencies.setdefault(user_id, set()).add(agency_id)
    return agencies
