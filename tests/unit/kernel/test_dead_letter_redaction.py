"""Dead-lettered commands never carry the sender's bearer token."""

import json

from lintas_shared.messaging.command_messages import REDACTED, without_credentials


def test_redacts_the_access_token_of_a_command_envelope() -> None:
    body = {"message_id": "m-1", "command": "EnrolOfficer", "access_token": "eyJ.x.y"}
    redacted = json.loads(without_credentials(json.dumps(body).encode()))
    assert redacted["access_token"] == REDACTED
    assert {k: v for k, v in redacted.items() if k != "access_token"} == {
        "message_id": "m-1",
        "command": "EnrolOfficer",
    }


def test_keeps_a_body_that_is_not_an_envelope_byte_for_byte() -> None:
    for raw in (b"\x00garbage", b"[1, 2]", b'{"no_token": true}', b""):
        assert without_credentials(raw) == raw


def test_treats_a_missing_body_as_empty() -> None:
    assert without_credentials(None) == b""
