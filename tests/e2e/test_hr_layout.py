"""HR pages at 1280×800 (a desk's screen): every column of every table is visible without
sideways scrolling, and office names keep their words together (two or more to a line). The data are the demo's,
plus certificates of the demo's longest course title for the officers of its longest office
names (the registry once showed "Kantor / Imigrasi / Kelas I / Khusus TPI / Medan", and
clipped its last two columns)."""

from playwright.sync_api import expect

from certificates.services import certificate_issue
from certificates.subjects import Subject
from tests.e2e.harness import DESKTOP, Demo, horizontal_overflow

# Officers of the demo's longest office names: Ponorogo, Medan, the detention house in Kupang.
LONG_OFFICES = ("petugas8", "petugas5", "petugas6")

TABLES = """() => [...document.querySelectorAll('main .table-wrap')].map(wrap => {
  const box = wrap.getBoundingClientRect();
  return {
    label: wrap.getAttribute('aria-labelledby'),
    hidden: wrap.scrollWidth - wrap.clientWidth,
    clipped: [...wrap.querySelectorAll('thead th')]
      .filter(th => th.getBoundingClientRect().right > box.right + 1 || th.getBoundingClientRect().left < box.left - 1)
      .map(th => th.textContent.trim()),
  };
})"""

# How many lines each office name (an element or a text node) takes: the line boxes of its
# text (a Range gives one rect per line).
LINES = """(elements) => elements.map(element => {
  const range = document.createRange();
  range.selectNodeContents(element);
  const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
  return [element.textContent.trim(), tops.size];
})"""

# The office name is the first text of the registry's "Kantor" cell and the .meta under a
# bulk-verification name; the dashboard's office table lists them in its first column.
OFFICE_NAMES = {
    "registry": """() => { const heads = [...document.querySelectorAll('table.data thead th')].map(th => th.textContent.trim());
      const column = heads.indexOf('Kantor') + 1;
      return [...document.querySelectorAll(`table.data tbody td:nth-child(${column})`)].map(td => td.firstChild); }""",
    "bulk": "() => [...document.querySelectorAll('table.data tbody td .meta')]",
    "dashboard": """() => [...document.querySelectorAll('table.data')].filter(t => t.querySelector('th').textContent.trim() === 'Kantor')
      .flatMap(t => [...t.querySelectorAll('tbody td:first-child')])""",
}


def issue_long_titles(demo: Demo):
    """Certificates of the longest course title for the officers of the longest office names."""
    polri = demo.course("POLRI")
    for username in LONG_OFFICES:
        certificate_issue(user=demo.user(username), subject=Subject.of(polri))
    return polri


def check_layout(page, offices: str | None = None) -> dict:
    """What is wrong with the page at this size: sideways scrolling, clipped columns,
    office names wrapped a word or so per line."""
    problems = {}
    if overflow := horizontal_overflow(page):
        problems["page wider than the screen"] = overflow
    for table in page.evaluate(TABLES):
        if table["hidden"] > 0 or table["clipped"]:
            problems[f"table {table['label']}"] = f"{table['hidden']}px hidden, columns cut off: {table['clipped']}"
    if offices:
        elements = page.evaluate_handle(OFFICE_NAMES[offices])
        lines = page.evaluate(LINES, elements)
        assert lines, "no office names on the page"
        # "Kantor Imigrasi Kelas I Khusus TPI Medan" takes two lines at 1280 px; a few more
        # with other fonts are fine, but not a word or so per line (five lines, as it was).
        if wrapped := [(name, count) for name, count in lines if name and count > len(name.split()) / 2]:
            problems["office names with fewer than two words per line"] = wrapped
    return problems


def test_hr_pages_show_every_column_at_1280(demo, new_page, shots):
    polri = issue_long_titles(demo)
    page = new_page(viewport=DESKTOP)
    demo.log_in(page, "sdm")
    problems = {}

    page.goto(demo.url("/hr/sertifikat/"))
    rows = page.locator("table.data tbody tr")
    expect(rows.filter(has_text="Kantor Imigrasi Kelas II Non TPI Ponorogo")).to_have_count(1)
    expect(rows.filter(has_text=polri.title)).to_have_count(len(LONG_OFFICES) + 1)  # + the demo's own
    for column in ("Berlaku sampai", "Status"):
        expect(page.get_by_role("columnheader", name=column)).to_be_in_viewport(ratio=1)
    shots.take(page, "registry")
    problems["registry"] = check_layout(page, "registry")

    page.goto(demo.url("/hr/verifikasi/"))
    page.get_by_label("Kursus atau program").select_option(label=polri.title)
    nips = [demo.user(username).officer_profile.nip for username in (*LONG_OFFICES, "petugas1", "petugas3")]
    page.get_by_label("Tempel NIP").fill("\n".join([*nips, "123"]))
    page.get_by_role("main").get_by_role("button", name="Periksa").click()
    page.wait_for_url("**/hr/verifikasi/*/")
    shots.take(page, "bulk verification result")
    problems["bulk verification result"] = check_layout(page, "bulk")

    page.goto(demo.url("/hr/"))
    shots.take(page, "dashboard")
    problems["dashboard"] = check_layout(page, "dashboard")

    page.goto(demo.url(f"/hr/petugas/{demo.user('petugas8').pk}/"))
    expect(page.locator("table.data").last).to_contain_text(polri.title)
    shots.take(page, "officer detail")
    problems["officer detail"] = check_layout(page)

    assert {name: found for name, found in problems.items() if found} == {}
