"""The ``kg`` command: a thin layer over the library (``kg.pipeline``, ``kg.query``)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import sys
from collections.abc import Sequence

from kg.errors import KgError

log = logging.getLogger("kg")


def _setup_logging(args: argparse.Namespace) -> None:
    level = logging.WARNING
    if getattr(args, "quiet", False):
        level = logging.ERROR
    elif getattr(args, "verbose", 0):
        level = logging.INFO if args.verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="kg: %(levelname)s: %(message)s", stream=sys.stderr)
    for handler in logging.getLogger().handlers:
        # obonet logs its parser notes through the root logger itself ("name and ontology keys are both
        # missing"); keep those out, and every kg.* message in.
        handler.addFilter(lambda record: record.name != "root" or record.levelno >= logging.ERROR)


def cmd_build(args: argparse.Namespace) -> int:
    from kg.pipeline import Pipeline
    from kg.ingest import read_sources
    from kg.rdf import format_for, write_atomic

    fmt = format_for(args.output)  # an unknown suffix fails before any work
    docs = read_sources(args.sources, args.input_format)
    pipeline = Pipeline(args.ontology, lang=args.lang, zh_lexicons=args.zh_lexicon)
    kg = pipeline.run(docs, progress=not args.quiet and sys.stderr.isatty())
    kg.write(args.output, fmt)
    if args.mentions:
        rows = kg.mentions()
        buf = io.StringIO()
        fields = ["document", "section", "lang", "sentence", "start", "end", "text", "type", "concept", "label",
                  "category", "long_form", "context", "groundings"]
        w = csv.DictWriter(buf, fieldnames=fields, delimiter="\t", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        write_atomic(args.mentions, buf.getvalue())
    if not args.quiet:
        g = kg.graph
        aligned = g.graph.get("alignment")
        both = f" ({aligned['aligned']} read in both languages, {aligned['single_language']} in one)" if aligned else ""
        print(f"kg: {len(docs)} document(s), {sum(len(a.mentions) for a in kg.annotated)} mentions, "
              f"{g.number_of_nodes()} nodes, {g.number_of_edges()} claims{both} -> {args.output}", file=sys.stderr)
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from kg.query import format_result, load_graph, read_query, run_query

    text = read_query(args.query)
    if not text.strip():
        raise KgError("empty SPARQL query", args.query[1:] if args.query.startswith("@") else None)
    graph = load_graph(args.graph)
    result = run_query(graph, text, args.query[1:] if args.query.startswith("@") else "query")
    sys.stdout.write(format_result(result, args.format, graph))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from kg.query import format_stats, load_graph, stats

    s = stats(load_graph(args.graph))
    sys.stdout.write(json.dumps(s, indent=1, ensure_ascii=False) + "\n" if args.json else format_stats(s))
    return 0


def cmd_draw(args: argparse.Namespace) -> int:
    from kg.draw import draw_file

    view = draw_file(args.graph, args.output, focus=args.focus, depth=args.depth, title=args.title)
    if not args.quiet:
        print(f"kg: drew {view.number_of_nodes()} nodes, {view.number_of_edges()} edges -> {args.output}", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description="Build and use a therapy–disease–mechanism knowledge graph.")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="read documents and write their knowledge graph as RDF")
    b.add_argument("sources", nargs="+", metavar="SOURCE", help="files or folders (journal pages, .txt, .jsonl, PubTator)")
    b.add_argument("-o", "--output", required=True, metavar="FILE", help="output RDF: .ttl .nt .jsonld .trig .nq")
    b.add_argument("--ontology", action="append", default=[], metavar="FILE",
                   help="an extra OBO, OWL/RDF, SSSOM or kg lexicon file (repeatable)")
    b.add_argument("--input-format", choices=["journal", "text", "jsonl", "pubtator"],
                   help="read every source with this reader instead of sniffing")
    b.add_argument("--mentions", metavar="FILE.tsv", help="also write every grounded mention to this TSV")
    b.add_argument("--lang", choices=["en", "zh", "all"], default="all",
                   help="which languages' titles and abstracts to read (default: all; claims read in both are aligned)")
    b.add_argument("--zh-lexicon", action="append", default=[], metavar="FILE",
                   help="extra Chinese lexicon rows (term, id, scope, en, source; see ontologies/zh/lexicon.tsv)")
    b.set_defaults(func=cmd_build)

    q = sub.add_parser("query", help="run a SPARQL query over a graph file")
    q.add_argument("graph", metavar="GRAPH", help="an RDF file (.ttl .nt .jsonld .trig .nq)")
    q.add_argument("query", metavar="QUERY", help="SPARQL text, or @file.rq")
    q.add_argument("--format", choices=["table", "csv", "json"], default="table")
    q.set_defaults(func=cmd_query)

    s = sub.add_parser("stats", help="summarise a graph file")
    s.add_argument("graph", metavar="GRAPH")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(func=cmd_stats)

    d = sub.add_parser("draw", help="draw a graph file: a static figure (.png .svg) or an offline interactive page (.html)")
    d.add_argument("graph", metavar="GRAPH", help="an RDF file written by kg build (.ttl .nt .jsonld .trig .nq)")
    d.add_argument("-o", "--output", required=True, metavar="FIG", help="output: .png .svg or .html")
    d.add_argument("--focus", action="append", default=[], metavar="CURIE",
                   help="draw only the neighbourhood of this node (a CURIE, IRI or equivalent id; repeatable)")
    d.add_argument("--depth", type=int, default=1, metavar="N", help="with --focus: how many edges away (default 1)")
    d.add_argument("--title", help="figure title (default: the article's title)")
    d.set_defaults(func=cmd_draw)

    for sp in (b, q, s, d):
        sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
        sp.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv for debug)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    _setup_logging(args)
    try:
        return args.func(args)
    except KgError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
