"""Revocation as a W3C Bitstring Status List (https://www.w3.org/TR/vc-bitstring-status-list/).

Each certificate gets a unique `status_list_index` (its own id: never reused); list number
index // LIST_SIZE holds it at bit index % LIST_SIZE, counted from the most significant bit of
the first byte. A revoked certificate's bit is 1. The list is a credential of its own, signed
like the certificates' (certificates/credentials/dataintegrity.py), served at
/credentials/status/<number>.json, cached until a revocation clears it.
"""

import datetime
import gzip

from django.conf import settings
from django.urls import reverse

from certificates.credentials import dataintegrity, keys

LIST_SIZE = 131072  # bits: 16 KiB, the specification's minimum (group privacy)


def list_number(index: int) -> int:
    return index // LIST_SIZE


def list_url(number: int) -> str:
    return settings.PUBLIC_BASE_URL + reverse("certificates:status_list", args=[number])


def status_entry(index: int) -> dict:
    url = list_url(list_number(index))
    return {
        "id": f"{url}#{index % LIST_SIZE}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index % LIST_SIZE),
        "statusListCredential": url,
    }


def encode_bits(positions) -> str:
    bits = bytearray(LIST_SIZE // 8)
    for position in positions:
        bits[position // 8] |= 0x80 >> (position % 8)
    return dataintegrity.multibase_base64url(gzip.compress(bytes(bits), mtime=0))


def bit_is_set(encoded_list: str, position: int) -> bool:
    bits = gzip.decompress(dataintegrity.from_multibase_base64url(encoded_list))
    return bool(bits[position // 8] & (0x80 >> (position % 8)))


def status_list_credential(number: int, revoked_indexes, *, now: datetime.datetime | None = None) -> dict:
    """The signed status list credential of list `number` with the given (absolute) indexes revoked."""
    key = keys.required_active_key()
    now = (now or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC).replace(microsecond=0)
    url = list_url(number)
    credential = {
        "@context": [dataintegrity.CREDENTIALS_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": keys.issuer_did(),
        "validFrom": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bits(index % LIST_SIZE for index in revoked_indexes),
        },
    }
    return dataintegrity.sign(credential, key=key, verification_method=keys.verification_method_id(key.kid), created=now)


def did_document() -> dict:
    """The platform's DID document: every configured key (old ones too) as a Multikey for assertions."""
    did = keys.issuer_did()
    methods = [
        {
            "id": keys.verification_method_id(key.kid),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.public_key_multibase,
        }
        for key in keys.configured_keys()
    ]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }
