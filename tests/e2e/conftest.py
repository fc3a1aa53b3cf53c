"""Browser tests: the real app in Debian's chromium, driven by Playwright.

One Streamlit server for the whole session, over a warehouse built from a copy of data/raw
(see ``server.py``); a fresh browser context (cookies, session, downloads) per test.
Skipped, with the reason, only when /usr/bin/chromium is absent (``scripts/test.sh``
installs it on CI).
"""
from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.server import (
    CHROMIUM,
    ROOT,
    VIEWPORT,
    StreamlitServer,
    build_warehouse,
    launch_chromium,
)

E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} not found: the browser tests need Debian's chromium "
        "(apt-get install chromium; scripts/test.sh does it)"
    )
    for item in items:
        if Path(item.path).resolve().is_relative_to(E2E_DIR) and "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def e2e_paths(tmp_path_factory):
    """raw / db / entries of a warehouse built from a copy of data/raw."""
    return build_warehouse(tmp_path_factory.mktemp("e2e"))


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    b = launch_chromium(playwright_instance)
    yield b
    b.close()


@pytest.fixture(scope="session")
def server(e2e_paths, browser):
    """The app, started once: ``server.url("ngan-sach", "province=…")``. No warm-up: the
    first session after the start must work as well as any other (test_e2e_first_visit)."""
    with StreamlitServer(e2e_paths) as s:
        yield s


@pytest.fixture()
def context(browser):
    ctx = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="vi-VN")
    ctx.set_default_timeout(30_000)
    yield ctx
    ctx.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture()
def page(context, request):
    """A page of a fresh context; when the test fails, a screenshot of what the browser
    showed is left in test-results/e2e/ (ignored by git)."""
    p = context.new_page()
    yield p
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        out = ROOT / "test-results" / "e2e"
        out.mkdir(parents=True, exist_ok=True)
        name = "".join(c if c.isalnum() or c in "-_" else "_" for c in request.node.name)
        with contextlib.suppress(PlaywrightError):  # the page may be gone; the failure is what matters
            p.screenshot(path=str(out / f"{name}.png"), full_page=True)
