from allauth.account import forms as allauth_forms
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .models import User


class PasswordInput(forms.CharField):
    """A password typed exactly as entered: never stripped, never truncated."""

    def __init__(self, *, label, autocomplete="new-password", **kwargs):
        # No maxlength attribute: a browser would cut a long password silently; the
        # server's MaximumLengthValidator answers with a message instead.
        attrs = {"autocomplete": autocomplete}
        super().__init__(label=label, strip=False, widget=forms.PasswordInput(attrs=attrs), **kwargs)


class SetPasswordForm(forms.Form):
    """The page of step 3 of seed 001: "Contraseña", "Confirmar contraseña"."""

    password1 = PasswordInput(label=_("Contraseña"))
    password2 = PasswordInput(label=_("Confirmar contraseña"))

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["password1"].widget.attrs.update({"data-password-policy": "", "aria-describedby": "password-rules"})
        self.fields["password2"].widget.attrs.update({"data-password-confirm": ""})

    def clean_password1(self) -> str:
        password = self.cleaned_data["password1"]
        password_validation.validate_password(password, self.user)
        return password

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and "password2" in cleaned and cleaned["password1"] != cleaned["password2"]:
            self.add_error("password2", _("Las contraseñas no coinciden."))
        return cleaned


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Correo electrónico"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class LoginForm(allauth_forms.LoginForm):
    """allauth's login form; our page links "¿Olvidó su contraseña?" itself, so the
    password's help text (and the aria-describedby pointing at it) goes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""
