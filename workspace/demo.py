"""Demo ready answers (README's demo data): two or three per area, with placeholders."""

from workflows.models import Area

from .models import ReadyAnswer

# Keyed by the area's slug: (title, text). {nombre}, {ticket} and {etapa} are filled
# for the ticket the answer is inserted in (models.fill_placeholders).
READY_ANSWERS = {
    "gestorias": [
        (
            "Documentos recibidos",
            "Hola {nombre}: recibimos los documentos del ticket {ticket}. Los revisamos y "
            "continuamos con el trámite, que está en la etapa «{etapa}».",
        ),
        (
            "Cita confirmada",
            "Hola {nombre}: la autoridad confirmó la cita del trámite del ticket {ticket}. "
            "Le pedimos presentar la unidad con su tarjeta de circulación original.",
        ),
        (
            "Pago pendiente",
            "Hola {nombre}: para continuar con el ticket {ticket} falta el pago de los derechos. "
            "En cuanto lo recibamos ingresamos el trámite.",
        ),
    ],
    "seguros": [
        (
            "Cotización enviada",
            "Hola {nombre}: le enviamos la cotización solicitada en el ticket {ticket}. "
            "Si está de acuerdo, confírmenos por este medio para emitir la póliza.",
        ),
        (
            "Solicitud de póliza",
            "Hola {nombre}: para continuar con el ticket {ticket} necesitamos una copia de la "
            "póliza vigente de la unidad. Puede adjuntarla en su respuesta.",
        ),
        (
            "Póliza emitida",
            "Hola {nombre}: la aseguradora emitió la póliza del ticket {ticket}; la encontrará "
            "adjunta. Quedamos atentos a cualquier duda.",
        ),
    ],
    "siniestros": [
        (
            "Siniestro registrado",
            "Hola {nombre}: registramos el siniestro del ticket {ticket} ante la aseguradora. "
            "Le avisaremos en cuanto asignen al ajustador.",
        ),
        (
            "Solicitud de fotografías",
            "Hola {nombre}: para el ticket {ticket} necesitamos fotografías claras de los daños y de las placas de la unidad.",
        ),
        (
            "Avance de reparación",
            "Hola {nombre}: el ticket {ticket} está en la etapa «{etapa}». Le informaremos "
            "cuando la unidad esté lista para recogerse.",
        ),
    ],
    "tecnologia-it": [
        (
            "Acceso restablecido",
            "Hola {nombre}: restablecimos su acceso al portal (ticket {ticket}). Ya puede iniciar "
            "sesión con su correo; si no recuerda su contraseña, use «¿Olvidó su contraseña?».",
        ),
        (
            "Solicitud de captura de pantalla",
            "Hola {nombre}: para revisar el ticket {ticket} nos ayudaría una captura de pantalla "
            "del error y la hora en que ocurrió.",
        ),
    ],
}


def seed_ready_answers() -> int:
    """Create each area's demo ready answers that are missing (matched by title, so an
    edited text is kept); return how many were created (0 on a second run)."""
    created = 0
    for area in Area.objects.filter(slug__in=READY_ANSWERS):
        for title, body in READY_ANSWERS[area.slug]:
            created += ReadyAnswer.objects.get_or_create(area=area, title=title, defaults={"body": body})[1]
    return created
