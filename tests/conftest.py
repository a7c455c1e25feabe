"""Fixtures shared by the test modules, so that no test module imports another.

- ``read_document``: each real document read once per session;
- ``real_store`` / ``real_server``: the store over real documents and a real server on a
  real port, shared by the page tests and the browser tests;
- ``browser``: headless Chromium, skipped with one line when it is not installed;
- ``silent_server``: an endpoint that accepts connections and never answers.

Markers follow what a test needs (see pyproject.toml): a test that uses ``browser`` is
marked ``browser``, one that uses an engine fixture ``engines``, one that uses the real
store ``corpus``, so ``pytest -m "not engines and not browser"`` is the fast subset.
"""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.documents import QINGHAI, pdf
from tests.samples import generated_final
from tests.servers import BASE, serving, silent_endpoint
from tests.stores import RealStore, load_documents

from budgetgraph.model import Disclosure
from budgetgraph.rdf.uris import Minter
from budgetgraph.readers import read

#: fixture → the marker of every test that uses it (directly or through other fixtures)
MARKED_BY_FIXTURE = {"browser": "browser", "engine": "engines", "served": "engines",
                     "real_store": "corpus"}

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--window-size=1280,1600")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        for fixture, marker in MARKED_BY_FIXTURE.items():
            if fixture in names:
                item.add_marker(marker)


@pytest.fixture(scope="session")
def read_document() -> Callable[[Path], Disclosure]:
    """``read``, once per document and session. The models are shared between tests:
    change a copy (``dataclasses.replace``), never the model itself."""
    return functools.cache(read)


@pytest.fixture(scope="session")
def qinghai(read_document: Callable[[Path], Disclosure]) -> Disclosure:
    """The Qinghai 部门预算 of data/ (互助土族自治县社会保险服务局 2024)."""
    return read_document(QINGHAI)


@pytest.fixture(scope="session")
def real_store(tmp_path_factory: pytest.TempPathFactory,
               read_document: Callable[[Path], Disclosure]) -> RealStore:
    """The Qinghai 预算, its GENERATED 决算, and the Putuo 财政局's real 2024 决算 (F01)
    and 2025 预算 (F11), with the reference graphs of their years."""
    directory = tmp_path_factory.mktemp("pages") / "store"
    qinghai = read_document(QINGHAI)
    documents = [qinghai, generated_final(qinghai), read_document(pdf("F01")),
                 read_document(pdf("F11"))]
    graphs, reference = load_documents(directory, documents, Minter(BASE))
    return RealStore(directory, (graphs[0], *reference))


@pytest.fixture(scope="session")
def real_server(real_store: RealStore) -> Iterator[str]:
    """``budgetgraph.web.serve`` over the real store, on a free port; its URL."""
    with serving(real_store.directory) as url:
        yield url


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Headless Chromium driven by Selenium (``.ci/run`` installs both)."""
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


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where browser tests save what a person should look at (under pytest's base temp)."""
    directory = tmp_path_factory.getbasetemp() / "screenshots"
    directory.mkdir(exist_ok=True)
    return directory


@pytest.fixture
def silent_server() -> Iterator[str]:
    """An endpoint that accepts connections and never answers."""
    with silent_endpoint() as url:
        yield url
