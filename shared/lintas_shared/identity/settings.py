"""Settings of the token verifier: the trusted issuers and how their keys are cached."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from lintas_shared.identity.principal import Agency

# Asymmetric only: an HMAC algorithm would let anyone holding the public key sign.
ASYMMETRIC_ALGORITHMS = frozenset(
    {"EdDSA", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"}
)


class TrustedIssuer(BaseModel):
    """One identity provider Lintas trusts, and the agencies it may vouch for."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    issuer: str = Field(
        pattern=r"^https?://",
        title="Issuer",
        description="The exact `iss` of its tokens, e.g. https://sso.kemnaker.go.id/realms/x.",
    )
    agencies: frozenset[Agency] = Field(
        min_length=1,
        title="Agencies",
        description="Agencies this issuer speaks for; a token claiming another is refused.",
    )
    audience: str = Field(
        default="lintas",
        min_length=1,
        title="Audience",
        description="The `aud` its tokens must carry for Lintas.",
    )
    discovery_url: str | None = Field(
        default=None,
        title="Discovery URL",
        description="OpenID configuration URL; default: issuer + /.well-known/...",
    )
    jwks_url: str | None = Field(
        default=None,
        title="JWKS URL",
        description="Key set URL; when given, discovery is skipped.",
    )
    client_id: str | None = Field(
        default=None,
        title="Client id",
        description="This service's own client id at the issuer (for outgoing calls).",
    )
    client_secret: SecretStr | None = Field(
        default=None,
        title="Client secret",
        description="This service's own client secret at the issuer.",
    )

    @property
    def discovery(self) -> str:
        """Where the OpenID configuration is fetched from."""
        base = self.issuer.rstrip("/")
        return self.discovery_url or f"{base}/.well-known/openid-configuration"


class IdentitySettings(BaseSettings):
    """Token verification settings (env prefix LINTAS_IDENTITY_, JSON for the list)."""

    model_config = SettingsConfigDict(
        env_prefix="LINTAS_IDENTITY_", extra="ignore", frozen=True
    )

    trusted_issuers: tuple[TrustedIssuer, ...] = Field(
        default=(),
        title="Trusted issuers",
        description="JSON list of issuers: issuer, agencies, audience, discovery_url.",
    )
    algorithms: frozenset[str] = Field(
        default=frozenset({"EdDSA", "RS256", "PS256", "ES256"}),
        title="Allowed algorithms",
        description="Signature algorithms accepted; asymmetric ones only.",
    )
    leeway_seconds: float = Field(
        default=30.0, ge=0, le=300, description="Clock skew tolerated on exp/nbf/iat."
    )
    jwks_cache_seconds: float = Field(
        default=900.0,
        gt=0,
        description="How long fetched keys stay usable, even while the issuer is down.",
    )
    jwks_min_refresh_seconds: float = Field(
        default=30.0,
        ge=0,
        description="At most one key-set refresh per issuer in this time (unknown kid).",
    )
    http_timeout_seconds: float = Field(
        default=5.0, gt=0, description="Timeout of discovery and JWKS requests."
    )

    @field_validator("algorithms")
    @classmethod
    def _asymmetric_only(cls, value: frozenset[str]) -> frozenset[str]:
        wrong = sorted(value - ASYMMETRIC_ALGORITHMS)
        if wrong:
            raise ValueError(f"not allowed (asymmetric only): {', '.join(wrong)}")
        if not value:
            raise ValueError("at least one algorithm is needed")
        return value

    def issuer_for(self, iss: str) -> TrustedIssuer | None:
        """The trusted issuer whose `issuer` is exactly `iss`, if any."""
        return next((t for t in self.trusted_issuers if t.issuer == iss), None)
