"""Finishing touches on the generated OpenAPI 3.1 document.

django-ninja names the security scheme but not the scopes an operation needs, and gives every
response `application/json`; here each operation gets its scope, errors become
`application/problem+json`, ETag operations document 304, and the public verification JSON
(a plain Django view in certificates/urls.py, older than this API) is described beside them.
"""

import copy

DESCRIPTION = """The integration API of Pimpasa LMS for the HR systems of Imigrasi, BP2MI, Polri and central HR.

* **Authentication**: OAuth 2.0 client credentials. `POST /api/v1/oauth/token/` with
  `grant_type=client_credentials` and the client id and secret (HTTP Basic) gives a Bearer token
  that expires; an administrator registers clients in the LMS admin (Settings > API clients).
* **Scopes**: `officers:read`, `officers:write`, `certificates:read`, `certificates:revoke`,
  `progress:read`; each operation names the one it needs. Catalog reads need any valid token.
* **Agencies**: a client of an agency sees that agency's courses, programs, certificates and
  progress; a central HR client sees all. The officer roster is shared.
* **Lists** are paged by an opaque `cursor` (`next_cursor` of the previous page), stable while rows
  are added; `limit` is 1 to 100.
* **Errors** are `application/problem+json` (RFC 9457), titled in Bahasa Indonesia or English by
  `Accept-Language`.
* **Details** carry an `ETag`; send it back in `If-None-Match` to get `304 Not Modified`.
* **Rate limit** per client and minute: over it, `429` with `Retry-After` (seconds).
"""

PROBLEM_STATUSES = {"400", "401", "403", "404", "409", "422", "429"}
SCHEME = "OAuth2"
DATE_TIME_PARAMETERS = {"updated_since"}

VERIFY_PATH = "/api/v1/verify/{code}/"
VERIFY_OPERATION = {
    "get": {
        "operationId": "verify_certificate",
        "summary": "Verify a certificate by the code printed on it (public, no token)",
        "description": "The public verification JSON printed on every certificate's QR code. No authentication; "
        "limited per client address (429 with Retry-After).",
        "tags": ["verification"],
        "security": [],
        "parameters": [
            {"in": "path", "name": "code", "required": True, "schema": {"type": "string", "maxLength": 64}}
        ],
        "responses": {
            "200": {
                "description": "Found",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Verification"}}},
            },
            "404": {
                "description": "No certificate with this code",
                "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"status": {"const": "not_found"}}, "required": ["status"],
                }}},
            },
            "429": {
                "description": "Too many requests from this address",
                "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"status": {"const": "rate_limited"}, "detail": {"type": "string"},
                                   "retry_after": {"type": "integer"}},
                    "required": ["status"],
                }}},
            },
        },
    }
}
NULLABLE_DATE = {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]}
VERIFICATION_SCHEMA = {
    "title": "Verification",
    "type": "object",
    "properties": {
        "status": {"enum": ["valid", "expired", "revoked"]},
        "serial": {"type": "string"},
        "holder_name": {"type": "string"},
        "nip_masked": {"type": "string"},
        "title": {"type": "string"},
        "agency": {"type": "string"},
        "issued_on": {"type": "string", "format": "date"},
        "expires_on": NULLABLE_DATE,
        "revoked_on": NULLABLE_DATE,
        "revocation_reason": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    },
    "required": ["status", "serial", "holder_name", "nip_masked", "title", "agency", "issued_on", "expires_on",
                 "revoked_on", "revocation_reason"],
}


def finish(schema: dict, *, scopes: dict[str, str | None], etags: set[str]) -> dict:
    schema = copy.deepcopy(dict(schema))
    components = schema.setdefault("components", {})
    security_schemes = components.get("securitySchemes", {})
    if "ClientToken" in security_schemes:
        security_schemes[SCHEME] = security_schemes.pop("ClientToken")
        security_schemes[SCHEME].pop("scheme", None)  # inherited from HttpBearer; not a field of type oauth2
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            operation_id = operation.get("operationId")
            if operation_id in scopes:
                scope = scopes[operation_id]
                operation["security"] = [{SCHEME: [scope] if scope else []}]
            for parameter in operation.get("parameters", []):
                if parameter.get("name") in DATE_TIME_PARAMETERS:
                    parameter["schema"]["format"] = "date-time"  # parsed by the operation (with offset)
            responses = operation.get("responses", {})
            for status, response in responses.items():
                content = response.get("content", {})
                if str(status) in PROBLEM_STATUSES and "application/json" in content:
                    response["content"] = {"application/problem+json": content["application/json"]}
                if str(status) == "401":
                    response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
                if str(status) == "429":
                    response["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
            if operation_id in etags:
                responses["304"] = {"description": "Not Modified (If-None-Match names the current ETag)",
                                    "headers": {"ETag": {"schema": {"type": "string"}}}}
                responses.get("200", {}).setdefault("headers", {})["ETag"] = {"schema": {"type": "string"}}
    schema["paths"] = {VERIFY_PATH: copy.deepcopy(VERIFY_OPERATION), **schema.get("paths", {})}
    components.setdefault("schemas", {})["Verification"] = VERIFICATION_SCHEMA
    return schema
