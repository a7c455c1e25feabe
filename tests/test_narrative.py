"""The narrative reader on the two real documents, and on other regions' wording.

Each real-document test reads the narrative sections over their exact line
ranges, so line numbers in assertions are the lines of the corpus files.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from tests.documents import CODELISTS_DIR, F08_TEXT, QINGHAI

from budgetgraph.model import Statement
from budgetgraph.readers.lines import Ledger, text_lines
from budgetgraph.readers.narrative import load_codes, read_statements

QINGHAI_RANGES = ((304, 428),)
F08_RANGES = ((82, 185), (605, 662))

class Read:
    """The reader's output over some ranges of one file, with its ledger."""

    def __init__(self, path: Path, ranges: tuple[tuple[int, int], ...]) -> None:
        self.lines = text_lines(path.read_text(encoding="utf-8"))
        self.ledger = Ledger(path.name, self.lines)
        self.read = [line for first, last in ranges for line in self.lines[first - 1: last]]
        self.statements = read_statements(
            self.read, self.ledger, path.name, year=2024,
            economic_codes=load_codes(CODELISTS_DIR / "dept_econ_class_observed_2023-2026.csv"),
            functional_codes=load_codes(CODELISTS_DIR / "func_class_observed_2023-2026.csv",
                                        level=1),
        )

    def find(self, topic: str, **where: object) -> list[Statement]:
        return [s for s in self.statements
                if s.topic == topic and all(getattr(s, k) == v for k, v in where.items())]

    def one(self, topic: str, **where: object) -> Statement:
        found = self.find(topic, **where)
        assert len(found) == 1, (topic, where, found)
        return found[0]

    def unread(self) -> list[tuple[int, str, str]]:
        numbers = {line.number for line in self.read}
        return [(u.token.source.line, u.token.text, u.reason)
                for u in self.ledger.coverage().unread if u.token.source.line in numbers]


@pytest.fixture(scope="module")
def qinghai() -> Read:
    return Read(QINGHAI, QINGHAI_RANGES)


@pytest.fixture(scope="module")
def f08() -> Read:
    return Read(F08_TEXT, F08_RANGES)


D = Decimal


# -- Qinghai: 互助县社会保险服务局 2024 ------------------------------------------------


def test_qinghai_totals_income_and_expenditure_with_shares(qinghai: Read) -> None:
    total = qinghai.one("收支总预算")
    assert (total.value, total.unit, total.source.line) == (D("2181.31"), "万元", 311)
    income = qinghai.one("一般公共预算拨款收入", share=D("100.00"))
    assert income.value == D("2181.31")
    basic = qinghai.one("基本支出", share=D("46.13"))
    assert (basic.value, basic.source.line) == (D("1006.20"), 324)
    assert qinghai.one("项目支出").share == D("53.87")


def test_qinghai_change_against_last_year_gives_last_years_figure(qinghai: Read) -> None:
    grants = qinghai.one("财政拨款收支")
    assert grants.change == D("-9201.63")
    assert (grants.previous, grants.previous_derived) == (D("11382.94"), True)
    assert qinghai.one("一般公共预算拨款").change == D("-9201.63")


def test_qinghai_carry_over_is_named_with_its_fund(qinghai: Read) -> None:
    assert {s.topic for s in qinghai.statements if s.topic.endswith("上年结转")} == {
        "一般公共预算上年结转", "政府性基金预算上年结转", "国有资本经营预算上年结转"}


def test_qinghai_grant_structure_shares_per_class(qinghai: Read) -> None:
    shares = {s.code: s.share for s in qinghai.find("功能科目") if s.share is not None}
    assert shares == {"208": D("92.39"), "210": D("4.14"), "221": D("3.47")}


def test_qinghai_items_build_seven_digit_codes(qinghai: Read) -> None:
    item = qinghai.one("功能科目", code="2080109")
    assert (item.value, item.change, item.growth_rate) == (D("772.24"), D("37.12"), D("5.05"))
    assert (item.previous, item.previous_derived) == (D("735.12"), True)
    falling = qinghai.one("功能科目", code="2082602")
    assert (falling.change, falling.growth_rate) == (D("-9713.00"), D("-96.57"))
    items = [s for s in qinghai.find("功能科目") if s.code and len(s.code) == 7]
    assert len(items) == 15


def test_qinghai_wrapped_item_is_read_from_the_line_of_its_number(qinghai: Read) -> None:
    # 362 "…行政事业单位养老支出05", blank, 364 "（款）…99（项）2024年预算数为21.84万元"
    wrapped = qinghai.one("功能科目", code="2080599")
    assert (wrapped.value, wrapped.source.line) == (D("21.84"), 364)
    assert qinghai.one("功能科目", code="2089999").source.line == 378


def test_qinghai_same_as_last_year_is_a_change_of_zero(qinghai: Read) -> None:
    same = qinghai.one("功能科目", code="2080705")
    assert (same.change, same.previous) == (D(0), D("13.68"))
    assert qinghai.one("机关运行经费").previous == D("40.70")


def test_qinghai_figures_in_a_reason_clause_are_kept_with_the_items_code(qinghai: Read) -> None:
    executed = qinghai.one("执行数")
    assert (executed.value, executed.code, executed.source.line) == (D("17.12"), "2080599", 364)
    assert qinghai.one("结余").value == D("5.61")
    added = qinghai.one("追加预算")
    assert (added.value, added.unit, added.code) == (D("292"), "万元", "2082601")


def test_qinghai_basic_expenditure_items_link_to_economic_codes(qinghai: Read) -> None:
    assert qinghai.one("人员经费").value == D("965.50")
    assert qinghai.one("公用经费").value == D("40.70")
    wage = qinghai.one("基本工资")
    assert (wage.value, wage.code) == (D("204.08"), "30101")
    # "职业年金缴费40.95万" on 394, blank line, "元，…" on 396
    pension = qinghai.one("职业年金缴费")
    assert (pension.value, pension.code, pension.source.line) == (D("40.95"), "30109", 394)
    assert qinghai.one("公务用车运行维护费").code == "30231"
    economic = [s for s in qinghai.statements if s.code and s.code.startswith("30")]
    assert len(economic) == 21
    personnel = sum((s.value or D(0) for s in economic[:13]), D(0))
    public = sum((s.value or D(0) for s in economic[13:]), D(0))
    # the document's own rounding: its 13 personnel items add up to one cent more
    assert (personnel, public) == (D("965.51"), D("40.70"))


def test_qinghai_three_public_expenses(qinghai: Read) -> None:
    total = qinghai.find("三公经费")
    assert [(s.value, s.change) for s in total] == [(D("4.50"), D(0)), (None, D(0))]
    abroad = qinghai.one("因公出国(境)费")
    assert (abroad.value, abroad.change) == (D("0.00"), D("0.00"))
    assert qinghai.one("公务用车购置及运行费").value == D("2.60")
    assert qinghai.one("公务接待费", code=None).value == D("1.90")


def test_qinghai_statements_of_zero_in_words(qinghai: Read) -> None:
    for topic in ("政府采购", "政府性基金预算支出", "国有资本经营预算支出"):
        assert qinghai.one(topic).value == D(0)


def test_qinghai_vehicles_equipment_and_performance(qinghai: Read) -> None:
    vehicles = qinghai.one("车辆")
    assert (vehicles.count, vehicles.unit, vehicles.value) == (1, "辆", None)
    assert qinghai.one("车辆：一般公务用车").count == 1
    assert [s.count for s in qinghai.find("设备")] == [0, 0]
    targets = qinghai.one("绩效目标")
    assert (targets.count, targets.value) == (6, D("1143.44"))


def test_qinghai_thresholds_and_codes_are_structure(qinghai: Read) -> None:
    structural = qinghai.ledger.coverage().structural
    assert structural["code"] == 45  # 15 items × 类/款/项
    assert structural["threshold"] == 2  # 单价50万元以上, 单价100万元以上


# -- F08: 上海市普陀区万里街道 2024 ---------------------------------------------------


def test_f08_income_and_change_wrapped_over_lines(f08: Read) -> None:
    assert f08.one("收入预算").value == D("15621.11")
    grant = f08.one("财政拨款收入")
    assert (grant.change, grant.previous) == (D("-876.75"), D("16497.86"))
    assert grant.source.line == 83
    # the change "876.75万元" opens line 84: consumed there, not left over
    assert all(line != 84 for line, _, _ in f08.unread())
    assert f08.one("政府性基金预算拨款支出").change == D(0)


def test_f08_items_keep_names_and_stated_previous(f08: Read) -> None:
    items = f08.find("功能科目")
    assert len(items) == 33
    first = items[0]
    assert "一般公共服务支出（类）统计信息事务（款）专项普查活动（项）" in first.text
    assert first.code is None
    assert (first.value, first.previous, first.previous_derived, first.growth_rate) == (
        D("25.77"), D("60.13"), False, D("-57.14"))
    flat = items[9]  # 10. 科普活动: 比2023年预算执行数持平
    assert (flat.value, flat.previous, flat.change) == (D("10.00"), D("10.00"), D(0))


def test_f08_restated_amount_that_differs_is_reported(f08: Read) -> None:
    # 31. 住房公积金 350.35万元 … 2024年预算安排352.67万元
    assert f08.one("功能科目", value=D("350.35")).growth_rate == D("0.53")
    assert (179, "352.67", "restated amount 352.67 differs from the amount 350.35 first "
            "stated for 功能科目") in f08.unread()


def test_f08_three_public_and_running_costs(f08: Read) -> None:
    total = f08.one("三公经费")
    assert (total.value, total.change, total.previous) == (D("47.91"), D("25"), D("22.91"))
    assert f08.one("因公出国(境)费").change == D(0)
    purchase = f08.one("公务用车购置费")
    assert (purchase.value, purchase.change, purchase.source.line) == (D("25"), D("25"), 609)
    assert f08.one("公务用车运行费").change == D(0)
    assert f08.one("公务接待费").change == D(0)
    assert f08.one("机关运行经费").value == D("443.18")


def test_f08_procurement_with_parts_and_reserved_amounts(f08: Read) -> None:
    parts = ("政府采购货物", "政府采购工程", "政府采购服务")
    assert f08.one("政府采购").value == D("1662.44")
    assert sum((f08.one(p).value or D(0) for p in parts), D(0)) == D("1662.44")
    assert f08.one("政府采购服务").source.line == 618
    assert f08.one("政府采购预留中小企业").value == D("664.98")
    assert f08.one("政府采购预留小微企业").value == D("465.49")


def test_f08_performance_vehicles_and_equipment(f08: Read) -> None:
    targets = f08.one("绩效目标")
    assert (targets.count, targets.value) == (50, D("5634.81"))
    assert f08.one("车辆").count == 7
    held = [s.count for s in f08.statements if s.topic.startswith("车辆：")]
    assert len(held) == 8 and sum(c or 0 for c in held) == 7
    assert f08.one("车辆购置").count == 1
    assert f08.one("车辆购置：其他用车").count == 1
    assert f08.one("设备").count == 0
    assert f08.one("设备购置").count == 0


def test_f08_project_description(f08: Read) -> None:
    quarters = [s for s in f08.statements if s.topic.endswith("季度用款计划")]
    assert [s.value for s in quarters] == [D("158.05")] * 4
    area = f08.one("用地面积")
    assert (area.value, area.unit) == (D("4000.6"), "平方米")
    assert f08.one("建筑高度").unit == "米"
    assert f08.one("地上主楼").unit == "层"
    described = [(line, text) for line, text, reason in f08.unread()
                 if reason == "project description measure, not a budget figure"]
    assert described == [(641, "50"), (641, "7")]


def test_f08_document_numbers_and_plot_codes_are_structure(f08: Read) -> None:
    line_644 = f08.lines[643]
    assert f08.ledger.open_tokens(line_644) == []
    assert f08.ledger.coverage().structural["code"] == 11


# -- both ---------------------------------------------------------------------------


@pytest.mark.parametrize("read", ["qinghai", "f08"])
def test_no_token_of_the_narrative_is_left_open(read: str,
                                                request: pytest.FixtureRequest) -> None:
    result: Read = request.getfixturevalue(read)
    assert {line.number: result.ledger.open_tokens(line)
            for line in result.read if result.ledger.open_tokens(line)} == {}


@pytest.mark.parametrize(("read", "unread"), [("qinghai", 0), ("f08", 3)])
def test_unread_tokens_are_only_the_explained_ones(read: str, unread: int,
                                                    request: pytest.FixtureRequest) -> None:
    result: Read = request.getfixturevalue(read)
    reasons = [reason for _, _, reason in result.unread()]
    assert len(reasons) == unread
    assert "number in narrative not matched by any sentence pattern" not in reasons


# -- other regions' wording ---------------------------------------------------------


def _read_text(text: str) -> tuple[list[Statement], Ledger]:
    lines = text_lines(text)
    ledger = Ledger("example.txt", lines)
    return read_statements(lines, ledger, "example.txt", year=2024), ledger


def test_amounts_in_yuan_keep_their_unit_and_other_comparison_words() -> None:
    statements, ledger = _read_text(
        "一、收入支出预算总体情况\n"
        "2024年收入预算总计1,234,567.89元，较上年减少12,345.00元，下降0.99%。"
        "其中：财政拨款收入1,000,000.00元，占比81.00%。\n"
    )
    total, grant = statements
    assert (total.topic, total.value, total.unit) == ("收入预算", D("1234567.89"), "元")
    assert (total.change, total.growth_rate, total.previous) == (
        D("-12345.00"), D("-0.99"), D("1246912.89"))
    assert (grant.topic, grant.unit, grant.share) == ("财政拨款收入", "元", D("81.00"))
    assert ledger.coverage().unread == []


def test_last_years_figure_stated_before_this_years() -> None:
    statements, _ = _read_text(
        "机关运行经费上年预算数为100.00万元，本年预算数为120.00万元，同比增长20.00%。\n")
    (running,) = statements
    assert (running.topic, running.value, running.previous, running.previous_derived,
            running.growth_rate) == ("机关运行经费", D("120.00"), D("100.00"), False,
                                     D("20.00"))


def test_codes_printed_before_names() -> None:
    statements, ledger = _read_text(
        "（1）2080501行政单位离退休2024年预算数为10.00万元，比上年预算数增加1.00万元。\n"
        "（2）公务接待费5.00万元，较上年持平。\n")
    item, reception = statements
    assert (item.topic, item.code, item.previous) == ("功能科目", "2080501", D("9.00"))
    assert (reception.change, reception.previous) == (D(0), D("5.00"))
    assert ledger.coverage().structural == {"code": 1, "list number": 2, "year": 1}


def test_an_amount_without_a_subject_is_unread_with_its_reason() -> None:
    statements, ledger = _read_text("其中100.00万元。\n")
    assert statements == []
    (unread,) = ledger.coverage().unread
    assert (unread.token.text, unread.reason) == ("100.00", "amount without a subject")


def test_economic_items_with_parentheses_in_their_names_link_to_codes() -> None:
    lines = text_lines("公用经费10.00万元，主要包括：维修（护）费1.00万元、会议费2.00万元。\n")
    statements = read_statements(
        lines, Ledger("example.txt", lines), "example.txt", year=2024,
        economic_codes=load_codes(CODELISTS_DIR / "dept_econ_class_observed_2023-2026.csv"))
    assert [(s.topic, s.code) for s in statements] == [
        ("公用经费", None), ("维修（护）费", "30213"), ("会议费", "30215")]
