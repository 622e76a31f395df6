"""The invitation pages: accept an invitation (choose a password) and "Regístrese aquí"."""

from functools import partial

from allauth.account.utils import perform_login
from allauth.core import ratelimit
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from . import services, tasks
from .forms import EmailForm, SetPasswordForm
from .services import InvitationStatus


@login_not_required
@never_cache
@sensitive_post_parameters("password1", "password2")
def invitation_accept(request, token: str):
    status, user = services.invitation_user_for_token(token)
    if status is not InvitationStatus.VALID:
        # A used, replaced or expired link is an everyday event, not an error: explain
        # and offer "Regístrese aquí" to get a fresh one.
        context = {"expired": status is InvitationStatus.EXPIRED, "invitation_max_age_days": settings.INVITATION_MAX_AGE_DAYS}
        return render(request, "account/invitation_invalid.html", context)

    form = SetPasswordForm(request.POST or None, user=user)
    if request.method == "POST":
        if response := ratelimit.consume_or_429(request, action="accept_invitation"):
            return response
        if form.is_valid():
            user = services.invitation_accept(token=token, password=form.cleaned_data["password1"])
            if user is None:  # spent by a simultaneous submission
                return render(request, "account/invitation_invalid.html", {"expired": False})
            # Seed 001: "el sistema te va a redirigir directamente al contenido".
            return perform_login(request, user, redirect_url=resolve_url(settings.LOGIN_REDIRECT_URL))
    return render(request, "account/invitation_accept.html", {"form": form, "invited_user": user})


@login_not_required
@never_cache
def invitation_request(request):
    """ "Regístrese aquí": send a fresh invitation to a client who has not finished."""
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        if response := ratelimit.consume_or_429(request, action="request_invitation", key=email):
            return response
        # Only a task is queued here, the same work for every address; the lookup and
        # the e-mail happen in the worker. The same redirect and the same page whatever
        # the address (no enumeration, not even by timing).
        transaction.on_commit(partial(tasks.request_invitation.enqueue, email))
        return redirect("accounts:invitation_request_done")
    return render(request, "account/invitation_request.html", {"form": form})


@login_not_required
def invitation_request_done(request):
    return render(request, "account/invitation_request_done.html")


def not_offered(request, *args, **kwargs):
    """allauth pages this portal does not offer answer like any unknown page."""
    raise Http404
