"""The ``kg`` command: a thin layer over the library (``kg.pipeline``, ``kg.rdf``, ``kg.draw``, ``kg.evaluation``)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import signal
import sys
from collections.abc import Sequence

from kg.curie import curies_of
from kg.errors import KgError
from kg.files import write_atomic

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
    from kg.ingest import read_sources
    from kg.pipeline import Pipeline
    from kg.rdf import format_for

    fmt = format_for(args.output)  # an unknown suffix fails before any work
    config = _config(args)
    docs = read_sources(args.sources, args.input_format)
    pipeline = Pipeline(args.ontology, lang=args.lang, zh_lexicons=args.zh_lexicon, config=config, **_nlp_options(args))
    kg = pipeline.run(docs, progress=_progress(args))
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
    from kg.rdf.named import describe, find_named, named_queries, parse_params, read_named, render
    from kg.rdf.query import format_result, read_query
    from kg.rdf.store import open_backend

    curies = curies_of(_config(args))
    if args.list:
        sys.stdout.write("\n".join(describe(q) for q in named_queries().values()) + "\n")
        return 0
    params = parse_params(args.param)
    if args.named:
        if args.query:
            raise KgError("give either --named NAME or a QUERY, not both")
        named = find_named(args.named)
        text, source = render(named, params, curies), str(named.path)
    elif not args.query:
        raise KgError("give a QUERY (SPARQL text or @file.rq) or --named NAME (kg query --list shows them)")
    elif args.query.startswith("@"):
        named = read_named(args.query[1:])  # a .rq file may declare parameters ('# @param' lines)
        text, source = render(named, params, curies), args.query[1:]
    else:
        if params:
            raise KgError("--param needs --named NAME or a @file.rq that declares the parameter")
        text, source = read_query(args.query), "query"
        if not text.strip():
            raise KgError("empty SPARQL query")
    if args.show:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return 0
    if not args.graph:
        raise KgError("give a GRAPH: an RDF file or an Oxigraph store folder (kg load)")
    backend = open_backend(args.graph, args.engine)
    result = backend.query(text, source)
    sys.stdout.write(format_result(result, args.format, backend.namespace_graph(), curies))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from kg.rdf import format_stats, load_graph, stats

    s = stats(load_graph(args.graph))
    sys.stdout.write(json.dumps(s, indent=1, ensure_ascii=False) + "\n" if args.json else format_stats(s))
    return 0


def cmd_draw(args: argparse.Namespace) -> int:
    from kg.draw import draw_file

    view = draw_file(args.graph, args.output, focus=args.focus, depth=args.depth, title=args.title,
                     config=_config(args))
    if not args.quiet:
        print(f"kg: drew {view.number_of_nodes()} nodes, {view.number_of_edges()} edges -> {args.output}", file=sys.stderr)
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from kg.rdf.merge import merge_files, merge_sources_from_args

    config = _config(args)
    spec = merge_sources_from_args(args.sources, args.spec, args.shipped, "all" if args.all else None,
                                   False if args.no_xrefs else None, config=config)
    report = merge_files(args.graph, spec, args.output, curies_of(config))
    if args.report:
        write_atomic(args.report, json.dumps(report.to_dict(), indent=1, ensure_ascii=False) + "\n")
    if not args.quiet:
        for line in report.summary():
            print(f"kg: {line}", file=sys.stderr)
        print(f"kg: -> {args.output}", file=sys.stderr)
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from kg.rdf.store import load_store

    r = load_store(args.graphs, args.store)
    if not args.quiet:
        print(f"kg: {'created' if r.created else 'added to'} store {r.store}: {r.files} file(s), "
              f"{r.quads_after - r.quads_before:,} new triples, {r.quads_after:,} in all", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from kg.rdf.serve import describe, serve_forever, sigterm_as_interrupt, start

    with sigterm_as_interrupt():
        endpoint = start(args.graph, args.port, args.writable, args.timeout)
        print(f"kg: {describe(endpoint, args.graph)}", file=sys.stderr, flush=True)
        return 0 if serve_forever(endpoint) in (0, -signal.SIGTERM) else 1


def cmd_validate(args: argparse.Namespace) -> int:
    from kg.rdf.store import open_backend
    from kg.rdf.validate import shape_files, validate

    report = validate(open_backend(args.graph).to_rdflib(), args.shapes or shape_files(_config(args)))
    if not report.conforms or not args.quiet:
        (sys.stdout if report.conforms else sys.stderr).write(report.text())
    return 0 if report.conforms else 1


def cmd_export(args: argparse.Namespace) -> int:
    from kg.rdf.kgx import export
    from kg.rdf.store import open_backend

    nodes, edges = export(open_backend(args.graph).to_rdflib(), args.output, args.knowledge_source)
    if not args.quiet:
        print(f"kg: KGX TSV -> {nodes}, {edges}", file=sys.stderr)
    return 0


def cmd_annotate(args: argparse.Namespace) -> int:
    from kg.corpora import write_pubtator
    from kg.ground import Identifiers
    from kg.ingest import read_sources
    from kg.pipeline import Pipeline

    config = _config(args)
    docs = read_sources(args.sources, args.input_format)
    kg = Pipeline(args.ontology, config=config, **_nlp_options(args)).run(docs, progress=_progress(args))
    write_atomic(args.output, write_pubtator(kg.annotated, Identifiers(kg.lexicon, config)))
    if not args.quiet:
        print(f"kg: {len(docs)} document(s), {sum(len(a.mentions) for a in kg.annotated)} mentions -> {args.output}",
              file=sys.stderr)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from kg.evaluation import run_evaluation

    sys.stdout.write(run_evaluation(args.corpus, args.split, args.corpora, args.ontology, args.markdown, args.json,
                                    limit=args.limit, progress=_progress(args), breakdown=args.breakdown,
                                    half=args.half, config=_config(args), **_nlp_options(args)))
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from kg.corpora import default_corpora_dir

    root = args.corpora or default_corpora_dir()
    if args.model == "claims":
        from kg.training import train_claims
        from kg.training.claims import sources

        config = _config(args)
        bar = None
        if _progress(args):
            from tqdm import tqdm

            bar = tqdm(total=len(sources(config)), desc="kg train claims", unit="corpus", leave=False)
        try:
            model = train_claims(root, args.output, config=config, limit=args.limit, seed=args.seed,
                                 progress=(lambda name: bar.update(1)) if bar is not None else None)
        finally:
            if bar is not None:
                bar.close()
        if not args.quiet:
            print(f"kg: claim model, {len(model.weights)} features ({', '.join(model.classes)}) -> "
                  f"{args.output or 'kg/models/claims'}", file=sys.stderr)
        return 0
    from kg.nlp.ner import MODEL_DIR
    from kg.training import train_from_corpora

    out = args.output or MODEL_DIR
    bar = None
    if _progress(args):
        from tqdm import tqdm

        bar = tqdm(total=args.epochs, desc="kg train", unit="epoch", leave=False)
    try:
        train_from_corpora(root, out, epochs=args.epochs, seed=args.seed or 0, limit=args.limit,
                           progress=(lambda epoch, loss: bar.update(1)) if bar is not None else None,
                           config=_config(args), lexicon_features=args.lexicon_features)
    finally:
        if bar is not None:
            bar.close()
    if not args.quiet:
        print(f"kg: NER model -> {out}", file=sys.stderr)
    return 0


def _config(args: argparse.Namespace):
    """The policy: the shipped files, with those of ``--config DIR`` in their place."""
    from kg.config import Config

    return Config.load(args.config) if getattr(args, "config", None) else Config.default()


def _progress(args: argparse.Namespace) -> bool:
    """Whether to show a progress bar: on a terminal, unless -q."""
    return not args.quiet and sys.stderr.isatty()


def _nlp_options(args: argparse.Namespace) -> dict:
    """Pipeline options from --ner / --accurate / --ner-model / --no-fuzzy / --claims-model / --rules-only."""
    ner = args.ner_model or ("accurate" if getattr(args, "accurate", False) else getattr(args, "ner", False))
    classifier = False if getattr(args, "rules_only", False) else (getattr(args, "claims_model", None) or True)
    return {"ner": ner, "fuzzy": not args.no_fuzzy, "classifier": classifier}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description="Build and use a therapy–disease–mechanism knowledge graph.")
    sub = p.add_subparsers(dest="command", required=True)
    built = [add(sub) for add in (_build_parser, _query_parser, _stats_parser, _draw_parser, _merge_parser,
                                  _load_parser, _serve_parser, _validate_parser, _export_parser, _annotate_parser,
                                  _eval_parser, _train_parser)]
    for sp in built:
        sp.add_argument("--config", metavar="DIR",
                        help="a folder of policy files (kg/data: types.toml, relations.en.toml, ...): each file "
                             "found there replaces the shipped one of its name")
        sp.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
        sp.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv for debug)")
    return p


INPUT_FORMATS = ["journal", "text", "jsonl", "pubtator"]


def _nlp_arguments(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--ner", action="store_true",
                    help="also run the trained recogniser (kg/models/ner): higher recall, about 3.5x slower")
    sp.add_argument("--accurate", action="store_true",
                    help="also run the recogniser trained on the lexicon's tags (kg/models/ner_lexicon): the best "
                         "mention figures, about 3.5x slower (EVALUATION.md)")
    sp.add_argument("--ner-model", metavar="DIR", help="a model written by 'kg train ner' (implies --ner)")
    sp.add_argument("--no-fuzzy", action="store_true",
                    help="do not ground mentions that match no lexicon term with the fuzzy linker")
    sp.add_argument("--claims-model", metavar="FILE",
                    help="a claim classifier written by 'kg train claims' (default: the shipped one, claims.toml)")
    sp.add_argument("--rules-only", action="store_true",
                    help="no claim classifier: the rules alone decide the treats and adverse-effect claims")


def _build_parser(sub) -> argparse.ArgumentParser:
    b = sub.add_parser("build", help="read documents and write their knowledge graph as RDF")
    b.add_argument("sources", nargs="+", metavar="SOURCE", help="files or folders (journal pages, .txt, .jsonl, PubTator)")
    b.add_argument("-o", "--output", required=True, metavar="FILE", help="output RDF: .ttl .nt .jsonld .trig .nq")
    b.add_argument("--ontology", action="append", default=[], metavar="FILE",
                   help="an extra OBO, OWL/RDF, SSSOM or kg lexicon file (repeatable)")
    b.add_argument("--input-format", choices=INPUT_FORMATS, help="read every source with this reader instead of sniffing")
    b.add_argument("--mentions", metavar="FILE.tsv", help="also write every grounded mention to this TSV")
    b.add_argument("--lang", choices=["en", "zh", "all"], default="all",
                   help="which languages' titles and abstracts to read (default: all; claims read in both are aligned)")
    b.add_argument("--zh-lexicon", action="append", default=[], metavar="FILE",
                   help="extra Chinese lexicon rows (term, id, scope, en, source; see ontologies/zh/lexicon.tsv)")
    _nlp_arguments(b)
    b.set_defaults(func=cmd_build)
    return b


def _query_parser(sub) -> argparse.ArgumentParser:
    q = sub.add_parser("query", help="run a SPARQL query (or a named one) over a graph file or a store")
    q.add_argument("graph", metavar="GRAPH", nargs="?",
                   help="an RDF file (.ttl .nt .jsonld .trig .nq) or an Oxigraph store folder (kg load)")
    q.add_argument("query", metavar="QUERY", nargs="?", help="SPARQL text, or @file.rq")
    q.add_argument("--format", choices=["table", "csv", "json"], default="table")
    q.add_argument("--named", metavar="NAME", help="a named query (see --list), or a .rq file with '# @param' lines")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a parameter of the named query; CURIEs (MONDO:0005154) are expanded (repeatable)")
    q.add_argument("--engine", choices=["rdflib", "oxigraph"],
                   help="for a graph file: rdflib (default) or Oxigraph in memory; a store always uses Oxigraph")
    q.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    q.add_argument("--show", action="store_true", help="print the SPARQL with its parameters bound; run nothing")
    q.set_defaults(func=cmd_query)
    return q


def _stats_parser(sub) -> argparse.ArgumentParser:
    s = sub.add_parser("stats", help="summarise a graph file")
    s.add_argument("graph", metavar="GRAPH")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(func=cmd_stats)
    return s


def _draw_parser(sub) -> argparse.ArgumentParser:
    d = sub.add_parser("draw", help="draw a graph file: a static figure (.png .svg) or an offline interactive page (.html)")
    d.add_argument("graph", metavar="GRAPH", help="an RDF file written by kg build (.ttl .nt .jsonld .trig .nq)")
    d.add_argument("-o", "--output", required=True, metavar="FIG", help="output: .png .svg or .html")
    d.add_argument("--focus", action="append", default=[], metavar="CURIE",
                   help="draw only the neighbourhood of this node (a CURIE, IRI or equivalent id; repeatable)")
    d.add_argument("--depth", type=int, default=1, metavar="N", help="with --focus: how many edges away (default 1)")
    d.add_argument("--title", help="figure title (default: the article's title)")
    d.set_defaults(func=cmd_draw)
    return d


def _merge_parser(sub) -> argparse.ArgumentParser:
    m = sub.add_parser("merge", help="add ontology classes (labels, synonyms, subClassOf, mappings) to a graph")
    m.add_argument("graph", metavar="GRAPH", help="an RDF file")
    m.add_argument("sources", nargs="*", metavar="ONTOLOGY",
                   help="OBO, OWL/RDF, SSSOM or kg lexicon files, or .toml merge specs")
    m.add_argument("-o", "--output", required=True, metavar="FILE", help="the merged graph: .ttl .nt .jsonld .trig .nq")
    m.add_argument("--spec", action="append", default=[], metavar="FILE.toml", help="a merge spec (repeatable)")
    m.add_argument("--shipped", action="store_true", help="merge the shipped lexicons and mappings (ontologies/merge.toml)")
    m.add_argument("--all", action="store_true", help="add every class, not only those the graph's nodes reach")
    m.add_argument("--no-xrefs", action="store_true", help="do not turn the ontologies' xrefs into skos:exactMatch")
    m.add_argument("--report", metavar="FILE.json", help="also write the full merge report as JSON")
    m.set_defaults(func=cmd_merge)
    return m


def _load_parser(sub) -> argparse.ArgumentParser:
    ld = sub.add_parser("load", help="load graph files into an on-disk Oxigraph store")
    ld.add_argument("graphs", nargs="+", metavar="GRAPH", help="RDF files (.ttl .nt .jsonld .trig .nq .owl)")
    ld.add_argument("--store", required=True, metavar="DIR", help="the store folder (created when missing)")
    ld.set_defaults(func=cmd_load)
    return ld


def _serve_parser(sub) -> argparse.ArgumentParser:
    sv = sub.add_parser("serve", help="serve a graph file or store as a SPARQL endpoint on 127.0.0.1")
    sv.add_argument("graph", metavar="GRAPH_OR_STORE")
    sv.add_argument("--port", type=int, default=7878, help="TCP port (default 7878; 0 picks a free one)")
    sv.add_argument("--writable", action="store_true", help="accept SPARQL updates at /update")
    sv.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="query timeout (default 30)")
    sv.set_defaults(func=cmd_serve)
    return sv


def _validate_parser(sub) -> argparse.ArgumentParser:
    v = sub.add_parser("validate", help="check a graph against the SHACL shapes (kg's and Biolink's)")
    v.add_argument("graph", metavar="GRAPH_OR_STORE")
    v.add_argument("--shapes", action="append", default=[], metavar="FILE.ttl",
                   help="use these shapes instead of the shipped ones (repeatable)")
    v.set_defaults(func=cmd_validate)
    return v


def _export_parser(sub) -> argparse.ArgumentParser:
    e = sub.add_parser("export", help="write a graph as KGX TSV (DIR/nodes.tsv, DIR/edges.tsv)")
    e.add_argument("graph", metavar="GRAPH_OR_STORE")
    e.add_argument("-o", "--output", required=True, metavar="DIR", help="the folder to write nodes.tsv and edges.tsv in")
    e.add_argument("--knowledge-source", default="infores:kg", metavar="INFORES",
                   help="primary_knowledge_source and provided_by (default infores:kg)")
    e.set_defaults(func=cmd_export)
    return e


def _annotate_parser(sub) -> argparse.ArgumentParser:
    a = sub.add_parser("annotate", help="recognise and ground entities; write them as PubTator annotations")
    a.add_argument("sources", nargs="+", metavar="SOURCE", help="files or folders (PubTator, .txt, .jsonl, journal pages)")
    a.add_argument("-o", "--output", required=True, metavar="FILE", help="the PubTator file to write")
    a.add_argument("--format", choices=["pubtator"], default="pubtator", help="output format")
    a.add_argument("--input-format", choices=INPUT_FORMATS, help="read every source with this reader instead of sniffing")
    a.add_argument("--ontology", action="append", default=[], metavar="FILE", help="an extra ontology file (repeatable)")
    _nlp_arguments(a)
    a.set_defaults(func=cmd_annotate)
    return a


def _eval_parser(sub) -> argparse.ArgumentParser:
    ev = sub.add_parser("eval", help="measure recognition, normalisation and claims on annotated corpora")
    ev.add_argument("--corpora", metavar="DIR", help="the corpora folder (default $KG_CORPORA or ../shared/corpora)")
    ev.add_argument("--corpus", action="append", metavar="NAME",
                    help="a corpus of kg/data/corpora.toml (repeatable; default: all that are present)")
    ev.add_argument("--split", default="dev", help="the split to evaluate (default dev)")
    ev.add_argument("--ontology", action="append", default=[], metavar="FILE", help="an extra ontology file (repeatable)")
    ev.add_argument("--markdown", metavar="FILE", help="also write the tables as Markdown")
    ev.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    ev.add_argument("--limit", type=int, default=0, help="only the first N documents of each corpus")
    ev.add_argument("--half", choices=["even", "odd"],
                    help="only the documents at even (0, 2, ...) or odd positions of each split: Rosario-Hearst's "
                         "rules are chosen on its even half, its odd half is held out (EVALUATION.md)")
    ev.add_argument("--breakdown", action="store_true",
                    help="also print mentions by how they were found (abbreviation, variant, hyphenated, ...) "
                         "and negated/hedged claims by sentence class (always in --markdown)")
    _nlp_arguments(ev)
    ev.set_defaults(func=cmd_eval)
    return ev


def _train_parser(sub) -> argparse.ArgumentParser:
    t = sub.add_parser("train", help="train the recogniser (ner) or the claim classifier (claims) on the "
                                     "corpora's annotations (fixed seeds)")
    t.add_argument("model", nargs="?", choices=["ner", "claims"], default="ner",
                   help="what to train: the NER model (default) or the claim classifier (claims.toml [training])")
    t.add_argument("--corpora", metavar="DIR", help="the corpora folder (default $KG_CORPORA or ../shared/corpora)")
    t.add_argument("-o", "--output", metavar="PATH",
                   help="where to write the model (default: the package's kg/models/ner, or the claims model file)")
    t.add_argument("--epochs", type=int, default=15, help="NER training epochs")
    t.add_argument("--lexicon-features", action="store_true",
                   help="NER: also learn from the lexicon matcher's tag of each token (the --accurate recogniser)")
    t.add_argument("--seed", type=int, default=None, help="random seed (default 0; claims: [training] seed)")
    t.add_argument("--limit", type=int, default=0, help="only the first N documents of each corpus")
    t.set_defaults(func=cmd_train)
    return t


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
