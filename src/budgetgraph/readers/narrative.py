"""Read the figures the narrative states (情况说明, 编制说明, 其他相关情况说明).

The narrative restates totals, shares, changes against last year and, item by
item, the functional codes of the tables; it also carries figures no table has
(机关运行经费, 政府采购, vehicles, performance targets). Each figure becomes a
:class:`~budgetgraph.model.Statement`, and every numeric token of the lines read
is accounted for in the :class:`~budgetgraph.readers.lines.Ledger`: a figure, a
structural number (year, date, list number, code, threshold), or unread with the
reason why.

Sentences wrap over lines (and, in some exports, over blank lines), so lines are
first joined into paragraphs with a map from each character back to its line;
a figure's :class:`~budgetgraph.model.SourceRef` is the line where the number
itself is printed. Paragraphs are then read token by token, left to right: the
words just before a number (its *label*) say what it is, the words just after
(its *unit*) say what kind of number it is. What the words mean is data: the
tables :data:`TOPICS`, :data:`EXPLANATION_TOPICS`, :data:`UNITS`,
:data:`NONE_TOPICS` and the regular
expressions below, so another region's wording is a new row, not new code.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from budgetgraph.model import Statement
from budgetgraph.readers.lines import NUMBER_RE, PAGE_MARKER_RE, Ledger, Line

__all__ = [
    "EXPLANATION_TOPICS", "NONE_TOPICS", "TOPICS", "UNITS", "Topic", "load_codes",
    "read_statements",
]


@dataclass(frozen=True)
class Topic:
    """A canonical topic and the words that name it in a label.

    ``qualify_children`` makes the items listed after 其中 carry the parent's
    topic (车辆：其他用车), because the same category names are listed for
    vehicles held and vehicles to be bought. ``qualifier`` finds a word earlier
    in the clause that completes a bare topic (一般公共预算 + 上年结转).
    """

    name: str
    pattern: re.Pattern[str]
    qualify_children: bool = False
    qualifier: re.Pattern[str] | None = None


def _topic(name: str, regex: str, *, qualify_children: bool = False,
           qualifier: str | None = None) -> Topic:
    return Topic(name, re.compile(regex), qualify_children,
                 re.compile(qualifier) if qualifier else None)


#: Topics in priority order: the first whose pattern occurs in a label wins, so
#: specific names (公务接待费, 中小企业预留) come before the words they contain
#: (三公, 政府采购) and before the generic totals (收入预算, 支出预算).
TOPICS: tuple[Topic, ...] = (
    _topic("绩效目标", r"绩效"),
    _topic("因公出国(境)费", r"因公出国[（(]境[）)]费?"),
    _topic("公务用车购置及运行费", r"公务用车购置及运行(?:维护)?费"),
    _topic("公务用车购置费", r"公务用车购置费?"),
    _topic("公务用车运行费", r"公务用车运行(?:维护)?费"),
    _topic("公务接待费", r"公务接待费"),
    _topic("三公经费", r"三公"),
    _topic("机关运行经费", r"机关运行经费"),
    _topic("会议费", r"会议费"),  # printed beside 三公 in Jiangsu's 三公 table
    _topic("培训费", r"培训费"),
    _topic("政府采购预留小微企业", r"小型和?微型企业|小微企业"),
    _topic("政府采购预留中小企业", r"中小企业"),
    _topic("政府采购货物", r"政府采购货物|货物类?(?:采购)?预算"),
    _topic("政府采购工程", r"政府采购工程|工程类?(?:采购)?预算"),
    _topic("政府采购服务", r"政府采购服务|服务类?(?:采购)?预算"),
    _topic("政府采购", r"政府采购"),
    _topic("设备购置", r"购置[^，；。]*?设备"),
    _topic("设备", r"设备"),
    _topic("车辆购置", r"购置[^，；。]*?车辆|车辆购置", qualify_children=True),
    _topic("车辆", r"车辆", qualify_children=True),
    _topic("人员经费", r"人员经费"),
    _topic("公用经费", r"公用经费"),
    _topic("财政拨款基本支出", r"财政拨款基本支出"),
    _topic("一般公共预算基本支出", r"一般公共预算(?:财政拨款)?基本支出"),
    _topic("基本支出", r"基本支出"),
    _topic("项目支出", r"项目支出"),
    _topic("上年结转", r"上年结转(?:结余)?",
           qualifier=r"一般公共预算|政府性基金(?:预算)?|国有资本经营(?:预算)?"),
    _topic("一般公共预算拨款收入", r"一般公共预算(?:当年)?(?:财政)?拨款收入"),
    _topic("政府性基金预算拨款收入", r"政府性基金(?:预算)?(?:当年)?(?:财政)?拨款收入"),
    _topic("国有资本经营预算拨款收入", r"国有资本经营(?:预算)?(?:当年)?(?:财政)?拨款收入"),
    _topic("财政拨款收入", r"财政拨款收入"),
    _topic("事业单位经营收入", r"事业单位经营收入"),
    _topic("事业收入", r"事业收入"),
    _topic("其他收入", r"其他收入"),
    _topic("一般公共预算拨款支出", r"一般公共预算(?:当年)?(?:财政)?拨款支出"),
    _topic("政府性基金预算拨款支出", r"政府性基金(?:预算)?(?:当年)?(?:财政)?拨款支出"),
    _topic("国有资本经营预算拨款支出", r"国有资本经营(?:预算)?(?:当年)?(?:财政)?拨款支出"),
    _topic("财政拨款支出", r"财政拨款支出"),
    _topic("财政拨款收支", r"财政拨款收支"),
    _topic("一般公共预算拨款", r"一般公共预算(?:当年)?(?:财政)?拨款"),
    _topic("收支总预算", r"收支总预算|收支预算总"),
    _topic("收入预算", r"收入(?:总)?预算|收入总计|收入合计"),
    _topic("支出预算", r"支出(?:总)?预算|支出总计|支出合计"),
)

#: What a figure inside an explanation is, by its label; otherwise the
#: explanation's own topic (原因说明, 用途说明).
EXPLANATION_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(regex)) for name, regex in (
        ("执行数", r"执行数|决算数"),
        ("结余", r"剩余|结余|结转"),
        ("追加预算", r"追加"),
    )
)

#: Statements of zero made in words (无政府采购预算, 没有使用政府性基金…).
NONE_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(regex)) for name, regex in (
        ("政府采购", r"(?:无|没有)(?:安排)?政府采购"),
        ("政府性基金预算支出", r"(?:无|没有)(?:使用|安排)?政府性基金"),
        ("国有资本经营预算支出", r"(?:无|没有)(?:使用|安排)?国有资本经营"),
        ("三公经费", r"(?:无|没有)(?:安排)?[“\"]?三公"),
        ("机关运行经费", r"(?:无|没有)(?:安排)?机关运行经费"),
    )
)

#: What the word after a number makes of it: ``money`` (万元/元), ``percent``,
#: ``count`` (an integer of things), ``measure`` (a physical quantity, kept as a
#: statement in its unit) or ``description`` (a rating or duration that
#: describes a project and is not a budget figure). Longest unit first.
UNITS: tuple[tuple[str, str, str], ...] = (
    # (kind, printed unit pattern, unit recorded)
    ("money", r"亿元", "亿元"),
    ("money", r"万元", "万元"),
    ("money", r"元", "元"),
    ("money", r"万(?![\u4e00-\u9fff])", "万元"),  # "追加了此项预算292万，": 万 for 万元
    ("percent", r"[%％]", "%"),
    ("count", r"台[（(]套[）)]", "台（套）"),
    ("count", r"辆", "辆"),
    ("count", r"个(?!月)", "个"),
    ("count", r"家", "家"),
    ("count", r"[台套]", ""),
    ("count", r"批次|人次", ""),
    ("count", r"[人名]", ""),
    ("count", r"项(?![）)目])", "项"),
    ("measure", r"平方米|平方公里|立方米|公里|千米|米|吨|层", ""),
    ("measure", r"分(?![别类配之钟])", "分"),  # 平均得分99.43分: a performance score
    ("description", r"个月|年|度|天|小时|周岁|岁|倍", ""),
)
_UNIT_RES = tuple((kind, re.compile(r"\s*(?:" + regex + ")"), unit) for kind, regex, unit in UNITS)

_CJK = "\u4e00-\u9fff"
#: Where a paragraph cannot continue: a heading or list marker opens a new one.
_MARKER_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]+部分)"
)
_HEADING_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])"
)
_TERMINAL = tuple("。；！？：;:!?")
_FIGURE_IN_LINE_RE = re.compile(r"\d\s*(?:亿元|万元|元|万|[%％]|辆|个|台|家)")

#: Clause delimiters: a label never reaches back across one.
_DELIMITERS = "，；：。、,;:！？!?"
_SENTENCE_END = "。！？!?"

#: 比上年增加 / 较上年减少 / 同比下降 / 增幅为: a change (money) or a growth rate (%).
_DIRECTION_RE = re.compile(r"(增加|增长|上升|提高|减少|下降|降低|增幅|降幅)(?:了|为|率为?)?\s*$")
_NEGATIVE = frozenset({"减少", "下降", "降低", "降幅"})
_COMPARISON_RE = re.compile(r"(?:同比|比|较|与)")
#: 上年预算数为 / 2023年当年预算执行数为: last year's figure, stated.
_PREVIOUS_RE = re.compile(
    r"(?:上年|上一年度?|去年|(?P<year>\d{4})年度?)(?:当年)?[^，；。]*?"
    r"(?:预算数|执行数|决算数|预算|支出|数)(?:为|是)?\s*$"
)
#: 2024年预算安排 / 预算金额 / 涉及项目: words that name no subject of their own, so
#: the amount restates the statement being read or takes the sentence's subject.
_GENERIC_RE = re.compile(
    r"^(?:涉及|共有|共计|合计|总计|安排)?(?:当年|本年|今年)?(?:项目)?(?:预算)?"
    r"(?:安排|数|金额|资金)?(?:为|是)?$"
)
#: 持平 / 与上年预算数一致: a change of zero.
_FLAT_RE = re.compile(
    r"(?:与|比|较|同)(?:上年|上一年度?|去年|\d{4}年)[^，；。]{0,12}?"
    r"(?:一致|持平|相同|相当|无变化|不变)|(?<![" + _CJK + r"])持平"
)
#: The clause after these words explains; its figures are not the item's own.
_EXPLANATIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("用途说明", re.compile(r"主要用于|用于")),
    ("原因说明", re.compile(r"主要(?:原因)?(?:是|为|系|在于)|原因(?:是|为|主要是|系)"
                        r"|主要(?:由于|因为)|由于")),
)
#: 其中 / 主要包括: the figures that follow are parts of the one before.
_PARTS_RE = re.compile(r"其中|(?:主要)?包括|分别为|分别是")
#: Parent topics whose parts are economic classification items (基本工资 …).
_ECONOMIC_PARENTS = frozenset({"人员经费", "公用经费", "基本支出"})

#: 社会保障和就业支出208（类）…01（款）…09（项）, or the names alone.
_ITEM_RE = re.compile(
    r"(?P<n1>[" + _CJK + r"]+)\s*(?P<c1>\d{3})?\s*[（(]类[）)](?P<s1>支出)?"
    r"(?:(?P<n2>[^，。；“”]*?)\s*(?P<c2>\d{2})?\s*[（(]款[）)]"
    r"(?:(?P<n3>[^，。；“”]*?)\s*(?P<c3>\d{2})?\s*[（(]项[）)])?)?"
)
_LEVEL_MARK_RE = re.compile(r"^\s*[（(][类款项][）)]")
#: （204类） / （06款）: a code printed inside its level mark.
_LEVEL_CODE_RE = re.compile(r"[（(](\d{2,3})([类款项])[）)]")
#: 完成年初预算的 / 完成全年预算数的 / 完成预算的: an execution rate (决算 / 预算).
_EXECUTION_RE = re.compile(r"(?:完成(?:年初|全年|调整)?预算(?:数)?的?|较年初完成)\s*$")
#: 下降（增长）27.78%: both directions printed, the template's choice left unmade.
_OPEN_DIRECTION_RE = re.compile(r"(?:增加|增长|减少|下降)[（(](?:增加|增长|减少|下降)[）)]\s*$")
#: 2080501行政单位离退休 / 30101基本工资: a code printed before the name.
_CODE_RE = re.compile(
    r"(?<![\d.,])(?P<code>[23]\d{2}(?:\d{2}){0,2})(?![\d.,])(?=\s*[" + _CJK + r"])"
)
_IDENTIFIER_BEFORE_RE = re.compile(r"[A-Za-z]-?$")
_THRESHOLD_AFTER_RE = re.compile(r"^\s*万?元\s*(?:[（(]含[）)])?\s*(?:以上|以下)")
_NOUN_AFTER_RE = re.compile(r"^[" + _CJK + r"]{0,6}?(?:单位|机关|项目|企业|部门|人员)")
_LABEL_LEAD_RE = re.compile(
    r"^[\s\d.、．“”\"'（）()：:，,]*(?:其中|主要包括|包括|分别为|分别是|即|含)?[\s：:，,“”]*"
)
_LABEL_YEAR_RE = re.compile(r"截至[^，；。]*?(?:底|末|日)|\d{4}年度?")
_LABEL_TAIL_RE = re.compile(r"(?:约|共|合计|总计|共计)?(?:为|是|达到?|计)?的?$")


def load_codes(path: Path, *, level: int | None = None) -> dict[str, str]:
    """Name → code from a code-list CSV (``code,name,parent_code,level,…``).

    Names printed twice with different codes (行政运行 under many 款) are left
    out: a name links to a code only where the list makes it unambiguous.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle)
                if level is None or r.get("level") == str(level)]
    counts = Counter(r["name"] for r in rows)
    return {r["name"]: r["code"] for r in rows if counts[r["name"]] == 1}


@dataclass
class _Paragraph:
    """Lines joined into one text, with the way back from offsets to lines."""

    text: str
    starts: list[int]
    lines: list[Line]

    def locate(self, offset: int) -> Line:
        return self.lines[bisect_right(self.starts, offset) - 1]

    def sentence(self, offset: int) -> str:
        start = max(self.text.rfind(c, 0, offset) for c in _SENTENCE_END) + 1
        ends = [i for c in _SENTENCE_END if (i := self.text.find(c, offset)) >= 0]
        end = min(ends) + 1 if ends else len(self.text)
        return self.text[start:end].strip()


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    line: Line

    @property
    def number(self) -> Decimal:
        return Decimal(self.text.replace(",", ""))


def _paragraphs(lines: list[Line], ledger: Ledger) -> list[_Paragraph]:
    """Join wrapped lines into paragraphs, each with its line map.

    A paragraph ends before a heading or list marker, after a heading, and at a
    blank line that follows final punctuation. Other blank lines do not end one
    (some exports put a blank line inside a wrapped sentence), nor does the end
    of a line (an item's sentences run on over several lines), nor a page break:
    page markers are skipped and recorded as structure.
    """
    paragraphs: list[_Paragraph] = []
    parts: list[Line] = []
    blank = page_break = False

    def close() -> None:
        if parts:
            starts, offset = [], 0
            for part in parts:
                starts.append(offset)
                offset += len(part.text)
            paragraphs.append(_Paragraph("".join(p.text for p in parts), starts, list(parts)))
            parts.clear()

    for line in lines:
        if PAGE_MARKER_RE.match(line.text):
            ledger.line_structural(line, "page marker")
            page_break = True
            continue
        if line.is_blank:
            blank = True
            continue
        ended = bool(parts) and parts[-1].text.strip().endswith(_TERMINAL)
        if _MARKER_RE.match(line.text) or (blank and ended and not page_break):
            close()
        blank = page_break = False
        parts.append(line)
        stripped = line.text.strip()
        if _HEADING_RE.match(stripped) and not _FIGURE_IN_LINE_RE.search(stripped):
            close()
    close()
    return paragraphs


def _label_start(text: str, offset: int, floor: int) -> int:
    return max(floor, max(text.rfind(c, 0, offset) for c in _DELIMITERS) + 1)


def _clean_label(label: str) -> str:
    """The name in a label: without list numbers, 其中, years, 截至… and 为/的."""
    text = _LABEL_YEAR_RE.sub("", label)
    text = _LABEL_LEAD_RE.sub("", text).strip().strip("“”\"")
    return _LABEL_TAIL_RE.sub("", text).strip()


def _sentence_before(para: _Paragraph, offset: int) -> str:
    return re.split(r"[。！？!?]", para.text[:offset])[-1]


def _find_topic(label: str) -> Topic | None:
    return next((t for t in TOPICS if t.pattern.search(label)), None)


@dataclass
class _State:
    """What the reader knows while it walks one paragraph."""

    current: Statement | None = None
    parent: Statement | None = None
    explanation: str | None = None
    pending_previous: Decimal | None = None
    mention_end: int = 0


@dataclass
class _Reader:
    ledger: Ledger
    file: str
    year: int
    economic_codes: Mapping[str, str]
    functional_codes: Mapping[str, str]
    statements: list[Statement] = field(default_factory=list)

    # -- paragraph walk -------------------------------------------------------

    def paragraph(self, para: _Paragraph) -> None:
        tokens = [
            _Token(start + m.start(), start + m.end(), m.group(), line)
            for start, line in zip(para.starts, para.lines, strict=True)
            for m in NUMBER_RE.finditer(line.text)
        ]
        events = self._events(para)
        state = _State()
        position = 0
        for token in tokens:
            position = self._apply_events(events, position, token.start, state)
            self._token(token, para, state)
        self._apply_events(events, position, len(para.text) + 1, state)
        self._none_statements(para)

    @staticmethod
    def _events(para: _Paragraph) -> list[tuple[int, str]]:
        """Sentence ends, clause ends, explanations, parts and 持平, by position."""
        found: list[tuple[int, str]] = []
        for i, char in enumerate(para.text):
            if char in _SENTENCE_END:
                found.append((i, "end"))
            elif char in "；;":
                found.append((i, "clause"))
        for name, pattern in _EXPLANATIONS:
            found.extend((m.end(), f"why:{name}") for m in pattern.finditer(para.text))
        found.extend((m.end(), "parts") for m in _PARTS_RE.finditer(para.text))
        found.extend((m.end(), "flat") for m in _FLAT_RE.finditer(para.text))
        return sorted(found)

    @staticmethod
    def _apply_events(events: list[tuple[int, str]], index: int, upto: int,
                      state: _State) -> int:
        while index < len(events) and events[index][0] <= upto:
            kind = events[index][1]
            index += 1
            if kind == "end":
                state.parent = state.explanation = None
            elif kind == "clause":
                state.explanation = None
            elif kind.startswith("why:"):
                if state.explanation is None:
                    state.explanation = kind[4:]
            elif kind == "parts":
                state.parent = state.current
            elif kind == "flat" and state.explanation is None:
                current = state.current
                if current is not None and current.change is None:
                    current.change = Decimal(0)
        return index

    # -- one number -----------------------------------------------------------

    def _token(self, token: _Token, para: _Paragraph, state: _State) -> None:
        text, line = para.text, token.line
        before, after = text[: token.start], text[token.end:]
        digits = token.text.lstrip("-")
        if _LEVEL_MARK_RE.match(after) or _IDENTIFIER_BEFORE_RE.search(before):
            self.ledger.structural(line, token.text, "code")
            return
        if _CODE_RE.match(text, token.start) and not any(p.match(after) for _, p, _ in _UNIT_RES):
            self.ledger.structural(line, token.text, "code")
            return
        if _LEVEL_CODE_RE.search(before[-1:] + token.text + after[:3]):
            # 司法（06款）: the 款 or 项 part of a code printed inside its level mark
            self.ledger.structural(line, token.text, "code")
            return
        if re.match(r"\s*全?年", after) and len(digits) == 4 and digits.isdigit() \
                and 1900 <= int(digits) <= 2100:
            self.ledger.structural(line, token.text, "year")
            return
        if re.search(r"[【\[〔]\s*$", before) or re.match(r"\s*号", after):
            # 沪府规【2016】168号: a document number
            self.ledger.structural(line, token.text, "code")
            return
        if re.match(r"\s*(?:月|日)", after) or (
                re.fullmatch(r"20\d\d\.\d{1,2}", token.text) and re.match(r"\.\d{1,2}", after)):
            # 2025年1月1日, or 2025.1.1-2025.12.31 (a period, year.month.day)
            self.ledger.structural(line, token.text, "date")
            return
        if re.match(r"\s*[、.．](?!\d)", after) and re.search(r"(?:^|[\s：:；;。，,])\s*$", before):
            self.ledger.structural(line, token.text, "list number")
            return
        if re.search(r"[（(]\s*$", before) and re.match(r"\s*[）)]", after):
            self.ledger.structural(line, token.text, "list number")
            return
        if _THRESHOLD_AFTER_RE.match(after):
            # 单价50万元以上通用设备: part of a category's name, not an amount
            self.ledger.structural(line, token.text, "threshold")
            return
        for kind, pattern, unit in _UNIT_RES:
            match = pattern.match(after)
            if match:
                end = token.end + match.end()
                printed = unit or match.group().strip()
                self._mention(token, kind, printed, end, para, state)
                state.mention_end = end
                return
        label = text[_label_start(text, token.start, state.mention_end): token.start]
        if _DIRECTION_RE.search(label):
            # 增长13.95。: a change printed without its % or 万元
            self.ledger.unread(line, token.text, "change against last year printed without a "
                               "unit (% or 万元): cannot tell a rate from an amount")
            return
        if token.number == 0 and re.search(r"为\s*$", before) and re.match(r"\s*[；;。，,]", after):
            # 政府性基金拨款支出预算为0；: a stated zero needs no unit
            self._value(token, "万元", label, para.sentence(token.start), para, state,
                        token.start - len(label))
            return
        self.ledger.unread(line, token.text, "number without a unit in a narrative sentence")

    def _mention(self, token: _Token, kind: str, unit: str, end: int, para: _Paragraph,
                 state: _State) -> None:
        start = _label_start(para.text, token.start, state.mention_end)
        # 公共安全支出（204类）司法（06款）: codes inside the level marks, as 204（类）
        label = _LEVEL_CODE_RE.sub(r"\1（\2）", para.text[start: token.start])
        sentence = para.sentence(token.start)
        if state.explanation is not None and kind == "money" and _ITEM_RE.search(label):
            # 主要用于以下方面：一般公共服务支出（类）2106.66万元: a breakdown by item
            state.explanation = None
        if kind == "description":
            self.ledger.unread(token.line, token.text,
                               "project description measure, not a budget figure")
        elif state.explanation is not None:
            self._explanation(token, kind, unit, label, sentence, state)
        elif kind == "percent":
            self._percent(token, label, sentence, state)
        elif kind == "money":
            self._money(token, unit, label, sentence, para, state, start)
        elif kind == "count":
            self._count(token, unit, label, sentence, para, state, end, start)
        else:
            resolved = self._resolve(label, para, state, start)
            if resolved is None:
                self.ledger.unread(token.line, token.text, "measure without a subject")
            else:
                self._new(token, resolved[0], sentence, state, value=token.number, unit=unit)

    def _explanation(self, token: _Token, kind: str, unit: str, label: str, sentence: str,
                     state: _State) -> None:
        """A figure in a 主要是… clause: kept, under what the clause is, with the item's code."""
        if kind == "percent":
            self.ledger.unread(token.line, token.text, "percentage inside an explanation")
            return
        topic = next((name for name, pattern in EXPLANATION_TOPICS if pattern.search(label)),
                     state.explanation or "原因说明")
        code = state.current.code if state.current else None
        statement = Statement(topic, sentence, token.line.ref(self.file), code=code)
        if kind == "count" and "." not in token.text:
            statement.count, statement.unit = int(token.number), unit
        else:
            statement.value, statement.unit = token.number, unit
        self.statements.append(statement)
        self.ledger.figure(token.line, token.text)

    def _percent(self, token: _Token, label: str, sentence: str, state: _State) -> None:
        current = state.current
        direction = _DIRECTION_RE.search(label)
        if current is None:
            self.ledger.unread(token.line, token.text, "percentage without a subject")
        elif "占" in label and not direction:
            current.share = token.number
            self.ledger.figure(token.line, token.text)
        elif _EXECUTION_RE.search(label):
            # 支出决算为9746.50万元，完成年初预算的95.45%: a statement of its own,
            # beside the amount it qualifies (same code, same sentence)
            self.statements.append(Statement("预算完成率", sentence, token.line.ref(self.file),
                                             value=token.number, unit="%", code=current.code))
            self.ledger.figure(token.line, token.text)
        elif direction and current.growth_rate is None:
            sign = -1 if direction.group(1) in _NEGATIVE else 1
            current.growth_rate = sign * token.number
            self.ledger.figure(token.line, token.text)
        elif _OPEN_DIRECTION_RE.search(label):
            self.ledger.unread(token.line, token.text, "growth rate whose direction the source "
                               "leaves open (下降（增长）)")
        else:
            self.ledger.unread(token.line, token.text,
                               "percentage that is neither a share (占) nor a growth rate")

    def _money(self, token: _Token, unit: str, label: str, sentence: str, para: _Paragraph,
               state: _State, label_start: int) -> None:
        """An amount: a change, last year's figure, a restatement, or a statement of its own."""
        current = state.current
        direction = _DIRECTION_RE.search(label)
        if direction:
            self._change(token, unit, label, direction, sentence, para, state, label_start)
            return
        if _ITEM_RE.search(label) or _CODE_RE.search(label):
            self._value(token, unit, label, sentence, para, state, label_start)
            return
        previous = _PREVIOUS_RE.search(label)
        if previous and (previous["year"] is None or int(previous["year"]) == self.year - 1):
            subject = _find_topic(label[: previous.start()])
            if current is not None and current.value is not None and \
                    (subject is None or subject.name == current.topic):
                current.previous, current.previous_derived = token.number, False
            else:  # 上年预算数为…，本年预算数为…: last year's figure comes first
                state.pending_previous = token.number
            self.ledger.figure(token.line, token.text)
            return
        if current is not None and _find_topic(label) is None:
            context = _find_topic(_sentence_before(para, label_start))
            if context is None or context.name == current.topic:
                if current.value is None and current.count is not None:
                    # 涉及项目6个，预算金额1,143.44万元: the amount of what was counted
                    current.value, current.unit = token.number, unit
                    self.ledger.figure(token.line, token.text)
                    return
                if _GENERIC_RE.match(_clean_label(label)) and current.value is not None:
                    self._restated(token, current, state.parent)
                    return
        self._value(token, unit, label, sentence, para, state, label_start)

    def _restated(self, token: _Token, current: Statement, parent: Statement | None) -> None:
        """预算安排25.77万元 after the item's 25.77万元: consumed, or flagged if it differs.

        After 其中 the parts are listed and ``合计1170.00万`` closes the list: it
        restates the whole (项目总预算1170.00万), not the last part.
        """
        if current.value == token.number or (parent is not None and parent.value == token.number):
            self.ledger.figure(token.line, token.text)
        else:
            self.ledger.unread(token.line, token.text,
                               f"restated amount {token.text} differs from the amount "
                               f"{current.value} first stated for {current.topic}")

    def _change(self, token: _Token, unit: str, label: str, direction: re.Match[str],
                sentence: str, para: _Paragraph, state: _State, label_start: int) -> None:
        sign = -1 if direction.group(1) in _NEGATIVE else 1
        subject_text = _COMPARISON_RE.split(label[: direction.start()], maxsplit=1)[0]
        subject = self._resolve(subject_text, para, state, label_start) \
            if _find_topic(subject_text) or _ITEM_RE.search(subject_text) else None
        current = state.current
        if subject is None and current is not None:
            subject = (current.topic, current.code)
            if current.change is None:
                current.change = sign * token.number
                self.ledger.figure(token.line, token.text)
                return
        if subject is not None:
            topic, code = subject
            statement = Statement(topic, sentence, token.line.ref(self.file), unit=unit,
                                  code=code, change=sign * token.number)
            self.statements.append(statement)
            state.current = statement
            self.ledger.figure(token.line, token.text)
        else:
            self.ledger.unread(token.line, token.text, "change against last year without a subject")

    def _value(self, token: _Token, unit: str, label: str, sentence: str, para: _Paragraph,
               state: _State, label_start: int) -> None:
        resolved = self._resolve(label, para, state, label_start)
        if resolved is None:
            self.ledger.unread(token.line, token.text, "amount without a subject")
            return
        topic, code = resolved
        statement = self._new(token, topic, sentence, state, value=token.number, unit=unit,
                              code=code)
        if state.pending_previous is not None:
            statement.previous, state.pending_previous = state.pending_previous, None

    def _count(self, token: _Token, unit: str, label: str, sentence: str, para: _Paragraph,
               state: _State, end: int, label_start: int) -> None:
        if "." in token.text:
            self.ledger.unread(token.line, token.text, "a count that is not a whole number")
            return
        noun = _NOUN_AFTER_RE.match(para.text[end:])
        if noun:  # 1家机关, 2个预算单位: the thing counted follows the count
            topic: str | None = noun.group()
        else:
            resolved = self._resolve(label, para, state, label_start)
            topic = resolved[0] if resolved else None
        if topic is None:
            self.ledger.unread(token.line, token.text, "count without a subject")
            return
        statement = self._new(token, topic, sentence, state, unit=unit)
        statement.count = int(token.number)

    def _new(self, token: _Token, topic: str, sentence: str, state: _State, *,
             value: Decimal | None = None, unit: str = "万元",
             code: str | None = None) -> Statement:
        statement = Statement(topic, sentence, token.line.ref(self.file), value=value, unit=unit,
                              code=code)
        self.statements.append(statement)
        self.ledger.figure(token.line, token.text)
        state.current = statement
        return statement

    # -- what a label names ---------------------------------------------------

    def _resolve(self, label: str, para: _Paragraph, state: _State,
                 label_start: int) -> tuple[str, str | None] | None:
        """(topic, code) named by a label, or None where it names nothing.

        Functional items first (their names contain words of other topics), then
        economic items under 人员经费/公用经费, then the topic table, then a
        functional 类 by name; what is left is an item named by its own words.
        """
        item = _ITEM_RE.search(label)
        if item:
            return "功能科目", self._functional_code(item)
        printed = _CODE_RE.search(label)
        name = _clean_label(label[printed.end():] if printed else label)
        if printed and printed["code"].startswith("2"):
            return "功能科目", printed["code"]
        if printed:
            return name, printed["code"]
        parent = state.parent
        if parent is not None and parent.topic in _ECONOMIC_PARENTS and name in self.economic_codes:
            return name, self.economic_codes[name]
        topic = _find_topic(label)
        if topic is not None:
            if topic.qualifier is not None:
                segment = para.text[: label_start].rsplit("；", 1)[-1].rsplit("。", 1)[-1]
                found = topic.qualifier.findall(segment)
                if found:
                    return found[-1] + topic.name, None
            return topic.name, None
        if name in self.functional_codes:
            return "功能科目", self.functional_codes[name]
        if _GENERIC_RE.match(name):
            # 本年预算数为…: the subject is named earlier in the sentence
            context = _find_topic(_sentence_before(para, label_start))
            return (context.name, None) if context else None
        if parent is not None and any(t.qualify_children and t.name == parent.topic
                                      for t in TOPICS):
            return f"{parent.topic}：{name}", None
        return name, None

    def _functional_code(self, item: re.Match[str]) -> str | None:
        """The code printed with the names (208 + 01 + 09), or the 类 looked up by name."""
        c1, c2, c3 = item["c1"], item["c2"], item["c3"]
        if c1 and item["n2"] is None:
            return c1
        if c1 and c2 and item["n3"] is None:
            return c1 + c2
        if c1 and c2 and c3:
            return c1 + c2 + c3
        if item["n2"] is None:
            return self.functional_codes.get(item["n1"] + (item["s1"] or ""))
        return None

    def _none_statements(self, para: _Paragraph) -> None:
        for topic, pattern in NONE_TOPICS:
            for match in pattern.finditer(para.text):
                line = para.locate(match.start())
                self.statements.append(Statement(topic, para.sentence(match.start()),
                                                 line.ref(self.file), value=Decimal(0)))


def _derive_previous(statement: Statement) -> None:
    """Last year's figure from this year's and the change, where not stated."""
    if statement.previous is None and statement.value is not None and \
            statement.change is not None:
        statement.previous = statement.value - statement.change
        statement.previous_derived = True


def read_statements(lines: list[Line], ledger: Ledger, file: str, *, year: int,
                    economic_codes: Mapping[str, str] | None = None,
                    functional_codes: Mapping[str, str] | None = None) -> list[Statement]:
    """The statements of the narrative ``lines``, every numeric token accounted for.

    ``year`` is the document's fiscal year (上年 and 2023年 compare against it).
    ``economic_codes`` and ``functional_codes`` map names to codes (see
    :func:`load_codes`): the economic items of 人员经费/公用经费 and the
    functional 类 named without a code are linked where the name matches.
    Tokens no pattern understood are marked unread in ``ledger`` with a reason.
    """
    reader = _Reader(ledger, file, year, economic_codes or {}, functional_codes or {})
    for para in _paragraphs(lines, ledger):
        reader.paragraph(para)
    for statement in reader.statements:
        _derive_previous(statement)
    for line in lines:
        for token in ledger.open_tokens(line):
            ledger.unread(line, token, "number in narrative not matched by any sentence pattern")
    return reader.statements
