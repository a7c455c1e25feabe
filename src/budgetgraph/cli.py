"""The ``budgetgraph`` command: parse, convert, validate, load, serve.

Every error that is the input's fault becomes one line on stderr naming the
file and line, and a non-zero exit (2); anything else is a bug and shows as one.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from budgetgraph import DEFAULT_BASE
from budgetgraph.errors import BudgetgraphError


def _cmd_parse(args: argparse.Namespace) -> int:
    from budgetgraph.pipeline import local_inputs
    from budgetgraph.readers import read
    from budgetgraph.summary import summary, to_json

    _register_regions(args.region)
    with local_inputs(args.files) as (paths, _):
        for path in paths:
            doc = read(path)
            print(to_json(doc) if args.json else summary(doc))
    return 0


def _cmd_convert(args: argparse.Namespace) -> int:
    from budgetgraph.pipeline import local_inputs, source_info, source_urls
    from budgetgraph.rdf.convert import convert
    from budgetgraph.rdf.serialize import RdfFormat, serialize
    from budgetgraph.readers import read

    fmt = RdfFormat[_FORMATS[args.format]]
    _register_regions(args.region)
    with local_inputs(args.files) as (paths, downloaded):
        urls = {**downloaded, **source_urls(paths, args.source_url)}
        documents = [read(path) for path in paths]
        sources = {doc.source_file: source_info(path, urls.get(path))
                   for path, doc in zip(paths, documents, strict=True)}
    dataset = convert(documents, base=args.base, sources=sources)
    text = serialize(dataset, fmt)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output} ({fmt.media_type})", file=sys.stderr)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from budgetgraph.pipeline import local_inputs
    from budgetgraph.report import run_validate

    _register_regions(args.region)
    if args.report is not None:
        args.report.parent.mkdir(parents=True, exist_ok=True)
    with local_inputs(args.files) as (paths, _):
        return run_validate(paths, args.report)


def _cmd_load(args: argparse.Namespace) -> int:
    from budgetgraph import remote
    from budgetgraph.pipeline import load, local_inputs, source_urls
    from budgetgraph.progress import Bar
    from budgetgraph.report import format_refused

    bar = Bar(sys.stderr)  # drawn only when stderr is a terminal
    say = bar.say

    if (args.store is None) == (args.endpoint is None):
        raise BudgetgraphError("give exactly one of --store DIR and --endpoint URL")
    endpoint = None
    if args.endpoint is not None:
        password = os.environ.get(args.password_env) if args.password_env else None
        endpoint = remote.endpoint(args.endpoint, engine=args.engine or "generic",
                                   user=args.user,
                                   password=password)
    _register_regions(args.region)
    with local_inputs(args.files) as (paths, downloaded):
        try:
            result = load(paths, args.store, base=args.base, force=args.force,
                          all_or_nothing=args.all_or_nothing, endpoint=endpoint,
                          urls={**downloaded, **source_urls(paths, args.source_url)},
                          jobs=args.jobs, say=say, progress=bar.update)
        finally:
            bar.close()
    if result.refused:
        say(format_refused(result.refused, total=len(args.files)))
    held = result.holdings
    say(f"{args.store or args.endpoint}: {held.documents} document(s), "
        f"{held.document_quads} quads, {held.reference_quads} quads of ontology and code lists "
        f"(this load: {len(result.documents)} loaded, {len(result.refused)} refused)")
    return result.exit_code


def _cmd_index(args: argparse.Namespace) -> int:
    from budgetgraph.store import index_names

    count = index_names(args.store)
    print(f"{args.store}: names index rebuilt, {count} entries", file=sys.stderr)
    return 0


def _cmd_search(args: argparse.Namespace) -> int:
    from budgetgraph.search import Index, SearchError
    from budgetgraph.store import require_store

    index = Index.beside(require_store(args.store))
    if index is None:
        raise SearchError("this store has no names index yet (run `budgetgraph index`)",
                          file=str(args.store))
    try:
        found = index.search(args.text, limit=args.limit)
    finally:
        index.close()
    for hit in found.hits:
        print(f"{hit.kind}\t{hit.label}\t{hit.iri}")
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    from budgetgraph.compare import run_compare

    return run_compare(args.endpoint, args.code, args.year, args.format, timeout=args.timeout)


def _cmd_export(args: argparse.Namespace) -> int:
    from budgetgraph.export import export_store, store_runner
    from budgetgraph.store import open_read_only, require_store
    from budgetgraph.web.settings import DEFAULTS as defaults

    store = open_read_only(require_store(args.store))
    written = export_store(store_runner(store), args.out, fmt=args.format, base=args.base,
                           title=defaults["title"], description=defaults["description"],
                           license_iri=defaults["license_iri"])
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    return 0


def _register_regions(pairs: Sequence[str]) -> None:
    """``--region NAME=CODE``: a GB/T 2260 region the built-in list lacks."""
    from budgetgraph.readers.vocabulary import register_region

    for pair in pairs:
        name, sep, code = pair.partition("=")
        if not sep or not code.isdigit() or len(code) != 6:
            raise BudgetgraphError(f"--region {pair!r}: expected NAME=CODE with a 6-digit code")
        register_region(name.strip(), code)


def _cmd_serve(args: argparse.Namespace) -> int:
    """Settings from ``--setting NAME VALUE`` (any of web/settings.py's, checked and coerced
    there) and from the options that name a setting; one setting given both ways is an
    error rather than a silent precedence."""
    from budgetgraph.web.serve import serve

    settings: dict[str, object] = {}
    for name, value in args.setting:
        if name in settings:
            raise BudgetgraphError(f"--setting {name} given twice")
        settings[name] = value
    options = {"store_dir": ("--store", args.store), "endpoint": ("--endpoint", args.endpoint),
               "endpoint_engine": ("--engine", args.engine),
               "endpoint_user": ("--user", args.user),
               "endpoint_password_env": ("--password-env", args.password_env),
               "base_iri": ("--base", args.base),
               "service_allowlist": ("--service-allow", tuple(args.service_allow) or None)}
    for name, (flag, value) in options.items():
        if value is None:
            continue
        if name in settings:
            raise BudgetgraphError(f"{flag} and --setting {name} both given: use one")
        settings[name] = value
    if bool(settings.get("store_dir")) == bool(settings.get("endpoint")):
        raise BudgetgraphError("give exactly one of --store DIR and --endpoint URL")
    store_dir = settings.pop("store_dir", None)
    serve(None if store_dir is None else str(store_dir), host=args.host, port=args.port,
          workers=args.workers, **settings)
    return 0


def _http_url(text: str) -> str:
    """An endpoint URL: http or https with a host, checked before anything connects."""
    scheme, sep, rest = text.partition("://")
    if scheme not in ("http", "https") or not sep or not rest.split("/", 1)[0]:
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {text!r}")
    return text


def _input(text: str) -> Path | str:
    """A document to read: a file, or an http(s) URL to download (kept as it is: a
    Path would fold its ``//``)."""
    from budgetgraph.readers.download import is_url

    return text if is_url(text) else Path(text)


def _base_iri(text: str) -> str:
    """A base IRI: an http(s) URL ending in '/', as every minted IRI starts with it."""
    if not text.endswith("/"):
        raise argparse.ArgumentTypeError(f"a base IRI must end with '/': {text!r}")
    return _http_url(text)


def _port(text: str) -> int:
    port = _positive(text)
    if port > 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port (1-65535): {text!r}")
    return port


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


#: --format names → RdfFormat member names (rdflib is imported only by convert)
_FORMATS = {"turtle": "TURTLE", "nt": "NTRIPLES", "nquads": "NQUADS", "trig": "TRIG",
            "jsonld": "JSONLD"}


class _PrintAndExit(argparse.Action):
    """An option that prints a text and exits, like ``--help``. The text is built only
    when asked: it needs imports that every other command's start-up would pay for."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        print(self.text())
        parser.exit()

    def text(self) -> str:
        raise NotImplementedError


class _Version(_PrintAndExit):
    def text(self) -> str:
        from importlib.metadata import version

        return f"budgetgraph {version('budgetgraph')}"


class _HelpSettings(_PrintAndExit):
    """Every setting, its default and meaning, from the one table in web/settings.py."""

    def text(self) -> str:
        import textwrap

        from budgetgraph.web.settings import SETTINGS

        return "\n".join(
            f"{s.name} (default {s.default!r})\n"
            + textwrap.fill(s.help, width=88, initial_indent="    ", subsequent_indent="    ")
            for s in SETTINGS)


def _endpoint_options(command: argparse.ArgumentParser, endpoint_help: str) -> None:
    """--endpoint and its companions, the same for load and serve."""
    command.add_argument("--endpoint", type=_http_url, metavar="URL", help=endpoint_help)
    command.add_argument("--engine",
                         choices=["virtuoso", "oxigraph", "fuseki", "graphdb", "generic"],
                         help="which engine --endpoint is (default generic)")
    command.add_argument("--user", help="user for --endpoint")
    command.add_argument("--password-env", metavar="VAR",
                         help="environment variable holding the --user's password")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="budgetgraph",
        description="Publish Chinese budget disclosures (部门预算/单位预算/部门决算) "
                    "as linked data.")
    parser.add_argument("--version", action=_Version, help="print the installed version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    files = {"nargs": "+", "type": _input, "metavar": "FILE"}
    inputs = ("PDF, text export, .xlsx, .xls, .docx or HTML, or their http(s) URLs; a "
              "disclosure published as two files (正文 and 公开表) is read as one when both "
              "are given, or when named a.pdf+b.pdf")
    source_url = {"action": "append", "default": [], "metavar": "URL", "dest": "source_url",
                  "help": "where the document was published (repeat: one per file, in order); "
                          "recorded with the source file's checksum"}
    region = {"action": "append", "default": [], "metavar": "NAME=CODE",
              "help": "a region name and its GB/T 2260 code, for regions the built-in "
                      "list lacks (repeatable)"}

    parse = commands.add_parser(
        "parse", help="read documents and account for every figure",
        description="Read documents and print what was read: tables, statements, and the "
                    "account of every number (figures read; numbers that are not figures, "
                    "counted by kind; numbers not understood, each with its line). A table "
                    "whose title is recognised but which yields no figure from the numbers "
                    "under it is an error (exit 2) naming the table and its line.")
    parse.add_argument("files", nargs="+", type=_input, metavar="FILE",
                       help="a disclosure: PDF, text export (UTF-8 or GBK), Excel "
                            "(.xlsx, .xls), Word (.docx) or HTML page; or its http(s) URL; "
                            "its 正文 and 公开表 files, given together, are read as one")
    parse.add_argument("--json", action="store_true",
                       help="dump the whole model as JSON, amounts as strings; its coverage "
                            "lists every number that is not a figure (non_figures: the number, "
                            "its file, page and line, and what it is: year, code, row number "
                            "(行次), page marker …) and every number left unread (unread: the "
                            "same, with why), beside the counts the plain output prints")
    parse.add_argument("--region", **region)
    parse.set_defaults(run=_cmd_parse)

    base = {"default": DEFAULT_BASE, "type": _base_iri, "metavar": "IRI",
            "help": f"base IRI of every minted IRI (default {DEFAULT_BASE})"}

    convert = commands.add_parser("convert", help="documents → RDF")
    convert.add_argument("files", help=f"disclosures: {inputs}", **files)
    convert.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    convert.add_argument("--format", choices=sorted(_FORMATS), default="turtle",
                         help="turtle and nt merge the named graphs; nquads, trig and "
                              "jsonld keep one graph per document (default turtle)")
    convert.add_argument("--base", **base)
    convert.add_argument("--source-url", **source_url)
    convert.add_argument("--region", **region)
    convert.set_defaults(run=_cmd_convert)

    validate = commands.add_parser(
        "validate", help="check every identity the tables must satisfy (SHACL)")
    validate.add_argument("files", help=f"disclosures ({inputs}) or RDF files "
                                        "(.ttl .nt .nq .trig .jsonld)",
                          **files)
    validate.add_argument("--report", type=Path, metavar="FILE",
                          help="also write the SHACL validation report graph (Turtle)")
    validate.add_argument("--region", **region)
    validate.set_defaults(run=_cmd_validate)

    load = commands.add_parser(
        "load", help="read, convert, validate and load documents into the store")
    load.add_argument("files", help=f"disclosures: {inputs}", **files)
    load.add_argument("--store", type=Path, metavar="DIR",
                      help="the embedded on-disk store (created if missing)")
    _endpoint_options(load, "or a SPARQL engine: each document's graph replaced through the "
                            "Graph Store Protocol or SPARQL Update (see docs/engines.md)")
    load.add_argument("--force", action="store_true",
                      help="load documents even when they have violations (the published "
                           "findings say so)")
    load.add_argument("--all-or-nothing", action="store_true",
                      help="load nothing if any document is refused (by default the others "
                           "are loaded, the refused listed, and the exit status is 1, or 2 if "
                           "one could not be read)")
    load.add_argument("--jobs", type=_positive, metavar="N",
                      help="read, convert and validate documents in N processes (default: one "
                           "per core); they are written one at a time, in the order given, "
                           "so the store gets the same whatever N is")
    load.add_argument("--source-url", **source_url)
    load.add_argument("--base", **base)
    load.add_argument("--region", **region)
    load.set_defaults(run=_cmd_load)

    index = commands.add_parser(
        "index", help="rebuild the names index of a store (a load keeps it current)")
    index.add_argument("--store", type=Path, metavar="DIR", required=True)
    index.set_defaults(run=_cmd_index)

    search = commands.add_parser(
        "search", help="find departments, units, codes, projects, indicators by name")
    search.add_argument("text", help="a name, part of one (two hanzi suffice) or a code")
    search.add_argument("--store", type=Path, metavar="DIR", required=True)
    search.add_argument("--limit", type=_positive, default=20)
    search.set_defaults(run=_cmd_search)

    serve = commands.add_parser("serve", help="serve the store: /sparql and the URIs")
    serve.add_argument("--store", type=Path, metavar="DIR",
                       help="the embedded store (made by `budgetgraph load --store`)")
    _endpoint_options(serve, "or serve a SPARQL engine's graphs: pages read it and /sparql "
                             "is forwarded to it (see docs/engines.md)")
    serve.add_argument("--service-allow", action="append", default=[], metavar="URL",
                       help="an endpoint that queries may call with SERVICE (repeatable; "
                            "none by default)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8000)
    serve.add_argument("--base", **{**base, "default": None})  # the base_iri setting's
    serve.add_argument("--setting", nargs=2, action="append", default=[],
                       metavar=("NAME", "VALUE"),
                       help="a server setting (repeatable; a list is comma-separated): "
                            "--help-settings lists them, docs/server.md explains them")
    serve.add_argument("--help-settings", action=_HelpSettings,
                       help="list every server setting and exit")
    serve.add_argument("--workers", type=_positive, default=2,
                       help="gunicorn workers (default 2)")
    serve.set_defaults(run=_cmd_serve)

    compare = commands.add_parser(
        "compare", help="one classification code across counties' endpoints")
    compare.add_argument("--endpoint", action="append", required=True, type=_http_url,
                         metavar="URL",
                         help="a SPARQL endpoint (repeat for each county)")
    compare.add_argument("--code", default="208", help="functional code (default 208)")
    compare.add_argument("--year", type=int, default=2024, help="fiscal year (default 2024)")
    compare.add_argument("--format", choices=["table", "csv", "json"], default="table")
    compare.add_argument("--timeout", type=float, default=10.0,
                         help="seconds to wait for each endpoint (default 10)")
    compare.set_defaults(run=_cmd_compare)
    export = commands.add_parser(
        "export", help="every table of the store as CSV, or as a Fiscal Data Package")
    export.add_argument("--format", choices=["csv", "fdp"], default="csv",
                        help="csv: one file per disclosure, one row per figure; fdp: "
                             "datapackage.json (Fiscal Data Package) and observations.csv "
                             "(default csv)")
    export.add_argument("--store", type=Path, metavar="DIR", required=True,
                        help="the embedded store (made by `budgetgraph load --store`)")
    export.add_argument("--out", type=Path, metavar="DIR", default=Path("."),
                        help="where to write the files (created if missing; default .)")
    export.add_argument("--base", **base)
    export.set_defaults(run=_cmd_export)
    return parser


def reference() -> str:
    """The CLI reference in Markdown, from the parser itself (docs/cli.md is this)."""
    parser = _parser()
    out = ["# Command-line reference", "",
           "Generated from `budgetgraph --help` by `make docs`; a test keeps it current.", "",
           "```text", parser.format_help().rstrip(), "```"]
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in commands.choices.items():
        out += ["", f"## budgetgraph {name}", "", "```text", sub.format_help().rstrip(), "```"]
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except BudgetgraphError as exc:
        print(f"budgetgraph: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # a file or store the system refused: say which, no traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"budgetgraph: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("budgetgraph: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
