"""The credential signing keys: created and rotated by a command, read from a 0600 file, never the database."""

import json
import stat

import pytest
from django.core.management import CommandError, call_command

from certificates.credentials import keys


@pytest.fixture
def key_file(tmp_path, settings):
    path = tmp_path / "secret" / "credential-keys.json"
    settings.CREDENTIAL_KEYS_FILE = str(path)
    settings.PUBLIC_BASE_URL = "https://lms.example.go.id"
    return path


def test_no_key_configured_means_no_active_key_and_a_clear_error():
    assert keys.active_key() is None
    with pytest.raises(keys.CredentialKeyError, match="create_credential_key"):
        keys.required_active_key()


def test_the_command_creates_a_private_file_and_keeps_it_on_a_second_call(key_file):
    call_command("create_credential_key")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    first = keys.active_key()
    assert first is not None and first.kid.startswith("key-")
    before = key_file.read_text()
    call_command("create_credential_key")
    assert key_file.read_text() == before
    assert keys.active_key().kid == first.kid


def test_rotation_adds_a_new_active_key_and_keeps_the_old_one_published(key_file):
    call_command("create_credential_key")
    old = keys.active_key()
    call_command("create_credential_key", rotate=True)
    new = keys.active_key()
    assert new.kid != old.kid
    published = keys.public_keys()
    assert list(published) == [old.kid, new.kid]
    assert published[old.kid].public_bytes_raw() == old.public_key.public_bytes_raw()
    signature = new.sign(b"data")
    published[new.kid].verify(signature, b"data")  # raises when it does not verify


def test_a_broken_file_is_refused_and_left_alone(key_file):
    key_file.parent.mkdir(parents=True)
    key_file.write_text(json.dumps({"keys": [{"kid": "a", "created": "2026-01-01T00:00:00Z", "privateKeyMultibase": "zx"}]}))
    with pytest.raises(CommandError, match="left alone"):
        call_command("create_credential_key", rotate=True)
    with pytest.raises(keys.CredentialKeyError, match="cannot be read"):
        keys.active_key()


def test_a_missing_file_names_the_command(settings, tmp_path):
    settings.CREDENTIAL_KEYS_FILE = str(tmp_path / "absent.json")
    with pytest.raises(keys.CredentialKeyError, match="create_credential_key"):
        keys.active_key()


def test_the_did_and_verification_method_follow_the_public_address(key_file, settings):
    settings.PUBLIC_BASE_URL = "http://127.0.0.1:8190"
    assert keys.issuer_did() == "did:web:127.0.0.1%3A8190"
    assert keys.verification_method_id("key-1") == "did:web:127.0.0.1%3A8190#key-1"


def test_keys_come_from_the_environment_text_too(settings, key_file):
    call_command("create_credential_key")
    settings.CREDENTIAL_KEYS = key_file.read_text()
    settings.CREDENTIAL_KEYS_FILE = ""
    assert keys.active_key() is not None
    assert keys.public_key_from_multibase(keys.active_key().public_key_multibase).public_bytes_raw() == (
        keys.active_key().public_key.public_bytes_raw()
    )
