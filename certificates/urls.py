"""Certificate URLs. /verify/ and /api/v1/verify/ are printed on paper: never change them."""

from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("api/v1/verify/<str:code>/", views.verify_json, name="verify_json"),
    path("my/certificates/", views.my_certificates, name="mine"),
    path("my/certificates/<int:pk>/renew/", views.renew, name="renew"),
    path("certificates/<int:pk>/pdf/", views.download, name="download"),
    path("certificates/bundles/course/<int:course_id>/", views.bundle_create, name="bundle_create"),
    path("certificates/bundles/<int:pk>/", views.bundle_detail, name="bundle"),
    path("certificates/bundles/<int:pk>/download/", views.bundle_download, name="bundle_download"),
]
