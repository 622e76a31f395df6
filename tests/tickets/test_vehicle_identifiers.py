"""Placas and Número de Serie (VIN) read the same everywhere (issue 8, point 11): no
spaces or hyphens, upper case, and then only A-Z and 0-9; look-alike letters of other
alphabets, full-width letters and digits and invisible characters are refused with a
message naming them."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.admin_pages import save_ticket_page
from tests.factories import make_ticket
from tickets.models import Ticket
from tickets.vehicles import validate_plates, validate_vin

GOOD_VIN = "3N6AD33A7PK812345"
CYRILLIC_A = "\u0410"  # А
GREEK_O = "\u039f"  # Ο
ZERO_WIDTH_SPACE = "\u200b"


def fullwidth(text: str) -> str:
    return "".join(chr(ord(char) + 0xFEE0) for char in text)


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("RFA1234", "RFA1234"),
        ("rfa 12-34", "RFA1234"),
        ("RFA\u00a01234", "RFA1234"),  # a no-break space from a pasted document
        ("RFA–1234", "RFA1234"),  # an en dash from a word processor
        ("RFA\u30001234", "RFA1234"),  # an ideographic space is a space
        ("RFA\uff0d1234", "RFA1234"),  # so is a full-width hyphen a hyphen
    ],
)
def test_plates_are_compacted_to_ascii_letters_and_digits(typed, stored):
    assert validate_plates(typed) == stored


@pytest.mark.parametrize(
    "typed, named",
    [
        (f"RF{CYRILLIC_A}1234", "«А» (U+0410)"),
        (f"RFA1234{GREEK_O}", "«Ο» (U+039F)"),
        (f"RFA{ZERO_WIDTH_SPACE}1234", "U+200B"),
        ("RFA1234\u202e", "U+202E"),
        ("ÑFA1234", "«Ñ» (U+00D1)"),
        ("RFAı234", "«ı» (U+0131)"),  # Turkish dotless i: upper() would make it an ASCII "I"
        ("RFA.1234", "«.» (U+002E)"),
        (fullwidth("RFA1234"), "«Ｒ» (U+FF32), «Ｆ» (U+FF26), «Ａ» (U+FF21), «１» (U+FF11)"),
        ("RFA123" + fullwidth("4"), "«４» (U+FF14)"),  # NFKC would make it a "4": refused, not rewritten
        ("ＡBC123", "«Ａ» (U+FF21)"),
    ],
)
def test_plates_with_look_alikes_or_invisible_characters_are_refused_by_name(typed, named):
    with pytest.raises(ValidationError) as refused:
        validate_plates(typed)
    assert named in refused.value.messages[0]
    assert refused.value.messages[0].startswith("Las placas solo pueden llevar letras de la A a la Z y números")


@pytest.mark.parametrize(
    "typed",
    [GOOD_VIN.lower(), "3N6-AD33A-7PK-812345", f" {GOOD_VIN} "],
)
def test_a_vin_is_read_the_same_way(typed):
    assert validate_vin(typed) == GOOD_VIN


@pytest.mark.parametrize(
    "typed, named",
    [
        (GOOD_VIN.replace("A", CYRILLIC_A, 1), "«А» (U+0410)"),
        (GOOD_VIN[:5] + ZERO_WIDTH_SPACE + GOOD_VIN[5:], "U+200B"),
        (GOOD_VIN[:16] + "\u0665", "«٥» (U+0665)"),  # an Arabic-Indic five
        (fullwidth(GOOD_VIN), "«３» (U+FF13)"),
        (GOOD_VIN[:16] + fullwidth("5"), "«５» (U+FF15)"),
    ],
)
def test_a_vin_with_look_alikes_is_refused_by_name_not_by_length(typed, named):
    with pytest.raises(ValidationError) as refused:
        validate_vin(typed)
    message = refused.value.messages[0]
    assert named in message
    assert "17 caracteres" not in message


@pytest.mark.django_db
class TestWhereTicketsAreWritten:
    def test_the_portal_form_refuses_a_cyrillic_plate_and_keeps_what_was_typed(self, client, client_a):
        client.force_login(client_a)
        plates = f"RF{CYRILLIC_A}1234"
        response = client.post(
            reverse("portal:ticket_new"),
            {
                "contact_name": "Ana García",
                "area": "siniestros",
                "subject": "Golpe",
                "description": "Golpe en defensa",
                "vehicle_plates": plates,
                "vehicle_vin": GOOD_VIN.replace("A", CYRILLIC_A, 1),
                "client_token": str(uuid.uuid4()),
            },
        )
        assert response.status_code == 400
        form = response.context["form"]
        assert "«А» (U+0410)" in form.errors["vehicle_plates"][0]
        assert "«А» (U+0410)" in form.errors["vehicle_vin"][0]
        assert form["vehicle_plates"].value() == plates
        assert not Ticket.objects.exists()

    def test_the_admin_form_normalises_and_refuses_the_same_way(self, client, staff_seguros, ticket_a):
        client.force_login(staff_seguros)
        ticket_a.vehicle_plates = "nlb-4521"
        ticket_a.vehicle_vin = "3n6-ad33a-7pk-812345"
        assert save_ticket_page(client, ticket_a).status_code == 302
        ticket_a.refresh_from_db()
        assert (ticket_a.vehicle_plates, ticket_a.vehicle_vin) == ("NLB4521", GOOD_VIN)

        for typed, named in ((f"NLB{ZERO_WIDTH_SPACE}4521", "U+200B"), (fullwidth("NLB-4521"), "«Ｎ» (U+FF2E)")):
            ticket_a.vehicle_plates = typed
            response = save_ticket_page(client, ticket_a)
            assert response.status_code == 200
            assert named in str(response.context["adminform"].form.errors["vehicle_plates"])
            ticket_a.refresh_from_db()
            assert ticket_a.vehicle_plates == "NLB4521"

    def test_the_service_checks_them_too(self, client_a):
        ticket = make_ticket(requester=client_a, vehicle={"vehicle_plates": "abc-123-d", "vehicle_vin": GOOD_VIN.lower()})
        assert (ticket.vehicle_plates, ticket.vehicle_vin) == ("ABC123D", GOOD_VIN)
        for plates in (f"ABC{CYRILLIC_A}123", fullwidth("ABC123")):
            with pytest.raises(ValidationError) as refused:
                make_ticket(requester=client_a, vehicle={"vehicle_plates": plates})
            assert "vehicle_plates" in refused.value.message_dict
