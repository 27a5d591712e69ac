"""Certificate rendering: the project's way against a naive fresh WeasyPrint call per certificate,
and unsigned against signed (PAdES, certificates/signing.py) in the same run.

    DJANGO_SETTINGS_MODULE=lms.settings.test .venv/bin/python bench/certificates.py [--count 200] [--rss-renders 500]

Renders `count` certificates through `certificates.rendering` (one long-lived
renderer: parsed stylesheets, FontConfiguration and decoded images reused),
continues to `rss-renders` renders to watch the worker's memory, then renders
`count` certificates the naive way (`HTML(string=...).write_pdf()` with the
stylesheet inline and a fresh font configuration each time). Both produce
the same one-page PDF/A-3u from the same HTML. Prints medians (ms), their
ratio, PDF sizes and RSS after 50 and after `rss-renders` renders.

Signing: `count` more certificates, each rendered unsigned and rendered and
signed (the order alternating, so drift in the machine's load falls on both),
with a demo key made for the run (ECDSA P-256, as `make run` uses); prints both
medians and their ratio (the aim: signed at most 1.5 times unsigned).

Credentials: for `count` certificates, the Open Badges 3.0 credential signed (eddsa-rdfc-2022:
pyld canonicalisation + Ed25519, certificates/credentials/) with a key made for the run, and the
render without and with that credential embedded (alternating); prints the signing median (the
aim: at most 20 ms) and the median the embedding adds to a render.

QR token: for `count` certificates, the QR image of the URL alone against the QR image of the
URL with its signed token (certificates/credentials/qr.py: claims, EdDSA signature, a larger
symbol), alternating; prints the added median (the aim: at most 20 ms) and the QR versions.

No database is needed: certificate records are built in memory; the logo
and signature are PNG files in a temporary MEDIA_ROOT, as Wagtail
renditions would be.
"""

import argparse
import datetime
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402
from weasyprint import HTML  # noqa: E402

from certificates import demo_signing, rendering, signing  # noqa: E402
from certificates.codes import code_generate  # noqa: E402
from certificates.credentials import keys as credential_keys  # noqa: E402
from certificates.credentials import qr  # noqa: E402
from certificates.credentials import openbadges  # noqa: E402
from certificates.models import Certificate  # noqa: E402
from certificates.models.templates import DEFAULT_BODY, DEFAULT_CLOSING  # noqa: E402
from lms.models import Agency  # noqa: E402

NAMES = [
    "Ni Luh Putu Ayu Ṡaraswati",
    "Euis Nur'aeni",
    "Yohanis Benu",
    "Maria Goreti Bere Mau",
    "Sahat Martua Simanjuntak",
    "Andi Ahmad Rifa'i",
    "Baiq Nurul Hidayati",
    "Ni Komang Ayu Widiastuti",
]


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class MediaImage:
    """Stands in for a Wagtail image whose rendition is already on storage."""

    def __init__(self, name):
        self.name = name

    def get_rendition(self, spec):
        return SimpleNamespace(file=SimpleNamespace(name=self.name))


def write_images(media_root: Path) -> None:
    (media_root / "bench").mkdir(parents=True, exist_ok=True)
    logo = Image.new("RGBA", (360, 360), (0, 0, 0, 0))
    draw = ImageDraw.Draw(logo)
    draw.ellipse((10, 10, 350, 350), fill=(29, 79, 145, 255))
    draw.rectangle((120, 90, 240, 270), fill=(240, 200, 60, 255))
    logo.save(media_root / "bench" / "logo.png")
    signature = Image.new("RGBA", (600, 240), (0, 0, 0, 0))
    ImageDraw.Draw(signature).line([(20, 200), (150, 40), (260, 190), (380, 60), (580, 150)], fill=(20, 30, 90, 255), width=6)
    signature.save(media_root / "bench" / "signature.png")


def make_records(count: int):
    agency = Agency(
        code="IMI",
        name="Direktorat Jenderal Imigrasi",
        short_name="Imigrasi",
        accent_color="#1d4f91",
    )
    for number in range(1, count + 1):
        certificate = Certificate(
            pk=number,
            holder_name=f"{NAMES[number % len(NAMES)]} {number}",
            holder_nip="199001012015031001",
            title="Paspor dan Pencegahan Tindak Pidana Penyelundupan Manusia (TPPM)",
            agency_name=agency.name,
            legal_basis="Undang-Undang Nomor 6 Tahun 2011 tentang Keimigrasian; Undang-Undang Nomor 21 Tahun 2007",
            lesson_hours=4,
            holder_rank="Penata Muda (III/a)",
            holder_position="Analis Keimigrasian Ahli Pertama",
            holder_unit="Kantor Imigrasi Kelas I TPI Denpasar",
            period_start=datetime.date(2026, 11, 20),
            period_end=datetime.date(2026, 11, 23),
            issued_on=datetime.date(2026, 11, 23),
            expires_on=datetime.date(2028, 11, 23),
            serial=f"PIMPASA/IMI/2026/{number:06d}",
            serial_year=2026,
            serial_number=number,
            code=code_generate(),
        )
        certificate.agency = agency
        certificate._state.fields_cache["signatory"] = SIGNATORY  # a plain object: no database row for its image
        yield certificate


# An agency template as the renderer reads it (plain attributes: no database rows for the images).
TEMPLATE = SimpleNamespace(
    title_text="Sertifikat Pelatihan",
    body_text=DEFAULT_BODY,
    closing_text=DEFAULT_CLOSING,
    language="id",
    accent_color="",
    logo=MediaImage("bench/logo.png"),
    background_image=None,
    show_score=False,
    show_syllabus=False,
)
SIGNATORY = SimpleNamespace(
    name="Dr. Penandatangan Uji, M.Si.",
    position="Direktur Jenderal Imigrasi",
    place="Jakarta",
    id_label="NIP",
    id_number="197001011990031001",
    signature_image=MediaImage("bench/signature.png"),
    stamp_image=None,
)


def naive_html(html: str, media_root: Path) -> str:
    """The same document, self-contained for a plain WeasyPrint call: stylesheet inline, files by path."""
    static = Path(settings.BASE_DIR) / "static"
    css = (static / rendering.STYLESHEET).read_text()
    css = css.replace('url("../fonts/', f'url("file://{static}/fonts/')
    html = html.replace("</head>", f"<style>{css}</style></head>", 1)
    return html.replace(rendering.MEDIA_PREFIX, f"file://{media_root}/")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--rss-renders", type=int, default=500)
    args = parser.parse_args()

    media_root = Path(tempfile.mkdtemp(prefix="bench-certificates-"))
    settings.MEDIA_ROOT = media_root
    write_images(media_root)
    total = max(args.count, args.rss_renders)
    records = list(make_records(total))

    project_ms, rss = [], {}
    project_size = 0
    for index, certificate in enumerate(records, start=1):
        started = time.perf_counter()
        pdf = rendering.render_certificate_pdf(certificate, TEMPLATE)
        elapsed = (time.perf_counter() - started) * 1000
        if index <= args.count:
            project_ms.append(elapsed)
        project_size = len(pdf.content)
        if index in (50, args.rss_renders):
            gc.collect()
            rss[index] = rss_mb()

    naive_ms = []
    naive_size = 0
    for certificate in records[: args.count]:
        started = time.perf_counter()
        html = naive_html(rendering.certificate_html(certificate, TEMPLATE), media_root)
        pdf = HTML(string=html, base_url=str(media_root)).write_pdf(pdf_variant=rendering.PDF_VARIANT)
        naive_ms.append((time.perf_counter() - started) * 1000)
        naive_size = len(pdf)

    unsigned_ms, signed_ms, signed_size = sign_rounds(records[: args.count], media_root)
    credential_ms, plain_ms, embedded_ms = credential_rounds(records[: args.count])

    project_median, naive_median = statistics.median(project_ms), statistics.median(naive_ms)
    print(f"certificates rendered:      {args.count} project way, {args.count} naive ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f})")
    print(f"project median:             {project_median:.1f} ms   (first render incl. warm-up {project_ms[0]:.0f} ms; p90 {statistics.quantiles(project_ms, n=10)[-1]:.1f} ms)")
    print(f"naive median:               {naive_median:.1f} ms   (p90 {statistics.quantiles(naive_ms, n=10)[-1]:.1f} ms)")
    print(f"speed-up (naive / project): {naive_median / project_median:.2f}x")
    print(f"PDF size:                   {project_size / 1024:.1f} KB project, {naive_size / 1024:.1f} KB naive")
    print(f"worker RSS:                 {rss.get(50, float('nan')):.1f} MB after 50 renders, "
          f"{rss.get(args.rss_renders, float('nan')):.1f} MB after {args.rss_renders} "
          f"(growth {rss.get(args.rss_renders, 0) - rss.get(50, 0):+.1f} MB)")
    unsigned_median, signed_median = statistics.median(unsigned_ms), statistics.median(signed_ms)
    print(f"unsigned median:            {unsigned_median:.1f} ms   (p90 {statistics.quantiles(unsigned_ms, n=10)[-1]:.1f} ms)")
    print(f"signed median:              {signed_median:.1f} ms   (render + PAdES signature; p90 {statistics.quantiles(signed_ms, n=10)[-1]:.1f} ms; "
          f"first incl. pyHanko import {signed_ms[0]:.0f} ms)")
    print(f"signed / unsigned:          {signed_median / unsigned_median:.2f}x   (aim: at most 1.50x)")
    print(f"signed PDF size:            {signed_size / 1024:.1f} KB")
    qr_plain_ms, qr_token_ms, qr_sign_ms, versions = qr_token_rounds(records[: args.count])
    print(f"QR token added median:      {statistics.median(qr_token_ms) - statistics.median(qr_plain_ms):.2f} ms   "
          f"(URL alone {statistics.median(qr_plain_ms):.2f} ms, URL + signed token {statistics.median(qr_token_ms):.2f} ms, "
          f"of which signing {statistics.median(qr_sign_ms):.2f} ms; QR version {min(versions)}-{max(versions)}; aim: at most 20 ms)")
    credential_median = statistics.median(credential_ms)
    print(f"credential signing median:  {credential_median:.1f} ms   (Open Badges 3.0, eddsa-rdfc-2022; p90 "
          f"{statistics.quantiles(credential_ms, n=10)[-1]:.1f} ms; first incl. context loading {credential_ms[0]:.0f} ms; aim: at most 20 ms)")
    embed_added = statistics.median(embedded_ms) - statistics.median(plain_ms)
    print(f"credential embedding adds:  {embed_added:+.1f} ms to the render median "
          f"({statistics.median(plain_ms):.1f} ms without, {statistics.median(embedded_ms):.1f} ms with)")


def credential_rounds(records):
    """Each certificate's credential signed, then rendered without and with it embedded (alternating)."""
    key = credential_keys.new_key()
    credential_ms, plain_ms, embedded_ms = [], [], []
    for index, certificate in enumerate(records):
        certificate.status_list_index = certificate.pk
        certificate.course_id = 1
        started = time.perf_counter()
        credential = openbadges.signed_credential(certificate, key=key)
        credential_ms.append((time.perf_counter() - started) * 1000)
        for embed in (True, False) if index % 2 else (False, True):
            started = time.perf_counter()
            rendering.render_certificate_pdf(certificate, TEMPLATE, credential=credential if embed else None)
            (embedded_ms if embed else plain_ms).append((time.perf_counter() - started) * 1000)
    return credential_ms, plain_ms, embedded_ms


def sign_rounds(records, media_root: Path):
    """Each certificate rendered unsigned and rendered and signed, alternating which goes first."""
    key_path = media_root / "demo-signing.p12"
    key_path.write_bytes(demo_signing.make_signing_files().p12)
    unsigned_ms, signed_ms, size = [], [], 0

    def unsigned(certificate):
        settings.CERTIFICATE_SIGNING_P12 = ""
        started = time.perf_counter()
        rendering.render_certificate_pdf(certificate, TEMPLATE)
        unsigned_ms.append((time.perf_counter() - started) * 1000)

    def signed(certificate):
        nonlocal size
        settings.CERTIFICATE_SIGNING_P12 = str(key_path)
        settings.CERTIFICATE_SIGNING_P12_PASSWORD = demo_signing.DEMO_PASSWORD
        started = time.perf_counter()
        pdf = signing.sign_pdf(rendering.render_certificate_pdf(certificate, TEMPLATE).content)
        signed_ms.append((time.perf_counter() - started) * 1000)
        size = len(pdf.content)

    for index, certificate in enumerate(records):
        for step in (unsigned, signed) if index % 2 else (signed, unsigned):
            step(certificate)
    settings.CERTIFICATE_SIGNING_P12 = ""
    return unsigned_ms, signed_ms, size


def qr_token_rounds(records):
    """The printed QR of each certificate without and with its signed token, alternating which goes first."""
    settings.CREDENTIAL_KEYS = credential_keys.serialize_keys([credential_keys.new_key()])
    plain_ms, token_ms, sign_ms, versions = [], [], [], set()

    def plain(certificate):
        started = time.perf_counter()
        rendering.qr_image(certificate.verification_url)
        plain_ms.append((time.perf_counter() - started) * 1000)

    def token(certificate):
        started = time.perf_counter()
        content = qr.qr_content(certificate)
        signed = time.perf_counter()
        versions.add(rendering.qr_image(content).version)
        token_ms.append((time.perf_counter() - started) * 1000)
        sign_ms.append((signed - started) * 1000)

    for index, certificate in enumerate(records):
        for step in (plain, token) if index % 2 else (token, plain):
            step(certificate)
    settings.CREDENTIAL_KEYS = ""
    return plain_ms, token_ms, sign_ms, versions


if __name__ == "__main__":
    main()
