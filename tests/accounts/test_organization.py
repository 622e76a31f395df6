import pytest
from django.core.exceptions import ValidationError

from accounts.models import Organization


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("TNO0503158Z6", "TNO0503158Z6"),  # company (12), check digit right
        ("TNO0503158Z7", "TNO0503158Z7"),  # check digit "wrong": some real RFCs are
        ("mab-930714-8t4", "MAB9307148T4"),  # person's format with dashes, lower case
        ("GODE561231GR8", "GODE561231GR8"),  # a person (13)
        ("", ""),
    ],
)
def test_it_accepts_a_valid_rfc_and_stores_it_compact(db, typed, stored):
    organization = Organization(name="Cliente", rfc=typed)
    organization.full_clean()
    assert organization.rfc == stored


@pytest.mark.parametrize("typed", ["TNO0513158Z6", "ABC", "1234567890123", "TNO050315"])
def test_it_refuses_an_rfc_with_a_wrong_format(db, typed):
    with pytest.raises(ValidationError) as error:
        Organization(name="Cliente", rfc=typed).full_clean()
    assert "no es válido" in str(error.value.message_dict["rfc"])
