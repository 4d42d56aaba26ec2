"""The knowledge-graph browser served by ``kg serve``: search, entity and document pages with their evidence,
a SPARQL page, beside the SPARQL endpoint of ``kg.rdf.serve``.

``data`` reads what a page shows from the store (a few SPARQL queries through ``kg.rdf.serve.Service``),
``search`` indexes labels, synonyms and identifiers (English and Chinese), ``graph`` makes an entity's
neighbourhood in the styles of ``kg draw``, ``pages`` and ``sparql`` render HTML on the server (everything
escaped), ``routes`` maps paths to pages, ``app`` is the server process (``python -m kg.browse``).
``assets/`` holds the CSS, the scripts and vis-network, shipped (no CDN; licenses in ``assets/LICENSES.md``).

    from kg.rdf.serve import start
    with start("kg.ttl", port=0, app="kg.browse") as server:
        print(server.url)                  # the browser; server.query_url is the SPARQL endpoint
"""

from kg.browse.app import main, make_routes
from kg.browse.data import Reader, overview
from kg.browse.routes import Site
from kg.browse.search import SearchIndex

__all__ = ["Reader", "SearchIndex", "Site", "main", "make_routes", "overview"]
