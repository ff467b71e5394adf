"""Make the broker's ACLs exactly the `kafka_acls` table, over Kafka's admin protocol.

aiokafka 0.14's admin client has no ACL calls, but its protocol module has the
CreateAcls/DescribeAcls/DeleteAcls structs (v1, which Kafka 4.x still serves): these
requests batch them and go through aiokafka's own client, SASL included.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from aiokafka.client import AIOKafkaClient
from aiokafka.errors import for_code
from aiokafka.protocol.admin import (
    CreateAclsRequest_v1,
    DeleteAclsRequest_v1,
    DescribeAclsRequest,
)
from aiokafka.protocol.api import Request

from lintas_deploy.kafka_acls import AclBinding, acl_bindings
from lintas_shared.kafka_security import KafkaSecurity, aiokafka_options

ANY = 1  # the ANY code of every ACL enum in a filter


class _CreateAcls(Request[CreateAclsRequest_v1]):
    API_KEY = 30

    def __init__(self, bindings: Iterable[AclBinding]) -> None:
        self._rows = [_row(b) for b in sorted(bindings)]

    def build(
        self, request_struct_class: type[CreateAclsRequest_v1]
    ) -> CreateAclsRequest_v1:
        return request_struct_class(self._rows)


class _DeleteAcls(Request[DeleteAclsRequest_v1]):
    API_KEY = 31

    def __init__(self, bindings: Iterable[AclBinding]) -> None:
        self._rows = [_row(b) for b in sorted(bindings)]

    def build(
        self, request_struct_class: type[DeleteAclsRequest_v1]
    ) -> DeleteAclsRequest_v1:
        return request_struct_class(self._rows)


def _row(b: AclBinding) -> tuple[int, str, int, str, str, int, int]:
    return (
        b.resource,
        b.name,
        b.pattern,
        b.principal,
        b.host,
        b.operation,
        b.permission,
    )


@dataclass(frozen=True)
class AclChanges:
    """What `ensure_acls` did: rules added and rules removed."""

    created: frozenset[AclBinding]
    deleted: frozenset[AclBinding]


async def ensure_acls(
    bootstrap: str,
    admin: KafkaSecurity,
    wanted: set[AclBinding] | None = None,
) -> AclChanges:
    """Create missing rules, delete every other one; a second run changes nothing."""
    target = acl_bindings() if wanted is None else wanted
    client = AIOKafkaClient(
        bootstrap_servers=bootstrap,
        client_id="lintas-deploy-acls",
        request_timeout_ms=30000,
        **aiokafka_options(admin),
    )
    await client.bootstrap()
    try:
        node = client.get_random_node()
        current = await _describe(client, node)
        extra, missing = current - target, target - current
        if missing:
            response = await client.send(node, _CreateAcls(missing))
            for code, message in response.creation_responses:
                _check(code, message, "creating an ACL")
        if extra:
            response = await client.send(node, _DeleteAcls(extra))
            for code, message, _ in response.filter_responses:
                _check(code, message, "deleting an ACL")
        return AclChanges(frozenset(missing), frozenset(extra))
    finally:
        await client.close()


async def describe_acls(bootstrap: str, admin: KafkaSecurity) -> set[AclBinding]:
    """Every rule the broker holds now."""
    client = AIOKafkaClient(
        bootstrap_servers=bootstrap, request_timeout_ms=30000, **aiokafka_options(admin)
    )
    await client.bootstrap()
    try:
        return await _describe(client, client.get_random_node())
    finally:
        await client.close()


async def _describe(client: AIOKafkaClient, node: int) -> set[AclBinding]:
    request = DescribeAclsRequest(ANY, None, ANY, None, None, ANY, ANY)
    response = await client.send(node, request)
    _check(response.error_code, response.error_message, "describing ACLs")
    found = set()
    for resource, name, pattern, acls in response.resources:
        for principal, host, operation, permission in acls:
            found.add(
                AclBinding(
                    resource, name, pattern, principal, operation, host, permission
                )
            )
    return found


def _check(code: int, message: str | None, what: str) -> None:
    if code != 0:
        raise for_code(code)(f"{what}: {message}")
