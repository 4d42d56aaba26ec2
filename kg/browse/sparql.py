"""The SPARQL page: an editor, the named queries (``kg/data/queries``) as examples with their parameters,
results as a table with CSV and JSON downloads (through the endpoint, ``/query``, under its timeout)."""

from __future__ import annotations

import json
import urllib.parse

from kg.browse.pages import entity_url, h, layout
from kg.errors import KgError
from kg.rdf.named import NamedQuery, named_queries, render
from kg.rdf.serve import BadQuery, QueryTimeout, QueryTooBig, Service

MAX_ROWS = 500
PLACEHOLDER = """PREFIX biolink: <https://w3id.org/biolink/vocab/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?subject ?predicate ?object WHERE {
  ?a a biolink:Association ; biolink:subject ?s ; biolink:predicate ?predicate ; biolink:object ?o .
  ?s rdfs:label ?subject . ?o rdfs:label ?object .
  FILTER(lang(?subject) = "" && lang(?object) = "")
} LIMIT 50"""


def sparql_page(service: Service, params: dict[str, list[str]], curie) -> tuple[int, str]:
    """(status, page) for ``/sparql``: ``query`` runs a query; ``named`` with its parameters fills the
    editor with a named query and runs it."""
    first = {k: v[0] for k, v in params.items() if v}
    text, error, status = first.get("query", ""), "", 200
    queries = named_queries()
    chosen = queries.get(first.get("named", ""))
    if chosen is not None:
        try:
            text = render(chosen, {p.name: first[p.name] for p in chosen.params if first.get(p.name)})
        except KgError as exc:
            text, error, status = chosen.text, exc.message, 400
    result = ""
    if text.strip() and not error:
        try:
            result = _result(service, text, curie)
        except BadQuery as exc:
            error, status = exc.message, 400
        except (QueryTimeout, QueryTooBig) as exc:
            error, status = exc.message, 503
    editor = (f'<form class="sparql" action="/sparql" method="get"><textarea name="query" id="editor" rows="14" '
              f'spellcheck="false" placeholder="{h(PLACEHOLDER)}">{h(text)}</textarea>'
              '<p><button type="submit">Run</button> <span class="muted">Named graphs are queried as their union. '
              f'Queries stop after the server\'s timeout ({service.timeout:g} s).</span></p></form>')
    err = f'<p class="error" role="alert">{h(error)}</p>' if error else ""
    examples = "".join(_example(q) for q in queries.values())
    body = (f"<h1>SPARQL</h1>{editor}{err}{result}<section><h2>Named queries</h2>"
            f"<p class='muted'>The queries of <code>kg query --named</code>; fill in the parameters and run.</p>"
            f"{examples}</section>")
    return status, layout("SPARQL", body)


def _example(q: NamedQuery) -> str:
    fields = "".join(f'<label>{h(p.name)} <input name="{h(p.name)}" {"required" if p.required else ""} '
                     f'placeholder="{h(p.type)}" title="{h(p.description)}"></label> ' for p in q.params)
    return (f'<details class="named"><summary><b>{h(q.name)}</b> — {h(q.title)}</summary>'
            f'<p>{h(q.description)}</p><form action="/sparql" method="get"><input type="hidden" name="named" value="{h(q.name)}">'
            f'{fields}<button type="submit">Run</button></form><pre>{h(q.text)}</pre></details>')


def _result(service: Service, text: str, curie) -> str:
    body, media = service.answer(text, accept="application/sparql-results+json, application/n-triples")
    downloads = " ".join(f'<a href="/query?{h(urllib.parse.urlencode({"query": text, "format": f}))}" download>{f.upper()}</a>'
                         for f in ("csv", "json"))
    if media != "application/sparql-results+json":
        lines = body.decode("utf-8").splitlines()
        shown = "\n".join(lines[:MAX_ROWS])
        return f'<section><h2>Result: {len(lines)} triples</h2><pre class="triples">{h(shown)}</pre></section>'
    data = json.loads(body)
    if "boolean" in data:
        return f'<section><h2>Result</h2><p class="ask">{"true" if data["boolean"] else "false"}</p></section>'
    names = data["head"]["vars"]
    rows = data["results"]["bindings"]
    head = "".join(f"<th>{h(n)}</th>" for n in names)
    trs = "".join("<tr>" + "".join(f"<td>{_cell(r.get(n), curie)}</td>" for n in names) + "</tr>" for r in rows[:MAX_ROWS])
    note = f" (the first {MAX_ROWS} shown; download them all)" if len(rows) > MAX_ROWS else ""
    return (f'<section><h2>Result: {len(rows)} row{"s" if len(rows) != 1 else ""}{note}</h2>'
            f'<p>Download: {downloads}</p><div class="scroll"><table class="results"><thead><tr>{head}</tr></thead>'
            f'<tbody>{trs}</tbody></table></div></section>')


def _cell(term: dict | None, curie) -> str:
    if term is None:
        return ""
    if term["type"] == "uri":
        c = curie(term["value"])
        return f'<a href="{h(entity_url(c))}" title="{h(term["value"])}">{h(c)}</a>'
    tag = f' <span class="muted">@{h(term["xml:lang"])}</span>' if term.get("xml:lang") else ""
    return f"{h(term['value'])}{tag}"
