"""The ``kg`` command: a thin layer over the library (``kg.pipeline``, ``kg.rdf``, ``kg.draw``, ``kg.evaluation``)."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
import traceback
from pathlib import Path
from collections.abc import Sequence

from kg.curie import curies_of
from kg.errors import KgError
from kg.files import check_output, check_outputs, output_group, write_atomic

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
    from pathlib import Path

    from kg.pipeline import PipelineSpec, parse_langs
    from kg.rdf import format_for
    from kg.scale import BuildOptions, build_corpus, default_workers

    format_for(args.output)  # an unknown suffix fails before any work
    check_outputs(args.output, args.mentions)
    config = _config(args)
    for f in [*args.ontology, *args.zh_lexicon]:
        if not Path(f).is_file():
            raise KgError("no such ontology file", f)
    nlp = _nlp_options(args)
    spec = PipelineSpec(config, tuple(str(p) for p in args.ontology), tuple(str(p) for p in args.zh_lexicon),
                        parse_langs(args.lang, config), nlp["ner"] if isinstance(nlp["ner"], bool) else str(nlp["ner"]),
                        nlp["fuzzy"], nlp.get("use_annotations", False),
                        nlp["classifier"] if isinstance(nlp["classifier"], bool) else str(nlp["classifier"]))
    options = BuildOptions(
        workers=args.workers or default_workers(), chunk_size=args.chunk_size, dask=_dask_address(args.dask),
        resume=args.resume, work=Path(args.work) if args.work else None, keep_work=args.keep_work,
        on_error=args.on_error, input_format=args.input_format, mentions=Path(args.mentions) if args.mentions else None,
        store=Path(args.store) if args.store else None, progress=_progress(args))
    r = build_corpus(args.sources, args.output, spec, options)
    if not args.quiet:
        g = r.graph
        both = f" ({g.aligned} read in both languages, {g.single_language} in one)" if g.multilingual else ""
        skipped = f", {r.skipped} bad record(s) skipped" if r.skipped else ""
        resumed = f", {r.resumed} of {r.chunks} chunks from the earlier run" if r.resumed else ""
        deleted = f" and {r.deleted} deleted citation(s)" if r.deleted else ""
        print(f"kg: {r.documents - r.deleted} document(s){deleted}, {r.mentions} mentions, {g.nodes} nodes, {g.claims} claims{both}"
              f"{skipped}{resumed} -> {args.output}", file=sys.stderr)
        if r.store is not None:
            print(f"kg: {'created' if r.store.created else 'added to'} store {r.store.store}: "
                  f"{r.store.quads_after - r.store.quads_before:+,} triples, {r.store.quads_after:,} in all", file=sys.stderr)
    return 0


def _dask_address(value: str | None) -> str | None:
    """``--dask`` alone: a LocalCluster; ``--dask tcp://host:8786``: that scheduler."""
    if value is None or value == "local":
        return value
    if "://" not in value:
        raise KgError(f"--dask {value}: give a scheduler address such as tcp://host:8786 (or --dask alone for a "
                      "cluster on this machine, written after the sources)")
    return value


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
    backend = open_backend(args.graph, args.engine, allow_service=args.allow_service)
    result = backend.query(text, source)
    sys.stdout.write(format_result(result, args.format, backend.namespace_graph(), curies))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from kg.rdf import format_stats, stats
    from kg.rdf.store import open_backend

    s = stats(open_backend(args.graph), curies_of(_config(args)))
    sys.stdout.write(json.dumps(s, indent=1, ensure_ascii=False) + "\n" if args.json else format_stats(s))
    return 0


def cmd_draw(args: argparse.Namespace) -> int:
    from kg.draw import draw_file

    check_outputs(args.output)
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
    check_outputs(args.output, args.report)
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

    r = load_store(args.graphs, args.store, replace_graphs=not args.add)
    if not args.quiet:
        removed = f", {r.deleted} deleted document(s) removed" if r.deleted else ""
        print(f"kg: {'created' if r.created else 'added to'} store {r.store}: {r.files} file(s), "
              f"{r.quads_after - r.quads_before:,} new triples{removed}, {r.quads_after:,} in all", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from kg.rdf.serve import HOST, Limits, describe, is_loopback, serve_forever, sigterm_as_interrupt, start

    host = args.bind or HOST
    if not is_loopback(host):
        print(f"kg: warning: serving on {host}, not only this machine: anyone who can reach it can read the whole "
              "graph" + (" and change it (--writable)" if args.writable else ""), file=sys.stderr, flush=True)
    with sigterm_as_interrupt():
        endpoint = start(args.graph, args.port, args.writable, args.timeout, host=host, app="kg.browse",
                         app_args=("--config", args.config) if args.config else (), limits=Limits.of(args))
        def announce() -> None:
            print(f"kg: {describe(endpoint, args.graph, pages=True)}", file=sys.stderr, flush=True)

        return 0 if serve_forever(endpoint, announce) in (0, -signal.SIGTERM) else 1


def cmd_validate(args: argparse.Namespace) -> int:
    from kg.rdf.store import open_backend
    from kg.rdf.validate import shape_files, validate

    report = validate(open_backend(args.graph).to_rdflib(), args.shapes or shape_files(_config(args)),
                      check_shapes=bool(args.shapes))
    if not report.conforms or not args.quiet:
        (sys.stdout if report.conforms else sys.stderr).write(report.text())
    return 0 if report.conforms else 1


def cmd_export(args: argparse.Namespace) -> int:
    from kg.rdf.kgx import export
    from kg.rdf.store import open_backend

    check_output(args.output, folder=True)
    if Path(args.output).is_dir():
        check_outputs(Path(args.output) / "nodes.tsv", Path(args.output) / "edges.tsv")
    nodes, edges = export(open_backend(args.graph).to_rdflib(), args.output, args.knowledge_source)
    if not args.quiet:
        print(f"kg: KGX TSV -> {nodes}, {edges}", file=sys.stderr)
    return 0


ANNOTATION_FORMATS = ("pubtator", "bioc-json", "bioc-xml")


def cmd_annotate(args: argparse.Namespace) -> int:
    from kg.corpora import write_bioc_json, write_bioc_xml, write_pubtator
    from kg.ground import Identifiers
    from kg.ingest import read_sources
    from kg.pipeline import Pipeline

    writer = {"pubtator": write_pubtator, "bioc-json": write_bioc_json, "bioc-xml": write_bioc_xml}[args.format]
    check_outputs(args.output)
    config = _config(args)
    docs = read_sources(args.sources, args.input_format)
    kg = Pipeline(args.ontology, config=config, **_nlp_options(args)).run(docs, progress=_progress(args))
    write_atomic(args.output, writer(kg.annotated, Identifiers(kg.lexicon, config)))
    if not args.quiet:
        print(f"kg: {len(kg.documents)} document(s), {sum(len(a.mentions) for a in kg.annotated)} mentions -> {args.output}",
              file=sys.stderr)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from kg.evaluation import run_evaluation

    check_outputs(args.json)
    sys.stdout.write(run_evaluation(args.corpus, args.split, args.corpora, args.ontology, args.markdown, args.json,
                                    limit=args.limit, progress=_progress(args), breakdown=args.breakdown,
                                    half=args.half, config=_config(args), part=args.part, **_nlp_options(args)))
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
    """Pipeline options from --ner / --accurate / --ner-model / --no-fuzzy / --claims-model / --rules-only /
    --use-annotations."""
    ner = args.ner_model or ("accurate" if getattr(args, "accurate", False) else getattr(args, "ner", False))
    classifier = False if getattr(args, "rules_only", False) else (getattr(args, "claims_model", None) or True)
    options = {"ner": ner, "fuzzy": not args.no_fuzzy, "classifier": classifier}
    if getattr(args, "use_annotations", False):
        options["use_annotations"] = True
    return options


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


INPUT_FORMATS = ["journal", "text", "jsonl", "pubtator", "pubmed", "medline", "jats", "bioc"]
SOURCES_HELP = ("files or folders: PubMed XML, MEDLINE/.nbib, PMC JATS (.nxml), BioC XML/JSON, PubTator, .jsonl, "
                ".txt, journal pages (gzipped or not)")


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


def _annotation_arguments(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--use-annotations", action="store_true",
                    help="documents that come with entity annotations (BioC, PubTator3, PubTator) take those entities "
                         "instead of kg's recogniser (grounded from their identifiers)")


def _build_parser(sub) -> argparse.ArgumentParser:
    b = sub.add_parser("build", help="read documents and write their knowledge graph as RDF")
    b.add_argument("sources", nargs="+", metavar="SOURCE", help=SOURCES_HELP)
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
    _annotation_arguments(b)
    scale = b.add_argument_group("scale", "large corpora: chunks, workers, clusters, resuming, stores")
    scale.add_argument("--workers", type=int, default=0, metavar="N",
                       help="worker processes (default: the machine's cores; a single chunk runs in this process)")
    scale.add_argument("--chunk-size", type=int, default=500, metavar="DOCS", help="documents per chunk (default 500)")
    scale.add_argument("--dask", nargs="?", const="local", metavar="ADDRESS",
                       help="run the chunks on Dask: alone, a local cluster of --workers processes; with "
                            "tcp://host:8786, that scheduler's cluster (pip install 'kg[dask]')")
    scale.add_argument("--work", metavar="DIR",
                       help="the work folder for the manifest and the chunks' shards (default OUTPUT.work; with "
                            "--dask, a folder every worker reaches under the same path)")
    scale.add_argument("--resume", action="store_true",
                       help="keep the chunks an earlier, interrupted run of the same inputs and configuration did")
    scale.add_argument("--keep-work", action="store_true", help="keep the work folder after the build")
    scale.add_argument("--on-error", choices=["stop", "skip"], default="stop",
                       help="a bad record: stop with an error (default), or skip it and count it")
    scale.add_argument("--store", metavar="DIR",
                       help="also load the graph into this Oxigraph store (created, or added to: a document "
                            "built again replaces its named graph)")
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
    q.add_argument("--allow-service", action="store_true",
                   help="let the query use SERVICE (federation: kg then fetches the URLs the query names)")
    q.set_defaults(func=cmd_query)
    return q


def _stats_parser(sub) -> argparse.ArgumentParser:
    s = sub.add_parser("stats", help="summarise a graph file or a store")
    s.add_argument("graph", metavar="GRAPH_OR_STORE")
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
    ld.add_argument("--add", action="store_true",
                    help="add named graphs to those of the same name instead of replacing them")
    ld.set_defaults(func=cmd_load)
    return ld


def _serve_parser(sub) -> argparse.ArgumentParser:
    sv = sub.add_parser("serve", help="browse a graph file or store, and serve it as a SPARQL endpoint, on 127.0.0.1")
    sv.add_argument("graph", metavar="GRAPH_OR_STORE")
    sv.add_argument("--port", type=int, default=7878, help="TCP port (default 7878; 0 picks a free one)")
    sv.add_argument("--bind", metavar="ADDRESS",
                    help="listen on this address instead of 127.0.0.1 (e.g. 0.0.0.0: every interface; a warning is printed)")
    sv.add_argument("--writable", action="store_true", help="accept SPARQL updates at /update")
    sv.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                    help="a query still running after this long is stopped, with HTTP 503 (default 30)")
    sv.add_argument("--workers", type=int, default=2, metavar="N",
                    help="queries run at once, each in a process of its own that is stopped at the timeout or the "
                         "memory limit (default 2; 0: in the server, stopped only while its result is written)")
    sv.add_argument("--max-memory", type=int, default=2048, metavar="MB",
                    help="memory one query may use before it is stopped, with HTTP 503 (default 2048)")
    sv.add_argument("--allow-service", action="store_true",
                    help="let queries use SERVICE, and updates LOAD (kg then fetches the URLs they name)")
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
    a = sub.add_parser("annotate", help="recognise and ground entities; write them as PubTator or BioC annotations")
    a.add_argument("sources", nargs="+", metavar="SOURCE", help=SOURCES_HELP)
    a.add_argument("-o", "--output", required=True, metavar="FILE", help="the annotation file to write")
    a.add_argument("--format", choices=ANNOTATION_FORMATS, default="pubtator",
                   help="output format: PubTator (default), BioC JSON or BioC XML")
    a.add_argument("--input-format", choices=INPUT_FORMATS, help="read every source with this reader instead of sniffing")
    a.add_argument("--ontology", action="append", default=[], metavar="FILE", help="an extra ontology file (repeatable)")
    _nlp_arguments(a)
    _annotation_arguments(a)
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
    ev.add_argument("--part", choices=["choose", "held_out"],
                    help="only the part of each split that choices are made on, or the part held out from every "
                         "choice, for corpora that define one (held_out in kg/data/corpora.toml: CMeEE, CMeIE)")
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


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments; options may stand between ``kg query``'s GRAPH and QUERY (argparse alone refuses)."""
    p = parser()
    args, extra = p.parse_known_args(argv)
    if extra and args.command == "query" and not any(x.startswith("-") for x in extra):
        missing = [name for name in ("graph", "query") if getattr(args, name) is None]
        if len(extra) <= len(missing):
            if missing == ["graph", "query"] or len(extra) == len(missing):
                for name, value in zip(missing, extra):
                    setattr(args, name, value)
                return args
            # one value and both missing would have filled graph: only the query is missing here
    if extra:
        p.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that what is half-written is removed on the way out."""


def _on_sigterm(signum, frame) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    _setup_logging(args)
    old = signal.signal(signal.SIGTERM, _on_sigterm) if threading.current_thread() is threading.main_thread() else None
    try:
        with output_group():  # a command's outputs: all moved into place when it succeeds, or none
            return args.func(args)
    except KgError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 1
    except Terminated:
        print("kg: terminated; nothing half-written is left", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("kg: interrupted; nothing half-written is left", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: one line, the traceback only when asked for
        if getattr(args, "verbose", 0):
            traceback.print_exc(file=sys.stderr)
        where = "" if getattr(args, "verbose", 0) else " (run with -v for the traceback)"
        print(f"kg: internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}; please report it{where}",
              file=sys.stderr)
        return 1
    finally:
        if old is not None:
            signal.signal(signal.SIGTERM, old)


def run() -> None:
    """The ``kg`` command: ``main`` in a process of kg's own (``kg.process``), which settles each pipeline
    it builds and leaves without tearing down what it built."""
    from kg.process import leave, own_process

    own_process()
    leave(main())


if __name__ == "__main__":
    run()
