"""The HTML report in a real browser (headless Chromium, driven by Playwright): it loads without
errors, shows the findings, and clicking a finding highlights its elements in the diagram.

Needs the `chromium` Debian package and the `playwright` Python package (no browser download:
Playwright drives the system Chromium)."""

from __future__ import annotations

import shutil

import pytest

from flowmap.analysis import analyze
from flowmap.render.html_report import report
from flowmap.rules.smokestack.smk001_chimney_handoff import ChimneyHandoff
from tests.render.conftest import hostile_process, needs_dot, process_from

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed (pip install playwright)"
)
pytestmark = [
    needs_dot,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"
    ),
]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def open_page(browser, html_text: str, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(html_text, encoding="utf-8")
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file:") else None)
    page.goto(path.as_uri())
    return page, problems, requests


def test_report_loads_shows_findings_and_highlights_on_click(browser, tmp_path):
    process = process_from(ChimneyHandoff.bad)
    analysis = analyze(process)
    page, problems, requests = open_page(browser, report(analysis), tmp_path)
    items = page.locator("li.finding")
    assert items.count() == len(analysis.findings) > 0
    assert page.locator("figure.diagram svg").count() == 1
    smk = page.locator("li.finding", has_text="SMK001").first
    smk.click()
    lit = page.eval_on_selector_all(".fm-hl", "els => els.map(e => e.id)")
    assert lit and all(i.startswith("d0-") for i in lit)
    assert len(lit) == len(smk.get_attribute("data-elements").split())
    assert smk.get_attribute("aria-pressed") == "true"
    smk.click()  # a second click clears
    assert page.eval_on_selector_all(".fm-hl", "els => els.length") == 0
    assert not problems and not requests


def test_side_by_side_report_and_hostile_names(browser, tmp_path):
    process = hostile_process()
    page, problems, requests = open_page(
        browser, report(analyze(process), analyze(process)), tmp_path
    )
    assert page.locator("figure.diagram svg").count() == 2
    assert page.evaluate("() => window.__injected === undefined")
    assert "alert" not in "".join(problems)
    assert page.locator("script").count() == 1
    assert not problems and not requests


def _pair():
    from flowmap.loaders import load_any
    from tests.render.conftest import PROCESSES

    folder = PROCESSES / "insurance-claim"
    if not folder.is_dir():
        pytest.skip("processes/insurance-claim is not there")
    return (
        analyze(load_any(folder / "as-is.flow.yaml")),
        analyze(load_any(folder / "to-be.flow.yaml")),
    )


def test_comparison_shows_each_change_in_its_own_unit(browser, tmp_path):
    from flowmap import formatting

    old, new = _pair()
    page, problems, _ = open_page(browser, report(old, new), tmp_path)

    def row(metric):
        cells = page.locator(f'tr[data-metric="{metric}"] td')
        return [cells.nth(i).inner_text().strip() for i in range(4)]

    a, b = old.metrics["lead_time_minutes"], new.metrics["lead_time_minutes"]
    lead = row("lead_time_minutes")
    assert lead[1:3] == [formatting.duration(a), formatting.duration(b)]
    assert lead[3] == f"{formatting.duration_delta(b - a)} {'better' if b < a else 'worse'}"
    steps = row("steps")
    change = new.metrics["steps"] - old.metrics["steps"]
    assert steps[3] == f"{change:+d} changed" if change else "0 same"
    share = row("value_adding_share")
    assert share[1].endswith("%") and "pts" in share[3]
    assert row("first_service_contact")[1].endswith("%")
    # The comparison comes before the diagrams.
    top = page.eval_on_selector("section.comparison", "e => e.getBoundingClientRect().top")
    assert top < page.eval_on_selector("figure.diagram", "e => e.getBoundingClientRect().top")
    assert not problems


def test_clicking_a_finding_scrolls_the_diagram_to_its_elements(browser, tmp_path):
    old, _ = _pair()
    page, problems, _ = open_page(browser, report(old), tmp_path)
    page.set_viewport_size({"width": 1280, "height": 900})
    # The finding whose elements lie furthest right in the drawing.
    items = page.locator("li.finding")
    far, best = None, -1.0
    for i in range(items.count()):
        ids = (items.nth(i).get_attribute("data-elements") or "").split()
        if not ids:
            continue
        x = page.evaluate(
            "ids => Math.max(...ids.map(i => { const e = document.getElementById("
            "'d0-' + i); return e ? e.getBBox().x : -1; }))",
            ids,
        )
        if x > best:
            far, best = items.nth(i), x
    far.click()
    inside = page.evaluate("""() => {
      const box = document.querySelector('#d0-figure .scroll').getBoundingClientRect();
      return [...document.querySelectorAll('.fm-hl')].map(e => {
        const r = e.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
        return x >= box.left && x <= box.right && y >= box.top && y <= box.bottom; });
    }""")
    assert inside and any(inside)
    assert page.eval_on_selector("#d0-figure .scroll", "e => e.scrollLeft") > 0
    # Zoom buttons change the drawing's size.
    before = page.eval_on_selector("#d0-figure svg", "e => e.getBoundingClientRect().width")
    page.click("#d0-figure button[data-zoom=in]")
    assert page.eval_on_selector("#d0-figure svg", "e => e.getBoundingClientRect().width") > before
    assert not problems


def test_report_prints_to_pdf_with_metrics_findings_and_diagram(browser, tmp_path):
    import io

    pdfplumber = pytest.importorskip("pdfplumber")
    old, new = _pair()
    page, problems, _ = open_page(browser, report(old, new), tmp_path)
    page.emulate_media(media="print")
    assert page.eval_on_selector(".tools", "e => getComputedStyle(e).display") == "none"
    assert page.eval_on_selector(".scroll", "e => getComputedStyle(e).overflow") == "visible"
    data = page.pdf(prefer_css_page_size=True, print_background=True)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        sizes = {(round(float(p.width)), round(float(p.height))) for p in pdf.pages}
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert sizes == {(1191, 842)}  # A3 landscape, from the print stylesheet
    assert "Metrics: as-is" in text and old.findings[0].code in text
    assert old.process.steps[1].name.split()[0] in text  # the diagram is printed too
    assert not problems
