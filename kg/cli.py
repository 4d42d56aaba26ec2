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
    logging.getLogger("root").setLevel(logging.ERROR)  # obonet's stray warnings (this is the root logger)
    logging.getLogger("kg").setLevel(level)  # so kg's own -v messages still pass


def cmd_build(args: argparse.Namespace) -> int:
    from kg.pipeline import Pipeline
    from kg.ingest import read_sources
    from kg.rdf import format_for, write_atomic

    fmt = format_for(args.output)  # an unknown suffix fails before any work
    docs = read_sources(args.sources, args.input_format)
    pipeline = Pipeline(args.ontology, **_nlp_options(args))
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
        print(f"kg: {len(docs)} document(s), {sum(len(a.mentions) for a in kg.annotated)} mentions, "
              f"{g.number_of_nodes()} nodes, {g.number_of_edges()} claims -> {args.output}", file=sys.stderr)
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


def cmd_annotate(args: argparse.Namespace) -> int:
    from kg.corpora import write_pubtator
    from kg.ingest import read_sources
    from kg.pipeline import Pipeline
    from kg.rdf import write_atomic

    docs = read_sources(args.sources, args.input_format)
    kg = Pipeline(args.ontology, **_nlp_options(args)).run(docs, progress=not args.quiet and sys.stderr.isatty())
    write_atomic(args.output, write_pubtator(kg.annotated))
    if not args.quiet:
        print(f"kg: {len(docs)} document(s), {sum(len(a.mentions) for a in kg.annotated)} mentions -> {args.output}",
              file=sys.stderr)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from kg.evaluate import run_evaluation

    sys.stdout.write(run_evaluation(args.corpus, args.split, args.corpora, args.ontology, args.markdown, args.json,
                                    limit=args.limit, progress=not args.quiet and sys.stderr.isatty(),
                                    breakdown=args.breakdown, **_nlp_options(args)))
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from kg.evaluate import default_corpora_dir
    from kg.ner import MODEL_DIR, train_from_corpora

    out = args.output or MODEL_DIR
    root = args.corpora or default_corpora_dir()
    bar = None
    if not args.quiet and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=args.epochs, desc="kg train", unit="epoch", leave=False)
    try:
        train_from_corpora(root, out, epochs=args.epochs, seed=args.seed, limit=args.limit,
                           progress=(lambda epoch, loss: bar.update(1)) if bar is not None else None)
    finally:
        if bar is not None:
            bar.close()
    if not args.quiet:
        print(f"kg: NER model -> {out}", file=sys.stderr)
    return 0


def _nlp_options(args: argparse.Namespace) -> dict:
    """Pipeline options from --ner / --ner-model / --no-fuzzy."""
    ner = args.ner_model or getattr(args, "ner", False)
    return {"ner": ner, "fuzzy": not args.no_fuzzy}


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

    a = sub.add_parser("annotate", help="recognise and ground entities; write them as PubTator annotations")
    a.add_argument("sources", nargs="+", metavar="SOURCE", help="files or folders (PubTator, .txt, .jsonl, journal pages)")
    a.add_argument("-o", "--output", required=True, metavar="FILE", help="the PubTator file to write")
    a.add_argument("--format", choices=["pubtator"], default="pubtator", help="output format")
    a.add_argument("--input-format", choices=["journal", "text", "jsonl", "pubtator"],
                   help="read every source with this reader instead of sniffing")
    a.add_argument("--ontology", action="append", default=[], metavar="FILE", help="an extra ontology file (repeatable)")
    a.set_defaults(func=cmd_annotate)

    e = sub.add_parser("eval", help="measure recognition, normalisation and claims on annotated corpora")
    e.add_argument("--corpora", metavar="DIR", help="the corpora folder (default $KG_CORPORA or ../shared/corpora)")
    e.add_argument("--corpus", action="append", metavar="NAME",
                   help="a corpus of kg/data/corpora.toml (repeatable; default: all that are present)")
    e.add_argument("--split", default="dev", help="the split to evaluate (default dev)")
    e.add_argument("--ontology", action="append", default=[], metavar="FILE", help="an extra ontology file (repeatable)")
    e.add_argument("--markdown", metavar="FILE", help="also write the tables as Markdown")
    e.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    e.add_argument("--limit", type=int, default=0, help="only the first N documents of each corpus")
    e.add_argument("--breakdown", action="store_true",
                   help="also print mentions by how they were found (abbreviation, variant, hyphenated, ...) "
                        "and negated/hedged claims by sentence class (always in --markdown)")
    e.set_defaults(func=cmd_eval)

    t = sub.add_parser("train", help="train the NER model on the corpora's train splits (fixed seeds)")
    t.add_argument("--corpora", metavar="DIR", help="the corpora folder (default $KG_CORPORA or ../shared/corpora)")
    t.add_argument("-o", "--output", metavar="DIR", help="where to write the model (default: the package's kg/models/ner)")
    t.add_argument("--epochs", type=int, default=15)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--limit", type=int, default=0, help="only the first N documents of each corpus")
    t.set_defaults(func=cmd_train)

    for sp in (b, a, e):
        sp.add_argument("--ner", action="store_true",
                        help="also run the trained recogniser (kg/models/ner): higher recall, about 3.5x slower")
        sp.add_argument("--ner-model", metavar="DIR", help="a model written by 'kg train' (implies --ner)")
        sp.add_argument("--no-fuzzy", action="store_true",
                        help="do not ground mentions that match no lexicon term with the fuzzy linker")

    for sp in (b, q, s, a, e, t):
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
