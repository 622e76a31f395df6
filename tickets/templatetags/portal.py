"""Template helpers of the client portal."""

from html import escape

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from jhl_portal.i18n import once_per_language
from tickets.models import Channel

register = template.Library()


@once_per_language
def month_abbreviation(month: int) -> str:
    """The month's translated three-letter abbreviation in lower case ("nov"), what
    Django's date format `b` gives: the portal list writes fifty dates per page and
    dateformat.format() was a fifth of a row's time (issue 10)."""
    return str(MONTHS_3[month])


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
    return mark_safe(_time_html(value))


def _time_html(value) -> str:
    if not value:
        return ""
    local = timezone.localtime(value)
    return f'<time datetime="{escape(local.isoformat(timespec="minutes"))}">{escape(_short(local))}</time>'


@register.simple_tag
def status_pill(ticket, large: bool = False):
    """A ticket's status pill ("Abierto-Cotización"). A stage that waits on the client
    (Stage.waits_on_client) gets its own pill and a hint, since those are the tickets
    the client must act on; `large` for the ticket's page.

    A tag rather than an included template: the list renders it once per row, and an
    {% include %} per row was a tenth of the page's time (issue 10).
    """
    return mark_safe(_pill_html(ticket, large))


def _pill_html(ticket, large: bool = False) -> str:
    stage = ticket.stage
    waiting = stage.waits_on_client
    classes = f"badge badge-{stage.state}" + (" badge-waiting" if waiting else "") + (" badge-large" if large else "")
    pill = f'<span class="{escape(classes)}">{escape(ticket.status_text)}</span>'
    if waiting:
        pill += f'<span class="hint-waiting">{_waiting_hint()}</span>'
    return pill


@register.simple_tag
def channel_via(entry) -> str:
    """ "vía Correo": the channel a timeline entry came through (a {% blocktranslate %}
    and get_channel_display() per entry were a third of a 30-entry ticket page, issue
    10). Escaped by the template like any value."""
    return _channel_via(entry.channel)


@once_per_language
def _channel_via(channel: str) -> str:
    return _("vía %(channel)s") % {"channel": Channel(channel).label}


# The words below are translated outside any f-string: xgettext does not read inside one.
@once_per_language
def _waiting_hint() -> str:
    return escape(_("Necesitamos información de usted"))


@once_per_language
def _opened_by() -> str:
    return _("Abierto por %(name)s")


@register.simple_tag(takes_context=True)
def ticket_row(context, ticket):
    """One <tr> of the portal's ticket list: number, subject (and who opened it, when
    not the reader), area, dates and status, each cell labelled for the phone layout
    with its column's header (the view's `columns`, translated once per page).

    Written in Python rather than as a template partial: the list renders 25 rows and,
    as a partial, they were over half of the page's time (issue 10, measured with
    cProfile). Every value is escaped (Python's html.escape, which Django's escape
    wraps); what a page's rows share, the labels and the address of a ticket, is
    worked out once per page.
    """
    page = _row_constants(context)
    labels = page["labels"]
    url = f"{page['url_before']}{ticket.number}{page['url_after']}"
    note = ""
    if ticket.requester_id != context["user"].pk:
        note = f'<span class="cell-note">{escape(_opened_by() % {"name": ticket.requester})}</span>'
    return mark_safe(
        "<tr>"
        f'<td data-label="{labels["numero"]}"><a href="{url}" class="ticket-number">#{ticket.number}</a></td>'
        f'<td data-label="{labels["asunto"]}" class="cell-subject"><div><a href="{url}">{escape(ticket.subject)}</a>{note}</div></td>'
        f'<td data-label="{labels["area"]}">{escape(ticket.area.name)}</td>'
        f'<td data-label="{labels["creado"]}" class="cell-date">{_time_html(ticket.created_at)}</td>'
        f'<td data-label="{labels["actividad"]}" class="cell-date">{_time_html(ticket.last_activity_at)}</td>'
        f'<td data-label="{labels["estado"]}" class="cell-status"><div>{_pill_html(ticket)}</div></td>'
        "</tr>"
    )


_ROW_CONSTANTS = "portal.ticket_row"
_NUMBER_PLACEHOLDER = 987654321


def _row_constants(context) -> dict:
    """The escaped column labels and what a ticket's address holds around its number
    (the list's query carried after it), kept in the render's own context: worked out
    once per page, since reversing the address 25 times was a tenth of the rows' time."""
    page = context.render_context.get(_ROW_CONSTANTS)
    if page is None:
        before, after = reverse("portal:ticket_detail", args=[_NUMBER_PLACEHOLDER]).split(str(_NUMBER_PLACEHOLDER))
        page = context.render_context[_ROW_CONSTANTS] = {
            "labels": {column["key"]: escape(column["label"]) for column in context["columns"]},
            "url_before": escape(before),
            "url_after": escape(after + context.get("back_query", "")),
        }
    return page
