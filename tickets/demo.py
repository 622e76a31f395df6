"""Demo data for a fresh portal: two client companies, staff per area, and tickets of
every area in every stage. Used by `manage.py seed_demo` and by the browser tests.

Idempotent: people and companies are matched by e-mail and name, tickets by
(requester, subject); a second run creates nothing.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Organization
from workflows.models import Area

from . import events, page_cache, services
from .models import Channel, Ticket, TimelineEntry
from .uploads import PDF, CheckedUpload
from .vehicles import vin_check_digit

DEMO_PASSWORD = "Demo#2026"
# The file of every demo document: a one-page, blank PDF.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)

ORGANIZATIONS = [
    {"name": "Transportes del Norte", "rfc": "TNO0503158Z6"},
    {"name": "Constructora Sol", "rfc": ""},
]

CLIENTS = [
    ("ana.garcia@transportesdelnorte.mx", "Ana", "García Treviño", "Transportes del Norte"),
    ("luis.perez@transportesdelnorte.mx", "Luis", "Pérez Garza", "Transportes del Norte"),
    ("maria.lopez@constructorasol.mx", "María", "López Hernández", "Constructora Sol"),
]

# Each area's team, keyed by the area's slug. The first member answers the demo
# tickets and hands them out; Seguros has two, so its "Mis tickets" and the board's
# Responsable filter split the work between people (issue 12).
STAFF = {
    "gestorias": [("gestorias@jhl.mx", "Jorge", "Ramírez")],
    "seguros": [("seguros@jhl.mx", "Patricia", "Mendoza"), ("seguros2@jhl.mx", "Andrés", "Torres")],
    "siniestros": [("siniestros@jhl.mx", "Ricardo", "Salinas")],
    "tecnologia-it": [("ti@jhl.mx", "Sofía", "Castillo")],
}
SUPERUSER = ("admin@jhl.mx", "Administrador", "JHLeasing")


def _vin(prefix: str) -> str:
    """A 17-character VIN whose 9th character is the right check digit."""
    draft = prefix[:8] + "0" + prefix[8:]
    return draft[:8] + vin_check_digit(draft) + draft[9:]


VEHICLES = [
    {
        "vehicle_brand": "Nissan",
        "vehicle_line": "NP300 Frontier",
        "vehicle_year": 2023,
        "vehicle_vin": _vin("3N6AD33A" + "PK812345"),
        "vehicle_color": "Blanco",
        "vehicle_plates": "RFA1234",
    },
    {
        "vehicle_brand": "Chevrolet",
        "vehicle_line": "Aveo",
        "vehicle_year": 2022,
        "vehicle_vin": _vin("3G1TA5AF" + "NL123456"),
        "vehicle_color": "Gris",
        "vehicle_plates": "NLB4521",
    },
    {
        "vehicle_brand": "Volkswagen",
        "vehicle_line": "Saveiro",
        "vehicle_year": 2024,
        "vehicle_vin": _vin("9BWKB45U" + "RP004217"),
        "vehicle_color": "Rojo",
        "vehicle_plates": "SMX9087",
    },
    {
        "vehicle_brand": "Toyota",
        "vehicle_line": "Hilux",
        "vehicle_year": 2021,
        "vehicle_vin": _vin("MR0EX32G" + "M0198765"),
        "vehicle_color": "Plata",
        "vehicle_plates": "JAL3310",
    },
    {
        "vehicle_brand": "Ford",
        "vehicle_line": "Ranger XL",
        "vehicle_year": 2023,
        "vehicle_vin": _vin("8AFBR01F" + "PJ561234"),
        "vehicle_color": "Azul",
        "vehicle_plates": "CDMX7R2",
    },
]

# Subjects and first messages per area, one per stage (the ticket for stage i uses
# the i-th), so every stage of every pipeline has a realistic ticket.
SUBJECTS = {
    "gestorias": [
        (
            "Verificación vehicular del segundo semestre",
            "Necesitamos agendar la verificación de la unidad antes de que venza el plazo.",
        ),
        ("Verificación de la Hilux en Nuevo León", "La unidad debe verificar este mes; ¿pueden gestionarla?"),
        ("Pago de tenencia 2026", "Solicitamos el pago de la tenencia y el comprobante para nuestro expediente."),
        ("Reposición de tarjeta de circulación", "La tarjeta de circulación se extravió; requerimos su reposición."),
        ("Alta de placas en Nuevo León", "La unidad nueva necesita placas del estado de Nuevo León."),
        ("Cambio de propietario en factura", "Por favor indiquen los pasos para el cambio de propietario."),
        ("Baja de placas de unidad vendida", "Vendimos la unidad y necesitamos dar de baja sus placas."),
        ("Duplicado de engomado de verificación", "El engomado se dañó al cambiar el parabrisas."),
        ("Permiso de carga en Ciudad de México", "Requerimos el permiso para circular con carga en la CDMX."),
        ("Refrendo vehicular 2026 de la flotilla", "¿Pueden tramitar el refrendo de las cinco unidades?"),
        ("Constancia de no adeudo de tenencia", "Un cliente nos pide la constancia de no adeudo de la unidad."),
    ],
    "seguros": [
        ("Renovación de póliza de flotilla", "La póliza de la flotilla vence el próximo mes; solicitamos la renovación."),
        ("Cotización de seguro para unidad nueva", "Queremos cotizar la cobertura amplia para la unidad recién entregada."),
        ("Endoso por cambio de conductor", "Cambió el conductor asignado; necesitamos el endoso en la póliza."),
        ("Copia de póliza vigente", "Nos piden la póliza vigente para un contrato; ¿pueden enviarla?"),
        ("Cobertura de cristales para la Saveiro", "¿Se puede agregar la cobertura de cristales a la póliza?"),
        ("Factura de la prima anual", "Necesitamos la factura de la prima para contabilidad."),
        ("Cancelación de póliza por venta", "La unidad se vendió; solicitamos cancelar su póliza."),
    ],
    "siniestros": [
        ("Choque en estacionamiento, defensa trasera", "La unidad recibió un golpe en la defensa trasera en un estacionamiento."),
        ("Robo de espejo lateral", "Se robaron el espejo lateral izquierdo durante la noche."),
        ("Parabrisas estrellado en carretera", "Una piedra estrelló el parabrisas en la carretera a Saltillo."),
        ("Seguimiento de reparación en agencia", "¿Cuándo estará lista la unidad que quedó en la agencia?"),
        ("Granizo dañó el cofre y el techo", "La tormenta del martes dejó abolladuras en el cofre y el techo."),
        ("Alcance en periférico, daño en facia", "Nos alcanzaron en el periférico; la facia delantera está rota."),
        ("Inundación en patio de maniobras", "El agua entró a la cabina de la unidad estacionada."),
        ("Rayón intencional en puerta del conductor", "Encontramos la puerta del conductor rayada con una llave."),
        ("Llanta y rin dañados por bache", "Un bache en la carretera dañó la llanta y el rin delantero."),
        ("Faro delantero roto en maniobra", "Al maniobrar en el almacén se rompió el faro derecho."),
        ("Cristal trasero roto por intento de robo", "Rompieron el cristal trasero para intentar robar la unidad."),
        ("Golpe en salpicadera por poste", "El conductor golpeó un poste al dar vuelta."),
        ("Robo de batería en la noche", "Se llevaron la batería de la unidad en el estacionamiento."),
        ("Daño en caja seca por montacargas", "Un montacargas golpeó la caja seca durante la carga."),
    ],
    "tecnologia-it": [
        ("No puedo descargar mi estado de cuenta", "Al descargar el estado de cuenta el portal muestra un error."),
        ("Alta de nuevo usuario para el portal", "Necesitamos acceso al portal para un compañero del área de compras."),
        ("Duda sobre el uso de la plataforma", "¿Dónde consulto las facturas de renta del mes pasado?"),
        ("No me llegan los correos del portal", "Dejé de recibir los avisos de mis tickets por correo."),
    ],
}

# A finished request for each client who got no Cerrado ticket above: (area, subject,
# first message), taken in turn.
CLOSED_EXTRAS = [
    ("tecnologia-it", "Restablecer mi acceso al portal", "No puedo entrar al portal; ¿pueden restablecer mi acceso?"),
    ("seguros", "Constancia de cobertura para licitación", "Nos piden una constancia de cobertura vigente para una licitación."),
    ("gestorias", "Copia de la factura de la unidad", "Requerimos una copia de la factura de la unidad para un trámite."),
]

STAFF_REPLIES = [
    "Gracias por su mensaje. Ya estamos trabajando en su solicitud y le mantendremos informado.",
    "Le confirmamos que recibimos la documentación. Seguimos con el proceso.",
    "Para continuar necesitamos una copia de la tarjeta de circulación, por favor.",
]


def _user(email, first_name, last_name, **extra):
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, first_name=first_name, last_name=last_name, **extra)
    return user


@transaction.atomic
def seed_demo() -> int:
    """Create the demo data; return how many tickets were created (0 on a second run).

    Muted: the demo's addresses look real, and no e-mail may leave for them.
    """
    with events.muted():
        created = _seed()
        # Issue 11: closed tickets come with their satisfaction surveys, one answered.
        from surveys.demo import seed_surveys

        seed_surveys()
        # Issue 12: each area's team has ready answers to insert in its replies.
        from workspace.demo import seed_ready_answers

        seed_ready_answers()
        return created


def _seed() -> int:
    organizations = {}
    for spec in ORGANIZATIONS:
        organizations[spec["name"]], _ = Organization.objects.get_or_create(name=spec["name"], defaults={"rfc": spec["rfc"]})
    clients = [_user(email, first, last, organization=organizations[org]) for email, first, last, org in CLIENTS]
    _user(*SUPERUSER, is_staff=True, is_superuser=True)
    staff, teams = {}, {}
    for area in Area.objects.select_related("team"):
        members = [_user(email, first, last, is_staff=True) for email, first, last in STAFF[area.slug]]
        staff[area.slug] = members[0]
        # Only the members of an area's team may own its tickets (Ticket.assign_to).
        teams[area.slug] = members if area.team else []
        for member in teams[area.slug]:
            member.groups.add(area.team)

    created = 0
    now = timezone.now()
    ticket_index = 0
    areas = list(Area.objects.order_by("position"))
    for area in areas:
        stages = list(area.stages.order_by("position"))
        subjects = SUBJECTS[area.slug]
        for stage_index in range(len(stages)):
            # Modulo: staff may have added stages since these subjects were written.
            subject, message = subjects[stage_index % len(subjects)]
            requester = clients[ticket_index % len(clients)]
            ticket_index += 1
            created += _demo_ticket(
                requester=requester,
                area=area,
                path=stages[: stage_index + 1],
                subject=subject,
                message=message,
                index=ticket_index,
                staff=staff[area.slug],
                team=teams[area.slug],
                now=now,
            )

    # Issue 8: every demo client can see how a Cerrado ticket looks from their own
    # list, whatever the round-robin above happened to give them.
    by_slug = {area.slug: area for area in areas}
    for n, requester in enumerate(clients):
        if Ticket.objects.filter(requester=requester).closed().exists():
            continue
        slug, subject, message = CLOSED_EXTRAS[n % len(CLOSED_EXTRAS)]
        area = by_slug[slug]
        stages = list(area.stages.order_by("position"))
        closed_at = next(i for i, stage in enumerate(stages) if stage.is_closed)
        ticket_index += 1
        created += _demo_ticket(
            requester=requester,
            area=area,
            path=stages[: closed_at + 1],
            subject=subject,
            message=message,
            index=ticket_index,
            staff=staff[slug],
            team=teams[slug],
            now=now,
        )
    return created


def _demo_ticket(*, requester, area, path, subject, message, index, staff, team, now) -> int:
    """Open a ticket, walk it through `path` (its area's stages, from the first to
    the one it ends in) and give it an owner; return 1, or 0 when it already exists
    (idempotency)."""
    existing = Ticket.objects.filter(requester=requester, subject=subject, area=area).first()
    if existing is not None:
        # Demo data loaded before issue 12 gets its owners on the next run (the Cerrado
        # extras below excepted: a second run does not reach them).
        _demo_owner(existing, team, by=staff)
        return 0
    opened = now - timedelta(days=40 - index, hours=index * 3 % 11)
    ticket = services.ticket_create(
        requester=requester,
        area=area,
        subject=subject,
        description=message,
        channel=[Channel.PORTAL, Channel.EMAIL, Channel.PHONE][index % 3],
        vehicle=VEHICLES[index % len(VEHICLES)] if area.slug != "tecnologia-it" else None,
        created_at=opened,
    )
    moment = opened
    for step, next_stage in enumerate(path[1:], start=1):
        moment += timedelta(hours=7)
        if step == len(path) - 1 and not next_stage.is_closed:
            # Issue 11.2: an open ticket entered its stage in the last two days, so the
            # deadlines spread over overdue, due today and on time; those still in
            # their first stage, opened weeks ago, are overdue.
            moment = max(moment, now - timedelta(hours=index * 5 % 46))
        if step == 1:
            services.entry_add(
                ticket=ticket,
                kind=TimelineEntry.Kind.STAFF_REPLY,
                author=staff,
                body=STAFF_REPLIES[index % len(STAFF_REPLIES)],
                channel=Channel.EMAIL,
                created_at=moment,
            )
            services.entry_add(
                ticket=ticket,
                kind=TimelineEntry.Kind.INTERNAL_NOTE,
                author=staff,
                body="Cliente prioritario; revisar expediente antes de responder.",
                channel=Channel.INTERNAL,
                created_at=moment,
            )
        moment = _demo_documents(ticket, path[step - 1], staff=staff, at=moment, complete=True)
        ticket.move_to(next_stage, by=staff, at=moment)
    _demo_documents(ticket, path[-1], staff=staff, at=moment + timedelta(hours=2), complete=False)
    _demo_owner(ticket, team, by=staff)
    return 1


def _demo_owner(ticket, team, *, by):
    """Issue 12: make a member of the area's team (in turn, by stage) the ticket's
    Responsable, through assign_to so the timeline shows it.

    Tickets nobody has answered yet (still in their first stage) stay "Sin
    responsable", and so does the ticket of every third stage, so that filter also
    holds work under way; never one waiting on the client: whoever asked for the
    information owns it (it shows in their "Míos, esperando al cliente"). A ticket whose
    owner was already set or cleared, by an earlier run or by hand, is left alone.
    """
    ticket.refresh_from_db(fields=["owner", "first_response_at", "last_activity_at"])
    position, waits_on_client = ticket.stage.position, ticket.stage.waits_on_client
    if not team or ticket.first_response_at is None or (position % 3 == 0 and not waits_on_client):
        return
    if ticket.owner_id or ticket.entries.filter(kind=TimelineEntry.Kind.OWNER_CHANGE).exists():
        return
    last_activity_at = ticket.last_activity_at
    entry = ticket.assign_to(team[(position - 1) % len(team)], by=by)
    # assign_to writes "now", but the demo's history is backdated: the owner took the
    # ticket just before the team first answered it, and its last activity stays as it was.
    TimelineEntry.objects.filter(pk=entry.pk).update(created_at=ticket.first_response_at - timedelta(minutes=5))
    Ticket.objects.filter(pk=ticket.pk).update(last_activity_at=last_activity_at)
    ticket.last_activity_at = last_activity_at
    page_cache.bump(organization_id=ticket.organization_id, requester_id=ticket.requester_id)


def _demo_documents(ticket, stage, *, staff, at, complete: bool):
    """Issue 11.3: the documents `stage` asks for, sent by the client and reviewed.

    A ticket that goes on past the stage has them all accepted (move_to requires it).
    One that stays shows the checklist under way: the first accepted, the second
    rejected with a reason when there are three or more, the rest still pending.
    Returns the moment after the last document.
    """
    from documents.models import RequiredDocument
    from documents.services import document_review, document_upload

    for n, requirement in enumerate(RequiredDocument.objects.of_stage(stage.pk)):
        rejected = not complete and n == 1 and stage.required_documents.count() > 2
        if not complete and n > 0 and not rejected:
            break
        pdf = ContentFile(DEMO_PDF, name=f"{slugify(requirement.name)}.pdf")
        upload = CheckedUpload(file=pdf, name=pdf.name, content_type=PDF, size=len(DEMO_PDF))
        at += timedelta(minutes=20)
        document = document_upload(ticket=ticket, requirement=requirement, upload=upload, by=ticket.requester, at=at)
        at += timedelta(minutes=40)
        reason = "La imagen está borrosa y no se leen los datos; envíe una copia legible, por favor." if rejected else ""
        document_review(document=document, accept=not rejected, reason=reason, by=staff, at=at)
    return at
