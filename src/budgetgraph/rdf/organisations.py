"""Who a document speaks for: departments, their own (本级) unit, and budget units.

Identity rules (docs/uri-scheme.md): a department is one IRI across years, kinds
and renditions (by its normalised name under its region); its own unit — the
``（本级）``/``本部`` unit of a 部门预算 and the unit of its 单位预算 — is one IRI
under the department's; any other unit is named by itself. Units come only from
entries that are names: a profile paragraph (``秘书科。组织、协调…``) is not a
unit, and is kept as printed text on the document instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from budgetgraph.model import Disclosure, DocumentKind
from budgetgraph.rdf.names import normalise_name

#: Words that mark a department's own unit (部门本级) after its name or abbreviation.
OWN_MARKERS = ("(本级)", "(本部)", "本级", "本部")
#: Sentence punctuation: an entry containing any is a paragraph, not a name.
_SENTENCE = re.compile(r"[。，,；;：:、！？]")
#: Longest name accepted as a unit (the longest in the corpus is 28 characters).
MAX_UNIT_NAME = 40
_CODE_PREFIX = re.compile(r"^(\d{3,})\s*-\s*(.+)$")

UNIT_KINDS = frozenset({DocumentKind.UNIT_BUDGET, DocumentKind.UNIT_FINAL})


@dataclass(frozen=True)
class UnitName:
    """A budget unit as a list or a row names it: its name, code, and whether it is
    the department's own unit."""

    name: str
    code: str | None
    own: bool


def is_unit_document(disclosure: Disclosure) -> bool:
    return disclosure.kind in UNIT_KINDS


def unit_name(printed: str, department: str) -> UnitName | None:
    """The unit an entry of a unit list (or an income-table row) names, or None
    when the entry is a paragraph rather than a name.

    >>> unit_name("504001-互助土族自治县社会保险服务局（本级）", "互助土族自治县社会保险服务局")
    UnitName(name='互助土族自治县社会保险服务局', code='504001', own=True)
    >>> unit_name("互助土族自治县社会保险服务局", "互助土族自治县社会保险服务局").own
    False
    >>> unit_name("财政局本部", "上海市普陀区财政局").own
    True
    >>> unit_name("秘书科（联络科）。组织、协调和管理区政府系统的全区性大型活动", "x") is None
    True
    """
    text = normalise_name(printed)
    code = None
    match = _CODE_PREFIX.match(text)
    if match:
        code, text = match.group(1), match.group(2)
    if not text or len(text) > MAX_UNIT_NAME or _SENTENCE.search(text):
        return None
    dept = normalise_name(department)
    stripped = text
    for marker in OWN_MARKERS:
        if stripped.endswith(marker):
            stripped = stripped[: -len(marker)]
            break
    own = stripped != text and (not stripped or dept.endswith(stripped))
    return UnitName(dept if own else text, code, own)


def reporting_unit(disclosure: Disclosure) -> UnitName | None:
    """The unit a 单位预算/单位决算 speaks for; None for a departmental document."""
    if not is_unit_document(disclosure):
        return None
    printed = disclosure.unit or disclosure.department
    found = unit_name(printed, disclosure.department)
    if found is None:  # a unit named with punctuation is still the document's own name
        return UnitName(normalise_name(printed), disclosure.unit_code, False)
    # a 单位预算 of the department's own name is its 本级 unit's
    own = found.own or found.name == normalise_name(disclosure.department)
    return UnitName(found.name, found.code or disclosure.unit_code, own)
