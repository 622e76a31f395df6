"""The password rules of seed 001 ("¿Cómo acceder al Portal de Clientes?"), one validator each.

- La contraseña debe tener al menos 8 caracteres.
- Debe incluir, al menos, alguna letra en mayúscula y alguna en minúscula.
- Debe incluir al menos un dígito del 0 al 9.
- Y debe incluir al menos un símbolo (como pueden ser: @, #, &, %, etc.).

One validator per rule so that a refused password gets one message per missing rule,
each naming exactly what is missing. They are listed in AUTH_PASSWORD_VALIDATORS next to
Django's common-password and similarity validators. The same four rules are listed on the
set-password page and ticked live by static/js/password-policy.js; ``password_rules()``
gives the page their texts and the keys the script matches on.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator:
    rule = "length"

    def __init__(self, min_length: int = 8):
        self.min_length = min_length

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                ngettext(
                    "La contraseña es demasiado corta: debe tener al menos %(min_length)d carácter.",
                    "La contraseña es demasiado corta: debe tener al menos %(min_length)d caracteres.",
                    self.min_length,
                ),
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self) -> str:
        return ngettext(
            "La contraseña debe tener al menos %(min_length)d carácter.",
            "La contraseña debe tener al menos %(min_length)d caracteres.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UpperAndLowerCaseValidator:
    rule = "case"

    def validate(self, password: str, user=None) -> None:
        has_upper = any(char.isupper() for char in password)
        has_lower = any(char.islower() for char in password)
        if not has_upper and not has_lower:
            message = _("Falta una letra mayúscula y una minúscula.")
        elif not has_upper:
            message = _("Falta una letra mayúscula.")
        elif not has_lower:
            message = _("Falta una letra minúscula.")
        else:
            return
        raise ValidationError(message, code="password_no_upper_lower")

    def get_help_text(self) -> str:
        return _("Debe incluir, al menos, alguna letra en mayúscula y alguna en minúscula.")


class DigitValidator:
    rule = "digit"

    def validate(self, password: str, user=None) -> None:
        # Only 0-9: str.isdigit() would also accept other scripts' digits ("٣", "²").
        if not any("0" <= char <= "9" for char in password):
            raise ValidationError(_("Falta un dígito del 0 al 9."), code="password_no_digit")

    def get_help_text(self) -> str:
        return _("Debe incluir al menos un dígito del 0 al 9.")


def is_symbol(char: str) -> bool:
    """A character that is neither a letter, a digit nor white space (@ # & % … ñ is a letter)."""
    return not (char.isalnum() or char.isspace())


class SymbolValidator:
    rule = "symbol"

    def validate(self, password: str, user=None) -> None:
        if not any(is_symbol(char) for char in password):
            raise ValidationError(_("Falta un símbolo, como @ # & %."), code="password_no_symbol")

    def get_help_text(self) -> str:
        return _("Debe incluir al menos un símbolo (como @, #, &, %, etc.).")


class MaximumLengthValidator:
    """Caps the length well above what anyone types (ASVS asks for at least 64), so a
    megabyte-long "password" cannot tie up the hasher."""

    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                _("La contraseña es demasiado larga: puede tener como máximo %(max_length)d caracteres."),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        return ""


def password_rules() -> list[dict]:
    """The seed's rules as configured, for the page: [{"rule": "length", "text": ..., "min_length": 8}, …]."""
    from django.contrib.auth.password_validation import get_default_password_validators

    rules = []
    for validator in get_default_password_validators():
        rule = getattr(validator, "rule", None)
        if rule:
            rules.append({"rule": rule, "text": validator.get_help_text(), "min_length": getattr(validator, "min_length", None)})
    return rules
