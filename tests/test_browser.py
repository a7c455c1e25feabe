"""The pages in a real browser: headless Chromium driven by Selenium, over real HTTP.

Skipped only when Chromium or its driver is not installed (``.ci/run`` installs
both). Each test saves a screenshot under the pytest base temp directory
(``screenshots/``) so a person can check that the page reads well.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

from tests.yasgui import run_in_yasgui, wait

from budgetgraph.web.examples import BASIC_VS_PROJECT

#: the Qinghai bureau's 2024 budget page (互助土族自治县社会保险服务局)
BUDGET = "/id/org/630223/e6b42d96fa/2024/budget"


def test_department_page_shows_its_budget_table(browser: object, real_server: str,
                                                screenshots: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(real_server + BUDGET)  # type: ignore[attr-defined]
    figure = wait(browser, lambda d: d.find_element(
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
        wait(browser, lambda d: run_in_yasgui(d, "SELECT ?doc ?year ?type"))
        results = "#yasgui .yasr"
    else:
        browser.find_element(By.CSS_SELECTOR, "#query-form button").click()  # type: ignore[attr-defined]
        results = "table.results"
    table = wait(browser, lambda d: next(
        (e for e in d.find_elements(By.CSS_SELECTOR, results) if "project" in e.text), None))
    assert "basic" in table.text  # type: ignore[attr-defined]
    browser.save_screenshot(str(screenshots / "query-editor.png"))  # type: ignore[attr-defined]
