"""Client portal views (seed 001, "¿Qué contiene el Portal de Clientes?").

Every view starts from Ticket.objects.visible_to(user) (the list from one of its two
halves, the client's own tickets or their company's): a ticket of another company does
not exist for the client, so its pages, replies and attachments answer 404.
"""

import uuid
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from vehicles.queries import new_ticket_initial

from . import page_cache, services
from .downloads import attachment_response
from .filters import PAGE_PARAMETER, SCOPE_ORGANIZATION, SORTS, TicketFilter, list_query
from .forms import NewTicketForm, ReplyForm
from .models import Attachment, Channel, Ticket, TimelineEntry

TICKETS_PER_PAGE = 25
# The parameter that carries the list's query string to a ticket's page, so that
# "← Volver" returns to the list the client came from, with its filters.
BACK_PARAMETER = "volver"


def client_view(view):
    """Login required; staff work in admin, so the portal sends them there. Nothing is
    cached: the pages hold a company's tickets, and a shared computer's back button or
    a proxy must not show them to the next person."""

    @never_cache
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_staff:
            return redirect("admin:index")
        return view(request, *args, **kwargs)

    return wrapper


def _get_ticket_for_user(request, number: int, *related: str) -> Ticket:
    """The ticket, if `request.user` may see it (else 404), with the `related` rows its
    page shows (all of them by default)."""
    tickets = Ticket.objects.visible_to(request.user)
    return get_object_or_404(tickets.select_related(*related) if related else tickets.with_related(), pk=number)


@client_view
@page_cache.cached
def ticket_list(request):
    # The list's scope ("Mis tickets" or the organization's) is one of the two halves
    # of visible_to(user) for a client, so the FilterSet applies it alone: ANDed with
    # visible_to's OR, PostgreSQL took a 11,000-ticket company for 150 tickets and
    # sorted them all for every page instead of reading the page from the index
    # (issue 10, docs/performance.md).
    ticket_filter = TicketFilter(request.GET, queryset=Ticket.objects.for_list(), user=request.user)
    # The page's numbers first, from the index alone, then those 25 tickets with their
    # area, stage and people: joined before the LIMIT, a far page (OFFSET 975) made
    # PostgreSQL join and sort the whole company's tickets.
    paginator = CountedPaginator(
        ticket_filter.qs.values_list("pk", flat=True), TICKETS_PER_PAGE, count=_list_count(request, ticket_filter)
    )
    page = paginator.get_page(request.GET.get(PAGE_PARAMETER))
    tickets = ticket_filter.qs.filter(pk__in=list(page.object_list)) if page.object_list else []
    return render(
        request,
        "portal/ticket_list.html",
        {
            "filter": ticket_filter,
            "page": page,
            "tickets": tickets,
            "columns": _columns(ticket_filter.sort),
            "back_query": _back_query(list_query(request.GET)),
        },
    )


class CountedPaginator(Paginator):
    """A Paginator told how many rows there are instead of counting them."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.count = count  # over Paginator's cached_property


def _list_count(request, ticket_filter: TicketFilter) -> int:
    """The list's tickets, counted once per filter until one of them changes (the
    sort, the page and anything else in the address count the same tickets)."""
    if not ticket_filter.is_valid():
        return ticket_filter.qs.count()  # counted as shown, next to the field's error
    filters = sorted((name, str(value)) for name, value in ticket_filter.form.cleaned_data.items() if name != "orden")
    return page_cache.count(request, ticket_filter.qs, of=filters)


def _columns(current_sort: str) -> list[dict]:
    """The list's headers: label, the sort a click on it selects, and aria-sort."""
    labels = {
        "numero": _("ID"),
        "asunto": _("Asunto"),
        "area": _("Área"),
        "creado": _("Creado"),
        "actividad": _("Última actividad"),
        "estado": _("Estado"),
    }
    # Dates start newest first, text and numbers in ascending order.
    descending_first = {"creado", "actividad"}
    columns = []
    for key in SORTS:
        if current_sort == key:
            aria_sort, next_sort = "ascending", f"-{key}"
        elif current_sort == f"-{key}":
            aria_sort, next_sort = "descending", key
        else:
            aria_sort, next_sort = "none", f"-{key}" if key in descending_first else key
        columns.append({"key": key, "label": labels[key], "sort": next_sort, "aria_sort": aria_sort})
    return columns


def _back_to_list(request) -> dict:
    """Where "← Volver" leads: the list (Mis tickets or Tickets de la organización)
    with the filters the client had, carried in BACK_PARAMETER and cleaned by
    list_query(); `query` is what the page's own links pass on."""
    back = list_query(request.GET.get(BACK_PARAMETER, ""))
    url = reverse("portal:ticket_list")
    return {
        "url": f"{url}?{back.urlencode()}" if back else url,
        "label": _("Volver a los tickets de la organización")
        if back.get("ver") == SCOPE_ORGANIZATION
        else _("Volver a mis tickets"),
        "query": _back_query(back),
    }


def _back_query(back) -> str:
    """The query string ("?volver=…") that carries the list's parameters to a ticket's page."""
    return f"?{urlencode({BACK_PARAMETER: back.urlencode()})}" if back else ""


def _detail_url(ticket: Ticket, back: dict, anchor: str = "") -> str:
    return f"{reverse('portal:ticket_detail', kwargs={'number': ticket.number})}{back['query']}{anchor}"


def _detail_context(request, ticket: Ticket, reply_form: ReplyForm | None = None) -> dict:
    entries = (
        TimelineEntry.objects.filter(ticket=ticket)
        .visible_to_clients()
        .select_related("author", "from_stage", "to_stage")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
    )
    stages = list(ticket.area.stages.order_by("position"))
    steps = _steps(stages, ticket.stage)
    return {
        "ticket": ticket,
        "back": _back_to_list(request),
        "entries": entries,
        "steps": steps,
        "current_step": next((n for n, step in enumerate(steps, 1) if step["status"] == "current"), None),
        "reply_form": reply_form or ReplyForm(),
        "staff_label": _("Equipo JHLeasing – %(area)s") % {"area": ticket.area.name},
    }


def _steps(stages, current) -> list[dict]:
    """The area's pipeline for the step indicator: each stage done, current or ahead."""
    position = current.position
    return [
        {
            "stage": stage,
            "status": "current" if stage.pk == current.pk else "done" if stage.position < position else "ahead",
        }
        for stage in stages
    ]


@client_view
@page_cache.cached
def ticket_detail(request, number: int):
    ticket = _get_ticket_for_user(request, number)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return render(request, "portal/ticket_detail.html", _detail_context(request, ticket))


@client_view
def ticket_reply(request, number: int):
    # What a reply needs: whether the stage is Cerrado, and the area's name for the
    # confirmation (issue 10: joining the people in cost as much as the insert).
    ticket = _get_ticket_for_user(request, number, "area", "stage")
    back = _back_to_list(request)
    if request.method != "POST":
        return redirect(_detail_url(ticket, back))
    if ticket.is_closed:
        # Seed 001: a Cerrado ticket admits no more messages.
        messages.error(request, services.TicketClosedError().message)
        return redirect(_detail_url(ticket, back))
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "portal/ticket_detail.html", _detail_context(request, ticket, form), status=400)
    try:
        entry = services.entry_add(
            ticket=ticket,
            kind=TimelineEntry.Kind.CLIENT_MESSAGE,
            author=request.user,
            body=form.cleaned_data["body"],
            channel=Channel.PORTAL,
            attachments=form.cleaned_data["files"],
        )
    except services.TicketClosedError as error:
        # Closed by the team between the page load and the click.
        messages.error(request, error.message)
        return redirect(_detail_url(ticket, back))
    messages.success(request, _("Mensaje enviado. El equipo de %(area)s ya lo tiene.") % {"area": ticket.area.name})
    # The anchor names the new message: the page scrolls there and portal.js moves the focus to it.
    return redirect(_detail_url(ticket, back, f"#entrada-{entry.pk}"))


@client_view
def attachment_download(request, pk: int):
    attachment = get_object_or_404(
        Attachment.objects.filter(entry__ticket__in=Ticket.objects.visible_to(request.user)).exclude(
            entry__kind__in=TimelineEntry.STAFF_ONLY_KINDS
        ),
        pk=pk,
    )
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return attachment_response(attachment)


@client_view
def ticket_new(request):
    if request.method != "POST":
        # "Presentar un ticket para este vehículo" (issue 11) sends ?vin= or ?placas=.
        vehicle = new_ticket_initial(Ticket.objects.visible_to(request.user), request.GET)
        form = NewTicketForm(initial={"area": request.GET.get("area"), **vehicle}, user=request.user)
        return _render_new_ticket(request, form)
    # A reload or a second click sends the same one-time token: show what the first did.
    already_sent = services.ticket_sent_with(requester=request.user, client_token=_posted_token(request))
    if already_sent is not None:
        messages.info(request, _("Su solicitud ya se había enviado; este es su ticket."))
        return redirect("portal:ticket_detail", number=already_sent.number)
    form = NewTicketForm(request.POST, request.FILES, user=request.user)
    if form.may_be_sent:
        ticket, _created = services.ticket_open_once(
            ticket=form.ticket(), attachments=form.cleaned_data["attachment"], may_hold_upload=form.may_hold_upload
        )
        messages.success(
            request,
            _("Recibimos su solicitud: es el ticket #%(number)d. Le enviaremos la información por correo electrónico.")
            % {"number": ticket.number},
        )
        return redirect("portal:ticket_detail", number=ticket.number)
    form.keep_attachment()
    return _render_new_ticket(request, form, status=200 if form.is_valid() else 400)


def _render_new_ticket(request, form: NewTicketForm, status: int = 200):
    return render(
        request,
        "portal/ticket_new.html",
        {
            "form": form,
            "open_by_area": form.open_by_area,
            # The duplicate step: the area whose open tickets the client is to confirm.
            "duplicates_area": form.cleaned_data["area"] if form.is_bound and form.is_valid() and form.duplicates else None,
        },
        status=status,
    )


def _posted_token(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("client_token", ""))
    except ValueError:
        return None
