"""What the endpoint must know about a query before an engine runs it, read from its text.

pyoxigraph 0.5 parses a query only to run it and exposes no syntax tree, and
rdflib's parser rejects valid SPARQL 1.1 (issue #15), so nothing here parses a
query: the engine alone decides whether it is valid. This module answers the
three questions the endpoint has before that:

* :func:`service_calls` — where could the engine call another host? Oxigraph's
  parser is scannerless: a keyword needs no blank around it, so
  ``?s ?p trueSERVICE<x>{}`` is a literal followed by a SERVICE pattern and
  ``SERVICE:x{}`` calls the IRI of prefix ``:``; and ``<`` is a less-than where
  a tokenizer sees an IRI (``FILTER(?a<?b||'x>')``), which moves where strings
  start and end. A tokenizer would miss calls the engine makes, so this
  function over-approximates instead: every occurrence of the letters
  ``service`` (any case) outside a variable name is read on by the grammar's
  own rule — blanks and comments, an optional ``SILENT``, a variable or an IRI,
  then ``{`` — and each that fits is reported. Text that merely looks like a
  call (in a comment or a string) is reported too; refusing it is the price of
  never missing a real one.
* :func:`names_dataset` — does the query have a ``FROM`` clause? Only a
  tokenizer is needed: the clause stands outside every bracket.
* :func:`is_update` — is the text a SPARQL Update (refused as read-only rather
  than as a syntax error)?

Callers run these on the query as sent and on its ``\\u`` escapes decoded
(:func:`unescape_codepoints`): SPARQL 1.1 §19.2 decodes them before parsing,
Oxigraph only inside IRIs and strings, and a check must hold for both readings.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

# Character classes of the SPARQL 1.1 grammar (§19.8), as regular-expression ranges.
_PN_CHARS_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
                  "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf"
                  "\ufdf0-\ufffd\U00010000-\U000effff")
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_VARNAME_REST = _PN_CHARS_U + "0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PN_CHARS = _VARNAME_REST + r"\-"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PN_LOCAL = (f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})"
             f"(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?")
# WS and comments, as the grammar and Oxigraph have them. Possessive, like every
# repetition here that could otherwise backtrack over a stranger's text for long.
_BLANK = r"(?:[ \t\r\n]++|\#[^\r\n]*+)*+"

_BLANKS = re.compile(_BLANK)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: Characters read after each ``service``: far more than any endpoint IRI needs.
READ_AHEAD = 512
_SERVICE = re.compile("service", re.IGNORECASE)
_SILENT = re.compile("silent", re.IGNORECASE)
_VARIABLE = re.compile(f"[?$][{_PN_CHARS_U}0-9][{_VARNAME_REST}]*+")
_IRIREF = re.compile(r"<([^>]*+)>")  # Oxigraph's rule: anything but '>', checked afterwards
_PREFIXED_NAME = re.compile(f"({_PN_PREFIX})?:({_PN_LOCAL})?")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_BASE_DECL = re.compile(f"(?i:base){_BLANK}<(?P<iri>[^>]*+)>")
_PREFIX_DECL = re.compile(f"(?i:prefix){_BLANK}(?P<ns>{_PN_PREFIX})?:{_BLANK}<(?P<iri>[^>]*+)>")
_VERSION_DECL = re.compile(f"""(?i:version){_BLANK}(?:"[^"\\r\\n]*+"|'[^'\\r\\n]*+')""")
_UPDATE_START = re.compile("insert|delete|load|clear|drop|create|add|move|copy|with",
                           re.IGNORECASE)
_TOKEN = re.compile(
    r"""(?P<blank>[ \t\r\n]+|\#[^\r\n]*)
      | (?P<string>'''(?:'{0,2}(?:[^'\\]|\\.))*'''|\"\"\"(?:"{0,2}(?:[^"\\]|\\.))*\"\"\"
                  |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
      | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
      | (?P<name>(?:[?$@]|_:)?(?:[""" + _PN_CHARS + r""".:%]|\\.)+)
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL)


def unescape_codepoints(text: str) -> str:
    """``text`` with every ``\\uXXXX`` and ``\\UXXXXXXXX`` decoded (SPARQL 1.1 §19.2).

    An escape that names no Unicode scalar value is left as written, as
    Oxigraph's optional standard-escaping mode leaves it.
    """

    def decode(match: re.Match[str]) -> str:
        value = int(match.group(1) or match.group(2), 16)
        if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
            return match.group(0)
        return chr(value)

    return _CODEPOINT.sub(decode, text)


@dataclass(frozen=True)
class Prologue:
    """The BASE and PREFIX declarations at the head of a query, and where they end."""

    base: str | None
    prefixes: dict[str, str]
    end: int


@dataclass(frozen=True)
class ServiceCall:
    """A call the engine may make: to ``target``, an IRI or a variable as written."""

    target: str
    variable: bool


def _iri(written: str, base: str | None) -> str:
    """The IRI an IRIREF's text stands for, as the engine resolves it (RFC 3986 §5.2).

    Oxigraph decodes ``\\u`` escapes inside IRIs, keeps an absolute IRI as
    written (scheme case and dot segments included) and resolves a relative one
    against the base. With no base a relative IRI is an error there, and another
    engine would resolve it against a base we do not know, so it is returned as
    written and can match no allow-list entry.
    """
    iri = unescape_codepoints(written)
    if base is None or _SCHEME.match(iri):
        return iri
    resolved = urljoin(base, iri)
    scheme = base.split(":", 1)[0]  # urljoin lower-cases the scheme; the engine does not
    if resolved.startswith(scheme.lower() + ":"):
        return scheme + resolved[len(scheme):]
    return resolved


def read_prologue(text: str, base: str | None) -> Prologue:
    """The declarations at the start of ``text``; ``base`` is the engine's default base."""
    prefixes: dict[str, str] = {}
    position = _BLANKS.match(text).end()  # type: ignore[union-attr]
    while True:
        if match := _BASE_DECL.match(text, position):
            base = _iri(match["iri"], base)
        elif match := _PREFIX_DECL.match(text, position):
            prefixes[match["ns"] or ""] = _iri(match["iri"], base)
        elif not (match := _VERSION_DECL.match(text, position)):
            return Prologue(base, prefixes, position)
        position = _BLANKS.match(text, match.end()).end()  # type: ignore[union-attr]


def _variable_spans(text: str) -> list[tuple[int, int]]:
    """Where the variables are, in order: no keyword can start inside one.

    A ``?`` or ``$`` followed by a name character always starts a variable, whose
    name runs as far as name characters go (Oxigraph's ``?`` path modifier is
    never followed by one), so ``?service`` and ``$my_service`` are names.
    """
    return [match.span() for match in _VARIABLE.finditer(text)]


def _in_variable(spans: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    index = bisect_right(starts, offset) - 1
    return index >= 0 and spans[index][0] < offset < spans[index][1]


def _targets(text: str, position: int, limit: int,
             prologue: Prologue) -> Iterator[tuple[str, bool, int]]:
    """Every variable or IRI that may start at ``position``, read up to ``limit``.

    Yields (target, is variable, end); an end at ``limit`` means the text was
    cut there and the target is not known.
    """
    if position >= limit:
        yield "", False, limit
        return
    if match := _VARIABLE.match(text, position, limit):
        yield match.group(0), True, match.end()
    if text.startswith("<", position):
        if match := _IRIREF.match(text, position, limit):
            yield _iri(match.group(1), prologue.base), False, match.end()
        else:  # the IRI may close after the limit
            yield text[position:limit], False, limit
    if match := _PREFIXED_NAME.match(text, position, limit):
        prefix, local = match.group(1) or "", match.group(2) or ""
        namespace = prologue.prefixes.get(prefix)
        if namespace is None:  # another engine may know the prefix; this one would fail
            yield f"{prefix}:{local}", False, match.end()
            return
        yield namespace + local.replace("\\", ""), False, match.end()
        yield namespace, False, match.start(2) if match.group(2) else match.end()


def service_calls(text: str, base: str | None) -> list[ServiceCall]:
    """Every place in ``text`` where an engine may read a SERVICE pattern, with its target.

    ``base`` is the engine's base IRI for relative IRIs (None if unknown). The
    list over-approximates (see the module docstring): a caller that refuses
    every target not on its allow-list refuses every call the engine would make.
    After each ``service`` at most :data:`READ_AHEAD` characters are read, so
    the check stays linear in the query's length; a call whose target or blanks
    run past that is reported with the text read so far, which no allow-list
    holds.
    """
    prologue = read_prologue(text, base)
    spans = _variable_spans(text)
    span_starts = [start for start, _ in spans]
    calls: list[ServiceCall] = []
    for keyword in _SERVICE.finditer(text):
        if _in_variable(spans, span_starts, keyword.start()):
            continue
        limit = min(len(text), keyword.end() + READ_AHEAD)
        after = _BLANKS.match(text, keyword.end(), limit).end()  # type: ignore[union-attr]
        starts = [after]
        if silent := _SILENT.match(text, after, limit):
            starts.append(_BLANKS.match(text, silent.end(), limit).end())  # type: ignore[union-attr]
        for start in starts:
            for target, variable, end in _targets(text, start, limit, prologue):
                brace = _BLANKS.match(text, end, limit).end()  # type: ignore[union-attr]
                if brace == limit < len(text) or text.startswith("{", brace):
                    calls.append(ServiceCall(target, variable))
    return calls


def names_dataset(text: str) -> bool:
    """Whether the query has a dataset clause: ``FROM`` outside every bracket.

    Only the query's head (before its WHERE group) stands outside all brackets,
    and there ``FROM`` can only begin a dataset clause; strings, IRIs, variables
    and prefixed names that contain the word are single tokens.
    """
    if "from" not in text.lower():
        return False
    depth = 0
    for token in _TOKEN.finditer(text):
        kind, value = token.lastgroup, token.group(0)
        if kind == "other":
            depth += {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}.get(value, 0)
        elif kind == "name" and depth == 0 and value.lower() == "from":
            return True
    return False


def is_update(text: str) -> bool:
    """Whether the text after the prologue starts as a SPARQL Update operation does."""
    return bool(_UPDATE_START.match(text, read_prologue(text, None).end))
