"""Identity, provenance, published validation and the catalog, on real documents.

Identity: one IRI per department across years and kinds, one for its own (本级)
unit whichever document names it, units only from names, a region for every
corpus document. Provenance: checksum, published address, the conversion as a
prov:Activity, and no internal notes in published literals. Publication: what
validation found goes into the store beside each document, a forced load says
so, and the landing example lists the documents that break an identity. The
catalog answers as DCAT-AP 2 requires, on a real server.
"""

from __future__ import annotations

import hashlib
import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SKOS
from tests.documents import PDF_DIR, QINGHAI, pdf
from tests.servers import free_port, start, stop

from budgetgraph.cli import main
from budgetgraph.rdf import codelists
from budgetgraph.rdf.convert import SourceInfo, convert
from budgetgraph.rdf.namespaces import BG, OBEU_DIMENSION
from budgetgraph.rdf.uris import Minter
from budgetgraph.readers import read
from budgetgraph.store import open_read_only
from budgetgraph.web.examples import BROKEN_IDENTITIES

BASE = "http://127.0.0.1:8000/"
M = Minter(BASE)
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")


def union(*paths: Path) -> rdflib.Graph:
    """The documents' graphs merged (what the store's union default graph shows)."""
    graph = rdflib.Graph()
    for quad in convert([read(p) for p in paths], reference=False).quads():
        graph.add(quad[:3])
    return graph


# -- identity ---------------------------------------------------------------------------


def test_the_own_unit_is_one_iri_in_the_departmental_and_the_unit_budget() -> None:
    graph = union(pdf("F04"), pdf("F05"))
    department = M.org("310107", "上海市普陀区人民政府办公室")
    own = graph.value(department, BG.ownUnit)
    assert own == M.own_unit(department)
    unit_doc = next(d for d in graph.subjects(RDF.type, BG.UnitBudget))
    assert graph.value(unit_doc, OBEU_DIMENSION.organization) == own
    assert graph.value(unit_doc, BG.reportingScope) == BG.SingleUnit
    departmental = next(d for d in graph.subjects(RDF.type, BG.DepartmentBudget))
    assert graph.value(unit_doc, BG.consolidatedIn) == departmental


def test_a_department_is_one_iri_across_years() -> None:
    graph = union(pdf("F08"), pdf("F14"))
    departments = set(graph.subjects(RDF.type, BG.Department))
    assert len(departments) == 1
    years = {str(graph.value(d, OBEU_DIMENSION.fiscalYear))[-4:]
             for d in graph.subjects(RDF.type, BG.Disclosure)}
    assert years == {"2023", "2024"}


def test_units_come_from_names_never_from_paragraphs() -> None:
    graph = union(pdf("F05"))
    names = [str(graph.value(u, RDFS.label)) for u in graph.subjects(RDF.type, BG.BudgetUnit)]
    assert names and all("。" not in n and "，" not in n for n in names)
    kept = list(graph.objects(None, BG.unitListText))
    assert len(kept) == len(read(pdf("F05")).profile.budget_units) > 3


def test_every_corpus_document_has_a_region() -> None:
    """F03 prints no region code; its department's name begins with one."""
    regions = {path.name[:3]: convert([read(path)], reference=False) for path in
               [*sorted(PDF_DIR.glob("*.pdf"))[:3], QINGHAI]}
    for name, dataset in regions.items():
        doc = next(dataset.subjects(RDF.type, BG.Disclosure))
        assert "/unknown/" not in str(doc), name
        assert dataset.value(doc, BG.region) is not None, name
    assert codelists.region_from_name("中共上海市普陀区委社会工作部") == "310107"


def test_the_region_list_is_gbt_2260_with_validity_years() -> None:
    graph = codelists.region_graph(M)
    assert len(set(graph.subjects(RDF.type, BG.AdministrativeDivision))) > 3000
    assert str(graph.value(M.region("630223"), BG.listedFrom)) == "2013"
    assert graph.value(M.region("630223"), BG.listedUntil) is None
    assert str(graph.value(M.region("310108"), BG.listedUntil)) == "2015"  # 闸北区, merged
    for child, parent in graph.subject_objects(SKOS.broader):
        assert (parent, RDF.type, BG.AdministrativeDivision) in graph, child


# -- provenance and code lists ---------------------------------------------------------


def test_provenance_of_a_conversion() -> None:
    info = SourceInfo(sha256="ab" * 32, url="https://example.org/huzhu.pdf",
                      converted="2026-01-02T03:04:05Z", software="9.9")
    dataset = convert([read(QINGHAI)], reference=False, sources={QINGHAI.name: info})
    doc = next(dataset.subjects(RDF.type, BG.Disclosure))
    file = dataset.value(doc, PROV.hadPrimarySource)
    checksum = dataset.value(file, SPDX.checksum)
    assert str(dataset.value(checksum, SPDX.checksumValue)) == "ab" * 32
    assert dataset.value(file, DCTERMS.source) == rdflib.URIRef(info.url)
    activity = dataset.value(doc, PROV.wasGeneratedBy)
    assert str(dataset.value(activity, PROV.endedAtTime)).startswith("2026-01-02T03:04:05")
    agent = dataset.value(activity, PROV.wasAssociatedWith)
    assert str(dataset.value(agent, DCTERMS.hasVersion)) == "9.9"


def test_convert_records_the_source_url_and_checksum(tmp_path: Path) -> None:
    out = tmp_path / "q.ttl"
    url = "https://example.org/published.txt"
    assert main(["convert", str(QINGHAI), "--source-url", url, "-o", str(out)]) == 0
    graph = rdflib.Graph().parse(out)
    assert (None, DCTERMS.source, rdflib.URIRef(url)) in graph
    values = {str(v) for v in graph.objects(None, SPDX.checksumValue)}
    assert values == {hashlib.sha256(QINGHAI.read_bytes()).hexdigest()}
    assert main(["convert", str(QINGHAI), str(QINGHAI), "--source-url", url]) == 2


def test_no_internal_note_in_published_literals() -> None:
    dataset = convert([read(QINGHAI)])
    leaks = [o for o in dataset.objects() if isinstance(o, rdflib.Literal)
             and any(w in str(o) for w in ("shared/corpus", "observed in", "pages-corpus"))]
    assert leaks == []


def test_code_lists_name_every_class_and_section_in_english_and_link_years() -> None:
    for code_list in (codelists.FUNCTIONAL, codelists.ECONOMIC, codelists.GOV_ECONOMIC):
        graph = codelists.classification_graph(M, code_list, 2024)
        for code in code_list.codes.values():
            if code.level > 2:
                continue
            english = [label for label in graph.objects(
                M.concept(code_list.name, code.code, 2024), SKOS.prefLabel)
                if label.language == "en"]
            assert english, (code_list.name, code.code)
    g2024 = codelists.classification_graph(M, codelists.FUNCTIONAL, 2024)
    g2025 = codelists.classification_graph(M, codelists.FUNCTIONAL, 2025)
    assert g2024.value(M.concept("func", "208", 2024), DCTERMS.isVersionOf) == \
        g2025.value(M.concept("func", "208", 2025), DCTERMS.isVersionOf)
    matched = {str(s).rsplit("/", 1)[-1] for s, o in g2024.subject_objects(SKOS.closeMatch)} | {
        str(s).rsplit("/", 1)[-1] for s, o in g2024.subject_objects(SKOS.broadMatch)}
    assert "208" in matched and not {"223", "227", "229"} & matched


# -- validation published ----------------------------------------------------------------


@pytest.fixture(scope="module")
def forced_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store after loading a clean document and, with --force, F08 (its 三公 table
    says it is empty and prints figures)."""
    store_dir = tmp_path_factory.mktemp("forced") / "store"
    assert main(["load", str(QINGHAI), "--store", str(store_dir)]) == 0
    assert main(["load", str(pdf("F08")), "--store", str(store_dir)]) == 1
    assert main(["load", str(pdf("F08")), "--store", str(store_dir), "--force"]) == 0
    return store_dir


def test_findings_are_published_and_a_forced_load_says_so(forced_store: Path) -> None:
    snapshot = open_read_only(forced_store)
    graphs = {g.iri for g in snapshot.graphs()}
    validation = [g for g in graphs if "/graph/validation/" in g]
    assert len(validation) == 2
    rows = json.loads(_select(snapshot, BROKEN_IDENTITIES))["results"]["bindings"]
    broken = {(r["doc"]["value"].split("/")[-3], r["identity"]["value"].rsplit("#", 1)[-1],
               r.get("forced", {}).get("value")) for r in rows}
    wanli = M.org("310107", "上海市普陀区人民政府万里街道办事处").split("/")[-1]
    assert {doc for doc, _, _ in broken} == {wanli}
    assert ("EmptyTableHasNoFigures" in {identity for _, identity, _ in broken})
    assert {forced for _, _, forced in broken} == {"true"}
    del snapshot


def _select(snapshot: object, query: str) -> bytes:
    from budgetgraph.store import QuerySpec, run_query

    outcome = run_query(snapshot, QuerySpec(query, "application/sparql-results+json", None,  # type: ignore[arg-type]
                                            10_000, 10_000_000))
    assert outcome.status == "ok", outcome.message
    return outcome.body


# -- the catalog, on a real server ------------------------------------------------------


@pytest.fixture(scope="module")
def server(forced_store: Path) -> Iterator[str]:
    port = free_port()
    process = start([str(Path(".venv/bin/budgetgraph").resolve()), "serve", "--store",
                     str(forced_store), "--port", str(port), "--workers", "1"], port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def _get(url: str, accept: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_the_catalog_has_what_dcat_ap_requires(server: str) -> None:
    status, _, body = _get(server + "/.well-known/void", "text/turtle")
    assert status == 200
    graph = rdflib.Graph().parse(data=body, format="turtle")
    catalog = rdflib.URIRef(BASE + "id/catalog")
    for predicate in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCTERMS.license,
                      DCTERMS.issued):
        assert graph.value(catalog, predicate) is not None, predicate
    publisher = graph.value(catalog, DCTERMS.publisher)
    assert graph.value(publisher, FOAF.name) is not None
    datasets = list(graph.objects(catalog, DCAT.dataset))
    assert len(datasets) == 3  # the store, and each of the two documents
    for dataset in datasets:
        for predicate in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher,
                          DCTERMS.license, DCTERMS.issued, DCAT.distribution):
            assert graph.value(dataset, predicate) is not None, (dataset, predicate)
        distribution = graph.value(dataset, DCAT.distribution)
        for predicate in (DCAT.accessURL, DCAT.downloadURL, DCTERMS.license, DCTERMS.title):
            assert graph.value(distribution, predicate) is not None, (distribution, predicate)
    service = graph.value(catalog, DCAT.service)
    assert (service, RDF.type, DCAT.DataService) in graph
    assert graph.value(service, DCAT.endpointURL) is not None
    assert graph.value(service, DCTERMS.title) is not None
    assert (catalog, RDFS.seeAlso, rdflib.URIRef(BASE + ".well-known/void")) in graph


@pytest.mark.parametrize("path", ["/id/catalog", "/id/publisher", "/def"])
def test_catalog_publisher_and_vocabulary_dereference(server: str, path: str) -> None:
    status, media, body = _get(server + path, "text/turtle")
    assert status == 200 and media.startswith("text/turtle")
    graph = rdflib.Graph().parse(data=body, format="turtle")
    assert len(graph) > 2
    status, media, _ = _get(server + path, "text/html")
    assert status == 200 and media.startswith("text/html")


def test_a_graph_iri_dereferences(server: str) -> None:
    snapshot_graphs = [g for g in open_read_only_graphs(server)]
    graph_iri = next(g for g in snapshot_graphs if "/graph/org/" in g)
    status, _, body = _get(server + graph_iri[len(BASE) - 1:], "text/turtle")
    assert status == 200
    graph = rdflib.Graph().parse(data=body, format="turtle")
    topic = graph.value(rdflib.URIRef(graph_iri), FOAF.primaryTopic)
    assert topic == rdflib.URIRef(graph_iri.replace("/graph/", "/id/", 1))
    assert _get(server + "/graph/no/such/graph", "text/turtle")[0] == 404


def open_read_only_graphs(server: str) -> list[str]:
    status, _, body = _get(server + "/sparql?query=" + urllib.parse.quote(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"), "application/sparql-results+json")
    assert status == 200
    return [row["g"]["value"] for row in json.loads(body)["results"]["bindings"]]


def test_json_ld_is_compacted_with_a_context(server: str) -> None:
    status, _, body = _get(server + "/id/catalog", "application/ld+json")
    assert status == 200
    document = json.loads(body)
    assert "@context" in document and document["@context"]["dcat"] == str(DCAT)
    graph = rdflib.Graph().parse(data=body, format="json-ld")
    assert (rdflib.URIRef(BASE + "id/catalog"), RDF.type, DCAT.Catalog) in graph


# -- one figure per fact, as compare and the department page give it ---------------------


@pytest.fixture(scope="module")
def department_and_unit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over F04 (政府办 2025 部门预算) and F05 (its own unit's 单位预算)."""
    store_dir = tmp_path_factory.mktemp("f04f05") / "store"
    assert main(["load", str(pdf("F04")), str(pdf("F05")), "--store", str(store_dir)]) == 0
    port = free_port()
    process = start([str(Path(".venv/bin/budgetgraph").resolve()), "serve", "--store",
                     str(store_dir), "--port", str(port), "--workers", "1"], port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def test_compare_counts_the_unit_budget_once(department_and_unit: str) -> None:
    from budgetgraph.compare import compare

    f04 = read(pdf("F04"))
    table = next(t for t in f04.tables if t.kind.name == "EXPENDITURE")
    own = table.row("208").values["合计"] * table.unit.factor  # type: ignore[union-attr,operator]
    result = compare([department_and_unit + "/sparql"], "208", 2025)
    assert result.complete and len(result.rows) == 1
    assert result.rows[0].amount * 10000 == own  # F05 prints the same money: left out


def test_the_department_page_lists_its_own_budget_once(department_and_unit: str) -> None:
    department = M.org("310107", "上海市普陀区人民政府办公室")
    status, _, body = _get(department_and_unit + department[len(BASE) - 1:], "application/json")
    assert status == 200
    years = json.loads(body)["years"]
    assert [(y["year"], len(y["documents"])) for y in years] == [("2025", 1)]
    status, _, body = _get(department_and_unit + M.own_unit(department)[len(BASE) - 1:],
                           "application/json")
    assert status == 200 and [y["year"] for y in json.loads(body)["years"]] == ["2025"]
