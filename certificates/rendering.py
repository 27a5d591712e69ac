"""Certificate PDFs with WeasyPrint: one A4 landscape page, archival PDF/A-3u.

Speed. A naive `HTML(string=...).write_pdf()` parses the stylesheet, loads
the @font-face fonts into a new FontConfiguration (temporary files and a
fontconfig rescan) and decodes every image on every call. A worker renders
thousands of certificates, so each process keeps one `CertificateRenderer`
(per thread) holding what does not change between certificates: the parsed
stylesheet, the FontConfiguration with the project's fonts, and the decoded
logo, signature and background images. Only the per-certificate HTML (a few
kilobytes) and its QR code are new on each render.

Safety. Rendering never touches the network or arbitrary files: every URL in
the document goes through `AssetFetcher`, which answers only the project's
own static files and media files (through the storage backends, so it works
with S3 too) and the inline QR image, and refuses everything else.
"""

import base64
import hashlib
import io
import json
import logging
import mimetypes
import posixpath
import threading
from dataclasses import dataclass
from urllib.parse import unquote

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML, Attachment
from weasyprint.images import RasterImage
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from certificates import signing
from certificates.codes import code_display
from certificates.credentials.qr import QR_ERROR, qr_content
from certificates.models.templates import DEFAULT_BODY, DEFAULT_CLOSING, DEFAULT_TITLE, fill_placeholders

logger = logging.getLogger(__name__)

# Never resolved over the network: the fetcher answers this origin itself.
ASSET_ORIGIN = "https://certificate-assets.invalid/"
STATIC_PREFIX = ASSET_ORIGIN + "static/"
MEDIA_PREFIX = ASSET_ORIGIN + "media/"
STYLESHEET = "certificates/certificate_pdf.css"
HTML_TEMPLATE = "certificates/certificate_pdf.html"
PDF_VARIANT = "pdf/a-3u"
# Wagtail renditions keep embedded images small (the PDF stays well under 100 KB).
RENDITIONS = {
    "logo": "max-360x360|format-png",
    "signature": "max-600x240|format-png",
    "stamp": "max-300x300|format-png",
    "background": "max-1600x1130|format-jpeg|jpegquality-60",
}


class AssetRefused(ValueError):
    """A document asked for something other than the project's own files."""


def static_asset_url(path: str) -> str:
    return STATIC_PREFIX + path.lstrip("/")


def media_asset_url(name: str) -> str:
    return MEDIA_PREFIX + name.lstrip("/")


def _safe_relative(path: str) -> str:
    path = unquote(path.split("?", 1)[0].split("#", 1)[0])
    normalized = posixpath.normpath(path)
    if not path or normalized.startswith(("/", "..")) or "\\" in path or "\x00" in path:
        raise AssetRefused(f"refused path {path!r}")
    return normalized


def _read_static(path: str) -> bytes:
    found = finders.find(path)
    if found:
        with open(found, "rb") as handle:
            return handle.read()
    with staticfiles_storage.open(path) as handle:
        return handle.read()


def _read_media(name: str) -> bytes:
    with default_storage.open(name) as handle:
        return handle.read()


class AssetFetcher(URLFetcher):
    """Serves the project's static and media files and inline PNG data; refuses everything else."""

    def fetch(self, url, headers=None):
        if url.startswith("data:image/png;base64,"):
            body = base64.b64decode(url.partition(",")[2], validate=True)
            return URLFetcherResponse(url, body, {"Content-Type": "image/png"})
        if url.startswith(STATIC_PREFIX):
            body = _read_static(_safe_relative(url[len(STATIC_PREFIX) :]))
        elif url.startswith(MEDIA_PREFIX):
            body = _read_media(_safe_relative(url[len(MEDIA_PREFIX) :]))
        else:
            logger.warning("Certificate rendering refused %s", url[:200])
            raise AssetRefused(f"refused {url[:200]}: only the project's static and media files are served")
        content_type = mimetypes.guess_type(url)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


class _LayeredImageCache(dict):
    """WeasyPrint's image cache for one document, reading through to the process-wide one.

    Decoded static images are promoted to the shared cache after each render: a
    static file never changes while the process runs. Media images (logos,
    signatures, stamps) and the per-certificate QR image (a data: URL) stay in
    the per-render layer and are dropped with it: an uploaded file may be
    replaced under the same name, and a long-running worker must then print the
    new one. The shared cache never grows with the number of certificates.
    """

    def __init__(self, shared: dict):
        super().__init__()
        self.shared = shared

    def __contains__(self, key):
        return dict.__contains__(self, key) or key in self.shared

    def __getitem__(self, key):
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return self.shared[key]

    def promote_assets(self) -> None:
        asset_urls = [key for key in self if isinstance(key, str) and key.startswith(STATIC_PREFIX)]
        # WeasyPrint keys an image's encoded data by the md5 of its URL.
        prefixes = {hashlib.md5(url.encode(), usedforsecurity=False).hexdigest() for url in asset_urls}
        for key in list(self):
            if key in asset_urls or (isinstance(key, str) and key.split("-", 1)[0] in prefixes):
                value = dict.__getitem__(self, key)
                if isinstance(value, RasterImage):
                    _reuse_encoded_png(value)
                self.shared[key] = value


def _reuse_encoded_png(image: RasterImage) -> None:
    """WeasyPrint re-encodes a PNG (and its alpha mask) for every document it appears in;
    a logo or signature is the same in every certificate, so encode it once per process."""
    if "_get_png_data" in image.__dict__:
        return
    encode = image._get_png_data
    encoded: dict = {}

    def get_png_data(pillow_image):
        key = (pillow_image.mode, pillow_image.size)
        if key not in encoded:
            encoded[key] = encode(pillow_image)
        return encoded[key]

    image._get_png_data = get_png_data


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    sha256: str


# WeasyPrint matches every element against its full HTML user-agent stylesheet (hundreds of
# rules) on each render; the certificate uses a handful of elements, so it gets a minimal one.
MINIMAL_UA_STYLESHEET = """
html, body, div, p, h1, h2 { display: block; }
head, title, meta, style, link, script { display: none; }
span, strong { display: inline; } img { display: inline-block; }
table { display: table; } tbody { display: table-row-group; } tr { display: table-row; }
td, th { display: table-cell; }
"""


class _CertificateHTML(HTML):
    ua_stylesheet = None

    def _ua_stylesheets(self, forms=False):
        return [self.ua_stylesheet]


class CertificateRenderer:
    """Everything reusable across renders in one long-running process (see module docstring)."""

    def __init__(self):
        self.fetcher = AssetFetcher()
        self.font_config = FontConfiguration()
        self.stylesheet = CSS(
            string=_read_static(STYLESHEET).decode("utf-8"),
            base_url=static_asset_url(STYLESHEET),
            url_fetcher=self.fetcher,
            font_config=self.font_config,
        )
        self.ua_stylesheet = CSS(string=MINIMAL_UA_STYLESHEET, font_config=self.font_config)
        self.images: dict = {}

    def render_html(self, html: str, attachments=()) -> bytes:
        cache = _LayeredImageCache(self.images)
        document = _CertificateHTML(string=html, base_url=ASSET_ORIGIN, url_fetcher=self.fetcher)
        document.ua_stylesheet = self.ua_stylesheet
        pdf = document.write_pdf(
            stylesheets=[self.stylesheet],
            font_config=self.font_config,
            pdf_variant=PDF_VARIANT,
            cache=cache,
            attachments=list(attachments),
        )
        cache.promote_assets()
        return pdf


_local = threading.local()


def get_renderer() -> CertificateRenderer:
    renderer = getattr(_local, "renderer", None)
    if renderer is None:
        renderer = _local.renderer = CertificateRenderer()
    return renderer



# --- What goes on the page ---------------------------------------------------------


QR_BORDER = 2  # modules of quiet zone in the image; the page's white margin adds more
QR_MIN_MM = 28.0  # the printed size of a short QR code (the URL alone)
QR_MODULE_MM = 0.5  # the smallest module a phone reads reliably from paper: a bigger symbol prints bigger


@dataclass(frozen=True)
class QrImage:
    data_url: str
    version: int
    size_mm: float  # printed width and height, quiet zone included


def qr_image(content: str) -> QrImage:
    """A QR code as a PNG data: URL, one pixel per module (scaled crisply by the PDF viewer), and the
    printed size that keeps every module at least QR_MODULE_MM wide."""
    # Level L, raised by segno (boost_error) whenever that keeps the version: the signed token
    # (certificates/credentials/qr.py) fits version 16 at L. A fixed mask pattern skips segno's
    # evaluation of all eight (most of its time, ~7 ms); every mask is valid QR, and the tests
    # decode the result with a real reader.
    symbol = segno.make(content, error=QR_ERROR, micro=False, mask=0)
    buffer = io.BytesIO()
    symbol.save(buffer, kind="png", scale=1, border=QR_BORDER)
    modules = symbol.symbol_size(scale=1, border=QR_BORDER)[0]
    return QrImage(
        data_url="data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii"),
        version=symbol.version,
        size_mm=max(QR_MIN_MM, modules * QR_MODULE_MM),
    )


def qr_data_url(url: str) -> str:
    return qr_image(url).data_url


def _rendition_url(image, spec: str) -> str:
    if image is None:
        return ""
    return media_asset_url(image.get_rendition(spec).file.name)


def _format_date(day) -> str:
    return date_format(day, "j F Y") if day else ""


def _length_class(text: str, steps: tuple[int, ...]) -> str:
    """"len-0" for short text, up to "len-N" for text longer than each step: the stylesheet sets a
    smaller size for each, so long text wraps onto more lines at a smaller size instead of being cut."""
    return "len-%d" % sum(len(text or "") > step for step in steps)


def _format_score(score) -> str:
    return number_format(score, decimal_pos=2) if score is not None else ""


def legal_bases_of(certificate) -> list[str]:
    """The laws the material is based on, each in full (the record keeps them joined by "; ")."""
    return [part.strip() for part in (certificate.legal_basis or "").split("; ") if part.strip()]


def _subject_kind(certificate) -> str:
    return _("program") if certificate.program_id else _("kursus")


def certificate_context(certificate, template) -> dict:
    """Values for the PDF template; call inside `translation.override(template language)`."""
    agency = certificate.agency
    issued_on = _format_date(certificate.issued_on)
    expires_on = _format_date(certificate.expires_on)
    values = {
        "nama": certificate.holder_name,
        "nip": certificate.holder_nip,
        "jenis": _subject_kind(certificate),
        "moda": certificate.get_training_mode_display().lower(),
        "jp": str(certificate.lesson_hours),
        "tanggal": issued_on,
        "berlaku_sampai": expires_on or _("tanpa batas waktu"),
        "instansi": certificate.agency_name,
        "nomor_seri": certificate.serial,
    }
    title_text = template.title_text if template is not None else DEFAULT_TITLE
    body_text = template.body_text if template is not None else DEFAULT_BODY
    closing_text = template.closing_text if template is not None else DEFAULT_CLOSING
    logo = (template.logo if template is not None else None) or agency.logo
    show_score = bool(template and template.show_score and certificate.score is not None)
    syllabus = certificate.syllabus if template is not None and template.show_syllabus else []
    signatory = certificate.signatory
    holder_rows = [
        # Unspaced, as the record and HR's systems hold it: copied from the PDF, it finds the officer.
        (_("NIP"), certificate.holder_nip),
        (_("Pangkat/golongan"), certificate.holder_rank),
        (_("Jabatan"), certificate.holder_position),
        (_("Unit kerja"), certificate.holder_unit),
    ]
    legal_bases = legal_bases_of(certificate)
    qr = qr_image(qr_content(certificate))
    return {
        "certificate": certificate,
        "language": translation.get_language(),
        "title_text": title_text,
        "body": fill_placeholders(body_text, values),
        "closing": fill_placeholders(closing_text, values),
        "subject_title": certificate.title,
        "title_class": _length_class(certificate.title, (70, 140, 210)),
        "holder_class": _length_class(certificate.holder_name, (40, 70, 110)),
        "holder_rows": [(label, value) for label, value in holder_rows if value],
        "is_program": bool(certificate.program_id),
        "period": (
            _("%(start)s s.d. %(end)s")
            % {"start": _format_date(certificate.period_start), "end": _format_date(certificate.period_end)}
            if certificate.period_start and certificate.period_end
            else ""
        ),
        "training_mode": certificate.get_training_mode_display(),
        "score": _format_score(certificate.score) if show_score else "",
        "legal_bases": legal_bases,
        "legal_class": _length_class("; ".join(legal_bases), (300, 500, 750)),
        "syllabus": syllabus,
        "syllabus_total": sum(hours for _title, hours in syllabus),
        "issued_on": issued_on,
        "expires_on": expires_on,
        "signatory": signatory,
        "signatory_number": signatory.id_number if signatory else "",
        "signing_place_date": ", ".join(part for part in ((signatory.place if signatory else ""), issued_on) if part),
        "accent_color": (template.accent_color if template else "") or agency.accent_color or "#1d4f91",
        "logo_url": _rendition_url(logo, RENDITIONS["logo"]),
        "signature_url": _rendition_url(signatory.signature_image if signatory else None, RENDITIONS["signature"]),
        "stamp_url": _rendition_url(signatory.stamp_image if signatory else None, RENDITIONS["stamp"]),
        "background_url": _rendition_url(template.background_image if template else None, RENDITIONS["background"]),
        "verification_url": certificate.verification_url,
        "qr": qr,
        "qr_url": qr.data_url,
        # The text beside the QR code: 4 mm from it, within the 150 mm of the verification block.
        "verify_text_left_mm": qr.size_mm + 4,
        "verify_text_width_mm": 147 - (qr.size_mm + 4),
        "code_display": code_display(certificate.code),
        "signature_statement": signing.signature_statement(signing.configured_identity()),
        "pdf_subject": _("Sertifikat %(title)s atas nama %(name)s, nomor seri %(serial)s")
        % {"title": certificate.title, "name": certificate.holder_name, "serial": certificate.serial},
    }


def certificate_html(certificate, template) -> str:
    language = template.language if template is not None else settings.LANGUAGE_CODE
    with translation.override(language):
        return render_to_string(HTML_TEMPLATE, certificate_context(certificate, template))


CREDENTIAL_FILE_NAME = "credential.json"


def credential_attachment(credential: dict) -> Attachment:
    """The Open Badges credential as a PDF/A-3 associated file (AFRelationship /Data): the data the page shows."""
    return Attachment(
        string=json.dumps(credential, ensure_ascii=False, indent=2),
        name=CREDENTIAL_FILE_NAME,
        description="Open Badges 3.0 Verifiable Credential (application/vc+ld+json)",
        relationship="Data",
    )


def render_certificate_pdf(certificate, template, *, credential: dict | None = None) -> RenderedPdf:
    """The PDF bytes for a certificate record and its effective template (None = built-in default),
    with its signed credential embedded when it has one."""
    attachments = [credential_attachment(credential)] if credential else []
    content = get_renderer().render_html(certificate_html(certificate, template), attachments)
    return RenderedPdf(content=content, sha256=hashlib.sha256(content).hexdigest())
