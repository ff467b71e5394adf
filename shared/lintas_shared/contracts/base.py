"""Base class and vocabularies shared by every versioned integration event."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class IntegrationEvent(BaseModel):
    """A published fact. Frozen, strict about unknown fields, versioned by class."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_name: ClassVar[str]
    version: ClassVar[int]

    @classmethod
    def type_name(cls) -> str:
        """The CloudEvents ``type``: ``lintas.<EventName>.v<version>``."""
        return f"lintas.{cls.event_name}.v{cls.version}"


class Kejuruan(StrEnum):
    """Vocational trade (kejuruan) as used by Kemnaker training centres."""

    MEUBEL = "MEUBEL"
    TEKNIK_LAS = "TEKNIK_LAS"
    BARISTA = "BARISTA"
    PROCESSING = "PROCESSING"
    TATA_KECANTIKAN = "TATA_KECANTIKAN"
    FASHION_TECHNOLOGY = "FASHION_TECHNOLOGY"
    TEKNIK_OTOMOTIF = "TEKNIK_OTOMOTIF"
    TEKNIK_LISTRIK = "TEKNIK_LISTRIK"
    TIK = "TIK"
    REFRIGERASI = "REFRIGERASI"
    BANGUNAN = "BANGUNAN"
    PARIWISATA = "PARIWISATA"
    AGRIBISNIS = "AGRIBISNIS"
    TEKNIK_MANUFAKTUR = "TEKNIK_MANUFAKTUR"


class Track(StrEnum):
    """Whether a package certifies instructors or only reskills."""

    INSTRUCTOR = "INSTRUCTOR"
    RESKILLING = "RESKILLING"


class AssessmentKind(StrEnum):
    """The two tests an instructor candidate takes."""

    TECHNICAL = "TECHNICAL"
    METHODOLOGY = "METHODOLOGY"


class CompetencyResult(StrEnum):
    """K = kompeten (competent), BK = belum kompeten (not yet competent; not final)."""

    K = "K"
    BK = "BK"
