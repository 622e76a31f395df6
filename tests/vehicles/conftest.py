import pytest

from tests.factories import make_ticket

VIN = "3N6AD33A7PK812345"  # check digit right (tests/e2e/test_portal.py)
NISSAN = {
    "vehicle_brand": "Nissan",
    "vehicle_line": "NP300",
    "vehicle_year": 2023,
    "vehicle_vin": VIN,
    "vehicle_plates": "RFA1234",
}


@pytest.fixture
def fleet(client_a, colleague_a, client_b, staff_seguros):
    """One vehicle of Transportes del Norte in three areas (one ticket closed), a van
    known only by its plates, and the same VIN on another company's ticket."""
    seguros = make_ticket(requester=client_a, area="seguros", subject="Póliza de la NP300", vehicle=NISSAN)
    gestoria = make_ticket(requester=colleague_a, area="gestorias", subject="Verificación NP300", vehicle=NISSAN)
    siniestro = make_ticket(
        requester=client_a, area="siniestros", subject="Golpe en defensa", vehicle={**NISSAN, "vehicle_color": "Blanco"}
    )
    siniestro.move_to(siniestro.area.stages.closed().get(), by=staff_seguros)
    van = make_ticket(
        requester=client_a, area="gestorias", subject="Placas de la camioneta", vehicle={"vehicle_plates": "NLB4521"}
    )
    sin_vehiculo = make_ticket(requester=client_a, area="tecnologia-it", subject="Acceso al portal")
    ajeno = make_ticket(requester=client_b, area="seguros", subject="Otra empresa, mismo VIN", vehicle=NISSAN)
    return {
        "seguros": seguros,
        "gestoria": gestoria,
        "siniestro": siniestro,
        "van": van,
        "sin_vehiculo": sin_vehiculo,
        "ajeno": ajeno,
    }
