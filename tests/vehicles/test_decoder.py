"""What a VIN says about its vehicle (vininfo), and the ISO 3779 year-code cycle."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tickets.vehicles import vin_check_digit
from vehicles.decoder import decode_vin, model_year

TODAY = datetime.date(2026, 12, 1)


def checked(draft: str) -> str:
    """`draft` with the right check digit in position 9."""
    return draft[:8] + vin_check_digit(draft) + draft[9:]


@pytest.mark.parametrize(
    ("vin", "maker", "year"),
    [
        ("1HGCM82633A004352", "Honda", 2003),
        (checked("3VWFE21C04M000001"), "Volkswagen", 2004),
        (checked("3G1TA5AF0NL123456"), "Chevrolet", 2022),
        (checked("1FTFW1E50NFA00001"), "Ford", 2022),
    ],
)
def test_it_decodes_the_maker_and_model_year(vin, maker, year):
    decoded = decode_vin(vin, today=TODAY)
    assert (decoded.vin, decoded.maker, decoded.year) == (vin, maker, year)


def test_it_normalises_what_the_client_typed():
    assert decode_vin(" 1hgcm8263-3a004352 ", today=TODAY).vin == "1HGCM82633A004352"


def test_an_unknown_maker_is_blank_not_a_placeholder():
    assert decode_vin(checked("ZZZAD33A0PK812345"), today=TODAY).maker == ""


@pytest.mark.parametrize("vin", ["1HGCM82643A004352", "123", "1HGCM826O3A004352"])
def test_an_invalid_vin_says_why(vin):
    with pytest.raises(ValidationError):
        decode_vin(vin, today=TODAY)


@pytest.mark.parametrize(
    ("candidates", "today", "expected"),
    [
        ([2023, 1993], TODAY, 2023),
        ([2027, 1997], TODAY, 2027),  # next year's models are sold this year
        ([2028, 1998], TODAY, 1998),  # two years ahead cannot be: the earlier cycle
        ([2003], TODAY, 2003),
        ([], TODAY, None),
    ],
)
def test_the_model_year_is_the_latest_possible_one(candidates, today, expected):
    assert model_year(candidates, today=today) == expected
