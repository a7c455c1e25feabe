"""Every URL the server makes, built in one place from the configured base IRI.

Request paths map to IRIs by the configured base, never by the ``Host``
header, so the same data answers through ``localhost``, a LAN address or a
proxy; links to our own IRIs are written as local paths for the same reason.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

ID_PREFIX = "id/"
DUMP_SUFFIX = ".nq.gz"


class Urls:
    """Maps between our IRIs and the paths that serve them."""

    sparql = "/sparql"
    query_editor = "/query"
    search = "/search"
    void = "/.well-known/void"
    dump_all = "/dumps/all" + DUMP_SUFFIX

    def __init__(self, base_iri: str) -> None:
        self.base = base_iri

    def iri_for_path(self, path: str) -> str:
        """The IRI a request path stands for (``/id/x`` → ``{base}id/x``)."""
        return self.base + path.lstrip("/")

    def is_ours(self, iri: str) -> bool:
        return iri.startswith(self.base)

    def href(self, iri: str) -> str:
        """A link to ``iri``: a local path for our IRIs, the IRI itself otherwise."""
        if self.is_ours(iri):
            return "/" + quote(iri[len(self.base):], safe="/:@!$&'()*+,;=-._~%")
        return iri

    def exports(self, iri: str) -> dict[str, str]:
        """Where a disclosure's or a table's figures download: ``<path>.csv``, ``<path>.json``."""
        path = self.href(iri)
        return {"csv": path + ".csv", "json": path + ".json"}

    def with_format(self, path: str, extension: str) -> str:
        return f"{path}?{urlencode({'format': extension})}"

    def run_query(self, query: str, *, fmt: str = "html") -> str:
        return f"{self.sparql}?{urlencode({'query': query, 'format': fmt})}"

    def search_json(self, text: str) -> str:
        return f"{self.search}?{urlencode({'q': text, 'format': 'json'})}"

    def edit_query(self, query: str) -> str:
        return f"{self.query_editor}?{urlencode({'query': query})}"

    def dump_for_graph(self, graph_iri: str) -> str | None:
        """The download path of one graph, for graphs under our base."""
        if not self.is_ours(graph_iri):
            return None
        return "/dumps/" + quote(graph_iri[len(self.base):]) + DUMP_SUFFIX

    def graph_for_dump(self, rest: str) -> str | None:
        """The graph IRI of ``/dumps/<rest>``, or None if ``rest`` is no graph dump name."""
        if not rest.endswith(DUMP_SUFFIX):
            return None
        return self.base + rest[: -len(DUMP_SUFFIX)]
