"""The Flask app factory: settings in, a configured app out."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from ..remote import Endpoint, RemoteError, RemoteQueries, RemoteStore, RemoteTimeout, endpoint
from ..search import Index
from ..store import open_read_only
from . import negotiation, views
from .context import Context, current
from .errors import QueryFailed, QueryTimeout, WebError, error_body
from .forward import ForwardingPool
from .lookup import Store
from .paths import check_path
from .querypool import QueryPool
from .settings import SettingsError, resolve
from .urls import Urls

log = logging.getLogger(__name__)


def create_app(settings: Mapping[str, Any] | None = None) -> Flask:
    """Build the app over a store; see :data:`~budgetgraph.web.settings.SETTINGS` for names.

    The store is opened (read-only) here, so call this in each server worker
    process, after any fork; query processes start on the first query. With
    the ``endpoint`` setting the app serves a remote engine instead: pages read
    it through :class:`~budgetgraph.remote.RemoteStore` and ``/sparql`` is
    forwarded to it, with the same caps, deadline and errors.
    """
    values = resolve(settings)
    app = Flask(__name__)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    store: Store
    pool: QueryPool | ForwardingPool
    index: Index | None = None
    if values["endpoint"]:
        ep = remote_endpoint(values)
        store = RemoteStore(ep, timeout=values["query_timeout"], graph_prefix=values["base_iri"])
        pool = ForwardingPool(RemoteQueries(ep))
    else:
        store = open_read_only(values["store_dir"])
        index = Index.beside(values["store_dir"])  # opened now: the snapshot's own index
        if index is None:
            log.warning("%s has no names index: /search scans by SPARQL (run `budgetgraph "
                        "index` or load a document to build it)", values["store_dir"])
        pool = QueryPool(str(values["store_dir"]), values["query_processes"],
                         queue_timeout=values["queue_timeout"])
    app.extensions["budgetgraph"] = Context(settings=values, urls=Urls(values["base_iri"]),
                                            store=store, pool=pool, index=index)
    app.before_request(_check_path)
    views.register(app)
    app.register_error_handler(WebError, _web_error)
    app.register_error_handler(RemoteError, _remote_error)
    app.register_error_handler(HTTPException, _http_error)
    app.after_request(_cors)
    return app


def remote_endpoint(values: Mapping[str, Any]) -> Endpoint:
    """The engine the ``endpoint*`` settings name, its password read from the environment.

    The password is never a setting: settings are logged and shown in errors,
    an environment variable's value is not.
    """
    password = None
    variable = values["endpoint_password_env"]
    if variable:
        password = os.environ.get(variable)
        if password is None:
            raise SettingsError(f"endpoint_password_env names {variable}, which is not set")
    return endpoint(values["endpoint"], engine=values["endpoint_engine"],
                    user=values["endpoint_user"] or None, password=password)


def _error_response(status: int, code: str, message: str) -> Response:
    """The one error shape: JSON for programs, the same fields in HTML for people."""
    body = error_body(status, code, message)
    accept = request.accept_mimetypes
    if accept.quality(negotiation.HTML) > accept.quality(negotiation.JSON):
        html = render_template("error.html", error=body, urls=current().urls,
                               settings=current().settings)
        return Response(html, status=status, content_type="text/html; charset=utf-8")
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    content_type="application/json")


def _web_error(error: WebError) -> Response:
    return _error_response(error.status, error.code, error.message)


def _remote_error(error: RemoteError) -> Response:
    """A page lookup the engine did not answer: as if our own query process had failed."""
    web = QueryTimeout(str(error)) if isinstance(error, RemoteTimeout) else QueryFailed(str(error))
    log.warning("engine: %s", error)
    return _web_error(web)


def _http_error(error: HTTPException) -> Response:
    response = _error_response(error.code or 500, (error.name or "error").lower().replace(" ", "_"),
                               error.description or "")
    for name, value in error.get_headers():
        if name == "Allow":
            response.headers[name] = value
    return response


def _check_path() -> None:
    check_path(request.environ, current().urls)


def _cors(response: Response) -> Response:
    """Let browser apps on other origins read everything (the data is public, read-only)."""
    origin = current().settings["cors_origin"]
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "Link, Content-Type"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
            response.headers["Access-Control-Max-Age"] = "86400"
    return response
