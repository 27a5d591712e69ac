"""The offline verifier page and the verification pages' service worker, through the Django test client
(the browser side: tests/e2e/test_offline_verifier.py)."""

import base64
import datetime
import json
import re

import base58
import pytest

from certificates.credentials import keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_keys(settings):
    old, new = keys.new_key(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)), keys.new_key()
    settings.CREDENTIAL_KEYS = keys.serialize_keys([old, new])
    return old, new


def embedded_keys(response) -> dict:
    match = re.search(r'<script id="offline-verifier-keys" type="application/json">(.*?)</script>', response.text, re.S)
    return json.loads(match[1])


def b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_the_offline_page_embeds_every_key_did_json_publishes(client, two_keys):
    response = client.get("/verify/offline/")
    assert response.status_code == 200
    embedded = embedded_keys(response)
    published = {
        method["id"].rpartition("#")[2]: base58.b58decode(method["publicKeyMultibase"][1:])[2:]
        for method in client.get("/.well-known/did.json").json()["verificationMethod"]
    }
    assert set(embedded) == {key.kid for key in two_keys} == set(published)
    for kid, jwk in embedded.items():
        assert (jwk["kty"], jwk["crv"], jwk["kid"]) == ("OKP", "Ed25519", kid)
        assert b64url(jwk["x"]) == published[kid]
    assert "Verifikasi sertifikat tanpa sinyal" in response.text
    # No inline script: the script element holds JSON data only, the code comes from a static file.
    scripts = re.findall(r"<script([^>]*)>", response.text)
    assert all("src=" in attributes or 'type="application/json"' in attributes for attributes in scripts)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_offline_is_not_taken_for_a_verification_code(client):
    response = client.get("/verify/offline/")
    assert response.status_code == 200
    assert "tidak ditemukan" not in response.text.lower()


def test_the_worker_is_scoped_to_verify_and_follows_the_published_keys(client, settings, two_keys):
    response = client.get("/verify/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    assert 'const OFFLINE_URL = "/verify/offline/";' in script
    for asset in ("certificates/offline-verify.js", "certificates/verify-worker-register.js", "css/lms.css"):
        assert asset in script
    version = re.search(r'const CACHE = "pimpasa-verify-(\w+)";', script)[1]
    # A rotated key changes the worker, so browsers keep the new page and its keys.
    rotated = keys.new_key(datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))
    settings.CREDENTIAL_KEYS = keys.serialize_keys([*two_keys, rotated])
    assert re.search(r'const CACHE = "pimpasa-verify-(\w+)";', client.get("/verify/sw.js").content.decode())[1] != version


def test_every_verification_page_installs_the_worker_for_verify_only(client):
    for path in ("/verify/", "/verify/offline/", "/verify/0000000000000000/"):
        response = client.get(path)
        assert 'data-worker="/verify/sw.js" data-scope="/verify/"' in response.text, path
