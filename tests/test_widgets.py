"""jhl_portal.widgets.QuickSelect writes what Django's template-rendered Select does."""

from django import forms
from django.test.html import parse_html

from jhl_portal.widgets import QuickSelect

CHOICES = [
    ("", "Todas"),
    ("Seguros", [("1", "Cotización"), ("2", "Emisión <rápida>")]),
    ("Gestorías", [("3", "Placas & tarjeta")]),
]


def test_it_renders_like_djangos_select():
    for value in ("", "2", "3", "no-such-value"):
        attrs = {"id": "id_etapa", "aria-describedby": 'ayuda "x"'}
        fast = QuickSelect(choices=CHOICES).render("etapa", value, attrs)
        slow = forms.Select(choices=CHOICES).render("etapa", value, attrs)
        assert parse_html(fast) == parse_html(slow)  # the same elements, attributes and text
    assert 'value="2" selected>Emisión &lt;rápida&gt;</option>' in QuickSelect(choices=CHOICES).render("etapa", "2")
    assert '<optgroup label="Gestorías"><option value="3">Placas &amp; tarjeta' in QuickSelect(choices=CHOICES).render("e", "")
