"""Vehicle identifiers: the VIN (Número de Serie) and plates (Placas).

Seed 001 asks clients to make sure the serial number is right, so we verify the VIN's
check digit (ISO 3779 with the North American check digit in position 9, which is
what vehicles sold in Mexico carry) instead of only its length.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

VIN_LENGTH = 17
_TRANSLITERATION = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def normalize_vin(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "").upper()


def vin_check_digit(vin: str) -> str:
    """The check digit (0-9 or X) that position 9 of a 17-character VIN must hold."""
    total = sum(_TRANSLITERATION[char] * weight for char, weight in zip(vin, _WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def validate_vin(value: str) -> str:
    """Return the normalised VIN or raise a ValidationError that says what is wrong."""
    vin = normalize_vin(value)
    if len(vin) != VIN_LENGTH:
        raise ValidationError(
            _("El número de serie (VIN) debe tener 17 caracteres; tiene %(count)d.") % {"count": len(vin)},
            code="vin_length",
        )
    forbidden = sorted(set(vin) & set("IOQ"))
    if forbidden:
        raise ValidationError(
            _(
                "El número de serie (VIN) no puede contener las letras I, O ni Q (encontramos: %(letters)s). Revise si es un 1 o un 0."
            )
            % {"letters": ", ".join(forbidden)},
            code="vin_letters",
        )
    if not all(char in _TRANSLITERATION for char in vin):
        raise ValidationError(_("El número de serie (VIN) solo puede contener letras y números."), code="vin_chars")
    if vin[8] != vin_check_digit(vin):
        raise ValidationError(
            _(
                "El número de serie (VIN) no es correcto: su dígito verificador no coincide. Revíselo en la tarjeta de circulación o la factura del vehículo."
            ),
            code="vin_check_digit",
        )
    return vin


def normalize_plates(value: str) -> str:
    """Plates in upper case without spaces or dashes ("abc 12-34" → "ABC1234")."""
    return re.sub(r"[\s-]", "", value or "").upper()
