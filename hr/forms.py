"""Forms of the HR workspace. Uploads are refused by name and size before their content is read."""

from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.models import RevocationReason
from hr import bulk
from hr.selectors import subject_choices, subject_from_value
from hr.tabular import TableError, check_upload, read_table, too_large_message
from lms.models import Office


class UploadField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            try:
                check_upload(name=upload.name, size=upload.size)
            except TableError as error:
                raise forms.ValidationError(error.message) from None
        return upload


class UploadLimitMixin:
    """Shows the size message when `UploadLimitHandler` stopped the file while it arrived."""

    def __init__(self, *args, upload_too_large: bool = False, request_size: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_too_large, self.request_size = upload_too_large, request_size
        if upload_too_large:
            self.fields["file"].required = False

    def clean(self):
        if self.upload_too_large:
            raise forms.ValidationError({"file": too_large_message(size=self.request_size)})
        return super().clean()


class OfficerImportForm(UploadLimitMixin, forms.Form):
    file = UploadField(
        label=_("Berkas petugas (CSV atau XLSX)"),
        help_text=_("Kolom: NIP, Nama Lengkap, Email, Pangkat/Golongan, Kantor, Desa Binaan, Kabupaten/Kota, Provinsi."),
    )


class BulkVerificationForm(UploadLimitMixin, forms.Form):
    subjek = forms.ChoiceField(label=_("Kursus atau program"))
    nips = forms.CharField(
        label=_("Tempel NIP"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Satu NIP per baris; spasi di dalam NIP boleh."),
    )
    file = UploadField(label=_("atau unggah berkas (CSV atau XLSX)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjek"].choices = [("", _("Pilih kursus atau program"))] + subject_choices()

    def clean_subjek(self):
        subject = subject_from_value(self.cleaned_data["subjek"])
        if subject is None:
            raise forms.ValidationError(_("Pilih kursus atau program."))
        return subject

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), (cleaned.get("nips") or "").strip()
        if self.errors:
            return cleaned
        if upload and text:
            raise forms.ValidationError(_("Tempel NIP atau unggah berkas, jangan keduanya."))
        try:
            if upload:
                cleaned["items"] = bulk.parse_table(read_table(name=upload.name, data=upload.read(), header=False))
            elif text:
                cleaned["items"] = bulk.parse_pasted(text)
            else:
                raise forms.ValidationError(_("Tempel NIP atau unggah berkas."))
        except TableError as error:
            raise forms.ValidationError(error.message) from None
        return cleaned


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(label=_("Alasan"), choices=[("", _("Pilih alasan"))] + RevocationReason.choices)
    note = forms.CharField(
        label=_("Catatan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wajib: jelaskan dasar pencabutan (mis. nomor surat)."),
    )


class BulkIssueForm(forms.Form):
    subjek = forms.ChoiceField(
        label=_("Kursus atau program"),
        error_messages={"required": _("Pilih kursus atau program."), "invalid_choice": _("Pilih kursus atau program.")},
    )
    office = forms.ModelChoiceField(
        label=_("Kantor"),
        queryset=None,
        required=False,
        empty_label=_("Semua kantor"),
        help_text=_("Batasi pada petugas satu kantor, mis. setelah hari pelatihan."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjek"].choices = [("", _("Pilih kursus atau program"))] + subject_choices()
        self.fields["office"].queryset = Office.objects.order_by("name")

    def clean_subjek(self):
        subject = subject_from_value(self.cleaned_data["subjek"])
        if subject is None:
            raise forms.ValidationError(_("Pilih kursus atau program."))
        return subject


class RefresherRequireForm(forms.Form):
    """Which of a change's holders must do a refresher: the ticked certificates, or every one listed."""

    SELECTED, ALL = "dipilih", "semua"
    cakupan = forms.ChoiceField(choices=[(SELECTED, _("Yang dipilih")), (ALL, _("Semua yang ditampilkan"))])
    sertifikat = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Ids are checked against the change's own holders by the view (it narrows its queryset to them).
        self.fields["sertifikat"].valid_value = lambda value: str(value).isascii() and str(value).isdigit()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cakupan") == self.SELECTED and not cleaned.get("sertifikat"):
            raise forms.ValidationError(_("Pilih sedikitnya satu sertifikat, atau minta penyegaran untuk semua yang ditampilkan."))
        return cleaned

    def error_text(self) -> str:
        return " ".join(message for messages in self.errors.values() for message in messages)
