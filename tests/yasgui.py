"""Driving the query editor (YASGUI) in the session's browser: it builds its DOM after
the page loads, so every step waits and retries instead of sleeping."""

from __future__ import annotations

from collections.abc import Callable

WAIT = 20  # seconds; YASGUI's first query spawns nothing, but a cold CI machine is slow


def wait(driver: object, condition: Callable[[object], object]) -> object:
    """``condition(driver)`` once it is truthy, within :data:`WAIT` seconds."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT).until(condition)  # type: ignore[arg-type]


def run_in_yasgui(driver: object, expected: str) -> bool:
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
