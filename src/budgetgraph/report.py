"""What validation found, for people: a report in Chinese or English, and the
``budgetgraph validate`` command's work (:func:`run_validate`).

Every finding names its rule, the figures on each side as printed with the line
each came from, the difference, and the rounding tolerance that decided between
a violation (a real break) and a warning (explainable by the source's rounding).
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from budgetgraph.pipeline import Refused
from budgetgraph.validate import (
    Figure,
    Finding,
    ReadFailure,
    ValidationResult,
    combine,
    plain,
    validate_many,
    validate_path,
)

_WORDS = {
    "zh": {
        "Violation": "违反", "Warning": "警告", "Info": "提示",
        "summary": "违反 {v} 项，警告 {w} 项。", "clean": "未发现问题。",
        "left": "一方", "right": "另一方", "none": "（空白，即 0）", "rule": "（规则给定）",
        "difference": "差额", "tolerance": "舍入容差", "lines": "来源行",
        "sep": "；", "comma": "，",
    },
    "en": {
        "Violation": "violation", "Warning": "warning", "Info": "info",
        "summary": "{v} violation(s), {w} warning(s).", "clean": "No problems found.",
        "left": "one side", "right": "other side", "none": "(blank, i.e. 0)",
        "rule": "(given by the rule)", "difference": "difference",
        "tolerance": "rounding tolerance", "lines": "source lines", "sep": "; ", "comma": ", ",
    },
}


def format_report(result: ValidationResult, *, lang: str = "zh") -> str:
    """The findings of ``result`` as text in ``lang`` ("zh" or "en"), violations first."""
    words = _WORDS[lang]
    lines = [words["summary"].format(v=len(result.violations), w=len(result.warnings))
             if result.violations or result.warnings else words["clean"]]
    for finding in (*result.violations, *result.warnings):
        lines.append("")
        lines.extend(_finding_lines(finding, lang))
    return "\n".join(lines)


def _finding_lines(finding: Finding, lang: str) -> list[str]:
    words = _WORDS[lang]
    title = finding.title_zh if lang == "zh" else finding.title_en
    message = finding.message_zh if lang == "zh" else finding.message_en
    out = [f"[{words.get(finding.severity, finding.severity)}] {title}", f"  {message}"]
    if finding.left or finding.right or finding.difference is not None:
        unit = _display_unit(finding)
        for side, figures, total in (("left", finding.left, finding.left_total),
                                     ("right", finding.right, finding.right_total)):
            shown = (words["sep"].join(f.describe() for f in figures) if figures
                     else words["none"] if not total else words["rule"])
            sum_text = f" = {_amount(total, finding, unit)}" if total is not None else ""
            out.append(f"  {words[side]}{sum_text}: {shown}")
        if finding.difference is not None:
            tolerance = (f"{words['comma']}{words['tolerance']} "
                         f"{_amount(finding.tolerance, finding, unit)}"
                         if finding.tolerance is not None else "")
            out.append(f"  {words['difference']} {_amount(finding.difference, finding, unit)}"
                       f"{tolerance}")
    if finding.sources:
        out.append(f"  {words['lines']}: {', '.join(finding.sources)}")
    return out


def _display_unit(finding: Finding) -> Figure | None:
    """The figure whose unit the totals are shown in: the first money figure."""
    return next((f for f in (*finding.left, *finding.right) if f.factor and f.unit), None)


def _amount(value: Decimal | None, finding: Finding, unit: Figure | None) -> str:
    if value is None:
        return "—"
    if finding.quantity == "percent":
        return f"{plain(value)}%"
    if finding.quantity != "yuan":
        return plain(value)
    if unit is not None and unit.factor and unit.factor != 1:
        return f"{plain(value / unit.factor)}{unit.unit} ({plain(value)}元)"
    return f"{plain(value)}元"


def format_refused(refused: list[Refused], *, total: int) -> str:
    """The documents a load left out, each with its reason and every violation in one
    line of figures (``validate`` shows the figures' sources)."""
    lines = [f"refused {len(refused)} of {total} document(s):"]
    for document in refused:
        lines.append(f"  {document.reason}")
        for finding in document.violations:
            lines.append(f"    [violation] {finding.title_en}: {finding.message_en}")
    return "\n".join(lines)


# -- the command ----------------------------------------------------------------


def run_validate(paths: list[Path], report: Path | None, *, out: TextIO | None = None,
                 err: TextIO | None = None) -> int:
    """Validate documents (PDF or text) or RDF files (.ttl .nt .nq .trig .jsonld):
    print the findings in Chinese and English, write the SHACL report graph to
    ``report`` as Turtle; exit 0 without violations, 1 with, 2 if a file could
    not be read."""
    out = out or sys.stdout
    err = err or sys.stderr
    results: list[ValidationResult] = []
    unreadable = False
    for path, outcome in zip(paths, _validate_all(paths), strict=True):
        if isinstance(outcome, ReadFailure):
            print(f"budgetgraph: error: {outcome.message}", file=err)
            unreadable = True
            continue
        results.append(outcome)
        for lang in ("zh", "en"):
            print(f"== {path} ({lang})", file=out)
            print(format_report(outcome, lang=lang), file=out)
            print(file=out)
    if report is not None and results:
        report.write_text(combine(results).report_turtle, encoding="utf-8")
    if unreadable:
        return 2
    return 1 if any(r.violations for r in results) else 0


def _validate_all(paths: list[Path]) -> list[ValidationResult | ReadFailure]:
    """Results in input order; several files go to a process pool."""
    if len(paths) > 1:
        return validate_many(paths)
    return [validate_path(path) for path in paths]
