"""The portal's template helpers write what Django's own formatting would."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import dateformat, timezone, translation

from tickets.models import Channel, Ticket, TimelineEntry
from tickets.templatetags.portal import channel_via, short_datetime, time_tag


@pytest.mark.parametrize("language", ["es-mx", "en"])
def test_short_datetime_is_djangos_j_b_y_h_i_in_mexico_city(language):
    moments = [datetime(2026, 1, 1, 5, 59, tzinfo=UTC) + timedelta(days=31 * n, minutes=17 * n) for n in range(12)]
    with translation.override(language):
        for moment in moments:
            expected = dateformat.format(timezone.localtime(moment), "j b Y, H:i")
            assert short_datetime(moment) == expected
    with translation.override("es-mx"):
        assert short_datetime(datetime(2026, 12, 1, 21, 50, tzinfo=UTC)) == "1 dic 2026, 15:50"
    assert short_datetime(None) == ""


def test_time_tag_carries_the_local_iso_time():
    with translation.override("es-mx"):
        html = time_tag(datetime(2026, 12, 1, 21, 50, tzinfo=UTC))
    assert html == '<time datetime="2026-12-01T15:50-06:00">1 dic 2026, 15:50</time>'


@pytest.mark.parametrize("language", ["es-mx", "en"])
def test_channel_via_is_what_the_blocktranslate_it_replaced_wrote(language):
    """One wording per language and channel, kept: switching language must not keep the other's."""
    for channel in Channel:
        entry = TimelineEntry(channel=channel)
        with translation.override(language):
            expected = Template(
                "{% load i18n %}{% blocktranslate with channel=entry.get_channel_display %}vía {{ channel }}{% endblocktranslate %}"
            ).render(Context({"entry": entry}))
            assert channel_via(entry) == expected
    with translation.override("en"):
        assert channel_via(TimelineEntry(channel=Channel.EMAIL)) == "via Email"
    with translation.override("es-mx"):
        assert channel_via(TimelineEntry(channel=Channel.EMAIL)) == "vía Correo"


def test_a_waiting_pill_speaks_the_readers_language():
    from tickets.templatetags.portal import status_pill
    from workflows.models import Stage, State

    ticket = Ticket(stage=Stage(name="Esperando información cliente", state=State.OPEN, waits_on_client=True))
    with translation.override("en"):
        assert "We need information from you" in status_pill(ticket)
    with translation.override("es-mx"):
        assert "Necesitamos información de usted" in status_pill(ticket)
