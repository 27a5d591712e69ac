"""Blocks a trainer composes a lesson from.

Every block renders with no network access: a village office may sit on a
closed network, so video is either an uploaded file or a link/iframe built from
the URL itself, never an oEmbed lookup at render time.
"""

import copy
import re
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


def youtube_embed_url(url: str) -> str:
    """Return a privacy-friendly embed URL for a YouTube link, or '' for anything else."""
    parsed = urlparse(url or "")
    host = (parsed.hostname or "").lower()
    video_id = ""
    if host in {"youtu.be"}:
        video_id = parsed.path.lstrip("/")
    elif host.endswith("youtube.com") or host.endswith("youtube-nocookie.com"):
        if parsed.path == "/watch":
            video_id = parse_qs(parsed.query).get("v", [""])[0]
        elif parsed.path.startswith(("/embed/", "/shorts/")):
            video_id = parsed.path.split("/")[2]
    return f"https://www.youtube-nocookie.com/embed/{video_id}" if _YOUTUBE_ID.match(video_id) else ""


class HeadingBlock(blocks.StructBlock):
    """A section heading; level 2 or 3 keeps the page outline valid for screen readers."""

    text = blocks.CharBlock(label=_("Teks"))
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Judul bagian")), ("h3", _("Subjudul"))], default="h2", label=_("Tingkat")
    )

    class Meta:
        icon = "title"
        template = "courses/blocks/heading_block.html"
        label = _("Judul")
        preview_value = {"text": "Ringkasan materi", "level": "h2"}
        description = _("Judul bagian pelajaran.")


class ImageBlock(blocks.StructBlock):
    """An illustration with alternative text (required) and an optional caption."""

    image = ImageChooserBlock(label=_("Gambar"))
    alt_text = blocks.CharBlock(label=_("Teks alternatif"), help_text=_("Untuk pembaca layar."))
    caption = blocks.CharBlock(label=_("Keterangan"), required=False)

    class Meta:
        icon = "image"
        template = "courses/blocks/image_block.html"
        label = _("Gambar")
        description = _("Gambar dengan teks alternatif.")


class VideoBlock(blocks.StructBlock):
    """A video: an uploaded file (works offline) or a YouTube/other link."""

    title = blocks.CharBlock(label=_("Judul video"))
    video_file = DocumentChooserBlock(
        label=_("Berkas video"), required=False, help_text=_("MP4/WebM yang diunggah; berfungsi di jaringan tertutup.")
    )
    url = blocks.URLBlock(label=_("Tautan video"), required=False, help_text=_("Mis. tautan YouTube."))
    transcript = blocks.TextBlock(label=_("Transkrip"), required=False)

    class Meta:
        icon = "media"
        template = "courses/blocks/video_block.html"
        label = _("Video")
        description = _("Video yang diunggah atau tautan YouTube.")

    def clean(self, value):
        cleaned = super().clean(value)
        if not cleaned.get("video_file") and not cleaned.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(_("Pilih berkas video atau isi tautan video."))}
            )
        return cleaned

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["embed_url"] = youtube_embed_url(value.get("url"))
        return context


class DocumentBlock(blocks.StructBlock):
    """A downloadable reference: the law's text, a form, a leaflet."""

    document = DocumentChooserBlock(label=_("Dokumen"))
    title = blocks.CharBlock(label=_("Judul tautan"), required=False)
    description = blocks.TextBlock(label=_("Keterangan"), required=False)

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/document_block.html"
        label = _("Dokumen")
        description = _("Tautan unduhan dokumen.")


class ProvisionChooserBlock(SnippetChooserBlock):
    """Chooses a provision; a lesson's citations load their provisions, legal bases and amending
    instruments in one query, however many citations the lesson has."""

    def __init__(self, **kwargs):
        super().__init__("lms.LegalProvision", **kwargs)

    def deconstruct(self):
        return ("wagtail.snippets.blocks.SnippetChooserBlock", ("lms.LegalProvision",), self._constructor_args[1])

    def bulk_to_python(self, values):
        objects = self.model_class.objects.select_related(
            "legal_basis", "changed_by", "changed_by_provision__legal_basis"
        ).in_bulk([value for value in values if value is not None])
        result, seen = [], set()
        for value in values:
            obj = objects.get(value)
            if obj is not None and value in seen:
                obj = copy.copy(obj)
            seen.add(value)
            result.append(obj)
        return result


class CitationMode:
    QUOTE = "quote"
    SUMMARY = "summary"
    CHOICES = [(QUOTE, pgettext_lazy("citation", "Bunyi pasal")), (SUMMARY, pgettext_lazy("citation", "Ringkasan"))]


class LegalCitationBlock(blocks.StructBlock):
    """A provision of the law, quoted word for word ("Bunyi pasal", only when its official wording is
    stored on the provision) or summarised ("Ringkasan", in the trainer's words).

    The page says which one it is, and shows the provision's status when it is no longer simply in force.
    """

    provision = ProvisionChooserBlock(label=_("Pasal"))
    mode = blocks.ChoiceBlock(
        choices=CitationMode.CHOICES,
        default=CitationMode.SUMMARY,
        label=_("Jenis kutipan"),
        help_text=_("Bunyi pasal menampilkan teks resmi yang tersimpan pada pasal; selain itu tulis ringkasan."),
    )
    text = blocks.TextBlock(label=pgettext_lazy("citation", "Ringkasan"), required=False, help_text=_("Wajib untuk ringkasan."))

    class Meta:
        icon = "openquote"
        template = "courses/blocks/legal_citation_block.html"
        label = _("Kutipan pasal")
        description = _("Bunyi resmi atau ringkasan pasal peraturan.")

    def clean(self, value):
        value = super().clean(value)
        provision = value.get("provision")
        if value.get("mode") == CitationMode.QUOTE:
            if provision is not None and not provision.has_text:
                raise blocks.StructBlockValidationError(
                    block_errors={
                        "mode": ValidationError(
                            _(
                                "Bunyi pasal %(provision)s belum tersimpan. Pilih Ringkasan, atau minta peninjau "
                                "mengisi bunyi resminya pada pasal itu."
                            )
                            % {"provision": provision}
                        )
                    }
                )
        elif not (value.get("text") or "").strip():
            raise blocks.StructBlockValidationError(
                block_errors={"text": ValidationError(_("Tulis ringkasan pasal ini."))}
            )
        return value


class CaseStudyBlock(blocks.StructBlock):
    """A case study, tip or warning set apart from the running text."""

    kind = blocks.ChoiceBlock(
        choices=[
            ("case_study", _("Studi kasus")),
            ("important", _("Penting")),
            ("warning", _("Peringatan")),
            ("tip", _("Tips")),
        ],
        default="case_study",
        label=_("Jenis"),
    )
    title = blocks.CharBlock(label=_("Judul"))
    text = blocks.RichTextBlock(features=["bold", "italic", "ol", "ul", "link"], label=_("Isi"))

    class Meta:
        icon = "help"
        template = "courses/blocks/case_study_block.html"
        label = _("Studi kasus / catatan")
        description = _("Studi kasus, catatan penting, atau peringatan.")


class LessonStreamBlock(blocks.StreamBlock):
    """Everything a module's lesson can hold."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "ol", "ul", "link", "document-link", "h3", "h4"],
        label=_("Teks"),
        icon="pilcrow",
        template="courses/blocks/paragraph_block.html",
    )
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    legal_citation = LegalCitationBlock()
    case_study = CaseStudyBlock()

    class Meta:
        block_counts = {}
