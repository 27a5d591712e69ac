from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.codes import NotAVerificationLink, code_from_typed, code_normalize
from certificates.models import BundleFormat
from lms.models import Office, Village


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=300,  # a pasted link is longer than the code
        help_text=_(
            "16 huruf dan angka yang tercetak di sebelah kanan kode QR, setelah “Kode verifikasi” "
            "(mis. 7K3M-Q9XD-4F2B-NR8T). Anda juga bisa menempelkan tautan verifikasinya."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def clean_code(self):
        try:
            typed = code_from_typed(self.cleaned_data["code"])
        except NotAVerificationLink:
            raise forms.ValidationError(
                _(
                    "Tautan ini bukan tautan verifikasi sertifikat. Tautan verifikasi berakhir dengan "
                    "/verify/ lalu kodenya, mis. /verify/7K3M-Q9XD-4F2B-NR8T/; Anda juga bisa mengetik kodenya saja."
                ),
                code="not_a_verification_link",
            ) from None
        code = code_normalize(typed)
        if code is None:
            raise forms.ValidationError(
                _("Kode verifikasi terdiri dari 16 huruf dan angka (mis. 7K3M-Q9XD-4F2B-NR8T). Periksa kembali ketikan Anda."),
                code="invalid_code",
            )
        return code


class BundleForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=BundleFormat.choices, initial=BundleFormat.PDF)
    office = forms.ModelChoiceField(
        label=_("Kantor"), queryset=Office.objects.all(), required=False, empty_label=_("Semua kantor")
    )
    village = forms.ModelChoiceField(
        label=_("Desa binaan"),
        queryset=Village.objects.select_related("office"),
        required=False,
        empty_label=_("Semua desa"),
    )
