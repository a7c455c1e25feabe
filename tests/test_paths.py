"""No request path makes the server fail or leak a file (issue #15 item 3).

A traversal scanner's path set — every route prefix the app serves, crossed
with dot-dot sequences in every encoding scanners try (percent, double percent,
overlong UTF-8, backslashes, NUL, malformed escapes) and aimed at files outside
the served folders — goes to a real server on a real port, byte for byte as
written (``http.client`` does not re-encode). Every answer must be below 500,
every error of the app's own in its one JSON shape, and no body may hold a byte
of a file the server does not serve: a sentinel file beside the store, the
app's own source, ``/etc/passwd``.
"""

from __future__ import annotations

import http.client
import itertools
import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.documents import SERVER_FIXTURES
from tests.servers import BASE, serving

from budgetgraph import store
from budgetgraph.web import app as web_app

SECRET = "budgetgraph-sentinel-7c1f0e9a: this file is never served"
#: The six paths that answered 500 (issue #15).
ISSUE_PATHS = ["/id/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd", "/id/..%5c..%5c..%5cetc%5cpasswd",
               "/id/..%00/etc/passwd", "/id/%ff%fe", "/id/%", "/id/%zz"]
PREFIXES = ["/", "/id/", "/id/code/func/2024/", "/graph/", "/dumps/", "/dumps/graph/doc/",
            "/static/", "/static/vendor/", "/sparql/", "/query/", "/def/", "/.well-known/"]
#: One step up, as scanners spell it.
UPS = ["../", "..%2f", "%2e%2e/", "%2e%2e%2f", ".%2e/", "%2e./", "..%252f", "%252e%252e%252f",
       "..%5c", "%2e%2e%5c", "..%255c", "..\\", "%c0%ae%c0%ae/", "%c0%ae%c0%ae%c0%af",
       "..%c0%af", "..%c1%9c", "%e0%80%ae%e0%80%ae/", "%f0%80%80%ae%f0%80%80%ae/",
       "%uff0e%uff0e/", "....//", "..././", "..;/", "..%00/", "..%0d%0a/", "%2e%2e%00/"]
#: Odd bytes and escapes on their own.
ODD = ["%", "%z", "%zz", "%%", "%2", "%%32%65", "%252e", "%ff", "%fe%ff", "%ff%fe", "%00",
       "%0a", "%0d", "%09", "%7f", "%c2%85", "%20", "%22", "%3c%3e", "%7b%7d", "%60", "%7c",
       "%5e", "%5c", "%ed%a0%80", "%f4%90%80%80", "%c0%80", "%e2%80%ae", "%ef%bf%bf",
       "%23", "%3f", ";", "%3b", "~", "%7e", "."]


def _scanner_paths(secret: Path) -> list[str]:
    """~460 distinct paths: each prefix with each step up (to several targets), and odd bytes."""
    targets = ["etc/passwd", "windows/win.ini", "proc/self/environ",
               secret.as_posix().lstrip("/"), "app.py", "../web/app.py"]
    paths = list(ISSUE_PATHS)
    for (number, prefix), up in itertools.product(enumerate(PREFIXES), UPS):
        target = targets[(number + len(paths)) % len(targets)]
        paths.append(prefix + up * (4 + number % 5) + target)
    paths += [prefix + odd for prefix, odd in itertools.product(PREFIXES[:4], ODD)]
    paths += ["//etc/passwd", "/./id/../static/site.css", "/static//etc/passwd",
              "/static/%2fetc%2fpasswd", "/static/site.css%00.js", "/static/site.css/..",
              "/id/" + "a" * 4000, "/id/" + "a/" * 1900, "/id/" + "%41" * 1300,
              "/id/" + "../" * 1300, "/sparql?query=%ff", "/sparql?query=%",
              "/sparql?query=ASK%7B%7D&default-graph-uri=%00",
              "/sparql?query=ASK%7B%7D&named-graph-uri=..%2f..%2fetc%2fpasswd",
              "/query?query=%zz", "/id/code/func/2024/208?format=%ff"]
    return list(dict.fromkeys(paths))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(URL, sentinel): the test fixtures served, a secret file beside the store."""
    root = tmp_path_factory.mktemp("paths")
    secret = root / "secret.txt"
    secret.write_text(SECRET)
    directory = root / "store"
    store.load_graph(directory, BASE + "graph/doc/qh-2024", SERVER_FIXTURES / "test-doc-qh-2024.nq")
    store.load_graph(directory, BASE + "graph/codelist/func-2024",
                     SERVER_FIXTURES / "test-codelist-func-2024.nq")
    with serving(directory) as url:
        yield url, secret


def _get(url: str, path: str) -> tuple[int, str, bytes]:
    """GET ``path`` exactly as written; (status, content type, body)."""
    parsed = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept": "application/json"})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


def test_the_scanner_gets_no_5xx_and_no_file(served: tuple[str, Path]) -> None:
    url, secret = served
    paths = _scanner_paths(secret)
    assert len(paths) > 250
    never = [SECRET.encode(), b"root:x:0:0", b"[fonts]", b"def create_app",
             Path(web_app.__file__).read_bytes()[:200]]
    statuses: dict[int, int] = {}
    for path in paths:
        status, content_type, body = _get(url, path)
        statuses[status] = statuses.get(status, 0) + 1
        assert status < 500, (path, body[:300])
        assert not any(text in body for text in never), path
        if status >= 400 and content_type == "application/json":
            error = json.loads(body)
            assert set(error) == {"ok", "status", "error", "message"}, path
            assert error["status"] == status, path
        elif status >= 400:  # gunicorn's own refusal of a request line it will not pass on
            assert status in (400, 414), (path, status, content_type)
    assert statuses.get(200, 0) > 0 and statuses.get(400, 0) > 100, statuses


@pytest.mark.parametrize("path", ISSUE_PATHS)
def test_the_issues_paths_are_a_400_bad_path(served: tuple[str, Path], path: str) -> None:
    status, content_type, body = _get(served[0], path)
    assert (status, content_type) == (400, "application/json")
    assert json.loads(body)["error"] == "bad_path"


@pytest.mark.parametrize("path", ["/id/code/func/2024/208", "/static/site.css",
                                  "/dumps/graph/codelist/func-2024.nq.gz", "/sparql",
                                  "/.well-known/void", "/id/code/func/2024/208?format=ttl"])
def test_paths_we_serve_still_answer(served: tuple[str, Path], path: str) -> None:
    assert _get(served[0], path)[0] == 200
