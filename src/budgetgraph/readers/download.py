"""Documents named by an http(s) URL: downloaded once, within a size and a time limit.

The download goes into a temporary folder under the URL's file name (its last
path segment, ``document`` when it has none), so it is read as any local file of
that name is; the URL itself is what the caller records as the source
(``dct:source`` in the RDF, see :mod:`budgetgraph.pipeline`).
"""

from __future__ import annotations

import contextlib
import re
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from budgetgraph.errors import ReadError

#: Seconds without an answer (connecting, or between two reads) before giving up.
TIMEOUT = 30.0
#: Seconds a whole download may take.
TOTAL_TIME = 300.0
_CHUNK = 64 * 1024
_UNSAFE = re.compile(r"[^\w.\-\u3400-\u9fff]+")


def is_url(text: str | Path) -> bool:
    """An http or https URL with a host (a path never is one)."""
    if not isinstance(text, str):
        return False
    parts = urllib.parse.urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def file_name(url: str) -> str:
    """A safe local name for what ``url`` serves: its last path segment, decoded."""
    segment = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1])
    name = _UNSAFE.sub("_", segment).strip("._")
    return name[:120] or "document"


def download(url: str, directory: Path, *, max_bytes: int, timeout: float = TIMEOUT,
             total_time: float = TOTAL_TIME) -> Path:
    """Fetch ``url`` into ``directory``; refuse more than ``max_bytes`` (announced or
    received) and a server slower than the time limits, naming the URL."""
    target = directory / file_name(url)
    request = urllib.request.Request(url, headers={"User-Agent": "budgetgraph"})
    deadline = time.monotonic() + total_time
    limit_mb = max_bytes / 2**20
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response, \
                target.open("wb") as out:
            announced = response.headers.get("Content-Length", "")
            if announced.isdigit() and int(announced) > max_bytes:
                raise ReadError(f"the server announces {int(announced) / 2**20:,.1f} MB, larger "
                                f"than any disclosure ({limit_mb:,.0f} MB at most): not "
                                "downloaded", file=url)
            received = 0
            while chunk := response.read(_CHUNK):
                received += len(chunk)
                if received > max_bytes:
                    raise ReadError(f"more than {limit_mb:,.0f} MB, larger than any "
                                    "disclosure: download stopped", file=url)
                if time.monotonic() > deadline:
                    raise ReadError(f"download not finished after {total_time:.0f} s: "
                                    "stopped", file=url)
                out.write(chunk)
    except urllib.error.HTTPError as exc:
        raise ReadError(f"cannot download: HTTP {exc.code} {exc.reason}", file=url) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            reason = f"no answer within {timeout:.0f} s"
        raise ReadError(f"cannot download: {reason}", file=url) from None
    except TimeoutError:
        raise ReadError(f"cannot download: no answer within {timeout:.0f} s",
                        file=url) from None
    except (OSError, ValueError) as exc:  # a connection reset, a malformed answer or URL
        raise ReadError(f"cannot download: {exc}", file=url) from None
    return target


@contextlib.contextmanager
def downloaded(url: str, *, max_bytes: int) -> Iterator[Path]:
    """``url``'s document as a local file, removed when the block ends."""
    with tempfile.TemporaryDirectory(prefix="budgetgraph-") as directory:
        yield download(url, Path(directory), max_bytes=max_bytes)
