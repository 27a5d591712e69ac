"""The Open Badges 3.0 credential of a certificate (VC Data Model 2.0, OB 3.0.3 context).

Issuer: the platform's did:web (certificates/credentials/keys.py) with the issuing agency as the
issuer profile's name: a verifier resolves one DID document, /.well-known/did.json, whose keys
(old ones too) sign every agency's credentials. validFrom is the start of the issue date and
validUntil the end of the expiry date, both in Asia/Jakarta (a certificate is valid through its
expiry date). credentialStatus points at the revocation bit of the certificate in the Bitstring
Status List (certificates/credentials/status.py).

The holder's NIP is in the credential only as a salted SHA-256 hash (IdentityObject, hashed):
anyone who has the NIP can check it, nobody reads it off a published credential.
"""

import datetime
import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.urls import reverse

from certificates.credentials import dataintegrity, keys, status

SITE_ZONE = zoneinfo.ZoneInfo("Asia/Jakarta")
CONTEXT = [dataintegrity.CREDENTIALS_V2, dataintegrity.OPEN_BADGES_V3]
MEDIA_TYPE = "application/vc+ld+json"


def _datetime(day: datetime.date, time: datetime.time) -> str:
    return datetime.datetime.combine(day, time, tzinfo=SITE_ZONE).isoformat()


def credential_url(code: str) -> str:
    return settings.PUBLIC_BASE_URL + reverse("certificates:credential_json", args=[code])


def achievement_id(certificate) -> str:
    kind, pk = ("course", certificate.course_id) if certificate.course_id else ("program", certificate.program_id)
    return f"{settings.PUBLIC_BASE_URL}/credentials/achievements/{kind}-{pk}"


def issuer_profile(certificate) -> dict:
    return {
        "id": keys.issuer_did(),
        "type": ["Profile"],
        "name": certificate.agency_name,
        "url": settings.PUBLIC_BASE_URL + "/",
    }


def unsigned_credential(certificate, *, nip_salt: str | None = None) -> dict:
    """The credential of a certificate record (with its status_list_index set), before the proof."""
    lesson_hours = certificate.lesson_hours or 0
    subject = {
        "type": ["AchievementSubject"],
        "name": certificate.holder_name,
        "achievement": {
            "id": achievement_id(certificate),
            "type": ["Achievement"],
            "achievementType": "CertificateOfCompletion" if certificate.course_id else "LearningProgram",
            "name": certificate.title,
            "description": f"{certificate.title} — {certificate.agency_name}",
            "criteria": {
                "narrative": f"Menyelesaikan seluruh modul dan penilaian; {lesson_hours} JP (jam pelajaran).",
            },
            "creditsAvailable": lesson_hours,
            "creator": issuer_profile(certificate),
        },
        "creditsEarned": lesson_hours,
    }
    if certificate.holder_nip:
        salt = nip_salt or secrets.token_hex(8)
        subject["identifier"] = [
            {
                "type": "IdentityObject",
                "identityType": "ext:NIP",
                "hashed": True,
                "identityHash": "sha256$" + hashlib.sha256((certificate.holder_nip + salt).encode()).hexdigest(),
                "salt": salt,
            }
        ]
    credential = {
        "@context": CONTEXT,
        "id": credential_url(certificate.code),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.title,
        "issuer": issuer_profile(certificate),
        "validFrom": _datetime(certificate.issued_on, datetime.time.min),
        "credentialSubject": subject,
        "credentialStatus": status.status_entry(certificate.status_list_index),
    }
    if certificate.expires_on:
        credential["validUntil"] = _datetime(certificate.expires_on, datetime.time(23, 59, 59))
    return credential


def signed_credential(certificate, *, key=None) -> dict:
    key = key or keys.required_active_key()
    return dataintegrity.sign(
        unsigned_credential(certificate), key=key, verification_method=keys.verification_method_id(key.kid)
    )


def verify_credential(credential: dict) -> bool:
    """Does its proof verify with a key published in our DID document? (Not the status: see status.is_revoked.)"""
    published = {keys.verification_method_id(kid): public for kid, public in keys.public_keys().items()}
    return dataintegrity.verify(credential, published)
