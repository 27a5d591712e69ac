"""Generated and uploaded files that are deleted after a while, while their records stay as history."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RetainedFileRecord(models.Model):
    """A record whose `file` is deleted `settings.HR_FILE_RETENTION_DAYS` days after it was finished or uploaded
    (`manage.py cleanup_hr_files`, hr.services.hr_files_cleanup).

    The file name stays on the record, so the history still says which file
    there was; `file_deleted_at` tells every page and download that it is gone.
    """

    file_deleted_at = models.DateTimeField(
        _("berkas dihapus pada"),
        null=True,
        blank=True,
        help_text=_("Berkas dihapus otomatis setelah masa simpannya; catatan ini tetap disimpan."),
    )

    class Meta:
        abstract = True

    @property
    def file_available(self) -> bool:
        return bool(self.file) and self.file_deleted_at is None
