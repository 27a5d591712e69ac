"""Errors as `application/problem+json` (RFC 9457), titled in the language the client asks for.

Every refusal of the API is one of the problems below: a fixed `type` URI an integrator can
match on, a `title` in Bahasa Indonesia or English (Accept-Language, through Django's
LocaleMiddleware), the HTTP `status`, a `detail` for this occurrence and, for invalid input,
`errors`: one entry per field (`loc` as pydantic gives it, `msg`).
"""

import json

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import errors as ninja_errors

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://pimpasa.go.id/api/problems/"  # an identifier, not fetched: RFC 9457 §3.1.1

# status: (slug of the type URI, title)
PROBLEMS = {
    400: ("bad-request", gettext_lazy("Permintaan tidak dapat dibaca")),
    401: ("unauthorized", gettext_lazy("Token akses tidak ada, tidak sah atau kedaluwarsa")),
    403: ("forbidden", gettext_lazy("Cakupan token tidak mengizinkan tindakan ini")),
    404: ("not-found", gettext_lazy("Tidak ditemukan")),
    405: ("method-not-allowed", gettext_lazy("Metode tidak diizinkan")),
    409: ("conflict", gettext_lazy("Bertentangan dengan keadaan data")),
    422: ("invalid-input", gettext_lazy("Data tidak valid")),
    429: ("rate-limited", gettext_lazy("Terlalu banyak permintaan")),
}


class Problem(Exception):
    """Raise from an operation or helper; the API answers with it."""

    def __init__(self, status: int, detail: str = "", *, errors: list | None = None, headers: dict | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = str(detail)
        self.errors = errors
        self.headers = headers or {}


def problem_response(request, status: int, detail: str = "", *, errors=None, headers=None) -> HttpResponse:
    slug, title = PROBLEMS.get(status, ("error", gettext_lazy("Galat")))
    body = {"type": TYPE_BASE + slug, "title": str(title), "status": status, "instance": request.path}
    if detail:
        body["detail"] = str(detail)
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=MEDIA_TYPE)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="pimpasa"'
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def validation_errors(errors) -> list[dict]:
    """Pydantic's (or ninja's) error list, reduced to what a client needs: where and what."""
    result = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        result.append({"loc": location, "msg": str(error.get("msg", ""))})
    return result


def install(api) -> None:
    """The API's exception handlers: every error it answers is a problem."""
    def on_problem(request, exc: Problem):
        return problem_response(request, exc.status, exc.detail, errors=exc.errors, headers=exc.headers)

    def on_validation(request, exc):
        return problem_response(
            request, 422, _("Periksa isian yang disebut di `errors`."), errors=validation_errors(exc.errors)
        )

    def on_authentication(request, exc):
        return problem_response(request, 401, _("Minta token dengan client credentials di /api/v1/oauth/token/."))

    def on_http_error(request, exc):
        return problem_response(request, exc.status_code, str(exc.message) if exc.status_code != 404 else "")

    def on_not_found(request, exc):
        return problem_response(request, 404)

    api.add_exception_handler(Problem, on_problem)
    api.add_exception_handler(ninja_errors.ValidationError, on_validation)
    api.add_exception_handler(ninja_errors.AuthenticationError, on_authentication)
    api.add_exception_handler(ninja_errors.HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
