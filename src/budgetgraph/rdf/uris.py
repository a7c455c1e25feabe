"""Every IRI budgetgraph mints, built in one place from natural keys.

The scheme is written down in ``docs/uri-scheme.md``. In short: all resources live
under ``{base}id/…`` and all named graphs under ``{base}graph/…``; a path segment
is a code (region, classification, project), a fixed English slug, a year, or a
short hash of a normalised Chinese name, so IRIs stay ASCII, readable where the
source gives a code, and never depend on row order or counters.

>>> m = Minter("http://example.org/")
>>> str(m.region("630223"))
'http://example.org/id/region/630223'
>>> str(m.concept("func", "2080109", year=2024))
'http://example.org/id/code/func/2024/2080109'
>>> name_hash("互助土族自治县 社会保险服务局") == name_hash("互助土族自治县社会保险服务局")
True
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from rdflib import URIRef

from budgetgraph import DEFAULT_BASE as DEFAULT_BASE
from budgetgraph.model import Disclosure, DocumentKind, SourceRef, TableKind
from budgetgraph.rdf.names import normalise_name as normalise_name
from budgetgraph.rdf.organisations import reporting_unit

#: Length of the hex hash used for names; 40 bits keeps collisions negligible
#: within one region (hundreds of names) and across the country (~10^5).
HASH_LENGTH = 10

_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
_REGION_CODE = re.compile(r"^\d{2}(?:\d{2}){0,2}$")

KIND_SLUGS: dict[DocumentKind, str] = {
    DocumentKind.DEPARTMENT_BUDGET: "budget",
    DocumentKind.UNIT_BUDGET: "unit-budget",
    DocumentKind.DEPARTMENT_FINAL: "final",
    DocumentKind.UNIT_FINAL: "unit-final",
    DocumentKind.THREE_PUBLIC_BUDGET: "three-public-budget",
    DocumentKind.THREE_PUBLIC_FINAL: "three-public-final",
}

#: The departmental kind a unit's document is consolidated into.
CONSOLIDATED_KINDS = {"unit-budget": "budget", "unit-final": "final"}

TABLE_SLUGS: dict[TableKind, str] = {
    TableKind.SUMMARY: "summary",
    TableKind.INCOME: "income",
    TableKind.EXPENDITURE: "expenditure",
    TableKind.FISCAL_SUMMARY: "fiscal-summary",
    TableKind.GENERAL_PUBLIC: "general-public",
    TableKind.GENERAL_PUBLIC_BASIC: "general-public-basic",
    TableKind.THREE_PUBLIC: "three-public",
    TableKind.GOVERNMENT_FUND: "government-fund",
    TableKind.STATE_CAPITAL: "state-capital",
    TableKind.FISCAL_GRANT_EXPENDITURE: "fiscal-grant-expenditure",
    TableKind.FISCAL_GRANT_BASIC: "fiscal-grant-basic",
    TableKind.OPERATING_COSTS: "operating-costs",
    TableKind.PROCUREMENT: "procurement",
    TableKind.PERFORMANCE: "performance",
}


def name_hash(name: str) -> str:
    """Short, stable hash of a normalised name: the slug of anything known only by name."""
    return hashlib.sha1(normalise_name(name).encode("utf-8")).hexdigest()[:HASH_LENGTH]


def segment(text: str, *, prefix: str = "h-") -> str:
    """``text`` itself where it is a short ASCII slug, else ``prefix`` + its name hash."""
    if _SAFE_SEGMENT.match(text):
        return text
    return prefix + name_hash(text)


def region_segment(code: str | None, name: str | None) -> str:
    """The GB/T 2260 code padded to six digits; a hash of the name without one."""
    if code and _REGION_CODE.match(code.strip()):
        return code.strip().ljust(6, "0")
    if name:
        return "r-" + name_hash(name)
    return "unknown"


def source_segment(ref: SourceRef) -> str:
    """``L12`` or ``p3-L12``: a line of a source, with its page where known."""
    return f"L{ref.line}" if ref.page is None else f"p{ref.page}-L{ref.line}"


@dataclass(frozen=True)
class DocKey:
    """The natural key of one disclosure: region, organisation, year, kind."""

    region: str
    org: str
    year: int
    kind: str

    @property
    def path(self) -> str:
        return f"{self.region}/{self.org}/{self.year}/{self.kind}"

    @classmethod
    def of(cls, disclosure: Disclosure, region: str | None = None) -> DocKey:
        """The key of a disclosure: a unit's document is keyed by the unit's name,
        which for the department's own unit is the department's (``region``: the
        segment when the caller resolved it, e.g. from the department's name)."""
        return cls(
            region=region or region_segment(disclosure.region_code, disclosure.region),
            org=name_hash(reporting_name(disclosure)),
            year=disclosure.year,
            kind=KIND_SLUGS[disclosure.kind],
        )


def reporting_name(disclosure: Disclosure) -> str:
    """The name a document is keyed by: its unit's for a 单位预算/决算 (the
    department's when the unit is its own 本级 unit), else the department's."""
    unit = reporting_unit(disclosure)
    return unit.name if unit is not None else disclosure.department


@dataclass(frozen=True)
class Minter:
    """Mints IRIs under one base (a parameter of the deployment)."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not self.base.endswith("/"):
            object.__setattr__(self, "base", self.base + "/")

    def _id(self, path: str) -> URIRef:
        return URIRef(f"{self.base}id/{path}")

    # -- places and organisations ---------------------------------------------

    def region_scheme(self) -> URIRef:
        return self._id("region")

    def region(self, segment_: str) -> URIRef:
        return self._id(f"region/{segment_}")

    def org(self, region: str, name: str) -> URIRef:
        """A department or budget unit: one resource across years and documents."""
        return self._id(f"org/{region}/{name_hash(name)}")

    def own_unit(self, department: URIRef) -> URIRef:
        """The department's own (本级) unit: one IRI whichever document names it."""
        return URIRef(f"{department}/own-unit")

    def office(self, department: URIRef, name: str) -> URIRef:
        return URIRef(f"{department}/office/{name_hash(name)}")

    # -- documents and their parts --------------------------------------------

    def disclosure(self, doc: DocKey) -> URIRef:
        return self._id(f"org/{doc.path}")

    def table(self, doc: DocKey, kind: TableKind) -> URIRef:
        return URIRef(f"{self.disclosure(doc)}/table/{TABLE_SLUGS[kind]}")

    def observation(self, doc: DocKey, kind: TableKind, row: str, column: str) -> URIRef:
        return self._id(f"obs/{doc.path}/{TABLE_SLUGS[kind]}/{row}/{column}")

    def series(self, doc: DocKey, kind: TableKind, column: str, level: int | None) -> URIRef:
        """The same table position in every document of one region, year and kind."""
        rows = "rows" if level is None else f"level-{level}"
        return self._id(f"series/{doc.region}/{doc.year}/{doc.kind}/{TABLE_SLUGS[kind]}/"
                        f"{column}/{rows}")

    def source_file(self, doc: DocKey, file: str) -> URIRef:
        return URIRef(f"{self.disclosure(doc)}/source/{segment(_basename(file))}")

    def source_line(self, doc: DocKey, ref: SourceRef) -> URIRef:
        return URIRef(f"{self.source_file(doc, ref.file)}/{source_segment(ref)}")

    def statement(self, doc: DocKey, ref: SourceRef, topic: str) -> URIRef:
        return URIRef(f"{self.disclosure(doc)}/statement/{source_segment(ref)}/{topic}")

    def performance_target(self, doc: DocKey, project: str) -> URIRef:
        return URIRef(f"{self.disclosure(doc)}/performance/{project}")

    def indicator(self, target: URIRef, key: str) -> URIRef:
        return URIRef(f"{target}/indicator/{key}")

    def project(self, code: str | None, *, region: str, org: str, name: str) -> URIRef:
        """A project by its code (codes are national, they begin with the region);
        without a code, by name under its organisation."""
        if code and _SAFE_SEGMENT.match(code):
            return self._id(f"project/{code}")
        return self._id(f"project/{region}/{org}/{name_hash(name)}")

    def catalog(self) -> URIRef:
        return self._id("catalog")

    def software(self, version: str) -> URIRef:
        """budgetgraph itself, one agent per version (a prov:SoftwareAgent)."""
        return self._id(f"software/budgetgraph/{segment(version, prefix='v-')}")

    # -- code lists -----------------------------------------------------------

    def scheme(self, name: str, year: int | None = None) -> URIRef:
        return self._id(f"code/{name}" if year is None else f"code/{name}/{year}")

    def concept(self, name: str, notation: str, year: int | None = None) -> URIRef:
        return URIRef(f"{self.scheme(name, year)}/{notation}")

    def versionless_scheme(self, name: str) -> URIRef:
        return self._id(f"code/{name}/any")

    def versionless(self, name: str, code: str) -> URIRef:
        """A classification code whatever the year: every year's version points here."""
        return URIRef(f"{self.versionless_scheme(name)}/{code}")

    # -- named graphs ---------------------------------------------------------

    def graph(self, path: str) -> URIRef:
        return URIRef(f"{self.base}graph/{path}")

    def document_graph(self, doc: DocKey) -> URIRef:
        return self.graph(f"org/{doc.path}")

    def validation_graph(self, doc: DocKey) -> URIRef:
        """Where the document's validation findings are published, beside its graph."""
        return self.graph(f"validation/org/{doc.path}")

    def code_graph(self, name: str, year: int | None = None) -> URIRef:
        return self.graph(f"code/{name}" if year is None else f"code/{name}/{year}")


def _basename(path: str) -> str:
    """A file is named by its base name: the directory differs between machines."""
    return path.replace("\\", "/").rsplit("/", 1)[-1]
