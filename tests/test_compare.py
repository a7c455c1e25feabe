"""``compare`` output and the GENERATED counties it is tested with (servers: test_federation.py)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from budgetgraph import compare, fixtures
from budgetgraph.model import Disclosure
from budgetgraph.readers import read
from budgetgraph.summary import to_json

NAMES = ("department", "region", "region_code", "source_file", "file", "name", "unit_name",
         "text", "goal", "definition", "code", "reader_notes")


def _figures(model: Any, path: str = "") -> dict[str, Decimal]:
    """Every number of a disclosure's JSON model by path (names and texts left out)."""
    out: dict[str, Decimal] = {}
    if isinstance(model, dict):
        for key, value in model.items():
            if key not in NAMES:
                out |= _figures(value, f"{path}.{key}")
    elif isinstance(model, list):
        for index, value in enumerate(model):
            out |= _figures(value, f"{path}[{index}]")
    elif isinstance(model, str):
        with contextlib.suppress(ArithmeticError):
            out[path] = Decimal(model)
    return out


@pytest.mark.parametrize("county", fixtures.GENERATED_COUNTIES, ids=lambda c: c.code)
def test_a_generated_county_is_the_real_document_scaled(county: fixtures.County,
                                                       tmp_path: Path, qinghai: Disclosure) -> None:
    real = qinghai
    [path] = fixtures.write_counties(tmp_path, [county])
    assert path.name.startswith("GENERATED-")
    with fixtures.regions_known([county]):
        generated = read(path)
    assert (generated.region, generated.region_code) == (county.region, county.code)
    assert generated.department == county.department_name
    assert generated.coverage.figures_consumed == real.coverage.figures_consumed
    assert generated.warnings == real.warnings == []
    ours, theirs = _figures(json.loads(to_json(real))), _figures(json.loads(to_json(generated)))
    assert ours.keys() == theirs.keys()
    money = {".value", ".change", ".previous", ".amount", ".stated_total"}
    scaled = 0
    cent = set()
    for key, value in ours.items():
        is_money = any(key.endswith(m) for m in money) or ".values." in key
        expected = value * county.factor if is_money else value
        if is_money and value in fixtures.ROUNDING_CENT:
            expected -= (county.factor - 1) * Decimal("0.01")
            cent.add(key)
        assert theirs[key] == expected, key
        scaled += is_money and value != 0
    assert scaled > 200  # the tables, the narrative and the performance targets all moved
    # the rounding cent: 301 and 30101 in the table (合计 and 人员经费), 基本工资 in the narrative
    assert len(cent) == 5, sorted(cent)
    assert all(p.code.startswith(county.code) for p in generated.performance.projects)


def test_an_unknown_region_name_leaves_the_code_empty(tmp_path: Path) -> None:
    [path] = fixtures.write_counties(tmp_path, [fixtures.COUNTY_A])
    assert read(path).region_code is None  # hence fixtures.regions_known()


def test_the_module_writes_the_counties_and_names_the_region_option(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m budgetgraph.fixtures DIR`` then the command it suggests, in a fresh process."""
    assert fixtures.main([str(tmp_path)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    path, option = first.split("  ")
    assert option == "--region 示例甲县=630291"
    result = subprocess.run([sys.executable, "-m", "budgetgraph.cli", "parse", path,
                             *option.split(" ")], capture_output=True, text=True, timeout=60,
                            check=True)
    assert "示例甲县社会保险服务局 (示例甲县 630291)" in result.stdout.splitlines()[0]


def test_the_generated_counties_load_without_force_as_every_identity_holds(
        tmp_path: Path) -> None:
    """`load` validates first and refuses a document with a violation: both counties pass."""
    paths = fixtures.write_counties(tmp_path / "in")
    regions = [f"--region={c.region}={c.code}" for c in fixtures.GENERATED_COUNTIES]
    result = subprocess.run([sys.executable, "-m", "budgetgraph.cli", "load", *map(str, paths),
                             "--store", str(tmp_path / "store"), *regions],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("0 violation(s)") == 2, result.stderr


def _sample() -> compare.Comparison:
    result = compare.Comparison("208", 2024)
    result.rows.append(compare.Row(
        "http://a/sparql", "630291 示例甲县", "示例甲县社会保险服务局2024年部门预算", "http://a/doc",
        Decimal("4030.74"), Decimal("4362.62"), Decimal("92.39"), Decimal("23366.08"),
        "sum of 10 items"))
    result.failures["http://b/sparql"] = "http://b/sparql: cannot connect: refused"
    return result


def test_every_format_states_that_the_result_is_incomplete() -> None:
    result = _sample()
    table = compare.render(result, "table")
    assert "4,030.74" in table and "total (INCOMPLETE)" in table
    assert "INCOMPLETE: http://b/sparql: cannot connect" in table
    rows = list(csv.DictReader(io.StringIO(compare.render(result, "csv"))))
    assert rows[0]["amount_wan_yuan"] == "4030.74" and rows[0]["share_percent"] == "92.39"
    assert rows[1]["endpoint"] == "http://b/sparql" and "INCOMPLETE" in rows[1]["department"]
    data = json.loads(compare.render(result, "json"))
    assert data["complete"] is False and data["total_wan_yuan"] == "4030.74"


def test_nothing_answering_exits_2_and_a_bad_code_is_refused(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert compare.run_compare(["http://127.0.0.1:9/sparql"], "208", 2024, "csv",
                               timeout=2) == 2
    assert "results are incomplete" in capsys.readouterr().err
    with pytest.raises(compare.CompareError, match="not a functional classification code"):
        compare.compare(["http://127.0.0.1:9/sparql"], "208'", 2024)


def test_last_year_is_stated_summed_or_declared_partial() -> None:
    priors = {"2080109": Decimal(10), "2080505": Decimal(5)}
    assert compare._last_year("2080109", priors, {"2080109"}) == (Decimal(10), "stated")
    assert compare._last_year("208", priors, {"20801", "2080109", "2080505"}) == (
        Decimal(15), "sum of 2 items")
    assert compare._last_year("208", priors, {"2080109", "2080599"}) == (
        None, "narrative gives 1 of 2 items")
