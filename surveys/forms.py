from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RATINGS


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("¿Qué tan satisfecho está con la atención de su ticket?"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Elija una calificación del 1 al 5.")},
    )
    comment = forms.CharField(
        label=_("Comentario (opcional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("¿Qué hicimos bien o qué podemos mejorar?"),
    )
