"""The HTML briefing in a real browser: headless Chromium opens the page and checks what a reader sees.

Playwright drives the system's Chromium (Debian's `chromium`, /usr/bin/chromium; `.ci/run` installs it) through
`executable_path`, so no browser is downloaded. Playwright rather than Selenium: it reports every request a page
makes and every console message through events, and can route and abort requests, with no driver to match to
the browser's version (Selenium would need chromium-driver and the DevTools log for the same checks).

The tests skip, saying why, only when Chromium or Playwright is missing, and never in CI (CI=true), where a
missing browser fails them. The screenshots are written under the test run's temporary directory and their
paths printed (pytest -s shows them); docs/briefing-timeline-en.png is one of them:
`SHENKA_SCREENSHOTS=docs pytest tests/test_browser_report.py -k "reader and en"`, keeping only that file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from shenka_cli.core.loader import load
from shenka_cli.core.query import chronological
from shenka_cli.present.html_report import anchor, build_html_report

from .conftest import BUNDLED
from .test_report import write_hostile_base

CHROMIUM = os.environ.get("SHENKA_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1200, "height": 900}


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[test]')"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set SHENKA_CHROMIUM)"
    return None


@pytest.fixture(scope="module")
def browser():
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def base():
    return load([BUNDLED]).base


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Where screenshots go: the test run's temporary directory, or $SHENKA_SCREENSHOTS (docs/ was made so)."""
    chosen = os.environ.get("SHENKA_SCREENSHOTS")
    if chosen:
        Path(chosen).mkdir(parents=True, exist_ok=True)
        return Path(chosen)
    return tmp_path_factory.mktemp("screenshots")


class Visit:
    """A page opened in the browser, with every request it made and every console error and page error."""

    def __init__(self, browser, path: Path, viewport: dict[str, int]) -> None:
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.url = path.resolve().as_uri()
        self.page.route("**/*", lambda route: route.continue_() if route.request.url == self.url else route.abort())
        self.page.goto(self.url, wait_until="load")

    def left_the_page(self) -> list[str]:
        return [url for url in self.requests if url != self.url]

    def close(self) -> None:
        self.context.close()


def write_page(directory: Path, base, lang: str) -> Path:
    path = directory / f"briefing-{lang}.html"
    path.write_text(build_html_report(base, lang), encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_reader_sees_every_heading_fact_and_mark(browser, base, shots, tmp_path, lang):
    visit = Visit(browser, write_page(tmp_path, base, lang), DESK)
    page = visit.page
    try:
        headings = page.locator("h1, h2, h3")
        assert headings.count() > len(base.facts)
        for index in range(headings.count()):
            heading = headings.nth(index)
            assert heading.is_visible() and heading.inner_text().strip(), index
        for fact in base.facts:
            heading = page.locator(f"h3#{anchor('fact', fact.id)}")
            assert heading.is_visible()
            assert heading.inner_text() == (fact.title_en if lang == "en" else fact.title)
        dated, _ = chronological(base.facts)
        marks = page.locator("svg.timeline a.mark")
        assert marks.count() == len(dated)
        assert [marks.nth(i).get_attribute("data-fact") for i in range(marks.count())] == [f.id for f in dated]
        for index in range(marks.count()):
            box = marks.nth(index).bounding_box()
            assert box and box["width"] > 0 and box["height"] > 0
        assert page.locator("svg.bars .lower-bound").count() > 0
        assert visit.left_the_page() == [] and visit.errors == []
        screenshot = shots / f"briefing-{lang}.png"
        page.screenshot(path=str(screenshot), full_page=True)
        page.locator("#timeline figure").screenshot(path=str(shots / f"briefing-timeline-{lang}.png"))
        assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        print(f"screenshot: {screenshot}")
    finally:
        visit.close()


def test_on_a_phone_only_tables_and_charts_scroll_sideways(browser, base, shots, tmp_path):
    visit = Visit(browser, write_page(tmp_path, base, "en"), PHONE)
    page = visit.page
    try:
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
        font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
        assert font >= 14
        page.screenshot(path=str(shots / "briefing-phone.png"))
        assert visit.left_the_page() == [] and visit.errors == []
    finally:
        visit.close()


def test_it_prints(browser, base, shots, tmp_path):
    visit = Visit(browser, write_page(tmp_path, base, "en"), DESK)
    page = visit.page
    try:
        page.emulate_media(media="print")
        assert not page.locator("nav").is_visible()
        assert page.locator("svg.timeline").is_visible()
        pdf = shots / "briefing.pdf"
        page.pdf(path=str(pdf), format="A4")
        assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000
    finally:
        visit.close()


def test_hostile_data_shows_as_text(browser, tmp_path):
    base = load([write_hostile_base(tmp_path / "hostile")]).base
    visit = Visit(browser, write_page(tmp_path, base, "en"), DESK)
    page = visit.page
    try:
        assert page.locator("main script, main b, main img, main iframe").count() == 0
        assert page.locator("h3", has_text="<b>html</b>").first.is_visible()
        assert visit.left_the_page() == [] and visit.errors == []
    finally:
        visit.close()


def test_the_harness_sees_a_request_leave_and_a_console_error(browser, tmp_path):
    """The checks above can fail: a page that fetches a picture and logs an error is caught on both counts."""
    leaky = tmp_path / "leaky.html"
    leaky.write_text(
        '<!DOCTYPE html><img src="https://example.org/x.png"><script>console.error("boom")</script>', encoding="utf-8"
    )
    visit = Visit(browser, leaky, DESK)
    try:
        assert visit.left_the_page() == ["https://example.org/x.png"]
        assert "boom" in visit.errors
    finally:
        visit.close()
