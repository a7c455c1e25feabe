"""The performance-target table reader on the real Qinghai document.

The Huzhu 社会保险服务局 2024 budget prints its 项目支出绩效目标表 scrambled across
six pages (see the module docstring of ``budgetgraph.readers.performance``); the
figures pinned here were checked by hand against the text export and against the
narrative (涉及项目6个, 预算金额1,143.44万元).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budgetgraph.model import AmountUnit, PerformanceTable, Project
from budgetgraph.readers.lines import Ledger, Line, text_lines
from budgetgraph.readers.performance import read_performance

DOCUMENT = Path(__file__).parents[1] / "data" / "huzhu-social-insurance-bureau-2024-budget.txt"
FILE = DOCUMENT.name


def table_lines(lines: list[Line]) -> list[Line]:
    """From the table's first title to the next section heading, as the lead's reader does."""
    start = next(i for i, line in enumerate(lines) if line.text.endswith("项目支出绩效目标表"))
    end = next(i for i in range(start, len(lines)) if lines[i].text.startswith("第四部分"))
    return lines[start:end]


@pytest.fixture(scope="module")
def document() -> tuple[list[Line], Ledger, PerformanceTable]:
    lines = text_lines(DOCUMENT.read_text(encoding="utf-8"))
    ledger = Ledger(FILE, lines)
    table = read_performance(table_lines(lines), ledger, FILE, unit=AmountUnit.WAN_YUAN)
    return lines, ledger, table


@pytest.fixture(scope="module")
def table(document: tuple[list[Line], Ledger, PerformanceTable]) -> PerformanceTable:
    return document[2]


def by_code(table: PerformanceTable, suffix: str) -> Project:
    return next(p for p in table.projects if p.code and p.code.endswith(suffix))


def weight_sum(project: Project) -> Decimal:
    assert project.execution_weight is not None
    return project.execution_weight + sum(
        (i.weight for i in project.indicators if i.weight is not None), Decimal(0)
    )


def test_the_table_spans_lines_430_to_527(document) -> None:
    lines = [line for line in table_lines(document[0]) if not line.is_blank]
    assert (lines[0].number, lines[-1].number) == (430, 527)


def test_six_projects_with_codes_and_amounts(table: PerformanceTable) -> None:
    assert [(p.code, p.amount) for p in table.projects] == [
        ("63022300024T000000053", Decimal("17.76")),
        ("63022300024T000000208", Decimal("345.00")),
        ("63022300024T000000210", Decimal("300.00")),
        ("63022300024T000000288", Decimal("30.00")),
        ("63022300024T000001392", Decimal("13.68")),
        ("63022300024T000001421", Decimal("437.00")),
    ]
    assert {p.execution_weight for p in table.projects} == {Decimal("10.00")}
    assert {p.unit_name for p in table.projects} == {"504001-互助土族自治县社会保险服务局(本级)"}


def test_stated_total_is_the_sum_of_the_projects(table: PerformanceTable) -> None:
    assert table.stated_total == Decimal("1143.44")
    assert sum((p.amount or Decimal(0) for p in table.projects), Decimal(0)) == table.stated_total
    assert table.unit is AmountUnit.WAN_YUAN


def test_first_project_indicators(table: PerformanceTable) -> None:
    project = table.projects[0]
    assert project.name == "城乡居民养老保险村级协管员补助"
    assert project.goal.startswith("城乡居民养老保险村级补助17.70万元")
    assert project.goal.endswith("合计申报项目资金17.76万元。")
    rows = [(i.level1, i.level2, i.operator, i.target_value, i.unit, i.weight)
            for i in project.indicators]  # fmt: skip
    assert rows == [
        ("成本指标", "经济成本", "≥", Decimal(600), "元/个/年", Decimal(10)),
        ("成本指标", "社会成本", "≥", Decimal(296), "人", Decimal(10)),
        ("产出指标", "数量指标", "≥", Decimal(296), "个", Decimal(20)),
        ("产出指标", "质量指标", "=", Decimal(100), "%", Decimal(10)),
        ("产出指标", "时效指标", "≥", Decimal(600), "元/个/人", Decimal(10)),
        ("效益指标", "经济效益", "=", Decimal(100), "%", Decimal(10)),
        ("效益指标", "社会效益", "=", Decimal(100), "%", Decimal(10)),
        ("效益指标", "可持续影响", "≥", Decimal(95), "%", Decimal(5)),
        ("满意度指标", "服务对象满意度", "≥", Decimal(98), "%", Decimal(5)),
    ]
    assert project.indicators[0].level3 == "城乡居民养老保险村级补助"
    assert [i.source.line for i in project.indicators] == list(range(437, 446))
    assert weight_sum(project) == 100


def test_weights_per_project(table: PerformanceTable) -> None:
    sums = {p.code[-4:]: weight_sum(p) for p in table.projects if p.code}
    assert sums == {"0053": 100, "0208": 100, "0210": 100, "0288": 90, "1392": 100, "1421": 100}
    assert [len(p.indicators) for p in table.projects] == [9, 9, 9, 8, 9, 10]


def test_rows_continue_across_the_page_break(table: PerformanceTable) -> None:
    """Lines 459–461 finish project 208 although 210's code cell is printed on 459."""
    first = by_code(table, "0208")
    second = by_code(table, "0210")
    assert [i.source.line for i in first.indicators][-3:] == [459, 460, 461]
    assert second.source.line == 459
    assert [i.source.line for i in second.indicators] == [*range(462, 470), 477]
    assert second.goal.endswith("6050*1200人/年*40% 6050*1300人/年*40%)")


def test_level2_in_column_0_gives_its_level1(table: PerformanceTable) -> None:
    """Line 451 prints 经济效益 alone: it belongs to 效益指标, not the 产出指标 above."""
    row = next(i for i in by_code(table, "0208").indicators if i.source.line == 451)
    assert (row.level1, row.level2, row.target, row.weight) == ("效益指标", "经济效益", "100", 10)
    assert any(f"{FILE}:451: no 一级指标 printed" in n for n in table.reader_notes)
    row = next(i for i in by_code(table, "1392").indicators if i.source.line == 498)
    assert (row.level1, row.level2, row.unit) == ("产出指标", "时效指标", "元/个/人")
    row = next(i for i in by_code(table, "1421").indicators if i.source.line == 513)
    assert (row.level1, row.level2, row.weight) == ("成本指标", "生态环境成本", 5)


def test_split_project_cell_and_goal(table: PerformanceTable) -> None:
    """Project 288: goal begins on line 480, code and figures on 488, rows from 478."""
    project = by_code(table, "0288")
    assert (project.name, project.source.line) == ("社会保险工作经费", 488)
    assert project.goal.startswith("2024年单位工作经费、(办公经费")
    assert project.goal.endswith("高质量完成全县社会保险工作")
    assert project.indicators[0].source.line == 478
    assert project.indicators[1].operator == "定性"
    assert (project.indicators[1].target, project.indicators[1].target_value) == ("逐年上升", None)


def test_cell_repeated_after_a_page_break_is_one_project(table: PerformanceTable) -> None:
    project = by_code(table, "1421")
    assert project.name == "2024年企业职工基本养老保险待遇发放企业退休人员一次性生活补助资金"
    assert project.goal.count("保障社会安全") == 1
    assert project.goal.endswith("确保企业退休人员一次性生活补助按时发放")
    assert any("523" in n and "企业退休人员一次性生活补助资金" in n for n in table.reader_notes)


def test_disagreeing_weight_columns_are_kept_visible(table: PerformanceTable) -> None:
    row = next(i for i in by_code(table, "0288").indicators if i.source.line == 492)
    assert row.weight == 5
    note = next(n for n in table.reader_notes if f"{FILE}:492" in n)
    assert "权重 5" in note and "本年权重 15" in note
    total = next(n for n in table.reader_notes if "0288" in n and "not 100" in n)
    assert "= 90" in total and "本年权重 column instead the sum is 100" in total
    assert [n for n in table.reader_notes if "not 100" in n] == [total]


def test_every_token_of_the_table_is_accounted_for(document) -> None:
    lines, ledger, _table = document
    table = table_lines(lines)
    assert [(line.number, ledger.open_tokens(line)) for line in table
            if ledger.open_tokens(line)] == []  # fmt: skip
    # the table alone: everything is read, nothing left unread
    own = Ledger(FILE, table)
    read_performance(table, own, FILE, unit=AmountUnit.WAN_YUAN)
    coverage = own.coverage()
    assert coverage.unread == []
    assert coverage.figures_consumed == coverage.figures_total == 223
    # the numbers kept in text, by the text that keeps them (补助17.70万元 in a goal)
    assert coverage.structural == {"code": 13, "indicator name (三级指标)": 9,
                                   "project goal (绩效目标)": 4,
                                   "project goal (绩效目标) or name": 14, "project name": 1,
                                   "year": 6}


def test_other_layout_by_meaning_not_position() -> None:
    """No 单位名称 column, 批复数 before the weight, no 本年 columns, amounts in 元."""
    text = "\n".join([
        "2025年某局项目支出绩效目标表",
        "单位：元",
        "项目名称\t批复数\t预算执行率权重(%)\t绩效目标\t一级指标\t二级指标\t三级指标"
        "\t绩效指标性质\t绩效指标值\t绩效度量单位\t权重",
        "12345678901234-培训项目\t120,000.00\t20\t培训300人次\t产出指标\t数量指标\t培训人次"
        "\t≥\t300\t人次\t40",
        "\t\t\t\t效益指标\t社会效益\t技能提升\t定性\t明显\t%\t25",
        "\t\t\t\t满意度指标\t服务对象满意度\t学员满意度\t大于等于\t90\t%\t15",
    ])  # fmt: skip
    lines = text_lines(text)
    ledger = Ledger("t.txt", lines)
    table = read_performance(lines, ledger, "t.txt", unit=AmountUnit.YUAN)
    [project] = table.projects
    assert (project.amount, project.execution_weight) == (Decimal("120000.00"), Decimal(20))
    assert [(i.level1, i.operator, i.target, i.weight) for i in project.indicators] == [
        ("产出指标", "≥", "300", 40),
        ("效益指标", "定性", "明显", 25),
        ("满意度指标", "≥", "90", 15),
    ]
    assert table.reader_notes == []
    assert ledger.coverage().unread == []


def test_doubtful_values_are_unread_not_guessed() -> None:
    """Without a unit cell, two numbers under four value columns cannot be placed."""
    text = "\n".join([
        "项目名称\t预算执行率权重(%)\t批复数\t一级指标\t二级指标\t三级指标\t绩效指标性质"
        "\t绩效指标值\t本年绩效指标值\t绩效度量单位\t权重\t本年权重",
        "A1234567890123-甲项目\t10\t5.00\t产出指标\t数量指标\t场次\t≥\t12\t30",
    ])  # fmt: skip
    lines = text_lines(text)
    ledger = Ledger("t.txt", lines)
    table = read_performance(lines, ledger, "t.txt", unit=AmountUnit.WAN_YUAN)
    [indicator] = table.projects[0].indicators
    assert (indicator.target, indicator.weight) == ("", None)
    unread = ledger.coverage().unread
    assert [u.token.text for u in unread] == ["12", "30"]
    assert all("度量单位" in u.reason for u in unread)
    assert any("no weight printed" in n for n in table.reader_notes)
