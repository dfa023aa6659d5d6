"""hsdata serve in a real browser: from a workbook with a mistake to a valid package.

Headless Chromium (Debian's package, at /usr/bin/chromium) driven by
Playwright, against a uvicorn server on 127.0.0.1. Screenshots are saved as
test artefacts in the test's temporary folder; with HSDATA_WEB_SCREENSHOTS=1
they also replace the documentation's, in docs/_static/web/. Every page
visited passes axe-core's checks with no serious or critical violation.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from outside_tools import require_tool

import hsdata
from hsdata._web import Settings, create_app

from .conftest import BAD_SHEET, BAD_VALUE

CHROMIUM = Path("/usr/bin/chromium")
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "_static" / "web"
LAUNCH_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A uvicorn server of hsdata serve on 127.0.0.1, in a thread; its address."""
    import uvicorn

    port = free_port()
    settings = Settings(temporary_root=tmp_path_factory.mktemp("serve"))
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require_tool(sync_playwright is not None, "Playwright for Python (the [test] extra)")
    require_tool(CHROMIUM.exists(), "Chromium at /usr/bin/chromium (apt-get install chromium)")
    try:
        import axe_playwright_python  # noqa: F401
    except ImportError:
        require_tool(False, "axe-core for Playwright (axe-playwright-python, the [test] extra)")
    assert sync_playwright is not None
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # No network outside 127.0.0.1: every other request is aborted, and counted.
    context = browser.new_context(
        viewport={"width": 1200, "height": 900}, locale="en-GB", accept_downloads=True
    )
    outside: list[str] = []

    def guard(route: Any) -> None:
        if route.request.url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    opened = context.new_page()
    yield opened
    context.close()
    assert outside == [], f"the page asked for outside addresses: {outside}"


def screenshot(page: Any, name: str, artefacts: Path, *, full_page: bool = True) -> None:
    path = artefacts / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    if os.environ.get("HSDATA_WEB_SCREENSHOTS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_SCREENSHOTS / f"{name}.png")


def assert_accessible(page: Any) -> None:
    """axe-core finds no serious or critical violation on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{page.url}: " + "; ".join(serious)


def test_from_a_workbook_with_a_mistake_to_a_valid_package(
    server: str,
    page: Any,
    tmp_path: Path,
    bad_workbook: bytes,
    good_workbook: bytes,
) -> None:
    bad, good = tmp_path / "bad" / "filled.xlsx", tmp_path / "good" / "filled.xlsx"
    for path, content in ((bad, bad_workbook), (good, good_workbook)):
        path.parent.mkdir()
        path.write_bytes(content)

    # Upload the workbook with a mistake.
    page.goto(server + "/")
    assert_accessible(page)
    screenshot(page, "home", tmp_path)
    page.set_input_files("#file", str(bad))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url(re.compile(r".*/r/[A-Za-z0-9_-]{32}$"))
    report_url = page.url

    # The issue is shown at its cell, with its rule and the value found.
    row = page.locator("tr", has_text=BAD_VALUE)
    assert row.count() == 1
    place = row.locator("td.place").inner_text()
    assert f"sheet {BAD_SHEET}" in place
    assert re.search(r"cell [A-Z]+3", place)
    assert "status" in place
    assert "The file is not valid" in page.locator(".verdict").inner_text()
    assert_accessible(page)
    screenshot(page, "report", tmp_path)

    # Switch to French: the same report in French, remembered for the next pages.
    page.get_by_role("link", name="Français").click()
    page.wait_for_url(report_url)
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Le fichier n'est pas valide" in page.locator(".verdict").inner_text()
    assert "feuille event" in page.locator("tr", has_text=BAD_VALUE).inner_text()
    assert_accessible(page)
    screenshot(page, "report-fr", tmp_path)

    # Upload the corrected workbook and download the JSON package.
    page.get_by_role("link", name="Vérifier un autre fichier").click()
    page.set_input_files("#file", str(good))
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.wait_for_url(re.compile(r".*/r/[A-Za-z0-9_-]{32}$"))
    assert page.locator(".verdict").inner_text().startswith("Le fichier est valide")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="en paquet de données JSON (zip)").click()
    downloaded = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(downloaded)
    assert downloaded.suffix == ".zip"
    assert hsdata.validate(downloaded).valid

    # And see the data: summary, pictures, records.
    page.get_by_role("link", name="Voir les données").click()
    page.wait_for_load_state("load")  # the pictures are drawn on first request
    assert page.locator("img.figure").count() == 2
    for image in page.locator("img.figure").all():
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert_accessible(page)
    screenshot(page, "data-fr", tmp_path, full_page=False)
    page.locator("table a").first.click()
    assert page.locator("h1").inner_text()
    assert_accessible(page)


def test_the_canonical_data_pages_are_accessible(server: str, page: Any, tmp_path: Path) -> None:
    page.goto(server + "/data")
    page.wait_for_load_state("load")
    assert_accessible(page)
    screenshot(page, "data", tmp_path, full_page=False)
    page.get_by_label("Search the records (name or identifier)").fill("Lysøen")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="lysoen-partnership").click()
    assert page.locator("h1").inner_text() == "Lysøen Partnership"
    assert_accessible(page)
    screenshot(page, "record", tmp_path, full_page=False)
    page.goto(server + "/r/" + "A" * 32)
    assert "expired or never existed" in page.locator("main").inner_text()
    assert_accessible(page)
