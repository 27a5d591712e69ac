"""The API's docs page (/api/v1/docs, Swagger UI served by django-ninja from our own static files)
works in a real browser under the site's strict Content-Security-Policy: the operations render,
nothing is refused by the policy, and the page asks no host but ours for anything."""

from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.e2e.harness import DESKTOP

REPORT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def test_api_docs_render_under_the_csp_from_our_origin_only(live_server, new_page, shots):
    page = new_page(locale="en-US", viewport=DESKTOP)
    page.add_init_script(REPORT_VIOLATIONS)
    console_errors, requested = [], []
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: requested.append(request.url))

    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_text("Pimpasa LMS API").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/certificates/").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/officers/{nip}").first).to_be_visible()
    page.locator(".opblock-summary", has_text="/api/v1/certificates/").first.click()
    expect(page.get_by_text("next_cursor").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    shots.take(page, "docs")

    assert page.evaluate("window.__cspViolations") == []
    assert [text for text in console_errors if "Content Security Policy" in text or "Refused" in text] == []
    assert console_errors == []
    ours = urlsplit(live_server.url).netloc
    elsewhere = [url for url in requested if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                 and urlsplit(url).netloc != ours]
    assert elsewhere == []
    assert any(url.endswith("/api/v1/openapi.json") for url in requested)
