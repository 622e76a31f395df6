"""Users and the client companies they belong to.

Clients log in by e-mail; there is no username. A client user belongs to one
Organization (their company); staff users are JHLeasing employees and belong to none.

Registration is by invitation only (seed 001): IT adds the user in the admin, the user
gets an e-mail with a single-use link and chooses their own password. Until then the
password is unusable, so an invited account can never be logged into.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.mx import rfc as stdnum_rfc

from jhl_portal.text import SingleLineCharField


def validate_rfc(value: str) -> None:
    """Validate an RFC by its format: letters, a valid date, the homoclave (stdnum.mx.rfc).

    Not its check digit: python-stdnum notes that about 1.5% of the RFCs the SAT has
    issued fail it, and a real client must never be refused.
    """
    try:
        stdnum_rfc.validate(value, validate_check_digits=False)
    except StdnumValidationError:
        raise ValidationError(
            _("El RFC «%(rfc)s» no es válido. Revise que tenga 12 caracteres (13 para personas físicas) con una fecha válida."),
            code="invalid_rfc",
            params={"rfc": value},
        ) from None


class Organization(models.Model):
    name = SingleLineCharField(_("nombre"), max_length=200, unique=True)
    # Room for the dashes or spaces people type ("MAB-930714-8T4"); clean() stores the
    # compact 12 or 13 characters.
    rfc = models.CharField(_("RFC"), max_length=16, blank=True, validators=[validate_rfc])
    created_at = models.DateTimeField(_("creada"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organización")
        verbose_name_plural = _("organizaciones")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.rfc = stdnum_rfc.compact(self.rfc) if self.rfc else ""


def hash_invitation_token(token: str) -> str:
    """The SHA-256 hex digest stored instead of the invitation token itself.

    The token carries 256 random bits, so a fast hash is enough: what matters is that a
    database leak does not hand out working links.
    """
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_max_age() -> timedelta:
    return timedelta(days=settings.INVITATION_MAX_AGE_DAYS)


class UserState(models.TextChoices):
    INVITED = "invited", _("Invitado")
    ACTIVE = "active", _("Activo")
    INVITATION_EXPIRED = "invitation_expired", _("Invitación vencida")
    DEACTIVATED = "deactivated", _("Desactivado")


class UserQuerySet(models.QuerySet):
    # The password column alone tells whether a user ever chose a password: invited
    # users keep Django's unusable-password marker until they accept.
    def without_password(self):
        return self.filter(password__startswith=UNUSABLE_PASSWORD_PREFIX)

    def team_of(self, area):
        """The active staff of `area`'s team: who may own its tickets and hears about them."""
        return self.filter(is_active=True, is_staff=True, groups__area=area)

    def with_state(self, state: str):
        active = self.filter(is_active=True)
        fresh_since = timezone.now() - invitation_max_age()
        match state:
            case UserState.DEACTIVATED:
                return self.filter(is_active=False)
            case UserState.ACTIVE:
                return active.exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
            case UserState.INVITED:
                return active.without_password().filter(invitation_sent_at__gt=fresh_since)
            case UserState.INVITATION_EXPIRED:
                return active.without_password().exclude(invitation_sent_at__gt=fresh_since)
        raise ValueError(state)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email: str):
        # E-mail addresses are compared without regard to case.
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("correo electrónico"), unique=True)
    first_name = SingleLineCharField(_("nombre"), max_length=150)
    last_name = SingleLineCharField(_("apellidos"), max_length=150)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organización"),
        related_name="members",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("La empresa cliente del usuario. Vacío para el personal de JHLeasing."),
    )
    is_staff = models.BooleanField(
        _("personal de JHLeasing"),
        default=False,
        help_text=_("Puede entrar al panel de administración."),
    )
    is_active = models.BooleanField(
        _("activo"),
        default=True,
        help_text=_("Desmárquelo para desactivar la cuenta en lugar de borrarla."),
    )
    date_joined = models.DateTimeField(_("fecha de alta"), default=timezone.now)
    # Only the hash of the current invitation's token is kept; sending a new invitation
    # overwrites it (the old link stops working) and accepting clears it (single use).
    invitation_token_hash = models.CharField(_("invitación (hash)"), max_length=64, blank=True, db_index=True, editable=False)
    invitation_sent_at = models.DateTimeField(_("invitación enviada"), null=True, blank=True, editable=False)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        ordering = ["email"]
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def is_client(self) -> bool:
        return not self.is_staff

    @property
    def invitation_expires_at(self):
        return self.invitation_sent_at + invitation_max_age() if self.invitation_sent_at else None

    @property
    def state(self) -> UserState:
        """The account's state for IT, computed from this row alone (no queries)."""
        if not self.is_active:
            return UserState.DEACTIVATED
        if self.has_usable_password():
            return UserState.ACTIVE
        if self.invitation_expires_at and self.invitation_expires_at > timezone.now():
            return UserState.INVITED
        return UserState.INVITATION_EXPIRED

    @property
    def can_be_invited(self) -> bool:
        """An active user who has not chosen a password yet (invited, link fresh or not)."""
        return self.state in {UserState.INVITED, UserState.INVITATION_EXPIRED}
