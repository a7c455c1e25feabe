"""Synthetic disclosures in the Qinghai text-export format, for benchmarks at national scale.

The real corpus has a handful of documents; the national one will have about
half a million a year. To measure how each stage grows we need thousands of
documents that the real reader accepts and that pass validation, so every
identity the validation checks (docs/validation.md) is kept *by construction*:

* amounts are drawn as whole cents (``Decimal``, 0.01 万元) and every parent,
  total and share is computed from the rounded figures, never re-rounded;
* 类 = Σ款, 款 = Σ项, 合计 = 基本支出 + 项目支出, 合计 = 人员经费 + 公用经费;
* all money is 一般公共预算, so tables 3, 4 and 5 agree and tables 8 and 9 are
  empty with their notes; table 5's 基本支出 equals table 6's 合计 because the
  functional basic rows are built from the economic items (养老 2080505 = 30108,
  住房公积金 2210201 = 30113 …); 三公 运行费/接待费 are 30231/30217;
* the narrative restates the tables, and each item's change and growth rate are
  derived from a drawn prior-year figure (current − change = last year).

Codes are the observed ones (``tests/corpus/codelists/``); regions get GB/T
2260-shaped codes under the real province codes with made-up city and county names.
Every file is named ``generated-…`` and carries a line in its profile saying it is not real data
(:data:`MARKER`; a comment line on top would be read into the department's name).

Everything is deterministic from the seed: one :class:`random.Random` per
document, seeded with a string (hashed with SHA-512, independent of
``PYTHONHASHSEED``), so any document can be regenerated alone.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

CENT = Decimal("0.01")
ZERO = Decimal(0)
CODELISTS = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "codelists"
#: Years in the order they are used (the project's code lists cover 2023–2026).
YEARS = (2024, 2025, 2026, 2023)
#: The line that marks every generated document. It sits in the profile, not on top:
#: the reader joins a leading comment line into the department's name (checked).
MARKER = ("本文档由 budgetgraph 基准测试生成器生成，所列单位与数字均为虚构，不是真实数据"
          "（generated benchmark fixture, not real data）。")

PROVINCES: tuple[tuple[str, str], ...] = (
    ("11", "北京市"), ("12", "天津市"), ("13", "河北省"), ("14", "山西省"),
    ("15", "内蒙古自治区"), ("21", "辽宁省"), ("22", "吉林省"), ("23", "黑龙江省"),
    ("31", "上海市"), ("32", "江苏省"), ("33", "浙江省"), ("34", "安徽省"), ("35", "福建省"),
    ("36", "江西省"), ("37", "山东省"), ("41", "河南省"), ("42", "湖北省"), ("43", "湖南省"),
    ("44", "广东省"), ("45", "广西壮族自治区"), ("46", "海南省"), ("50", "重庆市"),
    ("51", "四川省"), ("52", "贵州省"), ("53", "云南省"), ("54", "西藏自治区"),
    ("61", "陕西省"), ("62", "甘肃省"), ("63", "青海省"), ("64", "宁夏回族自治区"),
    ("65", "新疆维吾尔自治区"),
)  # fmt: skip
#: Characters place names are drawn from (two per name, then 县 or 市).
_PLACE_CHARS = ("安平宁和兴泰丰源清河阳山明德华永昌隆盛新金龙凤云水城江湖东西南北"
                "青白嘉庆长乐富康开远临川溪岭原林武文崇义宝鹤松柏桂兰梅石桥")

#: The 28 functional 类 of the 2024 list in table 1's order (domain.md).
CLASSES: tuple[tuple[str, str], ...] = (
    ("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"),
    ("204", "公共安全支出"), ("205", "教育支出"), ("206", "科学技术支出"),
    ("207", "文化旅游体育与传媒支出"), ("208", "社会保障和就业支出"), ("210", "卫生健康支出"),
    ("211", "节能环保支出"), ("212", "城乡社区支出"), ("213", "农林水支出"),
    ("214", "交通运输支出"), ("215", "资源勘探工业信息等支出"), ("216", "商业服务业等支出"),
    ("217", "金融支出"), ("219", "援助其他地区支出"), ("220", "自然资源海洋气象等支出"),
    ("221", "住房保障支出"), ("222", "粮油物资储备支出"), ("223", "国有资本经营预算支出"),
    ("224", "灾害防治及应急管理支出"), ("227", "预备费"), ("229", "其他支出"),
    ("230", "转移性支出"), ("231", "债务还本支出"), ("232", "债务付息支出"),
    ("233", "债务发行费用支出"),
)  # fmt: skip
_NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三",
             "十四", "十五", "十六", "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三",
             "二十四", "二十五", "二十六", "二十七", "二十八")


@dataclass(frozen=True)
class DepartmentType:
    """A kind of department: its name pattern, where its running costs are booked
    (``basic``, a 项 code) and the 项 its projects may use."""

    pattern: str  # {r} is the county's name
    basic: str
    projects: tuple[str, ...]
    administrative: bool  # 行政单位: 机关运行经费, 行政单位医疗, 公务员医疗补助
    function: str  # what the 主要职能 paragraph says it does


DEPARTMENT_TYPES: tuple[DepartmentType, ...] = (
    DepartmentType("{r}人民政府办公室", "2010301", ("2010302", "2010399"), True, "政务服务和督查"),
    DepartmentType("{r}财政局", "2010601", ("2010602", "2010604", "2010605", "2010607", "2010608"),
                   True, "财政预算管理"),
    DepartmentType("{r}统计局", "2010506", ("2010507",), True, "统计调查和统计监督"),
    DepartmentType("{r}商务局", "2011301", ("2011302", "2011399", "2150899", "2169999"), True,
                   "商贸流通和招商引资"),
    DepartmentType("{r}总工会", "2012902", ("2012902",), True, "职工权益维护"),
    DepartmentType("中共{r}委组织部", "2013202", ("2013202",), True, "干部和人才工作"),
    DepartmentType("中共{r}委宣传部", "2013302", ("2013302",), True, "宣传思想文化工作"),
    DepartmentType("中共{r}委统战部", "2013402", ("2013402",), True, "统一战线工作"),
    DepartmentType("{r}市场监督管理局", "2013802", ("2013802",), True, "市场监督管理"),
    DepartmentType("中共{r}委社会工作部", "2013901", ("2013999",), True, "社会工作"),
    DepartmentType("{r}社会工作服务中心", "2013950", ("2013999",), False, "社会工作服务"),
    DepartmentType("{r}司法局", "2040601", ("2040604", "2040605", "2040607", "2040613",
                                          "2040699"), True, "法治建设和公共法律服务"),
    DepartmentType("{r}公安局", "2049999", ("2049999",), True, "社会治安管理"),
    DepartmentType("{r}教育局", "2059999", ("2059999",), True, "教育事业管理"),
    DepartmentType("{r}科学技术局", "2060503", ("2060503", "2060702"), True, "科技创新和科学普及"),
    DepartmentType("{r}群众体育服务中心", "2070308", ("2070308",), False, "群众体育活动组织"),
    DepartmentType("{r}社会保险服务局", "2080109", ("2082601", "2082602", "2089999", "2080109"),
                   False, "社会保险经办"),
    DepartmentType("{r}民政局", "2080206", ("2081005", "2082501", "2080801"), True,
                   "社会救助和社会组织管理"),
    DepartmentType("{r}社会福利院", "2081005", ("2081005",), False, "社会福利服务"),
    DepartmentType("{r}红十字会", "2081602", ("2081602",), True, "人道救助"),
    DepartmentType("{r}卫生健康局", "2109999", ("2100717", "2109999"), True, "卫生健康事业管理"),
    DepartmentType("{r}城市管理局", "2120101", ("2120102", "2120104", "2120199"), True,
                   "城市管理和综合执法"),
    DepartmentType("{r}住房和城乡建设局", "2120102", ("2120201", "2120399", "2210203",
                                                  "2210399"), True, "城乡规划建设"),
    DepartmentType("{r}环境卫生服务中心", "2120501", ("2120501", "2129999"), False,
                   "城乡环境卫生"),
    DepartmentType("{r}自然资源局", "2200199", ("2200199",), True, "自然资源管理"),
    DepartmentType("{r}自然资源事务中心", "2200150", ("2200199",), False, "自然资源调查监测"),
)
#: Township governments fill the list beyond the department types.
TOWNSHIP = DepartmentType("{r}{t}镇人民政府", "2010301", ("2010302", "2120399", "2129999",
                                                          "2080705"), True, "乡镇行政管理")

#: Items of the expenditure narrative's reasons, by direction.
_REASONS_UP = ("人员工资基数提高", "业务量增加", "新增年度重点工作任务", "社会保险缴费基数调整")
_REASONS_DOWN = ("厉行节约压减一般性支出", "上年一次性项目本年不再安排", "人员减少")


# ---------------------------------------------------------------------------
# Code lists
# ---------------------------------------------------------------------------


def _names(file: str) -> dict[str, str]:
    with (CODELISTS / file).open(encoding="utf-8") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


FUNC_NAMES = _names("func_class_observed_2023-2026.csv")
ECON_NAMES = _names("dept_econ_class_observed_2023-2026.csv")


# ---------------------------------------------------------------------------
# Regions and departments
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """A county with a GB/T 2260-shaped code under a real province code."""

    code: str
    name: str
    city: str
    province: str


def regions(count: int, *, seed: int) -> list[Region]:
    """``count`` counties spread over the 31 provinces, names unique and made up."""
    rng = random.Random(f"{seed}|regions")
    used: set[str] = set()
    cities: dict[str, str] = {}

    def place(suffix: str) -> str:
        while True:
            name = "".join(rng.sample(_PLACE_CHARS, 2)) + suffix
            if name not in used:
                used.add(name)
                return name

    out: list[Region] = []
    for index in range(count):
        province_code, province = PROVINCES[index % len(PROVINCES)]
        k = index // len(PROVINCES)
        city_code = f"{province_code}{k // 12 + 1:02d}"
        if city_code not in cities:
            cities[city_code] = place("市")
        out.append(Region(f"{city_code}{21 + k % 12:02d}", place("县"), cities[city_code],
                          province))
    return out


def department_name(region: Region, index: int, *, seed: int) -> tuple[str, DepartmentType]:
    """The ``index``-th department of a county: the fixed types, then townships."""
    if index < len(DEPARTMENT_TYPES):
        kind = DEPARTMENT_TYPES[index]
        return kind.pattern.format(r=region.name), kind
    rng = random.Random(f"{seed}|{region.code}|town|{index}")
    town = "".join(rng.sample(_PLACE_CHARS, 2)) + f"{index - len(DEPARTMENT_TYPES) + 1}"
    town = town.translate(str.maketrans("0123456789", "〇一二三四五六七八九"))
    return TOWNSHIP.pattern.format(r=region.name, t=town), TOWNSHIP


# ---------------------------------------------------------------------------
# The figures of one document
# ---------------------------------------------------------------------------


def _cents(rng: random.Random, low: Decimal, high: Decimal) -> Decimal:
    """A uniform amount between ``low`` and ``high`` in whole cents (never a float)."""
    return Decimal(rng.randint(int(low * 100), int(high * 100))) / 100


def _share(part: Decimal, whole: Decimal) -> Decimal:
    """A printed percentage (two decimals) of rounded figures."""
    return (part * 100 / whole).quantize(CENT, rounding=ROUND_HALF_UP) if whole else ZERO


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class FuncRow:
    code: str
    name: str
    basic: Decimal = ZERO
    project: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.basic + self.project


@dataclass
class Plan:
    """What one generated document says: the figures the test checks the reader against."""

    file: str
    region: Region
    department: str
    year: int
    administrative: bool
    function: str
    #: functional rows 类/款/项 in print order (code → row); 项 only are drawn
    functional: dict[str, FuncRow]
    #: economic items of the basic expenditure (30101 → amount); 类 sums derived
    economic: dict[str, Decimal]
    #: prior-year figure of each functional 项
    prior: dict[str, Decimal]
    #: 三公: this year and last year (出国, 购置, 运行, 接待)
    three_public: tuple[Decimal, Decimal, Decimal, Decimal]
    three_public_prior: tuple[Decimal, Decimal, Decimal, Decimal]
    operating_prior: Decimal
    projects: list[tuple[str, str, Decimal]] = field(default_factory=list)  # code, name, 批复数
    vehicles: tuple[int, int] = (0, 0)

    @property
    def total(self) -> Decimal:
        return sum((r.total for r in self.functional.values() if len(r.code) == 3), ZERO)

    @property
    def basic(self) -> Decimal:
        return sum((r.basic for r in self.functional.values() if len(r.code) == 3), ZERO)

    @property
    def project(self) -> Decimal:
        return sum((r.project for r in self.functional.values() if len(r.code) == 3), ZERO)

    @property
    def personnel(self) -> Decimal:
        return sum((v for c, v in self.economic.items() if c[:3] in ("301", "303")), ZERO)

    @property
    def public_use(self) -> Decimal:
        return sum((v for c, v in self.economic.items() if c[:3] == "302"), ZERO)


def plan(region: Region, index: int, year: int, *, seed: int) -> Plan:
    """Draw the figures of department ``index`` of ``region`` for ``year``."""
    department, kind = department_name(region, index, seed=seed)
    rng = random.Random(f"{seed}|{region.code}|{index}|{year}")
    staff = Decimal(rng.randint(6, 150))
    econ: dict[str, Decimal] = {}

    def put(code: str, amount: Decimal) -> None:
        if amount > 0:
            econ[code] = amount

    put("30101", _round(staff * _cents(rng, Decimal("1.8"), Decimal("3.0"))))
    put("30102", _round(staff * _cents(rng, Decimal("1.5"), Decimal("3.0"))))
    if rng.random() < 0.7:
        put("30103", _round(staff * _cents(rng, Decimal("0.2"), Decimal("0.6"))))
    put("30107", _round(staff * _cents(rng, Decimal("1.0"), Decimal("2.5"))))
    wages = sum(econ.values(), ZERO)
    put("30108", _round(wages * Decimal("0.16")))
    put("30109", _round(wages * Decimal("0.08")))
    put("30110", _round(wages * Decimal("0.08")))
    if kind.administrative:
        put("30111", _round(wages * Decimal("0.045")))
    put("30112", _round(wages * Decimal("0.007")))
    put("30113", _round(wages * Decimal("0.12")))
    put("30201", _round(staff * _cents(rng, Decimal("0.1"), Decimal("0.6"))))
    for code, chance in (("30205", 0.5), ("30206", 0.5), ("30207", 0.4), ("30211", 0.8),
                         ("30213", 0.3), ("30215", 0.3), ("30216", 0.4), ("30217", 0.7),
                         ("30228", 0.6), ("30229", 0.5), ("30231", 0.6), ("30239", 0.5),
                         ("30299", 0.6)):
        if rng.random() < chance:
            put(code, _round(staff * _cents(rng, Decimal("0.01"), Decimal("0.25"))))
    if rng.random() < 0.5:
        put("30302", _round(staff * _cents(rng, Decimal("0.1"), Decimal("0.5"))))
    if rng.random() < 0.3:
        put("30305", _cents(rng, Decimal("0.3"), Decimal("5")))
    if rng.random() < 0.4:
        put("30307", _cents(rng, Decimal("1"), Decimal("20")))
    econ = dict(sorted(econ.items()))

    leaves: dict[str, FuncRow] = {}

    def basic(code: str, amount: Decimal) -> None:
        if amount > 0:
            leaves.setdefault(code, FuncRow(code, FUNC_NAMES[code])).basic += amount

    def get(code: str) -> Decimal:
        return econ.get(code, ZERO)

    basic(kind.basic, sum((get(c) for c in ("30101", "30102", "30103", "30107")), ZERO)
          + sum((v for c, v in econ.items() if c[:3] == "302"), ZERO))
    basic("2080505", get("30108"))
    basic("2080506", get("30109"))
    basic("2080599", get("30302") + get("30305"))
    basic("2101101" if kind.administrative else "2101102", get("30110"))
    basic("2101103", get("30111"))
    basic("2101199", get("30307"))
    unemployment = _round(get("30112") * Decimal("0.8"))
    basic("2082701", unemployment)
    basic("2082702", get("30112") - unemployment)
    basic("2210201", get("30113"))
    chosen = rng.sample(kind.projects, rng.randint(1, min(3, len(kind.projects))))
    if rng.random() < 0.25 and "2080705" not in chosen:
        chosen.append("2080705")
    projects: list[tuple[str, str, Decimal]] = []
    for serial, code in enumerate(sorted(chosen), start=1):
        amount = _cents(rng, Decimal("3"), Decimal("40")) * (staff / 10)
        amount = _round(amount)
        leaves.setdefault(code, FuncRow(code, FUNC_NAMES[code])).project += amount
        project_code = f"{region.code}{index + 1:05d}T{year % 100:02d}{serial:07d}"
        projects.append((project_code, f"{year}年{FUNC_NAMES[code]}项目", amount))

    functional: dict[str, FuncRow] = {}
    for code in sorted(leaves):
        for parent in (code[:3], code[:5]):
            row = functional.setdefault(parent, FuncRow(parent, FUNC_NAMES[parent]))
            row.basic += leaves[code].basic
            row.project += leaves[code].project
        functional[code] = leaves[code]
    functional = dict(sorted(functional.items()))

    prior: dict[str, Decimal] = {}
    for code, row in leaves.items():
        if rng.random() < 0.15:
            prior[code] = row.total
        else:
            prior[code] = max(CENT, _round(row.total * _cents(rng, Decimal("0.8"),
                                                                 Decimal("1.2"))))
    abroad = _cents(rng, Decimal("1"), Decimal("8")) if rng.random() < 0.1 else ZERO
    three = (abroad, ZERO, get("30231"), get("30217"))
    three_prior = (ZERO, ZERO, _round(three[2] * _cents(rng, Decimal("0.8"), Decimal("1.2"))),
                   _round(three[3] * _cents(rng, Decimal("0.8"), Decimal("1.2"))))
    if abroad:  # 因公出国 is a 302 item too (30212): keep table 6 and 三公 in step
        econ["30212"] = abroad
        econ = dict(sorted(econ.items()))
        functional[kind.basic].basic += abroad
        functional[kind.basic[:5]].basic += abroad
        functional[kind.basic[:3]].basic += abroad
    public_use = sum((v for c, v in econ.items() if c[:3] == "302"), ZERO)
    general_cars = rng.randint(0, 3)
    return Plan(
        file=f"generated-{region.code}-{index:03d}-{year}-budget.txt",
        region=region, department=department, year=year, administrative=kind.administrative,
        function=kind.function, functional=functional, economic=econ, prior=prior,
        three_public=three, three_public_prior=three_prior,
        operating_prior=max(CENT, _round(public_use * _cents(rng, Decimal("0.85"),
                                                              Decimal("1.15")))),
        projects=projects, vehicles=(general_cars, rng.randint(0, 2)),
    )


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------


def fmt(value: Decimal) -> str:
    """A printed amount: thousands separators, two decimals, blank for zero (as printed)."""
    return "" if value == 0 else f"{value:,.2f}"


def fmt0(value: Decimal) -> str:
    """An amount in a sentence: zero is written out (``0.00万元``)."""
    return f"{value:,.2f}"


def _change(current: Decimal, last: Decimal) -> str:
    """``比上年增加X万元，增长Y%`` (or 减少/下降, or 与上年预算数一致)."""
    change = current - last
    if change == 0:
        return "与上年预算数一致"
    rate = _share(abs(change), last)
    if change > 0:
        return f"比上年增加{fmt0(change)}万元，增长{rate}%"
    return f"比上年减少{fmt0(-change)}万元，下降{rate}%"


def render(p: Plan) -> str:
    """The document of plan ``p`` as the Qinghai text export prints it (tabs, blanks)."""
    d, y = p.department, p.year
    out: list[str] = ["", d, f"{y}年部门预算", "", "目 录", ""]
    out += ["第一部分 部门概况", "", "- 一、主要职能", "- 二、机构设置",
            "- 三、部门预算单位构成", "", "第二部分 部门预算表", ""]
    titles = ("收支总表", "收入总表", "支出总表", "财政拨款收支总表", "一般公共预算支出表",
              "一般公共预算基本支出表", "一般公共预算“三公”经费支出表", "政府性基金预算支出表",
              "国有资本经营预算支出情况表")
    out += [f"- {_NUMERALS[i]}、{t}" for i, t in enumerate(titles)]
    out += ["", "第三部分 部门预算情况说明", "", "第四部分 名词解释", ""]
    out += _profile(p)
    out += ["第二部分 部门预算表", "", "部门公开表1", ""]
    out += _summary(p) + _income(p) + _expenditure(p, "支出总表") + _fiscal(p)
    out += _general_public(p) + _basic(p) + _three_public(p) + _empty_tables(p)
    out += _narrative(p) + _performance(p) + _glossary()
    return "\n".join(out) + "\n"


def _table_head(title: str, d: str) -> list[str]:
    return [title, "", f"部门名称：{d}", "", "单位：万元", ""]


def _profile(p: Plan) -> list[str]:
    d = p.department
    nature = "行政单位" if p.administrative else "事业单位"
    return [
        "第一部分 部门概况", "", "一、主要职能", "",
        f"(一) 贯彻执行国家和省、市有关{p.function}的方针政策和法律法规；", "",
        f"(二) 负责本县{p.function}工作的组织实施和监督检查；", "",
        "(三) 完成县委、县政府交办的其他任务。", "",
        "二、机构设置", "",
        f"{d}为{nature}、一级预算单位，内设综合办公室、业务股、财务股。", "",
        "三、部门预算单位构成", "",
        f"{d}无纳入预算编制范围的二级预算单位。", "",
        MARKER, "",
    ]


def _summary(p: Plan) -> list[str]:
    total = fmt(p.total)
    by_class = {code: row.total for code, row in p.functional.items() if len(code) == 3}
    income = ("一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入",
              "财政专户管理资金收入", "事业收入", "上级补助收入", "附属单位上缴收入",
              "事业单位经营收入", "其他收入")
    head = ["收入\t\t支出\t", "项目\t预算数\t项目（按功能分类）\t预算数"]
    lines = [*_table_head("收支总表", p.department), *head]
    for i, (code, name) in enumerate(CLASSES):
        if i == 22:
            lines += ["", *head]
        left = f"{_NUMERALS[i]}. {income[i]}\t{total if i == 0 else ''}" if i < 9 else "\t"
        lines.append(f"{left}\t{_NUMERALS[i]}. {name}\t{fmt(by_class.get(code, ZERO))}")
    lines += [f"本年收入合计\t{total}\t本年支出合计\t{total}", "上年结转\t\t结转下年\t",
              f"收入总计\t{total}\t支出总计\t{total}", ""]
    return lines


def _income(p: Plan) -> list[str]:
    d, total = p.department, fmt(p.total)
    blanks = "\t" * 8
    return [
        *_table_head("收入总表", d),
        "预算单位\t小计\t上年 结转\t一般公共预算拨 款收入\t政府性基金预算拨 款收入\t"
        "国有资本经营预算 拨款收入\t财政专户管理资 金收入\t事业 收入\t上级补助 收入\t"
        "附属单位上 缴收入\t事业单位经 营收入\t其他 收入",
        f"合计\t{total}\t\t{total}{blanks}",
        f"{d}\t{total}\t\t{total}{blanks}",
        f"{d}（本级）\t{total}\t\t{total}{blanks}",
        "",
    ]


def _func_lines(p: Plan, head: list[str], columns: int) -> list[str]:
    """Functional rows with the header repeated every 26 rows, as a page break prints it."""
    lines = list(head)
    tail = "\t" * (columns - 3)
    lines.append(f"\t合计\t{fmt(p.total)}\t{fmt(p.basic)}\t{fmt(p.project)}{tail}")
    for n, row in enumerate(p.functional.values(), start=1):
        if n % 26 == 0:
            lines += ["", *head]
        lines.append(f"{row.code}\t{row.name}\t{fmt(row.total)}\t{fmt(row.basic)}\t"
                     f"{fmt(row.project)}{tail}")
    return [*lines, ""]


def _expenditure(p: Plan, title: str) -> list[str]:
    head = ["科目编码\t科目名称\t合计\t基本支出\t项目支出\t事业单位经营支出\t上缴上级支出\t"
            "对附属单位补助支出"]
    return [*_table_head(title, p.department), *_func_lines(p, head, 6)]


def _fiscal(p: Plan) -> list[str]:
    total = fmt(p.total)
    by_class = {code: row.total for code, row in p.functional.items() if len(code) == 3}
    head = ["收入\t\t支出\t\t\t\t",
            "项目\t预算数\t项目\t合计\t一般公共预算\t政府性基金预算\t国有资本经营预算"]
    left = [f"一般公共预算拨款收入\t{total}", "政府性基金预算拨款收入\t",
            "国有资本经营预算拨款收入\t"]
    lines = [*_table_head("财政拨款收支总表", p.department), *head,
             f"一、本年收入\t{total}\t一、本年支出\t{total}\t{total}\t\t"]
    for i, (code, name) in enumerate(CLASSES):
        if i == 23:
            lines += ["", *head]
        value = fmt(by_class.get(code, ZERO))
        income = left[i] if i < 3 else "\t"
        lines.append(f"{income}\t({_NUMERALS[i]}) {name}\t{value}\t{value}\t\t")
    lines += ["二、上年结转\t\t二、结转下年\t\t\t\t", "(一) 一般公共预算拨款\t\t\t\t\t\t",
              "(二) 政府性基金预算拨款\t\t\t\t\t\t", "(三) 国有资本经营预算拨款\t\t\t\t\t\t",
              f"收入总计\t{total}\t支出总计\t{total}\t{total}\t\t", ""]
    return lines


def _general_public(p: Plan) -> list[str]:
    head = [f"支出功能分类科目\t\t{p.year}年预算数\t\t",
            "科目编码\t科目名称\t合计\t基本支出\t项目支出"]
    return [*_table_head("一般公共预算支出表", p.department), *_func_lines(p, head, 3)]


def _basic(p: Plan) -> list[str]:
    head = [f"支出经济分类科目\t\t{p.year}年基本支出\t\t",
            "科目编码\t科目名称\t合计\t人员经费\t公用经费"]
    lines = [*_table_head("一般公共预算基本支出表", p.department), *head,
             f"\t合计\t{fmt(p.personnel + p.public_use)}\t{fmt(p.personnel)}\t{fmt(p.public_use)}"]
    rows: list[tuple[str, Decimal]] = []
    for cls in ("301", "302", "303"):
        items = [(c, v) for c, v in p.economic.items() if c[:3] == cls]
        if items:
            rows.append((cls, sum((v for _, v in items), ZERO)))
            rows += items
    for n, (code, value) in enumerate(rows, start=1):
        if n % 26 == 0:
            lines += ["", *head]
        personnel = code[:3] != "302"
        lines.append(f"{code}\t{ECON_NAMES[code]}\t{fmt(value)}\t{fmt(value) if personnel else ''}"
                     f"\t{'' if personnel else fmt(value)}")
    return [*lines, ""]


def _three_cells(values: tuple[Decimal, Decimal, Decimal, Decimal]) -> str:
    abroad, buy, run, reception = values
    return "\t".join(fmt(v) for v in (abroad + buy + run + reception, abroad, buy + run, buy, run,
                                       reception))


def _three_public(p: Plan) -> list[str]:
    return [
        *_table_head("一般公共预算“三公”经费支出表", p.department),
        f"上年预算数\t\t\t\t\t\t{p.year}年预算数\t\t\t\t\t",
        "合计\t因公出国(境)费用\t公务用车购置及运行费\t\t\t公务接待费\t合计\t因公出国(境)费用\t"
        "公务用车购置及运行费\t\t\t公务接待费",
        "\t\t小计\t公务用车购置费\t公务用车运行费\t\t\t\t小计\t公务用车购置费\t公务用车运行费\t",
        f"{_three_cells(p.three_public_prior)}\t{_three_cells(p.three_public)}",
        "",
    ]


def _empty_tables(p: Plan) -> list[str]:
    return [
        *_table_head("政府性基金预算支出表", p.department),
        f"支出功能分类科目\t\t{p.year}年预算数\t\t", "科目编码\t科目名称\t合计\t基本支出\t项目支出",
        "\t合计\t\t\t", "", f"注：本部门{p.year}年没有政府性基金预算支出，故本表无数据。", "",
        *_table_head("国有资本经营预算支出情况表", p.department),
        "功能分类科目\t\t国有资本经营预算支出\t\t",
        "科目编码\t科目名称\t小计\t其中：基本支出\t项目支出",
        "\t合计\t\t\t", "", f"注：本部门{p.year}年没有国有资本经营预算支出，故本表无数据。", "",
    ]


def _narrative(p: Plan) -> list[str]:
    d, y, total = p.department, p.year, fmt0(p.total)
    classes = [row for code, row in p.functional.items() if len(code) == 3]
    spent = "、".join(f"{row.name}{fmt0(row.total)}万元" for row in classes)
    leaves = [row for code, row in p.functional.items() if len(code) == 7]
    last_total = sum((p.prior[row.code] for row in leaves), ZERO)
    change = p.total - last_total
    if change == 0:
        overall = "与上年预算数一致"
    elif change > 0:
        overall = f"比上年增加{fmt0(change)}万元，主要是{_REASONS_UP[0]}"
    else:
        overall = f"比上年减少{fmt0(-change)}万元，主要是{_REASONS_DOWN[0]}"
    lines = [
        "第三部分 部门预算情况说明", "", "一、部门收支预算情况的总体说明", "",
        f"按照综合预算的原则，{d}所有收入和支出均纳入部门预算管理。收入包括：一般公共预算拨款收入"
        f"{total}万元；支出包括：{spent}。", "",
        f"{d}{y}年收支总预算{total}万元。", "",
        "二、部门收入预算情况说明", "",
        f"{d}{y}年收入预算{total}万元，其中：一般公共预算拨款收入{total}万元，占100.00%。", "",
        "三、部门支出预算情况说明", "",
        f"{d}{y}年支出预算{total}万元，其中：基本支出{fmt0(p.basic)}万元，占"
        f"{_share(p.basic, p.total)}%；项目支出{fmt0(p.project)}万元，占"
        f"{_share(p.project, p.total)}%。", "",
        "四、财政拨款收支预算情况的总体说明", "",
        f"{d}{y}年财政拨款收支总预算{total}万元，{overall}。收入包括：一般公共预算当年拨款收入"
        f"{total}万元，上年结转0.00万元；政府性基金预算当年拨款收入0.00万元，上年结转0.00万元；"
        f"国有资本经营预算当年拨款收入0.00万元，上年结转0.00万元。支出包括："
        + "，".join(f"{row.name}{fmt0(row.total)}万元" for row in classes) + "。", "",
        "五、一般公共预算当年拨款情况说明", "",
        "(一) 一般公共预算当年拨款规模变化情况。", "",
        f"{d}{y}年一般公共预算当年拨款{total}万元，{overall}。", "",
        "(二) 一般公共预算当年拨款结构情况。", "",
        "；".join(f"{row.name.removesuffix('支出')}（类）支出{fmt0(row.total)}万元，占"
                 f"{_share(row.total, p.total)}%" for row in classes) + "。", "",
        "(三) 一般公共预算当年拨款具体使用情况。", "",
    ]
    for n, row in enumerate(leaves, start=1):
        lei, kuan = p.functional[row.code[:3]], p.functional[row.code[:5]]
        last = p.prior[row.code]
        reason = "" if last == row.total else "主要是" + (
            _REASONS_UP[n % len(_REASONS_UP)] if row.total > last
            else _REASONS_DOWN[n % len(_REASONS_DOWN)]) + "。"
        lines += [f"{n}、{lei.name}{lei.code}（类）{kuan.name}{kuan.code[3:]}（款）{row.name}"
                  f"{row.code[5:]}（项）{y}年预算数为{fmt0(row.total)}万元，"
                  f"{_change(row.total, last)}。{reason}", ""]
    personnel = "，".join(f"{ECON_NAMES[c]}{fmt0(v)}万元" for c, v in p.economic.items()
                         if c[:3] != "302")
    public = "，".join(f"{ECON_NAMES[c]}{fmt0(v)}万元" for c, v in p.economic.items()
                      if c[:3] == "302")
    lines += [
        "六、一般公共预算基本支出情况说明", "",
        f"{d}{y}年一般公共预算基本支出{fmt0(p.basic)}万元，其中：", "",
        f"人员经费 {fmt0(p.personnel)}万元，主要包括：{personnel}；", "",
        f"公用经费 {fmt0(p.public_use)}万元，主要包括：{public}。", "",
        "七、一般公共预算“三公”经费预算情况说明", "",
        _three_public_sentence(p), "",
        "八、政府性基金预算支出情况的说明", "",
        f"{d}{y}年没有使用政府性基金预算拨款安排的支出。", "",
        "九、国有资本经营预算支出情况的说明", "",
        f"{d}{y}年没有使用国有资本经营预算的支出。", "",
        "十、其他重要事项的情况说明", "",
        "（一）机关运行经费安排情况。", "",
    ]
    if p.administrative:
        lines += [f"{y}年{d}机关运行经费财政拨款预算{fmt0(p.public_use)}万元，"
                  f"{_change(p.public_use, p.operating_prior)}。", ""]
    else:
        lines += [f"{d}为事业单位，{y}年无机关运行经费预算。", ""]
    general, law = p.vehicles
    lines += [
        "（二）政府采购安排情况。", "", f"{y}年{d}无政府采购预算。", "",
        "（三）国有资产占有使用情况。", "",
        f"截至{y - 1}年12月底，{d}共有车辆{general + law}辆，其中，省级领导干部用车0辆、"
        f"厅级领导干部用车0辆、一般公务用车{general}辆、一般执法执勤用车{law}辆、"
        "特种专业技术用车0辆、其他用车0辆。单价50万元以上通用设备0台（套），"
        "单价100万元以上专用设备0台（套）。", "",
        "（四）绩效目标设置情况。", "",
        f"{y}年{d}预算均实行绩效管理，涉及项目{len(p.projects)}个，预算金额"
        f"{fmt0(sum((a for _, _, a in p.projects), ZERO))}万元。", "",
    ]
    return lines


def _three_public_sentence(p: Plan) -> str:
    abroad, buy, run, reception = p.three_public
    pa, pb, pr, pc = p.three_public_prior
    now, last = abroad + buy + run + reception, pa + pb + pr + pc

    def delta(current: Decimal, before: Decimal) -> str:
        change = current - before
        return f"增加{fmt0(change)}万元" if change >= 0 else f"减少{fmt0(-change)}万元"

    return (f"{p.department}{p.year}年一般公共预算“三公”经费预算数为{fmt0(now)}万元，比上年"
            f"{delta(now, last)}，其中：因公出国（境）费{fmt0(abroad)}万元，{delta(abroad, pa)}；"
            f"公务用车购置及运行费{fmt0(buy + run)}万元，{delta(buy + run, pb + pr)}；"
            f"公务接待费{fmt0(reception)}万元，{delta(reception, pc)}。")


#: Indicators of every generated project: (一级, 二级, 三级, operator, value, unit, weight).
_INDICATORS = (
    ("成本指标", "经济成本", "项目资金控制在批复数以内", "≤", "100", "%", "10"),
    ("产出指标", "数量指标", "服务对象覆盖人数", "≥", "300", "人", "20"),
    ("", "质量指标", "工作任务完成率", "=", "100", "%", "20"),
    ("", "时效指标", "资金及时拨付率", "≥", "95", "%", "10"),
    ("效益指标", "社会效益", "服务对象权益得到保障", "定性", "逐步提高", "年", "20"),
    ("满意度指标", "服务对象满意度", "群众满意率", "≥", "95", "%", "10"),
)


def _performance(p: Plan) -> list[str]:
    """项目支出绩效目标表 in a clean layout: one line per indicator, cells in place."""
    total = sum((a for _, _, a in p.projects), ZERO)
    lines = [f"{p.year}年{p.department}项目支出绩效目标表", "", "单位：万元", "",
             "单位名称\t项目名称\t预算执行率权重(%)\t批复数\t绩效指标" + "\t" * 12,
             "\t\t\t\t绩效目标\t一级指标\t二级指标\t三级指标\t绩效指标性质\t绩效指标值\t"
             "本年绩效指标值\t绩效度量单位\t权重\t本年权重",
             f"合计-\t-\t\t{fmt0(total)}"]
    for code, name, amount in p.projects:
        goal = f"保障{name}顺利实施，完成年度工作任务。"
        for n, (l1, l2, l3, op, value, unit, weight) in enumerate(_INDICATORS):
            cells = f"{l1}\t{l2}\t{l3}\t{op}\t{value}\t{value}\t{unit}\t{weight}\t{weight}"
            if n == 0:
                lines.append(f"{code}-{name}\t10.00\t{fmt0(amount)}\t{goal}\t{cells}")
            else:
                lines.append(f"\t\t\t\t{cells}")
    return [*lines, ""]


def _glossary() -> list[str]:
    return [
        "第四部分 名词解释", "", "一、收入类", "",
        "（一）财政拨款收入：指本级财政当年拨付的资金，"
        "包括一般公共预算拨款收入和政府性基金预算拨款收入。", "",
        "（二）上年结转和结余：指以前年度支出预算因客观条件变化未执行完毕、"
        "结转到本年度按有关规定继续使用的资金。", "",
        "二、支出类", "",
        "（一）基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。", "",
        "（二）项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。", "",
        "（三）机关运行经费：为保障行政单位（含参照公务员法管理的事业单位）"
        "运行用于购买货物和服务的各项资金。", "",
    ]


# ---------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------


def plans(*, regions_count: int, departments: int, years: int, seed: int,
          limit: int | None = None) -> Iterator[Plan]:
    """The plans of a corpus, region by region, department by department, year by year."""
    if not 1 <= years <= len(YEARS):
        raise ValueError(f"years must be 1..{len(YEARS)} (the code lists cover 2023–2026)")
    produced = 0
    for region in regions(regions_count, seed=seed):
        for index in range(departments):
            for year in YEARS[:years]:
                if limit is not None and produced >= limit:
                    return
                produced += 1
                yield plan(region, index, year, seed=seed)


def manifest_entry(p: Plan) -> dict[str, str]:
    """What the harness needs besides the text: the region the reader cannot know."""
    return {"file": p.file, "region_code": p.region.code, "region": p.region.name,
            "department": p.department, "year": str(p.year), "total": str(p.total)}


def write_corpus(out_dir: Path, *, regions_count: int, departments: int, years: int,
                 seed: int, limit: int | None = None) -> list[Path]:
    """Write the documents and ``manifest.json``; return the document paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    manifest: list[dict[str, str]] = []
    for p in plans(regions_count=regions_count, departments=departments, years=years,
                   seed=seed, limit=limit):
        path = out_dir / p.file
        path.write_text(render(p), encoding="utf-8")
        paths.append(path)
        manifest.append(manifest_entry(p))
    (out_dir / "manifest.json").write_text(
        json.dumps({"seed": seed, "generated": True, "documents": manifest}, ensure_ascii=False,
                   indent=0), encoding="utf-8")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--regions", type=int, default=2)
    parser.add_argument("--departments", type=int, default=5)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=int, default=None, help="stop after this many documents")
    args = parser.parse_args()
    paths = write_corpus(args.out_dir, regions_count=args.regions, departments=args.departments,
                         years=args.years, seed=args.seed, limit=args.limit)
    print(f"{len(paths)} documents in {args.out_dir}")


if __name__ == "__main__":
    main()
