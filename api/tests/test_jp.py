"""JP per officer and year, and SIASN-shaped records: the HR JP ledger's figures, narrowed to the client's agency."""

import pytest

from api.tests.builders import bearer, make_api_client, make_token
from hr.tests.builders import make_world

pytestmark = pytest.mark.django_db


def test_jp_and_siasn_records_follow_the_ledger_and_the_clients_agency(client):
    world = make_world()
    certificate = world.certificates["budi_a"]  # Imigrasi's course, this year
    year = certificate.issued_on.year
    nip = world.budi.officer_profile.nip
    callers = {
        "central": make_api_client(name="Pusat", scopes="progress:read"),
        "imigrasi": make_api_client(name="Imigrasi", agency=world.imigrasi, scopes="progress:read"),
        "polri": make_api_client(name="Polri", agency=world.polri, scopes="progress:read"),
    }
    jp, siasn = {}, {}
    for name, api_client in callers.items():
        headers = bearer(make_token(api_client))
        response = client.get(f"/api/v1/officers/{nip}/jp", {"year": year}, **headers)
        assert response.status_code == 200, response.content
        jp[name] = response.json()
        response = client.get(f"/api/v1/officers/{nip}/siasn-records", {"year": year}, **headers)
        assert response.status_code == 200, response.content
        siasn[name] = response.json()["items"]

    assert jp["imigrasi"]["jp_earned"] == certificate.lesson_hours > 0
    assert jp["imigrasi"]["agency"] == "IMI" and jp["central"]["agency"] is None
    assert jp["central"]["jp_earned"] == jp["imigrasi"]["jp_earned"] + jp["polri"]["jp_earned"]
    assert jp["central"]["shortfall"] == max(jp["central"]["jp_target"] - jp["central"]["jp_earned"], 0)
    record = next(item for item in siasn["imigrasi"] if item["nomorSertipikat"] == certificate.serial)
    assert record["nip"] == nip and record["jumlahJam"] == certificate.lesson_hours
    assert record["tanggalSelesaiKursus"] == certificate.issued_on.strftime("%d-%m-%Y")
    assert record["tahunKursus"] == year
    assert certificate.serial not in {item["nomorSertipikat"] for item in siasn["polri"]}
    assert len(siasn["central"]) == len(siasn["imigrasi"]) + len(siasn["polri"])


def test_an_unknown_officer_is_a_404_problem(client):
    headers = bearer(make_token(make_api_client(name="Pusat", scopes="progress:read")))
    response = client.get("/api/v1/officers/199001012015032099/jp", **headers)
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
