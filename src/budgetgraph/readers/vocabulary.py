"""What titles and headers mean: the aliases by which tables and columns are recognised.

Titles and headers drift between regions and years (部门财务收支预算总表 /
收支总表, 因公出国(境)费用 / 因公出国（境）费), so nothing downstream looks at
a printed string: it looks at the :class:`~budgetgraph.model.TableKind` and the
column keys resolved here. Adding a region's wording means adding an alias here.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from budgetgraph.model import TableKind

_SPACES = re.compile(r"\s+")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "“": '"', "”": '"', "‘": "'", "’": "'", "：": ":"})


def squash(text: str) -> str:
    """Header text without spaces and with half-width brackets and quotes.

    PDF exports split Chinese headers inside words (``上年 结转``,
    ``预算 执行 率权 重``); Chinese has no word spaces, so removing them is safe.
    """
    return _SPACES.sub("", text.translate(_BRACKETS))


# ---------------------------------------------------------------------------
# Table titles. Order matters: the first rule whose words all appear wins, so
# the more specific titles come first.
# ---------------------------------------------------------------------------
_TITLE_RULES: list[tuple[TableKind, tuple[str, ...]]] = [
    (TableKind.PERFORMANCE, ("绩效目标",)),
    (TableKind.PROCUREMENT, ("政府采购",)),
    (TableKind.THREE_PUBLIC, ("三公",)),
    (TableKind.OPERATING_COSTS, ("机关运行经费",)),
    (TableKind.GENERAL_PUBLIC_BASIC, ("一般公共预算", "基本支出")),
    (TableKind.GENERAL_PUBLIC_BASIC, ("基本支出", "经济分类")),
    (TableKind.FISCAL_GRANT_BASIC, ("财政拨款", "基本支出")),
    (TableKind.GOVERNMENT_FUND, ("政府性基金", "支出")),
    (TableKind.STATE_CAPITAL, ("国有资本经营", "支出")),
    (TableKind.FISCAL_SUMMARY, ("财政拨款收入支出",)),
    (TableKind.FISCAL_SUMMARY, ("财政拨款收支",)),
    (TableKind.GENERAL_PUBLIC, ("一般公共预算", "支出")),
    (TableKind.FISCAL_GRANT_EXPENDITURE, ("财政拨款支出",)),
    (TableKind.SUMMARY, ("收入支出",)),
    (TableKind.SUMMARY, ("收支",)),
    (TableKind.INCOME, ("收入",)),
    (TableKind.EXPENDITURE, ("支出",)),
]

_TITLE_NUMBERING = re.compile(
    r"^(?:部门公开表\s*\d+|表\s*\d+|\d+\s*[.．、]|[一二三四五六七八九十]+\s*[、.．])\s*"
)
#: a table's number printed on a line of its own, in any province's style: 公开表1,
#: 部门公开表1, 公开01表, 公开表1-1, 表1, 表1-2, 表一
TABLE_NUMBER_RE = re.compile(
    r"^(?:(?:部门|单位)?公开)?(?:表[\d一二三四五六七八九十]+(?:-\d+)?|\d+(?:-\d+)?表)$")
_LEADER_DOTS = re.compile(r"(?:…|\.{3,}|·{3,}|-{3,})")
_TITLE_QUALIFIER = re.compile(r"\([^()]{1,8}\)$")
_TITLE_TAIL = re.compile(r"(?<=表)(?:\([^()]{1,8}\))?(?:公开表[一二三四五六七八九十\d]+)?"
                         r"(?:部门|部门名称|单位名称)[:：].*单位[:：](?:万元|元)$")
_REFERENCE_WORDS = ("详见", "参见", "见附")


def classify_title(text: str) -> TableKind | None:
    """The table kind a line names, or None when it is not a table title.

    A title ends in 表 (after an optional number such as ``部门公开表3``) and is
    short; table-of-contents entries with leader dots are not titles.
    """
    if _LEADER_DOTS.search(text):
        return None
    # a pipe-ruled export prints the title in the table's first row: 标题 | ||
    title = squash(_TITLE_NUMBERING.sub("", text.strip(" |\t").lstrip("-").strip()))
    # a PDF may set the table's number, owner and unit on the title's line
    # (…预算表（经济科目）公开表六部门：江苏省人大常委会办公厅单位：万元)
    title = _TITLE_TAIL.sub("", title)
    title = _TITLE_QUALIFIER.sub("", title)  # 财政拨款支出预算表（功能科目）
    if not title.endswith("表") or len(title) > 40 or any(c in title for c in "。；;《"):
        return None
    if title.startswith(_REFERENCE_WORDS):  # 详见单位的项目绩效目标表: a pointer, not a title
        return None
    for kind, words in _TITLE_RULES:
        if all(w in title for w in words):
            return kind
    return None


# ---------------------------------------------------------------------------
# Column headers. Each alias maps to what the column means: a value column
# (its canonical key), a label column (code, name), or a group header that
# spans several columns and gives them a period or phase.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HeaderTerm:
    kind: str  # "value", "label", "group"
    key: str
    year_offset: int | None = None  # group: 0 for 本年/this year, -1 for 上年
    phase: str | None = None  # "预算", "调整预算", "决算"


_VALUE_ALIASES: dict[str, tuple[str, ...]] = {
    "合计": ("合计", "总计", "本年收入合计", "本年支出合计"),
    "小计": ("小计",),
    "基本支出": ("基本支出", "其中:基本支出"),
    "项目支出": ("项目支出",),
    "事业单位经营支出": ("事业单位经营支出", "经营支出"),
    "上缴上级支出": ("上缴上级支出",),
    "对附属单位补助支出": ("对附属单位补助支出",),
    "人员经费": ("人员经费", "人员经费支出"),
    "公用经费": ("公用经费", "日常公用经费", "公用经费支出"),
    "一般公共预算": ("一般公共预算", "一般公共预算财政拨款"),
    "政府性基金预算": ("政府性基金预算", "政府性基金预算财政拨款"),
    "国有资本经营预算": ("国有资本经营预算", "国有资本经营预算财政拨款"),
    "上年结转": ("上年结转", "上年结转结余"),
    "年初结转和结余": ("年初结转和结余", "年初结转结余"),
    "本年收入": ("本年收入",),
    "本年支出": ("本年支出",),
    "年末结转和结余": ("年末结转和结余", "年末结转结余", "结转下年资金"),
    "单位预留机动经费": ("单位预留机动经费", "预留机动经费"),
    "财政拨款收入": ("财政拨款收入", "财政拨款"),
    "一般公共预算拨款收入": ("一般公共预算拨款收入", "一般公共预算财政拨款收入"),
    "政府性基金预算拨款收入": ("政府性基金预算拨款收入", "政府性基金预算财政拨款收入"),
    "国有资本经营预算拨款收入": ("国有资本经营预算拨款收入", "国有资本经营预算财政拨款收入"),
    "财政专户管理资金收入": ("财政专户管理资金收入", "财政专户管理资金"),
    "事业收入": ("事业收入",),
    "上级补助收入": ("上级补助收入",),
    "附属单位上缴收入": ("附属单位上缴收入",),
    "事业单位经营收入": ("事业单位经营收入", "经营收入"),
    "其他收入": ("其他收入",),
    "单位资金": ("单位资金",),
    "预算数": ("预算数", "预算金额", "金额"),
    "年初预算数": ("年初预算数", "年初预算"),
    "调整预算数": ("调整预算数", "调整预算"),
    "全年预算数": ("全年预算数",),
    "决算数": ("决算数",),
    "上年决算数": ("上年决算数",),
    "因公出国(境)费": ("因公出国(境)费用", "因公出国(境)费"),
    "公务用车购置及运行费": ("公务用车购置及运行费", "公务用车购置及运行维护费"),
    "公务用车购置费": ("公务用车购置费", "购置费"),
    "公务用车运行费": ("公务用车运行费", "公务用车运行维护费", "运行费", "运行维护费"),
    "公务接待费": ("公务接待费", "公务接待费支出"),
    "机关运行经费": ("机关运行经费预算数", "机关运行经费"),
}

_LABEL_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("科目编码", "功能分类科目编码", "经济分类科目编码", "编码", "类", "款", "项",
             "部门预算经济分类科目编码", "支出功能分类科目编码", "科目代码", "功能科目代码",
             "经济科目代码", "功能科目编码", "经济科目编码"),
    "name": (
        "科目名称", "功能分类科目名称", "经济分类科目名称", "项目(按功能分类)", "项目",
        "预算单位", "单位名称", "单位", "部门预算经济分类科目", "支出功能分类科目",
        "支出经济分类科目", "功能分类科目", "经济分类科目", "收入", "支出",
        "财政拨款收入", "财政拨款支出", "行次", "部门经济分类科目名称", "支出功能分类",
        "功能科目名称", "经济科目名称", "项目名称",
    ),
}

#: Group headers: they say which period or budget source the columns under them hold.
_GROUP_PATTERNS: list[tuple[re.Pattern[str], HeaderTerm]] = [
    (re.compile(r"上年预算数"), HeaderTerm("group", "上年", -1, "预算")),
    (re.compile(r"上年决算数"), HeaderTerm("group", "上年", -1, "决算")),
    (re.compile(r"\d{4}年(?:\"三公\")?(?:经费)?预算数"), HeaderTerm("group", "本年", 0, "预算")),
    (re.compile(r"\d{4}年(?:\"三公\")?(?:经费)?决算数"), HeaderTerm("group", "本年", 0, "决算")),
    (re.compile(r"本年预算数"), HeaderTerm("group", "本年", 0, "预算")),
    (re.compile(r"\d{4}年基本支出"), HeaderTerm("group", "基本支出", 0, None)),
    (re.compile(r"(?:一般公共预算|政府性基金预算|国有资本经营预算)(?:基本)?支出"),
     HeaderTerm("group", "fund", None, None)),
    (re.compile(r"(?:收入|支出)预算|预算(?:收入|支出)"), HeaderTerm("group", "budget", None, None)),
]


def header_term(cell: str) -> HeaderTerm | None:
    """What one header cell (already squashed) means, if anything we know."""
    text = squash(cell).strip(":")
    if not text:
        return None
    # a value alias that fills the whole cell wins over a group reading
    for key, aliases in _VALUE_ALIASES.items():
        if text in aliases:
            return HeaderTerm("value", key)
    if "机关运行经费" in text:  # "2024年机关运行经费预算数": a measure with a period
        return HeaderTerm("value", "机关运行经费", 0, "预算")
    for label, aliases in _LABEL_ALIASES.items():
        if text in aliases:
            return HeaderTerm("label", label)
    for pattern, term in _GROUP_PATTERNS:
        if pattern.fullmatch(text):
            return term
    if text.startswith("其中:"):
        return header_term(text.removeprefix("其中:"))
    return None


def _scanner() -> re.Pattern[str]:
    """One alternation of every header word, longest first, for reading-order scans."""
    words: list[str] = []
    for aliases in (*_VALUE_ALIASES.values(), *_LABEL_ALIASES.values()):
        words.extend(aliases)
    literal = sorted(set(words), key=len, reverse=True)
    groups = [p.pattern for p, _ in _GROUP_PATTERNS]
    return re.compile("|".join([r"\d{4}年机关运行经费预算数", *groups, *map(re.escape, literal)]))


_SCANNER = _scanner()


def scan_header(text: str) -> list[tuple[str, HeaderTerm]]:
    """Header terms in reading order in a run of header text whose cells are lost.

    Used where an export drops blank cells, so header cells cannot be matched to
    data cells by position: the terms are found by longest match in the
    squashed text instead.
    """
    found: list[tuple[str, HeaderTerm]] = []
    for match in _SCANNER.finditer(squash(text)):
        term = header_term(match.group())
        if term is not None:
            found.append((match.group(), term))
    return found


def header_terms(lines: list[list[str]], *,
                 floating: set[str] | None = None) -> list[tuple[str, HeaderTerm]]:
    """Header terms in reading order in the words of header lines whose cells are lost.

    Words are joined where together they make one term (a header broken inside a
    word: ``预算 执行 率权 重``), longest first; a word that is no term and joins
    none is scanned for terms inside it (``功能分类科目名称合计``). A word left
    over at the end of a line may join one left over on the next line (a cell
    wrapped onto two lines: ``附属单位`` / ``上缴收入``); the term then stands
    where its first half did.

    Where cells wrap inside words and come one after another (``本年收入合`` /
    ``计`` / ``财政拨款收`` / ``入`` …: one cell's lines, then the next cell's),
    the header's words run on: the whole header read as one string finds more
    terms, and is taken instead.
    """
    lines = _unstack(lines, floating if floating is not None else set())
    by_line = _terms_by_line(lines)
    text = "".join(squash(part) for parts in lines for part in parts)
    run_on = scan_header(text)

    def covered(terms: list[tuple[str, HeaderTerm]]) -> int:
        return sum(len(squash(word)) for word, _ in terms)

    if covered(by_line) < len(text) and covered(run_on) > covered(by_line):
        return run_on
    return by_line


def _unstack(lines: list[list[str]], floating: set[str]) -> list[list[str]]:
    """Header cells wrapped in place, read line by line: their pieces stand stacked.

    ``一般公共 政府性基 国有资本`` / ``… 合计 预算财政 金预算财 经营预算`` /
    ``拨款 政拨款 财政拨款``: the last *k* words of two or three lines (a line
    of other cells may stand between them), read down each column, are *k*
    header terms where none of the top pieces is a term alone. They are joined
    and put in the widest of those lines, where its pieces stood; the other
    lines lose theirs. A lone stack (one term) whose pieces stand around other
    lines says nothing of where it stands among the other cells: it goes into
    ``floating``.
    """
    lines = [list(parts) for parts in lines]
    windows = [w for size in (3, 2) for w in itertools.combinations(range(len(lines)), size)
               if w[-1] - w[0] <= 4]
    for window in windows:
        rows = [lines[i] for i in window]
        width = min(len(parts) for parts in rows)
        for k in range(width, 0, -1):
            pieces = [parts[len(parts) - k:] for parts in rows]
            joined = ["".join(column) for column in zip(*pieces, strict=True)]
            terms = [header_term(word) for word in joined]
            if all(t is not None and t.kind == "value" for t in terms) \
                    and not any(header_term(word) is not None for word in pieces[0]):
                widest = max(range(len(rows)), key=lambda i: len(rows[i]))
                for i, parts in enumerate(rows):
                    del parts[len(parts) - k:]
                    if i == widest:
                        parts.extend(joined)
                if k == 1 and window[-1] - window[0] >= len(window):
                    floating.update(joined)  # stacked around other lines: place unknown
                break
    return [parts for parts in lines if parts]


def _terms_by_line(lines: list[list[str]]) -> list[tuple[str, HeaderTerm]]:
    found: list[tuple[str, HeaderTerm] | str] = []
    for parts in lines:
        index = 0
        while index < len(parts):
            for end in range(min(len(parts), index + 4), index, -1):
                joined = "".join(parts[index:end])
                term = header_term(joined)
                if term is not None:
                    found.append((joined, term))
                    index = end
                    break
            else:
                inside = scan_header(parts[index])
                found.extend(inside if inside else [parts[index]])
                index += 1
    leftovers = [i for i, item in enumerate(found) if isinstance(item, str)]
    start = 0
    while start < len(leftovers):
        for end in range(min(len(leftovers), start + 4), start + 1, -1):
            run = leftovers[start:end]
            joined = "".join(str(found[i]) for i in run)
            term = header_term(joined)
            if term is not None:
                found[run[0]] = (joined, term)
                for i in run[1:]:
                    found[i] = ""
                start = end
                break
        else:
            start += 1
    return [item for item in found if not isinstance(item, str)]


# ---------------------------------------------------------------------------
# The 28 functional 类 of 2024 (table 1 lists them by name, without codes).
# ---------------------------------------------------------------------------
FUNCTIONAL_CLASSES: dict[str, str] = {
    "一般公共服务支出": "201", "外交支出": "202", "国防支出": "203", "公共安全支出": "204",
    "教育支出": "205", "科学技术支出": "206", "文化旅游体育与传媒支出": "207",
    "社会保障和就业支出": "208", "卫生健康支出": "210", "节能环保支出": "211",
    "城乡社区支出": "212", "农林水支出": "213", "交通运输支出": "214",
    "资源勘探工业信息等支出": "215", "商业服务业等支出": "216", "金融支出": "217",
    "援助其他地区支出": "219", "自然资源海洋气象等支出": "220", "住房保障支出": "221",
    "粮油物资储备支出": "222", "国有资本经营预算支出": "223",
    "灾害防治及应急管理支出": "224", "预备费": "227", "其他支出": "229",
    "转移性支出": "230", "债务还本支出": "231", "债务付息支出": "232",
    "债务发行费用支出": "233",
    # the same classes under their names before the 2018/2019 revisions
    "文化体育与传媒支出": "207", "医疗卫生与计划生育支出": "210",
    "资源勘探信息等支出": "215", "国土海洋气象等支出": "220",
}

_ITEM_NUMBERING = re.compile(
    r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]\s*[、.．]?|[一二三四五六七八九十\d]+\s*[、.．])\s*"
)


def strip_numbering(name: str) -> str:
    """``八. 社会保障和就业支出`` / ``(八) …`` / ``1. …`` → the bare name."""
    return _ITEM_NUMBERING.sub("", name).strip()


def functional_class_code(name: str) -> str | None:
    """The 类 code of a table-1 row named by its class (no code is printed there)."""
    return FUNCTIONAL_CLASSES.get(squash(strip_numbering(name)))


#: Regions by GB/T 2260 code, for the names that begin departments' names. Partial:
#: a region not listed leaves ``Disclosure.region_code`` empty, with a warning.
REGIONS: dict[str, str] = {
    "青海省": "630000", "海东市": "630200", "互助土族自治县": "630223", "互助县": "630223",
    "上海市": "310000", "上海市普陀区": "310107", "普陀区": "310107",
}


def register_region(name: str, code: str) -> None:
    """Teach the reader a region whose name begins departments' names (GB/T 2260)."""
    REGIONS[name] = code
