"""jhl_portal.i18n.once_per_language: one lookup per language and argument, never another language's."""

from django.utils import translation
from django.utils.translation import gettext as _

from jhl_portal.i18n import once_per_language
from workflows.models import Stage, State


def test_each_language_keeps_its_own_words():
    calls = []

    @once_per_language
    def word(name):
        calls.append((translation.get_language(), name))
        return _(name)

    with translation.override("en"):
        assert word("Cerrado") == "Closed"
        assert word("Cerrado") == "Closed"
    with translation.override("es-mx"):
        assert word("Cerrado") == "Cerrado"
    assert calls == [("en", "Cerrado"), ("es-mx", "Cerrado")]


def test_a_stage_states_its_state_in_the_active_language():
    stage = Stage(name="Cotización", state=State.OPEN)
    with translation.override("es-mx"):
        assert stage.status_text == "Abierto-Cotización"
    with translation.override("en"):
        assert stage.status_text == "Open-Cotización"
