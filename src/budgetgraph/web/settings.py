"""Every tunable of the web server, in one table that the docs and ``--help`` read.

Settings are resolved once, when the app is created; nothing reads the
environment at request time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, NamedTuple

from ..errors import BudgetgraphError
from ..remote import ENGINES


class Setting(NamedTuple):
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("store_dir", "var/store", "Directory of the pyoxigraph store, opened read-only."),
    Setting("endpoint", "",
            "Query URL of a SPARQL engine to serve instead of store_dir (docs/engines.md); "
            "empty serves the embedded store."),
    Setting("endpoint_engine", "generic",
            "Which engine endpoint is: " + ", ".join(ENGINES) + "."),
    Setting("endpoint_user", "", "User for endpoint, if its query URL needs one."),
    Setting("endpoint_password_env", "",
            "Environment variable holding endpoint_user's password, read when the app starts."),
    Setting("base_iri", "http://127.0.0.1:8000/",
            "Base of every minted IRI; request paths map to IRIs by this base, "
            "whatever Host the request came through."),
    Setting("query_timeout", 10.0,
            "Seconds a SPARQL query may run before its process is killed (HTTP 504)."),
    Setting("query_processes", 2,
            "Query processes per server worker; each holds its own read-only store."),
    Setting("queue_timeout", 5.0,
            "Seconds a request waits for a free query process before HTTP 503."),
    Setting("max_result_rows", 10_000,
            "Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) one query may return."),
    Setting("max_result_bytes", 20_000_000, "Most bytes one serialised query result may have."),
    Setting("max_query_chars", 20_000, "Longest SPARQL query text accepted."),
    Setting("max_search_results", 50,
            "Most results one /search request returns (its limit parameter is capped here)."),
    Setting("max_resource_statements", 5_000,
            "Most statements shown or served for one dereferenced IRI."),
    Setting("service_allowlist", (),
            "Endpoint IRIs a query may call with SERVICE; empty forbids SERVICE."),
    Setting("cors_origin", "*", "Value of Access-Control-Allow-Origin; empty disables CORS."),
    Setting("dumps_dir", "",
            "Where gzipped N-Quads dumps are cached; empty means '<store_dir>.dumps', or a "
            "directory under the system temp dir for an endpoint."),
    Setting("dumps_ttl", 3600.0,
            "Seconds an endpoint's cached dump is served before it is rebuilt (an embedded "
            "store's dump is rebuilt when the store changes)."),
    Setting("title", "预算知识图谱 budgetgraph", "Dataset title (VoID/DCAT, HTML)."),
    Setting("description",
            "中国政府部门预算、决算公开数据的关联数据 · Chinese government departmental "
            "budget and final-account disclosures as linked data.",
            "Dataset description (VoID/DCAT, HTML)."),
    Setting("publisher_name", "budgetgraph", "dct:publisher name (DCAT)."),
    Setting("publisher_iri", "", "dct:publisher IRI; empty uses '<base_iri>id/publisher'."),
    Setting("license_iri", "http://creativecommons.org/licenses/by/4.0/",
            "dct:license of the published graph (DCAT)."),
)

DEFAULTS: dict[str, Any] = {s.name: s.default for s in SETTINGS}


class SettingsError(BudgetgraphError):
    """A setting name or value the server cannot use."""


#: Settings that name a directory: made absolute when resolved, at start-up, against the
#: working directory the command was given in (Flask would resolve a relative path
#: against the package's folder, and a server may change directory after starting).
PATHS = ("store_dir", "dumps_dir")


def resolve(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The full settings: defaults overridden by ``overrides``, coerced to the default's type.

    Strings are accepted for every setting so a CLI can pass its arguments
    through; a list setting takes a comma-separated string.
    """
    values = dict(DEFAULTS)
    for name, value in (overrides or {}).items():
        if name not in DEFAULTS:
            raise SettingsError(f"unknown setting {name!r}; known: {', '.join(DEFAULTS)}")
        values[name] = _coerce(name, value)
    for name in PATHS:
        if values[name]:
            values[name] = os.path.abspath(values[name])
    if not str(values["base_iri"]).endswith("/"):
        raise SettingsError(f"base_iri must end with '/': {values['base_iri']}")
    if values["endpoint_engine"] not in ENGINES:
        raise SettingsError(f"endpoint_engine must be one of {', '.join(ENGINES)}: "
                            f"{values['endpoint_engine']}")
    return values


def _coerce(name: str, value: Any) -> Any:
    default = DEFAULTS[name]
    try:
        if isinstance(default, tuple):
            items = value.split(",") if isinstance(value, str) else value
            return tuple(str(item).strip() for item in items if str(item).strip())
        if isinstance(default, bool):
            return value if isinstance(value, bool) else str(value).lower() in {"1", "true", "yes"}
        if isinstance(default, int | float):
            number = type(default)(value)
            if number <= 0:
                raise ValueError("must be positive")
            return number
        return str(value)
    except (TypeError, ValueError) as error:
        raise SettingsError(f"setting {name}: {value!r} is not usable ({error})") from error


def help_table() -> str:
    """The settings as a Markdown table, for ``docs/server.md`` and ``--help``."""
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    rows += [f"| `{s.name}` | `{s.default!r}` | {s.help} |" for s in SETTINGS]
    return "\n".join(rows)
