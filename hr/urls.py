from django.urls import path

from hr import views
from hr.models import ExportKind

app_name = "hr"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sertifikat/", views.registry, name="registry"),
    path("sertifikat/ekspor.csv", views.registry_export_csv, name="export_csv"),
    path("sertifikat/ekspor.xlsx", views.registry_export_xlsx, name="export_xlsx"),
    path("sertifikat/<int:pk>/cabut/", views.revoke, name="revoke"),
    path("jp/", views.jp_ledger, name="jp_ledger"),
    path("jp/ekspor.csv", views.jp_export, {"kind": ExportKind.JP_LEDGER, "format": "csv"}, name="jp_export_csv"),
    path("jp/ekspor.xlsx", views.jp_export, {"kind": ExportKind.JP_LEDGER, "format": "xlsx"}, name="jp_export_xlsx"),
    path("jp/siasn.csv", views.jp_export, {"kind": ExportKind.SIASN, "format": "csv"}, name="jp_siasn_csv"),
    path("jp/siasn.xlsx", views.jp_export, {"kind": ExportKind.SIASN, "format": "xlsx"}, name="jp_siasn_xlsx"),
    path("ekspor/<int:pk>/", views.export_job, name="export_job"),
    path("ekspor/<int:pk>/unduh/", views.export_job_download, name="export_download"),
    path("petugas/<int:user_id>/", views.officer_detail, name="officer"),
    path("petugas/<int:user_id>/undang/", views.officer_invite, name="officer_invite"),
    path("terbitkan/", views.bulk_issue, name="bulk_issue"),
    path("verifikasi/", views.bulk_verify, name="bulk_verify"),
    path("verifikasi/<int:pk>/", views.bulk_verify_result, name="bulk_verify_result"),
    path("verifikasi/<int:pk>/unduh.<str:fmt>", views.bulk_verify_download, name="bulk_verify_download"),
    path("impor/", views.officer_import_upload, name="officer_import"),
    path("impor/templat.csv", views.officer_import_template, name="officer_import_template"),
    path("impor/<int:pk>/", views.officer_import_preview, name="officer_import_preview"),
    path("impor/<int:pk>/masalah.csv", views.officer_import_issues, name="officer_import_issues"),
]
