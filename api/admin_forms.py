"""The admin's form for an API client: scopes as checkboxes, stored space-separated."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from api.models import ApiClient
from api.scopes import SCOPES


class ApiClientForm(WagtailAdminModelForm):
    scope_choices = forms.MultipleChoiceField(
        label=_("Cakupan"),
        choices=[(scope, f"{scope} — {label}") for scope, label in SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
        required=True,
    )

    class Meta:
        model = ApiClient
        fields = ["name", "agency", "rate_limit_per_minute", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["scope_choices"] = self.instance.scope_list

    def clean(self):
        cleaned = super().clean()
        self.instance.scopes = " ".join(scope for scope in SCOPES if scope in cleaned.get("scope_choices", []))
        return cleaned
