"""A full-text index of names (departments, units, codes, projects, indicators …).

Oxigraph has no text index: a SPARQL ``CONTAINS`` over labels reads every
label of the store (87 ms at 1.1M quads, 533 ms at 10M, docs/benchmarks.md).
This module keeps the names in a SQLite FTS5 table instead (stdlib
``sqlite3``), one file inside the store directory (:data:`INDEX_FILE`), written
by :func:`budgetgraph.store.replace_graphs` in the staging copy of every load
and so swapped in with the store by the same rename. Nothing here imports
pyoxigraph: the store hands over plain :class:`Entry` values.

Chinese is not split into words by FTS5's ``unicode61`` tokenizer (a run of
hanzi is one token), so names are indexed by overlapping character bigrams
plus the last character of each run (``社会保险`` → ``社会 会保 保险 险``): any
substring of two or more characters is the phrase of its bigrams, one
character is a prefix query (``险*`` matches ``险`` and every bigram starting
with it). Codes and other words are indexed whole and searched as prefixes
(``208`` finds 208, 20805, 2080501). Exact and leading matches come first,
from a B-tree of normalised names, so they are found however many names
merely contain the text.

User input is untrusted: it is reduced to our own tokens, each quoted, before
it reaches FTS5, so no character of it is FTS5 syntax.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import BudgetgraphError

__all__ = [
    "INDEX_FILE",
    "KINDS",
    "NAME_PROPERTIES",
    "Entry",
    "Found",
    "Hit",
    "Index",
    "SearchError",
    "index_tokens",
    "match_expression",
    "normalize",
    "sparql_scan",
    "write_index",
]

#: The index's file name inside the store directory.
INDEX_FILE = "search.sqlite"
#: Schema version, kept in ``PRAGMA user_version``; another version is rebuilt.
FORMAT = 1
#: Longest search text accepted, in characters.
MAX_QUERY_CHARS = 200
#: Most separate words (runs of hanzi or of letters and digits) in one search.
MAX_QUERY_TERMS = 12
#: Candidates read per kind of match before ranking: bounds the work of a
#: search that matches half the index (``局``).
CANDIDATES = 500

BG = "https://w3id.org/budgetgraph/def#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"

#: What is indexed, most wanted first: a kind and the ``rdf:type`` IRIs that make a
#: resource of that kind. Observations, source lines, series and statements are left
#: out: they carry generated labels (a table's name and a row's), a hundred per
#: document, that would bury the things people look for.
KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("department", (BG + "Department",)),
    ("unit", (BG + "BudgetUnit",)),
    ("office", (BG + "InternalOffice",)),
    ("region", (BG + "AdministrativeDivision",)),
    ("code", (BG + "FunctionalCode", BG + "EconomicCode")),
    ("project", (BG + "Project",)),
    ("indicator", (BG + "PerformanceIndicator",)),
    ("disclosure", (BG + "Disclosure",)),
    ("term", (BG + "ColumnMeaning", BG + "TableKind", BG + "IncomeType", BG + "FundSource",
              BG + "SummaryItem", BG + "ExpenditureType")),
)
KIND_RANK = {kind: rank for rank, (kind, _) in enumerate(KINDS)}
#: The properties whose values are a resource's names and codes.
NAME_PROPERTIES: tuple[str, ...] = (
    SKOS + "prefLabel", RDFS + "label", "http://xmlns.com/foaf/0.1/name", SKOS + "altLabel",
    DCT + "title", SKOS + "notation", DCT + "identifier", "http://www.w3.org/ns/org#identifier",
)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
#: A run of hanzi, or a run of other letters and digits.
_RUNS = re.compile(f"(?P<cjk>[{_CJK}]+)|[^\\W_{_CJK}]+")
_SPACES = re.compile(r"\s+")


class SearchError(BudgetgraphError):
    """The search text cannot be used (too long, too many words)."""


@dataclass(frozen=True)
class Entry:
    """One resource's names as one named graph states them."""

    iri: str
    graph: str
    kind: str
    #: (value, language tag or None), in :data:`NAME_PROPERTIES` order
    names: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class Hit:
    """One resource found: its best name in Chinese (and English) and how it matched."""

    iri: str
    kind: str
    label: str
    label_en: str | None
    #: "exact" (a whole name or code), "prefix" (a name begins with it), "contains"
    match: str


@dataclass(frozen=True)
class Found:
    """What one search found; ``more`` when some candidates were left unread."""

    query: str
    hits: tuple[Hit, ...]
    more: bool


# --- text ---------------------------------------------------------------------

def normalize(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII), case-folded, blanks squeezed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def _runs(text: str) -> Iterator[tuple[bool, str]]:
    for match in _RUNS.finditer(normalize(text)):
        yield match.group("cjk") is not None, match.group()


def _bigrams(run: str) -> list[str]:
    return [run[i:i + 2] for i in range(len(run) - 1)]


def index_tokens(text: str) -> list[str]:
    """The tokens one name is indexed by: hanzi bigrams plus each run's last character,
    and other words whole."""
    tokens: list[str] = []
    for cjk, run in _runs(text):
        if cjk:
            tokens += _bigrams(run)
            tokens.append(run[-1])
        else:
            tokens.append(run)
    return tokens


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def match_expression(text: str) -> str | None:
    """The FTS5 query for ``text``: every word must occur, hanzi as a phrase of their
    bigrams, one hanzi or another word as a prefix. None if ``text`` has no word.

    Raises :class:`SearchError` for text longer than :data:`MAX_QUERY_CHARS` or with
    more than :data:`MAX_QUERY_TERMS` words.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise SearchError(f"search text longer than {MAX_QUERY_CHARS} characters")
    parts = []
    for cjk, run in _runs(text):
        if cjk and len(run) > 1:
            parts.append(_quoted(" ".join(_bigrams(run))))
        else:
            parts.append(_quoted(run) + "*")
    if len(parts) > MAX_QUERY_TERMS:
        raise SearchError(f"more than {MAX_QUERY_TERMS} words in the search text")
    return " AND ".join(parts) or None


def sparql_scan(text: str, *, limit: int = 20) -> str:
    """The same search as SPARQL without an index: every name is read and compared.

    What a SPARQL user writes to find what ``/search`` finds (within its kinds and
    ranking), and the baseline the benchmark times the index against.
    """
    literal = json.dumps(text.strip().lower(), ensure_ascii=False)
    properties = " ".join(f"<{p}>" for p in NAME_PROPERTIES)
    types = " ".join(f"<{t}>" for _, group in KINDS for t in group)
    return (f"SELECT DISTINCT ?s ?type ?name WHERE {{\n"
            f"  VALUES ?p {{ {properties} }}\n"
            f"  VALUES ?type {{ {types} }}\n"
            f"  ?s ?p ?name . FILTER(CONTAINS(LCASE(STR(?name)), {literal}))\n"
            f"  ?s a ?type .\n"
            f"}} LIMIT {limit}")


# --- writing ------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE entries(id INTEGER PRIMARY KEY, iri TEXT NOT NULL, graph TEXT NOT NULL,
                     kind TEXT NOT NULL, label TEXT NOT NULL, label_en TEXT,
                     names TEXT NOT NULL);
CREATE INDEX entries_graph ON entries(graph);
CREATE TABLE names(name TEXT NOT NULL, entry INTEGER NOT NULL);
CREATE INDEX names_name ON names(name);
CREATE INDEX names_entry ON names(entry);
CREATE VIRTUAL TABLE fts USING fts5(terms, content='');
"""


def _terms(names: Iterable[str]) -> str:
    return " ".join(token for name in names for token in index_tokens(name))


def _labels(names: tuple[tuple[str, str | None], ...]) -> tuple[str, str | None]:
    """The name to show (Chinese first, then untagged, then any) and the English one."""
    def first(*languages: str | None) -> str | None:
        for language in languages:
            for value, tag in names:
                if (tag or "").split("-")[0] == (language or ""):
                    return value
        return None

    label = first("zh", None) or (names[0][0] if names else "")
    return label, first("en")


def usable(path: Path) -> bool:
    """Whether ``path`` is an index of this :data:`FORMAT`."""
    if not path.is_file():
        return False
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return bool(connection.execute("PRAGMA user_version").fetchone()[0] == FORMAT)
        finally:
            connection.close()
    except sqlite3.Error:
        return False


def write_index(target: Path, entries: Iterable[Entry], *, previous: Path | None = None,
                replaced: Iterable[str] = ()) -> int:
    """Write the index at ``target``; return how many entries it holds.

    With a usable ``previous`` index, ``target`` is a copy of it with the entries of
    the ``replaced`` graphs removed and ``entries`` (those graphs' new names) added;
    otherwise it is built from ``entries`` alone, which must then cover the whole
    store. Written beside ``target`` and renamed onto it, so no reader of ``target``
    ever opens a half-written index.
    """
    temp = target.with_name(target.name + ".tmp")
    temp.unlink(missing_ok=True)
    incremental = previous is not None and usable(previous)
    if incremental:
        shutil.copyfile(previous, temp)  # type: ignore[arg-type]
    connection = sqlite3.connect(temp, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("BEGIN")
        if incremental:
            for graph in replaced:
                _remove_graph(connection, graph)
        else:
            connection.executescript("BEGIN;" + _SCHEMA)
            connection.execute(f"PRAGMA user_version={FORMAT}")
        for entry in entries:
            _add(connection, entry)
        if not incremental:
            connection.execute("INSERT INTO fts(fts) VALUES('optimize')")
        connection.execute("COMMIT")
        count = int(connection.execute("SELECT COUNT(*) FROM entries").fetchone()[0])
    finally:
        connection.close()
    with open(temp, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(temp, target)
    return count


def _add(connection: sqlite3.Connection, entry: Entry) -> None:
    label, label_en = _labels(entry.names)
    values = [value for value, _ in entry.names]
    cursor = connection.execute(
        "INSERT INTO entries(iri, graph, kind, label, label_en, names) VALUES (?,?,?,?,?,?)",
        (entry.iri, entry.graph, entry.kind, label, label_en,
         json.dumps(values, ensure_ascii=False)))
    row = cursor.lastrowid
    connection.executemany("INSERT INTO names(name, entry) VALUES (?, ?)",
                           [(name, row) for name in {normalize(v) for v in values} if name])
    connection.execute("INSERT INTO fts(rowid, terms) VALUES (?, ?)", (row, _terms(values)))


def _remove_graph(connection: sqlite3.Connection, graph: str) -> None:
    rows = connection.execute("SELECT id, names FROM entries WHERE graph = ?",
                              (graph,)).fetchall()
    # a contentless FTS5 table forgets a row when told the text it indexed
    connection.executemany("INSERT INTO fts(fts, rowid, terms) VALUES ('delete', ?, ?)",
                           [(row, _terms(json.loads(names))) for row, names in rows])
    connection.executemany("DELETE FROM names WHERE entry = ?", [(row,) for row, _ in rows])
    connection.execute("DELETE FROM entries WHERE graph = ?", (graph,))


# --- reading ------------------------------------------------------------------

class Index:
    """An open index, read-only, shared by a server worker's threads.

    Its connections are opened at once, on the file as it is now: a load that
    swaps in a new store (and index) later does not change what this object
    reads, as a server keeps the store snapshot it opened.
    """

    def __init__(self, path: Path, *, connections: int = 4) -> None:
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        self.path = path
        self._pool: queue.Queue[sqlite3.Connection] = queue.Queue()
        for _ in range(connections):
            connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version != FORMAT:
                connection.close()
                self.close()
                raise SearchError(f"search index format {version}, expected {FORMAT}",
                                  file=str(path))
            self._pool.put(connection)

    @classmethod
    def beside(cls, store_dir: str | os.PathLike[str]) -> Index | None:
        """The index of the store at ``store_dir``, or None if it has none (yet)."""
        path = Path(store_dir) / INDEX_FILE
        return cls(path) if usable(path) else None

    def close(self) -> None:
        while not self._pool.empty():
            self._pool.get_nowait().close()

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        connection = self._pool.get()
        try:
            yield connection
        finally:
            self._pool.put(connection)

    def count(self) -> int:
        """How many entries (resource, graph) the index holds."""
        with self._connection() as connection:
            return int(connection.execute("SELECT COUNT(*) FROM entries").fetchone()[0])

    def search(self, text: str, *, limit: int = 20, kinds: Iterable[str] = ()) -> Found:
        """Resources whose names contain ``text``, best first, at most ``limit``.

        Order: a whole name or code equal to the text, then names beginning with
        it, then names containing it; within each, by kind (:data:`KINDS` order),
        then shorter names first, then by IRI (a code of two years: the earlier
        first). A resource named in several graphs is listed once.
        """
        expression = match_expression(text)
        wanted = tuple(k for k in kinds if k in KIND_RANK)
        if expression is None:
            return Found(text, (), False)
        needle = normalize(text)
        kind_sql = f" AND e.kind IN ({','.join('?' * len(wanted))})" if wanted else ""
        columns = "e.iri, e.kind, e.label, e.label_en"
        tiers = (
            ("exact", f"SELECT DISTINCT {columns} FROM names n JOIN entries e ON e.id = n.entry "
                      f"WHERE n.name = ?{kind_sql} LIMIT ?", (needle,)),
            ("prefix", f"SELECT DISTINCT {columns} FROM names n JOIN entries e "
                       f"ON e.id = n.entry WHERE n.name > ? AND n.name < ?{kind_sql} LIMIT ?",
             (needle, needle + "\U0010ffff")),
            ("contains", f"SELECT {columns} FROM fts JOIN entries e ON e.id = fts.rowid "
                         f"WHERE fts MATCH ?{kind_sql} LIMIT ?", (expression,)),
        )
        best: dict[str, tuple[tuple[int, int, int, str, str], Hit]] = {}
        more = False
        with self._connection() as connection:
            for rank, (match, sql, args) in enumerate(tiers):
                rows = connection.execute(sql, (*args, *wanted, CANDIDATES)).fetchall()
                more = more or len(rows) >= CANDIDATES
                for iri, kind, label, label_en in rows:
                    key = (rank, KIND_RANK.get(kind, len(KIND_RANK)), len(label), label, iri)
                    if iri not in best or key < best[iri][0]:
                        best[iri] = (key, Hit(iri, kind, label, label_en, match))
        ranked = sorted(best.values(), key=lambda pair: pair[0])
        return Found(text, tuple(hit for _, hit in ranked[:limit]), more or len(ranked) > limit)
