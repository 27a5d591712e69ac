"""Uploads are checked before they are read: type and size by Wagtail's settings
(WAGTAILIMAGES_EXTENSIONS / _MAX_UPLOAD_SIZE / _MAX_IMAGE_PIXELS, WAGTAILDOCS_*),
and a file that claims to be an image but cannot be decoded gets a form error.

Wagtail 8 opens the image to measure it and lets a decoder error escape from a
truncated file (a 500 on upload); the field below turns it into the form's
"not a valid image" message.
"""

from django.core.exceptions import ValidationError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


class CheckedImageField(WagtailImageField):
    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except ValidationError:
            raise
        except Exception as exc:  # noqa: BLE001 - any decoder failure means "not an image we can use"
            raise ValidationError(self.error_messages["invalid_image"], code="invalid_image") from exc


class ImageForm(BaseImageForm):
    """settings.WAGTAILIMAGES_IMAGE_FORM_BASE"""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, as Wagtail builds its own, so the size and type limits are read
        # from the settings in force now (not frozen when this module was imported).
        if "file" in self.fields:
            original = self.fields["file"]
            self.fields["file"] = CheckedImageField(
                label=original.label, required=original.required, widget=original.widget
            )
