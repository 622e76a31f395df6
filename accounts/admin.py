from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Organization, User, UserState


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "rfc", "created_at"]
    search_fields = ["name", "rfc"]
    # Set by the database default; editable it would be one more required field in the
    # "+" popup IT uses while adding a user.
    readonly_fields = ["created_at"]


class UserAddForm(forms.ModelForm):
    """IT registers a client with name, e-mail and company only (seed 001): no password.

    The user chooses it through the invitation e-mail sent on save; until then the
    password is unusable (UserManager / set_unusable_password).
    """

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "organization"]

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


class UserChangeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "organization", "is_active", "is_staff", "is_superuser", "groups"]


class StateFilter(admin.SimpleListFilter):
    title = _("estado")
    parameter_name = "estado"

    def lookups(self, request, model_admin):
        return UserState.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.with_state(self.value())
        return queryset


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserAddForm
    form = UserChangeForm
    add_form_template = None
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "organization", "state_badge", "is_staff"]
    list_select_related = ["organization"]
    list_filter = [StateFilter, "is_staff", "is_active", "groups", "organization"]
    search_fields = ["email", "first_name", "last_name", "organization__name"]
    autocomplete_fields = ["organization"]
    readonly_fields = ["state_badge", "invitation_sent_at", "last_login", "date_joined"]
    actions = ["resend_invitation"]
    # No password on either form: everyone chooses their own through the invitation or
    # "¿Olvidó su contraseña?", so IT never knows a password.
    fieldsets = [
        (None, {"fields": ["email", "state_badge", "invitation_sent_at"]}),
        (_("Datos personales"), {"fields": ["first_name", "last_name", "organization"]}),
        (_("Permisos"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Fechas"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "description": _("Al guardar se envía al usuario el correo de invitación para que elija su contraseña."),
                "fields": ["first_name", "last_name", "email", "organization"],
            },
        ),
    ]

    @admin.display(description=_("Estado"))
    def state_badge(self, user: User) -> str:
        return user.state.label

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.invitation_send(user=obj)
            messages.success(request, _("Se envió la invitación a %(email)s.") % {"email": obj.email})

    def get_urls(self):
        # Drop Django's "change password" page: IT never sets a password for anyone.
        return [url for url in super().get_urls() if url.name != "auth_user_password_change"]

    def response_add(self, request, obj, post_url_continue=None):
        # Django's UserAdmin jumps to "change" after add to ask for a password; there is
        # none to ask for here, so behave like any other ModelAdmin.
        return admin.ModelAdmin.response_add(self, request, obj, post_url_continue)

    @admin.action(description=_("Reenviar invitación"))
    def resend_invitation(self, request, queryset):
        sent, skipped = 0, 0
        with transaction.atomic():
            for user in queryset:
                if user.can_be_invited:
                    services.invitation_send(user=user)
                    sent += 1
                else:
                    skipped += 1
        if sent:
            self.message_user(
                request,
                ngettext("Se reenvió %(count)d invitación.", "Se reenviaron %(count)d invitaciones.", sent) % {"count": sent},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d usuario no se invitó: ya eligió su contraseña o está desactivado.",
                    "%(count)d usuarios no se invitaron: ya eligieron su contraseña o están desactivados.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
