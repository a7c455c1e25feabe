"""Read a table body whose cells lost their positions: tokens in reading order → rows.

Text extractors and portals give a table's body in reading order, but not its
grid: blank cells vanish (``2070105 1,700.57 1,700.57`` under 合计 | 基本 | 项目),
codes are split (``204 06 01``), joined (``2040601``) or glued to the name
(``2010506统计管理``), names wrap onto the lines before and after the code line,
and cells are separated by one space, a tab, a pipe or a line each. What stays
is the order of the tokens and what each token is:

* a **code** (or a part of one): digits that fit the classification (类 3
  digits, 款 2 more, 项 2 more) in the place a code stands, before a name;
* **words**: a name, or part of one;
* a **figure**: an amount.

So the body is read as a stream of tokens, line breaks ignored, and cut into
rows: a code starts a row in a classified table, a name in the others; the
figures that follow belong to it; a name fragment between two rows goes to the
row that lacks a name, or continues the one above. Which column each figure
fills is not decided here but by :mod:`budgetgraph.readers.placement`, from the
table's identities.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from budgetgraph.readers.lines import AMOUNT_RE, Cell, Line
from budgetgraph.readers.vocabulary import squash, strip_numbering

#: A classification code where a code stands: 类 (3 digits) of the functional
#: (2xx), departmental economic (3xx) or government economic (5xx) lists, or a
#: 款 (5) or 项 (7) written whole.
_CODE = re.compile(r"^[2-5]\d\d(?:\d\d){0,2}$")
#: A 款 or 项 part printed in a column of its own (``03``), or with its leading
#: zero lost (``3``, which the caller pads and notes).
_PART = re.compile(r"^\d{1,2}$")
#: A code glued to its name (``2010506统计管理``), never a year (``2024年``) or a
#: quantity (``301人``).
_GLUED_CODE = re.compile(
    r"^([2-5]\d\d(?:\d\d){0,2})(?![\d.,])(?=[^年月日号%万元个人次辆项页])(.+)$")
#: A name with its amount glued on (``合计91,016,775.35``): only with decimals,
#: so that a name ending in a number (``第2季度``) is never cut.
_GLUED_FIGURE = re.compile(r"^(.*[\u4e00-\u9fff)）])(-?\d[\d,]*\.\d+)$")
#: A figure with a name glued after it (``91,016,775.35一、一般公共服务支出``), where
#: an extractor lost the gap between two cells.
_LEADING_FIGURE = re.compile(r"^(-?\d[\d,]*\.\d\d)(\D.*)$")
#: Two numbered row names run together (``十三、交通运输支出十四、资源勘探工业信息等``),
#: where an extractor lost the line break between them.
_TWO_NAMES = re.compile(r"^(.+?(?:支出|收入|拨款|资金|合计|总计))([一二三四五六七八九十]+、.+)$")
_TOTAL_WORDS = ("合计", "总计", "小计")


@dataclass(frozen=True)
class Token:
    """One token of a table body, with the line it was printed on."""

    text: str
    kind: str  # "code", "part", "words", "figure"
    line: Line


@dataclass
class RowText:
    """One row as read from the stream: code, name, figures in printed order."""

    code_parts: list[Token] = field(default_factory=list)
    words: list[Token] = field(default_factory=list)
    figures: list[Token] = field(default_factory=list)
    #: bare integers that are neither codes nor figures (row numbers, 行次)
    others: list[Token] = field(default_factory=list)
    #: name fragments printed before the code line or after the figures
    before: list[Token] = field(default_factory=list)
    after: list[Token] = field(default_factory=list)
    #: the code, where the text printed it away from the row (see :func:`restore_codes`)
    found_code: str | None = None
    #: why ``found_code`` is the row's code, for the table's reader notes
    code_reason: str = ""

    @property
    def line(self) -> Line:
        """The line a row is cited by: its code's, else its name's, else its first figure's."""
        for tokens in (self.code_parts, self.words, self.figures, self.before, self.after):
            if tokens:
                return tokens[0].line
        raise ValueError("empty row")

    @property
    def name(self) -> str:
        return _join([*self.before, *self.words, *self.after])

    @property
    def own_name(self) -> str:
        return _join(self.words)


def _join(tokens: list[Token]) -> str:
    """Words joined as printed: no space between Chinese characters, one between Latin words."""
    text = ""
    for token in tokens:
        if text and text[-1].isascii() and text[-1].isalnum() and token.text[:1].isascii() \
                and token.text[:1].isalnum():
            text += " "
        text += token.text
    return text


def tokens(lines: list[Line], *, plain_figures: bool = False) -> list[Token]:
    """The tokens of a table body, in reading order.

    ``plain_figures`` says the table prints its figures as bare integers (no
    thousands separators, no decimals): then an integer followed by figures is
    a figure, not a code.
    """
    raw: list[Token] = []
    for line in lines:
        for cell in line.cells:
            for part in cell.text.split():
                raw.extend(_split_part(part, line))
    return _classify_numbers(raw, plain_figures=plain_figures)


def _split_part(part: str, line: Line) -> list[Token]:
    two = _TWO_NAMES.match(part)
    if two:
        return [Token(two.group(1), "words", line), Token(two.group(2), "words", line)]
    glued = _GLUED_CODE.match(part)
    if glued and not AMOUNT_RE.match(part):
        return [Token(glued.group(1), "number", line), Token(glued.group(2), "words", line)]
    figure = _GLUED_FIGURE.match(part)
    if figure:
        return [Token(figure.group(1), "words", line), Token(figure.group(2), "figure", line)]
    leading = _LEADING_FIGURE.match(part)
    if leading:
        return [Token(leading.group(1), "figure", line), Token(leading.group(2), "words", line)]
    if AMOUNT_RE.match(part):
        return [Token(part, "number", line)]
    return [Token(part, "words", line)]


def _is_decimal(text: str) -> bool:
    return "." in text or "," in text


def _classify_numbers(raw: list[Token], *, plain_figures: bool) -> list[Token]:
    """Each number as a code, a code part or a figure, by where it stands.

    A number is a code where it fits the classification and stands before a
    name, before code parts, or at the head of a row of figures printed with
    decimals or separators; parts follow a 类 code. Every other number is a
    figure (``0`` and ``25`` are figures in a table of decimals too).
    """
    out: list[Token] = []
    index = 0
    while index < len(raw):
        token = raw[index]
        if token.kind != "number":
            out.append(token)
            index += 1
            continue
        text = token.text
        if _misprinted_class(raw, index):
            out.append(Token(text, "code", token.line))
            out.extend(Token(t.text, "part", t.line) for t in raw[index + 1: index + 3])
            index += 3
            continue
        if not _is_decimal(text) and _CODE.match(text) \
                and _code_context(raw, index, plain_figures=plain_figures):
            out.append(Token(text, "code", token.line))
            index += 1
            parts = 0
            while index < len(raw) and raw[index].kind == "number" and parts < 2 \
                    and len(text) == 3 and _PART.match(raw[index].text) \
                    and _part_context(raw, index):
                out.append(Token(raw[index].text, "part", raw[index].line))
                index += 1
                parts += 1
            continue
        out.append(Token(text, "figure", token.line))
        index += 1
    return out


def _misprinted_class(raw: list[Token], index: int) -> bool:
    """A code whose 类 part is misprinted (``7 11 02 事业单位医疗``): a short number
    opening a line, then two 2-digit parts, then a name. The caller takes the 类
    from the 款 row above, or leaves the row without a code."""
    if index + 3 >= len(raw) or not re.fullmatch(r"\d{1,2}", raw[index].text):
        return False
    if index > 0 and raw[index - 1].line is raw[index].line:
        return False
    following = raw[index + 1: index + 4]
    return all(t.kind == "number" and re.fullmatch(r"\d\d", t.text) for t in following[:2]) \
        and following[2].kind == "words" and not _is_total(following[2].text)


def _code_context(raw: list[Token], index: int, *, plain_figures: bool) -> bool:
    """A code stands before a name, before its parts, or before figures unlike itself."""
    following = raw[index + 1] if index + 1 < len(raw) else None
    if following is None:
        return False
    if following.kind == "words":
        return not _is_total(following.text)
    if following.kind == "number" and not _is_decimal(following.text):
        if _PART.match(following.text) and len(raw[index].text) == 3:
            return True
        if _CODE.match(following.text):
            return True  # a column of codes (one per line), the names later
    if following.kind in ("number", "figure") and _is_decimal(following.text):
        return not plain_figures
    return False


def _part_context(raw: list[Token], index: int) -> bool:
    """A part is followed by a name, another part or a code, or by figures with decimals."""
    following = raw[index + 1] if index + 1 < len(raw) else None
    if following is None or following.kind == "words":
        return True
    return following.kind in ("number", "figure") and (
        _is_decimal(following.text) or _CODE.match(following.text) is not None
        or _PART.match(following.text) is not None)


def _is_total(text: str) -> bool:
    """A total row's label: 合计, or a total named for what it sums (人员经费合计)."""
    bare = squash(strip_numbering(text))
    return bare in _TOTAL_WORDS or (len(bare) > 2 and bare.endswith(("合计", "总计")))


def rows_by_code(stream: list[Token], *, width: int) -> list[RowText]:
    """Cut a classified table's tokens into rows: a code, a total label or figures start one.

    A name fragment between two rows (after one row's figures, before the next
    code) goes to the next row where that row has no name of its own after its
    code, else it continues the row above (a name wrapped below its code line).
    A figure beyond a full row (``width`` figures) belongs to the next row: a
    layout extractor prints a tall row's figure above its code line.
    """
    rows: list[RowText] = []
    pending: list[Token] = []  # words after a row's figures, before the next code
    early: list[Token] = []  # figures printed before their row's code

    def new_row() -> RowText:
        row = RowText()
        rows.append(row)
        return row

    current: RowText | None = None
    for token in stream:
        if token.kind == "code":
            if current is not None and not current.code_parts and not current.figures \
                    and current.words and not _is_total(current.own_name):
                current.code_parts.append(token)  # the name came first (wrapped above)
                continue
            current = new_row()
            current.code_parts.append(token)
            current.before, pending = pending, []
            current.figures, early = early, []
        elif token.kind == "part":
            if current is not None and current.code_parts:
                current.code_parts.append(token)
        elif token.kind == "words":
            if current is not None and current.figures and not current.code_parts \
                    and not current.words and not pending:
                current.words.append(token)  # a label printed below its figures (合计)
            elif _is_total(token.text) or current is None:
                _settle(rows, pending)
                pending = []
                current = new_row()
                current.words.append(token)
            elif current.figures:
                pending.append(token)
            elif current.code_parts or current.words:
                current.words.append(token)
        elif token.kind == "number":
            if current is not None:
                current.others.append(token)
        elif token.kind == "figure":
            if current is None:
                current = new_row()
            elif len(current.figures) >= width and not pending:
                early.append(token)
                continue
            elif pending:
                # words then figures without a code: a row of its own (合计, a named row)
                current = new_row()
                current.words, pending = pending, []
            current.figures.append(token)
    _settle(rows, pending)
    if early and rows:
        rows[-1].figures.extend(early)  # the caller reports figures beyond the columns
    rows = _join_split_rows(rows)
    # Where most rows print their name on the line above their code (a tall row
    # read line by line), a name piece above a code is that row's; otherwise it
    # continues the name of the row above (a name wrapped below its code line).
    above_code = sum(1 for row in rows if row.before and not row.own_name)
    after_code = sum(1 for row in rows if row.own_name and not row.before)
    if above_code <= after_code:
        for index, row in enumerate(rows):
            if row.before and row.own_name and index > 0:
                rows[index - 1].after.extend(row.before)
                row.before = []
    return rows


def _join_split_rows(rows: list[RowText]) -> list[RowText]:
    """A tall row cut at its baselines, joined again: name and some figures on one line,
    the code and the other figures on the next (``一般公共服务支出 1,503.52 603.14`` /
    ``201 2,106.66``). The first has no code, the second no name: they are one row,
    whose figures come in two runs (see :func:`figure_runs`)."""
    out: list[RowText] = []
    for row in rows:
        above = out[-1] if out else None
        if above is not None and not above.code_parts and above.words and above.figures \
                and not _is_total(above.own_name) and row.code_parts and not row.words \
                and not row.before and row.figures \
                and _next_line(above.figures[-1].line, row.code_parts[0].line):
            above.code_parts = row.code_parts
            above.figures.extend(row.figures)
            above.others.extend(row.others)
            above.after.extend(row.after)
            continue
        out.append(row)
    return out


def _next_line(first: Line, second: Line) -> bool:
    return second.page == first.page and second.number == first.number + 1


def figure_runs(row: RowText) -> list[int]:
    """The lengths of a row's runs of figures printed on one line each.

    Each line keeps its figures in the columns' order; where a row's figures are
    on several lines, the caller may let the runs interleave.
    """
    runs: list[int] = []
    previous: Line | None = None
    for token in row.figures:
        if previous is not None and token.line is previous:
            runs[-1] += 1
        else:
            runs.append(1)
        previous = token.line
    return runs


def _settle(rows: list[RowText], pending: list[Token]) -> None:
    """Words left after the last row's figures continue its name."""
    if pending and rows:
        rows[-1].after.extend(pending)


def paired(lines: list[Line]) -> list[Line]:
    """Lines of names followed by a line of their figures, read name by figure.

    A two-sided table whose rows are tall is extracted as a line of its names
    (收入 side, 支出 side) and, below, a line of their figures: ``本年收入合计
    本年支出合计`` / ``2,946.25 2,940.05``. Where a line of *k* names is
    followed by a line that opens with *k* figures, each name gets its figure.
    """
    out: list[Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        names = line.text.split()
        after = lines[index + 1] if index + 1 < len(lines) else None
        if after is not None and len(names) >= 2 and not any(AMOUNT_RE.match(n) for n in names):
            parts = [t for p in after.text.split() for t in _split_part(p, after)]
            figures = [t.text for t in parts[: len(names)] if t.kind == "number"
                       and AMOUNT_RE.match(t.text)]
            if len(figures) == len(names):
                rest = [t.text for t in parts[len(names):]]
                text = " ".join([w for pair in zip(names, figures, strict=True) for w in pair]
                                + rest)
                out.append(Line(line.number, text, [Cell(text)], line.page))
                index += 2
                continue
        out.append(line)
        index += 1
    return out


def rows_by_name(stream: list[Token], *, is_label: Callable[[str], bool],
                 completes: Callable[[str, str], bool]) -> list[RowText]:
    """Cut a table without codes into rows: each name that labels a row starts one.

    ``is_label(words)`` says whether words begin a row's name (a numbered item, a
    known row name, a total) rather than continue the name before them (a wrapped
    cell); ``completes(name, words)`` whether words printed after a row's
    figures finish its name (``四、文化旅游体育与传媒`` … ``支出``). A named row
    with no figures is a row of blank cells. Numbers read as codes are figures
    here: such a table has no codes.
    """
    rows: list[RowText] = []
    current: RowText | None = None
    for token in stream:
        if token.kind == "words":
            if current is not None and current.figures and not current.after \
                    and completes(current.own_name, token.text):
                current.after.append(token)
                continue
            numbering_only = current is not None and not strip_numbering(current.own_name)
            if current is None or current.figures or current.after or (
                    current.words and not numbering_only and is_label(token.text)):
                current = RowText()
                rows.append(current)
            current.words.append(token)
            continue
        if current is None:
            current = RowText()
            rows.append(current)
        if token.kind == "number":
            current.others.append(token)
        else:
            current.figures.append(Token(token.text, "figure", token.line))
    return rows


def restore_codes(rows: list[RowText], code_of: Callable[[str, str | None], str | None]
                  ) -> list[RowText]:
    """Rows whose code the text printed away from them, given it back.

    A block-reading extractor prints some rows' names and figures in one place
    and their codes in another: the stream then has rows with a name but no code
    and, nearby, rows with a code but no name and no figure. Where a run of such
    rows has as many of each, they pair in order. A named row left without a
    code gets it from the code lists (``code_of(name, code above)``); a code-only
    row whose code another row now has is dropped.
    """
    def named(row: RowText) -> bool:
        return not row.code_parts and bool(row.name.strip()) and not _is_total(row.name)

    def bare(row: RowText) -> bool:
        return bool(row.code_parts) and not row.name.strip() and not row.figures

    out = list(rows)
    index = 0
    while index < len(out):
        end = index
        while end < len(out) and (named(out[end]) or bare(out[end])):
            end += 1
        run = out[index:end]
        names = [r for r in run if named(r)]
        codes = [r for r in run if bare(r)]
        if names and len(names) == len(codes):
            for row, code in zip(names, codes, strict=True):
                row.code_parts = code.code_parts
            out[index:end] = names
            end = index + len(names)
        index = max(end, index + 1)
    above: str | None = None
    for row in out:
        printed = _joined_code(row)
        if printed:
            above = printed
            continue
        if named(row):
            row.found_code = code_of(row.name, above)
            if row.found_code:
                row.code_reason = "from the code list's name (its code is printed apart)"
                above = row.found_code
    taken = {_joined_code(r) or r.found_code for r in out if r.name.strip() or r.figures}
    return [r for r in out if not (bare(r) and _joined_code(r) in taken)]


def _joined_code(row: RowText) -> str | None:
    """The row's printed code, parts joined (``201 03 01`` → ``2010301``)."""
    parts = [t.text for t in row.code_parts]
    if not parts:
        return None
    return parts[0] + "".join(p.zfill(2) for p in parts[1:])
