"""Plain renderings of a parsed disclosure: the ``parse`` summary and its JSON dump.

Kept apart from the CLI so the web pages and tests can use the same account.
"""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from enum import Enum
from typing import Any

from budgetgraph.model import Disclosure


def _plain(value: Any) -> Any:
    """Dataclasses → dicts, Decimals → strings (never floats), enums → their value,
    sets → sorted lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):  # e.g. a row's ambiguous columns
        return sorted(_plain(v) for v in value)
    return value


def to_json(doc: Disclosure) -> str:
    """The whole model as JSON; amounts as strings so no digit is lost."""
    data = _plain(doc)
    data["coverage"]["ratio"] = round(doc.coverage.ratio, 4)
    return json.dumps(data, ensure_ascii=False, indent=2)


def summary(doc: Disclosure) -> str:
    """What was read, table by table, and the account of every number."""
    out: list[str] = []
    where = f" ({doc.region} {doc.region_code})" if doc.region_code else ""
    unit = f" / 单位 {doc.unit}" if doc.unit else ""
    out.append(f"{doc.source_file}: {doc.kind.value} {doc.year} {doc.department}{unit}{where}")
    out.append(f"tables: {len(doc.tables)}")
    for table in doc.tables:
        figures = sum(1 for r in table.rows for v in r.values.values() if v is not None)
        empty = " [注: no data — explicit zero]" if table.states_empty else ""
        out.append(f"  {table.kind.value:<22} {table.unit.value:<3} rows {len(table.rows):>3}  "
                   f"figures {figures:>4}  \"{table.title}\" ({table.source}){empty}")
        for note in table.reader_notes:
            out.append(f"      reader note: {note}")
    out.append(f"narrative statements: {len(doc.statements)}")
    if doc.performance is not None:
        indicators = sum(len(p.indicators) for p in doc.performance.projects)
        out.append(f"performance targets: {len(doc.performance.projects)} projects, "
                   f"{indicators} indicators")
        for note in doc.performance.reader_notes:
            out.append(f"      reader note: {note}")
    out.append(f"glossary entries: {len(doc.glossary)}")
    cov = doc.coverage
    out.append(f"figures: {cov.figures_consumed} consumed / {cov.figures_total} "
               f"({cov.ratio:.1%})")
    if cov.structural:
        kinds = ", ".join(f"{k} {n}" for k, n in cov.structural.items())
        out.append(f"numbers that are not figures: {kinds}")
    if cov.unread:
        out.append(f"not understood ({len(cov.unread)}):")
        for item in cov.unread:
            out.append(f"  {item.token.source}  {item.token.text}  — {item.reason}")
    for warning in doc.warnings:
        out.append(f"warning: {warning}")
    return "\n".join(out)
