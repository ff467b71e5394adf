"""Identity and authorization: verified principals, trusted issuers, the rules table."""

from lintas_shared.identity.policy import (
    Allowed,
    Decision,
    Denied,
    OfficerScope,
    ScopeKind,
    authorize,
    officer_scope,
)
from lintas_shared.identity.principal import (
    Agency,
    Principal,
    PrincipalKind,
    Role,
    UnitKind,
    principal_claims,
    principal_from_claims,
)
from lintas_shared.identity.rules import Action, Resource
from lintas_shared.identity.settings import IdentitySettings, TrustedIssuer
from lintas_shared.identity.tokens import Refusal, TokenRefused
from lintas_shared.identity.verifier import TokenVerifier

__all__ = [
    "Action",
    "Agency",
    "Allowed",
    "Decision",
    "Denied",
    "IdentitySettings",
    "OfficerScope",
    "Principal",
    "PrincipalKind",
    "Refusal",
    "Resource",
    "Role",
    "ScopeKind",
    "TokenRefused",
    "TokenVerifier",
    "TrustedIssuer",
    "UnitKind",
    "authorize",
    "officer_scope",
    "principal_claims",
    "principal_from_claims",
]
