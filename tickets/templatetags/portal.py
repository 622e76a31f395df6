"""Template helpers of the client portal."""

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html

register = template.Library()

# "24 nov 2026, 10:35" in the portal's time zone (America/Mexico_City); `b` is the
# month's translated three-letter abbreviation in lower case.
DATETIME_FORMAT = "j b Y, H:i"


@register.filter
def short_datetime(value) -> str:
    if not value:
        return ""
    return dateformat.format(timezone.localtime(value), DATETIME_FORMAT)


@register.simple_tag
def time_tag(value):
    """A <time> element: readable text, machine-readable ISO 8601 in `datetime`."""
    if not value:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>', timezone.localtime(value).isoformat(timespec="minutes"), short_datetime(value)
    )
