"""References to the agencies' units (UPT) carried inside events."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

# Letters, digits and hyphens, never a run of 18 digits: a NIP is 18 digits, and no
# NIP may travel in a unit code (stream ids, Kafka keys, the audit trail refuse one).
UNIT_CODE_PATTERN = (
    r"^(?:[A-Z]|[0-9]{1,17}(?:[A-Z-]|$))(?:[A-Z-]|[0-9]{1,17}(?:[A-Z-]|$))*$"
)


class UnitRef(BaseModel):
    """A Lapas, Rutan or BLK as named when the event happened (names change over time)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(
        min_length=2,
        max_length=64,
        pattern=UNIT_CODE_PATTERN,
        description="Stable unit code, e.g. LAPAS-IIA-PADANG or BPVP-PADANG.",
    )
    name: str = Field(min_length=2, max_length=200, description="Official unit name.")
    province: str = Field(
        min_length=2,
        max_length=100,
        description="Province (Kanwil), e.g. Sumatera Barat.",
    )
