"""The staff workspace's admin pages: the board (and its moves), ready answers, reports.

Thin views: each picks the area among the staff member's own (anything else is a
404), binds a form and calls the model methods that change tickets.
"""

import csv

from django.contrib import messages
from django.contrib.admin import site as admin_site
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tickets.models import Ticket
from workflows.models import Area, Stage

from . import charts, reports
from .board import NEWEST_FIRST, BoardFilterForm, board_columns, board_tickets, with_card_fields
from .owners import owner_choices

COLUMN_PAGE_SIZE = 50


def _area_for(request, slug: str, permission: str = "tickets.view_ticket") -> Area:
    """One of the staff member's areas; any other is a 404, a missing permission a 403."""
    if not request.user.has_perm(permission):
        raise PermissionDenied
    return get_object_or_404(Area.objects.worked_by(request.user), slug=slug)


def _page(request, template: str, *, title: str, **context):
    return TemplateResponse(request, template, {**admin_site.each_context(request), "title": title, **context})


def _board_context(request, area: Area) -> dict:
    filters = BoardFilterForm(request.GET or None, area=area)
    tickets = filters.filter(board_tickets(area), request.user)
    return {
        "area": area,
        "filters": filters,
        "tickets": tickets,
        "stages": list(area.stages.order_by("position")),
        "owners": list(owner_choices(area)),
        "query": request.GET.urlencode(),
        "can_change": request.user.has_perm("tickets.change_ticket"),
    }


def board(request, slug):
    area = _area_for(request, slug)
    context = _board_context(request, area)
    columns = board_columns(area, context["tickets"])
    return _page(
        request,
        "admin/workspace/board.html",
        title=_("Tablero de %(area)s") % {"area": area.name},
        columns=columns,
        **context,
    )


def board_column(request, slug, stage_id):
    """One column of the board, all its cards, page by page ("ver más")."""
    area = _area_for(request, slug)
    stage = get_object_or_404(area.stages, pk=stage_id)
    context = _board_context(request, area)
    tickets = with_card_fields(context["tickets"].filter(stage=stage)).order_by(*NEWEST_FIRST)
    page = Paginator(tickets, COLUMN_PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return _page(
        request,
        "admin/workspace/board_column.html",
        title=_("%(area)s · %(stage)s") % {"area": area.name, "stage": stage.name},
        stage=stage,
        page=page,
        **context | {"query": query.urlencode()},
    )


def _done(request, area: Area, *, ok: bool, message: str, status: int = 200):
    """Answer a move or an assignment: JSON for the board's script, else a message and
    a redirect back to the page the form was on."""
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"ok": ok, "message": message}, status=status if not ok else 200)
    messages.add_message(request, messages.SUCCESS if ok else messages.ERROR, message)
    back = request.POST.get("next", "")
    board_url = reverse("workspace:board", args=[area.slug])
    if not (back.startswith(board_url) and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})):
        back = board_url
    return redirect(back)


def _posted_ticket(request, area: Area) -> Ticket:
    ticket_id = request.POST.get("ticket", "")
    if not ticket_id.isdigit():
        raise ValidationError(_("Elija un ticket."))
    return get_object_or_404(Ticket.objects.visible_to(request.user).filter(area=area).select_related("area"), pk=ticket_id)


def _on_card(request, slug, act):
    """Run `act(ticket)` on the posted ticket of one of the user's areas; answer with
    the message it returns, or with why the change was refused."""
    area = _area_for(request, slug, "tickets.change_ticket")
    try:
        message = act(_posted_ticket(request, area))
    except ValidationError as error:
        return _done(request, area, ok=False, message=" ".join(error.messages), status=400)
    return _done(request, area, ok=True, message=message)


def _posted(request, model, name: str, error: str):
    """The `model` row whose pk was posted as `name`; ValidationError(`error`) if none."""
    value = request.POST.get(name, "")
    found = model.objects.filter(pk=value).first() if value.isdigit() else None
    if found is None:
        raise ValidationError(error)
    return found


@require_POST
def board_move(request, slug):
    """Move a card: Ticket.move_to(), the one place stages change, records who."""

    def move(ticket):
        stage = _posted(request, Stage, "stage", _("Elija una etapa."))
        ticket.move_to(stage, by=request.user)
        return _("Ticket #%(number)d movido a «%(stage)s».") % {"number": ticket.number, "stage": stage.name}

    return _on_card(request, slug, move)


@require_POST
def board_assign(request, slug):
    """Give a card an owner (or none): Ticket.assign_to() records who."""

    def assign(ticket):
        owner = _posted(request, get_user_model(), "owner", _("Elija un responsable.")) if request.POST.get("owner") else None
        ticket.assign_to(owner, by=request.user)
        return _("Ticket #%(number)d asignado a %(owner)s.") % {"number": ticket.number, "owner": owner or _("nadie")}

    return _on_card(request, slug, assign)


def _report_for(request, slug):
    area = _area_for(request, slug)
    weeks = request.GET.get("semanas", "")
    weeks = int(weeks) if weeks.isdigit() and int(weeks) in reports.PERIODS else reports.DEFAULT_PERIOD
    return reports.area_report(area, weeks=weeks)


def report(request, slug):
    """The area's numbers as SVG charts and tables."""
    data = _report_for(request, slug)
    series = [("opened", "bar-opened", _("abiertos")), ("closed", "bar-closed", _("cerrados"))]
    open_stages = [row for row in data.per_stage if not row.stage.is_closed]
    stay_rows = [row for row in data.per_stage if row.stays.count]

    def seconds(value):
        return value.total_seconds() if value else 0

    return _page(
        request,
        "admin/workspace/report.html",
        title=_("Reportes de %(area)s") % {"area": data.area.name},
        report=data,
        area=data.area,
        periods=reports.PERIODS,
        weekly_chart=charts.weekly_bars(data.per_week, series=series),
        open_chart=charts.horizontal_bars(
            [(row.stage.name, [(row.open_now, "bar-open", f"{row.stage.name}: {row.open_now}")]) for row in open_stages]
        ),
        stay_chart=charts.horizontal_bars(
            [
                (
                    row.stage.name,
                    [
                        (seconds(row.stays.median), "bar-median", _("mediana: %s") % reports.duration_text(row.stays.median)),
                        (seconds(row.stays.p90), "bar-p90", _("percentil 90: %s") % reports.duration_text(row.stays.p90)),
                    ],
                )
                for row in stay_rows
            ]
        ),
        stay_rows=stay_rows,
    )


def report_csv(request, slug):
    """The same numbers as a CSV download (UTF-8 with BOM, so Excel reads the accents)."""
    data = _report_for(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"reporte-{data.area.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Semana (lunes)"), _("Abiertos"), _("Cerrados")])
    writer.writerows([row.week.isoformat(), row.opened, row.closed] for row in data.per_week)
    writer.writerow([])
    writer.writerow([_("Etapa"), _("Abiertos ahora"), _("Estancias terminadas"), _("Mediana (horas)"), _("Percentil 90 (horas)")])
    for row in data.per_stage:
        writer.writerow(
            [
                _safe_cell(row.stage.name),
                row.open_now,
                row.stays.count,
                reports.hours(row.stays.median),
                reports.hours(row.stays.p90),
            ]
        )
    writer.writerow([])
    writer.writerow(
        [_("Primera respuesta"), _("Tickets respondidos"), _("Sin respuesta"), _("Mediana (horas)"), _("Percentil 90 (horas)")]
    )
    spread = data.first_response
    writer.writerow(["", spread.count, data.unanswered, reports.hours(spread.median), reports.hours(spread.p90)])
    return response


def _safe_cell(text: str) -> str:
    # A spreadsheet runs a cell that starts like a formula: a stage name must not.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
