"""The ``budgetgraph`` command: parse, convert, validate, load, serve.

Every error that is the input's fault becomes one line on stderr naming the
file and line, and a non-zero exit (2); anything else is a bug and shows as one.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from budgetgraph.errors import BudgetgraphError


def _cmd_parse(args: argparse.Namespace) -> int:
    from budgetgraph.readers import read
    from budgetgraph.summary import summary, to_json

    for path in args.files:
        doc = read(path)
        print(to_json(doc) if args.json else summary(doc))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="budgetgraph",
        description="Publish Chinese budget disclosures (部门预算/单位预算/部门决算) "
                    "as linked data.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    parse = commands.add_parser("parse", help="read documents and account for every figure")
    parse.add_argument("files", nargs="+", type=Path, metavar="FILE",
                       help="a disclosure: PDF or text export (UTF-8 or GBK)")
    parse.add_argument("--json", action="store_true", help="dump the whole model as JSON")
    parse.set_defaults(run=_cmd_parse)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except BudgetgraphError as exc:
        print(f"budgetgraph: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("budgetgraph: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
