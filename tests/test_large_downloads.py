"""A table's CSV and JSON download whole however many figures it has.

Page queries are capped at 5,000 rows (web/lookup.py ``MAX_ROWS``); the downloads
page through the store under that cap and stream as the pages come. The store here
holds the Qinghai 部门预算 with its 支出总表 grown past the cap: its coded rows
repeated, each copy on lines of its own (10,000 + line, 20,000 + line …), so every
figure is a figure of its own with its own source line. GENERATED from the real
document for this test, never presented as data.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.servers import BASE, fetch, serving
from tests.stores import load_documents

from budgetgraph import export
from budgetgraph.model import Disclosure, SourceRef, TableKind
from budgetgraph.rdf.uris import Minter
from budgetgraph.store import open_read_only
from budgetgraph.web.lookup import MAX_ROWS

#: a store of 6,000 figures and a server on it: a minute in all
pytestmark = pytest.mark.slow

BUDGET = "/id/org/630223/e6b42d96fa/2024/budget"
TABLE = BUDGET + "/table/expenditure"


def figure_count(document: Disclosure, kind: TableKind | None = None) -> int:
    """Figures printed, a table its note says is empty counting its one explicit zero."""
    return sum(sum(1 for r in t.rows for v in r.values.values() if v is not None) or 1
               for t in document.tables if kind is None or t.kind is kind)


def grown(document: Disclosure, *, past: int) -> Disclosure:
    """``document`` with its 支出总表's coded rows repeated until it holds more than
    ``past`` figures."""
    table = next(t for t in document.tables if t.kind is TableKind.EXPENDITURE)
    coded = [row for row in table.rows if row.code]
    rows = list(table.rows)
    copy = 0
    while sum(1 for r in rows for v in r.values.values() if v is not None) <= past:
        copy += 1
        rows += [dataclasses.replace(row, source=SourceRef(row.source.file,
                                                           10_000 * copy + row.source.line,
                                                           row.source.page))
                 for row in coded]
    big = dataclasses.replace(table, rows=rows)
    return dataclasses.replace(document, tables=[big if t is table else t
                                                 for t in document.tables])


@pytest.fixture(scope="module")
def large(qinghai: Disclosure) -> Disclosure:
    return grown(qinghai, past=MAX_ROWS)


@pytest.fixture(scope="module")
def large_store(tmp_path_factory: pytest.TempPathFactory, large: Disclosure) -> Path:
    directory = tmp_path_factory.mktemp("large") / "store"
    load_documents(directory, [large], Minter(BASE))
    return directory


@pytest.fixture(scope="module")
def large_server(large_store: Path) -> Iterator[str]:
    with serving(large_store) as url:
        yield url


def read_csv(body: bytes) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    assert rows and tuple(rows[0]) == export.FIELDS
    return rows


def printed_order(rows: list[dict[str, str]]) -> bool:
    lines = [int(row["source"].rsplit(":", 1)[1]) for row in rows]
    return lines == sorted(lines)


def test_table_csv_past_the_cap_has_every_figure_in_printed_order(
        large_server: str, large: Disclosure) -> None:
    expected = figure_count(large, TableKind.EXPENDITURE)
    assert expected > MAX_ROWS
    status, headers, body = fetch(large_server + TABLE + ".csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert "Content-Length" not in headers  # streamed as the pages come
    rows = read_csv(body)
    assert len(rows) == expected == len({row["observation"] for row in rows})
    assert {row["table_kind"] for row in rows} == {"expenditure"}
    assert printed_order(rows)
    last = large.tables[[t.kind for t in large.tables].index(TableKind.EXPENDITURE)].rows[-1]
    assert rows[-1]["source"].endswith(f":{last.source.line}")
    assert rows[-1]["row_code"] == last.code and rows[-1]["row_name"]


def test_table_json_past_the_cap_is_the_csv(large_server: str) -> None:
    _, _, body = fetch(large_server + TABLE + ".csv")
    status, headers, data = fetch(large_server + TABLE + ".json")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    records = json.loads(data)
    assert records["iri"] == "http://127.0.0.1:8000" + TABLE
    assert records["columns"] == list(export.FIELDS) and records["rows"] == read_csv(body)


def test_disclosure_csv_past_the_cap_covers_every_table(large_server: str,
                                                       large: Disclosure) -> None:
    rows = read_csv(fetch(large_server + BUDGET + ".csv")[2])
    assert len(rows) == figure_count(large) == len({row["observation"] for row in rows})
    assert [row["table"] for row in rows][-1] == large.tables[-1].title


def test_paging_is_the_same_at_any_page_size(tmp_path: Path, qinghai: Disclosure) -> None:
    """Pages of any size, cutting anywhere (between the query rows of one figure too),
    give every figure once, in the order one page gives them: on the real document."""
    load_documents(tmp_path / "store", [qinghai], Minter(BASE))
    run = export.store_runner(open_read_only(tmp_path / "store"))
    disclosure = BASE + BUDGET[1:]
    whole = export.figures(run, disclosure=disclosure)
    assert len(whole) == figure_count(qinghai) and printed_order(whole)
    for page_rows in (7, 100):
        assert list(export.iter_figures(run, disclosure=disclosure, page_rows=page_rows)) \
            == whole
