"""Data Integrity proofs, cryptosuite eddsa-rdfc-2022 (https://www.w3.org/TR/vc-di-eddsa/#eddsa-rdfc-2022).

Canonicalisation is pyld's RDF Dataset Canonicalization (URDNA2015, the algorithm RDFC-1.0
standardised), signatures are cryptography's Ed25519. Every context comes from the files bundled
in contexts/ through an offline document loader: signing and verifying never reach the network,
and a document naming any other context is refused.
"""

import base64
import datetime
import functools
import hashlib
import json
from pathlib import Path

import base58
from cryptography.exceptions import InvalidSignature
from pyld import jsonld

CONTEXT_DIR = Path(__file__).resolve().parent / "contexts"
CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OPEN_BADGES_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
CONTEXT_FILES = {
    CREDENTIALS_V2: "credentials-v2.jsonld",
    OPEN_BADGES_V3: "ob-v3p0-context-3.0.3.json",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
}
CRYPTOSUITE = "eddsa-rdfc-2022"


class ProofError(ValueError):
    pass


@functools.cache
def _context_document(url: str) -> dict:
    return json.loads((CONTEXT_DIR / CONTEXT_FILES[url]).read_text(encoding="utf-8"))


def document_loader(url: str, options=None) -> dict:
    """pyld's document loader: the bundled contexts only, never the network."""
    if url not in CONTEXT_FILES:
        raise jsonld.JsonLdError(
            f"Context {url} is not bundled (certificates/credentials/contexts).", "jsonld.LoadDocumentError",
            code="loading document failed",
        )
    # "static": pyld keeps the processed context (by URL) in its process-wide cache, not once per call.
    return {"contextUrl": None, "documentUrl": url, "document": _context_document(url), "tag": "static"}


def canonize(document: dict) -> str:
    """The document's canonical N-Quads (URDNA2015 / RDFC-1.0)."""
    return jsonld.normalize(
        document,
        {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": document_loader, "safe": True},
    )


def _hash_data(document: dict, proof_config: dict) -> bytes:
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    config = {"@context": document["@context"], **{k: v for k, v in proof_config.items() if k != "proofValue"}}
    return hashlib.sha256(canonize(config).encode()).digest() + hashlib.sha256(canonize(unsigned).encode()).digest()


def sign(document: dict, *, key, verification_method: str, created: datetime.datetime | None = None) -> dict:
    """The document with a DataIntegrityProof (eddsa-rdfc-2022, assertionMethod) by `key` (an IssuerKey)."""
    created = (created or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC).replace(microsecond=0)
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(_hash_data(document, proof))
    return {**document, "proof": {**proof, "proofValue": "z" + base58.b58encode(signature).decode()}}


def verify(document: dict, public_keys_by_method: dict) -> bool:
    """Does the document's proof verify with the public key its verificationMethod names?"""
    proof = document.get("proof")
    if not isinstance(proof, dict) or proof.get("cryptosuite") != CRYPTOSUITE or proof.get("type") != "DataIntegrityProof":
        return False
    public_key = public_keys_by_method.get(proof.get("verificationMethod"))
    value = proof.get("proofValue", "")
    if public_key is None or not isinstance(value, str) or not value.startswith("z"):
        return False
    try:
        public_key.verify(base58.b58decode(value[1:]), _hash_data(document, proof))
    except (InvalidSignature, ValueError, jsonld.JsonLdError):
        return False
    return True


def multibase_base64url(data: bytes) -> str:
    """Multibase 'u' (base64url, no padding), as the Bitstring Status List encodes its list."""
    return "u" + base64.urlsafe_b64encode(data).decode().rstrip("=")


def from_multibase_base64url(value: str) -> bytes:
    if not value.startswith("u"):
        raise ValueError("not a base64url multibase value")
    body = value[1:]
    return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
