from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

from lms.password_reset import password_reset_request


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Nama pengguna atau kata sandi salah. Periksa kembali, huruf besar/kecil dibedakan."),
        "inactive": _("Akun ini tidak aktif. Hubungi SDM kantor Anda."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password"].label = _("Kata sandi")


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Kata sandi lama")
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": _("Kata sandi lama salah. Ketik ulang."),
            "password_mismatch": _("Kedua kata sandi baru tidak sama."),
        }


class PasswordResetRequestForm(forms.Form):
    """"Lupa kata sandi" on the site's pages: the address only; the worker does the rest."""

    email = forms.EmailField(
        label=_("Alamat email"),
        max_length=254,
        help_text=_("Alamat email akun Anda, yang didaftarkan SDM kantor Anda."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def save(self, *, request, **mail_options):
        """Called by Django's PasswordResetView with its mail options, which the task's own mail replaces."""
        password_reset_request(email=self.cleaned_data["email"], request=request)


class AdminPasswordResetForm(WagtailPasswordResetForm):
    """The Wagtail admin's reset form, queueing the same task instead of mailing in the request."""

    def save(self, *, request, **mail_options):
        password_reset_request(email=self.cleaned_data["email"], request=request)
