"""From the lines of a whole document to a :class:`~budgetgraph.model.Disclosure`.

The document is cut into regions by what its headings mean: the cover, the
table of contents, the profile (部门概况), each table (from its title to the
next title or heading), the performance-target table, the narrative
(情况说明 / 编制说明) and the glossary (名词解释). Each region goes to its
reader; the ledger then says what became of every number.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

from budgetgraph.errors import ReadError
from budgetgraph.model import (
    AmountUnit,
    Disclosure,
    DocumentKind,
    GlossaryEntry,
    Profile,
    Table,
    TableKind,
)
from budgetgraph.readers.crosscheck import settle_ambiguities
from budgetgraph.readers.lines import NUMBER_RE, PAGE_MARKER_RE, Ledger, Line
from budgetgraph.readers.narrative import read_statements
from budgetgraph.readers.performance import read_performance
from budgetgraph.readers.performance_form import is_form_title, read_performance_form
from budgetgraph.readers.tables import TableContext, read_table
from budgetgraph.readers.vocabulary import (
    REGIONS,
    TABLE_NUMBER_RE,
    classify_title,
    scan_header,
    squash,
)

_COVER_RE = re.compile(
    r"(20\d\d)\s*年\s*度?\s*(?:区级|市级|县级|省级)?\s*(部门预算|单位预算|部门决算|单位决算)")
_OWNER_RE = re.compile(
    r"(预算主管部门|预算单位|部门名称|编制部门|编制单位|单位名称)\s*[:：]\s*(\S+)")
_PART_RE = re.compile(r"^第[一二三四五六七八九十]+部分")
_ENUM_RE = re.compile(
    r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+\s*[、.．]|\d+\s*[.．、])")
_LEADER_DOTS = re.compile(r"…{2,}|\.{4,}|·{4,}")
_YEAR_RE = re.compile(r"(?:19|20)\d\d(?=\s*年)")
_DATE_RE = re.compile(r"(?:19|20)\d\d-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d\d(?::\d\d)?)?")

_PROFILE_WORDS = ("部门概况", "单位概况", "主要职能", "机构设置", "单位构成")
_GLOSSARY_WORDS = ("名词解释",)
_NARRATIVE_WORDS = ("情况说明", "编制说明", "预算说明", "决算说明")
_TABLE_PART_WORDS = ("预算表", "决算表")


@dataclass
class _Region:
    kind: str  # cover, toc, profile, narrative, glossary, tables
    lines: list[Line]


def read_lines(lines: list[Line], file: str) -> Disclosure:
    """Read a whole document given as lines (from a text export or a PDF)."""
    if not any(line.text.strip() for line in lines):
        raise ReadError("the file is empty", file=file)
    ledger = Ledger(file, lines)
    for line in lines:
        if PAGE_MARKER_RE.match(line.text):
            ledger.line_structural(line, "page marker")
        for match in _DATE_RE.finditer(line.text):  # a web page's 发布时间:2016-04-28 00:00
            ledger.span(line, match.start(), match.end(), "date")
    lines = _joined_titles(_titles_first(lines))
    kind, year, cover_end, titled = _cover(lines, file)
    department, unit = _owner(lines[: cover_end + 12])
    if department is None and titled and titled not in REGIONS:
        department = titled
    if department is None:
        raise ReadError("cannot find the department's name on the cover", file=file,
                        line=lines[cover_end].number, page=lines[cover_end].page)
    for line in lines[: cover_end + 1]:
        _structural(ledger, line, "cover")
    doc = Disclosure(source_file=file, kind=kind, year=year, department=department, unit=unit)
    doc.region, doc.region_code = _region(department, lines[: cover_end + 1])
    # a 三公 table published alone is its own title: the cover line opens the table
    body = lines[cover_end:] if _is_title(lines, cover_end) else lines[cover_end + 1:]
    toc_end, listed = _table_of_contents(body, ledger)
    regions = _regions(body[toc_end:], ledger, file, year, doc)
    profile_lines = [line for r in regions if r.kind == "profile" for line in r.lines]
    doc.profile = _profile(profile_lines, ledger)
    for region in regions:
        if region.kind == "glossary":
            doc.glossary.extend(_glossary(region.lines, ledger, file))
        elif region.kind == "narrative":
            doc.statements.extend(read_statements(region.lines, ledger, file, year=year))
    settle_ambiguities(doc)
    if not doc.tables and not doc.performance:
        _no_tables(doc, listed, file)
    found = {t.kind for t in doc.tables} | ({TableKind.PERFORMANCE} if doc.performance else set())
    missing = [kind.value for kind in listed if kind not in found]
    if missing:
        raise ReadError(f"truncated or unreadable: the table of contents lists "
                        f"{', '.join(missing)}, but no such table follows", file=file)
    _check_complete(doc)
    for line in lines:  # years in headings no reader takes (第三部分…2024年度…)
        for match in NUMBER_RE.finditer(line.text):
            if _YEAR_RE.match(line.text, match.start()):
                ledger.span(line, match.start(), match.end(), "year")
    doc.coverage = ledger.coverage()
    return doc


def _joined_titles(lines: list[Line]) -> list[Line]:
    """A title wrapped before its end (``…培训费支出预算`` / ``表``) made whole.

    Only where the tail alone is no title, or a title of another kind: a row's
    label above a title (``其中：动用上年结转和结余资金`` / ``支出预算总表``) is not
    part of it.

    The wrapped tail is left as an empty line in its place, so that line numbers
    and the ledger's positions stay those of the source.
    """
    out = list(lines)
    for index, (line, after) in enumerate(itertools.pairwise(lines)):
        tail = after.text.strip()
        whole = classify_title(line.text.rstrip() + tail)
        if 0 < len(tail) <= 6 and tail.endswith("表") and len(line.text.strip()) >= 4 \
                and line.page == after.page and classify_title(line.text) is None \
                and not TABLE_NUMBER_RE.match(squash(line.text)) and not _has_figure(line) \
                and not PAGE_MARKER_RE.match(line.text) \
                and whole is not None and whole is not classify_title(tail):
            out[index] = Line(line.number, line.text.rstrip() + tail,
                              [*line.cells, *after.cells], line.page)
            out[index + 1] = Line(after.number, "", [], after.page)
    return out


def _titles_first(lines: list[Line]) -> list[Line]:
    """Pages whose table title comes after the table's rows, turned title first.

    Some extractors give a page's text in the order the producer drew it, not
    in reading order: WPS exports through PDFium's page text give a page's unit
    line and rows first and the table's title and header last (F12). Such a
    page opens with its unit line (``单位：元``) or with header words only, has
    a table title further down, and no figure after the title: the title and
    what follows it are moved to the page's top, so that the rows come under
    their title. A page that begins a new table below the end of another
    (figures after the title, or rows at the page's top) is left as it is.
    """
    out: list[Line] = []
    for _page, group in itertools.groupby(lines, key=lambda line: line.page):
        page = list(group)
        printed = [line for line in page if line.text.strip()]
        titles = [i for i, line in enumerate(page) if classify_title(line.text) is not None]
        title = titles[0] if len(titles) == 1 and titles[0] > 0 else None  # not a contents page
        if page[0].page is not None and title is not None and printed \
                and not any(_has_figure(line) for line in page[title + 1:]) \
                and (_UNIT_RE.search(printed[0].text) is not None
                     or not any(_has_figure(line) for line in page[:title])):
            page = page[title:] + page[:title]
        out.extend(page)
    return out


def _has_figure(line: Line) -> bool:
    """A line carrying an amount with decimals or thousands separators."""
    return any(re.fullmatch(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+\.\d+", part)
               for part in line.text.split())


# ---------------------------------------------------------------------------
# Cover and owner
# ---------------------------------------------------------------------------


def has_cover(lines: list[Line]) -> bool:
    """The lines open with a disclosure's cover (kind and year), as :func:`read_lines`
    needs; a file of tables only has none."""
    try:
        _cover(lines, "")
    except ReadError:
        return False
    return True


def _cover(lines: list[Line], file: str) -> tuple[DocumentKind, int, int, str | None]:
    """Kind, year, the cover's last line and the department it names, from the title.

    Titles come in any word order (``2024年度 华容县人力资源和社会保障局部门决算``,
    ``上海市普陀区财政局 / 年度部门决算 / 2024``, ``卓尼县乡村振兴局 / 2024年度部门
    决算情况说明``) and wrap wherever the designer broke them, so the cover's
    first lines are read one, two and three at a time, joined, until one names a
    kind and a year. The search stops at the table of contents: a title found
    only there would take the contents for the cover.
    """
    printed = [i for i, line in enumerate(lines) if line.text.strip()]
    first_page = lines[printed[0]].page if printed else None
    window = [i for i in printed[:40] if first_page is None or lines[i].page == first_page]
    contents = next((n for n, i in enumerate(window) if _is_contents_heading(lines, i)), None)
    window = window[:contents] if contents else window
    window = [i for i in window if not _is_page_chrome(lines[i].text)]
    found_titles: list[tuple[DocumentKind, int, int, str | None]] = []
    for end in range(len(window)):
        for size in (1, 2, 3):
            chunk = window[max(0, end - size + 1): end + 1]
            found = _title("".join(squash(lines[i].text) for i in chunk))
            if found is None:
                continue
            kind, year, department = found
            first = window.index(chunk[0])
            for before in reversed(window[max(0, first - 3): first]):
                above = squash(lines[before].text)
                if not _NAME_PIECE.fullmatch(above) or _KIND_RE.search(above):
                    break
                # a name wrapped onto the lines above (中共上海市普陀区委 / 社会工作部2024年度)
                department = above + (department or "")
            found_titles.append((kind, year, window[end], department))
            break
    # a web page prints metadata above the title (信息分类: 本部门预算): the title is
    # the first that names an organisation, else the first found
    named = [f for f in found_titles if f[3] and _ORG_NAME.fullmatch(f[3])]
    if named or found_titles:
        found = (named or found_titles)[0]
        title = "".join(squash(lines[i].text) for i in window[:window.index(found[2]) + 1])
        period = _PART_YEAR_RE.search(title[-40:])
        if period:
            part = f"{found[1]}年{period.group()}"
            raise ReadError(f"a notice of the spending of part of a year ({part}, "
                            f"{found[0].value}), not a year's budget or final accounts: "
                            "budgetgraph reads annual disclosures only", file=file,
                            line=lines[found[2]].number, page=lines[found[2]].page)
        return found
    raise ReadError("not a budget disclosure: its first page names no year and no 部门预算, "
                    "单位预算, 部门决算, 单位决算 or 三公经费 publication", file=file)


#: A web page's navigation or metadata line, never the title: 首页 > 政府信息公开 > …,
#: 索引号 640522015/2024-00040, 发布日期: 2019-02-15.
_PAGE_CHROME = re.compile(
    r"[>＞].*[>＞]|索引号|信息分类|发布(?:日期|时间|机构)|成文日期|来源\s*[:：]|^\s*时间\s*[:：]"
    r"|微信.*微博|分享到|打印本页|关闭窗口")
#: A department's or unit's name: Chinese characters and brackets only.
_ORG_NAME = re.compile(r"[\u4e00-\u9fff()（）]{2,40}")


def _is_page_chrome(text: str) -> bool:
    return _PAGE_CHROME.search(text) is not None


_KIND_RE = re.compile(
    r"(部门|单位)?(?:预算|决算)?(?:公开)?(?:“|\")?三公(?:”|\")?经费(?:和机关运行经费)?"
    r"[^。，]{0,12}?(预算|决算)?"
    r"|(部门|单位)(预算|决算)|(预算|决算)(?:公开|说明|情况说明)")
#: A line that can only be a piece of a name: Chinese characters and brackets.
_NAME_PIECE = re.compile(r"[\u4e00-\u9fff()（）]{2,30}")
_TITLE_YEAR_RE = re.compile(r"(20\d\d)\s*年?\s*度?")
#: Words of a title that are not the department's name.
_LABEL_RE = re.compile(r"【[^】]{0,20}】")
#: a sentence announcing the explanation below it: the narrative begins there
_EXPLAINED_BELOW = re.compile(r"(?:预算|决算)(?:情况)?说明如下[:：]?$")
#: a part of a year a title names: a month or a quarter (平原镇1月份三公经费公示)
_PART_YEAR_RE = re.compile(r"(?<![\d年])(?:[1-9]|1[0-2])月份|第?[一二三四1-4]季度|上半年|下半年")
_TITLE_NOISE = re.compile(r"(?:区级|市级|县级|省级|财政拨款|一般公共(?:预算)?$|年度|年|公开"
                          r"|情况说明|说明|编制说明"
                          r"|统计表|情况表|预算表|决算表|目录|文件|[:：]|“|”|\"|名称)")


def _title(text: str) -> tuple[DocumentKind, int, str | None] | None:
    """Kind, year and department of a title, whatever the order of its words.

    A web page's column label in 【】 (【本级三公经费公开】) is not part of the title.
    """
    text = _LABEL_RE.sub("", text)
    kind_match = _KIND_RE.search(text)
    if kind_match is None:
        return None
    years = list(_TITLE_YEAR_RE.finditer(text))
    if not years:
        return None
    year = min(years, key=lambda m: abs(m.start() - kind_match.start()))
    whole = kind_match.group()
    if "三公" in whole:
        final = "决算" in whole or "决算" in text[kind_match.end():]
        kind = DocumentKind.THREE_PUBLIC_FINAL if final else DocumentKind.THREE_PUBLIC_BUDGET
    else:
        level = kind_match.group(3) or "部门"
        phase = kind_match.group(4) or kind_match.group(5)
        kind = DocumentKind(f"{level}{phase}")
    rest = text[: kind_match.start()] + "\x00" + text[kind_match.end():]
    rest = rest.replace(year.group(), "\x00", 1)
    names = [n for n in (_TITLE_NOISE.sub("", part) for part in rest.split("\x00"))
             if len(n) >= 2]
    names = [n[: -1] if n.endswith(("(", "（")) else n for n in names]
    department = names[0] if names else None
    return kind, int(year.group(1)), department


def _owner(lines: list[Line]) -> tuple[str | None, str | None]:
    department = unit = None
    for line in lines:
        match = _OWNER_RE.search(line.text)
        if not match:
            continue
        name = match.group(2).strip()
        if match.group(1) == "预算单位":
            unit = unit or name
        department = department or name
    return department, unit


def _region(department: str, cover: list[Line]) -> tuple[str | None, str | None]:
    """The region (GB/T 2260) whose name begins the department's or the cover's name."""
    candidates = [squash(department)] + [squash(line.text) for line in cover]
    for name in sorted(REGIONS, key=len, reverse=True):
        if any(text.startswith(name) for text in candidates):
            return name, REGIONS[name]
    return None, None


# ---------------------------------------------------------------------------
# Regions
# ---------------------------------------------------------------------------


def _table_of_contents(body: list[Line], ledger: Ledger) -> tuple[int, list[TableKind]]:
    """Where the table of contents ends, and the tables it lists.

    The list is checked against the tables found, which is how a truncated
    document (or a table this reader fails to recognise) is caught.
    """
    start = next((i for i, line in enumerate(body[:40]) if _is_contents_heading(body, i)), None)
    if start is None:
        return 0, []
    entries = [i for i in range(start + 1, len(body)) if body[i].text.strip()]
    first = squash(body[entries[0]].text) if entries else ""
    end = next((i for i in entries[1:] if squash(body[i].text) == first), None)
    page = body[start].page
    if end is None and page is not None:  # a paged document: the contents page
        end = next((i for i in range(start, len(body)) if body[i].page != page
                    and not PAGE_MARKER_RE.match(body[i].text)), len(body))
    if end is None:  # entries with leader dots or numbered headings, up to the first line
        end = start + 1  # that is neither (the document cut short after its contents)
        while end < len(body) and (not body[end].text.strip() or _LEADER_DOTS.search(body[end].text)
                                   or PAGE_MARKER_RE.match(body[end].text)
                                   or _is_contents_entry(body[end].text)):
            end += 1
    listed: list[TableKind] = []
    for line in body[start:end]:
        _structural(ledger, line, "table of contents")
        entry = _LEADER_DOTS.split(line.text)[0].strip()
        kind = classify_title(entry)
        if kind is not None and kind not in listed:
            listed.append(kind)
    return end, listed


def _is_contents_entry(text: str) -> bool:
    """A line of a table of contents without leader dots: 第二部分 …, 四、财政拨款收支总表."""
    entry = squash(text)
    return (len(entry) <= 40 and "。" not in entry and not _has_figure_text(entry)
            and (_PART_RE.match(entry) is not None or _ENUM_RE.match(entry) is not None))


def _has_figure_text(text: str) -> bool:
    return re.search(r"\d+\.\d\d(?!\d)", text) is not None


def _is_contents_heading(lines: list[Line], index: int) -> bool:
    """目录 on a line of its own, or spread over two (目 / 录: one cell per line)."""
    text = squash(lines[index].text)
    if text == "目录" or (text.startswith("目录") and len(text) < 6):
        return True
    if text.endswith("目录") and len(text) < 40 and "。" not in text:  # …2025年预算公开目录
        return True
    after = next((line for line in lines[index + 1: index + 3] if line.text.strip()), None)
    return text == "目" and after is not None and squash(after.text) == "录"


def _heading(line: Line) -> str | None:
    """The region a heading line opens, if it is one."""
    text = squash(line.text)
    if _EXPLAINED_BELOW.search(text):  # …现将我单位2015年部门预算说明如下:
        return "narrative"
    if not text or len(text) > 40 or "。" in text:
        return None
    if any(w in text for w in _GLOSSARY_WORDS):
        return "glossary"
    if any(w in text for w in _PROFILE_WORDS):
        return "profile"
    if any(w in text for w in _NARRATIVE_WORDS):
        return "narrative"
    if (_PART_RE.match(text) and any(w in text for w in _TABLE_PART_WORDS)) \
            or re.search(r"(部门|单位)(预算|决算)表$", text):
        return "tables"
    return None


_UNIT_RE = re.compile(r"单位\s*[:：]\s*(?:万元|元)")
_UNIT_LINE = re.compile(r"单位\s*[:：]|编制(?:部门|单位)|预算单位\s*[:：]|部门名称\s*[:：]")


def _is_title(lines: list[Line], index: int) -> TableKind | None:
    """A table title: names a table and is followed soon by a unit, owner or header line.

    Another title just below (the next entry of a table of contents) is none of
    those, even where it mentions a 预算单位.
    """
    kind = classify_title(lines[index].text)
    if kind is None:
        return None
    following = [line for line in lines[index + 1: index + 12] if line.text.strip()][:6]
    for line in following:
        if classify_title(line.text) is not None:
            return None
        if _UNIT_LINE.search(line.text) or "科目" in line.text or squash(line.text) == "项目" \
                or (squash(line.text).startswith("项目") and len(scan_header(line.text)) >= 2):
            return kind
    return None


def _regions(body: list[Line], ledger: Ledger, file: str, year: int,
             doc: Disclosure) -> list[_Region]:
    """Walk the body: tables go to their readers at once, other regions are returned."""
    # a 三公 publication's prose is its 情况说明, whether or not a heading says so
    regions: list[_Region] = [_Region("narrative" if doc.kind.is_three_public else "other", [])]
    index = 0
    while index < len(body):
        line = body[index]
        kind = _is_title(body, index)
        if kind is None and _heading(line) is None and _looks_like_title(body, index):
            index = _outside_template(body, index, ledger, doc)
            continue
        if kind is not None:
            end = _table_end(body, index, kind)
            if kind is TableKind.PERFORMANCE and is_form_title(line.text):
                doc.performance = read_performance_form(body[index:end], ledger, file)
            elif kind is TableKind.PERFORMANCE:
                doc.performance = read_performance(
                    body[index:end], ledger, file,
                    unit=_first_unit(body[index:end]) or AmountUnit.WAN_YUAN)
            else:
                context = TableContext(file, ledger, year, doc.phase)
                table = read_table(kind, line, body[index + 1:end], context)
                _check_not_hollow(table, line, body[index + 1:end], ledger, file)
                if _is_repeat(table, doc):
                    for repeated in body[index:end]:
                        ledger.refile(repeated, "repeated table")
                    doc.warnings.append(f"{table.title} is printed twice (again at "
                                        f"{table.source}): the repeat is not read again")
                else:
                    doc.tables.append(table)
            index = end
            continue
        if TABLE_NUMBER_RE.match(squash(line.text)):  # 部门公开表1 above a title
            _structural(ledger, line, "table number")
            index += 1
            continue
        heading = _heading(line)
        if heading is not None:
            regions.append(_Region(heading, [line]))
        else:
            regions[-1].lines.append(line)
        index += 1
    return regions


def _is_repeat(table: Table, doc: Disclosure) -> bool:
    """The same table, title and every figure, read before (a page printed twice; an
    empty table printed twice may differ in its blank lines)."""
    def figures(t: Table) -> list[tuple[str, str | None, dict[str, Decimal]]]:
        return [(r.name, r.code, {k: v for k, v in r.values.items() if v is not None})
                for r in t.rows if any(v is not None for v in r.values.values())]
    return any(t.kind is table.kind and t.title == table.title and figures(t) == figures(table)
               for t in doc.tables)


def _outside_template(body: list[Line], index: int, ledger: Ledger, doc: Disclosure) -> int:
    """A table the national template does not have (政府采购预算表, 机关运行经费支出表 …).

    Provinces add tables of their own. Refusing the document for them would lose the
    standard tables beside them; reading them as one of the template's would give
    their figures a meaning they do not have. So each of their numbers is accounted
    as unread, with the table's title and line as the reason, and the document
    carries a warning. Returns the index of the first line after the table.
    """
    title = body[index]
    end = _table_end(body, index, None)
    name = squash(title.text)
    reason = f"table outside the national template ({name}, line {title.number})"
    _structural(ledger, title, "table title")
    unread = 0
    for line in body[index + 1:end]:
        for token in ledger.open_tokens(line):
            unread += ledger.unread(line, token, reason)
    if unread:  # a caption over the real title (附件：…表 / 附件： / …表) holds nothing
        doc.warnings.append(f"{reason}: its figures are not read into the model")
    return end


def _looks_like_title(lines: list[Line], index: int) -> bool:
    """A short line ending in 表 with a unit line under it: a table, known or not."""
    text = squash(_LEADER_DOTS.split(lines[index].text)[0])
    if TABLE_NUMBER_RE.match(text):
        return False
    if not text.endswith("表") or len(text) > 40 or "。" in text or "，" in text:
        return False
    following = [line for line in lines[index + 1: index + 8] if line.text.strip()][:3]
    return any(re.search(r"单位\s*[:：]\s*(万元|元)", line.text) for line in following)


def _table_end(body: list[Line], start: int, kind: TableKind | None) -> int:
    """The first line after the table: the next title or heading, or a paragraph of prose."""
    for index in range(start + 1, len(body)):
        line = body[index]
        next_kind = _is_title(body, index)
        if next_kind is not None and not (kind is TableKind.PERFORMANCE
                                          and next_kind is TableKind.PERFORMANCE):
            return _before_number(body, start, index)
        if next_kind is None and (_heading(line) or _PART_RE.match(squash(line.text))
                                  or _looks_like_title(body, index)):
            return _before_number(body, start, index)
    return len(body)


def _before_number(body: list[Line], start: int, end: int) -> int:
    """The end moved above the next table's number (公开04表) printed over its title."""
    while end - 1 > start and (not body[end - 1].text.strip()
                               or PAGE_MARKER_RE.match(body[end - 1].text)
                               or body[end - 1].text.strip() == str(body[end - 1].page)
                               or TABLE_NUMBER_RE.match(squash(body[end - 1].text))):
        end -= 1
    return end


def _first_unit(lines: list[Line]) -> AmountUnit | None:
    for line in lines:
        match = re.search(r"单位\s*[:：]\s*(万元|元)", line.text)
        if match:
            return AmountUnit(match.group(1))
    return None


# ---------------------------------------------------------------------------
# Profile and glossary: text kept verbatim
# ---------------------------------------------------------------------------


def _paragraphs(lines: list[Line]) -> list[tuple[str, Line]]:
    """Join wrapped lines: a new paragraph starts at an enumerator or after a heading."""
    out: list[tuple[str, Line]] = []
    for line in lines:
        text = line.text.strip()
        if not text or PAGE_MARKER_RE.match(text):
            continue
        if out and not _ENUM_RE.match(text) and not out[-1][0].endswith(("。", "：", ":")) \
                and _heading(line) is None and _heading(out[-1][1]) is None:
            out[-1] = (out[-1][0] + text, out[-1][1])
        else:
            out.append((text, line))
    return out


def _profile(lines: list[Line], ledger: Ledger) -> Profile:
    profile = Profile()
    section = ""
    for line in lines:
        _structural(ledger, line, "profile text")
    for text, line in _paragraphs(lines):
        heading = squash(text)
        if _heading(line) == "profile" and len(heading) < 40:
            section = heading
            continue
        profile.text.append(text)
        if "职能" in section and _ENUM_RE.match(text):
            profile.functions.append(_ENUM_RE.sub("", text).strip())
        offices = re.search(r"内设([^。；;]+?)(?:等|。|；|$)", text)
        if offices:
            profile.offices.extend(o.strip() for o in re.split(r"[、，,]", offices.group(1))
                                   if o.strip())
        if ("构成" in section or "机构" in section) and _ENUM_RE.match(text):
            profile.budget_units.append(_ENUM_RE.sub("", text).strip().rstrip("。"))
    return profile


def _glossary(lines: list[Line], ledger: Ledger, file: str) -> list[GlossaryEntry]:
    entries: list[GlossaryEntry] = []
    for line in lines:
        _structural(ledger, line, "glossary text")
    for text, line in _paragraphs(lines[1:]):
        if _heading(line) is not None or len(squash(text)) < 12:
            continue  # a sub-heading such as 一、收入类
        body = _ENUM_RE.sub("", text).strip()
        match = re.match(r"(.{1,60}?)(?:[:：]|，指)(.*)", body)
        term, definition = (match.group(1), match.group(2)) if match else (body[:40], body)
        entries.append(GlossaryEntry(term.strip(), definition.strip(), line.ref(file)))
    return entries


def _structural(ledger: Ledger, line: Line, kind: str) -> None:
    for match in NUMBER_RE.finditer(line.text):
        token = match.group()
        after = line.text[match.end(): match.end() + 1]
        ledger.structural(line, token, "year" if len(token) == 4 and after == "年" else kind)


def _no_tables(doc: Disclosure, listed: list[TableKind], file: str) -> None:
    """A disclosure whose tables are not in this file: truncated, or printed as images.

    A 情况说明 (or a disclosure whose tables were scanned in as pictures) still says what
    it says: its statements are kept, with a warning naming the absent tables. With
    neither a table nor a statement there is nothing to read, and the error says why:
    the contents list tables that do not follow (cut short), or nothing follows the
    cover at all.
    """
    cover = f"{doc.kind.value} {doc.year} {doc.department}"
    if doc.statements:
        doc.warnings.append(f"no table in this file: {cover} is read for its statements only; "
                            "the standard tables (收支总表, 支出总表 …) are absent (printed as "
                            "images, or published in another file)")
        return
    if listed:
        raise ReadError(f"truncated: the cover names {cover} and the table of contents lists "
                        f"{len(listed)} table(s) ({', '.join(k.value for k in listed)}), but "
                        "neither a table nor a statement follows", file=file)
    raise ReadError(f"truncated, or not a disclosure: the cover names {cover}, but no budget "
                    "table (收支总表, 支出总表 …) and no statement of the figures follows",
                    file=file)


def _check_complete(doc: Disclosure) -> None:
    """Warn (never fail) when tables of the template are missing: maybe truncated.
    A 三公 publication has only its own."""
    if doc.kind.is_three_public:
        return
    expected = [TableKind.SUMMARY, TableKind.EXPENDITURE, TableKind.FISCAL_SUMMARY,
                TableKind.GENERAL_PUBLIC, TableKind.GENERAL_PUBLIC_BASIC, TableKind.THREE_PUBLIC]
    missing = [k.value for k in expected if doc.table(k) is None]
    if missing:
        doc.warnings.append(f"tables of the national template not found: {', '.join(missing)}")


def _check_not_hollow(table: Table, title: Line, body: list[Line], ledger: Ledger,
                      file: str) -> None:
    """A table recognised by its title, with numbers under it, that yields no figure.

    Its rows were misread (a layout the table reader does not know, cells it could
    not place), and publishing it would say the table is empty, which a reader of
    the model takes for zero. So it is an error naming the table, not an empty
    table. Numbers called structural (行次, codes, years in a note) are no data; a
    table without any other number is empty as printed, and is kept.
    """
    if any(value is not None for row in table.rows for value in row.values.values()):
        return
    numbers = ledger.not_structural(body)
    if not numbers:
        return
    first, text = numbers[0]
    raise ReadError(f"table {table.title!r} yields no figure, but its body holds "
                    f"{len(numbers)} number(s), the first {text!r} at {first.ref(file)}: "
                    "its rows could not be read", file=file, line=title.number, page=title.page)
