"""HTTP API behaviour over the in-memory store: problems, idempotency keys, the actor."""

from __future__ import annotations

from uuid import UUID

import pytest

from tests.unit.enrollment import factories as f
from tests.unit.enrollment.api import NATIONAL_READER, memory_api
from tests.unit.enrollment.identity import blk_operator, lapas_operator

pytestmark = pytest.mark.unit


async def test_a_command_without_a_bearer_token_is_401_and_writes_nothing() -> None:
    h = f.Harness()
    async with memory_api(h) as api:
        blk = f.blk()
        body = f.open_package(blk).model_dump(mode="json")
        claimed = {"X-Actor-Agency": "KEMNAKER", "X-Actor-Unit": blk.code}
        response = await api.client.post("/packages", json=body, headers=claimed)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == 'Bearer realm="lintas"'
    assert response.json()["errors"][0]["field"] == "Authorization"
    assert await h.events() == []


async def test_another_lapas_cannot_enrol_an_officer_and_the_denial_is_audited() -> (
    None
):
    h = f.Harness()
    async with memory_api(h) as api:
        s = await api.scene()
        body = f.enrol(s.package_id, s.lapas.code).model_dump(
            mode="json", exclude={"package_id"}
        )
        events = await h.events()
        response = await api.client.post(
            f"/packages/{s.package_id}/enrollments",
            json=body,
            headers=lapas_operator("LAPAS-IIA-BUKITTINGGI"),
        )
    assert response.status_code == 403
    assert response.json()["type"].endswith("/lapas-acts-for-own-officers")
    assert await h.events() == events
    denied = h.audit.entries_written[-1]
    assert (denied.outcome, denied.unit) == ("denied", "LAPAS-IIA-BUKITTINGGI")
    assert denied.scope["lapas"] == s.lapas.code


async def test_actor_and_correlation_id_are_kept_in_the_event_metadata() -> None:
    h = f.Harness()
    async with memory_api(h) as api:
        s = await api.scene()
        # Self-declared actor headers are ignored: the actor is the principal.
        claimed = {"X-Actor-Agency": "HACKER", "X-Actor-Unit": "LAPAS-LAIN"}
        response = await api.client.post(
            f"/packages/{s.package_id}/enrollments",
            json={
                "nip": f.nip(),
                "name": "Rina Marlina",
                "position": "Staf Pembinaan",
                "lapas_code": s.lapas.code,
            },
            headers=lapas_operator(s.lapas.code)
            | claimed
            | {"X-Correlation-Id": "corr-123"},
        )
    assert response.status_code == 201, response.text
    event = h.store.outbox[-1][2]
    assert (event.metadata.actor_agency, event.metadata.actor_unit) == (
        "DITJENPAS",
        s.lapas.code,
    )
    assert event.metadata.actor_subject
    assert event.metadata.correlation_id == "corr-123"


async def test_a_retry_with_the_same_key_returns_the_first_result_and_writes_nothing() -> (
    None
):
    h = f.Harness()
    async with memory_api(h) as api:
        s = await api.scene()
        nip = f.nip()
        first = await api.enrol(s.package_id, s.lapas.code, key="enrol-0001", nip=nip)
        events = await h.events()
        again = await api.enrol(s.package_id, s.lapas.code, key="enrol-0001", nip=nip)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await h.events() == events


async def test_the_same_key_with_another_body_is_refused() -> None:
    h = f.Harness()
    async with memory_api(h) as api:
        s = await api.scene()
        await api.enrol(s.package_id, s.lapas.code, key="enrol-0002")
        events = await h.events()
        other = await api.enrol(s.package_id, s.lapas.code, key="enrol-0002")
    assert other.status_code == 422
    assert other.json()["type"].endswith("/idempotency-key-reused")
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert await h.events() == events


async def test_keys_are_scoped_to_the_acting_unit() -> None:
    async with memory_api() as api:
        blk, aceh = f.blk(), f.blk("BPVP-BANDA-ACEH")
        body = f.open_package(blk).model_dump(mode="json")
        other = f.open_package(aceh).model_dump(mode="json")
        key = {"Idempotency-Key": "package-0001"}
        first = await api.client.post(
            "/packages", json=body, headers=blk_operator(blk.code) | key
        )
        second = await api.client.post(
            "/packages", json=other, headers=blk_operator(aceh.code) | key
        )
    assert first.status_code == second.status_code == 201
    assert first.json()["package_id"] != second.json()["package_id"]


async def test_an_invalid_nip_is_a_422_naming_the_field_and_rule() -> None:
    async with memory_api() as api:
        s = await api.scene()
        response = await api.enrol(s.package_id, s.lapas.code, nip="198713152010121003")
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "https://lintas.example.go.id/problems/nip-birth-date"
    assert problem["errors"] == [
        {
            "rule": "nip-birth-date",
            "field": "nip",
            "message": "digits 1-8 are not a real birth date",
        }
    ]


async def test_a_full_package_answers_409_seats_exhausted() -> None:
    async with memory_api() as api:
        s = await api.scene(seats=1)
        assert (await api.enrol(s.package_id, s.lapas.code)).status_code == 201
        response = await api.enrol(s.package_id, s.lapas.code)
    assert response.status_code == 409
    assert response.json()["type"].endswith("/seats-exhausted")
    assert response.json()["errors"][0]["field"] == "package_id"


async def test_an_unknown_package_is_a_404_problem() -> None:
    async with memory_api() as api:
        s = await api.scene()
        enrol = await api.enrol(UUID(int=5), s.lapas.code)
        get = await api.client.get(f"/packages/{UUID(int=5)}", headers=NATIONAL_READER)
    assert enrol.status_code == get.status_code == 404
    assert enrol.json()["errors"][0]["field"] == "package_id"
    assert get.headers["content-type"] == "application/problem+json"


async def test_a_malformed_body_is_a_422_naming_each_field() -> None:
    async with memory_api() as api:
        body = f.open_package(f.blk()).model_dump(mode="json") | {"seats": 0}
        del body["title"]
        headers = blk_operator(body["blk"]["code"])
        response = await api.client.post("/packages", json=body, headers=headers)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"title", "seats"}


async def test_rule_refusals_for_package_terms_name_every_field() -> None:
    async with memory_api() as api:
        response = await api.open(
            f.blk(), start_date="2027-02-01", end_date="2027-01-01", skkni_units=["x"]
        )
    assert response.status_code == 422
    assert {(e["rule"], e["field"]) for e in response.json()["errors"]} == {
        ("package-dates-ordered", "end_date"),
        ("skkni-unit-code", "skkni_units[0]"),
    }


async def test_the_api_is_documented_by_openapi() -> None:
    async with memory_api() as api:
        spec = await api.get("/openapi.json")
        docs = await api.client.get("/docs")
    assert docs.status_code == 200
    assert {
        "/agreements",
        "/agreements/{agreement_id}/termination",
        "/packages",
        "/packages/{package_id}/cancellation",
        "/packages/{package_id}/closure",
        "/packages/{package_id}/enrollments",
        "/packages/{package_id}/enrollments/{enrollment_id}/withdrawal",
        "/packages/{package_id}/roster",
        "/officers/{nip}/enrollments",
        "/blks/{blk_code}/packages",
    } <= set(spec["paths"])
    params = spec["paths"]["/packages/{package_id}/enrollments"]["post"]["parameters"]
    required = {p["name"]: p["required"] for p in params if p["in"] == "header"}
    assert "X-Actor-Agency" not in required and "X-Actor-Unit" not in required
    assert "authorization" in {name.lower() for name in required}
    assert required["Idempotency-Key"] is False


async def test_an_agreement_takes_effect_only_when_both_parties_have_signed() -> None:
    h = f.Harness()
    async with memory_api(h) as api:
        lapas, blk = f.lapas(), f.blk()
        signed = (await api.sign(lapas, blk)).json()
        package = (await api.open(blk)).json()["package_id"]
        early = await api.enrol(package, lapas.code)
        outsider = await api.client.post(
            f"/agreements/{signed['agreement_id']}/signature",
            headers=lapas_operator("LAPAS-IIA-BUKITTINGGI"),
        )
        again_by_blk = await api.client.post(
            f"/agreements/{signed['agreement_id']}/signature",
            headers=blk_operator(blk.code),
        )
        countersigned = await api.countersign(signed["agreement_id"])
        twice = await api.countersign(signed["agreement_id"])
        enrolled = await api.enrol(package, lapas.code)
    assert early.status_code == 409
    assert f"until {lapas.code} has signed it" in early.json()["detail"]
    assert outsider.status_code == 403
    assert outsider.json()["type"].endswith("/party-acts-on-own-agreement")
    assert again_by_blk.status_code == 409
    assert again_by_blk.json()["type"].endswith("/party-signs-once")
    assert countersigned.status_code == 200, countersigned.text
    assert countersigned.json()["in_force"] is True
    assert twice.status_code == 409
    assert enrolled.status_code == 201, enrolled.text
    # The signatures are the service's own record: only AgreementSigned is published.
    published = [e.type for _, _, e in h.store.outbox]
    assert published.count("lintas.AgreementSigned.v1") == 1
    assert not any(t.startswith("enrollment.") for t in published)
