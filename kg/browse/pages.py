"""The pages, rendered on the server as HTML. Every text from the graph passes ``h`` (escaped): document text
is untrusted, and a title holding ``<script>`` shows as text. The pages work without JavaScript; with it,
the search box suggests as you type and the entity page draws its neighbourhood (vis-network, shipped)."""

from __future__ import annotations

import html
import urllib.parse
from collections import defaultdict
from collections.abc import Iterable

from kg.browse.data import Claim, Document, DocRef, Entity, Evidence, Node, Overview
from kg.browse.graph import as_script_data
from kg.browse.search import Hit
from kg.draw.style import Style
from kg.draw.view import edge_label

LANGS = {"en": "English", "zh": "Chinese", "": "no language tag"}


def h(text: object) -> str:
    """Text as HTML (quotes escaped too, so it is safe in attributes)."""
    return html.escape(str(text), quote=True)


def entity_url(n: Node | str) -> str:
    return "/entity/" + urllib.parse.quote(n.curie if isinstance(n, Node) else n, safe=":")


def document_url(ref: DocRef) -> str:
    return "/document/" + urllib.parse.quote(ref.key, safe=":/")


def layout(title: str, body: str, q: str = "", scripts: Iterable[str] = ()) -> str:
    """A whole page: the header with the search box, the body, the scripts."""
    tags = "".join(f'<script src="{h(s)}" defer></script>' for s in ("/assets/browse.js", *scripts))
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{h(title)} · kg</title><link rel="stylesheet" href="/assets/browse.css"></head><body>'
        '<header><a class="brand" href="/">kg</a>'
        '<form class="search" action="/search" method="get" role="search">'
        f'<input type="search" name="q" id="q" value="{h(q)}" autocomplete="off" '
        'placeholder="entity, synonym, CURIE, 中文名…" aria-label="search"><button type="submit">Search</button>'
        '<ul id="suggest" class="suggest" hidden></ul></form>'
        '<nav><a href="/">Overview</a> <a href="/sparql">SPARQL</a></nav></header>'
        f'<main>{body}</main><footer>kg browser · SPARQL 1.1 endpoint at <code>/query</code></footer>'
        f"{tags}</body></html>\n")


def error_page(status: int, title: str, message: str) -> str:
    return layout(title, f'<h1>{h(title)}</h1><p class="error">{h(message)}</p><p><a href="/">Back to the overview</a></p>')


def chip(style: Style, categories: Iterable[str]) -> str:
    """A node's category, in its colour."""
    cat = style.category_of(list(categories))
    return f'<span class="cat" style="--c:{h(style.color(cat))}" title="{h(cat or "")}">{h(style.category_label(cat))}</span>'


def node_link(n: Node, style: Style | None = None) -> str:
    dot = f'<span class="dot" style="--c:{h(style.color(style.category_of(n.categories)))}"></span>' if style else ""
    return f'{dot}<a href="{h(entity_url(n))}" title="{h(n.curie)}">{h(n.name)}</a>'


def doc_links(ref: DocRef) -> str:
    """A document's title linked to its page, with its DOI and PMID linked to doi.org and PubMed."""
    out = [f'<a href="{h(document_url(ref))}">{h(ref.title)}</a>']
    for ident in ref.identifiers:
        kind, _, local = ident.partition(":")
        if kind.lower() == "doi":
            out.append(f'<a class="ext" href="https://doi.org/{h(urllib.parse.quote(local, safe="/:;()"))}">DOI {h(local)}</a>')
        elif kind.upper() == "PMID":
            out.append(f'<a class="ext" href="https://pubmed.ncbi.nlm.nih.gov/{h(urllib.parse.quote(local))}/">PMID {h(local)}</a>')
    if ref.year:
        out.append(f'<span class="muted">{h(ref.year)}</span>')
    return " ".join(out)


# ---------------------------------------------------------------- overview and search


def overview_page(ov: Overview, style: Style) -> str:
    cats = "".join(f"<tr><td>{chip(style, [c])}</td><td><code>{h(c)}</code></td><td class='n'>{n}</td></tr>"
                   for c, n in ov.categories)
    preds = "".join(f"<tr><td>{h(edge_label(style, p, d))}</td><td><code>{h(p)}</code>{h(f' ({d})' if d else '')}</td>"
                    f"<td class='n'>{n}</td><td class='n'>{hd}</td><td class='n'>{ng}</td></tr>" for p, d, n, hd, ng in ov.predicates)
    docs = "".join(f"<li>{doc_links(d)}</li>" for d in ov.documents)
    more = f"<p class='muted'>and {ov.documents_total - len(ov.documents)} more (search by title, DOI or PMID)</p>" \
        if ov.documents_total > len(ov.documents) else ""
    body = (
        '<h1>Knowledge graph</h1><form class="big search" action="/search" method="get">'
        '<input type="search" name="q" id="q-big" autocomplete="off" placeholder="cirrhosis, MSCs, DOID:5082, 肝硬化…" '
        'aria-label="search"><button type="submit">Search</button><ul class="suggest" hidden></ul></form>'
        f'<p class="stats"><b>{ov.triples:,}</b> triples · <b>{ov.entities:,}</b> entities · '
        f'<b>{ov.claims:,}</b> claims · <b>{ov.documents_total:,}</b> documents</p>'
        '<div class="cols"><section><h2>Entities by category</h2><table><thead><tr><th>category</th><th></th>'
        f'<th>entities</th></tr></thead><tbody>{cats}</tbody></table></section>'
        '<section><h2>Claims by predicate</h2><table><thead><tr><th>claim</th><th>predicate</th><th>claims</th>'
        f'<th>hedged</th><th>negated</th></tr></thead><tbody>{preds}</tbody></table></section></div>'
        f'<section><h2>Documents</h2><ul class="docs">{docs}</ul>{more}</section>')
    return layout("Overview", body)


def hits_json(hits: list[Hit], style: Style) -> list[dict]:
    """Search hits for the as-you-type list."""
    return [{"label": x.label, "curie": x.curie, "matched": x.matched if x.matched != x.label else "",
             "kind": x.kind, "category": "document" if x.document else style.category_label(style.category_of(x.categories)),
             "color": style.color(style.category_of(x.categories)) if not x.document else "#999999",
             "url": ("/document/" if x.document else "/entity/") + urllib.parse.quote(x.curie, safe=":/" if x.document else ":")}
            for x in hits]


def search_page(q: str, hits: list[Hit], style: Style) -> str:
    rows = []
    for x in hits_json(hits, style):
        also = f' <span class="muted">— {h(x["kind"])}: {h(x["matched"])}</span>' if x["matched"] else ""
        rows.append(f'<li><span class="dot" style="--c:{h(x["color"])}"></span><a href="{h(x["url"])}">{h(x["label"])}</a> '
                    f'<code>{h(x["curie"])}</code> <span class="muted">{h(x["category"])}</span>{also}</li>')
    found = f"<ol class='hits'>{''.join(rows)}</ol>" if rows else f"<p>Nothing matches “{h(q)}”.</p>" if q else ""
    return layout(f"Search {q}" if q else "Search", f"<h1>Search</h1>{found}", q=q)


# ---------------------------------------------------------------- an entity


def entity_page(e: Entity, style: Style, graph: dict) -> str:
    n = e.node
    other = [f'<span lang="{h(lg)}">{h(t)}</span>' for t, lg in n.labels if t != n.label]
    ids = "".join(f'<li><a class="ext" href="{h(i)}" title="its page in its ontology"><code>{h(c)}</code></a></li>'
                  for i, c in e.identifiers)
    parts = [f'<h1>{h(n.name)} {"".join(other)}</h1>',
             f'<p>{chip(style, n.categories)} <code>{h(n.curie)}</code>'
             + (f' <span class="muted">entity type: {h(e.entity_type)}</span>' if e.entity_type else "") + "</p>",
             f'<section><h2>Identifiers</h2><ul class="ids">{ids}</ul></section>']
    if e.synonyms:
        syn = "".join(f'<li><span lang="{h(lg)}">{h(t)}</span> <span class="muted">{h(kind)}</span></li>' for t, lg, kind in e.synonyms)
        parts.append(f'<section><h2>Synonyms</h2><ul class="syn">{syn}</ul></section>')
    parts.append(_structure(e, style))
    if graph["edges"]:
        parts.append('<section><h2>Neighbourhood</h2><div id="graph" class="graph" aria-label="neighbourhood graph">'
                     '<noscript>The graph needs JavaScript; the claims below list the same links.</noscript></div>'
                     f'<script type="application/json" id="graph-data">{as_script_data(graph)}</script>'
                     f'{_legend(style, graph)}</section>')
    parts.append(_claims_section(e, style))
    if e.documents:
        docs = "".join(f"<li>{doc_links(d)}</li>" for d in e.documents)
        more = f"<p class='muted'>and {e.documents_total - len(e.documents)} more</p>" if e.documents_total > len(e.documents) else ""
        parts.append(f'<section><h2>Mentioned in</h2><ul class="docs">{docs}</ul>{more}</section>')
    scripts = ["/assets/vis-network.min.js", "/assets/graph.js"] if graph["edges"] else []
    return layout(n.name, "".join(parts), scripts=scripts)


def _structure(e: Entity, style: Style) -> str:
    """Parents, children, agent, parts."""
    rows = []
    for title, nodes, total in (("Parents (is a)", e.parents, len(e.parents)), ("Children", e.children, e.children_total),
                                ("Therapeutic agent", [e.agent] if e.agent else [], 1),
                                ("Composed of", e.parts, len(e.parts)), ("Therapies made of it", e.agent_of, len(e.agent_of))):
        if nodes:
            more = f" <span class='muted'>and {total - len(nodes)} more</span>" if total > len(nodes) else ""
            rows.append(f"<dt>{h(title)}</dt><dd>{', '.join(node_link(x, style) for x in nodes)}{more}</dd>")
    return f'<section><h2>Hierarchy and structure</h2><dl class="structure">{"".join(rows)}</dl></section>' if rows else ""


def _legend(style: Style, graph: dict) -> str:
    colours = {x["color"] for x in graph["nodes"]}
    cats = [f'<span><span class="dot" style="--c:{h(c)}"></span>{h(label)}</span>'
            for _, label, c in (*style.categories, (None, *style.other)) if c in colours]
    return (f'<p class="legend">{" ".join(cats)} <span class="muted">Dashed: hedged. Grey dotted: negated. '
            'Bar head: decreases. Click a node to open it.</span></p>')


def _claims_section(e: Entity, style: Style) -> str:
    if not e.claims_total:
        return '<section><h2>Claims</h2><p class="muted">This entity takes part in no claim.</p></section>'
    groups: dict[tuple, list[Claim]] = defaultdict(list)
    for c in e.claims:
        outgoing = c.subject.iri in {i for i, _ in e.identifiers}
        groups[(c.predicate, c.direction or "", outgoing)].append(c)
    out = [f'<section><h2>Claims ({e.claims_total})</h2>']
    for (pred, direction, outgoing), claims in groups.items():
        label = edge_label(style, pred, direction or None)
        arrow = f"{h(e.node.name)} → {h(label)} → …" if outgoing else f"… → {h(label)} → {h(e.node.name)}"
        fam = style.family(pred, direction or None, claims[0].claim_types)
        out.append(f'<h3 class="pred" style="--c:{h(fam.color)}">{arrow} <code>{h(pred)}</code>'
                   f'{h(f" ({direction})" if direction else "")} <span class="muted">{len(claims)}</span></h3>')
        out.append('<ul class="claims">' + "".join(claim_html(c, style) for c in claims) + "</ul>")
    if e.pages > 1:
        links = " ".join(f'<a href="?page={p}">{p}</a>' if p != e.page else f"<b>{p}</b>" for p in range(1, e.pages + 1))
        out.append(f'<p class="pager">Pages of claims: {links}</p>')
    out.append("</section>")
    return "".join(out)


def claim_html(c: Claim, style: Style, evidence: list[Evidence] | None = None) -> str:
    """A claim: subject, predicate, object, its flags and its evidence sentences."""
    label = ("not " if c.negated else "") + edge_label(style, c.predicate, c.direction)
    flags = []
    if c.negated:
        flags.append('<span class="flag neg">negated</span>')
    if c.hedged:
        flags.append('<span class="flag hedge">hedged</span>')
    flags += [f'<span class="flag">{h(t)}</span>' for t in c.claim_types]
    if c.score:
        flags.append(f'<span class="muted">score {h(c.score)}</span>')
    if c.languages:
        flags.append(f'<span class="muted">read in {h(", ".join(c.languages))}</span>')
    extra = ""
    if c.mediators:
        extra += "<div>through " + ", ".join(node_link(m, style) for m in c.mediators) + "</div>"
    if c.products:
        extra += "<div>product: " + ", ".join(h(p) for p in c.products) + "</div>"
    evs = c.evidence if evidence is None else evidence
    more = c.evidence_total - len(c.evidence) if evidence is None else 0
    ev_html = "".join(evidence_html(ev, c, style) for ev in evs)
    if more > 0:
        ev_html += f'<li class="muted">and {more} more sentences</li>'
    return (f'<li class="claim{" negated" if c.negated else ""}{" hedged" if c.hedged else ""}">'
            f'<div class="triple">{node_link(c.subject, style)} <strong class="pred">{h(label)}</strong> {node_link(c.object, style)} {" ".join(flags)}</div>'
            f'{extra}<ul class="evidence">{ev_html}</ul></li>')


def evidence_html(ev: Evidence, c: Claim, style: Style) -> str:
    """One evidence sentence with the subject and object marked from their offsets, the trigger and the
    cue words marked where found, and where it was read."""
    marks = []
    if ev.subject_span:
        marks.append((*ev.subject_span, "subj", c.subject))
    if ev.object_span:
        marks.append((*ev.object_span, "obj", c.object))
    for word, kind in ((ev.trigger, "trig"), *((w, "hedge") for w in ev.hedge_cues), *((w, "negcue") for w in ev.negation_cues)):
        span = _find(ev.text, word, marks)
        if span:
            marks.append((*span, kind, None))
    cues = [f'<span class="cue trig">trigger: {h(ev.trigger)}</span>'] if ev.trigger else []
    cues += [f'<span class="cue hedge">hedge cue: {h(w)}</span>' for w in ev.hedge_cues]
    cues += [f'<span class="cue negcue">negation cue: {h(w)}</span>' for w in ev.negation_cues]
    where = [doc_links(ev.document)] if ev.document else []
    where += [f'<span class="muted">{h(ev.section)}</span>' if ev.section else "",
              f'<span class="muted">{h(LANGS.get(ev.lang, ev.lang))}</span>']
    return (f'<li class="ev"><blockquote class="sentence" lang="{h(ev.lang)}">{marked(ev.text, marks, style)}</blockquote>'
            f'<div class="cues">{" ".join(cues)}</div><div class="where">{" · ".join(x for x in where if x)}</div></li>')


def _find(text: str, word: str, taken: list) -> tuple[int, int] | None:
    """The first occurrence of ``word`` in ``text`` (any case) that overlaps no span taken."""
    if not word:
        return None
    low, w = text.lower(), word.lower()
    i = low.find(w)
    while i >= 0:
        if all(i + len(w) <= s or i >= t for s, t, *_ in taken):
            return i, i + len(w)
        i = low.find(w, i + 1)
    return None


def marked(text: str, marks: list[tuple[int, int, str, Node | None]], style: Style) -> str:
    """``text`` with these spans marked (overlapping ones after the first are left out), everything escaped."""
    out, pos = [], 0
    for s, t, kind, node in sorted(marks, key=lambda m: (m[0], -m[1])):
        if s < pos or s >= t or t > len(text):
            continue
        out.append(h(text[pos:s]))
        inner = h(text[s:t])
        if node is not None:
            colour = style.color(style.category_of(node.categories))
            title = {"subj": "subject", "obj": "object"}.get(kind, "mention")
            inner = (f'<a href="{h(entity_url(node))}" title="{h(title)}: {h(node.name)} ({h(node.curie)})">{inner}</a>')
            out.append(f'<mark class="{kind}" style="--c:{h(colour)}">{inner}</mark>')
        else:
            out.append(f'<mark class="{kind}">{inner}</mark>')
        pos = t
    out.append(h(text[pos:]))
    return "".join(out)


# ---------------------------------------------------------------- a document


def document_page(d: Document, style: Style) -> str:
    ref = d.ref
    titles = "".join(f'<h1 lang="{h(lg)}">{_section_html(d, "title", lg, t, style)}</h1>' for t, lg in ref.titles) \
        or f"<h1>{h(ref.key)}</h1>"
    meta = [f"<dt>identifiers</dt><dd>{doc_links(DocRef(ref.iri, ref.key, [], ref.identifiers))}"
            f' <a class="ext" href="{h(ref.iri)}"><code>{h(ref.iri)}</code></a></dd>']
    if d.authors:
        names = ["/".join(h(n) for n, _ in a) for a in d.authors]
        meta.append(f"<dt>authors</dt><dd>{', '.join(names)}</dd>")
    if d.journal:
        meta.append(f"<dt>journal</dt><dd>{h('; '.join(d.journal))}</dd>")
    for k, vals in d.fields.items():
        meta.append(f"<dt>{h(k)}</dt><dd>{', '.join(_in_lang(v, lg) for v, lg in sorted(vals))}</dd>")
    for name, grants in d.funding:
        meta.append(f"<dt>funding</dt><dd>{h(name)}{h(' (' + ', '.join(grants) + ')' if grants else '')}</dd>")
    abstracts = "".join(f'<section><h2>Abstract ({h(LANGS.get(lg, lg))})</h2><p class="abstract" lang="{h(lg)}">'
                        f'{_section_html(d, "abstract", lg, t, style)}</p></section>' for t, lg in d.abstracts)
    by_cat: dict[str, list[Node]] = defaultdict(list)
    for n in d.mentioned:
        by_cat[style.category_label(style.category_of(n.categories))].append(n)
    mentioned = "".join(f"<dt>{h(cat)}</dt><dd>{', '.join(node_link(n, style) for n in ns)}</dd>" for cat, ns in sorted(by_cat.items()))
    claims = "".join(claim_html(c, style, [ev for ev in c.evidence if ev.document and ev.document.iri == ref.iri])
                     for c in d.claims)
    body = (f'{titles}<dl class="meta">{"".join(meta)}</dl>{abstracts}'
            '<p class="legend muted">Marked in the text: every entity kg recognised there, coloured by category and '
            'linked to its page.</p>'
            + (f'<section><h2>Entities mentioned</h2><dl class="structure">{mentioned}</dl></section>' if mentioned else "")
            + f'<section><h2>Claims read here ({d.claims_total})</h2><ul class="claims">{claims}</ul></section>')
    return layout(ref.title, body)


def _in_lang(text: str, language: str) -> str:
    return f'<span lang="{h(language)}">{h(text)}</span>' if language else h(text)


def _section_html(d: Document, section: str, language: str, text: str, style: Style) -> str:
    """A title or abstract with every recognised mention and the subjects and objects of the claims read in it
    marked (from the offsets), each linked to its entity."""
    spans: dict[tuple[int, int], tuple[str, Node]] = {}
    for c in d.claims:
        for ev in c.evidence:
            if ev.section != section or ev.lang != language or ev.sentence_start is None or not ev.document \
                    or ev.document.iri != d.ref.iri:
                continue
            for span, node, kind in ((ev.subject_span, c.subject, "subj"), (ev.object_span, c.object, "obj")):
                if span:
                    s, t = ev.sentence_start + span[0], ev.sentence_start + span[1]
                    if text[s:t] == ev.text[span[0]:span[1]]:
                        spans.setdefault((s, t), (kind, node))
    for s, t, node in d.mentions.get((section, language), ()):  # every recognised mention (kg:mentionSpan)
        if t <= len(text):
            spans.setdefault((s, t), ("ment", node))
    marks = [(s, t, "ment", node) for (s, t), (_, node) in spans.items()]
    return marked(text, marks, style)
