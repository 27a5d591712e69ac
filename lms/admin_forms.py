"""Forms the project puts in place of Wagtail admin's own (settings WAGTAILADMIN_*_FORM)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class AdminLoginForm(LoginForm):
    """Wagtail's login form, with labels a catalogue can translate: Wagtail leaves its
    fields unlabelled, so Django shows their Python names ("Username", "Password")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password"].label = _("Kata sandi")
