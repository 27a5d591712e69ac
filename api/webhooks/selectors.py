"""Reads for webhook payloads: a constant number of queries however many officers."""

from lms.models import OfficerProfile


def officer_profiles_by_pk(profile_ids) -> dict[int, OfficerProfile]:
    """Profile id → profile with user, office and village (what api.serializers.officer_out reads)."""
    profiles = OfficerProfile.objects.filter(pk__in=profile_ids).select_related("user", "office", "village").order_by("pk")
    return {profile.pk: profile for profile in profiles}


def officer_profiles(user_ids) -> dict[int, OfficerProfile]:
    """User id → officer profile (with user, office and village)."""
    profiles = OfficerProfile.objects.filter(user_id__in=user_ids).select_related("user", "office", "village")
    return {profile.user_id: profile for profile in profiles}
