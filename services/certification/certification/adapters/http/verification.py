"""The public certificate check: by verification code, rate-limited per client address."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from certification.adapters.http.deps import ContextDep, QueriesDep
from certification.adapters.http.rate_limit import RateLimiter
from certification.adapters.http.views import CertificateVerification
from certification.domain.verification import CODE_LENGTH, canonical_code
from lintas_shared.http.deps import Responses, app_state, problem
from lintas_shared.http.problems import Problem

# 26 base32 characters, any case, with spaces or hyphens anywhere (canonical_code's
# rule written as a schema, so a client or a fuzzer knows what a code looks like).
CODE_PATTERN = rf"^[ -]*(?:[A-Za-z2-7][ -]*){{{CODE_LENGTH}}}$"
router = APIRouter(tags=["public"])
ANSWERS: Responses = {
    404: problem("No certificate has this verification code"),
    422: problem("Not a verification code (26 letters A-Z and digits 2-7)"),
    429: problem("Too many verifications from this address; see Retry-After"),
}
LimiterDep = Annotated[RateLimiter, Depends(app_state("verification_limiter"))]


def _client(request: Request) -> str:
    # The peer address: behind a reverse proxy, that proxy must do the limiting
    # (X-Forwarded-For is not trusted here: any client could send one).
    return request.client.host if request.client else "unknown"


@router.get(
    "/certificates/{code}",
    response_model=CertificateVerification,
    responses=ANSWERS,
    summary="Verify a certificate by its verification code (public, no sign-in)",
)
async def verify_certificate(
    code: Annotated[
        str,
        Path(
            max_length=64,
            pattern=CODE_PATTERN,
            description=(
                "The code on the certificate, 26 base32 characters; case, spaces and"
                " hyphens are ignored."
            ),
        ),
    ],
    request: Request,
    limiter: LimiterDep,
    queries: QueriesDep,
    context: ContextDep,
) -> dict[str, Any]:
    """Status (valid, revoked, expired), trade, issuing BLK, validity and the holder's
    initials. Nothing else: no NIP, no prison, no full name."""
    wait = limiter.take(_client(request))
    if wait:
        raise Problem(
            429,
            "too-many-requests",
            f"too many certificate verifications from this address; retry in {wait} s",
            retryable=True,
            retry_after=wait,
        )
    canonical = canonical_code(code)
    assert canonical is not None  # CODE_PATTERN admits codes only
    found = await queries.verify(canonical, context.clock.today())
    if found is None:
        raise Problem(
            404,
            "certificate-not-found",
            "no certificate has this verification code",
            errors=[{"field": "code", "message": "unknown code"}],
        )
    return found
