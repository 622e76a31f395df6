"""Vehicle identifiers: the VIN (Número de Serie) and plates (Placas).

Seed 001 asks clients to make sure the serial number is right, so we verify the VIN's
check digit (ISO 3779 with the North American check digit in position 9, which is
what vehicles sold in Mexico carry) instead of only its length.

Both are read the same way (issue 8, point 11): what was typed without its spaces and
hyphens (of any kind: a no-break space, an en dash), upper-cased; then only A-Z and 0-9
may remain. Anything else is refused with a message naming it, look-alikes first: a
Cyrillic "А" or Greek "Ο" that looks like a Latin letter, a full-width "ＡＢＣ１２３"
(NFKC would turn it into ASCII, but the issue lists full-width among the look-alikes to
refuse, so what NFKC would change is refused rather than silently rewritten), a
zero-width space. Stored, any of them would make a plate that looks right and matches
nothing.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from jhl_portal.text import describe_characters

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


def compact_identifier(value: str, *, message: str) -> str:
    """`value` read as a plate or VIN: no spaces or hyphens, upper case, A-Z and 0-9.

    Raises ValidationError(`message` % {"chars": …}) naming whatever else remains.
    """
    text = "".join(char for char in value or "" if not (char.isspace() or unicodedata.category(char) == "Pd"))
    # Checked on what was typed, not on its NFKC form (which makes "Ａ" an "A"), and
    # before upper(): "ı".upper() is an ASCII "I" and "ß".upper() is "SS".
    foreign = [char for char in text if not (char.isascii() and char.isalnum())]
    if foreign:
        raise ValidationError(message % {"chars": describe_characters(foreign)}, code="identifier_characters")
    return text.upper()


def vin_check_digit(vin: str) -> str:
    """The check digit (0-9 or X) that position 9 of a 17-character VIN must hold."""
    total = sum(_TRANSLITERATION[char] * weight for char, weight in zip(vin, _WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def validate_vin(value: str) -> str:
    """Return the normalised VIN or raise a ValidationError that says what is wrong."""
    vin = compact_identifier(
        value,
        message=_(
            "El número de serie (VIN) solo puede llevar letras de la A a la Z y números; revise %(chars)s "
            "(puede ser una letra de otro alfabeto o de ancho completo que se ve igual, o un carácter invisible)."
        ),
    )
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
    if vin[8] != vin_check_digit(vin):
        raise ValidationError(
            _(
                "El número de serie (VIN) no es correcto: su dígito verificador no coincide. Revíselo en la tarjeta de circulación o la factura del vehículo."
            ),
            code="vin_check_digit",
        )
    return vin


def validate_plates(value: str) -> str:
    """Plates in upper case without spaces or dashes ("abc 12-34" → "ABC1234"), or a
    ValidationError naming any character that is not A-Z or 0-9."""
    return compact_identifier(
        value,
        message=_(
            "Las placas solo pueden llevar letras de la A a la Z y números; revise %(chars)s "
            "(puede ser una letra de otro alfabeto o de ancho completo que se ve igual, o un carácter invisible)."
        ),
    )


class IdentifierFormField(forms.CharField):
    """A form field cleaned by `normalizer` (validate_vin, validate_plates) before its
    length is measured, so "3N6-AD33A-7PK-812345" counts as the 17 characters it stands for."""

    def __init__(self, *, normalizer, **kwargs):
        self.normalizer = normalizer
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalizer(value) if value else value


class IdentifierField(models.CharField):
    """A Ticket's VIN or plates: checked and normalised by full_clean() and by every
    form built from the model (the admin's), not only by the portal's form."""

    # Set by subclasses: returns the normalised value or raises ValidationError.
    normalizer = staticmethod(str)

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalizer(value) if value else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": IdentifierFormField, "normalizer": self.normalizer, **kwargs})


class VinField(IdentifierField):
    normalizer = staticmethod(validate_vin)


class PlatesField(IdentifierField):
    normalizer = staticmethod(validate_plates)
