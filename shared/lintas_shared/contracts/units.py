"""References to the agencies' units (UPT) carried inside events."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class UnitRef(BaseModel):
    """A Lapas, Rutan or BLK as named when the event happened (names change over time)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(
        min_length=2,
        max_length=64,
        pattern=r"^[A-Z0-9][A-Z0-9-]*$",
        description="Stable unit code, e.g. LAPAS-IIA-PADANG or BPVP-PADANG.",
    )
    name: str = Field(min_length=2, max_length=200, description="Official unit name.")
    province: str = Field(
        min_length=2,
        max_length=100,
        description="Province (Kanwil), e.g. Sumatera Barat.",
    )
