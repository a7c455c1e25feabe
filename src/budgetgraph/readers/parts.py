"""A disclosure published as several files: the 正文 (cover, narrative) and the 公开表.

Jiangsu published its 2019 budgets as two PDFs (J03 + J04 in tests/corpus): the first
has the cover, the contents and the 情况说明 but no table; the second has the
tables and no cover, opening with a table title and ``部门：<department>``. Read
alone, the first is cut short and the second is no disclosure. Read as one they are
the document the contents page lists, and the narrative is checked against the
tables like any other.

The files are read as one stream of lines, the tables part after the main part,
its pages (or, for text, its lines) numbered on from the main part's so that no two
lines share a place. Every source reference in the model is then moved back to the
file and page it came from.

Files are grouped by meaning: a tables part names its department under its first
title; it joins the file given beside it whose cover names that department. A user
may also join files explicitly, as ``main.pdf+tables.pdf``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from budgetgraph.errors import ReadError
from budgetgraph.model import Disclosure, SourceRef
from budgetgraph.readers.lines import Line
from budgetgraph.readers.vocabulary import classify_title, squash

#: The separator of an explicit group of files: ``正文.pdf+公开表.pdf``.
JOIN = "+"
_UNIT = re.compile(r"单位[:：](?:万元|元)")
_OWNER_LINE = re.compile(r"^(?:部门|部门名称|单位名称|编制部门)[:：](\S+?)(?:单位[:：].*)?$")


def tables_part_owner(lines: list[Line]) -> str | None:
    """The department a file of tables only names, if it is one: no cover, a table
    title among its first lines, and the department line under it."""
    from budgetgraph.readers.document import has_cover

    printed = [line for line in lines if line.text.strip()][:8]
    if has_cover(lines) or not any(classify_title(line.text) for line in printed[:3]):
        return None
    for line in printed:
        match = _OWNER_LINE.match(squash(line.text))
        if match:
            return match.group(1)
    return None


def cover_names(lines: list[Line], department: str) -> bool:
    """The file has a cover, and its first lines name ``department``."""
    from budgetgraph.readers.document import has_cover

    head = "".join(squash(line.text) for line in lines[:30])
    return has_cover(lines) and department in head


def _has_tables(lines: list[Line]) -> bool:
    """Some line titles a table with its unit just under it (not a contents entry)."""
    printed = [line for line in lines if line.text.strip()]
    return any(classify_title(line.text) and any(_UNIT.search(squash(after.text))
                                                 for after in printed[n + 1: n + 4])
               for n, line in enumerate(printed))


def split(path: Path) -> list[Path] | None:
    """The files of an explicit group (``a.pdf+b.pdf``), or None for one file."""
    if path.exists() or JOIN not in path.name:
        return None
    pieces = str(path).split(JOIN)
    first = Path(pieces[0])
    parts = [first, *(Path(p) if Path(p).is_absolute() else first.parent / p
                      for p in pieces[1:])]
    return parts if all(p.exists() for p in parts) else None


def joined(main: Path, others: list[Path]) -> Path:
    """The path that names a group of files: the main file, then the others' names."""
    if all(p.parent == main.parent for p in others):
        return main.with_name(JOIN.join([main.name, *(p.name for p in others)]))
    return Path(JOIN.join([str(main), *(str(p) for p in others)]))


def read_parts(files: list[tuple[str, list[Line]]]) -> Disclosure:
    """One disclosure from its files' lines, the file with the cover first."""
    from budgetgraph.readers.document import has_cover, read_lines

    files = sorted(files, key=lambda f: not has_cover(f[1]))
    main = files[0][0]
    lines: list[Line] = []
    places: list[tuple[str, int]] = []  # (file, offset of its pages or lines)
    for name, part in files:
        paged = any(line.page is not None for line in part)
        offset = (max((line.page or 0) for line in lines) if paged
                  else max((line.number for line in lines), default=0)) if lines else 0
        places.append((name, offset))
        lines.extend(Line(line.number if paged else line.number + offset, line.text,
                          line.cells, line.page + offset if paged and line.page else line.page)
                     for line in part)

    def home(ref: SourceRef) -> SourceRef:
        if ref.file != main:
            return ref
        key = ref.page if ref.page is not None else ref.line
        name, offset = next(p for p in reversed(places) if key > p[1] or p is places[0])
        if name == main:
            return ref
        if ref.page is not None:
            return SourceRef(name, ref.line, ref.page - offset)
        return SourceRef(name, ref.line - offset, None)

    try:
        doc = read_lines(lines, main)
    except ReadError as error:
        if error.file == main and (error.page or error.line):
            where = home(SourceRef(main, error.line or 0, error.page))
            raise ReadError(error.message, file=where.file, line=error.line and where.line,
                            page=where.page) from None
        raise
    relocated = _relocate(doc, home)
    assert isinstance(relocated, Disclosure)
    relocated.warnings.append(f"read as one disclosure from {len(files)} files: "
                              f"{', '.join(name for name, _ in files)}")
    return relocated


def _relocate(value: Any, home: Any) -> Any:
    """``value`` with every :class:`SourceRef` inside it replaced by ``home(ref)``."""
    if isinstance(value, SourceRef):
        return home(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _relocate(getattr(value, f.name), home)
                   for f in dataclasses.fields(value) if f.init}
        if dataclasses.fields(value) and value.__dataclass_params__.frozen:  # type: ignore[attr-defined]
            return dataclasses.replace(value, **changes)
        for name, new in changes.items():
            setattr(value, name, new)
        return value
    if isinstance(value, list):
        return [_relocate(v, home) for v in value]
    if isinstance(value, tuple):
        return tuple(_relocate(v, home) for v in value)
    if isinstance(value, dict):
        return {k: _relocate(v, home) for k, v in value.items()}
    return value


def grouped(paths: list[Path], head: Callable[[Path], list[Line]],
            whole: Callable[[Path], list[Line]]) -> list[Path]:
    """The paths with each tables part joined to the main file of its department.

    ``head`` gives a file's first lines (its first page is enough), ``whole`` all
    of them. Where several files' covers name the department (its budgets of
    several years), the one without tables of its own is the part's main file;
    if that is not one file, the part is left alone (join it explicitly with
    ``+``). Files that cannot be read are left as they are: reading them later
    says why.
    """
    if len(paths) < 2:
        return paths
    heads: dict[Path, list[Line]] = {}
    for path in paths:
        try:
            heads[path] = head(path)
        except ReadError:
            continue
    owners = {p: owner for p, lines in heads.items() if (owner := tables_part_owner(lines))}
    groups: dict[Path, list[Path]] = {}
    for part, owner in owners.items():
        mains = [p for p, lines in heads.items() if p not in owners and cover_names(lines, owner)]
        if len(mains) > 1:
            mains = [p for p in mains if not _has_tables(whole(p))]
        if len(mains) == 1:
            groups.setdefault(mains[0], []).append(part)
    joined_parts = {p for parts in groups.values() for p in parts}
    return [joined(p, groups[p]) if p in groups else p for p in paths if p not in joined_parts]
