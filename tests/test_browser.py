"""The pages in a real browser: headless Chromium driven by Selenium, over real HTTP.

Skipped only when Chromium or its driver is not installed (``.ci/run`` installs
both). Each test saves a screenshot under the pytest base temp directory
(``screenshots/``) so a person can check that the page reads well.
"""

from __future__ import annotations

import shutil
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.test_web_pages import BUDGET, real_server, real_store

from budgetgraph.web.examples import BASIC_VS_PROJECT

__all__ = ["real_server", "real_store"]  # session fixtures shared with test_web_pages

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--window-size=1280,1600")
WAIT = 20  # seconds; YASGUI's first query spawns nothing, but a cold CI machine is slow


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    if CHROMIUM is None or DRIVER is None:
        pytest.skip("chromium and chromium-driver are not installed "
                    "(apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(DRIVER))
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.getbasetemp() / "screenshots"
    directory.mkdir(exist_ok=True)
    return directory


def _wait(driver: object, condition: object) -> object:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT).until(condition)  # type: ignore[arg-type]


def _run_in_yasgui(driver: object, expected: str) -> bool:
    """Run the query with Ctrl+Enter once YASGUI's editor shows ``expected``.

    YASGUI builds its DOM after the page loads, so elements found too early go
    stale; the caller retries until this is True. The run button is a toggle (a
    second press aborts the running query), the keyboard shortcut is not.
    """
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    try:
        if expected not in driver.find_element(By.CSS_SELECTOR, "#yasgui .CodeMirror").text:  # type: ignore[attr-defined]
            return False
        editor = driver.find_element(By.CSS_SELECTOR, "#yasgui .CodeMirror textarea")  # type: ignore[attr-defined]
        editor.send_keys(Keys.CONTROL, Keys.ENTER)
    except StaleElementReferenceException:
        return False
    return True


def test_department_page_shows_its_budget_table(browser: object, real_server: str,
                                                screenshots: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(real_server + BUDGET)  # type: ignore[attr-defined]
    figure = _wait(browser, lambda d: d.find_element(
        By.CSS_SELECTOR,
        '#table-expenditure a.figure'
        '[href="/id/obs/630223/e6b42d96fa/2024/budget/expenditure/2080109/basic"]'))
    assert figure.text == "692.81" and figure.is_displayed()  # type: ignore[attr-defined]
    row = figure.find_element(By.XPATH, "./ancestor::tr")  # type: ignore[attr-defined]
    assert "社会保险经办机构" in row.text and "772.24" in row.text
    assert "huzhu-social-insurance-bureau-2024-budget.txt:120" in row.text
    browser.save_screenshot(str(screenshots / "department-year.png"))  # type: ignore[attr-defined]


def test_query_editor_runs_an_example_and_shows_results(browser: object, real_server: str,
                                                       screenshots: Path) -> None:
    """YASGUI when vendored (its run button, its result table), else the plain form."""
    from selenium.webdriver.common.by import By

    query = BASIC_VS_PROJECT
    browser.get(real_server + "/query?" + urllib.parse.urlencode({"query": query}))  # type: ignore[attr-defined]
    if browser.find_elements(By.CSS_SELECTOR, "#query-form[hidden]"):  # type: ignore[attr-defined]
        _wait(browser, lambda d: _run_in_yasgui(d, "SELECT ?doc ?year ?type"))
        results = "#yasgui .yasr"
    else:
        browser.find_element(By.CSS_SELECTOR, "#query-form button").click()  # type: ignore[attr-defined]
        results = "table.results"
    table = _wait(browser, lambda d: next(
        (e for e in d.find_elements(By.CSS_SELECTOR, results) if "project" in e.text), None))
    assert "basic" in table.text  # type: ignore[attr-defined]
    browser.save_screenshot(str(screenshots / "query-editor.png"))  # type: ignore[attr-defined]
