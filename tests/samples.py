"""Made-up documents: a small 部门预算 built in code, and the GENERATED 决算 made from the
real Qinghai budget. Shared by several test modules and the session's real store, so
they live here rather than in one test module that the others would import."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from budgetgraph.model import (
    AmountUnit,
    Column,
    Disclosure,
    DocumentKind,
    Indicator,
    Note,
    PerformanceTable,
    Phase,
    Profile,
    Project,
    Row,
    SourceRef,
    Statement,
    Table,
    TableKind,
)

FILE = "sample-2024-budget.txt"
BASE = "http://example.org/bg/"


def ref(line: int) -> SourceRef:
    return SourceRef(FILE, line)


def d(text: str) -> Decimal:
    return Decimal(text)


def row(line: int, name: str, values: dict[str, str | None], **kw: object) -> Row:
    parsed = {k: (None if v is None else Decimal(v)) for k, v in values.items()}
    return Row(name=name, values=parsed, source=ref(line), **kw)


def cols(*keys: str, year: int | None = 2024) -> list[Column]:
    return [Column(key=k, label=k.rpartition(":")[2], year=year) for k in keys]


def sample_disclosure(*, region_code: str = "630223",
                      department: str = "互助土族自治县社会保险服务局",
                      year: int = 2024) -> Disclosure:
    """A small Qinghai-like 部门预算 whose identities hold (类 sums to the total)."""
    expenditure = Table(
        kind=TableKind.EXPENDITURE, title="支出总表", unit=AmountUnit.WAN_YUAN,
        columns=cols("合计", "基本支出", "项目支出", "事业单位经营支出"), source=ref(100),
        rows=[
            row(102, "合计", {"合计": "1,583.18".replace(",", ""), "基本支出": "858.75",
                              "项目支出": "724.43", "事业单位经营支出": None},
                level=0, is_total=True),
            row(103, "社会保障和就业支出", {"合计": "1417.24", "基本支出": "692.81",
                                            "项目支出": "724.43"}, code="208", level=1),
            row(104, "人力资源和社会保障管理事务", {"合计": "772.24", "基本支出": "692.81",
                                                    "项目支出": "79.43"}, code="20801", level=2),
            row(105, "社会保险经办机构", {"合计": "772.24", "基本支出": "692.81",
                                          "项目支出": "79.43"}, code="2080109", level=3),
            row(106, "财政对基本养老保险基金的补助", {"合计": "645.00", "项目支出": "645.00"},
                code="20826", level=2),
            row(107, "财政对企业职工基本养老保险基金的补助",
                {"合计": "300.00", "项目支出": "300.00"},
                code="2082601", level=3),
            row(108, "财政对城乡居民基本养老保险基金的补助",
                {"合计": "345.00", "项目支出": "345.00"},
                code="2082602", level=3),
            row(109, "卫生健康支出", {"合计": "90.25", "基本支出": "90.25"}, code="210", level=1),
            row(110, "住房保障支出", {"合计": "75.69", "基本支出": "75.69"}, code="221", level=1),
        ],
    )
    summary = Table(
        kind=TableKind.SUMMARY, title="收支总表", unit=AmountUnit.WAN_YUAN,
        columns=cols("预算数", "预算数"), source=ref(60),
        rows=[
            row(64, "一. 一般公共预算拨款收入", {"预算数": "1583.18"}, side="收入"),
            row(64, "一. 一般公共服务支出", {"预算数": None}, code="201", level=1, side="支出"),
            row(71, "八. 社会保障和就业支出", {"预算数": "1417.24"}, code="208", level=1,
                side="支出"),
            row(72, "九. 卫生健康支出", {"预算数": "90.25"}, side="支出"),
            row(94, "本年收入合计", {"预算数": "1583.18"}, side="收入", is_total=True),
        ],
    )
    three_public = Table(
        kind=TableKind.THREE_PUBLIC, title="一般公共预算“三公”经费支出表", unit=AmountUnit.WAN_YUAN,
        columns=[*cols("上年:合计", year=2023), *cols("本年:合计", "本年:小计", "本年:公务接待费")],
        source=ref(200),
        rows=[row(205, "", {"上年:合计": None, "本年:合计": "4.50", "本年:小计": "2.60",
                            "本年:公务接待费": "1.90"})],
    )
    government_fund = Table(
        kind=TableKind.GOVERNMENT_FUND, title="政府性基金预算支出表", unit=AmountUnit.WAN_YUAN,
        columns=cols("合计", "基本支出", "项目支出"), source=ref(210),
        rows=[row(214, "合计", {"合计": None, "基本支出": None, "项目支出": None},
                  level=0, is_total=True)],
        notes=[Note("注：本部门2024年没有政府性基金预算支出，故本表无数据。", ref(216))],
    )
    basic = Table(
        kind=TableKind.GENERAL_PUBLIC_BASIC, title="一般公共预算基本支出表",
        unit=AmountUnit.WAN_YUAN,
        columns=cols("合计", "人员经费", "公用经费", "其他经费"), source=ref(180),
        rows=[
            row(183, "合计", {"合计": "965.50", "人员经费": "924.80", "公用经费": "40.70"},
                level=0, is_total=True),
            row(184, "工资福利支出", {"合计": "924.80", "人员经费": "924.80"}, code="301", level=1),
            row(185, "商品和服务支出", {"合计": "40.70", "公用经费": "40.70"}, code="302", level=1),
            row(186, "对个人和家庭的补助", {"其他经费": "1.00"}, code="303", level=1),
        ],
    )
    general = Table(
        kind=TableKind.GENERAL_PUBLIC, title="一般公共预算支出表", unit=AmountUnit.WAN_YUAN,
        columns=cols("合计"), source=ref(150),
        rows=[
            row(152, "其他支出", {"合计": "1.00"}, code="2299901", level=3),
            row(153, "编码有误", {"合计": "2.00"}, code="20A"),
            row(154, "合计", {"合计": "1E+2"}, is_total=True, level=0),
        ],
    )
    income = Table(
        kind=TableKind.INCOME, title="收入总表", unit=AmountUnit.YUAN,
        columns=cols("合计", "一般公共预算拨款收入"), source=ref(120),
        rows=[
            row(124, "合计", {"合计": "15831800.00", "一般公共预算拨款收入": "15831800.00"},
                level=0, is_total=True),
            row(125, "互助土族自治县社会保险服务局", {"合计": "15831800.00"}),
            row(126, "互助土族自治县社会保险服务局（本级）", {"合计": "15831800.00"}),
        ],
    )
    statements = [
        Statement(topic="功能科目",
                  text="…社会保险经办机构09（项）2024年预算数为772.24万元，比上年增加37.12万元。",
                  source=ref(330), value=d("772.24"), code="2080109", change=d("37.12"),
                  growth_rate=d("5.05")),
        Statement(topic="支出预算", text="2024年支出预算1,583.18万元，比上年减少9,201.63万元。",
                  source=ref(320), value=d("1583.18"), change=d("-9201.63"),
                  previous=d("10784.81"), previous_derived=True),
        Statement(topic="车辆", text="共有车辆1辆", source=ref(360), value=d("1"), unit="辆",
                  count=1),
    ]
    performance = PerformanceTable(
        unit=AmountUnit.WAN_YUAN, source=ref(400), stated_total=d("47.76"),
        projects=[
            Project(code="63022300024T000000053", name="城乡居民养老保险村级协管员补助",
                    amount=d("17.76"), execution_weight=d("10.00"), goal="合计申报项目资金17.76万",
                    source=ref(405), unit_name="504001-互助土族自治县社会保险服务局(本级)",
                    functional_code="2082602",
                    indicators=[
                        Indicator("产出指标", "数量指标", "城乡居民养老保险村级补助个数", "≥",
                                  "296",
                                  "个", d("20"), ref(407), target_value=d("296")),
                        Indicator("满意度指标", "服务对象满意度", "城乡居民村级补助人员满意度", "≥",
                                  "98", "%", d("5"), ref(411), target_value=d("98")),
                        Indicator("满意度指标", "服务对象满意度", "城乡居民村级补助人员满意度",
                                  "定性",
                                  "逐步上升", "%", d("5"), ref(412)),
                    ]),
            Project(code=None, name="社会保险工作经费", amount=d("30.00"),
                    execution_weight=d("10.00"), goal="保障单位日常开支", source=ref(440)),
        ],
    )
    return Disclosure(
        source_file=f"/somewhere/{FILE}", kind=DocumentKind.DEPARTMENT_BUDGET, year=year,
        department=department, region="互助土族自治县", region_code=region_code,
        profile=Profile(functions=["承担社会保险基金预决算的编制、执行工作；"],
                        offices=["综合办公室", "稽核科"]),
        tables=[summary, income, expenditure, general, basic, three_public, government_fund],
        statements=statements, performance=performance,
    )


# --- GENERATED: the Qinghai budget as if it were its 决算 ---------------------------

XSS = "<script>alert('untrusted')</script>"
GENERATED_FILE = "GENERATED-final-from-huzhu-social-insurance-bureau-2024-budget.txt"


def _renamed(value: Any, file: str) -> Any:
    """``value`` with every SourceRef inside it pointing at ``file``."""
    if isinstance(value, SourceRef):
        return dataclasses.replace(value, file=file)
    if isinstance(value, list):
        return [_renamed(item, file) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{  # type: ignore[misc]
            f.name: _renamed(getattr(value, f.name), file)
            for f in dataclasses.fields(value) if f.init})
    return value


def generated_final(budget: Disclosure) -> Disclosure:
    """GENERATED FIXTURE: ``budget`` as if it were the same year's 决算, figures × 0.9,
    with untrusted markup in the 三公 table's title."""
    def scaled(value: Decimal | None) -> Decimal | None:
        return None if value is None else (value * Decimal("0.9")).quantize(Decimal("0.01"))

    tables = [dataclasses.replace(
        table, title=table.title + (XSS if table.kind.name == "THREE_PUBLIC" else ""),
        columns=[dataclasses.replace(c, phase=Phase.FINAL) for c in table.columns],
        rows=[dataclasses.replace(r, values={k: scaled(v) for k, v in r.values.items()})
              for r in table.rows]) for table in budget.tables]
    final = dataclasses.replace(budget, kind=DocumentKind.DEPARTMENT_FINAL, tables=tables,
                                source_file=GENERATED_FILE)
    return _renamed(final, GENERATED_FILE)  # type: ignore[no-any-return]
