"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Where no Chromium is installed they are skipped with one line saying how to enable them.
"""

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
HAS_CHROMIUM = Path(CHROMIUM).exists()
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if HAS_CHROMIUM:
        return
    skip = pytest.mark.skip(
        reason="no Chromium: install Debian's (apt-get install -y chromium) to run browser tests"
    )
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def allow_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API keeps an event loop in the test thread for the whole session; the
    ORM calls the tests (and pytest-django's flushes) make are ordinary synchronous calls."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def screenshot(page: Any, request: pytest.FixtureRequest) -> Any:
    """``screenshot("name")`` saves a full-page PNG under test-output/screenshots/<test>/."""
    folder = SCREENSHOTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    counter = iter(range(1, 1000))

    def take(name: str, on: Any = None) -> Path:
        """Photograph ``page`` (or another browser page, ``on``)."""
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        path = folder / f"{next(counter):02d}-{slug}.png"
        (on or page).screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def accessible() -> Any:
    """``accessible(page)`` fails the test on any axe-core violation, whatever its impact: the
    pages have none, so a minor one is news too, and a gate on impact lets them pile up."""
    axe = Axe()

    def check(page: Any) -> None:
        results = axe.run(page)
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
        ]
        assert violations == [], f"{page.url}:\n" + "\n".join(violations)

    return check


def tab_to(page: Page, selector: str, limit: int = 300) -> None:
    """Press Tab until the element matching ``selector`` has the focus, checking it shows."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            visible = page.evaluate(
                """() => { const s = getComputedStyle(document.activeElement);
                           return s.outlineStyle !== 'none' || s.boxShadow !== 'none'; }"""
            )
            assert visible, f"focus on {selector} is not visible"
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")
