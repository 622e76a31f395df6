"""The seed's four password rules, one validator each, each naming what is missing."""

import pytest
from django.core.exceptions import ValidationError

from accounts.validators import (
    DigitValidator,
    MaximumLengthValidator,
    MinimumLengthValidator,
    SymbolValidator,
    UpperAndLowerCaseValidator,
    password_rules,
)


@pytest.mark.parametrize(
    ("validator", "password", "message"),
    [
        (MinimumLengthValidator(8), "Aa1#aaa", "La contraseña es demasiado corta: debe tener al menos 8 caracteres."),
        (UpperAndLowerCaseValidator(), "1234#5678", "Falta una letra mayúscula y una minúscula."),
        (UpperAndLowerCaseValidator(), "abcd#1234", "Falta una letra mayúscula."),
        (UpperAndLowerCaseValidator(), "ABCD#1234", "Falta una letra minúscula."),
        (DigitValidator(), "Abcd#efgh", "Falta un dígito del 0 al 9."),
        (DigitValidator(), "Abcd#efg²", "Falta un dígito del 0 al 9."),
        (SymbolValidator(), "Abcd 1234", "Falta un símbolo, como @ # & %."),
        (MaximumLengthValidator(128), "A" * 129, "La contraseña es demasiado larga: puede tener como máximo 128 caracteres."),
    ],
)
def test_each_rule_names_what_is_missing(validator, password, message):
    with pytest.raises(ValidationError) as error:
        validator.validate(password)
    assert error.value.messages == [message]


@pytest.mark.parametrize(
    "password", ["Aa1#aaaa", "Ññ9@óóóó", "Ab3_cdef", "Ab3-cdef", "Ab3.cdef", "Ab3€cdef", "A" * 60 + "a1%" + " " * 3]
)
def test_it_accepts_what_meets_every_rule(password):
    for validator in [
        MinimumLengthValidator(8),
        UpperAndLowerCaseValidator(),
        DigitValidator(),
        SymbolValidator(),
        MaximumLengthValidator(),
    ]:
        validator.validate(password)


def test_the_page_lists_the_four_rules_in_the_seeds_order():
    assert [rule["rule"] for rule in password_rules()] == ["length", "case", "digit", "symbol"]
    assert password_rules()[0]["text"] == "La contraseña debe tener al menos 8 caracteres."
