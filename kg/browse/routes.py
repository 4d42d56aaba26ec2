"""The browser's routes over a ``Service``: ``/``, ``/search``, ``/entity/<CURIE>``, ``/document/<id>``,
``/sparql`` and the shipped ``/assets/``. A bad id is a 404 page; bad SPARQL a 400 with the parser's message."""

from __future__ import annotations

import json
import logging
import threading
import time
from importlib import resources
from urllib.parse import quote

from kg.browse import pages
from kg.browse.data import Overview, Reader, overview
from kg.browse.graph import neighbourhood
from kg.browse.search import SearchIndex
from kg.browse.sparql import sparql_page
from kg.config import Config
from kg.curie import curies_of
from kg.draw.style import Style
from kg.rdf.serve import Handler, Request, Response, Service, form_params

log = logging.getLogger(__name__)

HTML = "text/html; charset=utf-8"
ASSETS = {"browse.css": "text/css; charset=utf-8", "browse.js": "text/javascript; charset=utf-8",
          "graph.js": "text/javascript; charset=utf-8", "vis-network.min.js": "text/javascript; charset=utf-8",
          "LICENSES.md": "text/markdown; charset=utf-8"}


def page(status: int, text: str) -> Response:
    return Response(status, text.encode("utf-8"), HTML)


def not_found(message: str) -> Response:
    return page(404, pages.error_page(404, "Not found", message))


class Site:
    """What the pages need from the store, made once and remade after an update: the search index and the
    overview. The style and prefix map are those of a ``Config``."""

    def __init__(self, service: Service, config: Config | None = None):
        config = config or Config.default()
        self.service = service
        self.style = Style.from_config(config)
        self.reader = Reader(service, curies_of(config))
        self._lock = threading.Lock()
        self._made: dict[str, tuple[int, object]] = {}

    def _cached(self, name: str, make):
        with self._lock:
            gen, value = self._made.get(name, (-1, None))
            if gen != self.service.generation:
                started = time.perf_counter()
                value = make()
                self._made[name] = (self.service.generation, value)
                log.info("%s made in %.2f s", name, time.perf_counter() - started)
            return value

    def index(self) -> SearchIndex:
        return self._cached("search index", lambda: SearchIndex.build(self.reader))

    def overview(self) -> Overview:
        return self._cached("overview", lambda: overview(self.reader))

    def warm(self) -> None:
        """Make the index and the overview now (run in the background when the server starts)."""
        try:
            self.index()
            self.overview()
        except Exception:  # reported again, to the client, when a page needs it
            log.exception("could not index the store")

    # ------------------------------------------------ pages

    def home(self, req: Request) -> Response:
        if req.path != "/":
            return not_found(f"no such page: {req.path}")
        return page(200, pages.overview_page(self.overview(), self.style))

    def search(self, req: Request) -> Response:
        q = (req.param("q") or "").strip()[:200]
        hits = self.index().search(q, limit=12 if req.param("format") == "json" else 50) if q else []
        if req.param("format") == "json":
            body = json.dumps({"q": q, "hits": pages.hits_json(hits, self.style)}, ensure_ascii=False)
            return Response(200, body.encode("utf-8"), "application/json; charset=utf-8")
        return page(200, pages.search_page(q, hits, self.style))

    def entity(self, req: Request) -> Response:
        key = req.path.removeprefix("/entity/")
        iri = self.reader.expand(key)
        if iri is None:
            return not_found(f"{key!r} is not a CURIE this graph's prefixes know, nor an IRI")
        try:
            found, target = self.reader.resolve_entity(iri)
        except ValueError:
            return not_found(f"{key!r} is not a valid identifier")
        if found == "missing":
            return not_found(f"{key} is not in this graph (nor an equivalent of an entity of it)")
        if found in ("equivalent", "document"):
            curie = self.reader.curie(target)
            where = pages.entity_url(curie) if found == "equivalent" else "/document/" + quote(curie, safe=":/")
            return Response(302, b"", HTML, (("Location", where),))
        try:
            number = int(req.param("page") or 1)
        except ValueError:
            number = 1
        e = self.reader.entity(target, number)
        return page(200, pages.entity_page(e, self.style, neighbourhood(e, self.style)))

    def document(self, req: Request) -> Response:
        key = req.path.removeprefix("/document/")
        iri = self.reader.resolve_document(key) if key else None
        if iri is None:
            return not_found(f"no document {key!r} in this graph (give its IRI, DOI, PMID or record id)")
        return page(200, pages.document_page(self.reader.document(iri), self.style))

    def sparql(self, req: Request) -> Response:
        status, text = sparql_page(self.service, form_params(req), self.reader.curie)
        return page(status, text)

    def asset(self, req: Request) -> Response:
        name = req.path.removeprefix("/assets/")
        if name not in ASSETS:
            return not_found(f"no such asset: {name}")
        data = resources.files("kg.browse").joinpath("assets", name).read_bytes()
        return Response(200, data, ASSETS[name], (("Cache-Control", "max-age=3600"),))

    def routes(self) -> dict[str, Handler]:
        return {"/": self.home, "/search": self.search, "/entity/": self.entity, "/document/": self.document,
                "/sparql": self.sparql, "/assets/": self.asset, "/favicon.ico": lambda req: Response(204, b"")}

    def not_found(self, req: Request) -> Response:
        return not_found(f"no such page: {req.path}")
