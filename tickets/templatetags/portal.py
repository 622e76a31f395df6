"""Template helpers of the client portal."""

from django import template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import MONTHS_3
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()

_month_abbreviations: dict[str | None, dict[int, str]] = {}


def month_abbreviation(month: int) -> str:
    """The month's translated three-letter abbreviation in lower case ("nov"), what
    Django's date format `b` gives, looked up once per language: the portal list writes
    fifty dates per page and dateformat.format() was a fifth of a row's time (issue 10)."""
    language = translation.get_language()
    months = _month_abbreviations.get(language)
    if months is None:
        months = _month_abbreviations[language] = {number: str(name) for number, name in MONTHS_3.items()}
    return months[month]


@register.filter
def short_datetime(value) -> str:
    """ "24 nov 2026, 10:35" in the portal's time zone (America/Mexico_City): Django's
    date format "j b Y, H:i"."""
    if not value:
        return ""
    return _short(timezone.localtime(value))


def _short(local) -> str:
    return f"{local.day} {month_abbreviation(local.month)} {local.year}, {local:%H:%M}"


@register.simple_tag
def time_tag(value):
    """A <time> element: readable text, machine-readable ISO 8601 in `datetime`."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return format_html('<time datetime="{}">{}</time>', local.isoformat(timespec="minutes"), _short(local))


@register.simple_tag
def status_pill(ticket, large: bool = False):
    """A ticket's status pill ("Abierto-Cotización"). A stage that waits on the client
    (Stage.waits_on_client) gets its own pill and a hint, since those are the tickets
    the client must act on; `large` for the ticket's page.

    A tag rather than an included template: the list renders it once per row, and an
    {% include %} per row was a tenth of the page's time (issue 10).
    """
    stage = ticket.stage
    waiting = stage.waits_on_client
    classes = f"badge badge-{stage.state}" + (" badge-waiting" if waiting else "") + (" badge-large" if large else "")
    pill = format_html('<span class="{}">{}</span>', classes, ticket.status_text)
    if waiting:
        pill += format_html('<span class="hint-waiting">{}</span>', _("Necesitamos información de usted"))
    return pill


@register.simple_tag(takes_context=True)
def ticket_row(context, ticket):
    """One <tr> of the portal's ticket list: number, subject (and who opened it, when
    not the reader), area, dates and status, each cell labelled for the phone layout
    with its column's header (the view's `columns`, translated once per page).

    Written in Python rather than as a template partial: the list renders 25 rows and,
    as a partial, they were over half of the page's time (issue 10, measured with
    cProfile). Every value goes through format_html's escaping.
    """
    labels = {column["key"]: column["label"] for column in context["columns"]}
    url = reverse("portal:ticket_detail", args=[ticket.number]) + context.get("back_query", "")
    note = ""
    if ticket.requester_id != context["user"].pk:
        note = format_html('<span class="cell-note">{}</span>', _("Abierto por %(name)s") % {"name": ticket.requester})
    return format_html(
        "<tr>"
        '<td data-label="{}"><a href="{}" class="ticket-number">#{}</a></td>'
        '<td data-label="{}" class="cell-subject"><div><a href="{}">{}</a>{}</div></td>'
        '<td data-label="{}">{}</td>'
        '<td data-label="{}" class="cell-date">{}</td>'
        '<td data-label="{}" class="cell-date">{}</td>'
        '<td data-label="{}" class="cell-status"><div>{}</div></td>'
        "</tr>",
        labels["numero"], url, ticket.number,
        labels["asunto"], url, ticket.subject, note,
        labels["area"], ticket.area.name,
        labels["creado"], time_tag(ticket.created_at),
        labels["actividad"], time_tag(ticket.last_activity_at),
        labels["estado"], status_pill(ticket),
    )  # fmt: skip
