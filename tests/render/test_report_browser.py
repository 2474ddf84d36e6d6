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
    "playwright.sync_api", reason="the playwright package is not installed (pip install playwright)")
pytestmark = [needs_dot, pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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
    page, problems, requests = open_page(browser, report(analyze(process), analyze(process)),
                                         tmp_path)
    assert page.locator("figure.diagram svg").count() == 2
    assert page.evaluate("() => window.__injected === undefined")
    assert "alert" not in "".join(problems)
    assert page.locator("script").count() == 1
    assert not problems and not requests
