"""What a VIN tells about its vehicle: the maker (WMI, positions 1-3) and the model
year (ISO 3779 year code, position 10), through vininfo, a maintained VIN library.

The year code repeats every 30 years (P is 1993 and 2023): we take the latest year
that is not beyond next year's models, which is right for any leased vehicle.
"""

from dataclasses import dataclass

from django.utils import timezone
from vininfo import Vin

from tickets.vehicles import validate_vin

UNKNOWN_MAKERS = {"", "UnsupportedBrand"}


@dataclass(frozen=True)
class DecodedVin:
    vin: str
    maker: str  # "" when the WMI is not in the table
    year: int | None


def model_year(candidates: list[int], *, today=None) -> int | None:
    """The latest of `candidates` (vininfo's years for the code) not after next year."""
    latest_allowed = (today or timezone.localdate()).year + 1
    possible = [year for year in candidates if year <= latest_allowed]
    return max(possible) if possible else None


def decode_vin(value: str, *, today=None) -> DecodedVin:
    """Decode a VIN; raise ValidationError (with the reason, in Spanish) if it is not one."""
    vin = validate_vin(value)
    info = Vin(vin)
    maker = str(info.manufacturer or "")
    return DecodedVin(vin=vin, maker="" if maker in UNKNOWN_MAKERS else maker, year=model_year(list(info.years), today=today))
