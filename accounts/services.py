"""Invitation-only registration (seed 001, "¿Cómo acceder al Portal de Clientes?").

IT adds a user in the admin → ``invitation_send`` e-mails a link with a random token →
the user opens it (``invitation_user_for_token``) and chooses a password
(``invitation_accept``). Only a hash of the token is stored, on the user row: a new
invitation overwrites it (the old link dies), accepting clears it (single use), and it
expires after settings.INVITATION_MAX_AGE_DAYS.
"""

import enum
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from emails.outbound import queue_email
from jhl_portal.links import absolute_url

from .models import User, UserState, hash_invitation_token


def _invitation_url(token: str) -> str:
    return absolute_url("accounts:invitation_accept", token=token)


@transaction.atomic
def invitation_send(*, user: User) -> str:
    """Issue a fresh invitation to ``user`` and queue its e-mail; return the new token.

    Any earlier link of this user stops working. The e-mail leaves only once the
    transaction commits, so a rolled-back admin save sends nothing.
    """
    token = secrets.token_urlsafe(32)
    user.invitation_token_hash = hash_invitation_token(token)
    user.invitation_sent_at = timezone.now()
    if user.has_usable_password():
        # Never reached from the admin (only users without a password are invited), but
        # an invitation must not leave an old password working next to the new one.
        user.set_unusable_password()
    user.save(update_fields=["invitation_token_hash", "invitation_sent_at", "password"])
    queue_email(
        template="invitation",
        to=[user.email],
        context={
            "first_name": user.first_name,
            "email": user.email,
            "invitation_url": _invitation_url(token),
            "max_age_days": settings.INVITATION_MAX_AGE_DAYS,
        },
    )
    return token


class InvitationStatus(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"  # unknown, already used, replaced by a newer one, or deactivated user


def invitation_user_for_token(token: str) -> tuple[InvitationStatus, User | None]:
    """Look up the user a link belongs to. The user is returned only when the status is VALID."""
    if not token:
        return InvitationStatus.INVALID, None
    user = User.objects.filter(invitation_token_hash=hash_invitation_token(token)).first()
    if user is None or not user.is_active or user.has_usable_password():
        return InvitationStatus.INVALID, None
    if user.state == UserState.INVITATION_EXPIRED:
        return InvitationStatus.EXPIRED, None
    return InvitationStatus.VALID, user


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User | None:
    """Set the password the user chose (already validated) and spend the invitation.

    Returns the user, or None when the link stopped being valid meanwhile: the row is
    locked, so two submissions of one link cannot both set a password.
    """
    user = User.objects.select_for_update().filter(invitation_token_hash=hash_invitation_token(token)).first()
    if user is None or invitation_user_for_token(token)[0] is not InvitationStatus.VALID:
        return None
    user.set_password(password)
    user.invitation_token_hash = ""
    user.save(update_fields=["password", "invitation_token_hash"])
    return user


def invitation_request(*, email: str) -> None:
    """ "Regístrese aquí": re-send the invitation if ``email`` belongs to a user still
    waiting to choose a password; otherwise do nothing. The caller answers the same
    either way, so the page reveals nothing about who is a client."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is not None and user.can_be_invited:
        invitation_send(user=user)
