"""Every request path checked once, before routing: it must decode to an IRI path.

Each route turns its path into an IRI (``/id/…``, ``/dumps/…``) or a file name
(``/static/…``), and every path this server answers is the path of one of its
IRIs. A path whose percent-escapes do not decode to UTF-8 (``%ff``, the overlong
``%c0%ae``), or that decodes to something no IRI holds (a malformed ``%`` escape,
NUL and other control characters, a backslash, a space), names nothing here. It
is answered 400 in the one error shape before any view sees it, so no view has
to guard against it (pyoxigraph raises on an invalid IRI, which was a 500).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..store import is_iri
from .errors import WebError
from .urls import Urls


class BadPath(WebError):
    """A request path that cannot be the path of any IRI."""

    code = "bad_path"


def check_path(environ: Mapping[str, Any], urls: Urls) -> None:
    """Raise :class:`BadPath` unless the request's path decodes to an IRI under our base.

    ``PATH_INFO`` holds the percent-decoded bytes as latin-1 characters (PEP
    3333); they must be UTF-8, and the base joined with them a valid IRI.
    """
    raw = environ.get("PATH_INFO", "").encode("latin-1")
    try:
        path = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadPath("the request path is not percent-encoded UTF-8") from None
    if not is_iri(urls.iri_for_path(path)):
        raise BadPath(f"the request path {path!r} is not the path of an IRI")
