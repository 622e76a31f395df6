"""The survey page the e-mail links to: no login, a signed link that works once."""

from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from . import services
from .forms import SurveyForm
from .models import Survey


@never_cache
def survey_answer(request, token: str):
    try:
        pk = Survey.pk_from_token(token)
    except signing.SignatureExpired:
        return render(request, "surveys/expired.html", status=410)
    except signing.BadSignature:
        raise Http404 from None
    survey = Survey.objects.select_related("ticket", "ticket__area").filter(pk=pk).first()
    if survey is None:
        raise Http404
    if survey.is_answered:
        return render(request, "surveys/thanks.html", {"survey": survey})
    if request.method == "POST":
        form = SurveyForm(request.POST)
        if form.is_valid():
            try:
                services.survey_answer(survey=survey, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"])
            except services.SurveyClosedError:
                pass  # answered in another tab meanwhile: the thanks page says so
            return redirect(request.path)
        status = 400
    else:
        form = SurveyForm(initial={"rating": request.GET.get("calificacion")})
        status = 200
    return render(request, "surveys/answer.html", {"survey": survey, "form": form}, status=status)
